// SPDX-License-Identifier: Apache-2.0 OR MIT
// Invariant tests (issue 6): a fixture that builds one random translation regime (stage 1,
// stage 2 or nested, any granule) with inv::Gen in a fresh memory and SMMU, and compares what
// the core answers with the reference walker of inv_ref.h (status, PA, permissions, span, event
// number and the event record fields of spec 7.3).
#pragma once
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "inv_ref.h"
#include "walk_fixture.h"

namespace inv {

enum Mode { MODE_S1 = 0, MODE_S2 = 1, MODE_NESTED = 2 };
inline const char *mode_name(int m) {
    return m == MODE_S1 ? "S1" : m == MODE_S2 ? "S2" : "Nested";
}

// Valid stage-2 geometries (S2T0SZ, S2SL0, start level) per granule, from the Arm ARM
// VTCR_EL2.SL0 tables (D8.2.x); those with ia >= 32 bits cover the nested layout below.
struct S2Geom {
    unsigned tsz, sl0, start;
};
inline std::vector<S2Geom> s2_geoms(unsigned gran, bool small_ok) {
    std::vector<S2Geom> v;
    if (gran == 12)
        v = {{16, 2, 0}, {20, 2, 0}, {24, 2, 0}, {25, 1, 1}, {28, 1, 1}, {32, 1, 1}, {22, 1, 1}};
    if (gran == 14) v = {{16, 2, 1}, {17, 2, 1}, {27, 2, 1}, {28, 1, 2}, {24, 1, 2}, {32, 1, 2}};
    if (gran == 16) v = {{16, 2, 1}, {21, 2, 1}, {22, 1, 2}, {18, 1, 2}, {30, 1, 2}, {32, 1, 2}};
    if (small_ok) {
        if (gran == 12) v.insert(v.end(), {{34, 0, 2}, {39, 0, 2}});
        if (gran == 14) v.insert(v.end(), {{38, 1, 2}, {39, 0, 3}});
        if (gran == 16) v.insert(v.end(), {{35, 0, 3}, {39, 0, 3}});
    }
    return v;
}
constexpr unsigned kPsBits[6] = {32, 36, 40, 42, 44, 48}; // CD.IPS / STE.S2PS encodings

constexpr uint64_t S1_POOL = 0x40000000ull; // stage-1 tables (IPA == PA when nested)
constexpr uint64_t S2_POOL = 0x60000000ull; // stage-2 tables

class InvWalk : public twalk::WalkTest {
  protected:
    Stage st1, st2;
    int mode = MODE_S1;
    unsigned ips_enc = 5, ps_enc = 5;
    S2Geom geom{};
    std::vector<uint64_t> hot; // addresses whose walks the generator grew
    std::vector<Gen::End> hot_end;
    std::unique_ptr<Gen> g1, g2; // the generators of the stage-1 and stage-2 tables

    // The reference walker (inv_ref.h) models a 48-bit OAS (kPsBits).
    void configure(smmu_params_t &p) override {
        p.oas_bits = 48;
    }

    // A fresh memory and SMMU (nothing cached, no abort regions).
    void fresh() {
        smmu_free(smmu);
        smmu = nullptr;
        smmu_mem_free(mem);
        mem = smmu_mem_new();
        next_table = tfx::TABLES;
        create();
    }

    // Random geometry for mode / granule, tables grown along nhot addresses, then the STE (and
    // CD) installed and the SMMU enabled.
    void build(int m, unsigned gran, Rng &rng, unsigned nhot) {
        mode = m;
        hot.clear();
        hot_end.clear();
        g1 = std::make_unique<Gen>(mem, rng, S1_POOL);
        g2 = std::make_unique<Gen>(mem, rng, S2_POOL);
        if (mode != MODE_S1) {
            auto gs = s2_geoms(gran, mode == MODE_S2);
            geom = gs[rng.below(gs.size())];
            st2 = Stage();
            st2.s2 = true;
            st2.gran = gran;
            st2.ia = 64 - geom.tsz;
            st2.start = geom.start;
            ps_enc = (unsigned)rng.below(6);
            st2.ps = kPsBits[ps_enc];
            st2.root = g2->new_root(st2);
            g2->oa_bits = 40;
        }
        if (mode != MODE_S2) {
            st1 = Stage();
            st1.gran = gran;
            st1.ia = 64 - (16 + (unsigned)rng.below(24)); // T0SZ 16..39
            st1.start = s1_start_level(gran, st1.ia);
            ips_enc = (unsigned)rng.below(6);
            st1.ps = kPsBits[ips_enc];
            st1.wxn = rng.pct(20);
            st1.root = g1->new_root(st1);
            g1->oa_bits = mode == MODE_NESTED ? std::min(st2.ia, 40u) : 40;
        }
        if (mode == MODE_NESTED) g2->good_page(st2, tfx::CDTAB, tfx::CDTAB); // the CD's IPA
        for (unsigned i = 0; i < nhot; i++) {
            const Stage &st = mode == MODE_S2 ? st2 : st1;
            uint64_t a = rng.next() & mask(st.ia) & ~7ull;
            hot.push_back(a);
            hot_end.push_back(mode == MODE_S2 ? g2->path(st2, a) : g1->path(st1, a));
        }
        if (mode == MODE_NESTED) {
            // Stage 2 maps the stage-1 tables' IPAs (identity), rarely badly...
            for (uint64_t t : g1->tables)
                for (uint64_t pg = t; pg < t + (1ull << st1.gran); pg += 1ull << st2.gran) {
                    if (rng.pct(94))
                        g2->good_page(st2, pg, pg);
                    else
                        g2->path(st2, pg);
                }
            // ... and random stage-2 tables along the hot addresses' output IPAs.
            RefWalker ref(mem);
            for (uint64_t a : hot) {
                Outcome o = ref.s1(st1, a, Access{});
                if (o.ok) g2->path(st2, o.pa);
                g2->path(st2, rng.next() & mask(st2.ia) & ~0xFFFull);
            }
        }
        g1->arm_aborts();
        g2->arm_aborts();
        using tenc::Cd;
        using tenc::Ste;
        Cd cd;
        if (mode != MODE_S2)
            cd = Cd::s1(st1.root, 64 - st1.ia, twalk::tg0_of(gran), 1).ips(ips_enc).wxn(st1.wxn);
        Ste ste;
        if (mode != MODE_S1)
            ste = Ste::s2(st2.root, twalk::s2tg_of(gran), geom.tsz, geom.sl0, ps_enc, 1);
        if (mode == MODE_S1)
            s1_only(cd);
        else if (mode == MODE_S2)
            s2_only(ste);
        else
            nested(ste, cd);
    }

