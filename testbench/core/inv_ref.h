// SPDX-License-Identifier: Apache-2.0 OR MIT
// Invariant tests (issue 6): a random translation-table generator and a reference walker written
// independently of c_core, straight from the Arm ARM VMSAv8-64 chapter (D8.2 lookup geometry,
// D8.3 descriptor formats, D8.4 permissions, D8.5 Access flag, D8.15 fault priorities) and the
// SMMU spec (3.4 address ranges, 7.3 event fields). It is deliberately simple and slow: one
// descriptor read at a time from the sparse memory, no caches, no shortcuts.
//
// Scope (what the generator produces and the reference models): AArch64 little-endian tables,
// 4KB / 16KB / 64KB granules, OAS 48 (no FEAT_LPA / LPA2: blocks at level 1-2 for 4KB, level 2
// otherwise), stage 1 with TTB0 only (EPD1 = 1, TBI0 = 0, HA = HD = 0, AFFD = 0, PAN = 0),
// stage 2 with S2AFFD = 0 and FEAT_XNX not implemented, nested stage 1 whose table addresses
// are IPAs, external aborts on whole tables. Not modelled: contiguous hints, HTTU, big-endian.
#pragma once
#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

#include <smmu/mem.h>
#include <smmu/smmu.h>

#include "tenc_desc.h"

namespace inv {

// A small deterministic generator (splitmix64): fixed seeds, reproducible failures.
struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed) {}
    uint64_t next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) {
        return n ? next() % n : 0;
    }
    bool pct(unsigned p) {
        return below(100) < p;
    }
};

