// SPDX-License-Identifier: Apache-2.0 OR MIT
// Hardware update of the Access flag and dirty state (HTTU, spec 3.13; Arm ARM D8.5): IDR0.HTTU
// (6.3.1), CD.HA/HD (5.4), STE.S2HA/S2HD (5.2), updates at stage 1, stage 2 and in nested walks
// (3.13.5), failed updates (7.3.12, 7.3.16), cached clean translations and the host's atomic
// compare-and-swap (host->mem_cas64) racing with another agent. Expected descriptors are written
// with the bit positions of the spec: AF bit[10], AP[2] bit[7] (AP[2:1] = bits [7:6]), S2AP[1]
// bit[7] (S2AP[1:0] = bits [7:6]), DBM bit[51] (tenc_desc.h).
#include "nested_fixture.h"

using namespace twalk;

namespace {

constexpr uint64_t VA1 = 0x0000001234560000ull; // stage-1 input of the stage-1 tests
constexpr uint64_t IPA1 = 0x12345000ull;        // stage-2 input of the stage-2 tests
constexpr uint64_t PA1 = 0x000000ABCDE00000ull;
constexpr uint64_t AF = 1ull << 10, AP2 = 1ull << 7, S2AP1 = 1ull << 7;

// IDR0.HTTU, bits [7:6] (6.3.1).
unsigned idr0_httu(uint64_t idr0) {
    return (unsigned)(idr0 >> 6) & 3;
}

class Httu : public WalkTest {
  protected:
    void configure(smmu_params_t &) override {
        with_cas = true;
    }
    // Stage 1 only, a 4KB tree, the CD given; a leaf at VA1 (level 3).
    uint64_t s1_leaf(Cd cd, const Desc &leaf) {
        Tree t = tree(12, 0, 48);
        s1_only(cd.ttb0(t.root));
        uint64_t a = slot(t, VA1, 3);
        put64(a, leaf.v);
        return a;
    }
    // Stage 2 only (4KB, T0SZ 25, SL0 1), S2HA / S2HD as given; a leaf at IPA1 (level 3).
    uint64_t s2_leaf(bool ha, bool hd, const Desc &leaf) {
        Tree t = tree(12, 1, 39);
        s2_only(Ste::s2(t.root, S2TG_4K, 25, 1).s2ha(ha).s2hd(hd));
        uint64_t a = slot(t, IPA1, 3);
        put64(a, leaf.v);
        return a;
    }
    static Cd cd(bool ha, bool hd) {
        return Cd::s1(0).ha(ha).hd(hd);
    }
    // An EL0 read-only page (AP[2:1] = 0b11): writable-clean when DBM = 1 and CD.HD = 1.
    static Desc ro_page(bool dbm, bool af = true) {
        return Desc::page(PA1).ap(0b11).dbm(dbm).af(af);
    }
    static Desc s2_page(unsigned s2ap, bool dbm, bool af = true) {
        return Desc::page(PA1).memattr(0xF).sh(3).s2ap(s2ap).dbm(dbm).af(af);
    }
};

} // namespace

// ---- ID register and configuration legality (6.3.1, 5.4, 5.2)

TEST_F(Httu, IdrHttuReportsParams_6_3_1) {
    EXPECT_EQ(idr0_httu(r32(SMMU_IDR0)), 3u) << "default: also the Table AF (HAFT, 3.13.6)";
    for (unsigned v = 0; v <= 3; v++) {
        params.httu = (uint8_t)v;
        create();
        EXPECT_EQ(idr0_httu(r32(SMMU_IDR0)), v);
        EXPECT_EQ(smmu_params(smmu)->httu, v);
    }
    params.httu = 4; // beyond the 2-bit field
    smmu_t *s = nullptr;
    smmu_host_t h{};
    smmu_mem_host(mem, &h);
    s = smmu_new(&params, &h);
    EXPECT_EQ(s, nullptr);
    smmu_free(s);
}

// 6.3.1: "An SMMU that internally supports HTTU but does not have requisite system support must
// mark HTTU as 0b00": a host without an atomic compare-and-swap.
TEST_F(Httu, IdrHttuZeroWithoutHostCas_6_3_1) {
    with_cas = false;
    create();
    EXPECT_EQ(params.httu, 3u);
    EXPECT_EQ(idr0_httu(r32(SMMU_IDR0)), 0u);
    EXPECT_EQ(smmu_params(smmu)->httu, 0u);
}

