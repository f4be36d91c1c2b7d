// SPDX-License-Identifier: Apache-2.0 OR MIT
// Address Translation Operations through the Non-secure SMMU_GATOS_* group (spec chapter 9,
// 6.3.37-6.3.40): IDR0.ATOS, the registers, lookups of stage 1, stage 2 and both, INV_REQ /
// INV_STAGE and their priority (9.1.3, 9.1.5), the FAULTCODE / REASON / FADDR of 9.1.4, and what
// ATOS does not do (record events, stall, apply STE overrides) or does (HTTU unless HTTUI).
// Registers and PAR are encoded and decoded by tenc_atos.h, written from the spec.
#include "drv_fixture.h"
#include "nested_fixture.h"
#include "tenc_atos.h"

using namespace tatos;
using twalk::Cd;
using twalk::Desc;
using twalk::MB2;
using twalk::Nested;
using twalk::OUT_IPA;
using twalk::S1_DELTA;
using twalk::S2TG_4K;
using twalk::Ste;
using twalk::Tree;
using twalk::UNMAPPED;
using twalk::VA;

namespace {

constexpr uint64_t VA1 = 0x0000001234560000ull; // stage-1 input of the single-stage streams
constexpr uint64_t IPA1 = 0x12345000ull;        // stage-2 input of the stage-2-only streams
constexpr uint64_t PA1 = 0x0000000ABCDE0000ull;

// IDR0.ATOS bit [15], IDR0.VATOS bit [20] (6.3.1).
constexpr uint32_t IDR0_ATOS = 1u << 15, IDR0_VATOS = 1u << 20;

class Atos : public Nested {
  protected:
    void configure(smmu_params_t &) override {
        with_cas = true; // HTTU (3.13) needs the host's compare-and-swap
    }
    // The lookup procedure of chapter 9: SID, ADDR, RUN = 1, then RUN reads 0 and PAR holds the
    // result.
    Par run(uint64_t sidv, const Addr &a) {
        w64(GATOS_SID, sidv);
        w64(GATOS_ADDR, a.v());
        w32(GATOS_CTRL, 1);
        EXPECT_EQ(r32(GATOS_CTRL) & 1u, 0u) << "RUN is cleared once PAR holds the result (9.1.1)";
        return decode(r64(GATOS_PAR));
    }
    Par run(unsigned type, uint64_t addr) {
        return run(tatos::sid(sid), Addr{addr, type});
    }
    static void expect_ok(const Par &p, uint64_t pa, uint64_t size) {
        EXPECT_FALSE(p.fault) << std::hex << "code 0x" << p.code << " reason " << p.reason;
        EXPECT_EQ(p.pa, pa) << std::hex << p.pa;
        EXPECT_EQ(p.size, size) << std::hex << p.size;
    }
    static void expect_fault(const Par &p, unsigned code, unsigned reason, uint64_t faddr = 0) {
        EXPECT_TRUE(p.fault);
        EXPECT_EQ(p.code, code) << std::hex << p.code;
        EXPECT_EQ(p.reason, reason);
        EXPECT_EQ(p.faddr, faddr) << std::hex << p.faddr;
    }
    // Stage 1 only: a 4KB tree with leaf at va (level), CD as given.
    Tree s1_stream(Cd cd, uint64_t va, unsigned level, const Desc &leaf) {
        Tree t = tree(12, 0, 48);
        map(t, va, level, leaf);
        s1_only(cd.ttb0(t.root));
        return t;
    }
    // Stage 2 only (4KB, T0SZ 25, SL0 1): leaf at ipa (level).
    Tree s2_stream(uint64_t ipa, unsigned level, const Desc &leaf, Ste ste = Ste()) {
        Tree t = tree(12, 1, 39);
        map(t, ipa, level, leaf);
        Ste s = Ste::s2(t.root, S2TG_4K, 25, 1);
        for (int i = 0; i < 8; i++)
            s.dw[i] |= ste.dw[i];
        s2_only(s);
        return t;
    }
    // Replaces STE.S1ContextPtr (bits [55:6]) of the stream in memory (5.2).
    void set_s1ctxptr(uint64_t ptr) {
        uint64_t dw0 = get64(tfx::STRTAB + 64ull * sid);
        tenc::put(&dw0, 6, 50, ptr >> 6);
        put64(tfx::STRTAB + 64ull * sid, dw0);
    }
};

class AtosOff : public Atos {
  protected:
    void configure(smmu_params_t &p) override {
        p.atos = false;
    }
};

class AtosNoS2 : public Atos {
  protected:
    void configure(smmu_params_t &p) override {
        p.s2 = false;
    }
};

} // namespace

