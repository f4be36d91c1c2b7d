#!/usr/bin/env bash
# Runs the libFuzzer targets for as long as wanted (issue 6):
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 600 s, all targets
# New inputs that increase coverage are kept in build-fuzz/corpus-<target>/; crashes are
# written to build-fuzz/artifacts/ (copy one into testbench/fuzz/corpus/<target>/ and add a
# regression test before fixing it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
secs=${1:-600}
shift || true
targets=${*:-regs_cmds tables drv}
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DSMMU_FUZZ=ON -DSMMU_SANITIZE=ON \
  -DSMMU_BUILD_TESTS=OFF -DSMMU_BUILD_EXAMPLES=OFF -DSMMU_BUILD_SYSTEMC=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null
mkdir -p build-fuzz/artifacts
for t in $targets; do
  mkdir -p "build-fuzz/corpus-$t"
  echo "== fuzz_$t for ${secs}s"
  build-fuzz/testbench/fuzz/fuzz_"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/ \
    "build-fuzz/corpus-$t" "testbench/fuzz/corpus/$t" 2>&1 |
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY|Done" || true
done
