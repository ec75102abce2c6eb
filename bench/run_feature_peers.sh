#!/usr/bin/env bash
# Map features against every peer in one run (docs/benchmarks.md "Map features against every
# peer"): salient, PyRadiomics 3.0.1, fastrad 1.0.0 and numpy + scikit-image on the same 384
# maps of 320×320, first-order and GLCM, one core each; prints ms per map and the ratios.
# Run it on a quiet machine. --quick: 4 small maps, a smoke test (ctest bench.feature_peers_quick)
# that every peer runs and salient equals PyRadiomics; its times mean nothing.
#   bench/run_feature_peers.sh [--quick] [salient]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quick=()
if [ "${1:-}" = --quick ]; then
  quick=(--quick)
  shift
fi
salient=${1:-$root/build/default/salient}
cd "$root/bench/baselines"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u '+%F %H:%M UTC'); salient: $("$salient" --version | head -n 1)"
exec "$root/.venv/bin/python" feature_peers.py "$salient" "${quick[@]}"
