// SPDX-License-Identifier: Apache-2.0 OR MIT
// Secure MPAM (spec chapter 17, 6.3.87-6.3.89): SMMU_S_MPAMIDR (with HAS_MPAM_NS,
// SMMUv3.3-MPAM_NS), SMMU_S_GMPAM and SMMU_S_GBPMPAM in the Secure bank (Secure accesses only),
// the labels of Secure streams (S_GBPMPAM in global bypass, the Secure STE), of the SMMU's
// accesses for Secure state (S_GMPAM for the Secure Stream table and queues, the STE's label for
// CD fetches and walks, 17.4) and the PARTID space they use (17.7: Secure unless MPAM_NS).
// Offsets and fields are written here from the spec text.
#include "secure_fixture.h"
#include "tenc_cfg.h"
#include "tenc_desc.h"

using namespace sfx;
using tenc::Cd;
using tenc::Desc;
using tenc::Ste;

namespace {

// 6.2.1 / 6.3.41-6.3.43, 6.3.87-6.3.89
constexpr uint64_t MPAMIDR = 0x130, GMPAM = 0x138, GBPMPAM = 0x13C;
constexpr uint64_t S_MPAMIDR = 0x8130, S_GMPAM = 0x8138, S_GBPMPAM = 0x813C;
constexpr uint32_t UPDATE = 1u << 31;      // (S_)GMPAM / (S_)GBPMPAM Update, bit [31]
constexpr uint32_t MPAM_NS = 1u << 24;     // S_GMPAM / S_GBPMPAM MPAM_NS, bit [24]
constexpr uint32_t HAS_MPAM_NS = 1u << 25; // S_MPAMIDR HAS_MPAM_NS, bit [25]
// PARTID [15:0], PMG [23:16] in all of them
constexpr uint32_t mpam_reg(unsigned partid, unsigned pmg) {
    return partid | pmg << 16;
}

bool same(const smmu_mpam_t &a, unsigned partid, unsigned pmg, bool ns) {
    return a.partid == partid && a.pmg == pmg && a.ns == ns;
}

// Secure maxima smaller than the Non-secure ones, so that the PARTID space of a label decides
// which values are in range: Secure PARTID_MAX 0x34 (6 bits), PMG_MAX 0x0F (4 bits); Non-secure
// 0xFF and 0x03 (8 and 2 bits).
struct SecureMpam : SecureTest {
    void configure(smmu_params_t &p) override {
        p.mpam = true;
        p.mpam_partid_max = 0xFF;
        p.mpam_pmg_max = 0x03;
        p.mpam_s_partid_max = 0x34;
        p.mpam_s_pmg_max = 0x0F;
        p.mpam_ns = true;
    }
    // A Secure stage-1 stream sid (STE and CD in Secure memory) mapping va to oa through a
    // 3-level Secure table (4KB granule, T0SZ 25: start level 1) at TABLES.
    void secure_s1(uint32_t sid, Ste ste, uint64_t va, uint64_t oa) {
        const uint64_t t1 = TABLES, t2 = TABLES + 0x1000, t3 = TABLES + 0x2000;
        put64(true, t1 + 8 * ((va >> 30) & 511), Desc::table(t2).v);
        put64(true, t2 + 8 * ((va >> 21) & 511), Desc::table(t3).v);
        put64(true, t3 + 8 * ((va >> 12) & 511), Desc::page(oa).v);
        put_ste(true, sid, ste.dw);
        put_words(true, CDTAB, Cd::s1(t1, 25).dw, 8);
    }
};

struct SecureMpamNoNs : SecureMpam {
    void configure(smmu_params_t &p) override {
        SecureMpam::configure(p);
        p.mpam_ns = false;
    }
};

// ------------------------------------------------------------------ registers

TEST_F(SecureMpam, SMpamidrReportsSecureMaximaAndHasMpamNs_6_3_87) {
    EXPECT_EQ(rs32(S_MPAMIDR), HAS_MPAM_NS | 0x0F0034u); // PMG_MAX [23:16], PARTID_MAX [15:0]
    EXPECT_EQ(r32(MPAMIDR), 0x0300FFu);                  // the Non-secure one is its own
    ws32(S_MPAMIDR, 0xFFFFFFFF);                         // RO
    EXPECT_EQ(rs32(S_MPAMIDR), HAS_MPAM_NS | 0x0F0034u);
}

TEST_F(SecureMpamNoNs, HasMpamNsClearWithoutTheMpamNsMechanism_6_3_87) {
    EXPECT_EQ(rs32(S_MPAMIDR), 0x0F0034u);
}

TEST_F(SecureMpam, NonSecureAccessToSMpamRegistersRazWi_6_2) {
    ws32(S_GMPAM, UPDATE | mpam_reg(0x21, 2));
    ws32(S_GBPMPAM, UPDATE | mpam_reg(0x22, 3));
    EXPECT_EQ(r32(S_MPAMIDR), 0u);
    EXPECT_EQ(r32(S_GMPAM), 0u);
    EXPECT_EQ(r32(S_GBPMPAM), 0u);
    w32(S_GMPAM, UPDATE | mpam_reg(0x11, 1));
    w32(S_GBPMPAM, UPDATE | mpam_reg(0x12, 1));
    EXPECT_EQ(rs32(S_GMPAM), mpam_reg(0x21, 2));
    EXPECT_EQ(rs32(S_GBPMPAM), mpam_reg(0x22, 3));
}

TEST_F(SecureMpam, SecureRegistersAreSeparateFromNonSecure_6_3_88_6_3_89) {
    EXPECT_EQ(rs32(S_GMPAM), 0u); // reset values (6.3.88, 6.3.89)
    EXPECT_EQ(rs32(S_GBPMPAM), 0u);
    ws32(S_GMPAM, mpam_reg(0x05, 1)); // no Update: IGNORED (the GMPAM protocol)
    EXPECT_EQ(rs32(S_GMPAM), 0u);
    ws32(S_GMPAM, UPDATE | mpam_reg(0x05, 1)); // Update completes: reads 0
    ws32(S_GBPMPAM, UPDATE | mpam_reg(0x06, 2));
    EXPECT_EQ(rs32(S_GMPAM), mpam_reg(0x05, 1));
    EXPECT_EQ(rs32(S_GBPMPAM), mpam_reg(0x06, 2));
    EXPECT_EQ(r32(GMPAM), 0u);
    EXPECT_EQ(r32(GBPMPAM), 0u);
    w32(GMPAM, UPDATE | mpam_reg(0x07, 3));
    EXPECT_EQ(rs32(S_GMPAM), mpam_reg(0x05, 1));
    EXPECT_EQ(rs32(GMPAM), mpam_reg(0x07, 3)); // a Secure access reaches the Non-secure one
}

// 6.3.88 SO_PARTID / SO_PMG: bits above the width of the maximum of the PARTID space that
// MPAM_NS selects are RES0: S_MPAMIDR's (6 and 4 bits), or SMMU_MPAMIDR's (8 and 2 bits).
TEST_F(SecureMpam, BitsAboveTheSpacesWidthsAreRes0_6_3_88) {
    ws32(S_GMPAM, UPDATE | mpam_reg(0xFFFF, 0xFF));
    EXPECT_EQ(rs32(S_GMPAM), mpam_reg(0x3F, 0x0F));
    ws32(S_GMPAM, UPDATE | MPAM_NS | mpam_reg(0xFFFF, 0xFF));
    EXPECT_EQ(rs32(S_GMPAM), MPAM_NS | mpam_reg(0xFF, 0x03));
    ws32(S_GBPMPAM, UPDATE | mpam_reg(0xFFFF, 0xFF));
    EXPECT_EQ(rs32(S_GBPMPAM), mpam_reg(0x3F, 0x0F));
}

TEST_F(SecureMpamNoNs, MpamNsIsRes0WithoutHasMpamNs_6_3_88) {
    ws32(S_GMPAM, UPDATE | MPAM_NS | mpam_reg(0x05, 1));
    ws32(S_GBPMPAM, UPDATE | MPAM_NS | mpam_reg(0x06, 1));
    EXPECT_EQ(rs32(S_GMPAM), mpam_reg(0x05, 1));
    EXPECT_EQ(rs32(S_GBPMPAM), mpam_reg(0x06, 1));
}

// ------------------------------------------------------------------ client transactions

TEST_F(SecureMpam, SGbpmpamLabelsSecureBypass_17_2) {
    ws32(S_GBPMPAM, UPDATE | mpam_reg(0x33, 5));
    w32(GBPMPAM, UPDATE | mpam_reg(0x44, 2));
    smmu_result_t r = xlate(true, 1, 0x5000); // S_CR0.SMMUEN == 0
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0x33u);
    EXPECT_EQ(r.pmg, 5u);
    EXPECT_FALSE(r.mpam_ns);     // Secure PARTID space (17.7)
    r = xlate(false, 1, 0x5000); // SMMU_CR0.SMMUEN == 0: GBPMPAM, Non-secure
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0x44u);
    EXPECT_EQ(r.pmg, 2u);
    EXPECT_TRUE(r.mpam_ns);
}