// 5.4 HA/HD: ILLEGAL to set HA with IDR0.HTTU == 0b00, HD with 0b00 or 0b01.
TEST_F(Httu, CdHaHdIllegalPerIdrHttu_5_4) {
    const struct {
        unsigned httu;
        bool ha, hd, legal;
    } cases[] = {{0, true, false, false}, {0, false, true, false}, {1, true, false, true},
                 {1, true, true, false},  {1, false, true, false}, {2, true, true, true},
                 {2, false, true, true}};
    for (const auto &c : cases) {
        params.httu = (uint8_t)c.httu;
        create();
        s1_leaf(cd(c.ha, c.hd), Desc::page(PA1).ap(0b01));
        auto r = xlate(sid, VA1);
        auto ev = events();
        if (c.legal) {
            EXPECT_EQ(r.status, SMMU_OK) << c.httu << c.ha << c.hd;
        } else {
            EXPECT_EQ(r.event, 0x0Au) << c.httu << c.ha << c.hd; // C_BAD_CD
            ASSERT_EQ(ev.size(), 1u);
            EXPECT_EQ(tfx::evt_type(ev[0]), 0x0Au); // C_BAD_CD
        }
    }
}

// 5.2 S2HA/S2HD: the same rule for the STE.
TEST_F(Httu, SteS2HaHdIllegalPerIdrHttu_5_2) {
    const struct {
        unsigned httu;
        bool ha, hd, legal;
    } cases[] = {{0, true, false, false}, {0, false, true, false}, {1, true, false, true},
                 {1, true, true, false},  {2, true, true, true},   {2, false, true, true}};
    for (const auto &c : cases) {
        params.httu = (uint8_t)c.httu;
        create();
        s2_leaf(c.ha, c.hd, s2_page(3, false));
        auto r = xlate(sid, IPA1);
        events();
        if (c.legal)
            EXPECT_EQ(r.status, SMMU_OK) << c.httu << c.ha << c.hd;
        else
            EXPECT_EQ(r.event, C_BAD_STE) << c.httu << c.ha << c.hd;
    }
}

// ---- stage 1 (3.13.2, 3.13.3)

TEST_F(Httu, S1AccessFlagSetOnFirstAccess_3_13_2) {
    Desc leaf = Desc::page(PA1).ap(0b01).af(false);
    uint64_t a = s1_leaf(cd(true, false), leaf);
    expect_ok(xlate(sid, VA1 + 0x10), PA1 + 0x10);
    EXPECT_EQ(get64(a), leaf.v | AF) << "AF set, nothing else changed";
    EXPECT_EQ(dev.cas_calls, 1);
    expect_ok(xlate(sid, VA1 + 0x20, true), PA1 + 0x20);
    EXPECT_EQ(dev.cas_calls, 1) << "AF already 1: no second update";
}

// HA set with AFFD: AFFD is IGNORED (5.4 AFFD) and the flag is still set.
TEST_F(Httu, S1AccessFlagSetEvenWithAffd_5_4) {
    Desc leaf = Desc::page(PA1).ap(0b01).af(false);
    uint64_t a = s1_leaf(cd(true, false).affd(true), leaf);
    expect_ok(xlate(sid, VA1), PA1);
    EXPECT_EQ(get64(a), leaf.v | AF);
}

// CD.HA == 0 (HTTU implemented): AF == 0 still faults F_ACCESS and memory is not written.
TEST_F(Httu, S1HaZeroStillAccessFault_3_13_2) {
    Desc leaf = Desc::page(PA1).ap(0b01).af(false);
    uint64_t a = s1_leaf(cd(false, false), leaf);
    expect_fault(xlate(sid, VA1), Ev{.type = F_ACCESS, .addr = VA1, .cls = CLASS_IN});
    EXPECT_EQ(get64(a), leaf.v);
    EXPECT_EQ(dev.cas_calls, 0);
}

