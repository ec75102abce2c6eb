#!/usr/bin/env bash
# The label-savings study of docs/results.md, in resumable parts. Its protocol (pools, model,
# recipe, seeds, regimes) is fixed below and was committed before any strategy ran; every
# arm is one `mpirun -np 2 salient run` (score, select, oracle labels, fine-tune, evaluate)
# that resumes where it stopped, so a part can be stopped and run again.
#   bench/run_study.sh PART [salient] [out_dir]
# PART, in order:
#   pools    the NIH-structured target pool and the disjoint source pool (salient synth --like)
#   source   the transfer start: the small CNN trained on every source label
#   recipe   the fine-tuning recipe, chosen on source patients only (random selection)
#   main     every strategy x 5 seeds, mid regime, transfer start
#   regimes  low and high regimes, transfer start (STUDY_STRATEGIES: random, the best three, one diversity method;
#            STUDY_REGIMES: both, or one of them)
#   scratch  mid regime from scratch (same strategies)
#   full     the whole labeled target pool per seed and start: the "full" line
#   report   bench/study_report.py over what has run
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
part=${1:?usage: run_study.sh PART [salient] [out_dir]}
salient=${2:-$root/build/default/salient}
out=${3:-$root/build/study}
python=$root/.venv/bin/python
data=$root/.venv/salient-data
mpirun_flags=(--oversubscribe --bind-to none)
[ "$(id -u)" -eq 0 ] && mpirun_flags+=(--allow-run-as-root)

# ---- The protocol (committed before any strategy ran). ----
like=(synth --like "$data/Data_Entry_2017_v2020.csv" --boxes "$data/BBox_List_2017.csv" --lung-masks "$data/lung_masks"
      --sample-seed 1 --size 96)
target_rows=(--rows 12000 --seed 11)
source_rows=(--rows 4000 --skip-rows 12000 --seed 12)
model=(--model small-cnn --input-size 64)
source_recipe=(--seed 100 --epochs 10 --learning-rate 0.001)
# The target recipe: the pilot's choice (part `recipe`, random selection on source patients).
: "${STUDY_EPOCHS:=10}" "${STUDY_LEARNING_RATE:=0.0001}"
: "${STUDY_SEEDS:=1 2 3 4 5}"  # the protocol's seeds; fewer only to rerun a check
read -r -a seeds <<< "$STUDY_SEEDS"
declare -A budget=([low]=25 [mid]=100 [high]=400)
rounds=6
# ideal-deep (IDEAL's deep saliency features) joined the main comparison after the others had
# run, on the same protocol and its documented defaults; its arms need a binary that has it.
all_strategies="random entropy margin bald ideal-kurtosis ideal-firstorder eg-al acft coreset badge cluster-margin
                ideal-deep"
: "${STUDY_STRATEGIES:=$all_strategies}"

mkdir -p "$out"
log() { echo "[$(date -u '+%F %H:%M:%S')] $*"; }

# arm STUDY POOL START BUDGET ROUNDS SEED STRATEGY [salient run options...]
arm() {
  local study=$1 pool=$2 start=$3 per_round=$4 count=$5 seed=$6 strategy=$7; shift 7
  local tuning=acft-lq began
  [ "$strategy" = acft ] && tuning=acft-hq
  [ -f "$study/status.json" ] && grep -q '"finished"' "$study/status.json" && return 0
  began=$(date +%s)
  mkdir -p "$(dirname "$study")"
  mpirun -np 2 "${mpirun_flags[@]}" "$salient" --log-level warn run --study "$study" --pool "$pool" --model "$start" \
    --seed "$seed" --strategy "$strategy" --budget "$per_round" --rounds "$count" --epochs "$STUDY_EPOCHS" \
    --learning-rate "$STUDY_LEARNING_RATE" --fine-tuning "$tuning" --threads 1 --no-progress --montage-count 0 "$@" \
    >"$study.log" 2>&1 || { log "FAILED: $study (see $study.log)"; return 1; }
  log "$(basename "$study"): $(tail -n 2 "$study.log" | head -n 1) in $(($(date +%s) - began)) s"
}

