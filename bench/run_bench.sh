#!/usr/bin/env bash
# `salient bench` beside the scoring a Python team would otherwise write
# (bench/baselines/score_pipeline.py: h5py, PyTorch eager with autograd Grad-CAM, PyRadiomics
# and numpy), on the same synthetic pool in the same run. Prints salient's table (every stage,
# each rank count, each run checked against the reference run), then each salient run's
# scoring throughput beside Python's with their ratio. Exits non-zero when salient's check
# fails. Charts and JSON stay in the work directory.
#   bench/run_bench.sh [build_dir] [images] [size] [model] [ranks]
# defaults: build/default, 512 images of 128×128, small-cnn, ranks 1,2; SALIENT_BENCH_WORK
# keeps the work directory (default: a temporary one, removed at the end); SALIENT_BENCH_SCALING
# is strong, weak or both (the default).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/default}
images=${2:-512}
size=${3:-128}
model=${4:-small-cnn}
ranks=${5:-1,2}
python=$root/.venv/bin/python
[ -x "$python" ] || python=python3
if [ -n "${SALIENT_BENCH_WORK:-}" ]; then
  work=$SALIENT_BENCH_WORK
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
device=cpu
nvidia-smi >/dev/null 2>&1 && device=cuda
batch=16
[ "$device" = cuda ] && batch=64

status=0
"$build/salient" --log-level warn bench --images "$images" --size "$size" --input-size "$size" --model "$model" \
  --batch-size "$batch" --ranks "$ranks" --scaling "${SALIENT_BENCH_SCALING:-both}" --work "$work" \
  --json "$work/bench.json" --plot || status=$?
pool=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["runs"][0]["pool"])' "$work/bench.json")
if "$python" -c 'import radiomics' 2>/dev/null; then
  "$python" "$root/bench/baselines/score_pipeline.py" "$pool" --model "$model" --input-size "$size" \
    --batch-size "$batch" --device "$device" --out "$work/python.h5" >"$work/python.json"
else
  echo "# Python baseline not run: PyRadiomics is not installed for $python" >&2
fi

"$python" - "$work/bench.json" "$work/python.json" <<'PY'
import json, os, sys
bench = json.load(open(sys.argv[1]))
python = json.load(open(sys.argv[2])) if os.path.exists(sys.argv[2]) else None
print(f"\n{bench['date']}, {bench['machine']['host']}: {bench['machine']['cores']} cores "
      f"({bench['machine']['cpu']}), device {bench['machine']['device']}, salient {bench['salient']['commit']}")
print("| pipeline | ranks | images | scoring seconds | images/s | × Python | check |")
print("|---|---:|---:|---:|---:|---:|---|")
peer = python["images_per_second"] if python else None
for run in bench["runs"]:
    if run["scaling"] != "strong":
        continue
    rate = run["scoring_images_per_second"]
    ratio = f"{rate / peer:.2f}" if peer and rate else "-"
    check = "reference" if run["check"]["reference"] else (
        "identical" if run["check"]["wrong"] == 0 else f"WRONG: {run['check']['problem']}")
    print(f"| salient | {run['ranks']} | {run['images']} | {run['scoring_seconds']:.2f} | {rate:.1f} | {ratio} | {check} |")
if python:
    print(f"| Python (h5py, PyTorch, PyRadiomics) | 1 | {python['images']} | {python['seconds']:.2f} | "
          f"{python['images_per_second']:.1f} | 1.00 | - |")
PY
exit "$status"
