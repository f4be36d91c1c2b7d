#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 OR MIT
# Runs the libFuzzer targets for as long as wanted (issue 6):
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 600 s, all targets
# New inputs that increase coverage are kept in build-fuzz/corpus-<target>/; crashes are
# written to build-fuzz/artifacts/ (copy one into testbench/fuzz/corpus/<target>/ and add a
# regression test before fixing it). FUZZ_BUILD=<dir> uses another build directory. A target
# with a dictionary (testbench/fuzz/<target>.dict) runs with it; the full log of each run is
# kept in <build>/fuzz-<target>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
secs=${1:-600}
shift || true
targets=${*:-regs_cmds tables drv trace cache_diff axi}
b=${FUZZ_BUILD:-build-fuzz}
CC=clang-14 CXX=clang++-14 cmake -S . -B "$b" -DSMMU_FUZZ=ON -DSMMU_SANITIZE=ON \
  -DSMMU_BUILD_TESTS=OFF -DSMMU_BUILD_EXAMPLES=OFF -DSMMU_BUILD_SYSTEMC=ON \
  -DSMMU_BUILD_COSIM=OFF -DSMMU_FUZZ_AXI=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$b" -j"$(nproc)" >/dev/null
mkdir -p "$b/artifacts"
for t in $targets; do
  mkdir -p "$b/corpus-$t"
  dict=()
  [ -f "testbench/fuzz/$t.dict" ] && dict=(-dict="testbench/fuzz/$t.dict")
  echo "== fuzz_$t for ${secs}s"
  "$b/testbench/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$b/artifacts/" "${dict[@]}" \
    "$b/corpus-$t" "testbench/fuzz/corpus/$t" 2>&1 | tee "$b/fuzz-$t.log" |
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY|Done" || true
  echo "corpus-$t: $(find "$b/corpus-$t" -type f | wc -l) inputs"
done
