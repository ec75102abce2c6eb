#!/usr/bin/env bash
# README command (b): install, build, and run every test (.ci/run calls this and nothing else):
# the ctest suites, then each libFuzzer target for 60 s (SALIENT_FUZZ_SECONDS; 0 skips).
#   scripts/test.sh [preset]      preset: default (CPU + CUDA twins), cpu or asan
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${1:-default}
cd "$root"
scripts/install-deps.sh
scripts/build.sh "$preset"
ctest --preset "$preset"
fuzz_seconds=${SALIENT_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
  scripts/fuzz.sh "$fuzz_seconds"
fi
