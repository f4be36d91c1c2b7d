// SPDX-License-Identifier: Apache-2.0 OR MIT
// Hardware update of the Access flag in Table descriptors (HAFT, spec 3.13.6; SMMUv3.4-HAFT,
// 2.8; Arm ARM D8.5.1.3 FEAT_HAFT): IDR0.HTTU == 0b11 (6.3.1), CD.HAFT (5.4), STE.S2HAFT (5.2),
// table AF updates at stage 1, stage 2 and nested (3.13.5), their order, failed and racing
// updates, the walk cache (R JFCYB) and ATS Translation Requests (3.13.7). Table descriptors
// are written with tenc_desc.h: AF is bit[10] of a Table descriptor when HAFT is enabled,
// IGNORED otherwise (Arm ARM D8.3.1, Tables D8-50, D8-51). The trees of walk_fixture.h create
// their table descriptors with AF == 0.
#include "nested_fixture.h"

using namespace twalk;

namespace {

constexpr uint64_t VA1 = 0x0000001234560000ull; // stage-1 input
constexpr uint64_t VA2 = VA1 + 0x1000;          // the next page: same level-3 table
constexpr uint64_t IPA1 = 0x12345000ull;        // stage-2 input
constexpr uint64_t PA1 = 0x000000ABCDE00000ull;
constexpr uint64_t AF = 1ull << 10;  // AF, bit[10] of Table, Block and Page descriptors
constexpr uint64_t IGN = 1ull << 55; // bit[55]: IGNORED in a Table descriptor (D8-50 [58:53])
constexpr uint8_t C_BAD_CD = 0x0A;

// IDR0.HTTU, bits [7:6] (6.3.1).
unsigned idr0_httu(uint64_t idr0) {
    return (unsigned)(idr0 >> 6) & 3;
}

class Haft : public WalkTest {
  protected:
    Tree t;
    void configure(smmu_params_t &) override {
        with_cas = true;
    }
    // Stage 1 only: a 4KB tree from level 0 (T0SZ 16) and an EL0 read/write page at VA1 (its
    // Table descriptors at levels 0, 1 and 2 have AF == 0); returns the leaf's address.
    uint64_t s1_setup(const Cd &cd, Desc leaf = Desc::page(PA1).ap(0b01)) {
        t = tree(12, 0, 48);
        s1_only(Cd(cd).ttb0(t.root));
        uint64_t a = slot(t, VA1, 3);
        put64(a, leaf.v);
        return a;
    }
    // Stage 2 only (4KB, T0SZ 25, SL0 1: start level 1): Table descriptors at levels 1 and 2.
    uint64_t s2_setup(const Ste &ste) {
        t = tree(12, 1, 39);
        s2_only(Ste(ste).s2ttb(t.root));
        uint64_t a = slot(t, IPA1, 3);
        put64(a, Desc::page(PA1).memattr(0xF).sh(3).s2ap(3).v);
        return a;
    }
    static Cd cd(bool ha, bool haft) {
        return Cd::s1(0).ha(ha).haft(haft);
    }
    static Ste s2ste(bool ha, bool haft) {
        return Ste::s2(0, S2TG_4K, 25, 1).s2ha(ha).s2haft(haft);
    }
    // The Table descriptor at level that leads to ia, and what it points to.
    uint64_t tbl(uint64_t ia, unsigned level) {
        return slot(t, ia, level);
    }
    uint64_t next_of(uint64_t ia, unsigned level) {
        return get64(tbl(ia, level)) & 0x0000FFFFFFFFF000ull;
    }
    // The Table descriptor at level as the tree wrote it (AF == 0).
    Desc fresh(uint64_t ia, unsigned level) {
        return Desc::table(next_of(ia, level));
    }
};

} // namespace

// ---- ID register and configuration (6.3.1, 2.9, 5.4, 5.2)

// 6.3.1 HTTU 0b11: "Access flag and Dirty state, and Access flag for Table descriptors
// supported", the default of the model.
TEST_F(Haft, IdrHttuIsHaftByDefault_6_3_1) {
    EXPECT_EQ(idr0_httu(r32(SMMU_IDR0)), 3u);
    EXPECT_EQ(smmu_params(smmu)->httu, 3u);
    EXPECT_EQ(r32(SMMU_AIDR) & 0xF, 3u) << "SMMUv3.3, which may include the v3.4 HAFT (2.9)";
}

