// SPDX-License-Identifier: Apache-2.0 OR MIT
// Global errors (spec 6.3.19 - 6.3.23, 7.5): GERROR/GERRORN handshake, the GERROR interrupt
// and its MSI.
#include "cmdq_fixture.h"

using namespace tfx;
using namespace tenc;

namespace {

constexpr uint64_t MSI_PA = 0x30000000;
constexpr uint64_t SYNC_MSI_PA = 0x30001000;

struct Gerror : CmdqTest {
    void SetUp() override {
        CmdqTest::SetUp();
        enable();
    }
    // Activates CMDQ_ERR with an illegal command.
    void cmdq_error() {
        uint32_t at = prod;
        issue(Cmd(0x00));
        ASSERT_TRUE(cmdq_err());
        put_cmd(at, cmd_sync()); // so that an acknowledgement lets the queue drain
    }
    // Activates MSI_CMDQ_ABT_ERR (if inactive) with an aborted CMD_SYNC MSI.
    void msi_cmdq_abort() {
        issue(cmd_sync_msi(SYNC_MSI_PA, 1));
    }
    uint32_t mem32(uint64_t pa) {
        uint32_t v = 0;
        EXPECT_EQ(smmu_mem_read(mem, pa, &v, 4), 0);
        return v;
    }
};

// Conformance note 13: an error is active while GERROR[x] != GERRORN[x]; software acknowledges
// by writing GERRORN; the next occurrence toggles GERROR again.
TEST_F(Gerror, ErrorActiveWhileBitsDiffer) {
    EXPECT_EQ(r32(SMMU_GERROR), 0u);
    cmdq_error();
    EXPECT_EQ(r32(SMMU_GERROR), GERROR_CMDQ_ERR);
    EXPECT_EQ(r32(SMMU_GERRORN), 0u);
    w32(SMMU_GERRORN, GERROR_CMDQ_ERR);
    EXPECT_EQ(r32(SMMU_GERRORN), GERROR_CMDQ_ERR); // GERRORN reads back as written
    EXPECT_FALSE(cmdq_err());
    EXPECT_TRUE(drained());
    cmdq_error();
    EXPECT_EQ(r32(SMMU_GERROR), 0u); // toggled back: active again, GERRORN == 1
    EXPECT_TRUE(cmdq_err());
    w32(SMMU_GERROR, GERROR_CMDQ_ERR); // GERROR is read-only
    EXPECT_EQ(r32(SMMU_GERROR), 0u);
}

// 7.5: a bit is not toggled while its error is active; new occurrences are not logged.
TEST_F(Gerror, ActiveErrorIsNotToggledAgain) {
    ASSERT_EQ(smmu_mem_add_abort(mem, SYNC_MSI_PA, 4), 0);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    msi_cmdq_abort();
    msi_cmdq_abort();
    msi_cmdq_abort();
    EXPECT_EQ(r32(SMMU_GERROR), GERROR_MSI_CMDQ_ABT_ERR);
    EXPECT_EQ(irq.edges[IRQ_GERROR], 1);
    ack(GERROR_MSI_CMDQ_ABT_ERR);
    msi_cmdq_abort();
    EXPECT_EQ(r32(SMMU_GERROR), 0u);
    EXPECT_EQ(gerror_active(), GERROR_MSI_CMDQ_ABT_ERR);
    EXPECT_EQ(irq.edges[IRQ_GERROR], 2);
}

// 7.5.1, 6.3.16: the GERROR interrupt is triggered on activation only with GERROR_IRQEN.
TEST_F(Gerror, WiredIrqOnlyWithGerrorIrqen) {
    cmdq_error();
    EXPECT_EQ(irq.edges[IRQ_GERROR], 0);
    ack(GERROR_CMDQ_ERR);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    EXPECT_EQ(irq.edges[IRQ_GERROR], 0); // no interrupt for an earlier occurrence
    cmdq_error();
    EXPECT_EQ(irq.edges[IRQ_GERROR], 1);
    EXPECT_FALSE(irq.level[IRQ_GERROR]); // an edge
}

// 3.18, 6.3.21 - 6.3.22: the GERROR MSI writes IRQ_CFG1 to the IRQ_CFG0 address.
TEST_F(Gerror, MsiWritesCfg1DataToCfg0Address) {
    w64(SMMU_GERROR_IRQ_CFG0, MSI_PA);
    w32(SMMU_GERROR_IRQ_CFG1, 0x600DF00Du);
    w32(SMMU_GERROR_IRQ_CFG2, 0x31);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    cmdq_error();
    EXPECT_EQ(mem32(MSI_PA), 0x600DF00Du);
    EXPECT_EQ(irq.edges[IRQ_GERROR], 1); // and the wired output
}

// 6.3.21: ADDR == 0 sends no MSI.
TEST_F(Gerror, NoMsiWhenAddressZero) {
    w32(SMMU_GERROR_IRQ_CFG1, 0x1);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    push(Cmd(0x00));
    size_t pages = smmu_mem_pages(mem); // an MSI anywhere would allocate a page
    publish();
    EXPECT_TRUE(cmdq_err());
    EXPECT_EQ(irq.edges[IRQ_GERROR], 1);
    EXPECT_EQ(smmu_mem_pages(mem), pages);
}

// 7.5.1: an aborted GERROR MSI activates MSI_GERROR_ABT_ERR, which raises no interrupt.
TEST_F(Gerror, MsiAbortSetsMsiGerrorAbtErrWithoutAnotherIrq) {
    w64(SMMU_GERROR_IRQ_CFG0, MSI_PA);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    ASSERT_EQ(smmu_mem_add_abort(mem, MSI_PA, 4), 0);
    cmdq_error();
    EXPECT_EQ(gerror_active(), GERROR_CMDQ_ERR | GERROR_MSI_GERROR_ABT_ERR);
    EXPECT_EQ(irq.edges[IRQ_GERROR], 1);
}

// 6.3.20: GERRORN holds only the implemented error fields.
TEST_F(Gerror, GerrornKeepsOnlyImplementedFields) {
    set_cr0(0); // nothing may consume while the handshake is driven by hand
    w32(SMMU_GERRORN, 0xFFFFFFFFu);
    EXPECT_EQ(r32(SMMU_GERRORN), 0x1FDu); // bits 0, 2-8
    w32(SMMU_GERRORN, 0);

    params.msi = false;
    create();
    w32(SMMU_GERRORN, 0xFFFFFFFFu);
    EXPECT_EQ(r32(SMMU_GERRORN), 0x10Du); // CMDQ, EVENTQ_ABT, PRIQ_ABT, SFM
    w32(SMMU_GERRORN, 0);

    params.msi = true;
    params.pri = false;
    create();
    w32(SMMU_GERRORN, 0xFFFFFFFFu);
    EXPECT_EQ(r32(SMMU_GERRORN), 0x1B5u); // no PRIQ_ABT_ERR / MSI_PRIQ_ABT_ERR
}

struct GerrorNoMsi : Gerror {
    void configure(smmu_params_t &p) override {
        p.msi = false;
    }
};
// 6.3.21: without MSIs the CFG registers are RES0 and only the wired output is used.
TEST_F(GerrorNoMsi, WiredIrqOnlyWithoutMsiSupport) {
    w64(SMMU_GERROR_IRQ_CFG0, MSI_PA);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    cmdq_error();
    EXPECT_EQ(irq.edges[IRQ_GERROR], 1);
    EXPECT_EQ(mem32(MSI_PA), 0u);
}

} // namespace
