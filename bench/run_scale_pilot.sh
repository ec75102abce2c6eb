#!/usr/bin/env bash
# The scale pilot of a pool with NIH ChestX-ray14's structure: the whole Data_Entry file
# (112,120 rows) as a phantom pool at 128 px (`salient synth --like`), `salient inspect
# --verify`, and one `mpirun -np 2 salient score` with the small CNN. Wall time and peak
# memory of each step (per rank for the scoring, read by /usr/bin/time -v around each
# rank); the same scoring on a 3,000-image subset shows whether memory per rank grows with
# the pool. Beside it, in the same run, the Python pipeline a team would otherwise run
# (bench/baselines/score_pipeline.py: h5py, PyTorch, PyRadiomics) on a 1,000-image subset,
# and salient on that subset too.
#   bench/run_scale_pilot.sh [build_dir] [work_dir]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/default}
work=${2:-$(mktemp -d)}
salient=$build/salient
python=$root/.venv/bin/python
data=$root/.venv/salient-data
mkdir -p "$work"
mpirun_flags=(--oversubscribe --bind-to none)
[ "$(id -u)" -eq 0 ] && mpirun_flags+=(--allow-run-as-root)
criteria=prediction,mc_dropout,firstorder,glcm,shape2D,alignment
size=128

echo "## $(date -u '+%F %H:%M UTC') on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# timed NAME COMMAND...: runs it under /usr/bin/time -v, prints wall seconds and peak RSS.
timed() {
  local name=$1; shift
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.log" 2>&1
  local wall rss
  wall=$(awk -F': ' '/Elapsed/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = 60 * s + t[i]; print s}' "$work/$name.time")
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$work/$name.time")
  echo "| $name | ${wall} s | ${rss} MiB |"
}

like=("$salient" synth --like "$data/Data_Entry_2017_v2020.csv" --boxes "$data/BBox_List_2017.csv"
      --lung-masks "$data/lung_masks" --size "$size" --seed 1)

# score POOL STUDY: one 2-rank job, each rank under /usr/bin/time; prints images/s and peak RSS per rank.
score() {
  local pool=$1 study=$2
  rm -rf "$study"
  mpirun -np 2 "${mpirun_flags[@]}" sh -c \
    'exec /usr/bin/time -v -o "$0.rank$OMPI_COMM_WORLD_RANK" "$@"' "$study.time" \
    "$salient" --log-level warn score --study "$study" --pool "$pool" --model small-cnn --input-size "$size" \
    --criteria "$criteria" --batch-size 32 --threads 1 --no-progress >/dev/null
  "$python" - "$study" <<'PY'
import json, re, sys
study = sys.argv[1]
report = json.load(open(f"{study}/rounds/000/score-report.json"))
rss = [int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{study}.time.rank{r}").read()).group(1)) / 1024
       for r in (0, 1)]
print(f"| salient score, 2 ranks | {report['images_scored']} | {report['seconds']:.1f} s | "
      f"{report['images_per_second']:.1f} | {rss[0]:.0f} / {rss[1]:.0f} MiB |")
PY
}

echo
echo "| step | wall | peak memory |"
echo "|---|---:|---:|"
rm -rf "$work"/nih-pool "$work"/subset-*
timed "synth --like, 112,120 rows" "${like[@]}" --out "$work/nih-pool"
timed "inspect --verify" "$salient" inspect "$work/nih-pool" --verify
"${like[@]}" --rows 3000 --out "$work/subset-3000" >/dev/null 2>&1
"${like[@]}" --rows 1000 --out "$work/subset-1000" >/dev/null 2>&1

echo
echo "| pipeline | images | wall | images/s | peak memory per rank |"
echo "|---|---:|---:|---:|---:|"
score "$work/nih-pool" "$work/study-all"
score "$work/subset-3000" "$work/study-3000"
score "$work/subset-1000" "$work/study-1000"
/usr/bin/time -v -o "$work/python.time" "$python" "$root/bench/baselines/score_pipeline.py" "$work/subset-1000" \
  --model small-cnn --input-size "$size" --batch-size 32 --out "$work/python.h5" >"$work/python.json"
"$python" - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
report = json.load(open(f"{work}/python.json"))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{work}/python.time").read()).group(1)) / 1024
print(f"| Python (h5py, PyTorch, PyRadiomics in 2 processes) | {report['images']} | {report['seconds']:.1f} s | "
      f"{report['images_per_second']:.1f} | {rss:.0f} MiB (main process) |")
PY