inline uint64_t mask(unsigned bits) {
    return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

enum : unsigned { CLS_CD = 0, CLS_TT = 1, CLS_IN = 2 }; // event CLASS (spec 7.3)
enum : uint8_t {
    EV_WALK_EABT = 0x0B,
    EV_TRANSLATION = 0x10,
    EV_ADDR_SIZE = 0x11,
    EV_ACCESS = 0x12,
    EV_PERMISSION = 0x13,
};

// One stage's configuration (Arm ARM D8.2).
struct Stage {
    bool s2 = false;
    unsigned gran = 12; // granule shift: 12, 14, 16
    unsigned start = 0; // initial lookup level
    unsigned ia = 48;   // input address bits (64 - T0SZ)
    unsigned ps = 48;   // output address bits: effective IPS (stage 1) or S2PS (stage 2)
    uint64_t root = 0;  // start table address (an IPA for a nested stage 1)
    bool wxn = false;   // stage 1 only: CD.WXN
    unsigned shift(unsigned level) const {
        return tenc::level_shift(gran, level);
    }
    unsigned bits(unsigned level) const {
        return level == start ? ia - shift(start) : gran - 3;
    }
    // Block descriptors allowed at this level with a 48-bit OA (Arm ARM D8.3.1).
    bool block_ok(unsigned level) const {
        return gran == 12 ? (level == 1 || level == 2) : level == 2;
    }
    uint64_t root_size() const {
        return 8ull << bits(start);
    }
};

// Stage-1 start level for an input size (Arm ARM D8.2: the first level that resolves at most a
// full table's worth of bits).
inline unsigned s1_start_level(unsigned gran, unsigned ia) {
    for (unsigned l = 0; l < 3; l++)
        if (ia > tenc::level_shift(gran, l) && ia - tenc::level_shift(gran, l) <= gran - 3)
            return l;
    return 3;
}

struct Access {
    bool write = false, exec = false, priv = false;
};

// The outcome the architecture gives.
struct Outcome {
    bool ok = false;
    uint64_t pa = 0, span = 0;
    uint8_t perm = 0;
    // fault
    uint8_t type = 0;
    bool s2 = false;
    unsigned cls = CLS_IN;
    uint64_t ipa = 0;   // S2 faults: the IPA that faulted (descriptor IPA when CLASS TT)
    uint64_t fetch = 0; // F_WALK_EABT: the PA of the descriptor read that aborted
    bool ttrnw = false; // S2 permission fault on a table read: 1
};

struct Leaf {
    uint64_t oa = 0, size = 0, desc = 0;
    unsigned aptable = 0;
    bool uxnt = false, pxnt = false;
};

class RefWalker {
  public:
    explicit RefWalker(smmu_mem_t *m) : mem(m) {}

    // Stage 1 only: VA -> PA.
    Outcome s1(const Stage &st, uint64_t va, Access a) {
        return run(&st, nullptr, va, a);
    }
    // Stage 2 only: IPA -> PA.
    Outcome s2(const Stage &st, uint64_t ipa, Access a) {
        return run(nullptr, &st, ipa, a);
    }
    // Nested: stage-1 table addresses and its output are IPAs translated by stage 2.
    Outcome nested(const Stage &st1, const Stage &st2, uint64_t va, Access a) {
        return run(&st1, &st2, va, a);
    }

  private:
    smmu_mem_t *mem;

    static Outcome fault(uint8_t type, bool s2, unsigned cls, uint64_t ipa = 0) {
        Outcome o;
        o.type = type;
        o.s2 = s2;
        o.cls = cls;
        o.ipa = ipa;
        return o;
    }

    // Stage-1 permissions (Arm ARM D8.4.1.2, Table D8-65) with the hierarchical controls.
    static uint8_t s1_grant(const Leaf &l, bool priv, bool wxn) {
        unsigned ap = (l.desc >> 6) & 3; // AP[2:1]: bit 0 = AP[1] (EL0 access), bit 1 = AP[2] (RO)
        if (l.aptable & 1) ap &= ~1u;    // APTable[0]: no EL0 access
        if (l.aptable & 2) ap |= 2u;     // APTable[1]: no write access
        bool uxn = ((l.desc >> 54) & 1) || l.uxnt;
        bool pxn = ((l.desc >> 53) & 1) || l.pxnt;
        uint8_t g = 0;
        if (priv) {
            g |= SMMU_PERM_R;
            if (!(ap & 2)) g |= SMMU_PERM_W;
            bool el0_writable = ap == 1;
            if (!pxn && !el0_writable && !(wxn && (g & SMMU_PERM_W))) g |= SMMU_PERM_X;
        } else {
            if (ap & 1) g |= SMMU_PERM_R;
            if (ap == 1) g |= SMMU_PERM_W;
            if (!uxn && !(wxn && (g & SMMU_PERM_W))) g |= SMMU_PERM_X;
        }
        return g;
    }
    // Stage-2 permissions (Arm ARM Tables D8-76/77 without FEAT_XNX).
    static uint8_t s2_grant(const Leaf &l) {
        unsigned s2ap = (l.desc >> 6) & 3;
        uint8_t g = 0;
        if (s2ap & 1) g |= SMMU_PERM_R;
        if (s2ap & 2) g |= SMMU_PERM_W;
        if (!((l.desc >> 54) & 1)) g |= SMMU_PERM_X;
        return g;
    }
    static uint8_t needed(Access a) {
        return (uint8_t)(a.write ? SMMU_PERM_W : a.exec ? SMMU_PERM_X : SMMU_PERM_R);
    }

    // One stage-2 lookup of ipa for an access of class cls (IN: the transaction's output; TT: a
    // stage-1 descriptor read). Returns true with the PA, or false with the fault.
    bool s2_lookup(const Stage &st, uint64_t ipa, unsigned cls, Access a, uint64_t &pa, Leaf &leaf,
                   Outcome &f) {
        if (ipa >> st.ia) {
            f = fault(EV_TRANSLATION, true, cls, ipa);
            return false;
        }
        if (!walk(st, ipa, nullptr, cls, leaf, f)) {
            f.ipa = ipa;
            return false;
        }
        uint8_t need = cls == CLS_TT ? (uint8_t)SMMU_PERM_R : needed(a);
        if (!(s2_grant(leaf) & need)) {
            f = fault(EV_PERMISSION, true, cls, ipa);
            f.ttrnw = cls == CLS_TT; // a descriptor read
            return false;
        }
        pa = leaf.oa | (ipa & (leaf.size - 1));
        return true;
    }

    // The table walk of one stage (Arm ARM D8.2, D8.3). For a nested stage 1, tt translates
    // each descriptor address through stage 2 (CLASS TT). cls is the CLASS of this stage's own
    // faults when it is a stage 2.
    bool walk(const Stage &st, uint64_t ia, const Stage *tt, unsigned cls, Leaf &out, Outcome &f) {
        uint64_t table = st.root;
        Leaf acc;
        for (unsigned level = st.start; level <= 3; level++) {
            uint64_t idx = (ia >> st.shift(level)) & mask(st.bits(level));
            uint64_t daddr = table + 8 * idx, dpa = daddr;
            if (tt) {
                Leaf l2;
                if (!s2_lookup(*tt, daddr, CLS_TT, Access{}, dpa, l2, f)) return false;
            }
            uint64_t d = 0;
            uint8_t b[8];
            if (smmu_mem_read(mem, dpa, b, 8) != 0) {
                f = fault(EV_WALK_EABT, st.s2, st.s2 ? cls : CLS_TT);
                f.fetch = dpa;
                return false;
            }
            for (int i = 7; i >= 0; i--)
                d = (d << 8) | b[i];
            unsigned own_cls = st.s2 ? cls : CLS_IN;
            if (!(d & 1)) {
                f = fault(EV_TRANSLATION, st.s2, own_cls);
                return false;
            }
            bool leaf = level == 3 || (d & 2) == 0;
            if (leaf) {
                if ((level == 3 && (d & 2) == 0) || (level < 3 && !st.block_ok(level))) {
                    f = fault(EV_TRANSLATION, st.s2, own_cls);
                    return false;
                }
                uint64_t size = 1ull << st.shift(level);
                uint64_t oa = d & mask(48) & ~(size - 1);
                if (oa >> st.ps) {
                    f = fault(EV_ADDR_SIZE, st.s2, own_cls);
                    return false;
                }
                if (!((d >> 10) & 1)) {
                    f = fault(EV_ACCESS, st.s2, own_cls);
                    return false;
                }
                out = acc;
                out.oa = oa;
                out.size = size;
                out.desc = d;
                return true;
            }
            uint64_t next = d & mask(48) & ~mask(st.gran);
            if (next >> st.ps) {
                f = fault(EV_ADDR_SIZE, st.s2, own_cls);
                return false;
            }
            if (!st.s2) {
                acc.aptable |= (d >> 61) & 3;
                acc.uxnt = acc.uxnt || ((d >> 60) & 1);
                acc.pxnt = acc.pxnt || ((d >> 59) & 1);
            }
            table = next;
        }
        return false; // not reached
    }

    Outcome run(const Stage *st1, const Stage *st2, uint64_t addr, Access a) {
        Outcome o;
        uint64_t ipa = addr;
        uint8_t perm = SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X;
        uint64_t span = ~0ull;
        if (st1) {
            // Spec 3.4 (1): outside the TTB0 range (TBI0 = 0, EPD1 = 1): stage-1 F_TRANSLATION.
            if (addr >> st1->ia) return fault(EV_TRANSLATION, false, CLS_IN);
            Leaf l;
            if (!walk(*st1, addr, st2, CLS_IN, l, o)) return o;
            uint8_t g = s1_grant(l, a.priv, st1->wxn);
            if (!(g & needed(a))) return fault(EV_PERMISSION, false, CLS_IN);
            perm &= g;
            ipa = l.oa | (addr & (l.size - 1));
            span = l.size;
        }
        uint64_t pa = ipa;
        if (st2) {
            Leaf l;
            if (!s2_lookup(*st2, ipa, CLS_IN, a, pa, l, o)) return o;
            perm &= s2_grant(l);
            span = std::min(span, l.size);
        }
        o.ok = true;
        o.pa = pa;
        o.perm = perm;
        o.span = span;
        return o;
    }
};

// Random translation tables in the sparse memory, grown lazily along the walk of each address
// asked for ("hot" addresses), so that walks go deep often enough.
class Gen {
  public:
    Gen(smmu_mem_t *m, Rng &r, uint64_t pool) : mem(m), rng(r), next(pool) {}

    unsigned p_invalid = 8, p_leaf = 25, p_l3_reserved = 4, p_af0 = 5, p_bad_oa = 6;
    unsigned p_abort_table = 3; // whole tables that abort (applied by arm_aborts)
    unsigned oa_bits = 40;      // output addresses drawn below 2^oa_bits (mostly)

    // Slot (descriptor address, as the stage sees it) where the walk of each hot address ends.
    struct End {
        uint64_t slot = 0;
        unsigned level = 0;
    };

    uint64_t alloc(uint64_t size) {
        uint64_t align = std::max<uint64_t>(size, 0x10000); // 64KB: any granule's page
        next = (next + align - 1) & ~(align - 1);
        uint64_t a = next;
        next += std::max<uint64_t>(size, 0x10000);
        return a;
    }
    uint64_t new_root(const Stage &st) {
        uint64_t a = alloc(st.root_size());
        tables.insert(a);
        return a;
    }
    uint64_t rd(uint64_t a) {
        return smmu_mem_read64(mem, a);
    }
    void wr(uint64_t a, uint64_t v) {
        smmu_mem_write64(mem, a, v);
    }

    // A random leaf for level (a block or page with random attributes; occasionally an output
    // address with bits above oa_bits).
    uint64_t random_leaf(const Stage &st, unsigned level) {
        uint64_t size = 1ull << st.shift(level);
        unsigned bits = rng.pct(p_bad_oa) ? 32 + (unsigned)rng.below(16) : oa_bits;
        uint64_t oa = rng.next() & mask(bits) & ~(size - 1);
        tenc::Desc d = level == 3 ? tenc::Desc::page(oa) : tenc::Desc::block(oa);
        if (level == 3 && rng.pct(p_l3_reserved)) d.f(0, 2, 0b01); // reserved at level 3
        if (rng.pct(p_af0)) d.af(false);
        d.sh(3);
        if (st.s2) {
            d.memattr(0xF).s2ap((unsigned)rng.below(4)).xn(rng.pct(30));
        } else {
            d.attrindx(0).ap((unsigned)rng.below(4)).uxn(rng.pct(30)).pxn(rng.pct(30));
            d.ng(rng.pct(50));
        }
        if (rng.pct(20)) d.f(55, 4, rng.below(16)); // software-defined bits [58:55]: ignored
        return d.v;
    }
    // An invalid descriptor: bit 0 clear, every other bit random (never 0: "already decided").
    uint64_t random_invalid() {
        return (rng.next() & ~1ull) | 2;
    }
    uint64_t random_table(const Stage &st) {
        uint64_t t = alloc(1ull << st.gran);
        tables.insert(t);
        if (rng.pct(p_abort_table)) abort_later.push_back({t, 1ull << st.gran});
        tenc::Desc d = tenc::Desc::table(t);
        if (rng.pct(4)) d.addr(t | (1ull << (32 + rng.below(16)))); // maybe beyond PS
        if (!st.s2 && rng.pct(25)) {
            d.aptable((unsigned)rng.below(4)).uxntable(rng.pct(30)).pxntable(rng.pct(30));
        }
        return d.v;
    }

    // Grows the tables along the walk of ia and returns where that walk ends.
    End path(const Stage &st, uint64_t ia) {
        uint64_t table = st.root;
        for (unsigned level = st.start;; level++) {
            uint64_t slot = table + 8 * ((ia >> st.shift(level)) & mask(st.bits(level)));
            uint64_t d = rd(slot);
            if (d == 0) {
                unsigned k = (unsigned)rng.below(100);
                if (k < p_invalid)
                    d = random_invalid();
                else if (level == 3 || k < p_invalid + p_leaf)
                    d = random_leaf(st, level);
                else
                    d = random_table(st);
                wr(slot, d);
            }
            uint64_t nt = d & mask(48) & ~mask(st.gran);
            if (level < 3 && (d & 3) == 3 && tables.count(nt)) {
                table = nt;
                continue;
            }
            return End{slot, level};
        }
    }
    // A page mapping ia -> oa with full permissions, creating valid tables (a "good" path);
    // gives up silently where the walk already ends elsewhere.
    void good_page(const Stage &st, uint64_t ia, uint64_t oa) {
        uint64_t table = st.root;
        for (unsigned level = st.start;; level++) {
            uint64_t slot = table + 8 * ((ia >> st.shift(level)) & mask(st.bits(level)));
            uint64_t d = rd(slot);
            if (level == 3) {
                if (d == 0) {
                    tenc::Desc l = tenc::Desc::page(oa & ~mask(st.gran)).sh(3);
                    if (st.s2)
                        l.memattr(0xF).s2ap(3);
                    else
                        l.ap(1);
                    wr(slot, l.v);
                }
                return;
            }
            if (d == 0) {
                uint64_t t = alloc(1ull << st.gran);
                tables.insert(t);
                d = tenc::Desc::table(t).v;
                wr(slot, d);
            }
            uint64_t nt = d & mask(48) & ~mask(st.gran);
            if ((d & 3) != 3 || !tables.count(nt)) return;
            table = nt;
        }
    }
    // External aborts on the tables chosen for it (up to 12 regions of the memory's 16).
    void arm_aborts() {
        for (size_t i = 0; i < abort_later.size() && i < 12; i++)
            smmu_mem_add_abort(mem, abort_later[i].first, abort_later[i].second);
    }

    std::set<uint64_t> tables;
    std::vector<std::pair<uint64_t, uint64_t>> abort_later;

  private:
    smmu_mem_t *mem;
    Rng &rng;
    uint64_t next;
};

} // namespace inv
