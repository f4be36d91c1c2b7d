#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 OR MIT
# The main job: builds the project and runs the virtual platform (smmu_vp) on its built-in
# default scenario; arguments go to smmu_vp (a scenario file, --json FILE, --vcd FILE, --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target smmu_vp >/dev/null
exec build/model/smmu_vp "$@"
