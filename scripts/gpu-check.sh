#!/usr/bin/env bash
# Everything a GPU machine is lent for, in one call (docs/building.md, "On a GPU machine"):
# unpack the Debian packages carried in .device/debs, configure the default preset against
# the machine's PyTorch, build, run the whole test suite (the CUDA twin tests and the GPU
# determinism of `salient score` run instead of skipping), the CUDA twin tests under
# compute-sanitizer, then the GPU benchmarks: end-to-end scoring beside the Python pipeline,
# kernels, models beside PyTorch eager, `salient bench` over 1 and 2 ranks, fine-tuning. Each step has a time limit and the whole script a
# deadline (SALIENT_GPU_CHECK_SECONDS, default 540), so that a lease's one call returns
# whatever finished; logs go to $OUT (the device tool's folder) or build/gpu-check/, and a
# summary of the steps ends the output. SALIENT_GPU_CHECK_ONLY="configure build ctest" runs only
# the steps named.
#   scripts/gpu-check.sh [--no-bench]
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=${OUT:-$root/build/gpu-check}
mkdir -p "$out"
deadline=$(($(date +%s) + ${SALIENT_GPU_CHECK_SECONDS:-540}))
summary=()

# step NAME LIMIT_SECONDS COMMAND...: runs COMMAND with its output in $out/NAME.log, for at
# most LIMIT seconds or until the deadline; records its status and time in the summary.
step() {
  local name=$1 limit=$2; shift 2
  if [ -n "${SALIENT_GPU_CHECK_ONLY:-}" ] && [[ " $SALIENT_GPU_CHECK_ONLY " != *" $name "* ]]; then return 0; fi
  local left=$((deadline - $(date +%s)))
  if [ "$left" -lt 20 ]; then summary+=("$(printf '%-22s skipped (deadline)' "$name")"); return 1; fi
  [ "$limit" -gt "$left" ] && limit=$left
  local start=$(date +%s) status
  timeout "$limit" bash -c "$*" >"$out/$name.log" 2>&1
  status=$?
  local verdict=ok
  [ $status -eq 124 ] && verdict="timed out at ${limit} s" || { [ $status -ne 0 ] && verdict="FAILED ($status)"; }
  summary+=("$(printf '%-22s %-22s %4d s' "$name" "$verdict" $(($(date +%s) - start)))")
  echo "== $name: $verdict"; tail -4 "$out/$name.log"
  return $status
}

if [ -d .device/debs ]; then
  eval "$(bash .device/unpack-debs.sh .device/debs /opt/deps)"
  # dpkg -x runs no maintainer scripts, so Debian's alternatives (mpicc, mpirun → *.openmpi)
  # are made here.
  # The machine's own GnuTLS needs its own Nettle, not bookworm's.
  rm -f /opt/deps/usr/lib/x86_64-linux-gnu/lib{nettle,hogweed,gnutls}*
  for tool in /opt/deps/usr/bin/*.openmpi; do ln -sf "$tool" "${tool%.openmpi}"; done
  # DCMTK's data dictionary, which it looks for under /usr by default.
  export DCMDICTPATH=/opt/deps/usr/share/libdcmtk17/dicom.dic:/opt/deps/usr/share/libdcmtk17/private.dic
  # Some packages' CMake files name their libraries by absolute /usr paths: point those files
  # that exist only in the prefix there (files only: directories are compared to find the prefix).
  python3 - <<'PY'
import glob, os, re
for path in glob.glob("/opt/deps/usr/lib/x86_64-linux-gnu/cmake/**/*.cmake", recursive=True):
    text = open(path).read()
    moved = lambda m: m[0] if os.path.exists(m[0]) or not os.path.isfile("/opt/deps" + m[0]) else "/opt/deps" + m[0]
    fixed = re.sub(r'(?<![\w/])/usr/[^";\s)]+', moved, text)
    if fixed != text:
        open(path, "w").write(fixed)
PY
fi
# Python packages the reference generators need beyond the machine's (Captum, zennit).
if [ -d .device/wheels ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .device/wheels/*.whl &&
    export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
{
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv
  python3 -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda)'
  nvcc --version | tail -1
  echo "cores: $(nproc); mpirun: $(command -v mpirun)"
} | tee "$out/machine.txt"

step configure 60 cmake --preset default -DSALIENT_PYTHON="$(command -v python3)" -DCMAKE_CUDA_ARCHITECTURES=90 ||
  { printf '%s\n' "${summary[@]}"; exit 1; }
# -k 0: a target that fails leaves the others to build, and their tests to run.
step build 330 cmake --build --preset default -- -k 0
build=build/default
# PyRadiomics publishes only sources and is not built there, nor scikit-learn, pydicom or the
# real NIH/CheXpert metadata carried: those CPU comparisons, which CI runs, are left out (they
# fail, never skip, where one is missing).
step ctest 100 ctest --preset default -j 8 --output-on-failure \
  -E 'MapFeaturesReference|GlcmReference|features_against_pyradiomics|pack.real_metadata|pack.dicom_pydicom'
step sanitize-memcheck 60 compute-sanitizer --tool memcheck --error-exitcode 1 \
  $build/tests/kernels/salient_test_kernels --gtest_filter='*Cuda*'
if [ "${1:-}" != --no-bench ]; then
  step bench-score 150 SALIENT_BENCH_SCORE_IMAGES=2048 bench/run_score_benchmarks.sh $build
  step bench-kernels 60 $build/bench/salient_bench_kernels --benchmark_filter=Cuda --benchmark_counters_tabular=true
  step sanitize-racecheck 60 compute-sanitizer --tool racecheck --error-exitcode 1 \
    $build/tests/kernels/salient_test_kernels --gtest_filter='*Cuda*'
  step bench-models 90 bench/run_model_benchmarks.sh $build
  step bench-end-to-end 90 SALIENT_BENCH_WORK=$out/bench SALIENT_BENCH_SCALING=strong \
    bench/run_bench.sh $build 2048 320 densenet121 1,2
  step bench-train 90 bench/run_train_benchmarks.sh $build 512 320 3
fi
echo "== summary (logs in $out)"
printf '%s\n' "${summary[@]}" | tee "$out/summary.txt"
