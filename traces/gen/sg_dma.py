#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Scatter-gather DMA.

A DMA engine (StreamID 0x40, stage 2 only, as for a device assigned to a VM) walks a chain of
32-byte descriptors; each names a source fragment (256 B .. 16 KiB, at any 64-byte-aligned
address of a 64 MiB region, so fragments cross page boundaries) that it reads in 512-byte bursts
and copies to a contiguous 64 KiB-aligned destination ring. Descriptor chains are 4 KiB pages
allocated at random.
"""
import tracegen as tg

a = tg.args(__doc__.splitlines()[0], 200)
r = tg.rng(a.seed)
SID = 0x40
DESC_IOVA, DESC_PA, DESC_SIZE = 0x00100000, 0x400100000, 0x100000
SRC_IOVA, SRC_PA, SRC_SIZE = 0x08000000, 0x408000000, 0x4000000
DST_IOVA, DST_PA, DST_SIZE = 0x10000000, 0x410000000, 0x200000

tr = tg.Trace("sg_dma", __doc__)
t = 0
dst = 0
chain = r.randrange(DESC_SIZE // 4096)
for n in range(a.count):
    if n % 128 == 0:
        chain = r.randrange(DESC_SIZE // 4096)
    tr.add(t, SID, None, DESC_IOVA + 4096 * chain + 32 * (n % 128), 32, False)
    t += 50
    size = r.choice([256, 512, 1024, 1500, 2048, 4096, 8192, 16384])
    src = SRC_IOVA + 64 * r.randrange((SRC_SIZE - size) // 64)
    off = 0
    while off < size:
        b = min(512, size - off)
        tr.add(t, SID, None, src + off, b, False)
        tr.add(t + 30, SID, None, DST_IOVA + (dst + off) % DST_SIZE, b, True)
        t += 20
        off += b
    dst = (dst + size) % DST_SIZE
    t += 100

scen = tg.scenario("sg_dma", [{
    "name": "vm", "stage": 2, "id": 4, "ias": 40,
    "map": tg.scattered(DESC_IOVA, DESC_PA, DESC_SIZE, r, "r") +
           tg.scattered(SRC_IOVA, SRC_PA, SRC_SIZE, r, "r") +
           tg.scattered(DST_IOVA, DST_PA, DST_SIZE, r, "w")}],
    [{"sid": SID, "attach": "s2", "s2_domain": "vm"}])
tr.write(a.out, scen)
