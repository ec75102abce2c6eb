#!/usr/bin/env bash
# README command (a): install, build, and run the main job on the embedded default.
# Today the main job makes the embedded phantom pool, verifies it, and runs the
# installation self-test on 2 MPI ranks; it grows into a full active-learning round.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/install-deps.sh
scripts/build.sh default
salient=build/default/salient
$salient --version
demo=build/demo
$salient synth --count 2000 --size 128 --seed 1 --out "$demo/pool" --montage "$demo/pool-montage.png"
$salient inspect "$demo/pool" --verify
mpirun_flags=(-np 2)
# Open MPI refuses to start as root (containers) unless told it is intended.
[ "$(id -u)" -eq 0 ] && mpirun_flags+=(--allow-run-as-root)
mpirun "${mpirun_flags[@]}" $salient selftest
