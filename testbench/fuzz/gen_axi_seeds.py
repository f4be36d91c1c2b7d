#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
# Writes the hand-made seed programs of fuzz_axi (testbench/fuzz/corpus/axi/), in the input
# format described at the top of fuzz_axi.cpp. Run from the repository root.
import os

FIXED, INCR, WRAP = 0, 1, 2


def burst(write, addr, burst_type=INCR, size=3, length=0, axid=0, kind=0, density=0, seed=1):
    f = (1 if write else 0) | (kind << 1) | (density << 4)
    g = axid | (burst_type << 2) | (size << 4)
    return bytes([f, g, length & 0xFF, addr & 0xFF, (addr >> 8) & 0xFF, seed & 0xFF])


def batch(bursts, ready=0x00, reset=None):
    ctl = (len(bursts) - 1) | (0x80 if reset else 0)
    out = bytes([ctl])
    if reset:
        out += bytes(reset)
    return out + bytes([ready]) + b"".join(bursts)


seeds = {
    # a 4-beat write, read back in the next batch (finds a lost last-beat strobe)
    "write_then_read": batch([burst(True, 0x100, length=3, seed=7)]) +
    batch([burst(False, 0x100, length=3)]),
    # narrow, FIXED and WRAP writes with sparse strobes, then reads of them on two IDs
    "narrow_fixed_wrap": batch([
        burst(True, 0x2003, INCR, size=0, length=9, axid=1, density=9, seed=3),
        burst(True, 0x2108, FIXED, size=2, length=3, axid=1, seed=4),
        burst(True, 0x2218, WRAP, size=3, length=3, axid=1, density=12, seed=5),
    ]) + batch([
        burst(False, 0x2000, INCR, size=3, length=3, axid=2),
        burst(False, 0x2108, FIXED, size=2, length=3, axid=3),
        burst(False, 0x2210, WRAP, size=3, length=1, axid=2),
    ], ready=0x33),
    # eight reads on four IDs outstanding at once, R and B stalled at random
    "many_ids": batch([burst(False, 0x400 * i, INCR, 3, 15, i & 3) for i in range(8)], ready=0x77),
    # a reset in the middle of writes and reads, then writes and reads after it
    "reset_mid_batch": batch([
        burst(True, 0x3000, INCR, 3, 15, 0, seed=9),
        burst(True, 0x3100, INCR, 3, 15, 1, seed=10),
        burst(False, 0x3000, INCR, 3, 15, 2),
    ], reset=(6, 3)) + batch([burst(True, 0x3000, INCR, 3, 7, 0, seed=11)]) +
    batch([burst(False, 0x3000, INCR, 3, 15, 0)]),
    # illegal bursts: AxSIZE 16 bytes, reserved AxBURST, wrong WRAP, INCR across 4 KiB, W longer
    # and shorter than AWLEN; then legal traffic must still be exact
    "illegal": batch([
        burst(True, 0x5000, kind=5, length=1, seed=2),
        burst(False, 0x5000, kind=6, length=0x00),
        burst(True, 0x5100, kind=6, length=0x09, seed=3),
        burst(False, 0x5200, kind=6, length=0x02),
        burst(True, 0x5300, kind=7, length=0x41, seed=4),
        burst(True, 0x5400, kind=7, length=0x02, seed=5),
    ]) + batch([burst(True, 0x6000, length=7, seed=6)]) + batch([burst(False, 0x6000, length=7)]),
    # the memory's abort page answers SLVERR on R and B
    "abort_page": batch([burst(True, 0xF800, length=3, seed=8), burst(False, 0xF800, length=3)]),
}
d = "testbench/fuzz/corpus/axi"
os.makedirs(d, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
