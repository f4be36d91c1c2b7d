// SPDX-License-Identifier: Apache-2.0 OR MIT
// The Secure programming interface's registers (spec 3.10.2, 6.2, 6.3.52-6.3.82): the SMMU_S_*
// bank, its update protocols, and its isolation from Non-secure register accesses. Offsets and
// fields are written here from the spec's tables (6.2.1 "Registers in Page 0", 6.3.x).
#include "fixture.h"

using namespace tfx;

namespace {

// 6.2.1: the Secure bank of page 0.
constexpr uint64_t S_IDR0 = 0x8000, S_IDR1 = 0x8004, S_IDR2 = 0x8008, S_IDR3 = 0x800C,
                   S_IDR4 = 0x8010, S_CR0 = 0x8020, S_CR0ACK = 0x8024, S_CR1 = 0x8028,
                   S_CR2 = 0x802C, S_INIT = 0x803C, S_GBPA = 0x8044, S_IRQ_CTRL = 0x8050,
                   S_IRQ_CTRLACK = 0x8054, S_STRTAB_BASE = 0x8080, S_STRTAB_BASE_CFG = 0x8088,
                   S_CMDQ_BASE = 0x8090, S_EVENTQ_BASE = 0x80A0, S_EVENTQ_PROD = 0x80A8,
                   S_EVENTQ_CONS = 0x80AC;
// Non-secure registers used (6.2.1)
constexpr uint64_t CR0 = 0x20, CR0ACK = 0x24, GBPA = 0x44;
// S_CR0 (6.3.57): SMMUEN [0], EVENTQEN [2], CMDQEN [3], SIF [5]; bits 1 and 4 RES0.
constexpr uint32_t S_SMMUEN = 1u << 0, S_EVENTQEN = 1u << 2, S_CMDQEN = 1u << 3, S_SIF = 1u << 5;
// S_GBPA (6.3.63): Update [31], ABORT [20], NSCFG [15:14], SHCFG [13:12].
constexpr uint32_t GBPA_UPDATE = 1u << 31, GBPA_ABORT = 1u << 20;

struct Secure : SmmuTest {
    uint32_t rs32(uint64_t off) {
        return (uint32_t)smmu_reg_read_sec(smmu, off, 4, true);
    }
    uint64_t rs64(uint64_t off) {
        return smmu_reg_read_sec(smmu, off, 8, true);
    }
    void ws32(uint64_t off, uint32_t v) {
        smmu_reg_write_sec(smmu, off, v, 4, true);
    }
    void ws64(uint64_t off, uint64_t v) {
        smmu_reg_write_sec(smmu, off, v, 8, true);
    }
};

// S_IDR1.SECURE_IMPL = 1 with the default params, no Secure EL2 (SEL2 = 0), S_SIDSIZE as
// SIDSIZE (20); S_IDR0: STALL_MODEL as SMMU_IDR0's (0b00 with NSSTALLD = 0), Secure MSIs,
// no ECMDQ; S_IDR2-4 RES0 here (6.3.52-6.3.56).
TEST_F(Secure, SIdRegistersReportSecureImpl_6_3_52) {
    EXPECT_EQ(rs32(S_IDR1), (1u << 31) | 20u);
    EXPECT_EQ(rs32(S_IDR1) & (1u << 29), 0u); // SEL2
    EXPECT_EQ(rs32(S_IDR0), 1u << 13);        // MSI: Secure MSIs with the Non-secure ones (3.18)
    EXPECT_EQ(rs32(S_IDR2), 0u);
    EXPECT_EQ(rs32(S_IDR3), 0u);
    EXPECT_EQ(rs32(S_IDR4), 0u);
}

// A Secure access reaches the Non-secure registers too (6.2: "All other registers are
// accessible to both Secure and Non-secure accesses").
TEST_F(Secure, SecureAccessReachesNonSecureRegisters_6_2) {
    EXPECT_EQ(rs32(0x0004), r32(0x0004)); // SMMU_IDR1
    ws32(CR0, 1u << 2);                   // EVENTQEN
    EXPECT_EQ(r32(CR0ACK), 1u << 2);
}

// SMMU_S_* registers are RAZ/WI to Non-secure accesses (6.2, 3.10.2), S_INIT included.
TEST_F(Secure, NonSecureAccessToSecureBankIsRazWi_6_2) {
    EXPECT_EQ(r32(S_IDR1), 0u);
    ws32(S_CR0, S_EVENTQEN);
    w32(S_CR0, S_CMDQEN); // Non-secure write: ignored
    EXPECT_EQ(r32(S_CR0), 0u);
    EXPECT_EQ(rs32(S_CR0), S_EVENTQEN);
    w32(S_GBPA, GBPA_UPDATE | GBPA_ABORT);
    EXPECT_EQ(rs32(S_GBPA) & GBPA_ABORT, 0u);
    w64(S_STRTAB_BASE, 0x1234000);
    EXPECT_EQ(rs64(S_STRTAB_BASE), 0u);
    EXPECT_EQ(r64(S_STRTAB_BASE), 0u);
}

// S_CR0: the Update procedure is SMMU_CR0's, S_CR0ACK reflects the implemented fields; bits 1
// and 4 (PRIQEN / ATSCHK in SMMU_CR0) are RES0 (6.3.57, 6.3.58). The banks are independent
// (3.10.2.1).
TEST_F(Secure, SCr0AckFollowsSCr0_6_3_57) {
    ws32(S_CR0, S_SMMUEN | (1u << 1) | S_EVENTQEN | S_CMDQEN | (1u << 4) | S_SIF);
    EXPECT_EQ(rs32(S_CR0ACK), S_SMMUEN | S_EVENTQEN | S_CMDQEN | S_SIF);
    EXPECT_EQ(rs32(S_CR0), S_SMMUEN | S_EVENTQEN | S_CMDQEN | S_SIF);
    EXPECT_EQ(r32(CR0ACK), 0u); // the Non-secure interface is untouched
    w32(CR0, 1u << 3);
    EXPECT_EQ(rs32(S_CR0ACK), S_SMMUEN | S_EVENTQEN | S_CMDQEN | S_SIF);
}

// S_GBPA: a write without Update is ignored; with Update the fields (NSCFG included) take
// effect and Update reads 0 once complete (6.3.63, 6.3.14.1). SMMU_GBPA is a separate register.
TEST_F(Secure, SGbpaUpdateProtocol_6_3_63) {
    uint32_t before = rs32(S_GBPA);
    ws32(S_GBPA, GBPA_ABORT);
    EXPECT_EQ(rs32(S_GBPA), before);
    ws32(S_GBPA, GBPA_UPDATE | GBPA_ABORT | (3u << 14) | (1u << 12));
    EXPECT_EQ(rs32(S_GBPA), GBPA_ABORT | (3u << 14) | (1u << 12));
    EXPECT_EQ(r32(GBPA) & GBPA_ABORT, 0u);
}

// Guarded Secure registers: S_STRTAB_BASE(_CFG) and S_CR2 by S_CR0.SMMUEN, S_CMDQ_BASE by
// CMDQEN, S_EVENTQ_BASE and S_EVENTQ_PROD by EVENTQEN (6.3.60, 6.3.72-6.3.78).
TEST_F(Secure, SGuardedRegistersFollowTheirEnables_6_3_72) {
    ws64(S_STRTAB_BASE, 0x40000000);
    ws32(S_STRTAB_BASE_CFG, 8);
    ws32(S_CR2, 1u << 1); // RECINVSID
    ws32(S_CR0, S_SMMUEN | S_CMDQEN | S_EVENTQEN);
    ws64(S_STRTAB_BASE, 0x50000000);
    ws32(S_STRTAB_BASE_CFG, 6);
    ws32(S_CR2, 0);
    ws64(S_CMDQ_BASE, 0x60000000 | 5);
    ws64(S_EVENTQ_BASE, 0x61000000 | 5);
    ws32(S_EVENTQ_PROD, 3);
    EXPECT_EQ(rs64(S_STRTAB_BASE), 0x40000000u);
    EXPECT_EQ(rs32(S_STRTAB_BASE_CFG), 8u);
    EXPECT_EQ(rs32(S_CR2), 1u << 1);
    EXPECT_EQ(rs64(S_CMDQ_BASE), 0u);
    EXPECT_EQ(rs64(S_EVENTQ_BASE), 0u);
    EXPECT_EQ(rs32(S_EVENTQ_PROD), 0u);
    ws32(S_EVENTQ_CONS, 2); // software's pointer: always writable (6.3.79)
    EXPECT_EQ(rs32(S_EVENTQ_CONS), 2u);
    ws32(S_CR1, 0xFFF); // S_CR1 TABLE_* Guarded by SMMUEN, QUEUE_* by the queue enables
    EXPECT_EQ(rs32(S_CR1), 0u);
}

// S_IRQ_CTRL: GERROR_IRQEN [0] and EVENTQ_IRQEN [2]; no Secure PRI queue (bit 1 RES0);
// S_IRQ_CTRLACK follows (6.3.65, 6.3.66).
TEST_F(Secure, SIrqCtrlAckFollows_6_3_65) {
    ws32(S_IRQ_CTRL, 7);
    EXPECT_EQ(rs32(S_IRQ_CTRL), 5u);
    EXPECT_EQ(rs32(S_IRQ_CTRLACK), 5u);
}

// S_INIT.INV_ALL invalidates every configuration and translation cache and reads 0 once done
// (6.3.62, 3.11). The model drops its caches whenever an SMMUEN changes, so the invalidation is
// seen through the host's invalidation notice (SMMU_INV_ALL, <smmu/smmu.h>). A Non-secure write
// to S_INIT is RAZ/WI (6.3.62: "When an access is not Secure ... RAZ/WI").
TEST_F(Secure, SInitInvalidatesAllCaches_6_3_62) {
    size_t before = dev.scopes.size();
    w32(S_INIT, 1); // Non-secure: ignored
    EXPECT_EQ(dev.scopes.size(), before);
    ws32(S_INIT, 1);
    ASSERT_EQ(dev.scopes.size(), before + 1);
    EXPECT_EQ(dev.scopes.back().kind, SMMU_INV_ALL);
    EXPECT_EQ(rs32(S_INIT), 0u);
}

// INV_ALL while an SMMUEN is 1 is CONSTRAINED UNPREDICTABLE: this model ignores it (6.3.62).
TEST_F(Secure, SInitIgnoredWhileTranslating_6_3_62) {
    enable();
    size_t before = dev.scopes.size();
    ws32(S_INIT, 1);
    EXPECT_EQ(dev.scopes.size(), before);
    EXPECT_EQ(rs32(S_INIT), 0u);
}

struct NoSecure : Secure {
    void configure(smmu_params_t &p) override {
        p.secure_impl = false;
    }
};

// SECURE_IMPL == 0: the SMMU_S_* registers are RES0 to every access (6.2, 6.3.53).
TEST_F(NoSecure, SBankIsRes0WithoutSecureImpl_6_3_53) {
    EXPECT_EQ(rs32(S_IDR1), 0u);
    ws32(S_CR0, S_EVENTQEN);
    EXPECT_EQ(rs32(S_CR0), 0u);
    EXPECT_EQ(rs32(S_CR0ACK), 0u);
}

// SECURE_IMPL needs stage 1 (6.3.53): without it the Secure interface is not reported.
TEST(SecureParams, SecureImplNeedsStage1_6_3_53) {
    smmu_params_t p;
    smmu_params_init(&p);
    EXPECT_TRUE(p.secure_impl); // the documented default
    p.s1 = false;
    smmu_mem_t *m = smmu_mem_new();
    smmu_host_t h{};
    smmu_mem_host(m, &h);
    smmu_t *s = smmu_new(&p, &h);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(smmu_reg_read_sec(s, S_IDR1, 4, true), 0u);
    smmu_free(s);
    smmu_mem_free(m);
}

} // namespace
