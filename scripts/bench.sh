#!/usr/bin/env bash
# Runs the benchmarks (issue 5) from a fresh clone: builds the project and runs the core
# benchmark with repetitions, printing the table (medians) and the ratio lines.
#   scripts/bench.sh [extra Google Benchmark flags]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target bench_core >/dev/null
build/testbench/bench/bench_core --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true "$@"
