#!/usr/bin/env bash
# End-to-end scoring throughput of `salient score` on a synthetic pool, beside the Python
# pipeline a team would otherwise run (bench/baselines/score_pipeline.py: h5py, PyTorch,
# PyRadiomics), in the same run. The configuration is issue 8's: Grad-CAM, every map
# criterion (first-order with IDEAL kurtosis, GLCM, shape2D, alignment), the prediction
# criteria and head-only MC dropout (T = 20); on a GPU also with ACFT views and with MC
# dropout throughout the network. Each salient row comes from the job's
# rounds/000/score-report.json (stage seconds summed over ranks).
#   bench/run_score_benchmarks.sh [build_dir] [images] [size]
# images defaults to $SALIENT_BENCH_SCORE_IMAGES or 256; the Python pipeline scores a part.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/default}
images=${2:-${SALIENT_BENCH_SCORE_IMAGES:-256}}
size=${3:-320}
salient=$build/salient
python=$root/.venv/bin/python
[ -x "$python" ] || python=python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mpirun_flags=(--oversubscribe --bind-to none)
[ "$(id -u)" -eq 0 ] && mpirun_flags+=(--allow-run-as-root)
gpu=false
nvidia-smi >/dev/null 2>&1 && gpu=true

echo "## $(date -u +%F) on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
$gpu && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
criteria=prediction,mc_dropout,firstorder,glcm,shape2D,alignment
echo "| pipeline | model | configuration | ranks | images | seconds | images/s | read | saliency | model | kernels | write | beyond model+saliency |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"

pool_of() {
  local pool=$work/pool-$1
  [ -d "$pool" ] || "$salient" --log-level warn synth --count "$1" --size "$size" --seed 1 --out "$pool"
  echo "$pool"
}

# row PIPELINE MODEL CONFIGURATION RANKS REPORT_JSON: one table row from a report with
# images, seconds and stage_seconds (salient's score-report.json, or the baseline's output).
row() {
  "$python" - "$@" <<'PY'
import json, sys
pipeline, model, configuration, ranks, path = sys.argv[1:6]
report = json.load(open(path))
stages = report.get("stage_seconds_all_ranks", report.get("stage_seconds"))
total = sum(stages.values())
share = {name: 100 * seconds / total for name, seconds in stages.items()}
beyond = share["read"] + share["kernels"] + share["write"]
images = report.get("images_scored", report.get("images"))
print(f"| {pipeline} | {model} | {configuration} | {ranks} | {images} | {report['seconds']:.2f} | "
      f"{report['images_per_second']:.1f} | {share['read']:.1f}% | {share['saliency']:.1f}% | "
      f"{share['model']:.1f}% | {share['kernels']:.1f}% | {share['write']:.1f}% | {beyond:.1f}% |")
PY
}

# salient_row MODEL CONFIGURATION RANKS COUNT FLAGS...
salient_row() {
  local model=$1 configuration=$2 ranks=$3 count=$4; shift 4
  local pool study=$work/study-$model-$configuration-np$ranks
  pool=$(pool_of "$count")
  mpirun -np "$ranks" "${mpirun_flags[@]}" "$salient" --log-level warn score --study "$study" --pool "$pool" \
    --model "$model" --input-size "$size" --no-progress --threads $(($(nproc) / ranks)) "$@" >/dev/null
  row salient "$model" "$configuration" "$ranks" "$study/rounds/000/score-report.json"
}

# python_row MODEL CONFIGURATION COUNT FLAGS...
python_row() {
  local model=$1 configuration=$2 count=$3; shift 3
  local pool
  if ! "$python" -c 'import radiomics' 2>/dev/null; then
    echo "| Python | $model | $configuration | 1 | not run: PyRadiomics is not installed for $python |"
    return
  fi
  pool=$(pool_of "$count")
  "$python" "$root/bench/baselines/score_pipeline.py" "$pool" --model "$model" --input-size "$size" \
    --out "$work/python-$model.h5" "$@" \
    >"$work/python-$model.json"
  row "Python" "$model" "$configuration" 1 "$work/python-$model.json"
}

if $gpu; then
  fast=(--precision bf16 --channels-last --batch-size 128)
  salient_row small-cnn fp32 1 "$images" --criteria "$criteria" --batch-size 128
  salient_row densenet121 fp32 1 "$images" --criteria "$criteria" --batch-size 64
  salient_row densenet121 bf16 1 "$images" --criteria "$criteria" "${fast[@]}"
  salient_row densenet121 bf16 2 "$images" --criteria "$criteria" "${fast[@]}"
  salient_row densenet121 bf16-acft-m8 1 "$images" --criteria "$criteria,patches" --acft-views 8 "${fast[@]}"
  salient_row densenet121 bf16-mc-throughout 1 "$images" --criteria "$criteria" \
    --set scoring.mc_dropout.placement=throughout "${fast[@]}"
  python_row densenet121 bf16 $((images / 8)) --batch-size 128 --precision bf16
else
  # DenseNet-121 runs at a few images/s on a CPU: an eighth of the pool keeps the run short.
  for ranks in 1 2; do salient_row small-cnn fp32 "$ranks" "$images" --criteria "$criteria" --batch-size 16; done
  python_row small-cnn fp32 "$images" --batch-size 16
  for ranks in 1 2; do
    salient_row densenet121 fp32 "$ranks" $((images / 8)) --criteria "$criteria" --batch-size 16
  done
  python_row densenet121 fp32 $((images / 8)) --batch-size 16
fi