// {HD, HA} == 0b10 is Reserved and behaves as 0b00 (5.4 HA).
TEST_F(Httu, S1HdWithoutHaBehavesAsDisabled_5_4) {
    uint64_t a = s1_leaf(cd(false, true), ro_page(true, false));
    expect_fault(xlate(sid, VA1), Ev{.type = F_ACCESS, .addr = VA1, .cls = CLASS_IN});
    put64(a, ro_page(true).v);
    expect_fault(xlate(sid, VA1, true),
                 Ev{.type = F_PERMISSION, .addr = VA1, .rnw = false, .cls = CLASS_IN});
    EXPECT_EQ(get64(a), ro_page(true).v);
}

TEST_F(Httu, S1DirtyWriteClearsAp2_3_13_3) {
    uint64_t a = s1_leaf(cd(true, true), ro_page(true));
    auto r = xlate(sid, VA1 + 8, true);
    expect_ok(r, PA1 + 8);
    EXPECT_EQ(get64(a), ro_page(true).v & ~AP2) << "AP[2] cleared, DBM kept";
    EXPECT_TRUE(r.perm & SMMU_PERM_W);
}

TEST_F(Httu, S1ReadLeavesDescriptorClean_3_13_3) {
    uint64_t a = s1_leaf(cd(true, true), ro_page(true));
    auto r = xlate(sid, VA1);
    expect_ok(r, PA1);
    EXPECT_EQ(get64(a), ro_page(true).v);
    EXPECT_EQ(r.perm & SMMU_PERM_W, 0) << "no write granted before the page is dirty";
    EXPECT_EQ(dev.cas_calls, 0);
}

// DBM == 0: genuinely read-only; the write faults and nothing is written.
TEST_F(Httu, S1WriteToDbmZeroReadOnlyFaults_3_13_3) {
    uint64_t a = s1_leaf(cd(true, true), ro_page(false));
    expect_fault(xlate(sid, VA1, true),
                 Ev{.type = F_PERMISSION, .addr = VA1, .rnw = false, .cls = CLASS_IN});
    EXPECT_EQ(get64(a), ro_page(false).v);
}

// HA only (no HD): a writable-clean descriptor is just read-only.
TEST_F(Httu, S1DirtyNeedsHd_3_13_3) {
    uint64_t a = s1_leaf(cd(true, false), ro_page(true));
    expect_fault(xlate(sid, VA1, true),
                 Ev{.type = F_PERMISSION, .addr = VA1, .rnw = false, .cls = CLASS_IN});
    EXPECT_EQ(get64(a), ro_page(true).v);
}

// A dirty update of a descriptor with AF == 0 sets AF too (3.13.2 last line; Arm ARM I DSHLJ).
TEST_F(Httu, S1DirtyUpdateAlsoSetsAf_3_13_2) {
    uint64_t a = s1_leaf(cd(true, true), ro_page(true, false));
    expect_ok(xlate(sid, VA1, true), PA1);
    EXPECT_EQ(get64(a), (ro_page(true, false).v | AF) & ~AP2);
}

// 3.13.3.1: dirty state update does not apply to a page made read-only by APTable.
TEST_F(Httu, S1ApTableReadOnlyIsNotMadeDirty_3_13_3_1) {
    Tree t = tree(12, 0, 48);
    t.table_bits[2] = 2ull << 61; // APTable = 0b10: no write access below
    s1_only(cd(true, true).ttb0(t.root));
    uint64_t a = slot(t, VA1, 3);
    put64(a, ro_page(true).v);
    expect_fault(xlate(sid, VA1, true),
                 Ev{.type = F_PERMISSION, .addr = VA1, .rnw = false, .cls = CLASS_IN});
    EXPECT_EQ(get64(a), ro_page(true).v);
}

// Arm ARM D8.5.2.2 R TTLCV / I NSYYW: a writable-clean descriptor counts as writable for WXN,
// so a privileged instruction fetch from it is execute-never; DBM == 0 leaves it executable.
TEST_F(Httu, S1WritableCleanCountsAsWritableForWxn_D8_5_2_2) {
    Desc clean = Desc::page(PA1).ap(0b10).dbm(true).uxn(true); // EL1 read-only
    uint64_t a = s1_leaf(cd(true, true).wxn(true), clean);
    expect_fault(xlate(sid, VA1, false, true, true),
                 Ev{.type = F_PERMISSION, .addr = VA1, .pnu = true, .ind = true, .cls = CLASS_IN});
    put64(a, clean.dbm(false).v);
    expect_ok(xlate(sid, VA1, false, true, true), PA1);
}