// ---------------------------------------------------------------- ID and registers

TEST_F(Atos, IdrAtosSetVatosClear_6_3_1) {
    EXPECT_EQ(r32(SMMU_IDR0) & IDR0_ATOS, IDR0_ATOS);
    EXPECT_EQ(r32(SMMU_IDR0) & IDR0_VATOS, 0u);
    EXPECT_TRUE(smmu_params(smmu)->atos);
}

TEST_F(AtosOff, IdrAtosClearAndRegistersRazWi_6_3_37) {
    EXPECT_EQ(r32(SMMU_IDR0) & IDR0_ATOS, 0u);
    s1_stream(Cd::s1(0), VA1, 3, Desc::page(PA1).ap(0b01));
    w64(GATOS_SID, tatos::sid(sid));
    w64(GATOS_ADDR, Addr{VA1, T_S1}.v());
    w32(GATOS_CTRL, 1);
    for (uint64_t off = GATOS_CTRL; off < GATOS_PAR + 8; off += 4)
        EXPECT_EQ(r32(off), 0u) << std::hex << off;
}

// SID keeps STREAMID below SIDSIZE (20 by default), SUBSTREAMID below SSIDSIZE (20) and
// SSID_VALID; ADDR bits [5:0] are RES0; PAR is read-only (6.3.38-6.3.40).
TEST_F(Atos, SidAndAddrKeepImplementedBits_6_3_38) {
    w64(GATOS_SID, ~0ull);
    EXPECT_EQ(r64(GATOS_SID), (1ull << 52) | (0xFFFFFull << 32) | 0xFFFFFull);
    w64(GATOS_ADDR, ~0ull);
    EXPECT_EQ(r64(GATOS_ADDR), ~0x3Full);
    w32(GATOS_ADDR, 0x12345FFF); // a 32-bit access writes one half
    EXPECT_EQ(r64(GATOS_ADDR), 0xFFFFFFFF12345FC0ull);
    w64(GATOS_PAR, 0x1234000);
    EXPECT_EQ(r64(GATOS_PAR), 0u);
}

// 6.3.37: RUN is Guarded by SMMUEN; a RUN write while SMMUEN == 0 is IGNORED (SMMUv3.2).
TEST_F(Atos, RunIgnoredWhileSmmuDisabled_6_3_37) {
    w64(GATOS_SID, tatos::sid(sid));
    w64(GATOS_ADDR, Addr{VA1, T_S1}.v());
    w32(GATOS_CTRL, 1);
    EXPECT_EQ(r32(GATOS_CTRL), 0u);
    EXPECT_EQ(r64(GATOS_PAR), 0u);
    s1_stream(Cd::s1(0), VA1, 3, Desc::page(PA1).ap(0b01));
    Par p = run(T_S1, VA1);
    expect_ok(p, PA1, 0x1000);
    const uint64_t par = r64(GATOS_PAR);
    w32(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN); // SMMUEN = 0
    w64(GATOS_ADDR, Addr{VA1 + 0x1000, T_S1}.v());
    w32(GATOS_CTRL, 1);
    EXPECT_EQ(r32(GATOS_CTRL), 0u);
    EXPECT_EQ(r64(GATOS_PAR), par) << "no lookup made";
}

// ---------------------------------------------------------------- results (6.3.40, 9.1.4)

