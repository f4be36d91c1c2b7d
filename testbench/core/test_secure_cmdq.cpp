// SPDX-License-Identifier: Apache-2.0 OR MIT
// The Secure Command queue (spec 3.10.2.1, 4.1.6, 4.4, 6.3.74-6.3.76): consumed from Secure
// memory, the Secure-only commands, SSec, its own errors (S_GERROR, S_CMDQ_CONS.ERR) and CMD_SYNC
// interrupt, independent of the Non-secure queue.
#include "secure_fixture.h"
#include "tenc_cfg.h"
#include "tenc_cmd.h"

using namespace sfx;
using namespace tenc;

namespace {

constexpr uint32_t CERROR_ILL = 1; // 7.1
constexpr uint32_t GERROR_CMDQ_ERR = 1u << 0;

struct SecureCmdq : SecureTest {
    uint32_t prod[2] = {0, 0};
    // Writes c at the queue's PROD in its PA space; publish() makes it visible.
    void push(bool secure, const Cmd &c) {
        uint32_t idx = prod[secure] & ((1u << CMDQ_LOG2) - 1);
        put64(secure, CMDQ + 16ull * idx, c.dw[0]);
        put64(secure, CMDQ + 16ull * idx + 8, c.dw[1]);
        prod[secure] = (prod[secure] + 1) & ((2u << CMDQ_LOG2) - 1);
    }
    void publish(bool secure) {
        smmu_reg_write_sec(smmu, secure ? S_CMDQ_PROD : CMDQ_PROD, prod[secure], 4, secure);
    }
    uint32_t cons(bool secure) {
        return (uint32_t)smmu_reg_read_sec(smmu, secure ? S_CMDQ_CONS : CMDQ_CONS, 4, secure);
    }
    uint32_t gerror(bool secure) {
        return (uint32_t)smmu_reg_read_sec(smmu, secure ? S_GERROR : 0x60, 4, secure);
    }
    // One command on the Secure queue: consumed (true) or stopped with CERROR_ILL (false).
    bool secure_ok(const Cmd &c) {
        uint32_t at = prod[true];
        push(true, c);
        publish(true);
        uint32_t cn = cons(true);
        if ((cn & 0x1FF) == prod[true]) return true;
        EXPECT_EQ(cn & 0x1FF, at);
        EXPECT_EQ((cn >> 24) & 0x7F, CERROR_ILL);
        // skip the command and acknowledge (7.1)
        ws32(S_CR0, EVENTQEN | SMMUEN);
        ws32(S_CMDQ_CONS, prod[true]);
        ws32(S_GERRORN, rs32(S_GERROR));
        ws32(S_CR0, EVENTQEN | CMDQEN | SMMUEN);
        return false;
    }
};

// CMD_TLBI_EL3_ALL / EL3_VA are valid on the Secure Command queue (4.4.2.5, 4.4.2.6), as is
// SSec == 1 (4.1.6); the queue is read from Secure memory (3.10.2).
TEST_F(SecureCmdq, SecureOnlyCommandsAreLegalOnSecureQueue_4_4_2_5) {
    enable(true);
    log.clear();
    EXPECT_TRUE(secure_ok(Cmd(OP_TLBI_EL3_ALL)));
    EXPECT_TRUE(secure_ok(Cmd(OP_TLBI_EL3_VA).addr(0x1000)));
    EXPECT_TRUE(secure_ok(cfgi_ste(1).ssec(true)));
    EXPECT_TRUE(secure_ok(cfgi_cd(1, 0).ssec(true)));
    EXPECT_TRUE(secure_ok(prefetch_config(1).ssec(true)));
    EXPECT_TRUE(secure_ok(tlbi_nh_all()));
    EXPECT_TRUE(secure_ok(cmd_sync()));
    EXPECT_EQ(gerror(true) & GERROR_CMDQ_ERR, 0u);
    auto a = accesses(CMDQ, 16u << CMDQ_LOG2);
    ASSERT_FALSE(a.empty());
    for (const Access &x : a)
        EXPECT_TRUE(x.secure);
}

// Without Secure stage 2 (S_IDR1.SEL2 == 0) the S_EL2, S_S12_VMALL, S_S2_IPA and SNH_ALL opcodes
// are Reserved: CERROR_ILL on the Secure queue too (4.4.2.11, 4.4.3.4, 4.4.4.2).
TEST_F(SecureCmdq, SecureStage2CommandsAreIllegalWithoutSel2_4_4_4_2) {
    enable(true);
    EXPECT_FALSE(secure_ok(Cmd(OP_TLBI_S_EL2_ALL)));
    EXPECT_FALSE(secure_ok(Cmd(OP_TLBI_S_S12_VMALL)));
    EXPECT_FALSE(secure_ok(Cmd(OP_TLBI_SNH_ALL)));
}

// A Secure queue error is the Secure interface's: S_GERROR.CMDQ_ERR and S_CMDQ_CONS.ERR, while
// the Non-secure queue goes on (3.10.2.1: the queues' error conditions are independent).
TEST_F(SecureCmdq, SecureQueueErrorLeavesNonSecureQueue_3_10_2_1) {
    enable(false);
    enable(true);
    push(true, Cmd(OP_TLBI_SNH_ALL));
    publish(true);
    EXPECT_EQ(gerror(true) & GERROR_CMDQ_ERR, GERROR_CMDQ_ERR);
    EXPECT_EQ((cons(true) >> 24) & 0x7F, CERROR_ILL);
    EXPECT_EQ(gerror(false) & GERROR_CMDQ_ERR, 0u);
    push(false, cmd_sync());
    publish(false);
    EXPECT_EQ(cons(false), prod[false]);
    // and a Non-secure queue error leaves the Secure interface alone
    push(false, Cmd(OP_TLBI_EL3_ALL));
    publish(false);
    EXPECT_EQ(gerror(false) & GERROR_CMDQ_ERR, GERROR_CMDQ_ERR);
    EXPECT_EQ(cons(true) & 0x1FF, 0u); // still stopped at its own error
}

// CMD_SYNC with ComplSignal SIG_IRQ on the Secure queue pulses the Secure CMD_SYNC interrupt,
// not the Non-secure one (3.10.2.1, 4.7.3).
TEST_F(SecureCmdq, SecureSyncSignalsItsOwnInterrupt_4_7_3) {
    enable(false);
    enable(true);
    EXPECT_TRUE(secure_ok(cmd_sync(CS_IRQ)));
    EXPECT_EQ(edges[SMMU_IRQ_S_CMD_SYNC], 1);
    EXPECT_EQ(edges[SMMU_IRQ_CMD_SYNC], 0);
}

// A Secure queue's CFGI_STE with SSec == 0 names a Non-secure STE (4.1.6, 4.3): the Non-secure
// stream sees its changed STE afterwards.
TEST_F(SecureCmdq, SecureQueueInvalidatesNonSecureSteWithSsec0_4_3_1) {
    enable(false);
    enable(true);
    put_ste(false, 2, Ste::bypass().dw);
    EXPECT_EQ(xlate(false, 2, 0x1000).status, SMMU_OK);
    put_ste(false, 2, Ste::abort().dw);
    EXPECT_EQ(xlate(false, 2, 0x1000).status, SMMU_OK); // the cached STE still answers
    EXPECT_TRUE(secure_ok(cfgi_ste(2)));
    EXPECT_TRUE(secure_ok(cmd_sync()));
    EXPECT_EQ(xlate(false, 2, 0x1000).status, SMMU_FAULT);
}

// Without SECURE_IMPL there is no Secure queue: S_CMDQ_PROD is RES0 and nothing is read.
struct NoSecureCmdq : SecureCmdq {
    void configure(smmu_params_t &p) override {
        p.secure_impl = false;
    }
};

TEST_F(NoSecureCmdq, NoSecureQueueWithoutSecureImpl_6_3_53) {
    enable(true);
    log.clear();
    push(true, cmd_sync());
    publish(true);
    EXPECT_EQ(cons(true), 0u);
    EXPECT_TRUE(log.empty());
}

} // namespace
