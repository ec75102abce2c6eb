#!/usr/bin/env bash
# Fine-tuning throughput of `salient tune` (data-parallel over MPI ranks on a CPU, NCCL on
# GPUs) beside the PyTorch training a team would otherwise write (bench/baselines/
# train_step.py: the same model, loss, Adam, augmentation and batch; DistributedDataParallel
# over gloo for 2 ranks), in the same run. Both train on the first IMAGES images of a
# synthetic pool with its own labels (labels.csv of round 0, written here), fine-tuning
# strategy aft from the seeded model; salient's figures are the mean over the epochs after
# the first, from rounds/001/training.json, with the all-reduce's share of each epoch.
#   bench/run_train_benchmarks.sh [build_dir] [images] [size] [epochs]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/default}
images=${2:-${SALIENT_BENCH_TRAIN_IMAGES:-256}}
size=${3:-320}
epochs=${4:-3}
salient=$build/salient
python=$root/.venv/bin/python
[ -x "$python" ] || python=python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mpirun_flags=(--oversubscribe --bind-to none)
[ "$(id -u)" -eq 0 ] && mpirun_flags+=(--allow-run-as-root)
gpu=false
nvidia-smi >/dev/null 2>&1 && gpu=true
device=cpu precision=fp32
$gpu && device=cuda precision=bf16  # salient tune autocasts to training.precision (bf16) on a GPU

echo "## $(date -u +%F) on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
$gpu && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| pipeline | model | ranks | images | batch | epochs timed | images/s | all-reduce share |"
echo "|---|---|---|---|---|---|---|---|"

pool=$work/pool
"$salient" --log-level warn synth --count "$images" --size "$size" --seed 1 --out "$pool"

# labels.csv of round 0: the first IMAGES images with the pool's own labels.
write_labels() {
  "$python" - "$pool" "$1" <<'PY'
import json, os, sys
import h5py
pool, study = sys.argv[1:3]
manifest = json.load(open(os.path.join(pool, "pool.json")))
os.makedirs(study, exist_ok=True)
with open(os.path.join(study, "labels.csv"), "w") as out:
    out.write(",".join(["id", *manifest["labels"], "round", "source"]) + "\n")
    for shard in manifest["shards"]:
        with h5py.File(os.path.join(pool, shard["path"]), "r") as file:
            for image, labels in zip(file["ids"][:], file["labels"][:]):
                image = image.decode() if isinstance(image, bytes) else image
                out.write(",".join([image, *(str(int(v)) for v in labels), "0", "oracle"]) + "\n")
PY
}

# salient_row MODEL RANKS BATCH
salient_row() {
  local model=$1 ranks=$2 batch=$3 study=$work/study-$1-np$2
  write_labels "$study"
  mpirun -np "$ranks" "${mpirun_flags[@]}" "$salient" --log-level warn tune --study "$study" --round 0 \
    --pool "$pool" --set model.model="$model" --set model.input_size="$size" --fine-tuning aft \
    --epochs "$epochs" --train-batch-size "$batch" --threads $(($(nproc) / ranks)) \
    --set training.validation_fraction=0 >/dev/null
  "$python" - "$study/rounds/001/training.json" "$model" "$ranks" "$batch" <<'PY'
import json, sys
path, model, ranks, batch = sys.argv[1:5]
training = json.load(open(path))
timed = training["epochs"][1:] or training["epochs"]
seconds = sum(e["seconds"] for e in timed)
images = sum(e["images"] for e in timed)
share = sum(e["all_reduce_share"] * e["seconds"] for e in timed) / seconds
print(f"| salient tune | {model} | {ranks} | {training['images']} | {batch} | {len(timed)} | "
      f"{images / seconds:.1f} | {100 * share:.1f}% |")
PY
}

# python_row MODEL RANKS BATCH
python_row() {
  local model=$1 ranks=$2 batch=$3
  "$python" "$root/bench/baselines/train_step.py" "$pool" --model "$model" --input-size "$size" \
    --images "$images" --epochs "$epochs" --batch-size "$batch" --ranks "$ranks" --device "$device" --precision "$precision" \
    >"$work/python.json"
  "$python" - "$work/python.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
share = f"{100 * r['allreduce_share']:.1f}%" if "allreduce_share" in r else "–"
print(f"| {r['pipeline']} | {r['model']} | {r['ranks']} | {r['images']} | {r['batch_size']} | "
      f"{r['epochs'] - 1 if r['epochs'] > 1 else 1} | {r['samples_per_second']:.1f} | {share} |")
PY
}

if $gpu; then
  for model in small-cnn densenet121; do
    salient_row "$model" 1 32
    python_row "$model" 1 32
  done
else
  for model in small-cnn densenet121; do
    for ranks in 1 2; do
      salient_row "$model" "$ranks" 16
      python_row "$model" "$ranks" 16
    done
  done
fi
