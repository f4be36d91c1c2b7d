#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 OR MIT
# Runs the benchmarks (issue 5) from a fresh clone: installs the Debian packages (scripts/deps.sh),
# builds RelWithDebInfo, runs the core benchmark (Google Benchmark), the SystemC/TLM benchmark and
# the virtual platform's default scenario, each with repetitions, and prints ONE table of medians
# followed by the ratio lines. Takes about 3-5 minutes on 2 cores (build included).
#
#   scripts/bench.sh [extra Google Benchmark flags for bench_core, e.g. --benchmark_filter=TlbHit]
#
# Environment: BUILD_DIR (default: build), REPS (repetitions, default 5), VP_RUNS (runs of the
# virtual platform, default 11). The full output of
# every run is kept in $BUILD_DIR/bench-results/ (core.txt, tlm.txt, vp-*.txt, summary.tsv).
# Run it on an otherwise idle machine and without nice: the figures are wall-clock times.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD_DIR:-build}
REPS=${REPS:-5}
VP_RUNS=${VP_RUNS:-11}
scripts/deps.sh
# run LOG COMMAND...: output to LOG; on failure show its end and stop.
run() {
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "bench.sh: failed: $* (full output: $log)" >&2
    exit 1
  fi
}
OUT="$B/bench-results"
mkdir -p "$OUT"
rm -f "$OUT"/*.tsv "$OUT"/*.txt
run "$OUT/configure.txt" cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo
targets=(bench_core)
if grep -q '^SMMU_BUILD_SYSTEMC:BOOL=ON' "$B/CMakeCache.txt"; then
  targets+=(bench_tlm smmu_vp)
fi
echo "building ${targets[*]} in $B (RelWithDebInfo) ..."
run "$OUT/build.txt" cmake --build "$B" -j"$(nproc)" --target "${targets[@]}"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

echo "core: bench_core, $REPS repetitions ..."
run "$OUT/core.txt" "$B/testbench/bench/bench_core" --benchmark_repetitions="$REPS" \
  --benchmark_report_aggregates_only=true --benchmark_min_time=0.1 \
  --summary_out="$OUT/core.tsv" "$@"
if [ -x "$B/testbench/bench/bench_tlm" ]; then
  echo "TLM: bench_tlm, $REPS repetitions ..."
  run "$OUT/tlm.txt" "$B/testbench/bench/bench_tlm" --reps="$REPS" --summary_out="$OUT/tlm.tsv"
  # The default scenario is short (a few hundred transactions, milliseconds): many runs.
  echo "virtual platform: smmu_vp default scenario, $VP_RUNS runs ..."
  for i in $(seq "$VP_RUNS"); do
    run "$OUT/vp-$i.txt" "$B/model/smmu_vp"
    sed -n 's/.*wall-clock \([0-9.]*\) transactions\/s.*/\1/p' "$OUT/vp-$i.txt"
  done | sort -n | awk '{v[NR] = $1} END {if (NR) printf "vp\tVP_default_scenario\t%s\t\t\n", v[int((NR + 1) / 2)]}' \
    >"$OUT/vp.tsv"
