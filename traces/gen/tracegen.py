# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Shared helpers of the sample-trace generators (Python 3 standard library only).

Each generator writes <name>.trace (traces/FORMAT.md) and <name>.json (the smmu_vp scenario the
trace replays on: domains, mappings, stream attachments; no masters) into traces/samples/ or the
directory given with --out. Output is deterministic for a given --seed.
"""
import argparse
import json
import os
import random

SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")
ALIGN = 0x10000  # every mapping is 64 KiB aligned so that a sweep can use any granule


def args(description, default_count):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--out", default=os.path.normpath(SAMPLES), help="output directory")
    p.add_argument("--seed", type=int, default=1, help="random seed")
    p.add_argument("--count", type=int, default=default_count,
                   help="work items (packets, commands, ...) to generate")
    return p.parse_args()


def rng(seed):
    return random.Random(seed)


def mapping(iova, pa, size, prot="rw"):
    for v in (iova, pa, size):
        assert v % ALIGN == 0, "mappings must be 64 KiB aligned"
    return {"iova": hex(iova), "pa": hex(pa), "size": hex(size), "prot": prot}


def scenario(name, domains, streams, smmu_extra=None):
    smmu = {"name": "smmu0", "domains": domains, "streams": streams}
    if smmu_extra:
        smmu.update(smmu_extra)
    return {"name": name, "duration_ns": 100000000, "smmus": [smmu]}


class Trace:
    """Collects transactions; write() sorts them by time (stable) and writes the file."""

    def __init__(self, name, comment):
        self.name = name
        self.comment = comment
        self.txns = []

    def add(self, t, sid, ssid, addr, size, write, flags="-"):
        assert size >= 1
        self.txns.append((int(t), sid, ssid, addr, size, "W" if write else "R", flags))

    def write(self, outdir, scen):
        os.makedirs(outdir, exist_ok=True)
        self.txns.sort(key=lambda x: x[0])
        with open(os.path.join(outdir, self.name + ".json"), "w") as f:
            json.dump(scen, f, indent=2)
            f.write("\n")
        with open(os.path.join(outdir, self.name + ".trace"), "w") as f:
            f.write("smmu-trace 1\n")
            f.write("name %s\n" % self.name)
            f.write("scenario %s.json\n" % self.name)
            for line in self.comment.strip().splitlines():
                f.write("# %s\n" % line)
            f.write("# time_ns sid ssid address size dir flags\n")
            for t, sid, ssid, addr, size, d, flags in self.txns:
                f.write("%d 0x%x %s 0x%x %d %s %s\n" % (
                    t, sid, "-" if ssid is None else str(ssid), addr, size, d, flags))
        print("%s: %d transactions -> %s" % (self.name, len(self.txns),
                                              os.path.join(outdir, self.name + ".trace")))


def scattered(iova, pa, size, r, prot="rw"):
    """Maps [iova, iova + size) in 64 KiB pieces to the 64 KiB frames of [pa, pa + size) in a
    random order, as an OS allocating physical memory page by page would: no block mappings, so
    the TLB and walk caches see page-sized translations (4 KiB pages with a 4 KiB granule)."""
    frames = list(range(size // ALIGN))
    r.shuffle(frames)
    return [mapping(iova + i * ALIGN, pa + f * ALIGN, ALIGN, prot) for i, f in enumerate(frames)]
