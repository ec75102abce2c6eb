#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang, ASan + UBSan) and runs each for
# SECONDS (default 60) from the seed corpus in tests/fuzz/corpus/. A finding stops with
# a non-zero exit and leaves the crashing input in build/fuzz/findings/.
#   scripts/fuzz.sh [seconds]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
cd "$root"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
findings=build/fuzz/findings
mkdir -p "$findings"
for target in manifest csv shard_open; do
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus/$target/* "$corpus"/
  echo "fuzz: $target for ${seconds} s"
  status=0
  ASAN_OPTIONS=detect_leaks=0 build/fuzz/tests/fuzz/salient_fuzz_$target "$corpus" -max_total_time="$seconds" \
    -artifact_prefix="$findings/$target-" -print_final_stats=1 >"$findings/$target.log" 2>&1 || status=$?
  grep -E "^(stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" "$findings/$target.log" || true
  rm -rf "$corpus"
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$findings/$target.log" >&2
    echo "fuzz: $target found a problem (exit $status); input and log in $findings/" >&2
    exit 1
  fi
done
rm -rf /dev/shm/salient-fuzz-shard-* /tmp/salient-fuzz-shard-*
echo "fuzz: no findings"
