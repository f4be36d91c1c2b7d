#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 OR MIT
# Runs the libFuzzer targets (issues 6, 21). Three modes:
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 600 s, all targets, one process
#       New inputs that increase coverage are kept in build-fuzz/corpus-<target>/; crashes are
#       written to build-fuzz/artifacts/ (copy one into testbench/fuzz/corpus/<target>/ and add a
#       regression test before fixing it). The full log of each run: <build>/fuzz-<target>.log.
#
#   scripts/fuzz.sh campaign (-t SECONDS | -n EXECUTIONS) [-j JOBS] [--no-merge] [TARGET...]
#       Splits a total budget (wall seconds, or executions) evenly over the targets and runs them
#       one after the other, each with JOBS parallel libFuzzer jobs (-jobs / -workers; default:
#       every core, nproc) sharing <build>/corpus-<target>/. Afterwards each corpus is minimized
#       (-merge=1) together with the committed seeds into testbench/fuzz/corpus/<target>/: the
#       hand-named seeds (regression inputs, hand-made programs) are always kept, the
#       hash-named ones are replaced by the merge's minimal set. Prints per target: executions,
#       exec/s (wall), corpus size and findings (artifacts: crash-, leak-, timeout-, oom-).
#       Logs in <build>/campaign/<target>/fuzz-<job>.log, artifacts in
#       <build>/campaign/<target>/artifacts/.
#
#   scripts/fuzz.sh coverage [TARGET...]
#       Builds the targets with clang source-based coverage (-fprofile-instr-generate
#       -fcoverage-mapping, no sanitizers) in <build>-cov/, replays the committed corpora
#       (testbench/fuzz/corpus/<target>/ and, when present, <build>/corpus-<target>/) and reports
#       the line coverage of c_core/src with llvm-cov-14 (summary per file, total, and the
#       uncovered lines in <build>-cov/uncovered.txt).
#
# FUZZ_BUILD=<dir> uses another build directory (default build-fuzz). A target with a dictionary
# (testbench/fuzz/<target>.dict) runs with it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
b=${FUZZ_BUILD:-build-fuzz}
# axi: the AXI pin target (SystemC); the coverage mode measures c_core/src with the core targets
core_targets="regs_cmds tables drv restore trace cache_diff"
all_targets="$core_targets axi"

build_fuzz() {
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$b" -DSMMU_FUZZ=ON -DSMMU_SANITIZE=ON \
    -DSMMU_BUILD_TESTS=OFF -DSMMU_BUILD_EXAMPLES=OFF -DSMMU_BUILD_SYSTEMC=ON \
    -DSMMU_BUILD_COSIM=OFF -DSMMU_FUZZ_AXI=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  local tg=()
  for t in "$@"; do tg+=(--target "fuzz_$t"); done
  cmake --build "$b" -j"$(nproc)" "${tg[@]}" >/dev/null
}

dict_of() { # absolute: the campaign's jobs run in their log directory
  [ -f "testbench/fuzz/$1.dict" ] && echo "-dict=$PWD/testbench/fuzz/$1.dict" || true
}