fi
cat "$OUT"/core.tsv "$OUT"/tlm.tsv "$OUT"/vp.tsv 2>/dev/null >"$OUT/summary.tsv" || true

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "medians of $REPS repetitions (virtual platform: median of $VP_RUNS runs)"
awk -F'\t' '
function num(x) { return x + 0 }
{ name[NR] = $2; val[$2] = num($3); cpu[$2] = num($4); note[NR] = $5; kind[NR] = $1; n = NR }
END {
  printf "%-26s %13s %11s  %s\n", "benchmark", "median", "cpu", "counters / notes"
  for (i = 1; i <= n; i++) {
    if (kind[i] == "vp")
      printf "%-26s %9.0f t/s %11s  %s\n", name[i], val[name[i]], "", "wall-clock transactions per second"
    else
      printf "%-26s %10.1f ns %8.1f ns  %s\n", name[i], val[name[i]], cpu[name[i]], note[i]
  }
  print ""
  print "ratios (same run, medians):"
  split("1 64 4096 1048576", pg, " ")
  for (k = 1; k <= 4; k++)
    r("BM_TlbHit/" pg[k], "BM_BareHash/" pg[k], "core TLB hit / bare hash, " pg[k] " pages")
  for (k = 1; k <= 4; k++)
    r("BM_TlbHitFast/" pg[k], "BM_BareHash/" pg[k], "core fast TLB hit / bare hash, " pg[k] " pages")
  r("BM_TlbHitFastMemo/1048576/2097152", "BM_BareHash/1048576", "core fast TLB hit, 2^21-entry memo / bare hash, 2^20")
  r("BM_TlbHitHandle/64", "BM_BareHash/64", "core handle TLB hit / bare hash, 64 pages")
  r("BM_TlbHitHandle/4096", "BM_BareHash/4096", "core handle TLB hit / bare hash, 4096 pages")
  r("BM_TlbHitHandle/20", "BM_BareHash/1048576", "core handle TLB hit, 2^21-entry memo / bare hash, 2^20")
  r("BM_TlbHitHandleBatch/64", "BM_BareHash/64", "core handle batch TLB hit / bare hash, 64 pages")
  r("BM_TlbHitHandleBatch/4096", "BM_BareHash/4096", "core handle batch TLB hit / bare hash, 4096 pages")
  r("BM_TlbHitHandleBatch/20", "BM_BareHash/1048576", "core handle batch TLB hit, 2^21-entry memo / bare hash, 2^20")
  r("BM_HostMem/14", "BM_BareWalk/14/0", "core TLB miss / bare 4-level walk, 2^14 pages")
  r("BM_HostMem/20", "BM_BareWalk/20/0", "core TLB miss / bare 4-level walk, 2^20 pages")
  r("BM_HostMem/20", "BM_BareWalk/20/1", "core TLB miss / serial bare walk, 2^20 pages")
  r("BM_HostMemBatch/20/32", "BM_BareWalk/20/0", "core TLB miss, batches of 32 / bare walk, 2^20")
  r("BM_HostMemBatch/20/32", "BM_HostMem/20", "core TLB miss, batches of 32 / unbatched, 2^20")
  r("BM_Stream/0", "BM_BareWalkStream/0", "core streaming miss / bare walk (gpu_stream-like)")
  r("BM_Stream/32", "BM_BareWalkStream/0", "core streaming miss, batches of 32 / bare walk")
  r("TLM_lt_hit/smmu", "TLM_lt_hit/direct", "TLM LT, TLB hits: via SMMU / direct")
  r("TLM_lt_utlb/smmu", "TLM_lt_utlb/direct", "TLM LT, micro-TLB hits: via SMMU / direct")
  r("TLM_lt_walk/smmu", "TLM_lt_walk/direct", "TLM LT, misses (4-level walk): via SMMU / direct")
  r("TLM_dmi/smmu", "TLM_dmi/direct", "TLM DMI: via SMMU grant / direct grant")
  r("TLM_at/smmu", "TLM_at/direct", "TLM AT, TLB hits: via SMMU / direct")
  r("BM_StreamsHot/20", "BM_StreamsHot/8", "streams 2^20 / 2^8, hot config caches")
  r("BM_StreamsCold/20", "BM_StreamsCold/8", "streams 2^20 / 2^8, cold (caches off)")
  r("BM_SubstreamsHot/20", "BM_SubstreamsHot/8", "SubstreamIDs 2^20 / 2^8, hot")
  r("BM_SubstreamsCold/20", "BM_SubstreamsCold/8", "SubstreamIDs 2^20 / 2^8, cold")
  if ("VP_default_scenario" in val)
    printf "  %-50s %.0f transactions/s (wall-clock)\n", "default scenario (smmu_vp)", val["VP_default_scenario"]
}
function r(a, b, label) {
  if ((a in val) && (b in val) && val[b] > 0 && cpu[b] > 0)
    printf "  %-50s %9.1f / %9.1f ns = %5.2fx  (cpu %.2fx)\n", label, val[a], val[b], val[a] / val[b], cpu[a] / cpu[b]
}' "$OUT/summary.tsv"
echo
echo "full output: $OUT/"
