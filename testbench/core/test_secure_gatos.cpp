// SPDX-License-Identifier: Apache-2.0 OR MIT
// The Secure ATOS group SMMU_S_GATOS_* (spec 9, 9.1, 6.3.83-6.3.86): lookups of Secure streams
// (S_GATOS_SID.SSEC = 1) or Non-secure ones (SSEC = 0) from the Secure interface, the final NS in
// S_GATOS_PAR, RUN guarded by S_CR0.SMMUEN, the group RAZ/WI to Non-secure accesses; the
// Non-secure SMMU_GATOS_* group never reaches a Secure stream.
#include "secure_fixture.h"
#include "tenc_atos.h"
#include "tenc_cfg.h"
#include "tenc_desc.h"

using namespace sfx;
using namespace tatos;
using tenc::Cd;
using tenc::Desc;
using tenc::Ste;

namespace {

constexpr uint64_t VA = 0x40201000, OA = 0x80000000;

struct SGatos : SecureTest {
    // A 3-level stage-1 map (4KB granule, T0SZ 25: start level 1) of VA to OA in one PA space,
    // the leaf's NS bit ns and AP 0b01 (EL0 too: the lookups are unprivileged, Arm ARM D8.4); the
    // stream sid's STE and CD in that space.
    void s1_stream(bool secure, uint32_t sid, uint64_t oa, bool ns) {
        const uint64_t t1 = TABLES, t2 = TABLES + 0x1000, t3 = TABLES + 0x2000;
        put64(secure, t1 + 8 * ((VA >> 30) & 511), Desc::table(t2).v);
        put64(secure, t2 + 8 * ((VA >> 21) & 511), Desc::table(t3).v);
        put64(secure, t3 + 8 * ((VA >> 12) & 511), Desc::page(oa).ap(0b01).ns(ns).v);
        put_ste(secure, sid, Ste::s1(CDTAB).dw);
        put_words(secure, CDTAB, Cd::s1(t1, 25).dw, 8);
    }
    // One lookup through a group (Secure: S_GATOS_*, by a Secure access) and its PAR.
    Par run(bool sgroup, uint64_t sidv, unsigned type, uint64_t addr, bool ind = false) {
        const uint64_t base = sgroup ? S_GATOS_CTRL - GATOS_CTRL : 0;
        Addr a{addr, type};
        a.ind = ind;
        smmu_reg_write_sec(smmu, base + GATOS_SID, sidv, 8, sgroup);
        smmu_reg_write_sec(smmu, base + GATOS_ADDR, a.v(), 8, sgroup);
        smmu_reg_write_sec(smmu, base + GATOS_CTRL, 1, 4, sgroup);
        return decode(smmu_reg_read_sec(smmu, base + GATOS_PAR, 8, sgroup));
    }
};

// SSEC = 1: the StreamID is looked up in the Secure Stream table, its Secure stage 1 gives the
// address and S_GATOS_PAR.NS the final NS attribute (the leaf's NS, 3.10.2) (9.1.2, 6.3.86).
TEST_F(SGatos, SecureStage1LookupGivesPaAndNs_6_3_86) {
    enable(false);
    enable(true);
    put_ste(false, 4, Ste::abort().dw);
    s1_stream(true, 4, OA, true);
    Par p = run(true, sid(4) | SSEC, T_S1, VA);
    ASSERT_FALSE(p.fault) << std::hex << p.code;
    EXPECT_EQ(p.pa, OA);
    EXPECT_TRUE(p.ns);
    put64(true, TABLES + 0x2000 + 8 * ((VA >> 12) & 511), Desc::page(OA).ap(0b01).ns(false).v);
    p = run(true, sid(4) | SSEC, T_S1, VA);
    ASSERT_FALSE(p.fault);
    EXPECT_FALSE(p.ns);
    EXPECT_TRUE(events(true).empty()); // an ATOS lookup records no event (9)
}

// SSEC = 0: the StreamID is a Non-secure one (Non-secure Stream table and memory), and the
// final NS of a Non-secure stream is 1 (9.1.2, 6.3.84).
TEST_F(SGatos, SsecZeroLooksUpNonSecureStream_6_3_84) {
    enable(false);
    enable(true);
    s1_stream(false, 4, OA + 0x10000, false);
    put_ste(true, 4, Ste::abort().dw);
    Par p = run(true, sid(4), T_S1, VA);
    ASSERT_FALSE(p.fault) << std::hex << p.code;
    EXPECT_EQ(p.pa, OA + 0x10000);
    EXPECT_TRUE(p.ns);
}

// The Non-secure group cannot reach Secure stream information (9): it has no SSEC, looks up the
// Non-secure stream of that number, and its PAR.NS is RES0 (6.3.40, 6.3.86 note).
TEST_F(SGatos, NonSecureGatosNeverReachesSecureStreams_9) {
    enable(false);
    enable(true);
    s1_stream(true, 4, OA, true);
    put_ste(false, 4, Ste::abort().dw);
    Par p = run(false, sid(4) | SSEC, T_S1, VA);
    ASSERT_TRUE(p.fault);
    EXPECT_EQ(p.code, INV_STAGE); // the Non-secure STE 4 aborts: it translates at no stage
    EXPECT_EQ(smmu_reg_read(smmu, GATOS_SID, 8) & SSEC, 0u);
    s1_stream(false, 4, OA, true);
    p = run(false, sid(4), T_S1, VA);
    ASSERT_FALSE(p.fault);
    EXPECT_FALSE(p.ns);
}

// A Non-secure access to 0x8100-0x811F is RAZ/WI (6.3.83-6.3.86): it neither reads nor changes
// the Secure group, and cannot start a Secure lookup.
TEST_F(SGatos, NonSecureAccessIsRazWi_6_3_83) {
    enable(false);
    enable(true);
    s1_stream(true, 4, OA, true);
    ws64(S_GATOS_SID, sid(4) | SSEC);
    ws64(S_GATOS_ADDR, Addr{VA, T_S1}.v());
    w64(S_GATOS_SID, sid(9));
    w64(S_GATOS_ADDR, Addr{0x1000, T_S1}.v());
    w32(S_GATOS_CTRL, 1);
    EXPECT_EQ(smmu_reg_read(smmu, S_GATOS_SID, 8), 0u);
    EXPECT_EQ(smmu_reg_read_sec(smmu, S_GATOS_PAR, 8, true), 0u); // no lookup ran
    EXPECT_EQ(smmu_reg_read_sec(smmu, S_GATOS_SID, 8, true), sid(4) | SSEC);
    ws32(S_GATOS_CTRL, 1);
    EXPECT_EQ(smmu_reg_read(smmu, S_GATOS_PAR, 8), 0u);
    Par p = decode(smmu_reg_read_sec(smmu, S_GATOS_PAR, 8, true));
    ASSERT_FALSE(p.fault);
    EXPECT_EQ(p.pa, OA);
}

// S_GATOS_SID keeps SSEC, SUBSTREAMID / SSID_VALID and STREAMID below the StreamID size; the
// bits above are RES0 (6.3.84, SIDSIZE 20 by default).
TEST_F(SGatos, SidKeepsSsecAndImplementedBits_6_3_84) {
    ws64(S_GATOS_SID, ~0ull);
    EXPECT_EQ(smmu_reg_read_sec(smmu, S_GATOS_SID, 8, true),
              SSEC | (1ull << 52) | (0xFFFFFull << 32) | 0xFFFFFull);
    w64(GATOS_SID, ~0ull);
    EXPECT_EQ(smmu_reg_read(smmu, GATOS_SID, 8), (1ull << 52) | (0xFFFFFull << 32) | 0xFFFFFull);
}

// RUN is Guarded by S_CR0.SMMUEN (6.3.83): with it 0 the write of RUN has no effect (the model's
// choice for the Non-secure group too); SMMU_CR0.SMMUEN does not guard the Secure group.
TEST_F(SGatos, RunGuardedBySSmmuen_6_3_83) {
    enable(true);
    s1_stream(true, 4, OA, true);
    ws32(S_CR0, EVENTQEN | CMDQEN);
    run(true, sid(4) | SSEC, T_S1, VA);
    EXPECT_EQ(smmu_reg_read_sec(smmu, S_GATOS_PAR, 8, true), 0u);
    ws32(S_CR0, EVENTQEN | CMDQEN | SMMUEN); // SMMU_CR0.SMMUEN stays 0
    Par p = run(true, sid(4) | SSEC, T_S1, VA);
    ASSERT_FALSE(p.fault);
    EXPECT_EQ(p.pa, OA);
}

// A lookup of a Non-secure stream from the Secure group also needs SMMU_CR0.SMMUEN (9): without
// it the lookup ends with a failure, INTERNAL_ERR ("SMMUEN was cleared", 9.1.5).
TEST_F(SGatos, NonSecureStreamLookupNeedsSmmuen_9) {
    enable(true);
    s1_stream(false, 4, OA, true);
    Par p = run(true, sid(4), T_S1, VA);
    ASSERT_TRUE(p.fault);
    EXPECT_EQ(p.code, INTERNAL_ERR);
    enable(false);
    p = run(true, sid(4), T_S1, VA);
    EXPECT_FALSE(p.fault);
}

// Without Secure stage 2 (S_IDR1.SEL2 == 0) a stage-2 or stage-1-and-2 lookup of a Secure
// stream is INV_STAGE, determined at point A before the StreamID is checked (9.1.3, 9.1.5).
TEST_F(SGatos, SecureStage2LookupIsInvStage_9_1_3) {
    enable(false);
    enable(true);
    s1_stream(true, 4, OA, true);
    Par p = run(true, sid(4) | SSEC, T_S2, VA);
    ASSERT_TRUE(p.fault);
    EXPECT_EQ(p.code, INV_STAGE);
    p = run(true, sid(4) | SSEC, T_S12, VA);
    ASSERT_TRUE(p.fault);
    EXPECT_EQ(p.code, INV_STAGE);
    p = run(true, sid(0x900) | SSEC, T_S12, VA); // beyond the Secure Stream table
    ASSERT_TRUE(p.fault);
    EXPECT_EQ(p.code, INV_STAGE);
    p = run(true, sid(0x900) | SSEC, T_S1, VA);
    ASSERT_TRUE(p.fault);
    EXPECT_EQ(p.code, tatos::C_BAD_STREAMID); // S_STRTAB_BASE_CFG.LOG2SIZE is 8 (9.1.5)
}

// S_CR0.SIF makes a Secure stream's instruction lookup with a Non-secure output a stage-1
// F_PERMISSION (9.1.3 note, 6.3.57.2); a data lookup of the same page succeeds.
TEST_F(SGatos, SifFaultsSecureInstructionLookup_9_1_3) {
    enable(true, SIF);
    s1_stream(true, 4, OA, true);
    Par p = run(true, sid(4) | SSEC, T_S1, VA, true);
    ASSERT_TRUE(p.fault);
    EXPECT_EQ(p.code, tatos::F_PERMISSION);
    EXPECT_EQ(p.reason, R_S1);
    EXPECT_FALSE(run(true, sid(4) | SSEC, T_S1, VA).fault);
}

// Without SECURE_IMPL the Secure group is absent: RES0 to every access (6.3.83).
struct SGatosNoSecure : SGatos {
    void configure(smmu_params_t &p) override {
        p.secure_impl = false;
    }
};
TEST_F(SGatosNoSecure, GroupAbsentWithoutSecureImpl_6_3_83) {
    ws64(S_GATOS_SID, sid(4) | SSEC);
    EXPECT_EQ(smmu_reg_read_sec(smmu, S_GATOS_SID, 8, true), 0u);
}

// Without ATOS (IDR0.ATOS == 0) the Secure group is absent too: RES0 (6.3.83).
struct SGatosNoAtos : SGatos {
    void configure(smmu_params_t &p) override {
        p.atos = false;
    }
};
TEST_F(SGatosNoAtos, GroupAbsentWithoutAtos_6_3_83) {
    enable(true);
    s1_stream(true, 4, OA, true);
    ws64(S_GATOS_SID, sid(4) | SSEC);
    EXPECT_EQ(smmu_reg_read_sec(smmu, S_GATOS_SID, 8, true), 0u);
    ws64(S_GATOS_ADDR, Addr{VA, T_S1}.v());
    ws32(S_GATOS_CTRL, 1);
    EXPECT_EQ(smmu_reg_read_sec(smmu, S_GATOS_PAR, 8, true), 0u);
}

} // namespace