// 2.9: an SMMUv3.x may include features of v3.(x+1), none of v3.(x+2): HAFT (v3.4, 2.8) is
// not offered by an SMMUv3.2, whose IDR0.HTTU then reads 0b10 and CD.HAFT is RES0.
TEST_F(Haft, HaftNeedsSmmuV3_3_2_9) {
    params.arch_minor = 2;
    create();
    EXPECT_EQ(idr0_httu(r32(SMMU_IDR0)), 2u);
    EXPECT_EQ(smmu_params(smmu)->httu, 2u);
    s1_setup(cd(true, true));
    expect_ok(xlate(sid, VA1), PA1);
    EXPECT_EQ(get64(tbl(VA1, 1)), fresh(VA1, 1).v) << "HAFT RES0: no table update";
}

// 5.4 HAFT: "If CD.HA is 0 and not IGNORED, it is ILLEGAL to set this field to 1" (CdIllegal:
// with IDR0.HTTU == 0b11), C_BAD_CD; {HD, HA} = 0b10 has HA == 0 too.
TEST_F(Haft, CdHaftWithoutHaIsIllegal_5_4) {
    for (bool hd : {false, true}) {
        create();
        s1_setup(cd(false, true).hd(hd));
        auto r = xlate(sid, VA1);
        EXPECT_EQ(r.status, SMMU_FAULT) << hd;
        EXPECT_EQ(r.event, C_BAD_CD) << hd;
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u);
        EXPECT_EQ(tfx::evt_type(ev[0]), C_BAD_CD);
        EXPECT_EQ(get64(tbl(VA1, 0)), fresh(VA1, 0).v);
    }
}

// 5.4 HAFT: "If SMMU_IDR0.HTTU != 0b11 this field is RES0": legal whatever HA is, and no Table
// descriptor is updated.
TEST_F(Haft, CdHaftIsRes0BelowHttu3_5_4) {
    const struct {
        unsigned httu;
        bool ha;
    } cases[] = {{0, false}, {1, true}, {1, false}, {2, true}, {2, false}};
    for (const auto &c : cases) {
        params.httu = (uint8_t)c.httu;
        create();
        s1_setup(cd(c.ha, true));
        expect_ok(xlate(sid, VA1), PA1);
        for (unsigned l = 0; l < 3; l++)
            EXPECT_EQ(get64(tbl(VA1, l)), fresh(VA1, l).v) << c.httu << c.ha << " level " << l;
        EXPECT_EQ(dev.cas_calls, 0);
    }
}

// 5.2 S2HAFT: ILLEGAL with S2HA == 0 (SteIllegal, IDR0.HTTU == 0b11): C_BAD_STE.
TEST_F(Haft, SteS2HaftWithoutS2HaIsIllegal_5_2) {
    s2_setup(s2ste(false, true));
    auto r = xlate(sid, IPA1);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, C_BAD_STE);
    events();
    EXPECT_EQ(get64(tbl(IPA1, 1)), fresh(IPA1, 1).v);
}

// 5.2 S2HAFT: RES0 unless IDR0.HTTU == 0b11.
TEST_F(Haft, SteS2HaftIsRes0BelowHttu3_5_2) {
    const struct {
        unsigned httu;
        bool ha;
    } cases[] = {{0, false}, {1, true}, {2, true}, {2, false}};
    for (const auto &c : cases) {
        params.httu = (uint8_t)c.httu;
        create();
        s2_setup(s2ste(c.ha, true));
        expect_ok(xlate(sid, IPA1), PA1);
        for (unsigned l = 1; l < 3; l++)
            EXPECT_EQ(get64(tbl(IPA1, l)), fresh(IPA1, l).v) << c.httu << c.ha << " level " << l;
    }
}

// ---- stage 1 (3.13.6; Arm ARM R CGKWB)

// Every Table descriptor of the walk with AF == 0 gets AF = 1 and nothing else changes.
TEST_F(Haft, S1TableAfSetOnWalk_3_13_6) {
    uint64_t leaf = s1_setup(cd(true, true));
    Desc before[3] = {fresh(VA1, 0), fresh(VA1, 1), fresh(VA1, 2)};
    expect_ok(xlate(sid, VA1 + 0x18), PA1 + 0x18);
    for (unsigned l = 0; l < 3; l++)
        EXPECT_EQ(get64(tbl(VA1, l)), before[l].v | AF) << "level " << l;
    EXPECT_EQ(get64(leaf), Desc::page(PA1).ap(0b01).v) << "leaf AF already 1: unchanged";
    EXPECT_EQ(dev.cas_calls, 3);
}

