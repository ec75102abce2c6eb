#!/usr/bin/env bash
# The synthetic study of docs/results.md: five selection strategies, three seeds each, on one
# phantom pool, each a whole `salient run` (score, select, oracle labels, fine-tune,
# evaluate) on 2 MPI ranks with the small CNN; then bench/study_report.py tables the
# learning curves and their ALC and plots the mean curves.
#   bench/run_study.sh [build_dir] [out_dir]
# Strategies and fine-tuning (ACFT's Table 2): random, entropy, ideal-kurtosis and eg-al
# continue from the last model on every label (acft-lq), so that they differ only in what
# they select; acft selects with ACFT's randomised patch criteria and fine-tunes as ACFT
# does (acft-hq: the new labels and the earlier ones the last model misclassifies).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/default}
out=${2:-$root/build/study}
salient=$build/salient
python=$root/.venv/bin/python
[ -x "$python" ] || python=python3
: "${STUDY_POOL_IMAGES:=2000}" "${STUDY_BUDGET:=32}" "${STUDY_ROUNDS:=10}" "${STUDY_EPOCHS:=10}"
: "${STUDY_SEEDS:=1 2 3}" "${STUDY_STRATEGIES:=random entropy ideal-kurtosis eg-al acft}"
mpirun_flags=(--oversubscribe --bind-to none)
[ "$(id -u)" -eq 0 ] && mpirun_flags+=(--allow-run-as-root)

mkdir -p "$out"
pool=$out/pool
[ -d "$pool" ] || "$salient" --log-level warn synth --count "$STUDY_POOL_IMAGES" --size 128 --seed 7 --out "$pool"
started=$(date +%s)
for strategy in $STUDY_STRATEGIES; do
  tuning=acft-lq
  [ "$strategy" = acft ] && tuning=acft-hq
  for seed in $STUDY_SEEDS; do
    study=$out/$strategy-seed$seed
    echo "== $strategy, seed $seed ($(($(date +%s) - started)) s)"
    mpirun -np 2 "${mpirun_flags[@]}" "$salient" --log-level warn run --study "$study" --pool "$pool" \
      --model small-cnn --input-size 64 --seed "$seed" --strategy "$strategy" --budget "$STUDY_BUDGET" \
      --rounds "$STUDY_ROUNDS" --epochs "$STUDY_EPOCHS" --learning-rate 0.001 --fine-tuning "$tuning" \
      --threads 1 --no-progress --montage-count 0 | tail -2
  done
done
echo "all runs: $(($(date +%s) - started)) s on $(nproc) cores, $(date -u +%F)"
"$python" "$root/bench/study_report.py" "$out" $STUDY_STRATEGIES
