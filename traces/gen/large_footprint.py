#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Large-trace replay benchmark: many transactions over a large page footprint.

Devices (one StreamID each, stage 1, 4 KiB pages; StreamIDs 0x40, 0x41, ...) access a footprint
of --pages 4 KiB pages (default 2^20: 4 GiB), split evenly between the streams, each stream's
share mapped page by page in 64 KiB pieces to shuffled physical frames. --pattern scattered:
every transaction goes to a random page of a random stream (NIC buffers, key-value stores: far
above any TLB); --pattern stream: each stream walks its share sequentially, wrapping around (a
GPU or DMA engine streaming through large buffers). A fraction --writes of the transactions
are writes. Not a committed sample: the default trace (10^7 transactions) is about 400 MB;
scripts/replay-bench.sh writes it into the build directory.
"""
import argparse
import json
import os

import tracegen as tg

PAGE = 4096
IOVA_BASE = 0x40000000     # stream k's share starts at IOVA_BASE + k * share (IOVA)
PA_BASE = 0x200000000      # ... and its frames at PA_BASE + k * share (PA), shuffled
SID_BASE = 0x40


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.normpath(tg.SAMPLES), help="output directory")
    p.add_argument("--name", default="large_footprint", help="file names: NAME.trace, NAME.json")
    p.add_argument("--seed", type=int, default=1, help="random seed")
    p.add_argument("--count", type=int, default=10 ** 7, help="transactions")
    p.add_argument("--pages", type=int, default=1 << 20,
                   help="footprint in 4 KiB pages (a multiple of 16 * streams)")
    p.add_argument("--pattern", choices=["scattered", "stream"], default="scattered",
                   help="random pages, or each stream sequentially through its share")
    p.add_argument("--streams", type=int, default=1, help="StreamIDs (each its own domain)")
    p.add_argument("--size", type=int, default=64,
                   help="bytes per transaction (a power of two <= 4096; aligned to it)")
    p.add_argument("--writes", type=float, default=0.25, help="fraction of writes")
    p.add_argument("--interval-ns", type=int, default=10, help="time between transactions")
    a = p.parse_args()
    if a.streams < 1 or a.pages % (16 * a.streams) or a.pages <= 0:
        p.error("--pages must be a positive multiple of 16 * --streams")
    if a.size < 1 or a.size > PAGE or a.size & (a.size - 1):
        p.error("--size must be a power of two <= 4096")
    if a.count < 0 or not 0 <= a.writes <= 1:
        p.error("--count >= 0, 0 <= --writes <= 1")
    return a


def main():
    a = parse()
    r = tg.rng(a.seed)
    share = a.pages // a.streams * PAGE  # bytes per stream
    domains, streams = [], []
    for k in range(a.streams):
        name = "dev%d" % k
        domains.append({"name": name, "stage": 1, "id": k + 1,
                        "map": tg.scattered(IOVA_BASE + k * share, PA_BASE + k * share, share, r)})
        streams.append({"sid": SID_BASE + k, "attach": "s1", "domain": name})
    scen = tg.scenario(a.name, domains, streams)
    # simulated time limit: far above what the replay needs, original timing or asap
    scen["duration_ns"] = max(100000000, a.count * max(a.interval_ns, 1000) * 4)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, a.name + ".json"), "w") as f:
        json.dump(scen, f, indent=1)
        f.write("\n")

    per_page = PAGE // a.size
    spp = a.pages // a.streams  # pages per stream
    wthresh = int(a.writes * (1 << 32))
    pos = [0] * a.streams  # stream pattern: next slot of each stream
    path = os.path.join(a.out, a.name + ".trace")
    with open(path, "w") as f:
        f.write("smmu-trace 1\nname %s\nscenario %s.json\n" % (a.name, a.name))
        f.write("# large_footprint.py --seed %d --count %d --pages %d --pattern %s --streams %d "
                "--size %d --writes %g --interval-ns %d\n" % (
                    a.seed, a.count, a.pages, a.pattern, a.streams, a.size, a.writes,
                    a.interval_ns))
        f.write("# time_ns sid ssid address size dir flags\n")
        getrandbits = r.getrandbits
        randrange = r.randrange
        buf = []
        for n in range(a.count):
            if a.pattern == "scattered":
                k = randrange(a.streams) if a.streams > 1 else 0
                slot = randrange(spp * per_page)
            else:
                k = n % a.streams
                slot = pos[k]
                pos[k] = (slot + 1) % (spp * per_page)
            d = "W" if getrandbits(32) < wthresh else "R"
            buf.append("%d 0x%x - 0x%x %d %s -\n" % (
                n * a.interval_ns, SID_BASE + k, IOVA_BASE + k * share + slot * a.size, a.size, d))
            if len(buf) >= 65536:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))
    print("%s: %d transactions over %d pages -> %s" % (a.name, a.count, a.pages, path))


if __name__ == "__main__":
    main()
