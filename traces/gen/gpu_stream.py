#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""GPU streaming large buffers.

A GPU copy/compute engine (StreamID 0x30, stage 1) streams through two 32 MiB input buffers and
one 32 MiB output buffer (C = f(A, B)) in 4 KiB requests, 8 requests of each stream per 64 KiB
step: sequential, every page touched once, large reach: the case for large granules and blocks.
"""
import tracegen as tg

a = tg.args(__doc__.splitlines()[0], 1000)
r = tg.rng(a.seed)
SID = 0x30
SIZE = 0x2000000
A_IOVA, B_IOVA, C_IOVA = 0x40000000, 0x44000000, 0x48000000
A_PA, B_PA, C_PA = 0x300000000, 0x304000000, 0x308000000

tr = tg.Trace("gpu_stream", __doc__)
t = 0
for n in range(a.count):
    off = (n * 4096) % SIZE
    tr.add(t, SID, None, A_IOVA + off, 4096, False)
    tr.add(t + 10, SID, None, B_IOVA + off, 4096, False)
    tr.add(t + 200, SID, None, C_IOVA + off, 4096, True)
    t += 64  # 64 GB/s per input stream

scen = tg.scenario("gpu_stream", [{
    "name": "gpu", "stage": 1, "id": 3,
    "map": tg.scattered(A_IOVA, A_PA, SIZE, r, "r") + tg.scattered(B_IOVA, B_PA, SIZE, r, "r") +
           tg.scattered(C_IOVA, C_PA, SIZE, r, "w")}],
    [{"sid": SID, "attach": "s1", "domain": "gpu"}])
tr.write(a.out, scen)