TEST_F(Atos, Stage1LookupGivesAddressAttrSh_6_3_40) {
    Tree t = s1_stream(Cd::s1(0), VA1, 3, Desc::page(PA1).ap(0b01).sh(3));
    // A 2MB Device block (MAIR attr1 = 0x04, Device-nGnRE) described Inner Shareable.
    map(t, VA1 + 8 * MB2, 2, Desc::block(0x40000000).ap(0b01).attrindx(1).sh(3));
    Par p = run(T_S1, VA1 + 0x123);
    expect_ok(p, PA1, 0x1000);
    EXPECT_EQ(p.attr, 0xFFu); // MAIR attr0: Normal WB
    EXPECT_EQ(p.sh, 3u);
    p = run(T_S1, VA1 + 8 * MB2 + 0x54000);
    expect_ok(p, 0x40000000, MB2);
    EXPECT_EQ(p.attr, 0x04u);
    EXPECT_EQ(p.sh, 2u) << "Device memory is reported Outer Shareable (9.1.4)";
    EXPECT_TRUE(events().empty());
}

// 6.3.40: a stage 2 lookup returns the stage-2 attributes with RA = WA = 1, TR = 0: MemAttr
// 0b1010 (Normal Outer and Inner Write-Through) is MAIR 0xBB.
TEST_F(Atos, Stage2LookupTakesIpaAndGivesS2Attributes_6_3_40) {
    s2_stream(IPA1, 3, Desc::page(PA1).memattr(0b1010).s2ap(3).sh(2));
    Par p = run(T_S2, IPA1);
    expect_ok(p, PA1, 0x1000);
    EXPECT_EQ(p.attr, 0xBBu);
    EXPECT_EQ(p.sh, 2u);
}

// Nested stream whose stage 1 gives IPA 4GB + 0x345000, which stage 2 maps to PA 0x345000.
TEST_F(Atos, Stage1And2LookupGivesPa_9_1_3) {
    build_s2();
    build_s1(S1_DELTA + 0x345000);
    start();
    Par p = run(T_S12, VA);
    expect_ok(p, 0x345000, 0x1000);
    EXPECT_EQ(p.attr, 0xFFu);
    EXPECT_EQ(p.sh, 3u) << "stage 1 NSH combined with stage 2 ISH (13.1.5)";
}

// 9: "VA to IPA for a stage 1 of a stage 1 and stage 2 configuration": the IPA is not
// translated further, and the stage-1 attributes are returned (6.3.40).
TEST_F(Atos, Stage1OnNestedReturnsIpa_9) {
    build_s2();
    build_s1(S1_DELTA + 0x345000);
    start();
    Par p = run(T_S1, VA);
    expect_ok(p, S1_DELTA + 0x345000, 0x1000);
    EXPECT_EQ(p.attr, 0xFFu);
    EXPECT_EQ(p.sh, 0u);
}

// TYPE 0b10 on a nested stream: the address is an IPA; a 2MB block gives Size with ADDR[20].
TEST_F(Atos, Stage2OnNestedTranslatesIpa_9_1_3) {
    setup_all();
    Par p = run(T_S2, S1_DELTA + 3 * MB2 + 0x45000);
    expect_ok(p, 3 * MB2, MB2);
    EXPECT_EQ(p.attr, 0xFFu);
    EXPECT_EQ(p.sh, 3u);
}

// ---------------------------------------------------------------- INV_REQ, INV_STAGE

TEST_F(Atos, ReservedTypeIsInvReqBeforeStreamChecks_9_1_5) {
    setup_all();
    expect_fault(run(tatos::sid(sid), Addr{VA, T_RESERVED}), INV_REQ, R_S1);
    // INV_REQ is decided before the configuration is read: it outranks C_BAD_STREAMID.
    expect_fault(run(tatos::sid(1000), Addr{VA, T_RESERVED}), INV_REQ, R_S1);
    EXPECT_TRUE(events().empty());
}

TEST_F(Atos, Stage2WithSubstreamIsInvReq_9_1_3) {
    setup_all();
    expect_fault(run(tatos::sid(sid, true, 0), Addr{S1_DELTA, T_S2}), INV_REQ, R_S1);
}

