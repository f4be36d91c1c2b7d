// SPDX-License-Identifier: Apache-2.0 OR MIT
// Secure streams (spec 3.10): SEC_SID selects the Secure Stream table or S_GBPA, the Secure STE
// fields (Config, STRW, NSCFG), Secure stage 1 (CD.NSCFGx, NSTable, NS) and the PA space of every
// structure and walk access, Secure events to the Secure Event queue, S_CR0.SIF.
#include "secure_fixture.h"
#include "tenc_cfg.h"
#include "tenc_desc.h"

using namespace sfx;
using tenc::Cd;
using tenc::Desc;
using tenc::Ste;

namespace {

struct SecureStreams : SecureTest {
    // A 3-level stage-1 map (4KB granule, T0SZ 25: start level 1, Arm ARM D8.2.8) of va to oa,
    // its tables at TABLES in the given PA spaces: l1 (level 1 table), l2 (level 2 table), l3.
    // nstable: NSTable of the level-1 descriptor; ns: the page's NS bit.
    uint64_t map(bool l1, bool l2, bool l3, uint64_t va, uint64_t oa, bool nstable, bool ns) {
        const uint64_t t1 = TABLES, t2 = TABLES + 0x1000, t3 = TABLES + 0x2000;
        put64(l1, t1 + 8 * ((va >> 30) & 511), Desc::table(t2).nstable(nstable).v);
        put64(l2, t2 + 8 * ((va >> 21) & 511), Desc::table(t3).v);
        put64(l3, t3 + 8 * ((va >> 12) & 511), Desc::page(oa).ns(ns).v);
        return t1;
    }
    // A Secure stage-1 stream sid: STE and CD in Secure memory, the CD's TTB0 at ttb.
    void secure_s1(uint32_t sid, uint64_t ttb, bool nscfg0) {
        put_ste(true, sid, Ste::s1(CDTAB).dw);
        put_words(true, CDTAB, Cd::s1(ttb, 25).nscfg0(nscfg0).dw, 8);
    }
};

// 3.10.2.1: a Secure StreamID indexes the Secure Stream table, a Non-secure one the Non-secure
// table; the Secure Stream table is read from Secure PA space (3.10.2), the other from
// Non-secure, at the same address here.
TEST_F(SecureStreams, SecSidSelectsTheStreamTable_3_10_2_1) {
    enable(false);
    enable(true);
    put_ste(false, 3, Ste::abort().dw);
    put_ste(true, 3, Ste::bypass().dw);
    log.clear();
    EXPECT_EQ(xlate(true, 3, 0x4000).status, SMMU_OK);
    auto a = accesses(STRTAB + 64 * 3, 64);
    ASSERT_FALSE(a.empty());
    for (const Access &x : a)
        EXPECT_TRUE(x.secure);
    log.clear();
    EXPECT_EQ(xlate(false, 3, 0x4000).status, SMMU_FAULT);
    a = accesses(STRTAB + 64 * 3, 64);
    ASSERT_FALSE(a.empty());
    for (const Access &x : a)
        EXPECT_FALSE(x.secure);
}

// Each interface has its own SMMUEN: with S_CR0.SMMUEN == 0 Secure streams bypass through
// S_GBPA while Non-secure streams translate, and S_GBPA.ABORT aborts only Secure streams
// (3.10.2.1, 6.3.63).
TEST_F(SecureStreams, SecureBypassUsesSGbpa_3_10_2_1) {
    enable(false);
    put_ste(false, 1, Ste::abort().dw);
    EXPECT_EQ(xlate(true, 1, 0x5000).status, SMMU_OK);
    EXPECT_EQ(xlate(false, 1, 0x5000).status, SMMU_FAULT);
    ws32(S_GBPA, (1u << 31) | (1u << 20)); // Update, ABORT
    EXPECT_EQ(xlate(true, 1, 0x5000).status, SMMU_FAULT);
    w32(CR0, 0);                                        // Non-secure bypass (GBPA)
    EXPECT_EQ(xlate(false, 1, 0x5000).status, SMMU_OK); // SMMU_GBPA does not abort
    ws32(S_GBPA, (1u << 31) | (3u << 14) | (1u << 12)); // NSCFG 0b11: Non-secure
    EXPECT_TRUE(xlate(true, 1, 0x5000).ns);
    ws32(S_GBPA, (1u << 31) | (2u << 14) | (1u << 12)); // NSCFG 0b10: Secure
    EXPECT_FALSE(xlate(true, 1, 0x5000).ns);
}

// STE.NSCFG of a Secure stream with stage 1 bypassed: 0b10 Secure, 0b11 Non-secure, 0b0x the
// incoming NS (a Secure stream's transactions are Secure here) (5.2 NSCFG). A Non-secure
// stream's output is always Non-secure, whatever NSCFG (IGNORED, 5.2).
TEST_F(SecureStreams, NscfgSelectsBypassOutputNs_5_2) {
    enable(false);
    enable(true);
    const struct {
        unsigned nscfg;
        bool ns;
    } cases[] = {{0, false}, {1, false}, {2, false}, {3, true}};
    for (const auto &c : cases) {
        put_ste(true, 2, Ste::bypass().nscfg(c.nscfg).dw);
        put_ste(false, 2, Ste::bypass().nscfg(c.nscfg).dw);
        // each Stream table's cached STE goes with a CFGI_STE of its own Security state (4.3)
        ASSERT_TRUE(issue(true, {tenc::cfgi_ste(2).ssec(true)}));
        ASSERT_TRUE(issue(false, {tenc::cfgi_ste(2)}));
        smmu_result_t r = xlate(true, 2, 0x7000);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(r.ns, c.ns) << "NSCFG " << c.nscfg;
        r = xlate(false, 2, 0x7000);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_TRUE(r.ns) << "Non-secure stream, NSCFG " << c.nscfg;
    }
}

// Secure stage 1 (3.10.2, 5.4 NSCFG0; Arm ARM D8.4): with CD.NSCFG0 == 0 the walk starts in
// Secure memory; the page's NS bit is the output NS; the CD is read from Secure memory.
TEST_F(SecureStreams, SecureStage1LeafNsGivesOutputNs_3_10_2) {
    enable(true);
    const uint64_t va = 0x40201000;
    secure_s1(4, map(true, true, true, va, 0x80000000, false, true), false);
    log.clear();
    smmu_result_t r = xlate(true, 4, va + 0x10);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x80000010u);
    EXPECT_TRUE(r.ns);
    for (const Access &x : accesses(TABLES, 0x3000))
        EXPECT_TRUE(x.secure) << std::hex << x.pa;
    auto cd = accesses(CDTAB, 64);
    ASSERT_FALSE(cd.empty());
    EXPECT_TRUE(cd[0].secure);
    put64(true, TABLES + 0x2000 + 8 * ((va >> 12) & 511), Desc::page(0x80000000).ns(false).v);
    ASSERT_TRUE(issue(true, {tenc::tlbi_nh_all()})); // the Secure entry goes (4.4.2.1)
    r = xlate(true, 4, va + 0x10);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_FALSE(r.ns);
}