// Big-endian tables (CD.ENDI): the update is of the descriptor as it is stored.
TEST_F(Httu, S1BigEndianDescriptorUpdated_3_13_3) {
    Tree t = tree(12, 0, 48);
    t.be = true;
    s1_only(cd(true, true).ttb0(t.root).endi(true));
    uint64_t a = slot(t, VA1, 3);
    wdesc(t, a, ro_page(true, false).v);
    expect_ok(xlate(sid, VA1, true), PA1);
    EXPECT_EQ(rdesc(t, a), (ro_page(true, false).v | AF) & ~AP2);
}

// ---- stage 2

TEST_F(Httu, S2AccessFlagSetOnFirstAccess_3_13_2) {
    uint64_t a = s2_leaf(true, false, s2_page(3, false, false));
    expect_ok(xlate(sid, IPA1 + 4), PA1 + 4);
    EXPECT_EQ(get64(a), s2_page(3, false, false).v | AF);
}

TEST_F(Httu, S2HaZeroStillAccessFault_3_13_2) {
    uint64_t a = s2_leaf(false, false, s2_page(3, false, false));
    expect_fault(xlate(sid, IPA1),
                 Ev{.type = F_ACCESS, .addr = IPA1, .s2 = true, .cls = CLASS_IN, .ipa = IPA1});
    EXPECT_EQ(get64(a), s2_page(3, false, false).v);
}

TEST_F(Httu, S2DirtyWriteSetsS2ap1_3_13_3) {
    uint64_t a = s2_leaf(true, true, s2_page(1, true));
    expect_ok(xlate(sid, IPA1, false), PA1);
    EXPECT_EQ(get64(a), s2_page(1, true).v) << "a read leaves it clean";
    auto r = xlate(sid, IPA1, true);
    expect_ok(r, PA1);
    EXPECT_EQ(get64(a), s2_page(1, true).v | S2AP1);
    EXPECT_TRUE(r.perm & SMMU_PERM_W);
}

TEST_F(Httu, S2WriteToDbmZeroFaults_3_13_3) {
    uint64_t a = s2_leaf(true, true, s2_page(1, false));
    expect_fault(xlate(sid, IPA1, true), Ev{.type = F_PERMISSION,
                                            .addr = IPA1,
                                            .rnw = false,
                                            .s2 = true,
                                            .cls = CLASS_IN,
                                            .ipa = IPA1});
    EXPECT_EQ(get64(a), s2_page(1, false).v);
}

// ---- caches: a clean translation in the TLB / IPA cache (Arm ARM R SGJBL)

// A read fills the TLB (and the memo) with the clean translation; the write that follows must
// walk and make the descriptor dirty, after which writes hit.
TEST_F(Httu, S1CachedCleanEntryThenWriteUpdates_3_13_3) {
    uint64_t a = s1_leaf(cd(true, true), ro_page(true));
    expect_ok(xlate(sid, VA1), PA1);
    auto hit = xlate(sid, VA1);
    EXPECT_TRUE(hit.tlb_hit);
    EXPECT_EQ(get64(a), ro_page(true).v);
    uint64_t before = walk_reads();
    expect_ok(xlate(sid, VA1, true), PA1);
    EXPECT_EQ(get64(a), ro_page(true).v & ~AP2);
    EXPECT_GT(walk_reads(), before) << "the write walked";
    before = walk_reads();
    auto w = xlate(sid, VA1 + 0x40, true);
    expect_ok(w, PA1 + 0x40);
    EXPECT_TRUE(w.tlb_hit);
    EXPECT_EQ(walk_reads(), before);
    EXPECT_EQ(dev.cas_calls, 1);
}

TEST_F(Httu, S2CachedCleanEntryThenWriteUpdates_3_13_3) {
    uint64_t a = s2_leaf(true, true, s2_page(1, true));
    expect_ok(xlate(sid, IPA1), PA1);
    EXPECT_TRUE(xlate(sid, IPA1).tlb_hit);
    expect_ok(xlate(sid, IPA1, true), PA1);
    EXPECT_EQ(get64(a), s2_page(1, true).v | S2AP1);
    auto w = xlate(sid, IPA1, true);
    expect_ok(w, PA1);
    EXPECT_TRUE(w.tlb_hit);
}

