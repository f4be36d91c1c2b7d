// SPDX-License-Identifier: Apache-2.0 OR MIT
// Secure MSIs (spec 3.18, 6.3.52 S_IDR0.MSI, 6.3.68-6.3.70 S_GERROR_IRQ_CFGn, 6.3.80-6.3.82
// S_EVENTQ_IRQ_CFGn, 4.7.3 CMD_SYNC): MSIs of the Secure sources are Secure writes to Secure PA
// space; and S_AGBPA (6.3.64), whose IMPLEMENTATION DEFINED attributes are unsupported (RES0).
#include "secure_fixture.h"
#include "tenc_cfg.h"
#include "tenc_cmd.h"

using namespace sfx;

namespace {

// 6.2: the Secure bank's interrupt registers; S_IRQ_CTRL GERROR_IRQEN [0], EVENTQ_IRQEN [2]
// (6.3.65); S_GERROR CMDQ_ERR [0] (6.3.67); S_AGBPA 0x8048 (6.3.64)
constexpr uint64_t S_IDR0 = 0x8000, S_AGBPA = 0x8048, S_GERROR_IRQ_CFG0 = 0x8068,
                   S_GERROR_IRQ_CFG1 = 0x8070, S_EVENTQ_IRQ_CFG0 = 0x80B0,
                   S_EVENTQ_IRQ_CFG1 = 0x80B8;
constexpr uint32_t GERROR_IRQEN = 1u << 0, EVENTQ_IRQEN = 1u << 2, CMDQ_ERR = 1u << 0;
constexpr uint64_t MSI_PA = 0x30000000;

struct SecureMsi : SecureTest {
    // The MSI writes at MSI_PA: each with its PA space.
    std::vector<Access> msis() const {
        std::vector<Access> v;
        for (const Access &a : accesses(MSI_PA, 4))
            if (a.write) v.push_back(a);
        return v;
    }
    void expect_one_secure_msi(uint32_t data) {
        auto m = msis();
        ASSERT_EQ(m.size(), 1u);
        EXPECT_TRUE(m[0].secure);
        EXPECT_EQ(get64(true, MSI_PA) & 0xFFFFFFFF, data);
        EXPECT_EQ(get64(false, MSI_PA), 0u);
    }
};

// S_IDR0.MSI, bit [13], is 1 with Non-secure MSIs (Arm recommends no Secure MSIs without them,
// 3.18) (6.3.52).
TEST_F(SecureMsi, SIdr0ReportsSecureMsi_6_3_52) {
    EXPECT_EQ(rs32(S_IDR0) & (1u << 13), 1u << 13);
    ws64(S_EVENTQ_IRQ_CFG0, MSI_PA);
    EXPECT_EQ(smmu_reg_read_sec(smmu, S_EVENTQ_IRQ_CFG0, 8, true), MSI_PA);
}

// A Secure Event queue interrupt with an MSI address: the MSI is a Secure write of
// S_EVENTQ_IRQ_CFG1's data to S_EVENTQ_IRQ_CFG0's address in Secure PA space (3.18).
TEST_F(SecureMsi, SecureEventqMsiIsSecureWrite_3_18) {
    enable(false);
    enable(true);
    ws64(S_EVENTQ_IRQ_CFG0, MSI_PA);
    ws32(S_EVENTQ_IRQ_CFG1, 0xC0FFEE);
    ws32(S_IRQ_CTRL, EVENTQ_IRQEN);
    log.clear();
    put_ste(true, 3, tenc::Ste().dw); // V == 0: C_BAD_STE to the Secure Event queue
    EXPECT_EQ(xlate(true, 3, 0x1000).status, SMMU_FAULT);
    expect_one_secure_msi(0xC0FFEE);
}

// A Secure global error with an MSI address: a Secure write of S_GERROR_IRQ_CFG1's data (3.18);
// the Non-secure GERROR is untouched.
TEST_F(SecureMsi, SecureGerrorMsiIsSecureWrite_3_18) {
    enable(false);
    enable(true);
    ws64(S_GERROR_IRQ_CFG0, MSI_PA);
    ws32(S_GERROR_IRQ_CFG1, 0xBEEF);
    ws32(S_IRQ_CTRL, GERROR_IRQEN);
    log.clear();
    tenc::Cmd bad(0xFF); // an opcode that is not a command: CERROR_ILL, S_GERROR.CMDQ_ERR (7.1)
    put64(true, CMDQ, bad.dw[0]);
    put64(true, CMDQ + 8, bad.dw[1]);
    ws32(S_CMDQ_PROD, 1);
    EXPECT_EQ(rs32(S_GERROR) & CMDQ_ERR, CMDQ_ERR);
    EXPECT_EQ(r32(0x60), 0u); // SMMU_GERROR
    expect_one_secure_msi(0xBEEF);
}

// CMD_SYNC with ComplSignal SIG_IRQ on the Secure Command queue sends its MSI as a Secure write
// to Secure PA space (4.7.3, 3.18).
TEST_F(SecureMsi, SecureCmdSyncMsiIsSecureWrite_4_7_3) {
    enable(false);
    enable(true);
    log.clear();
    tenc::Cmd c = tenc::cmd_sync_msi(MSI_PA, 0x5EC);
    put64(true, CMDQ, c.dw[0]);
    put64(true, CMDQ + 8, c.dw[1]);
    ws32(S_CMDQ_PROD, 1);
    EXPECT_EQ(rs32(S_CMDQ_CONS) & 0x1FF, 1u);
    expect_one_secure_msi(0x5EC);
}

// Without MSIs (params.msi false) S_IDR0.MSI is 0 and the MSI fields of S_EVENTQ_IRQ_CFGn are
// RES0: the Secure sources are wired only (6.3.52).
struct SecureMsiOff : SecureMsi {
    void configure(smmu_params_t &p) override {
        p.msi = false;
    }
};
TEST_F(SecureMsiOff, NoSecureMsiWithoutMsi_6_3_52) {
    EXPECT_EQ(rs32(S_IDR0) & (1u << 13), 0u);
    ws64(S_EVENTQ_IRQ_CFG0, MSI_PA);
    EXPECT_EQ(smmu_reg_read_sec(smmu, S_EVENTQ_IRQ_CFG0, 8, true), 0u);
}

// S_AGBPA's IMPLEMENTATION DEFINED attributes are not supported: the register is RES0, reads 0
// and ignores writes (6.3.64: "If this field is unsupported by an implementation, it is RES0").
TEST_F(SecureMsi, SAgbpaUnsupportedIsRes0_6_3_64) {
    ws32(S_AGBPA, 0xFFFFFFFF);
    EXPECT_EQ(rs32(S_AGBPA), 0u);
    EXPECT_EQ(r32(S_AGBPA), 0u);
}

} // namespace