transfer=$out/source-study/rounds/001/model.pt
case $part in
  pools)
    [ -d "$out/target-pool" ] || "$salient" --log-level warn "${like[@]}" "${target_rows[@]}" --out "$out/target-pool"
    [ -d "$out/source-pool" ] || "$salient" --log-level warn "${like[@]}" "${source_rows[@]}" --out "$out/source-pool"
    ;;
  source)
    mpirun -np 2 "${mpirun_flags[@]}" "$salient" --log-level warn run --study "$out/source-study" \
      --pool "$out/source-pool" "${model[@]}" "${source_recipe[@]}" --strategy random --budget 4000 --rounds 1 \
      --fine-tuning acft-lq --threads 1 --no-progress --montage-count 0 | tail -n 2
    ;;
  recipe)
    # Two halves of the source patients: pretrain on one, fine-tune on the other with random
    # selection (4 rounds of 100, seeds 1 and 2); the recipe with the larger mean ALC wins.
    pilot=$out/recipe
    mkdir -p "$pilot"
    for half in "a 12000" "b 14000"; do
      set -- $half
      [ -d "$pilot/pool-$1" ] || "$salient" --log-level warn "${like[@]}" --rows 2000 --skip-rows "$2" --seed 12 \
        --out "$pilot/pool-$1" >/dev/null
    done
    [ -f "$pilot/pretrain/rounds/001/model.pt" ] || mpirun -np 2 "${mpirun_flags[@]}" "$salient" --log-level warn run \
      --study "$pilot/pretrain" --pool "$pilot/pool-a" "${model[@]}" "${source_recipe[@]}" --strategy random \
      --budget 2000 --rounds 1 --fine-tuning acft-lq --threads 1 --no-progress --montage-count 0 >/dev/null
    for recipe in "0.001 10" "0.0001 10" "0.0001 20" "0.0003 10"; do
      set -- $recipe
      for seed in 1 2; do
        STUDY_LEARNING_RATE=$1 STUDY_EPOCHS=$2 arm "$pilot/lr$1-epochs$2-seed$seed" "$pilot/pool-b" \
          "$pilot/pretrain/rounds/001/model.pt" 100 4 "$seed" random
      done
    done
    ;;
  main)
    for seed in "${seeds[@]}"; do  # seed by seed, so that a partial run covers every strategy
      for strategy in $STUDY_STRATEGIES; do
        arm "$out/transfer-mid/$strategy-seed$seed" "$out/target-pool" "$transfer" "${budget[mid]}" "$rounds" "$seed" \
          "$strategy"
      done
    done
    ;;
  regimes)
    for regime in ${STUDY_REGIMES:-low high}; do
      for strategy in $STUDY_STRATEGIES; do
        for seed in "${seeds[@]}"; do
          arm "$out/transfer-$regime/$strategy-seed$seed" "$out/target-pool" "$transfer" "${budget[$regime]}" "$rounds" \
            "$seed" "$strategy"
        done
      done
    done
    ;;
  scratch)
    for strategy in $STUDY_STRATEGIES; do
      for seed in "${seeds[@]}"; do
        arm "$out/scratch-mid/$strategy-seed$seed" "$out/target-pool" small-cnn "${budget[mid]}" "$rounds" "$seed" \
          "$strategy" --input-size 64
      done
    done
    ;;
  full)
    # Every image outside the validation split, in one round, for each seed and start.
    for seed in "${seeds[@]}"; do
      arm "$out/full/transfer-seed$seed" "$out/target-pool" "$transfer" 12000 1 "$seed" random
      arm "$out/full/scratch-seed$seed" "$out/target-pool" small-cnn 12000 1 "$seed" random --input-size 64
    done
    ;;
  report)
    "$python" "$root/bench/study_report.py" "$out"
    ;;
  *)
    echo "unknown part '$part' (pools, source, recipe, main, regimes, scratch, full, report)" >&2
    exit 2
    ;;
esac
