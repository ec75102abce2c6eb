#!/usr/bin/env bash
# README command (a): install, build, and run the main job on the embedded default.
# Today the main job is the installation self-test on 2 MPI ranks; it grows with salient.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/install-deps.sh
scripts/build.sh default
build/default/salient --version
mpirun_flags=(-np 2)
# Open MPI refuses to start as root (containers) unless told it is intended.
[ "$(id -u)" -eq 0 ] && mpirun_flags+=(--allow-run-as-root)
mpirun "${mpirun_flags[@]}" build/default/salient selftest
