#!/usr/bin/env bash
# Configures and builds one CMake preset (default: "default", CUDA twins when nvcc exists).
#   scripts/build.sh [preset]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${1:-default}
cd "$root"
cmake --preset "$preset"
cmake --build --preset "$preset"