TEST_F(AtosNoS2, UnimplementedStageIsInvReq_9_1_3) {
    s1_stream(Cd::s1(0), VA1, 3, Desc::page(PA1).ap(0b01));
    expect_fault(run(T_S2, VA1), INV_REQ, R_S1);
    expect_fault(run(T_S12, VA1), INV_REQ, R_S1);
    expect_ok(run(T_S1, VA1), PA1, 0x1000);
}

TEST_F(Atos, UnconfiguredStageIsInvStage_9_1_3) {
    s1_stream(Cd::s1(0), VA1, 3, Desc::page(PA1).ap(0b01));
    expect_fault(run(T_S2, IPA1), INV_STAGE, R_S1);
    expect_fault(run(T_S12, VA1), INV_STAGE, R_S1);
    put_ste(sid, Ste::s2(0x30000000, S2TG_4K, 25, 1).dw); // now stage 2 only
    expect_fault(run(T_S1, VA1), INV_STAGE, R_S1);
    expect_fault(run(T_S12, VA1), INV_STAGE, R_S1);
}

// 9.1.3: a GATOS request for a stream with STE.Config 0b0xx or 0b100 is INV_STAGE.
TEST_F(Atos, AbortAndBypassStesAreInvStage_9_1_3) {
    put_ste(sid, Ste::abort().dw);
    put_ste(2, Ste::bypass().dw);
    enable();
    for (uint32_t s : {sid, 2u})
        for (unsigned type : {T_S1, T_S2, T_S12})
            expect_fault(run(tatos::sid(s), Addr{VA1, type}), INV_STAGE, R_S1);
    EXPECT_TRUE(events().empty());
}

// 9.1.5: INV_STAGE (point B) outranks C_BAD_SUBSTREAMID; C_BAD_STREAMID and C_BAD_STE outrank
// INV_STAGE.
TEST_F(Atos, InvStagePriority_9_1_5) {
    s2_stream(IPA1, 3, Desc::page(PA1).memattr(0xF).s2ap(3));
    expect_fault(run(tatos::sid(sid, true, 3), Addr{VA1, T_S1}), INV_STAGE, R_S1);
    expect_fault(run(tatos::sid(300), Addr{VA1, T_S1}), C_BAD_STREAMID, R_S1); // >= 2^8 STEs
    put_ste(2, Ste().config(tenc::CFG_S2).dw);                                 // V == 0
    expect_fault(run(tatos::sid(2), Addr{VA1, T_S1}), C_BAD_STE, R_S1);
}

// ---------------------------------------------------------------- configuration faults (9.1.5)

TEST_F(Atos, SubstreamFaultcodes_9_1_5) {
    Tree t = tree(12, 0, 48);
    map(t, VA1, 3, Desc::page(PA1).ap(0b01));
    put_ste(sid, Ste::s1(tfx::CDTAB, 1).s1dss(0b00).dw); // 2 CDs, S1DSS terminate
    put_words(tfx::CDTAB, Cd::s1(t.root).dw, 8);
    put_words(tfx::CDTAB + 64, Cd::s1(t.root).valid(false).dw, 8);
    enable();
    expect_fault(run(tatos::sid(sid, true, 2), Addr{VA1, T_S1}), C_BAD_SUBSTREAMID, R_S1);
    expect_fault(run(tatos::sid(sid), Addr{VA1, T_S1}), F_STREAM_DISABLED, R_S1);
    expect_fault(run(tatos::sid(sid, true, 1), Addr{VA1, T_S1}), C_BAD_CD, R_S1);
    expect_ok(run(tatos::sid(sid, true, 0), Addr{VA1, T_S1}), PA1, 0x1000);
    EXPECT_TRUE(events().empty());
}