// NSTable == 1 in a Secure table descriptor: the next levels are read from Non-secure memory
// and the output is Non-secure whatever the leaf's NS bit (Arm ARM D8.4.1).
TEST_F(SecureStreams, NsTableMovesTheWalkToNonSecure_3_10_2) {
    enable(true);
    const uint64_t va = 0x40201000;
    secure_s1(4, map(true, false, false, va, 0x90000000, true, false), false);
    log.clear();
    smmu_result_t r = xlate(true, 4, va);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x90000000u);
    EXPECT_TRUE(r.ns);
    auto l1 = accesses(TABLES, 0x1000), l23 = accesses(TABLES + 0x1000, 0x2000);
    ASSERT_EQ(l1.size(), 1u);
    EXPECT_TRUE(l1[0].secure);
    ASSERT_EQ(l23.size(), 2u);
    EXPECT_FALSE(l23[0].secure);
    EXPECT_FALSE(l23[1].secure);
}

// CD.NSCFG0 == 1: the starting-level table is fetched with NS == 1 (5.4 NSCFG0), and so is the
// rest of the walk; the output is Non-secure.
TEST_F(SecureStreams, CdNscfg0StartsTheWalkNonSecure_5_4) {
    enable(true);
    const uint64_t va = 0x40201000;
    secure_s1(4, map(false, false, false, va, 0xA0000000, false, false), true);
    log.clear();
    smmu_result_t r = xlate(true, 4, va);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_TRUE(r.ns);
    auto t = accesses(TABLES, 0x3000);
    ASSERT_EQ(t.size(), 3u);
    for (const Access &x : t)
        EXPECT_FALSE(x.secure);
}