// One level at a time: only the Table descriptor with AF == 0 is written (an atomic
// read-modify-write, R BCWSB), the others already have AF == 1.
TEST_F(Haft, S1TableAfSetAtEachLevel_3_13_6) {
    for (unsigned clear = 0; clear < 3; clear++) {
        create();
        dev.cas_calls = 0;
        s1_setup(cd(true, true));
        for (unsigned l = 0; l < 3; l++)
            if (l != clear) put64(tbl(VA1, l), fresh(VA1, l).taf(true).v);
        expect_ok(xlate(sid, VA1), PA1);
        for (unsigned l = 0; l < 3; l++)
            EXPECT_EQ(get64(tbl(VA1, l)), fresh(VA1, l).taf(true).v) << clear << " " << l;
        EXPECT_EQ(dev.cas_calls, 1) << "level " << clear;
    }
}

// Arm ARM R XYNNS: when a descriptor's AF is updated, every Table descriptor leading to it has
// AF == 1 or is updated: the updates are made from the top level down, the leaf's last.
TEST_F(Haft, S1TableUpdatesPrecedeLeafUpdate_D8_5_1_3) {
    uint64_t leaf = s1_setup(cd(true, true), Desc::page(PA1).ap(0b01).af(false));
    std::vector<uint64_t> order;
    dev.before_cas = [&](uint64_t pa) { order.push_back(pa); };
    expect_ok(xlate(sid, VA1), PA1);
    std::vector<uint64_t> want = {tbl(VA1, 0), tbl(VA1, 1), tbl(VA1, 2), leaf};
    EXPECT_EQ(order, want);
    EXPECT_EQ(get64(leaf), Desc::page(PA1).ap(0b01).v);
}

// CD.HAFT == 0 with CD.HA == 1: "There is no AF in Table descriptors" (Table D8-90), bit[10] is
// IGNORED (D8-50): the walk succeeds and leaves it 0; the leaf's AF is still managed.
TEST_F(Haft, HaftOffLeavesTableAfAlone_D8_3_1) {
    uint64_t leaf = s1_setup(cd(true, false), Desc::page(PA1).ap(0b01).af(false));
    expect_ok(xlate(sid, VA1), PA1);
    for (unsigned l = 0; l < 3; l++)
        EXPECT_EQ(get64(tbl(VA1, l)), fresh(VA1, l).v) << "level " << l;
    EXPECT_EQ(get64(leaf), Desc::page(PA1).ap(0b01).v);
    EXPECT_EQ(dev.cas_calls, 1);
}

// No Access flag fault from Table descriptors (Arm ARM I HZHJT): with HTTU off for the stage
// (CD.HA == 0, so no HAFT either) a Table descriptor with bit[10] == 0 is followed.
TEST_F(Haft, NoAccessFaultFromTableWithoutHa_D8_5_1_3) {
    s1_setup(cd(false, false));
    expect_ok(xlate(sid, VA1), PA1);
    EXPECT_EQ(get64(tbl(VA1, 0)), fresh(VA1, 0).v);
    EXPECT_EQ(dev.cas_calls, 0);
}

// Big-endian tables (CD.ENDI): the Table descriptor is updated as it is stored.
TEST_F(Haft, S1BigEndianTableUpdated_3_13_6) {
    t = tree(12, 0, 48);
    t.be = true;
    s1_only(cd(true, true).ttb0(t.root).endi(true));
    wdesc(t, slot(t, VA1, 3), Desc::page(PA1).ap(0b01).v);
    uint64_t a = slot(t, VA1, 1);
    uint64_t before = rdesc(t, a);
    expect_ok(xlate(sid, VA1), PA1);
    EXPECT_EQ(rdesc(t, a), before | AF);
}

// ---- stage 2

TEST_F(Haft, S2TableAfSetOnWalk_3_13_6) {
    s2_setup(s2ste(true, true));
    Desc before[2] = {fresh(IPA1, 1), fresh(IPA1, 2)};
    expect_ok(xlate(sid, IPA1 + 4), PA1 + 4);
    EXPECT_EQ(get64(tbl(IPA1, 1)), before[0].v | AF);
    EXPECT_EQ(get64(tbl(IPA1, 2)), before[1].v | AF);
    EXPECT_EQ(dev.cas_calls, 2);
}