    Outcome reference(uint64_t addr, Access a) {
        RefWalker ref(mem);
        if (mode == MODE_S1) return ref.s1(st1, addr, a);
        if (mode == MODE_S2) return ref.s2(st2, addr, a);
        return ref.nested(st1, st2, addr, a);
    }

    std::string describe(uint64_t addr, Access a) const {
        std::ostringstream o;
        o << mode_name(mode) << " gran " << (1u << (mode == MODE_S2 ? st2.gran : st1.gran))
          << std::hex << " addr 0x" << addr << std::dec << (a.write ? " write" : " read")
          << (a.exec ? " exec" : "") << (a.priv ? " priv" : " unpriv");
        if (mode != MODE_S2)
            o << " | s1 ia " << st1.ia << " start " << st1.start << " ps " << st1.ps << " wxn "
              << st1.wxn;
        if (mode != MODE_S1)
            o << " | s2 ia " << st2.ia << " start " << st2.start << " ps " << st2.ps;
        return o.str();
    }

    // The core's answer (result and event record) checked against an expected outcome.
    void expect_outcome(const smmu_result_t &r, const Outcome &e, uint64_t addr, Access a) {
        auto ev = events();
        if (e.ok) {
            ASSERT_EQ(r.status, SMMU_OK) << "event 0x" << std::hex << r.event;
            EXPECT_EQ(r.pa, e.pa) << std::hex << r.pa << " != " << e.pa;
            EXPECT_EQ(r.perm, e.perm);
            EXPECT_EQ(r.span, e.span);
            EXPECT_TRUE(ev.empty());
            return;
        }
        ASSERT_EQ(r.status, SMMU_FAULT)
            << std::hex << "pa 0x" << r.pa << " expected event 0x" << unsigned(e.type);
        EXPECT_EQ(r.event, e.type);
        ASSERT_EQ(ev.size(), 1u);
        const auto &rec = ev[0];
        EXPECT_EQ(tfx::evt_type(rec), e.type);
        EXPECT_EQ(tfx::evt_sid(rec), sid);
        EXPECT_EQ(tfx::evt_addr(rec), addr);
        EXPECT_EQ(tfx::evt_rnw(rec), !a.write);
        EXPECT_EQ(tfx::evt_ind(rec), a.exec);
        EXPECT_EQ(tfx::evt_pnu(rec), a.priv);
        EXPECT_EQ(tfx::evt_s2(rec), e.s2);
        EXPECT_EQ(tfx::evt_class(rec), e.cls);
        if (e.type == EV_WALK_EABT) {
            EXPECT_EQ(tfx::evt_fetch(rec), e.fetch & 0x00FFFFFFFFFFFFF8ull);
        } else if (e.s2) {
            EXPECT_EQ(tfx::evt_ipa(rec), e.ipa & 0x00FFFFFFFFFFF000ull);
        }
        if (e.type == EV_PERMISSION && e.cls == CLS_TT) {
            EXPECT_EQ(tfx::evt_ttrnw(rec), e.ttrnw);
        }
    }

    static Access random_access(Rng &rng) {
        Access a;
        unsigned k = (unsigned)rng.below(10);
        a.write = k >= 5 && k < 8;
        a.exec = k >= 8; // instruction fetches are reads (InD == 0 when RnW == 0)
        a.priv = rng.pct(50);
        return a;
    }
};

} // namespace inv
