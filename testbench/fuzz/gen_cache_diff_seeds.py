#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Writes the hand-made seed programs of fuzz_cache_diff (testbench/fuzz/corpus/cache_diff/).
The byte format is the one fuzz_cache_diff.c reads; see docs/robustness.md."""
import os
import sys

OPS = ["CFGI_STE", "CFGI_STE_RANGE", "CFGI_CD", "CFGI_CD_ALL", "NH_ALL", "NH_ASID", "NH_VA",
       "NH_VAA", "S12_VMALL", "S2_IPA", "NSNH_ALL", "EL2_ALL", "EL2_VA", "EL2_VAA", "EL2_ASID",
       "ATC_INV", "PREFETCH_CONFIG", "PREFETCH_ADDR"]
CFG = {"S1": 0, "S2": 1, "NESTED": 2, "BYPASS": 3}


def key(ways=1, sets_log=1, repl=0, memo_off=0):
    k = []
    for _ in range(6):
        k += [{1: 0, 2: 1, 4: 2}[ways] | sets_log << 2, repl, 0]
    return bytes(k + [memo_off])


def build(cfgs, cd_asid_bits=0b0110, cdt_bits=0):
    return bytes([cd_asid_bits | cdt_bits << 4, sum(CFG[c] << (2 * s) for s, c in enumerate(cfgs))])


def addr_byte(region, i2, i3, off=0):
    return i2 | i3 << 2 | region << 5 | off << 6


def xl(sid, region, i2, i3, write=0, ssv=0, ssid=0):
    return bytes([8, sid | ssv << 2 | ssid << 3 | write << 4, addr_byte(region, i2, i3)])


def desc(kind, level, i2, i3, new, j2=0, j3=0, at=0x09, tree=0):
    """kind 0: stage-1 private (tree: ASID index), 1: stage-1 shared, 2: stage-2 (tree: VMID
    index). new: 0 invalid, 1 table, 2 leaf."""
    b = tree | ((level - 1) << 1) | i2 << 3 | i3 << 5
    # level = 1 + (b >> 1) % 3 and i2 = (b >> 3) & 3 share bit 3: search a byte that decodes
    for cand in range(256):
        if (cand & 1 == tree and 1 + (cand >> 1) % 3 == level and (cand >> 3) & 3 == i2
                and (cand >> 5) & 7 == i3):
            b = cand
            break
    else:
        raise ValueError("no encoding")
    return bytes([kind, b, new | j2 << 2 | j3 << 4, at])


def cmd(op, sid=0, ssid=0, leaf=0, vmid=1, asid=1, region=0, i2=0, i3=0, rng=None, srange=0,
        num=0, scale=0, tg=1, ttl=0, aligned=0, big=0):
    """scale: 0-3; big adds 9 (SCALE = scale + 9)."""
    x = sid | ssid << 2 | leaf << 3 | (vmid - 1) << 4 | (asid - 1) << 6
    y = addr_byte(region, i2, i3) | aligned << 6
    z = (0x80 if srange == 31 else srange & 3)
    if rng:
        z = 0x40 | ttl | (0x30 | (tg == 3) << 2 if tg != 1 else 0) | big << 3
    n = (num & 0x1F) | (0x80 if num > 7 else 0) | (scale & 3) << 5  # NUM, SCALE 0-3
    return bytes([5, OPS.index(op), x, y, z, n])


SYNC = bytes([7])


def ste(sid, cfg, vmid_idx=0, cdt=0, valid=1):
    cfgs = ["S1", "S2", "NESTED", "BYPASS", "ABORT"]
    return bytes([3, sid | cfgs.index(cfg) << 2, cdt | vmid_idx << 1 | (0 if valid else 0x80)])


def cd(t, i, asid, valid=1):
    return bytes([4, t | i << 1 | (asid - 1) << 2 | (0 if valid else 0x80)])


def seeds():
    out = {}
    # stage 1: fill, change a page, TLBI by VA (Leaf 1), sync, translate again
    p = key(2, 1, 0) + build(["S1", "S2", "NESTED", "BYPASS"])
    p += xl(0, 0, 1, 3) + xl(0, 0, 1, 4) + desc(0, 3, 1, 3, 2, j2=2, j3=5, tree=1)
    p += cmd("NH_VA", vmid=3, asid=2, i2=1, i3=3, leaf=1) + SYNC + xl(0, 0, 1, 3) + xl(0, 0, 1, 4)
    out["s1_page_nh_va"] = p
    # stage 1 table change: Leaf 0 range over the level-2 entry, then NH_VAA, NH_ASID, NH_ALL
    p = key(4, 0, 1) + build(["S1", "S1", "NESTED", "NESTED"], cd_asid_bits=0b0101)
    p += xl(0, 0, 2, 0) + xl(1, 0, 2, 7) + desc(0, 2, 2, 0, 0, tree=1)
    p += cmd("NH_VAA", vmid=3, i2=2, rng=True, num=31, big=1, ttl=0, aligned=1) + SYNC
    p += xl(0, 0, 2, 1) + desc(0, 2, 2, 0, 1, tree=1) + cmd("NH_ASID", vmid=3, asid=2)
    p += cmd("NH_ALL", vmid=3) + SYNC + xl(0, 0, 2, 1) + xl(2, 0, 2, 1)
    out["s1_table_range"] = p
    # shared (global) subtree, NH_VA with another ASID, then a level-1 block
    p = key(1, 2, 2) + build(["S1", "NESTED", "S1", "NESTED"])
    p += xl(0, 1, 0, 1) + xl(2, 1, 0, 1) + desc(1, 3, 0, 1, 2, j2=1, j3=1, at=0x29)
    p += cmd("NH_VA", vmid=3, asid=1, region=1, i2=0, i3=1) + SYNC + xl(0, 1, 0, 1)
    p += desc(1, 1, 0, 0, 2, at=0x09) + cmd("TLBI_NSNH_ALL"[5:]) + SYNC + xl(1, 1, 3, 3)
    out["s1_shared_global"] = p
    # stage 2: S2_IPA then NH_ALL after the sync (4.4.3.1), S12_VMALL, range S2_IPA
    p = key(2, 2, 1, 1) + build(["S2", "NESTED", "S2", "NESTED"])
    p += xl(0, 1, 1, 2) + xl(1, 0, 1, 2) + desc(2, 3, 1, 2, 2, j2=3, j3=6, tree=0)
    p += cmd("S2_IPA", vmid=1, region=1, i2=1, i3=2) + SYNC + cmd("NH_ALL", vmid=1) + SYNC
    p += xl(0, 1, 1, 2) + xl(1, 0, 1, 2) + desc(2, 2, 3, 0, 2, tree=1)
    p += cmd("S2_IPA", vmid=2, region=1, i2=3, rng=True, num=1, big=1, ttl=2, aligned=1)
    p += cmd("S12_VMALL", vmid=2) + SYNC + xl(1, 1, 3, 0) + xl(3, 0, 3, 5)
    out["s2_ipa"] = p
    # STE and CD changes: CFGI_STE, _STE_RANGE, _ALL, _CD, _CD_ALL, with the TLBIs
    p = key(1, 1, 0) + build(["S1", "S1", "NESTED", "S2"], cd_asid_bits=0b0011)
    p += xl(0, 0, 0, 0) + ste(0, "NESTED", vmid_idx=1) + cmd("CFGI_STE", sid=0)
    p += cmd("S12_VMALL", vmid=3) + cmd("S12_VMALL", vmid=2) + SYNC + xl(0, 0, 0, 0)
    p += cd(0, 0, 2) + cmd("CFGI_CD", sid=0) + cmd("CFGI_CD_ALL", sid=1) + cmd("CFGI_STE_RANGE", sid=2, srange=1)
    p += cmd("NH_ALL", vmid=1) + cmd("NH_ALL", vmid=2) + cmd("NH_ALL", vmid=3) + SYNC
    p += xl(0, 0, 0, 0, ssv=1, ssid=0) + xl(1, 0, 0, 0) + ste(3, "BYPASS")
    p += cmd("CFGI_STE_RANGE", srange=31) + cmd("NSNH_ALL") + SYNC + xl(3, 0, 2, 2)
    out["ste_cd_cfgi"] = p
    # the other commands: EL2 TLBIs, ATC_INV, PREFETCH_*, with a range NH_VA of TTL 3
    p = key(4, 1, 2) + build(["S1", "NESTED", "S2", "S1"])
    p += cmd("PREFETCH_CONFIG", sid=0) + cmd("PREFETCH_ADDR", sid=0, i2=1, num=3) + xl(0, 0, 1, 1)
    p += cmd("EL2_ALL") + cmd("EL2_VA", asid=1) + cmd("EL2_VAA") + cmd("EL2_ASID", asid=2)
    p += cmd("ATC_INV", sid=0, num=2) + SYNC + desc(0, 3, 1, 1, 2, j2=1, j3=2, tree=0)
    p += cmd("NH_VA", vmid=3, asid=1, i2=1, i3=0, rng=True, num=2, scale=0, ttl=3) + SYNC
    p += xl(0, 0, 1, 1) + xl(3, 0, 1, 1, write=1)
    out["other_cmds"] = p
    return out


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "cache_diff")
    os.makedirs(d, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