TEST_F(Haft, S2HaftOffLeavesTableAfAlone_D8_3_1) {
    s2_setup(s2ste(true, false));
    expect_ok(xlate(sid, IPA1), PA1);
    EXPECT_EQ(get64(tbl(IPA1, 1)), fresh(IPA1, 1).v);
    EXPECT_EQ(get64(tbl(IPA1, 2)), fresh(IPA1, 2).v);
    EXPECT_EQ(dev.cas_calls, 0);
}

// ---- faults and failed updates

// The model updates Table descriptors for the accesses the architecture requires it for (R
// CGKWB: a translated access), like the leaf's AF: a walk that ends in a fault writes nothing.
TEST_F(Haft, FaultingWalkLeavesTableAf_D8_5_1_3) {
    s1_setup(cd(true, true), Desc::page(PA1).ap(0b11)); // read-only
    expect_fault(xlate(sid, VA1, true),
                 Ev{.type = F_PERMISSION, .addr = VA1, .rnw = false, .cls = CLASS_IN});
    for (unsigned l = 0; l < 3; l++)
        EXPECT_EQ(get64(tbl(VA1, l)), fresh(VA1, l).v) << "level " << l;
    EXPECT_EQ(dev.cas_calls, 0);
}

// An external abort on a Table descriptor update is F_WALK_EABT, CLASS TT, with the PA of the
// descriptor (7.3.12: "fetching (or updating) a translation table descriptor").
TEST_F(Haft, S1TableUpdateAbortIsWalkEabt_7_3_12) {
    s1_setup(cd(true, true));
    dev.cas_abort = 1;
    expect_fault(xlate(sid, VA1),
                 Ev{.type = F_WALK_EABT, .addr = VA1, .cls = CLASS_TT, .fetch = tbl(VA1, 0)});
    EXPECT_EQ(get64(tbl(VA1, 0)), fresh(VA1, 0).v);
    EXPECT_EQ(dev.cas_calls, 1) << "nothing below is updated (R XYNNS)";
}

TEST_F(Haft, S2TableUpdateAbortIsWalkEabtStage2_7_3_12) {
    s2_setup(s2ste(true, true));
    dev.cas_abort = 1;
    expect_fault(
        xlate(sid, IPA1),
        Ev{.type = F_WALK_EABT, .addr = IPA1, .s2 = true, .cls = CLASS_IN, .fetch = tbl(IPA1, 1)});
}

// Another agent sets the level-0 AF (and an IGNORED bit) between the walk's read and the
// compare-and-swap: the CAS fails, the SMMU walks again (Arm ARM I YZSVV), finds AF == 1 there
// and updates the two levels below.
TEST_F(Haft, CasRaceOnTableRewalks_D8_5_1_3) {
    s1_setup(cd(true, true));
    const uint64_t l0 = tbl(VA1, 0), other = fresh(VA1, 0).v | AF | IGN;
    dev.before_cas = [&](uint64_t pa) {
        if (dev.cas_calls == 1) put64(pa, other);
    };
    expect_ok(xlate(sid, VA1), PA1);
    EXPECT_EQ(get64(l0), other) << "the other agent's value stays";
    EXPECT_EQ(get64(tbl(VA1, 1)), fresh(VA1, 1).v | AF);
    EXPECT_EQ(get64(tbl(VA1, 2)), fresh(VA1, 2).v | AF);
    EXPECT_EQ(dev.cas_calls, 3);
}

// The other agent invalidates the level-1 Table descriptor meanwhile: the walk uses the new
// descriptor (I YZSVV): F_TRANSLATION, and nothing below is updated.
TEST_F(Haft, CasRaceTableInvalidatedFaults_D8_5_1_3) {
    s1_setup(cd(true, true));
    const uint64_t l1 = tbl(VA1, 1), l2 = tbl(VA1, 2);
    const uint64_t l2_before = get64(l2);
    dev.before_cas = [&](uint64_t pa) {
        if (pa == l1) put64(pa, 0);
    };
    expect_fault(xlate(sid, VA1), Ev{.type = F_TRANSLATION, .addr = VA1, .cls = CLASS_IN});
    EXPECT_EQ(get64(l1), 0u);
    EXPECT_EQ(get64(l2), l2_before);
}

