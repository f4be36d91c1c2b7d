// SPDX-License-Identifier: Apache-2.0 OR MIT
// Fixture for the page-table walk suites (test_walk_s1, test_walk_s2, test_perm,
// test_nested_walk): builds translation table trees in the sparse memory with the descriptor
// encoder of tenc_desc.h, places STEs/CDs written with tenc_cfg.h, and builds the event records
// a fault is expected to produce (spec 7.3) for byte-exact comparison.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "fixture.h"
#include "tenc_cfg.h"
#include "tenc_desc.h"

namespace twalk {

using tenc::Cd;
using tenc::Desc;
using tenc::Ste;

// One stage's translation table tree. Table addresses held in descriptors (and the root) are
// "table addresses" of the stage: PAs, or IPAs for a nested stage 1. ipa_delta is added to
// the PA of a table allocated from the pool to give the address the descriptors hold.
struct Tree {
    unsigned gran = 12; // granule shift: 12, 14, 16
    unsigned start = 0; // initial lookup level
    unsigned ia_bits = 48;
    uint64_t root = 0; // as the stage sees it (PA, or IPA when nested)
    bool be = false;   // big-endian descriptors (CD.ENDI / STE.S2ENDI)
    uint64_t ipa_delta = 0;
    uint64_t table_bits[4] = {}; // extra bits for table descriptors created at each level
};

// Expected event record contents (spec 7.3): fields as the spec numbers them.
struct Ev {
    uint8_t type = 0;
    uint32_t sid = 0;
    uint64_t addr = 0;
    bool rnw = true, pnu = false, ind = false;
    bool s2 = false, ttrnw = false;
    unsigned cls = 0;
    uint64_t ipa = 0;   // S2 faults: IPA[55:12] in DW3
    uint64_t fetch = 0; // F_WALK_EABT: FetchAddr[55:3] in DW3
};

inline std::vector<uint64_t> record(const Ev &e) {
    std::vector<uint64_t> r(4, 0);
    tenc::put(r.data(), 0, 8, e.type);
    tenc::put(r.data(), 32, 32, e.sid);
    tenc::put(r.data(), 97, 1, e.pnu);
    tenc::put(r.data(), 98, 1, e.ind);
    tenc::put(r.data(), 99, 1, e.rnw);
    tenc::put(r.data(), 103, 1, e.s2);
    tenc::put(r.data(), 104, 2, e.cls);
    tenc::put(r.data(), 108, 1, e.ttrnw);
    r[2] = e.addr;
    if (e.fetch)
        tenc::put(r.data(), 195, 53, e.fetch >> 3);
    else if (e.ipa)
        tenc::put(r.data(), 204, 44, e.ipa >> 12);
    return r;
}

enum : unsigned { CLASS_CD = 0, CLASS_TT = 1, CLASS_IN = 2 };
enum : uint8_t {
    F_WALK_EABT = 0x0B,
    F_TRANSLATION = 0x10,
    F_ADDR_SIZE = 0x11,
    F_ACCESS = 0x12,
    F_PERMISSION = 0x13,
    C_BAD_STE = 0x04,
};
// STE.S2TG encodings (5.2)
enum : unsigned { S2TG_4K = 0, S2TG_64K = 1, S2TG_16K = 2 };

inline unsigned tg0_of(unsigned gran) {
    return gran == 12 ? tenc::TG0_4K : gran == 14 ? tenc::TG0_16K : tenc::TG0_64K;
}
inline unsigned s2tg_of(unsigned gran) {
    return gran == 12 ? S2TG_4K : gran == 14 ? S2TG_16K : S2TG_64K;
}

class WalkTest : public tfx::SmmuTest {
  protected:
    uint32_t sid = 1;

    void wdesc(const Tree &t, uint64_t addr, uint64_t v) {
        put64(addr - t.ipa_delta, t.be ? tenc::bswap64(v) : v);
    }
    uint64_t rdesc(const Tree &t, uint64_t addr) {
        uint64_t v = get64(addr - t.ipa_delta);
        return t.be ? tenc::bswap64(v) : v;
    }
    static unsigned start_bits(const Tree &t) {
        return t.ia_bits - tenc::level_shift(t.gran, t.start);
    }
    // A new tree whose start table (possibly concatenated) is zeroed and aligned to its size.
    Tree tree(unsigned gran, unsigned start, unsigned ia_bits, uint64_t ipa_delta = 0) {
        Tree t;
        t.gran = gran;
        t.start = start;
        t.ia_bits = ia_bits;
        t.ipa_delta = ipa_delta;
        uint64_t size = 8ull << start_bits(t);
        t.root = alloc(size, std::max<uint64_t>(size, 64)) + ipa_delta;
        return t;
    }
    // Address of the descriptor for ia at level, creating the tables above it as needed.
    uint64_t slot(const Tree &t, uint64_t ia, unsigned level) {
        uint64_t table = t.root;
        for (unsigned l = t.start;; l++) {
            unsigned sh = tenc::level_shift(t.gran, l);
            unsigned bits = l == t.start ? start_bits(t) : t.gran - 3;
            uint64_t a = table + 8 * ((ia >> sh) & ((1ull << bits) - 1));
            if (l == level) return a;
            uint64_t d = rdesc(t, a);
            if ((d & 3) != 3) {
                uint64_t next = alloc(1ull << t.gran, 1ull << t.gran) + t.ipa_delta;
                d = Desc::table(next).v | t.table_bits[l];
                wdesc(t, a, d);
            }
            table = d & 0x0000FFFFFFFFF000ull & ~((1ull << t.gran) - 1);
        }
    }
    void map(const Tree &t, uint64_t ia, unsigned level, const Desc &leaf) {
        wdesc(t, slot(t, ia, level), leaf.v);
    }

    // ---- configurations
    void s1_only(const Cd &cd) {
        put_ste(sid, Ste::s1(tfx::CDTAB).dw);
        put_words(tfx::CDTAB, cd.dw, 8);
        enable();
    }
    void s2_only(const Ste &ste) {
        put_ste(sid, ste.dw);
        enable();
    }
    // Nested: the CD at CDTAB is found through stage 2 (CDTAB must be mapped by it).
    void nested(Ste ste, const Cd &cd) {
        ste.config(tenc::CFG_NESTED).s1ctxptr(tfx::CDTAB).s1cir(1).s1cor(1).s1csh(3);
        put_ste(sid, ste.dw);
        put_words(tfx::CDTAB, cd.dw, 8);
        enable();
    }

    uint64_t walk_reads() {
        smmu_stats_t st;
        smmu_get_stats(smmu, &st);
        return st.walk_reads;
    }
    // The only event recorded since the last call must be exactly rec.
    void expect_event(const Ev &e) {
        Ev x = e;
        x.sid = sid;
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u);
        EXPECT_EQ(ev[0], record(x))
            << std::hex << "type " << tfx::evt_type(ev[0]) << " class " << tfx::evt_class(ev[0])
            << " s2 " << tfx::evt_s2(ev[0]) << " dw3 " << ev[0][3];
    }
    void expect_fault(const smmu_result_t &r, const Ev &e) {
        EXPECT_EQ(r.status, SMMU_FAULT);
        EXPECT_EQ(r.event, e.type);
        expect_event(e);
    }
    void expect_ok(const smmu_result_t &r, uint64_t pa) {
        EXPECT_EQ(r.status, SMMU_OK) << "event " << std::hex << r.event;
        EXPECT_EQ(r.pa, pa) << std::hex << r.pa;
        EXPECT_TRUE(events().empty());
    }
};

} // namespace twalk