TEST_F(SecureMpam, SGbpmpamMpamNsSelectsNonSecurePartidSpace_17_7) {
    ws32(S_GBPMPAM, UPDATE | MPAM_NS | mpam_reg(0x80, 3)); // 0x80: beyond the Secure maximum
    smmu_result_t r = xlate(true, 1, 0x5000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0x80u);
    EXPECT_EQ(r.pmg, 3u);
    EXPECT_TRUE(r.mpam_ns);
}

TEST_F(SecureMpam, SecureSteLabelUsesSecurePartidSpace_17_2_17_7) {
    enable(true);
    put_ste(true, 2, Ste::bypass().partid(0x2A).pmg(0x0C).dw);
    smmu_result_t r = xlate(true, 2, 0x6000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0x2Au);
    EXPECT_EQ(r.pmg, 0x0Cu);
    EXPECT_FALSE(r.mpam_ns);
}

// 5.2 PARTID / PMG: for a Secure stream with HAS_MPAM_NS and STE.MPAM_NS == 1 the maxima are
// SMMU_MPAMIDR's, so a PARTID above S_MPAMIDR.PARTID_MAX but within MPAMIDR's is used as is.
TEST_F(SecureMpam, MpamNsSelectsNonSecurePartidSpace_5_2_17_7) {
    enable(true);
    put_ste(true, 2, Ste::bypass().partid(0x80).pmg(0x02).mpam_ns(true).dw);
    smmu_result_t r = xlate(true, 2, 0x6000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0x80u);
    EXPECT_EQ(r.pmg, 0x02u);
    EXPECT_TRUE(r.mpam_ns);
}

