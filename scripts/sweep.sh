#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 OR MIT
# The exploration job: builds smmu_vp and runs the small sample sweep (tools/sweep/examples/
# small.json: the six sample traces over TLB sizes and walk slots). Leaves the CSV, the plots
# and the report in build/sweep-small/ (results.csv, plots/*.png, report.md). Arguments go to
# `smmu_sweep run` (e.g. -j 4, --backend gnu-parallel); tools/sweep/README.md describes it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target smmu_vp >/dev/null
/usr/bin/python3 tools/sweep/smmu_sweep run tools/sweep/examples/small.json -o build/sweep-small \
  --smmu-vp build/model/smmu_vp "$@"
echo "report: build/sweep-small/report.md (CSV: build/sweep-small/results.csv, plots: build/sweep-small/plots/)"
