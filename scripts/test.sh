#!/usr/bin/env bash
# The whole test suite: a normal build and an ASan+UBSan build, each built and run with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSMMU_SANITIZE=ON -DSMMU_BUILD_EXAMPLES=ON
cmake --build build-asan -j"$jobs"
echo "== sanitizer build (ASan + UBSan) =="
(cd build-asan && ctest --output-on-failure -j"$jobs")
echo "== release build =="
(cd build && ctest --output-on-failure -j"$jobs")
