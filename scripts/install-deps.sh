#!/usr/bin/env bash
# Installs everything salient needs on Debian bookworm, idempotently:
#   - the Debian packages in scripts/debian-packages.txt (skipped when all are present);
#   - a project-local Python environment .venv/ with scripts/requirements.txt (LibTorch
#     comes from PyTorch's wheel there), and PyRadiomics 3.0.1 built once into a wheel;
#   - NIH's and CheXpert's real metadata CSVs and real lung masks, from torchxrayvision's wheel, as data.
# Wheels are kept in ~/.cache/salient/wheels, so a second run on the same machine (a fresh
# clone too) downloads nothing. The CUDA toolkit is expected at /usr/local/cuda (optional).
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

# pip's own HTTP cache is not kept here, so wheels are downloaded once into a wheelhouse
# outside the checkout, shared by every clone on this machine, and installed from it.
wheelhouse=${SALIENT_WHEELHOUSE:-${XDG_CACHE_HOME:-$HOME/.cache}/salient/wheels}
mkdir -p "$wheelhouse"
export PIP_DISABLE_PIP_VERSION_CHECK=1
pip=(.venv/bin/python -m pip)
offline=("${pip[@]}" install -q --no-index --find-links "$wheelhouse")

# Real metadata, as data only (never imported): NIH ChestX-ray14's Data_Entry_2017_v2020.csv
# and BBox_List_2017.csv and CheXpert's train.csv (the ingest tests, `salient synth --like`),
# and 517 lung masks traced on real radiographs (the anatomy of `synth --like`), as shipped
# inside torchxrayvision's wheel, unpacked into .venv/salient-data/.
reference_data() {
  local wheel=torchxrayvision-1.5.7-py3-none-any.whl data=.venv/salient-data
  local stamp="$data/.$wheel.with-lung-masks"
  [ -f "$stamp" ] && return 0
  [ -f "$wheelhouse/$wheel" ] || "${pip[@]}" download -q --no-deps -d "$wheelhouse" torchxrayvision==1.5.7
  mkdir -p "$data/lung_masks"
  .venv/bin/python - "$wheelhouse/$wheel" "$data" <<'PY'
import gzip, io, os, shutil, sys, zipfile
wheel, data = sys.argv[1:3]
with zipfile.ZipFile(wheel) as archive:
    for name in ("Data_Entry_2017_v2020.csv", "BBox_List_2017.csv", "chexpert_train.csv"):
        with archive.open(f"torchxrayvision/data/{name}.gz") as packed, gzip.open(packed) as text, \
                open(f"{data}/{name}", "wb") as out:
            shutil.copyfileobj(text, out)
    with zipfile.ZipFile(io.BytesIO(archive.read("torchxrayvision/data/semantic_masks_v7labs_lungs.zip"))) as masks:
        for member in masks.infolist():
            if member.is_dir():
                continue
            with masks.open(member) as mask, open(f"{data}/lung_masks/{os.path.basename(member.filename)}", "wb") as out:
                shutil.copyfileobj(mask, out)
PY
  touch "$stamp"
  echo "install-deps: NIH and CheXpert metadata and lung masks unpacked into $data"
}

# The stamp records the requirements the environment was built from.
stamp=.venv/.salient-requirements
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && cmp -s scripts/requirements.txt "$stamp"; then
  reference_data
  echo "install-deps: .venv up to date ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"
  exit 0
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
if ! "${offline[@]}" -r scripts/requirements.txt 2>/dev/null; then
  echo "install-deps: downloading wheels into $wheelhouse"
  "${pip[@]}" download -q -d "$wheelhouse" -r scripts/requirements.txt versioneer setuptools wheel
  "${offline[@]}" -r scripts/requirements.txt
fi
# PyRadiomics publishes only sources that need numpy and versioneer at build time; its
# wheel is built once and kept in the wheelhouse.
if ! "${offline[@]}" pyradiomics==3.0.1 2>/dev/null; then
  "${offline[@]}" versioneer setuptools wheel 2>/dev/null ||
    "${pip[@]}" install -q versioneer setuptools wheel
  if ! { "${pip[@]}" wheel -q --no-build-isolation -w "$wheelhouse" pyradiomics==3.0.1 &&
         "${offline[@]}" pyradiomics==3.0.1; }; then
    echo "install-deps: PyRadiomics 3.0.1 did not build into $wheelhouse (the feature kernels' reference);" \
      "see pip's messages above" >&2
    exit 1
  fi
fi
reference_data
cp scripts/requirements.txt "$stamp"
echo "install-deps: .venv ready ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"