TEST_F(Atos, Stage1TranslationFaultReasonS1_9_1_4) {
    s1_stream(Cd::s1(0), VA1, 3, Desc::page(PA1).ap(0b01));
    expect_fault(run(T_S1, VA1 + 0x1000), F_TRANSLATION, R_S1);
    expect_fault(run(T_S1, 1ull << 50), F_TRANSLATION, R_S1); // outside T0SZ 16
}

// 9.1.4: a stage 2 lookup reports its faults with REASON IN and FADDR 0.
TEST_F(Atos, Stage2FaultReasonInWithoutFaddr_9_1_4) {
    s2_stream(IPA1, 3, Desc::page(PA1).memattr(0xF).s2ap(1)); // read-only
    expect_fault(run(T_S2, IPA1 + 0x1000), F_TRANSLATION, R_IN);
    expect_fault(run(tatos::sid(sid), Addr{IPA1, T_S2, false}), F_PERMISSION, R_IN);
}

// 9.1.4 for a nested stream: stage-2 faults of the CD fetch (REASON CD), a stage-1 table fetch
// (TT) and the stage-1 output (IN) carry the IPA in FADDR for TYPE 0b11; a stage-1 lookup
// reports the first two as synthetic F_CD_FETCH / F_WALK_EABT and never faults on the IPA.
TEST_F(Atos, NestedS2FaultOnCdFetch_9_1_4) {
    setup_all();
    set_s1ctxptr(UNMAPPED + 0x40);
    expect_fault(run(T_S12, VA), F_TRANSLATION, R_CD, UNMAPPED);
    expect_fault(run(T_S1, VA), F_CD_FETCH, R_S1);
    EXPECT_TRUE(events().empty());
}

TEST_F(Atos, NestedS2FaultOnTableFetch_9_1_4) {
    build_s2();
    s1t = tree(12, 0, 48, UNMAPPED); // stage-1 tables at IPAs stage 2 does not map
    start();
    expect_fault(run(T_S12, VA), F_TRANSLATION, R_TT, s1t.root & ~0xFFFull);
    expect_fault(run(T_S1, VA), F_WALK_EABT, R_S1);
    EXPECT_TRUE(events().empty());
}

TEST_F(Atos, NestedS2FaultOnIpa_9_1_4) {
    build_s2();
    build_s1(UNMAPPED + 0x5000);
    start();
    expect_fault(run(T_S12, VA), F_TRANSLATION, R_IN, UNMAPPED + 0x5000);
    expect_ok(run(T_S1, VA), UNMAPPED + 0x5000, 0x1000);
    EXPECT_TRUE(events().empty());
}

// 9.1.4: a stage-1 fault of a nested lookup has REASON S1 and FADDR 0.
TEST_F(Atos, NestedStage1FaultReasonS1_9_1_4) {
    setup_all();
    expect_fault(run(T_S12, VA + 0x1000), F_TRANSLATION, R_S1);
}

// ---------------------------------------------------------------- S1DSS bypass (9.1.3)

TEST_F(Atos, S1dssBypassStage1ReturnsInput_9_1_3) {
    Tree t = tree(12, 0, 48);
    put_ste(sid, Ste::s1(tfx::CDTAB, 1).s1dss(0b01).dw);
    put_words(tfx::CDTAB, Cd::s1(t.root).dw, 8);
    enable();
    Par p = run(T_S1, 0x7654321000ull);
    EXPECT_FALSE(p.fault);
    EXPECT_EQ(p.pa & ~(p.size - 1), 0x7654321000ull & ~(p.size - 1));
    expect_fault(run(T_S1, 1ull << 60), F_ADDR_SIZE, R_S1); // beyond the IAS (3.4.1)
}

TEST_F(Atos, S1dssBypassStage1And2TranslatesInputAtStage2_9_1_3) {
    build_s2();
    build_s1();
    start(Ste().s1cdmax(1).s1dss(0b01));
    expect_ok(run(T_S12, S1_DELTA + 2 * MB2 + 0x3000), 2 * MB2, MB2);
    expect_fault(run(T_S12, UNMAPPED + 0x3000), F_TRANSLATION, R_IN, UNMAPPED + 0x3000);
}