// A Non-secure stream's walks are Non-secure, and NSTable / NS are ignored (3.10.2: a
// Non-secure stream can only target Non-secure PA space).
TEST_F(SecureStreams, NonSecureStreamIgnoresNsBits_3_10_2) {
    enable(false);
    const uint64_t va = 0x40201000;
    put_ste(false, 5, Ste::s1(CDTAB).dw);
    put_words(false, CDTAB, Cd::s1(map(false, false, false, va, 0xB0000000, false, false), 25).dw,
              8);
    log.clear();
    smmu_result_t r = xlate(false, 5, va);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_TRUE(r.ns);
    for (const Access &x : log)
        EXPECT_FALSE(x.secure);
}

// A Secure STE with stage 2 (Config 0b11x) is ILLEGAL without Secure stage 2 (5.2 Config,
// S_IDR1.SEL2 == 0): C_BAD_STE, recorded in the Secure Event queue only (3.10.2.1).
TEST_F(SecureStreams, SecureStage2IsIllegalWithoutSel2_5_2) {
    enable(false);
    enable(true);
    put_ste(true, 6, Ste::s2(TABLES, 0, 25, 1).dw);
    EXPECT_EQ(xlate(true, 6, 0x1000).status, SMMU_FAULT);
    auto se = events(true);
    ASSERT_EQ(se.size(), 1u);
    EXPECT_EQ(evt_type(se[0]), C_BAD_STE);
    EXPECT_EQ(evt_sid(se[0]), 6u);
    EXPECT_TRUE(events(false).empty());
}

// Secure STRW (5.2): 0b00 Secure and 0b01 EL3 are legal, 0b10 (S-EL2 without SEL2) and 0b11
// are ILLEGAL.
TEST_F(SecureStreams, SecureStrwEncodings_5_2) {
    enable(true);
    const uint64_t va = 0x40201000;
    secure_s1(7, map(true, true, true, va, 0xC0000000, false, false), false);
    const struct {
        unsigned strw;
        bool ok;
    } cases[] = {{0, true}, {1, true}, {2, false}, {3, false}};
    for (const auto &c : cases) {
        put_ste(true, 7, Ste::s1(CDTAB).strw(c.strw).dw);
        // the STE, and the translations of the StreamWorld it had (4.3.1, 4.4.2)
        ASSERT_TRUE(issue(true, {tenc::cfgi_ste(7).ssec(true), tenc::tlbi_nh_all(),
                                 tenc::Cmd(tenc::OP_TLBI_EL3_ALL)}));
        EXPECT_EQ(xlate(true, 7, va).status == SMMU_OK, c.ok) << "STRW " << c.strw;
        auto se = events(true);
        if (!c.ok) {
            ASSERT_EQ(se.size(), 1u);
            EXPECT_EQ(evt_type(se[0]), C_BAD_STE);
        }
    }
}

