#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Several SubstreamIDs sharing a device.

A shared accelerator (StreamID 0x50, stage 1 with 8 SubstreamID bits) serves four processes,
SubstreamIDs 1..4 (PASIDs), each with its own address space: the same IOVA range (a 1 MiB
work queue and an 8 MiB data buffer) maps to different physical memory per process. Jobs from
the processes are interleaved round-robin with random weights; each job reads its 64-byte work
descriptor, reads 2 KiB of input in 256-byte bursts and writes 1 KiB of output. Process 4 runs
privileged kernel work (flag priv).
"""
import tracegen as tg

a = tg.args(__doc__.splitlines()[0], 250)
r = tg.rng(a.seed)
SID = 0x50
WQ_IOVA, DATA_IOVA, DATA_SIZE = 0x00100000, 0x01000000, 0x800000
PA_BASE = 0x500000000

tr = tg.Trace("multi_ssid", __doc__)
t = 0
for n in range(a.count):
    ssid = r.choice([1, 1, 2, 2, 2, 3, 4])
    flags = "priv" if ssid == 4 else "-"
    tr.add(t, SID, ssid, WQ_IOVA + 64 * (n % 4096), 64, False, flags)
    base = DATA_IOVA + 4096 * r.randrange(DATA_SIZE // 4096 - 1)
    for k in range(8):
        tr.add(t + 20 + 10 * k, SID, ssid, base + 256 * k, 256, False, flags)
    for k in range(4):
        tr.add(t + 150 + 10 * k, SID, ssid, base + 2048 + 256 * k, 256, True, flags)
    t += 220

domains = []
pasids = {}
for p in range(1, 5):
    pa = PA_BASE + p * 0x1000000
    domains.append({"name": "proc%d" % p, "stage": 1, "id": 10 + p,
                    "map": [tg.mapping(WQ_IOVA, pa, 0x100000, "rwp" if p == 4 else "rw")] +
                           tg.scattered(DATA_IOVA, pa + 0x800000, DATA_SIZE, r,
                                        "rwp" if p == 4 else "rw")})
    pasids[str(p)] = "proc%d" % p
scen = tg.scenario("multi_ssid", domains,
                   [{"sid": SID, "attach": "s1", "ssid_bits": 8, "pasids": pasids}])
tr.write(a.out, scen)