// ---------------------------------------------------------------- what ATOS does not do (9)

// No event is recorded and nothing stalls, though the CD asks to stall; the same fault of a
// transaction stalls.
TEST_F(Atos, NoEventAndNoStallOnStallingStream_9) {
    s1_stream(Cd::s1(0).s(true), VA1, 3, Desc::page(PA1).ap(0b01));
    expect_fault(run(T_S1, VA1 + 0x1000), F_TRANSLATION, R_S1);
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
    smmu_result_t r = xlate(sid, VA1 + 0x1000);
    EXPECT_EQ(r.status, SMMU_STALLED);
}

TEST_F(Atos, NoEventOnStage2StallingStream_9) {
    s2_stream(IPA1, 3, Desc::page(PA1).memattr(0xF).s2ap(3), Ste().s2s(true));
    expect_fault(run(T_S2, IPA1 + 0x1000), F_TRANSLATION, R_IN);
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
}

// Tables 13.4, 13.5: STE.PRIVCFG / INSTCFG and MTCFG / MemAttr do not affect ATOS. PRIVCFG
// 0b11 (privileged) and INSTCFG 0b11 (instruction) with an EL1-only, PXN page; MTCFG with
// MemAttr Device-nGnRE.
TEST_F(Atos, SteOverridesIgnored_13_5) {
    Tree t = tree(12, 0, 48);
    map(t, VA1, 3, Desc::page(PA1).ap(0b00).pxn(true).sh(3)); // EL1 RW, EL0 none
    put_ste(sid, Ste::s1(tfx::CDTAB).privcfg(0b11).instcfg(0b11).mtcfg(true).memattr(0b0001).dw);
    put_words(tfx::CDTAB, Cd::s1(t.root).dw, 8);
    enable();
    smmu_result_t r = xlate(sid, VA1, false, false, false);
    EXPECT_EQ(r.status, SMMU_FAULT) << "the override makes the read a privileged fetch of PXN";
    events();
    expect_fault(run(tatos::sid(sid), Addr{VA1, T_S1, true, false}), F_PERMISSION, R_S1);
    Par p = run(tatos::sid(sid), Addr{VA1, T_S1, true, true}); // privileged data read
    expect_ok(p, PA1, 0x1000);
    EXPECT_EQ(p.attr, 0xFFu) << "the descriptor's attributes, not MTCFG's";
    EXPECT_EQ(p.sh, 3u);
    Addr fetch{VA1, T_S1, true, true, true};
    expect_fault(run(tatos::sid(sid), fetch), F_PERMISSION, R_S1); // InD: PXN
    EXPECT_TRUE(events().empty());
}

// ---------------------------------------------------------------- HTTU (9)

// HTTUI == 0: the Access flag and dirty state are updated as for a write transaction.
TEST_F(Atos, HttuiClearUpdatesAccessFlagAndDirty_9) {
    Tree t = s1_stream(Cd::s1(0).ha(true).hd(true), VA1, 3,
                       Desc::page(PA1).ap(0b11).dbm(true).af(false)); // writable-clean, AF 0
    const uint64_t a = slot(t, VA1, 3);
    expect_ok(run(tatos::sid(sid), Addr{VA1, T_S1, false}), PA1, 0x1000);
    EXPECT_EQ(get64(a) & (1ull << 10), 1ull << 10) << "AF set";
    EXPECT_EQ(get64(a) & (1ull << 7), 0u) << "AP[2] cleared: dirty";
}

// HTTUI == 1: no descriptor changes, the lookup behaves as if AF were 1 and writable-clean
// were writable; nothing cached marks it so: a write transaction then updates memory.
TEST_F(Atos, HttuiSetSucceedsWithoutUpdate_9) {
    Tree t = s1_stream(Cd::s1(0).ha(true).hd(true), VA1, 3,
                       Desc::page(PA1).ap(0b11).dbm(true).af(false));
    const uint64_t a = slot(t, VA1, 3), before = get64(a);
    Addr w{VA1, T_S1, false};
    w.httui = true;
    expect_ok(run(tatos::sid(sid), w), PA1, 0x1000);
    Addr rd{VA1, T_S1};
    rd.httui = true;
    expect_ok(run(tatos::sid(sid), rd), PA1, 0x1000);
    EXPECT_EQ(get64(a), before);
    smmu_result_t r = xlate(sid, VA1, true);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(get64(a) & ((1ull << 10) | (1ull << 7)), 1ull << 10) << "AF set, AP[2] cleared";
}