// A Non-secure stream's event never reaches the Secure Event queue, and a Secure stream's never
// the Non-secure one; each queue's interrupt is its interface's (3.10.2.1, 3.18).
TEST_F(SecureStreams, EventsGoToTheQueueOfTheStreamsWorld_3_10_2_1) {
    enable(false);
    enable(true);
    w32(0x50, 1u << 2);                // IRQ_CTRL.EVENTQ_IRQEN
    ws32(S_IRQ_CTRL, 1u << 2);         // S_IRQ_CTRL.EVENTQ_IRQEN
    put_ste(false, 9, tenc::Ste().dw); // V == 0: C_BAD_STE
    put_ste(true, 10, tenc::Ste().dw);
    xlate(false, 9, 0);
    EXPECT_EQ(edges[SMMU_IRQ_EVENTQ], 1);
    EXPECT_EQ(edges[SMMU_IRQ_S_EVENTQ], 0);
    xlate(true, 10, 0);
    EXPECT_EQ(edges[SMMU_IRQ_S_EVENTQ], 1);
    auto ne = events(false), se = events(true);
    ASSERT_EQ(ne.size(), 1u);
    ASSERT_EQ(se.size(), 1u);
    EXPECT_EQ(evt_sid(ne[0]), 9u);
    EXPECT_EQ(evt_sid(se[0]), 10u);
    // the Secure record is in Secure memory, the Non-secure one in Non-secure memory
    EXPECT_EQ(tenc::get(std::vector<uint64_t>{get64(false, EVTQ), 0}.data(), 32, 32), 9u);
    EXPECT_EQ(tenc::get(std::vector<uint64_t>{get64(true, EVTQ), 0}.data(), 32, 32), 10u);
}

// A Secure StreamID beyond the Secure table: C_BAD_STREAMID, recorded with S_CR2.RECINVSID
// in the Secure Event queue (6.3.60).
TEST_F(SecureStreams, SecureBadStreamIdUsesSCr2_6_3_60) {
    enable(false);
    enable(true);
    xlate(true, 1u << SID_BITS, 0);
    auto se = events(true);
    ASSERT_EQ(se.size(), 1u);
    EXPECT_EQ(evt_type(se[0]), C_BAD_STREAMID);
    EXPECT_TRUE(events(false).empty());
}

// S_CR0.SIF (6.3.57.2): a Secure stream's instruction fetch with a Non-secure output is a
// stage-1 F_PERMISSION (CLASS IN, S2 == 0), recorded; with SMMUEN == 0 it is aborted silently.
TEST_F(SecureStreams, SifDeniesNonSecureInstructionFetch_6_3_57) {
    enable(true, SIF);
    const uint64_t va = 0x40201000;
    secure_s1(4, map(true, true, true, va, 0x80000000, false, true), false);
    EXPECT_EQ(xlate(true, 4, va, false, false).status, SMMU_OK); // data read: allowed
    smmu_result_t r = xlate(true, 4, va, false, true);
    EXPECT_EQ(r.status, SMMU_FAULT);
    auto se = events(true);
    ASSERT_EQ(se.size(), 1u);
    EXPECT_EQ(evt_type(se[0]), F_PERMISSION);
    EXPECT_EQ(tenc::get(se[0].data(), 103, 1), 0u); // S2
    EXPECT_EQ(tenc::get(se[0].data(), 104, 2), 2u); // CLASS IN (0b10; 7.3)
    put64(true, TABLES + 0x2000 + 8 * ((va >> 12) & 511), Desc::page(0x80000000).ns(false).v);
    ASSERT_TRUE(issue(true, {tenc::tlbi_nh_all()}));
    EXPECT_EQ(xlate(true, 4, va, false, true).status, SMMU_OK); // Secure output: allowed
    ws32(S_CR0, SIF);                                           // bypass through S_GBPA
    ws32(S_GBPA, (1u << 31) | (3u << 14) | (1u << 12));         // NSCFG Non-secure
    EXPECT_EQ(xlate(true, 4, va, false, true).status, SMMU_FAULT);
    EXPECT_TRUE(events(true).empty());
}

struct NoSecureStreams : SecureStreams {
    void configure(smmu_params_t &p) override {
        p.secure_impl = false;
    }
};

// SECURE_IMPL == 0: SEC_SID is treated as 0 (3.10.1), so a transaction marked Secure uses the
// Non-secure Stream table and Non-secure memory, as before.
TEST_F(NoSecureStreams, SecSidIgnoredWithoutSecureImpl_3_10_1) {
    enable(false);
    put_ste(false, 3, Ste::bypass().dw);
    put_ste(true, 3, Ste::abort().dw);
    log.clear();
    smmu_result_t r = xlate(true, 3, 0x4000);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_TRUE(r.ns);
    for (const Access &x : log)
        EXPECT_FALSE(x.secure);
}

} // namespace
