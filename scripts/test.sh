#!/usr/bin/env bash
# README command (b): install, build, and run every test (.ci/run calls this and nothing else):
# the ctest suites (failing when a test skipped for any reason but the lack of a GPU), then
# each libFuzzer target over a fixed set of inputs from seed 1 (SALIENT_FUZZ=0 skips it;
# scripts/fuzz.sh --seconds S explores further).
#   scripts/test.sh [preset]      preset: default (CPU + CUDA twins), cpu or asan
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${1:-default}
cd "$root"
scripts/install-deps.sh
scripts/build.sh "$preset"
junit=$root/build/$preset/ctest-junit.xml
ctest --preset "$preset" --output-junit "$junit"
.venv/bin/python scripts/check_skips.py "$junit"
if [ "${SALIENT_FUZZ:-1}" != 0 ]; then
  scripts/fuzz.sh --fixed
fi