// HTTUI == 1 covers the stage-2 tables behind a nested stage 1 (9): S2HA with the 2MB blocks
// holding the stage-1 tables at AF == 0.
TEST_F(Atos, HttuiSetLeavesStage2TablesOfNestedWalk_9) {
    setup_all(Nested::s2block(0).af(false), Ste().s2ha(true));
    const uint64_t blk = slot(s2t, s1t.root, 2), before = get64(blk);
    Addr a{VA, T_S1};
    a.httui = true;
    expect_ok(run(tatos::sid(sid), a), OUT_IPA, 0x1000);
    EXPECT_EQ(get64(blk), before);
    a.httui = false;
    expect_ok(run(tatos::sid(sid), a), OUT_IPA, 0x1000);
    EXPECT_EQ(get64(blk) & (1ull << 10), 1ull << 10) << "stage-2 AF of the table fetch set";
}

// ---------------------------------------------------------------- driver (c_core/drv)

namespace {
class AtosDrv : public tfx::DrvTest {};
class AtosDrvOff : public tfx::DrvTest {
  protected:
    void configure(smmu_params_t &p) override {
        p.atos = false;
    }
};
} // namespace

// smmu_drv_atos runs the chapter-9 procedure: a stage-1 mapping made by the driver is found,
// an unmapped address gives F_TRANSLATION (0x10) with REASON 0b00, TYPE 0b10 on a stage-1
// stream INV_STAGE (0xFE).
TEST_F(AtosDrv, DriverLookupDecodesPar_9) {
    smmu_domain_t *dom = domain(1, 1, 4096, 48);
    ASSERT_NE(dom, nullptr);
    ASSERT_EQ(smmu_drv_map(drv, dom, 0x40000, 0x9000000, 0x1000, SMMU_PROT_R | SMMU_PROT_W), 0);
    ASSERT_EQ(smmu_drv_attach_s1(drv, 3, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    smmu_drv_atos_res_t r{};
    ASSERT_EQ(smmu_drv_atos(drv, 3, SMMU_DRV_NO_SSID, 0x40123, SMMU_DRV_ATOS_S1,
                            SMMU_DRV_READ | SMMU_DRV_PRIV, false, &r),
              0);
    EXPECT_FALSE(r.fault) << std::hex << unsigned(r.faultcode);
    EXPECT_EQ(r.pa, 0x9000000u);
    EXPECT_EQ(r.size, 0x1000u);
    ASSERT_EQ(smmu_drv_atos(drv, 3, SMMU_DRV_NO_SSID, 0x80000, SMMU_DRV_ATOS_S1,
                            SMMU_DRV_READ | SMMU_DRV_PRIV, false, &r),
              0);
    EXPECT_TRUE(r.fault);
    EXPECT_EQ(r.faultcode, 0x10u);
    EXPECT_EQ(r.reason, 0u);
    ASSERT_EQ(smmu_drv_atos(drv, 3, SMMU_DRV_NO_SSID, 0x40000, SMMU_DRV_ATOS_S2, SMMU_DRV_READ,
                            false, &r),
              0);
    EXPECT_EQ(r.faultcode, 0xFEu);
}

TEST_F(AtosDrvOff, DriverReportsNoAtos_6_3_1) {
    smmu_drv_atos_res_t r{};
    EXPECT_EQ(smmu_drv_atos(drv, 3, SMMU_DRV_NO_SSID, 0x40000, SMMU_DRV_ATOS_S1, SMMU_DRV_READ,
                            false, &r),
              SMMU_DRV_ENOTSUP);
}
