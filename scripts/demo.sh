#!/usr/bin/env bash
# README command (a): install, build, and run the main job on the embedded default.
# The main job: the embedded phantom pool, verified; the installation self-test on 2 MPI
# ranks; round 0 of an active-learning study scored on 2 ranks with the small CNN and
# selected with two strategies (docs/scoring.md); then the whole loop (docs/training.md) as
# the label-savings study (docs/results.md) recommends for a first run: its best strategy
# against random on a small NIH-structured pool, 6 rounds each of score, select, oracle
# labels, data-parallel fine-tuning and validation, compared.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/install-deps.sh
scripts/build.sh default
salient=build/default/salient
$salient --version
demo=build/demo
rm -rf "$demo/pool"  # synth writes a new pool, never over an old one
$salient synth --count 2000 --size 128 --seed 1 --out "$demo/pool" --montage "$demo/pool-montage.png"
$salient inspect "$demo/pool" --verify
mpirun_flags=(-np 2)
# Open MPI refuses to start as root (containers) unless told it is intended.
[ "$(id -u)" -eq 0 ] && mpirun_flags+=(--allow-run-as-root)
mpirun "${mpirun_flags[@]}" $salient selftest

# Round 0: Grad-CAM, every map criterion and MC dropout on 2 ranks, EG-AL's selection of 32
# images on rank 0; then IDEAL's GLCM Borda selection from the same scores.
study=$demo/study
rm -rf "$study"
mpirun "${mpirun_flags[@]}" $salient score --study "$study" --pool "$demo/pool" --model small-cnn \
  --input-size 128 --criteria prediction,mc_dropout,firstorder,glcm,shape2D,alignment \
  --strategy eg-al --budget 32 --select
$salient select --study "$study" --strategy ideal-glcm --budget 32 \
  --out "$study/rounds/000/selection-ideal-glcm.csv"
echo "demo: round 0 of $study: scores in rounds/000/scores/, stage times in rounds/000/score-report.json,"
echo "      selections rounds/000/selection.csv (eg-al) and selection-ideal-glcm.csv, each with its -montage.png"

# The loop on 2 ranks, as the study ran it (bench/run_study.sh), at a fifth of its size: a
# pool of 2,400 phantom X-rays with ChestX-ray14's real metadata (whole patients, 14 findings),
# a start trained on a disjoint source pool, then the study's best strategy in its main
# comparison, diverse:ideal-firstorder (which did not beat random significantly there), and
# random, each 6 rounds of 40 oracle labels with the study's fine-tuning recipe.
data=.venv/salient-data
like=(synth --like "$data/Data_Entry_2017_v2020.csv" --boxes "$data/BBox_List_2017.csv" --lung-masks "$data/lung_masks"
      --sample-seed 1 --size 96)
rm -rf "$demo/nih-pool" "$demo/nih-source" "$demo/source"
$salient --log-level warn "${like[@]}" --rows 2400 --seed 11 --out "$demo/nih-pool"
$salient --log-level warn "${like[@]}" --rows 800 --skip-rows 2400 --seed 12 --out "$demo/nih-source"
mpirun "${mpirun_flags[@]}" $salient --log-level warn run --study "$demo/source" --pool "$demo/nih-source" \
  --model small-cnn --input-size 64 --seed 100 --epochs 10 --learning-rate 0.001 --strategy random --budget 800 \
  --rounds 1 --fine-tuning acft-lq --no-progress --montage-count 0
for strategy in diverse:ideal-firstorder random; do
  rm -rf "$demo/run-${strategy//:/-}"
  mpirun "${mpirun_flags[@]}" $salient --log-level warn run --study "$demo/run-${strategy//:/-}" \
    --pool "$demo/nih-pool" --model "$demo/source/rounds/001/model.pt" --strategy "$strategy" --budget 40 \
    --rounds 6 --epochs 10 --learning-rate 0.0001 --fine-tuning acft-lq --no-progress --montage-count 0
done
$salient compare "$demo/run-diverse-ideal-firstorder" "$demo/run-random" --out "$demo/compare.png"
echo "demo: learning curves $demo/run-*/curve.png and $demo/compare.png; labels in $demo/run-*/labels.csv"