// An agent that changes the Table descriptor before every attempt: after 8 attempts the update
// counts as failed, F_WALK_EABT with the Table descriptor's PA (as for a leaf, test_httu).
TEST_F(Haft, CasRetriesExhaustedOnTableIsWalkEabt_7_3_12) {
    s1_setup(cd(true, true));
    dev.before_cas = [&](uint64_t pa) { put64(pa, get64(pa) ^ IGN); };
    expect_fault(xlate(sid, VA1),
                 Ev{.type = F_WALK_EABT, .addr = VA1, .cls = CLASS_TT, .fetch = tbl(VA1, 0)});
    EXPECT_EQ(dev.cas_calls, 8);
}

// ---- the walk cache (3.13.6: "any Table entry with the Access flag clear is not permitted to be
// cached in a TLB"; Arm ARM R JFCYB)

// A walk whose Table descriptors keep AF == 0 (its leaf faulted) caches none of them: after the
// page is mapped the next translation walks from the top again and sets every AF. A walk cache
// holding one of them would resume below it and leave its AF 0.
TEST_F(Haft, WalkCacheHoldsNoTableWithAfClear_3_13_6) {
    uint64_t leaf = s1_setup(cd(true, true), Desc::invalid());
    expect_fault(xlate(sid, VA1), Ev{.type = F_TRANSLATION, .addr = VA1, .cls = CLASS_IN});
    EXPECT_EQ(get64(tbl(VA1, 2)), fresh(VA1, 2).v);
    put64(leaf, Desc::page(PA1).ap(0b01).v); // invalid -> valid: no invalidation needed
    const uint64_t before = walk_reads();
    expect_ok(xlate(sid, VA1), PA1);
    for (unsigned l = 0; l < 3; l++)
        EXPECT_EQ(get64(tbl(VA1, l)), fresh(VA1, l).v | AF) << "level " << l;
    EXPECT_EQ(walk_reads() - before, 4u) << "levels 0 to 3 read again";
}

// The same after an update that failed (external abort): nothing was cached.
TEST_F(Haft, FailedTableUpdateCachesNothing_3_13_6) {
    s1_setup(cd(true, true));
    dev.cas_abort = 1;
    expect_fault(xlate(sid, VA1),
                 Ev{.type = F_WALK_EABT, .addr = VA1, .cls = CLASS_TT, .fetch = tbl(VA1, 0)});
    dev.cas_abort = 0;
    expect_ok(xlate(sid, VA1), PA1);
    for (unsigned l = 0; l < 3; l++)
        EXPECT_EQ(get64(tbl(VA1, l)), fresh(VA1, l).v | AF) << "level " << l;
}

// Once updated, the Table descriptors may be cached (with AF == 1): another page below the same
// level-2 descriptor resumes from the walk cache. Software that clears a Table AF must
// invalidate (3.13.6, the PE rules): until then the cached copy is used and memory keeps the 0.
TEST_F(Haft, WalkCacheKeepsUpdatedTable_3_13_6) {
    s1_setup(cd(true, true));
    put64(slot(t, VA2, 3), Desc::page(PA1 + 0x1000).ap(0b01).v);
    expect_ok(xlate(sid, VA1), PA1);
    put64(tbl(VA1, 1), fresh(VA1, 1).v); // another agent clears the level-1 AF, no TLBI
    const uint64_t before = walk_reads(), calls = (uint64_t)dev.cas_calls;
    expect_ok(xlate(sid, VA2), PA1 + 0x1000);
    EXPECT_EQ(walk_reads() - before, 1u) << "only the level-3 descriptor read";
    EXPECT_EQ(get64(tbl(VA1, 1)), fresh(VA1, 1).v);
    EXPECT_EQ((uint64_t)dev.cas_calls, calls);
}

// ---- debug translations and ATS

// A debug translation has no side effects (as for the leaf's flags, test_httu).
TEST_F(Haft, DebugTranslationWritesNoTableAf_3_13_6) {
    s1_setup(cd(true, true));
    smmu_txn_t tx = txn_of(sid, VA1, false);
    smmu_result_t r{};
    smmu_translate_dbg(smmu, &tx, &r);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, PA1);
    EXPECT_EQ(get64(tbl(VA1, 0)), fresh(VA1, 0).v);
    EXPECT_EQ(dev.cas_calls, 0);
}

