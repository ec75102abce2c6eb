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
rm -rf "$pool"
"$salient" --log-level warn synth --count "$images" --size "$size" --seed 1 --out "$pool"

# write_labels STUDY COUNT: labels.csv of round 0, the first COUNT images with the pool's own labels.
write_labels() {
  "$python" - "$pool" "$1" "$2" <<'PY'
import json, os, sys
import h5py
pool, study, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
manifest = json.load(open(os.path.join(pool, "pool.json")))
os.makedirs(study, exist_ok=True)
with open(os.path.join(study, "labels.csv"), "w") as out:
    out.write(",".join(["id", *manifest["labels"], "round", "source"]) + "\n")
    rows = []
    for shard in manifest["shards"]:
        with h5py.File(os.path.join(pool, shard["path"]), "r") as file:
            rows += zip(file["ids"][:], file["labels"][:])
    for image, labels in rows[:count]:
        image = image.decode() if isinstance(image, bytes) else image
        out.write(",".join([image, *(str(int(v)) for v in labels), "0", "oracle"]) + "\n")
PY
}

# salient_row MODEL RANKS BATCH COUNT
salient_row() {
  local model=$1 ranks=$2 batch=$3 count=$4 study=$work/study-$1-np$2
  write_labels "$study" "$count"
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

# python_row MODEL RANKS BATCH COUNT
python_row() {
  local model=$1 ranks=$2 batch=$3 count=$4
  "$python" "$root/bench/baselines/train_step.py" "$pool" --model "$model" --input-size "$size" \
    --images "$count" --epochs "$epochs" --batch-size "$batch" --ranks "$ranks" --device "$device" --precision "$precision" \
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
    salient_row "$model" 1 32 "$images"
    python_row "$model" 1 32 "$images"
  done
else
  # DenseNet-121 trains at a few images/s on a CPU: an eighth of the images keeps the run short.
  for ranks in 1 2; do
    salient_row small-cnn "$ranks" 16 "$images"
    python_row small-cnn "$ranks" 16 "$images"
  done
  for ranks in 1 2; do
    salient_row densenet121 "$ranks" 16 $((images / 8))
    python_row densenet121 "$ranks" 16 $((images / 8))
  done
fi
