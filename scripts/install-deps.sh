#!/usr/bin/env bash
# Installs everything salient needs on Debian bookworm, idempotently:
#   - the Debian packages in scripts/debian-packages.txt (skipped when all are present);
#   - a project-local Python environment .venv/ with scripts/requirements.txt (LibTorch
#     comes from PyTorch's wheel there), and PyRadiomics where it builds.
# pip keeps its downloads in its cache (~/.cache/pip), so a second machine-local run
# downloads nothing. The CUDA toolkit is expected at /usr/local/cuda and is optional.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

mapfile -t packages < <(grep -Ev '^\s*(#|$)' scripts/debian-packages.txt)
python3 -m venv --help >/dev/null 2>&1 || packages+=(python3-venv)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${#missing[@]} Debian package(s): ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: Debian packages present"
fi

# The stamp records the requirements the environment was built from.
stamp=.venv/.salient-requirements
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && cmp -s scripts/requirements.txt "$stamp"; then
  echo "install-deps: .venv up to date ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"
  exit 0
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
export PIP_DISABLE_PIP_VERSION_CHECK=1
.venv/bin/python -m pip install -q -r scripts/requirements.txt
# PyRadiomics publishes only sources that need numpy and versioneer at build time.
if ! .venv/bin/python -c 'import radiomics' 2>/dev/null; then
  .venv/bin/python -m pip install -q versioneer setuptools wheel
  .venv/bin/python -m pip install -q --no-build-isolation pyradiomics==3.0.1 ||
    echo "install-deps: WARNING: PyRadiomics did not build; tests that compare with it will be skipped" >&2
fi
cp scripts/requirements.txt "$stamp"
echo "install-deps: .venv ready ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"
