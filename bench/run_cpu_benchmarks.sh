#!/usr/bin/env bash
# CPU kernel benchmarks beside their baselines, in one run: the Google Benchmark CPU
# cases of salient_bench_kernels, then the same computations in PyRadiomics and
# numpy/scipy/scikit-image (bench/baselines/). docs/benchmarks.md quotes this output.
#   bench/run_cpu_benchmarks.sh [build_dir]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/default}
python=$root/.venv/bin/python
echo "## $(date -u +%F) on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/salient_bench_kernels" --benchmark_filter='Cpu' --benchmark_min_time=1 \
  --benchmark_counters_tabular=true 2>/dev/null
"$python" "$root/bench/baselines/prediction_baselines.py"
for script in "$root"/bench/baselines/*_baselines.py; do
  [ "$(basename "$script")" = prediction_baselines.py ] || "$python" "$script"
done