// A cached genuinely read-only translation still faults a write (after walking again).
TEST_F(Httu, S1CachedReadOnlyEntryWriteStillFaults_3_13_3) {
    uint64_t a = s1_leaf(cd(true, true), ro_page(false));
    expect_ok(xlate(sid, VA1), PA1);
    expect_fault(xlate(sid, VA1, true),
                 Ev{.type = F_PERMISSION, .addr = VA1, .rnw = false, .cls = CLASS_IN});
    EXPECT_EQ(get64(a), ro_page(false).v);
}

// ---- failed updates and the compare-and-swap

// An external abort on the update: F_WALK_EABT, stage 1 CLASS TT with the descriptor's PA
// (7.3.12: "fetching (or updating) a translation table descriptor").
TEST_F(Httu, S1UpdateAbortIsWalkEabt_7_3_12) {
    uint64_t a = s1_leaf(cd(true, false), Desc::page(PA1).ap(0b01).af(false));
    dev.cas_abort = 1;
    expect_fault(xlate(sid, VA1),
                 Ev{.type = F_WALK_EABT, .addr = VA1, .cls = CLASS_TT, .fetch = a});
    EXPECT_EQ(get64(a), Desc::page(PA1).ap(0b01).af(false).v);
}

TEST_F(Httu, S2UpdateAbortIsWalkEabtStage2_7_3_12) {
    uint64_t a = s2_leaf(true, true, s2_page(1, true));
    dev.cas_abort = 1;
    expect_fault(xlate(sid, IPA1, true), Ev{.type = F_WALK_EABT,
                                            .addr = IPA1,
                                            .rnw = false,
                                            .s2 = true,
                                            .cls = CLASS_IN,
                                            .fetch = a});
}

// Another agent sets AF between the walk's read and the SMMU's compare-and-swap: the CAS fails,
// the SMMU reads the descriptor again (Arm ARM I YZSVV) and, AF being 1, writes nothing more.
TEST_F(Httu, CasRaceOtherAgentSetsAf_3_13_2) {
    Desc leaf = Desc::page(PA1).ap(0b01).af(false);
    uint64_t a = s1_leaf(cd(true, false), leaf);
    dev.before_cas = [&](uint64_t pa) {
        if (dev.cas_calls == 1) put64(pa, leaf.v | AF | (1ull << 55)); // + a software bit
    };
    expect_ok(xlate(sid, VA1), PA1);
    EXPECT_EQ(dev.cas_calls, 1);
    EXPECT_EQ(get64(a), leaf.v | AF | (1ull << 55)) << "the other agent's value stays";
}

// The other agent unmaps the page meanwhile: the SMMU uses the new descriptor: F_TRANSLATION.
TEST_F(Httu, CasRaceOtherAgentUnmaps_3_13_3) {
    uint64_t a = s1_leaf(cd(true, true), ro_page(true));
    dev.before_cas = [&](uint64_t pa) { put64(pa, 0); };
    expect_fault(xlate(sid, VA1, true),
                 Ev{.type = F_TRANSLATION, .addr = VA1, .rnw = false, .cls = CLASS_IN});
    EXPECT_EQ(get64(a), 0u);
}

// The other agent write-protects it (DBM cleared): the write is refused, nothing is written.
TEST_F(Httu, CasRaceOtherAgentClearsDbm_3_13_3) {
    uint64_t a = s1_leaf(cd(true, true), ro_page(true));
    dev.before_cas = [&](uint64_t pa) { put64(pa, ro_page(false).v); };
    expect_fault(xlate(sid, VA1, true),
                 Ev{.type = F_PERMISSION, .addr = VA1, .rnw = false, .cls = CLASS_IN});
    EXPECT_EQ(get64(a), ro_page(false).v);
    EXPECT_EQ(dev.cas_calls, 1);
}