# ------------------------------------------------------------------ campaign
campaign() {
  local secs="" runs="" jobs merge=1 targets=()
  jobs=$(nproc)
  while [ $# -gt 0 ]; do
    case "$1" in
    -t) secs=$2; shift 2 ;;
    -n) runs=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --no-merge) merge=0; shift ;;
    *) targets+=("$1"); shift ;;
    esac
  done
  [ ${#targets[@]} -eq 0 ] && read -r -a targets <<<"$all_targets"
  if [ -z "$secs" ] && [ -z "$runs" ]; then
    echo "campaign: give -t SECONDS or -n EXECUTIONS" >&2
    exit 2
  fi
  build_fuzz "${targets[@]}"
  local k=${#targets[@]} limit
  if [ -n "$secs" ]; then
    limit=(-max_total_time=$((secs / k)))
  else
    runs=$(printf '%.0f' "$runs")
    limit=(-runs=$((runs / k / jobs)))
  fi
  local summary=()
  for t in "${targets[@]}"; do
    local w="$b/campaign/$t"
    rm -rf "$w/logs"
    mkdir -p "$w/artifacts" "$w/logs" "$b/corpus-$t"
    local d
    d=$(dict_of "$t")
    echo "== fuzz_$t: ${limit[*]} x $jobs jobs"
    local t0 t1
    t0=$(date +%s.%N)
    # -jobs runs each job in its own process (the logs go to fuzz-<n>.log in the working
    # directory); every job reads and extends the shared corpus.
    local r=$PWD
    (cd "$w/logs" && "$r/$b/testbench/fuzz/fuzz_$t" -jobs="$jobs" -workers="$jobs" \
      "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$r/$w/artifacts/" ${d:+"$d"} "$r/$b/corpus-$t" \
      "$r/testbench/fuzz/corpus/$t" >/dev/null 2>&1) || true
    t1=$(date +%s.%N)
    local execs finds wall
    execs=$(cat "$w"/logs/fuzz-*.log 2>/dev/null | awk '/stat::number_of_executed_units/ {s += $2} END {print s + 0}')
    finds=$(find "$w/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    wall=$(echo "$t1 - $t0" | bc)
    local ncorp
    ncorp=$(find "$b/corpus-$t" -type f | wc -l)
    if [ "$merge" = 1 ]; then
      merge_into_seeds "$t"
    fi
    local nseed
    nseed=$(find "testbench/fuzz/corpus/$t" -type f | wc -l)
    summary+=("$(printf '%-12s %12s %10.0f %8s %8s %8s' "$t" "$execs" "$(echo "$execs / $wall" | bc -l)" "$ncorp" "$nseed" "$finds")")
  done
  printf '%-12s %12s %10s %8s %8s %8s\n' target executions exec/s corpus seeds findings
  printf '%s\n' "${summary[@]}"
}

# The committed seeds of t become: the hand-named ones (kept whatever the merge says: regression
# inputs and hand-made programs) + the minimal set -merge=1 picks from the hash-named seeds and
# the campaign corpus.
merge_into_seeds() {
  local t=$1 s="testbench/fuzz/corpus/$1" m="$b/campaign/$1/merged"
  rm -rf "$m"
  mkdir -p "$m"
  "$b/testbench/fuzz/fuzz_$t" -merge=1 -timeout=10 -rss_limit_mb=2048 "$m" "$s" "$b/corpus-$t" \
    >"$b/campaign/$t/merge.log" 2>&1
  find "$s" -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}' -delete
  local hand
  hand=$(find "$s" -type f -exec sha1sum {} + | cut -c1-40)
  for f in "$m"/*; do
    [ -e "$f" ] || continue
    local n
    n=$(sha1sum "$f" | cut -c1-40)
    grep -q "$n" <<<"$hand" || cp "$f" "$s/$n" # not the bytes of a hand-named seed
  done
}

# ------------------------------------------------------------------ coverage
coverage() {
  local targets=("$@")
  [ ${#targets[@]} -eq 0 ] && read -r -a targets <<<"$core_targets"
  local c="$b-cov"
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$c" -DSMMU_FUZZ=ON -DSMMU_FUZZ_COVERAGE=ON \
    -DSMMU_BUILD_TESTS=OFF -DSMMU_BUILD_EXAMPLES=OFF -DSMMU_BUILD_SYSTEMC=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  local tg=() objs=()
  for t in "${targets[@]}"; do tg+=(--target "fuzz_$t"); done
  cmake --build "$c" -j"$(nproc)" "${tg[@]}" >/dev/null
  rm -rf "$c/profiles"
  mkdir -p "$c/profiles"
  for t in "${targets[@]}"; do
    local dirs=("testbench/fuzz/corpus/$t")
    [ -d "$b/corpus-$t" ] && dirs+=("$b/corpus-$t")
    # -runs=0: execute every corpus input once, no fuzzing
    LLVM_PROFILE_FILE="$c/profiles/$t-%p.profraw" "$c/testbench/fuzz/fuzz_$t" -runs=0 \
      -rss_limit_mb=4096 "${dirs[@]}" >"$c/replay-$t.log" 2>&1
    objs+=(-object "$c/testbench/fuzz/fuzz_$t")
  done
  llvm-profdata-14 merge -sparse "$c"/profiles/*.profraw -o "$c/fuzz.profdata"
  local first=${objs[1]}
  llvm-cov-14 report "$first" "${objs[@]:2}" -instr-profile="$c/fuzz.profdata" \
    "$PWD/c_core/src" | tee "$c/coverage.txt"
  llvm-cov-14 show "$first" "${objs[@]:2}" -instr-profile="$c/fuzz.profdata" \
    -show-line-counts-or-regions "$PWD/c_core/src" >"$c/coverage-show.txt"
  # the uncovered lines: "<file>:<line>: <source>"
  awk '/^\/.*\.c:$/ {f = $0; sub(/:$/, "", f)} /^ *[0-9]+\| *0\|/ {split($0, a, "|"); l = a[1]; gsub(/ /, "", l); s = $0; sub(/^[^|]*\|[^|]*\|/, "", s); print f ":" l ":" s}' \
    "$c/coverage-show.txt" >"$c/uncovered.txt"
  echo "uncovered lines: $(wc -l <"$c/uncovered.txt") (in $c/uncovered.txt)"
}

case "${1:-}" in
campaign)
  shift
  campaign "$@"
  exit 0
  ;;
coverage)
  shift
  coverage "$@"
  exit 0
  ;;
esac

# ------------------------------------------------------------------ seconds per target
secs=${1:-600}
shift || true
targets=${*:-$all_targets}
read -r -a tl <<<"$targets"
build_fuzz "${tl[@]}"
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
