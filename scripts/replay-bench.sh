#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 OR MIT
# Large-trace replay benchmark (issue 18): generates a trace of COUNT transactions over PAGES
# 4 KiB pages (traces/gen/large_footprint.py; default 10^7 over 2^20, about 340 MB, written into
# the build directory, never committed), replays it through smmu_vp with and without the SMMU in
# the path (--no-smmu), alternately, RUNS times each (--timing asap), and prints the medians of
# the wall-clock replay speed (transactions/s over the traffic, smmu_vp's "Replay speed" line)
# and their ratio; then runs a small sweep on the trace (SWEEP_RUNS runs, tools/sweep) and prints
# its runs per minute.
#
#   scripts/replay-bench.sh
#
# Environment: BUILD_DIR (default: build; smmu_vp is built there, Release, when missing), COUNT,
# PAGES, PATTERN (scattered | stream), STREAMS, SIZE, WRITES (generator options), RUNS (default
# 3), SWEEP_RUNS (default 2: tlb_entries 256 and 1024), SWEEP_JOBS (default 2; 0: no sweep).
# Each replay of the default trace needs about 7 GB of memory (the trace, the simulated memory's
# pages); outputs are kept in $BUILD_DIR/replay-bench/. Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD_DIR:-build}
COUNT=${COUNT:-10000000}
PAGES=${PAGES:-1048576}
PATTERN=${PATTERN:-scattered}
STREAMS=${STREAMS:-1}
SIZE=${SIZE:-64}
WRITES=${WRITES:-0.25}
RUNS=${RUNS:-3}
SWEEP_RUNS=${SWEEP_RUNS:-2}
SWEEP_JOBS=${SWEEP_JOBS:-2}
OUT="$B/replay-bench"
VP="$B/model/smmu_vp"
mkdir -p "$OUT"
if [ ! -x "$VP" ]; then
  cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release >"$OUT/configure.txt"
  cmake --build "$B" -j2 --target smmu_vp >"$OUT/build.txt"
fi
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

# the trace, regenerated when its parameters change
params="--count $COUNT --pages $PAGES --pattern $PATTERN --streams $STREAMS --size $SIZE --writes $WRITES"
T="$OUT/large_footprint.trace"
if [ ! -f "$T" ] || [ "$(cat "$OUT/params" 2>/dev/null)" != "$params" ]; then
  echo "generating $T ($params) ..."
  # shellcheck disable=SC2086
  python3 traces/gen/large_footprint.py --out "$OUT" $params >/dev/null
  echo "$params" >"$OUT/params"
fi

# one replay: prints "<tx/s over the traffic> <setup s> <total s>"
replay() {
  local tag=$1
  shift
  local t0 t1
  t0=$(date +%s.%N)
  "$VP" --trace "$T" --timing asap -q --json "$OUT/$tag.json" "$@"
  t1=$(date +%s.%N)
  python3 - "$OUT/$tag.json" "$t0" "$t1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["passed"], "the replay did not pass"
print("%.0f %.3f %.3f" % (r["traffic_wall_transactions_per_second"], r["setup_wall_seconds"],
                          float(sys.argv[3]) - float(sys.argv[2])))
PY
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

: >"$OUT/runs.tsv"
for i in $(seq "$RUNS"); do
  for mode in smmu nosmmu; do
    if [ $mode = smmu ]; then line=$(replay "smmu-$i"); else line=$(replay "nosmmu-$i" --no-smmu); fi
    echo "$mode $line" | tee -a "$OUT/runs.tsv"
  done
done
with=$(awk '$1=="smmu"{print $2}' "$OUT/runs.tsv" | median)
without=$(awk '$1=="nosmmu"{print $2}' "$OUT/runs.tsv" | median)
setup=$(awk '$1=="smmu"{print $3}' "$OUT/runs.tsv" | median)
total=$(awk '$1=="smmu"{print $4}' "$OUT/runs.tsv" | median)
echo
echo "trace: $COUNT transactions over $PAGES pages ($PATTERN, $STREAMS streams, $SIZE B, writes $WRITES)"
printf "replay with the SMMU:    %10.0f transactions/s (median of %d; host setup %.2f s, whole run %.1f s)\n" \
  "$with" "$RUNS" "$setup" "$total"
total0=$(awk '$1=="nosmmu"{print $4}' "$OUT/runs.tsv" | median)
printf "replay without the SMMU: %10.0f transactions/s (median of %d; whole run %.1f s)\n" \
  "$without" "$RUNS" "$total0"
awk -v a="$with" -v b="$without" 'BEGIN {printf "ratio (time with / without): %.2fx (target <= 2x)\n", b / a}'

if [ "$SWEEP_JOBS" -gt 0 ]; then
  vals=$(python3 -c "print(', '.join(str(256 << (2 * i)) for i in range($SWEEP_RUNS)))")
  cat >"$OUT/sweep.json" <<JSON
{
  "name": "large_footprint",
  "description": "issue 18: runs per minute on the large-trace replay",
  "inputs": [{"name": "large", "trace": "large_footprint.trace", "args": ["--timing", "asap"]}],
  "parameters": {"tlb_entries": [$vals]},
  "record": false,
  "timeout_s": 3600
}
JSON
  /usr/bin/python3 tools/sweep/smmu_sweep run "$OUT/sweep.json" -o "$OUT/sweep" -j "$SWEEP_JOBS" \
    --smmu-vp "$VP" --no-plots 2>&1 | tee "$OUT/sweep.txt" | grep -E "runs in|runs/min" || true
fi