// 5.2 MPAM_NS: RES0 in a Non-secure STE (always Non-secure space) and in a Secure STE without
// HAS_MPAM_NS (Secure space).
TEST_F(SecureMpam, NonSecureSteMpamNsIsRes0_5_2) {
    enable(false);
    put_ste(false, 2, Ste::bypass().partid(0x10).pmg(1).mpam_ns(true).dw);
    smmu_result_t r = xlate(false, 2, 0x6000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0x10u);
    EXPECT_TRUE(r.mpam_ns);
}

TEST_F(SecureMpamNoNs, SecureSteMpamNsIsRes0WithoutHasMpamNs_5_2) {
    enable(true);
    put_ste(true, 2, Ste::bypass().partid(0x10).pmg(1).mpam_ns(true).dw);
    smmu_result_t r = xlate(true, 2, 0x6000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0x10u);
    EXPECT_EQ(r.pmg, 1u);
    EXPECT_FALSE(r.mpam_ns);
}

// ------------------------------------------------------------------ SMMU-originated accesses

// 17.4: the Secure Stream table and Secure queues carry S_GMPAM's label, in Secure PARTID
// space unless S_GMPAM.MPAM_NS; the Non-secure ones GMPAM's.
TEST_F(SecureMpam, SecureTableAndQueueAccessesCarrySGmpam_17_4) {
    enable(false);
    enable(true);
    ws32(S_GMPAM, UPDATE | mpam_reg(0x31, 7));
    w32(GMPAM, UPDATE | mpam_reg(0x91, 2));
    put_ste(true, 3, Ste().valid(false).dw);  // C_BAD_STE: a Secure event record
    put_ste(false, 3, Ste().valid(false).dw); // and a Non-secure one
    log.clear();
    EXPECT_EQ(xlate(true, 3, 0x1000).status, SMMU_FAULT);
    EXPECT_EQ(xlate(false, 3, 0x1000).status, SMMU_FAULT);
    unsigned n = 0;
    for (const Access &a : accesses(STRTAB + 64 * 3, 64)) {
        EXPECT_TRUE(a.secure ? same(a.m, 0x31, 7, false) : same(a.m, 0x91, 2, true)) << a.secure;
        n++;
    }
    EXPECT_GE(n, 2u);
    auto evt = accesses(EVTQ, 32u << EVTQ_LOG2);
    ASSERT_EQ(evt.size(), 2u);
    for (const Access &a : evt) {
        EXPECT_TRUE(a.write);
        EXPECT_TRUE(a.secure ? same(a.m, 0x31, 7, false) : same(a.m, 0x91, 2, true)) << a.secure;
    }
    // the Secure Command queue's read (a CMD_SYNC: opcode 0x46, 4.7.3), MPAM_NS set
    ws32(S_GMPAM, UPDATE | MPAM_NS | mpam_reg(0x92, 1));
    put64(true, CMDQ, 0x46);
    put64(true, CMDQ + 8, 0);
    log.clear();
    ws32(S_CMDQ_PROD, 1);
    auto cmd = accesses(CMDQ, 16);
    ASSERT_EQ(cmd.size(), 1u);
    EXPECT_TRUE(cmd[0].secure);
    EXPECT_TRUE(same(cmd[0].m, 0x92, 1, true));
}

