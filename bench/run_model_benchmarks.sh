#!/usr/bin/env bash
# Model and saliency throughput beside PyTorch eager Python, in one run: salient_bench_models
# (Google Benchmark), then bench/baselines/models_pytorch.py on the same device, cases and
# threads. docs/benchmarks.md quotes this output.
#   bench/run_model_benchmarks.sh [build_dir]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/default}
echo "## $(date -u +%F) on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
if command -v nvidia-smi >/dev/null; then nvidia-smi --query-gpu=name,memory.total --format=csv,noheader; fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/salient_bench_models" --benchmark_counters_tabular=true 2>/dev/null
python=$root/.venv/bin/python
[ -x "$python" ] || python=python3  # the GPU machines have PyTorch system-wide
"$python" "$root/bench/baselines/models_pytorch.py"
