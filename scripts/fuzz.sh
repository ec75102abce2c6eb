#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang, ASan + UBSan) and runs each from the
# seed corpus in tests/fuzz/corpus/ (which keeps every input that once found a bug).
#   scripts/fuzz.sh --fixed       a fixed number of inputs per target from seed 1 (about 30 s
#                                 each on 2 cores): the same inputs on every machine, so the
#                                 test suite passes or fails reproducibly
#   scripts/fuzz.sh --seconds S   S seconds per target from a fresh seed: exploration
# A finding stops with a non-zero exit and leaves the crashing input in build/fuzz/findings/;
# add it to the target's corpus once fixed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Inputs per target in --fixed mode: ~30 s each at the rates measured on 2 cores
# (manifest ~18,000/s, csv ~7,000/s, shard_open ~160/s: each input writes and opens an HDF5 file;
# torch_save ~3,700/s: each input is written as a weights file and read with LibTorch's zip reader).
declare -A fixed_runs=([manifest]=500000 [csv]=200000 [shard_open]=5000 [torch_save]=100000)
mode=${1:-}
case "$mode" in
  --fixed) ;;
  --seconds) seconds=$2 ;;
  *) echo "usage: scripts/fuzz.sh --fixed | --seconds S" >&2; exit 2 ;;
esac
cd "$root"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
findings=build/fuzz/findings
mkdir -p "$findings"
for target in manifest csv shard_open torch_save; do
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus/$target/* "$corpus"/
  if [ "$mode" = --fixed ]; then budget=(-seed=1 -runs="${fixed_runs[$target]}"); else budget=(-max_total_time="$seconds"); fi
  echo "fuzz: $target (${budget[*]})"
  status=0
  ASAN_OPTIONS=detect_leaks=0 build/fuzz/tests/fuzz/salient_fuzz_$target "$corpus" "${budget[@]}" \
    -artifact_prefix="$findings/$target-" -print_final_stats=1 >"$findings/$target.log" 2>&1 || status=$?
  grep -E "^(stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==ERROR|SUMMARY)" \
    "$findings/$target.log" || true
  rm -rf "$corpus"
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$findings/$target.log" >&2
    echo "fuzz: $target found a problem (exit $status); input and log in $findings/" >&2
    exit 1
  fi
done
rm -rf /dev/shm/salient-fuzz-shard-* /tmp/salient-fuzz-shard-*
echo "fuzz: no findings"