// 3.13.6: "Hardware updates of Access flag in Table descriptors are caused by ATS Translation
// Requests in the same manner as hardware updates of the Access flag in page or block
// descriptors" (3.13.7.1: at the time of the request).
TEST_F(Haft, AtsRequestSetsTableAf_3_13_6) {
    t = tree(12, 0, 48);
    put_ste(sid, Ste::s1(tfx::CDTAB).eats(1).dw);
    put_words(tfx::CDTAB, cd(true, true).ttb0(t.root).dw, 8);
    enable();
    uint64_t leaf = slot(t, VA1, 3);
    put64(leaf, Desc::page(PA1).ap(0b01).af(false).v);
    smmu_ats_req_t q{};
    q.sid = sid;
    q.addr = VA1;
    q.nw = true;
    q.stus = 1;
    smmu_ats_resp_t resp{};
    smmu_ats_translate(smmu, &q, &resp);
    EXPECT_EQ(resp.status, SMMU_ATS_SC);
    EXPECT_TRUE(resp.r);
    for (unsigned l = 0; l < 3; l++)
        EXPECT_EQ(get64(tbl(VA1, l)), fresh(VA1, l).v | AF) << "level " << l;
    EXPECT_EQ(get64(leaf), Desc::page(PA1).ap(0b01).v);
}

// ---- nested (3.13.5)

namespace {
class HaftNested : public Nested {
  protected:
    void configure(smmu_params_t &) override {
        with_cas = true;
    }
    // Stage-1 tree whose Table descriptors have AF == 0, leaf AF == 1.
    void s1_tree() {
        s1t = tree(12, 0, 48, S1_DELTA);
        map(s1t, VA, 3, Desc::page(OUT_IPA).ap(0b01));
    }
    uint64_t s1_table(unsigned level) {
        return rdesc(s1t, slot(s1t, VA, level));
    }
    Desc s1_fresh(unsigned level) {
        return Desc::table(s1_table(level) & 0x0000FFFFFFFFF000ull);
    }
};
} // namespace

// The stage-1 Table descriptor updates are writes of their IPAs, which stage 2 grants: each one
// gets AF = 1 (3.13.5; Arm ARM I VPNMG).
TEST_F(HaftNested, Stage1TableUpdateThroughStage2_3_13_5) {
    build_s2();
    s1_tree();
    cd_ha = cd_haft = true;
    start();
    expect_ok(xlate(sid, VA), OUT_IPA);
    for (unsigned l = 0; l < 3; l++)
        EXPECT_EQ(s1_table(l), s1_fresh(l).v | AF) << "level " << l;
}

// Stage 2 maps the stage-1 tables read-only: the first Table descriptor update (level 0) is a
// stage-2 Permission fault, CLASS TT, TTRnW = 0, with that descriptor's IPA (3.13.5, 7.3.16),
// as for a leaf update.
TEST_F(HaftNested, Stage2ReadOnlyTablesForbidStage1TableUpdate_7_3_16) {
    build_s2(s2block(0).s2ap(0b01));
    s1_tree();
    cd_ha = cd_haft = true;
    start();
    expect_fault(xlate(sid, VA), tt_fault(F_PERMISSION, slot(s1t, VA, 0), false));
    for (unsigned l = 0; l < 3; l++)
        EXPECT_EQ(s1_table(l), s1_fresh(l).v) << "level " << l;
}

// STE.S2HAFT: the stage-2 walks made for the stage-1 table fetches set the AF of the stage-2
// Table descriptor that maps the stage-1 tables (3.13.5, Arm ARM R VNHWC with R CGKWB).
TEST_F(HaftNested, Stage2TableAfSetByStage1TableFetch_3_13_5) {
    build_s2();
    build_s1();
    const uint64_t s2l1 = slot(s2t, S1_DELTA, 1);
    const uint64_t before = get64(s2l1);
    ASSERT_EQ(before & AF, 0u);
    start(Ste().s2ha(true).s2haft(true));
    expect_ok(xlate(sid, VA), OUT_IPA);
    EXPECT_EQ(get64(s2l1), before | AF);
    EXPECT_EQ(s1_table(0) & AF, 0u) << "CD.HAFT == 0: stage-1 tables untouched";
}