// 17.4: a Secure stream's CD fetch and stage-1 walk carry the STE's PARTID and PMG (S1MPAM 0),
// in the STE's PARTID space: STE.MPAM_NS moves them, and the output, to Non-secure space
// (5.2 MPAM_NS: CD fetches, walks, client transactions).
TEST_F(SecureMpam, SecureCdFetchAndWalkCarryTheSteLabel_17_4_5_2) {
    enable(true);
    ws32(S_GMPAM, UPDATE | mpam_reg(0x01, 1));
    const uint64_t va = 0x40201000;
    for (bool ns : {false, true}) {
        secure_s1(4, Ste::s1(CDTAB).partid(0x2B).pmg(0x03).mpam_ns(ns), va, 0x80000000);
        // the STE changed: the Secure world invalidates what the last round cached (4.3.2, 4.4.2)
        ASSERT_TRUE(issue(true, {tenc::cfgi_ste(4).ssec(true), tenc::tlbi_nh_all()}));
        log.clear();
        smmu_result_t r = xlate(true, 4, va);
        ASSERT_EQ(r.status, SMMU_OK) << ns;
        EXPECT_TRUE(same(smmu_mpam_t{r.partid, r.pmg, r.mpam_ns}, 0x2B, 0x03, ns));
        auto cd = accesses(CDTAB, 64);
        ASSERT_FALSE(cd.empty());
        for (const Access &a : cd)
            EXPECT_TRUE(same(a.m, 0x2B, 0x03, ns)) << "CD fetch, MPAM_NS " << ns;
        auto walk = accesses(TABLES, 0x3000);
        ASSERT_EQ(walk.size(), 3u);
        for (const Access &a : walk)
            EXPECT_TRUE(same(a.m, 0x2B, 0x03, ns)) << "walk, MPAM_NS " << ns;
        for (const Access &a : accesses(STRTAB + 64 * 4, 64))
            EXPECT_TRUE(same(a.m, 0x01, 1, false)) << "STE fetch: S_GMPAM";
    }
}

// ------------------------------------------------------------------ configurations

// 2.5 / 2.9: MPAM_NS is an SMMUv3.3 option, so an SMMUv3.1 cannot report it.
TEST(SecureMpamParams, AnSmmuV3_1HasNoHasMpamNs_2_5_2_9) {
    smmu_params_t p;
    smmu_params_init(&p);
    p.arch_minor = 1;
    smmu_mem_t *m = smmu_mem_new();
    smmu_host_t h{};
    smmu_mem_host(m, &h);
    smmu_t *s = smmu_new(&p, &h);
    ASSERT_NE(s, nullptr);
    const uint32_t v = (uint32_t)smmu_reg_read_sec(s, S_MPAMIDR, 4, true);
    EXPECT_EQ(v & HAS_MPAM_NS, 0u);
    EXPECT_NE(v & 0xFFFFu, 0u); // MPAM itself (a v3.2 option) is kept
    smmu_free(s);
    smmu_mem_free(m);
}

// 6.3.87-6.3.89: RES0 without MPAM (IDR3.MPAM == 0); a Secure stream's label is then zero.
struct SecureMpamOff : SecureMpam {
    void configure(smmu_params_t &p) override {
        SecureMpam::configure(p);
        p.mpam = false;
    }
};

TEST_F(SecureMpamOff, SecureMpamRegistersRes0WithoutMpam_6_3_87) {
    ws32(S_GBPMPAM, UPDATE | mpam_reg(0x05, 1));
    EXPECT_EQ(rs32(S_MPAMIDR), 0u);
    EXPECT_EQ(rs32(S_GBPMPAM), 0u);
    smmu_result_t r = xlate(true, 1, 0x5000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_TRUE(same(smmu_mpam_t{r.partid, r.pmg, r.mpam_ns}, 0, 0, false));
}

} // namespace
