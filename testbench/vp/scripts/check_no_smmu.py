#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Vp.NoSmmuReplaySameResults: a small traces/gen/large_footprint.py trace (10^4 transactions over
2^10 pages, scattered and streaming) replayed through smmu_vp with and without the SMMU in the path
(--no-smmu) gives every transaction the same outcome (all OK) and the same final memory; the
generator's output is the same for the same seed and differs for another.

usage: check_no_smmu.py SMMU_VP GENERATOR WORKDIR
"""
import filecmp
import json
import os
import subprocess
import sys

vp, gen, work = sys.argv[1:4]


def generate(out, *extra):
    subprocess.run([sys.executable, gen, "--out", out, "--count", "10000", "--pages", "1024"] +
                   list(extra), check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, "large_footprint.trace")


def replay(trace, *extra):
    rj = os.path.join(os.path.dirname(trace), "r%s.json" % "".join(extra).replace("-", "_"))
    p = subprocess.run([vp, "--trace", trace, "--timing", "asap", "-q", "--json", rj] +
                       list(extra))
    if p.returncode != 0:
        sys.exit("smmu_vp %s exited %d" % (" ".join(extra), p.returncode))
    with open(rj) as f:
        return json.load(f)


def fail(msg):
    sys.exit("FAIL: " + msg)


# determinism
a = generate(os.path.join(work, "a"))
b = generate(os.path.join(work, "b"))
c = generate(os.path.join(work, "c"), "--seed", "2")
for ext in (".trace", ".json"):
    if not filecmp.cmp(a[:-6] + ext, b[:-6] + ext, shallow=False):
        fail("two runs with the same seed wrote different %s files" % ext)
if filecmp.cmp(a, c, shallow=False):
    fail("seeds 1 and 2 wrote the same trace")

for trace in (a, generate(os.path.join(work, "s"), "--pattern", "stream", "--streams", "2",
                          "--size", "256")):
    with_smmu = replay(trace)
    without = replay(trace, "--no-smmu")
    for r, what in ((with_smmu, "with"), (without, "without")):
        if not r["passed"] or r["transactions"] != 10000:
            fail("%s the SMMU: passed %s, %d transactions" % (what, r["passed"], r["transactions"]))
        for fl in r["flows"]:
            if fl["errors"] or fl["ok"] != fl["transactions"]:
                fail("%s the SMMU: flow %s: %d ok, %d errors" % (what, fl["flow"], fl["ok"],
                                                              fl["errors"]))
    if [(f["flow"], f["ok"], f["reads"], f["writes"], f["bytes"]) for f in with_smmu["flows"]] != \
            [(f["flow"], f["ok"], f["reads"], f["writes"], f["bytes"]) for f in without["flows"]]:
        fail("different per-stream results with and without the SMMU")
    if with_smmu["memory_checksum"] != without["memory_checksum"]:
        fail("different final memory with (%s) and without (%s) the SMMU" % (
            with_smmu["memory_checksum"], without["memory_checksum"]))
    if not without.get("no_smmu") or with_smmu.get("no_smmu"):
        fail("the report's no_smmu flag is wrong")
    translations = sum(s["translations"] for s in without["smmus"])
    if translations:
        fail("--no-smmu: the SMMU translated %d transactions" % translations)
    print("%s: same outcomes and memory (%s) with and without the SMMU" % (
        os.path.basename(os.path.dirname(trace)), with_smmu["memory_checksum"]))
print("PASS")