// An agent that changes the descriptor before every attempt: after 8 attempts the update
// counts as failed, F_WALK_EABT (an IMPLEMENTATION DEFINED outcome 5.2/5.4 list for an update
// that cannot be made atomically).
TEST_F(Httu, CasRetriesExhaustedIsWalkEabt_5_4) {
    Desc leaf = Desc::page(PA1).ap(0b01).af(false);
    uint64_t a = s1_leaf(cd(true, false), leaf);
    dev.before_cas = [&](uint64_t pa) { put64(pa, get64(pa) ^ (1ull << 56)); };
    expect_fault(xlate(sid, VA1),
                 Ev{.type = F_WALK_EABT, .addr = VA1, .cls = CLASS_TT, .fetch = a});
    EXPECT_EQ(dev.cas_calls, 8);
}

// ---- HTTU disabled: today's answers exactly

TEST_F(Httu, HttuOffParamsKeepsAccessAndPermissionFaults_3_13_2) {
    params.httu = 0;
    create();
    uint64_t a = s1_leaf(cd(false, false), ro_page(true, false));
    expect_fault(xlate(sid, VA1), Ev{.type = F_ACCESS, .addr = VA1, .cls = CLASS_IN});
    put64(a, ro_page(true).v);
    expect_fault(xlate(sid, VA1, true),
                 Ev{.type = F_PERMISSION, .addr = VA1, .rnw = false, .cls = CLASS_IN});
    EXPECT_EQ(get64(a), ro_page(true).v);
    EXPECT_EQ(dev.cas_calls, 0);
}

// ---- debug translations have no side effect (they answer as an AT instruction would)

TEST_F(Httu, DebugTranslationWritesNothing_3_13_3) {
    uint64_t a = s1_leaf(cd(true, true), ro_page(true, false));
    smmu_txn_t t = txn_of(sid, VA1, true);
    smmu_result_t r{};
    smmu_translate_dbg(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, PA1);
    EXPECT_EQ(get64(a), ro_page(true, false).v);
    EXPECT_EQ(dev.cas_calls, 0);
}

// ---- ATS (3.13.7.1): NW == 0 to a writable-clean page marks it dirty and grants W; NW == 1
// never does.

TEST_F(Httu, AtsWriteRequestMarksDirty_3_13_7_1) {
    Tree t = tree(12, 0, 48);
    put_ste(sid, Ste::s1(tfx::CDTAB).eats(1).dw);
    put_words(tfx::CDTAB, cd(true, true).ttb0(t.root).dw, 8);
    enable();
    uint64_t a = slot(t, VA1, 3);
    put64(a, ro_page(true, false).v);
    smmu_ats_req_t q{};
    q.sid = sid;
    q.addr = VA1;
    q.nw = true;
    q.stus = 1;
    smmu_ats_resp_t resp{};
    smmu_ats_translate(smmu, &q, &resp);
    EXPECT_EQ(resp.status, SMMU_ATS_SC);
    EXPECT_TRUE(resp.r);
    EXPECT_FALSE(resp.w);
    EXPECT_EQ(get64(a), ro_page(true, false).v | AF) << "AF set, still clean";
    q.nw = false;
    smmu_ats_translate(smmu, &q, &resp);
    EXPECT_TRUE(resp.r);
    EXPECT_TRUE(resp.w);
    EXPECT_EQ(get64(a), (ro_page(true, false).v | AF) & ~AP2);
}

// ---- nested (3.13.5)

namespace {
class HttuNested : public Nested {
  protected:
    void configure(smmu_params_t &) override {
        with_cas = true;
    }
    // The stage-2 descriptor of the 2MB block that holds the stage-1 table at table PA pa.
    uint64_t s2_slot_of_table(uint64_t pa) {
        return slot(s2t, S1_DELTA + (pa & ~(MB2 - 1)), 2);
    }
    uint64_t s1_leaf_addr() {
        return slot(s1t, VA, 3) - S1_DELTA; // its PA
    }
};
} // namespace

