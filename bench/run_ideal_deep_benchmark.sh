#!/usr/bin/env bash
# IDEAL's deep saliency features beside PyTorch eager and scikit-learn, in one run:
# salient_bench_ideal_deep (Google Benchmark), then bench/baselines/ideal_deep_baselines.py on
# the same shapes. docs/benchmarks.md quotes this output.
#   bench/run_ideal_deep_benchmark.sh [build_dir]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/default}
echo "## $(date -u '+%F %H:%M UTC') on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "commit $(git -C "$root" rev-parse --short HEAD)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/salient_bench_ideal_deep" --benchmark_counters_tabular=true 2>/dev/null
"$root/.venv/bin/python" "$root/bench/baselines/ideal_deep_baselines.py"
