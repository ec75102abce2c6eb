#!/usr/bin/env bash
# Selection across ranks (bench/bench_selection_ranks.cpp) on 1 rank (one process holding
# every candidate, as selection ran before it was distributed) and on 2 ranks, in one run:
# wall time of each strategy at 10^5, 10^6 and 10^7 candidates, and each rank's table and
# peak resident memory, for docs/benchmarks.md "Selection across ranks".
#   bench/run_selection_benchmark.sh [build_dir]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/default}
mpirun_flags=(--oversubscribe --bind-to none)
[ "$(id -u)" -eq 0 ] && mpirun_flags+=(--allow-run-as-root)
echo "## $(date -u '+%F %H:%M UTC') on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "commit $(git -C "$root" rev-parse --short HEAD)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ranks in 1 2; do
  echo "### $ranks rank(s)"
  mpirun -np "$ranks" "${mpirun_flags[@]}" "$build/bench/salient_bench_selection_ranks" --benchmark_color=false \
    --benchmark_counters_tabular=true
done
