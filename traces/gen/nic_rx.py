#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""NIC receive ring with buffer recycling.

A 10 Gb/s NIC (StreamID 0x10, stage 1) owns a ring of 256 receive descriptors (16 bytes) in one
64 KiB page. For each packet it reads the next descriptor, writes the packet (64..1518 bytes)
into the 2 KiB buffer the descriptor points to, and writes the descriptor back. The driver
recycles buffers: a freed buffer goes onto a LIFO free list and is handed out again soon, so a
working set much smaller than the 4 MiB buffer pool stays hot; now and then (10 %) the driver
keeps a buffer for the stack and refills with a fresh one from the pool instead. Packets arrive
in bursts (back to back at line rate, then a gap).
"""
import tracegen as tg

a = tg.args(__doc__.splitlines()[0], 1000)
r = tg.rng(a.seed)
SID = 0x10
RING_IOVA, RING_PA = 0x00010000, 0x100010000
BUF_IOVA, BUF_PA, BUF_SIZE = 0x01000000, 0x101000000, 0x400000
NBUF, RING = BUF_SIZE // 2048, 256

tr = tg.Trace("nic_rx", __doc__)
free = list(range(NBUF - 1, NBUF - 1 - 2 * RING, -1))  # LIFO free list
fresh = NBUF - 1 - 2 * RING
ring = [free.pop() for _ in range(RING)]
t = 0
for n in range(a.count):
    slot = n % RING
    desc = RING_IOVA + 16 * slot
    size = r.choice([64, 64, 128, 256, 576, 1024, 1500, 1518, 1518, 1518])
    tr.add(t, SID, None, desc, 16, False)
    tr.add(t + 40, SID, None, BUF_IOVA + 2048 * ring[slot], size, True)
    tr.add(t + 40 + size // 2, SID, None, desc, 16, True)
    # the driver consumes the buffer and refills the slot
    if r.random() < 0.1 and fresh > 0:
        ring[slot] = fresh  # kept by the stack: a buffer from the pool
        fresh -= 1
    else:
        free.insert(0, ring[slot])
        ring[slot] = free.pop()
    t += (size + 20) * 8 // 10  # line rate: 0.8 ns per byte
    if r.random() < 0.05:
        t += r.randint(2000, 20000)  # a gap between bursts

scen = tg.scenario("nic_rx", [{
    "name": "nic", "stage": 1, "id": 1,
    "map": [tg.mapping(RING_IOVA, RING_PA, 0x10000), ] + tg.scattered(BUF_IOVA, BUF_PA, BUF_SIZE, r)}],
    [{"sid": SID, "attach": "s1", "domain": "nic"}])
tr.write(a.out, scen)
