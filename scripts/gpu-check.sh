#!/usr/bin/env bash
# Everything a GPU machine is lent for, in one call (docs/building.md, "On a GPU machine"):
# unpack the Debian packages carried in .device/debs, configure the default preset against
# the machine's PyTorch, build, run the whole test suite (the CUDA twin tests run instead of
# skipping), run the CUDA twin tests under compute-sanitizer, then the GPU benchmarks
# (kernels, models beside PyTorch eager). Logs go to $OUT (the device tool's folder) or
# build/gpu-check/.
#   scripts/gpu-check.sh [--no-bench]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=${OUT:-$root/build/gpu-check}
mkdir -p "$out"
if [ -d .device/debs ]; then eval "$(bash .device/unpack-debs.sh .device/debs /opt/deps)"; fi
{
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv
  python3 -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda)'
  nvcc --version | tail -1
} | tee "$out/machine.txt"
cmake --preset default -DSALIENT_PYTHON="$(command -v python3)" -DCMAKE_CUDA_ARCHITECTURES=90 >"$out/configure.log"
time cmake --build --preset default 2>&1 | tail -3 | tee "$out/build.log"
ctest --preset default 2>&1 | tee "$out/ctest.log" | tail -15
# The CUDA twins under compute-sanitizer: memory errors and races in the kernels themselves.
for tool in memcheck racecheck; do
  compute-sanitizer --tool "$tool" --error-exitcode 1 build/default/tests/kernels/salient_test_kernels \
    --gtest_filter='*Cuda*' >"$out/sanitizer-$tool.log" 2>&1 && echo "compute-sanitizer $tool: clean" ||
    { echo "compute-sanitizer $tool: errors, see $out/sanitizer-$tool.log"; exit 1; }
done
if [ "${1:-}" != --no-bench ]; then
  build/default/bench/salient_bench_kernels --benchmark_filter=Cuda --benchmark_counters_tabular=true \
    >"$out/bench-kernels.txt" 2>&1
  bench/run_model_benchmarks.sh build/default >"$out/bench-models.txt" 2>&1
  echo "benchmarks: $out/bench-kernels.txt, $out/bench-models.txt"
fi
