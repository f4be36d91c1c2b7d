#!/usr/bin/env bash
# The main job: builds the project and runs the demo on its built-in default scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target quickstart >/dev/null
exec build/examples/quickstart "$@"
