#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""NVMe 4 KiB random reads.

An NVMe controller (StreamID 0x20, stage 1) with one I/O queue pair: for each command it reads
the 64-byte submission queue entry, writes 4 KiB of data (a read from the disk is a DMA write to
memory) into a page chosen at random from a 64 MiB buffer cache, and writes the 16-byte
completion queue entry. Up to 32 commands are in flight; data transfers take 4 us each, so
commands overlap: a TLB-unfriendly, walk-heavy pattern.
"""
import tracegen as tg

a = tg.args(__doc__.splitlines()[0], 1000)
r = tg.rng(a.seed)
SID = 0x20
SQ_IOVA, SQ_PA = 0x00020000, 0x200020000
CQ_IOVA, CQ_PA = 0x00030000, 0x200030000
BUF_IOVA, BUF_PA, BUF_SIZE = 0x10000000, 0x210000000, 0x4000000

tr = tg.Trace("nvme_4k", __doc__)
t = 0
for n in range(a.count):
    sqe = SQ_IOVA + 64 * (n % 1024)
    cqe = CQ_IOVA + 16 * (n % 4096)
    page = r.randrange(BUF_SIZE // 4096)
    tr.add(t, SID, None, sqe, 64, False)
    done = t + 4000 + r.randint(0, 2000)
    tr.add(t + 500, SID, None, BUF_IOVA + 4096 * page, 4096, True)
    tr.add(done, SID, None, cqe, 16, True)
    t += 125  # 8 M IOPS offered, about 32 in flight

scen = tg.scenario("nvme_4k", [{
    "name": "nvme", "stage": 1, "id": 2,
    "map": [tg.mapping(SQ_IOVA, SQ_PA, 0x10000), tg.mapping(CQ_IOVA, CQ_PA, 0x10000),
           ] + tg.scattered(BUF_IOVA, BUF_PA, BUF_SIZE, r)}],
    [{"sid": SID, "attach": "s1", "domain": "nvme"}])
tr.write(a.out, scen)