// Stage-2 HTTU of the Access flag for the stage-1 table fetches and for the output IPA
// (3.13.5, Arm ARM R VNHWC).
TEST_F(HttuNested, Stage2AccessFlagSetDuringStage1Walk_3_13_5) {
    build_s2(s2block(0).af(false));
    map(s2t, 1 * GB, 1, s2block(1 * GB).af(false)); // holds OUT_IPA
    build_s1();
    start(Ste().s2ha(true));
    expect_ok(xlate(sid, VA), OUT_IPA);
    uint64_t leaf_pa = s1_leaf_addr();
    EXPECT_EQ(get64(s2_slot_of_table(leaf_pa)) & AF, AF) << "stage-2 block of the leaf's table";
    EXPECT_EQ(get64(s2_slot_of_table(s1t.root - S1_DELTA)) & AF, AF) << "of the root table";
    EXPECT_EQ(get64(slot(s2t, 1 * GB, 1)) & AF, AF) << "of the output IPA";
}

// The stage-1 AF update is a write of the descriptor's IPA: stage 2 grants it (S2AP = 0b11).
TEST_F(HttuNested, Stage1AccessFlagUpdateThroughStage2_3_13_5) {
    build_s2();
    s1t = tree(12, 0, 48, S1_DELTA);
    map(s1t, VA, 3, Desc::page(OUT_IPA).ap(0b01).af(false));
    cd_ha = true;
    start();
    expect_ok(xlate(sid, VA), OUT_IPA);
    EXPECT_EQ(get64(s1_leaf_addr()), Desc::page(OUT_IPA).ap(0b01).v);
}

// Stage 2 maps the stage-1 tables read-only: the update write is a stage-2 Permission fault,
// CLASS TT, TTRnW = 0, IPA = the stage-1 descriptor's IPA (3.13.5, 7.3.16).
TEST_F(HttuNested, Stage2ReadOnlyTablesForbidStage1Update_7_3_16) {
    build_s2(s2block(0).s2ap(0b01));
    s1t = tree(12, 0, 48, S1_DELTA);
    map(s1t, VA, 3, Desc::page(OUT_IPA).ap(0b01).af(false));
    cd_ha = true;
    start();
    uint64_t leaf_ipa = slot(s1t, VA, 3);
    expect_fault(xlate(sid, VA), tt_fault(F_PERMISSION, leaf_ipa, false));
    EXPECT_EQ(get64(s1_leaf_addr()), Desc::page(OUT_IPA).ap(0b01).af(false).v);
}

// Stage 2 maps the stage-1 tables writable-clean with S2HD: the stage-1 update makes that stage-2
// descriptor dirty first (Arm ARM R BDJJL), then the stage-1 descriptor is updated. The output
// IPA's stage-2 descriptor, also writable-clean, is only read: it stays clean.
TEST_F(HttuNested, Stage2DirtyForStage1UpdateWrite_3_13_5) {
    build_s2(s2block(0).s2ap(0b01).dbm(true));
    map(s2t, 1 * GB, 1, s2block(1 * GB).s2ap(0b01).dbm(true)); // holds OUT_IPA
    s1t = tree(12, 0, 48, S1_DELTA);
    map(s1t, VA, 3, Desc::page(OUT_IPA).ap(0b01).af(false));
    cd_ha = true;
    start(Ste().s2ha(true).s2hd(true));
    uint64_t leaf_pa = s1_leaf_addr();
    expect_ok(xlate(sid, VA), OUT_IPA);
    EXPECT_EQ(get64(leaf_pa), Desc::page(OUT_IPA).ap(0b01).v);
    EXPECT_EQ(get64(s2_slot_of_table(leaf_pa)) & S2AP1, S2AP1) << "written: now dirty";
    EXPECT_EQ(get64(slot(s2t, 1 * GB, 1)) & S2AP1, 0u) << "only read: still clean";
}

// The stage 2 of a CD fetch sets AF (3.13.2 note) but never S2AP[1] (3.13.3.1, last line).
TEST_F(HttuNested, CdFetchStage2SetsAfNeverDirty_3_13_3_1) {
    build_s2();
    map(s2t, 0, 1, s2block(0).s2ap(0b01).dbm(true).af(false)); // holds CDTAB
    build_s1();
    start(Ste().s2ha(true).s2hd(true));
    expect_ok(xlate(sid, VA), OUT_IPA);
    uint64_t d = get64(slot(s2t, 0, 1));
    EXPECT_EQ(d & AF, AF);
    EXPECT_EQ(d & S2AP1, 0u);
}
