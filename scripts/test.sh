#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 OR MIT
# The whole test suite: a Release build (gcc), a Release build with clang, an ASan+UBSan build,
# a TSan build of the core and bounded fuzz runs, each built and run with ctest, then the Linux
# boots in QEMU (scripts/qemu-linux.sh). Warnings are errors here (SMMU_WERROR), as they are not
# in a user's build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --qemu
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSMMU_WERROR=ON
cmake --build build -j"$jobs"
# The same plain Release configuration with clang: what a user types must build with both.
CC=clang-14 CXX=clang++-14 cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Release -DSMMU_WERROR=ON
cmake --build build-clang -j"$jobs"
# The Verilated RTL is left out of the sanitizer build (its generated C++ takes minutes to compile
# and is not our code); the co-simulation tests run in the normal builds.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSMMU_SANITIZE=ON -DSMMU_BUILD_EXAMPLES=ON \
  -DSMMU_BUILD_COSIM=OFF -DSMMU_WERROR=ON
cmake --build build-asan -j"$jobs"
# ThreadSanitizer (clang): the core suites, with the concurrency stress test that checks the
# "concurrent use" contract of smmu.h. The SystemC layer is single-threaded and left out.
CC=clang-14 CXX=clang++-14 cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMMU_TSAN=ON \
  -DSMMU_BUILD_SYSTEMC=OFF -DSMMU_BUILD_COSIM=OFF -DSMMU_WERROR=ON
cmake --build build-tsan -j"$jobs"
# The fuzz targets (clang, libFuzzer, ASan + UBSan) run for a short bounded time each. The
# SystemC layer is built for the AXI pin target (fuzz_axi: the bridge, no Verilator).
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DSMMU_FUZZ=ON -DSMMU_SANITIZE=ON \
  -DSMMU_BUILD_TESTS=OFF -DSMMU_BUILD_EXAMPLES=OFF -DSMMU_BUILD_SYSTEMC=ON \
  -DSMMU_BUILD_COSIM=OFF -DSMMU_FUZZ_AXI=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMMU_WERROR=ON
cmake --build build-fuzz -j"$jobs"
echo "== fuzz targets (bounded) =="
(cd build-fuzz && ctest --output-on-failure -j"$jobs")
echo "== thread sanitizer build (TSan) =="
(cd build-tsan && ctest --output-on-failure -j"$jobs")
echo "== sanitizer build (ASan + UBSan) =="
(cd build-asan && ctest --output-on-failure -j"$jobs")
echo "== clang Release build =="
(cd build-clang && ctest --output-on-failure -j"$jobs")
echo "== gcc Release build =="
(cd build && ctest --output-on-failure -j"$jobs")
# The real Linux arm-smmu-v3 driver on libsmmu in QEMU's virt machine (docs/qemu.md): QEMU and
# the arm64 kernel come through Debian's tools, cached in build-qemu/; "N passed, N failed".
echo "== Linux on libsmmu in QEMU =="
scripts/qemu-linux.sh
