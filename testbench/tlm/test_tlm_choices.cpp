// SPDX-License-Identifier: Apache-2.0 OR MIT
// The open choices (docs/choices.md) reach the core through the TLM module's params
// (smmu_tlm_params::core.choices): two SMMUs, one strict and one lenient, each with its own
// register host; the same driver accesses give each profile's behaviour.
#include "tlm_fixture.h"

#include "tenc_cmd.h"

using namespace ttlm;

namespace {

smmu_tlm::smmu_tlm_params params_of(const char *choices) {
    smmu_tlm::smmu_tlm_params p;
    p.core.sidsize = 8;
    char err[128] = "";
    if (smmu_choices_parse(&p.core.choices, choices, err, sizeof err)) ADD_FAILURE() << err;
    return p;
}

struct platform {
    smmu_mem_t *mem = smmu_mem_new();
    test_memory table_mem{"table_mem", mem, sc_time(10, SC_NS)};
    test_memory data_mem{"data_mem", mem, sc_time(10, SC_NS)};
    test_memory table_mem2{"table_mem2", mem, sc_time(10, SC_NS)};
    test_memory data_mem2{"data_mem2", mem, sc_time(10, SC_NS)};
    smmu_tlm::smmu strict{"strict", params_of("profile=strict")};
    smmu_tlm::smmu lenient{"lenient", params_of("profile=lenient")};
    reg_host host_s{"host_s", mem}, host_l{"host_l", mem};
    platform() {
        checked_bind(strict.downstream, data_mem.socket);
        checked_bind(strict.table, table_mem.socket);
        checked_bind(host_s.socket, strict.regs);
        checked_bind(lenient.downstream, data_mem2.socket);
        checked_bind(lenient.table, table_mem2.socket);
        checked_bind(host_l.socket, lenient.regs);
    }
};

platform *P = nullptr;

uint64_t rd(reg_host &h, uint64_t off, unsigned size) {
    return reg_host::op_rd(&h, off, size);
}
void wr(reg_host &h, uint64_t off, uint64_t v, unsigned size) {
    reg_host::op_wr(&h, off, v, size);
}

// 6.2 (choice reg_pair64): a 64-bit write to IRQ_CTRL / IRQ_CTRLACK through the register
// socket is RAZ/WI in the strict SMMU, two 32-bit writes in the lenient one; 4.1.5 (cmd_res0):
// a CMD_SYNC with a Reserved bit set stops the strict SMMU's queue with CERROR_ILL and is
// consumed by the lenient one.
TEST(TlmChoices, ProfilesReachTheCoreThroughModuleParams_6_2_4_1_5) {
    P = new platform;
    EXPECT_EQ(smmu_params(P->strict.core())->choices.profile, SMMU_PROFILE_STRICT);
    EXPECT_EQ(smmu_params(P->lenient.core())->choices.profile, SMMU_PROFILE_LENIENT);
    ASSERT_TRUE(run([] {
        wr(P->host_s, SMMU_IRQ_CTRL, 0x5, 8);
        wr(P->host_l, SMMU_IRQ_CTRL, 0x5, 8);
        EXPECT_EQ(rd(P->host_s, SMMU_IRQ_CTRL, 4), 0u);
        EXPECT_EQ(rd(P->host_l, SMMU_IRQ_CTRL, 4), 0x5u);
        const uint64_t q[2] = {0x11000000, 0x11100000};
        reg_host *h[2] = {&P->host_s, &P->host_l};
        const tenc::Cmd c = tenc::cmd_sync().f(8, 1, 1);
        for (int i = 0; i < 2; i++) {
            smmu_mem_write64(P->mem, q[i], c.dw[0]);
            smmu_mem_write64(P->mem, q[i] + 8, c.dw[1]);
            wr(*h[i], SMMU_CMDQ_BASE, q[i] | 4, 8);
            wr(*h[i], SMMU_CMDQ_PROD, 0, 4);
            wr(*h[i], SMMU_CMDQ_CONS, 0, 4);
            wr(*h[i], SMMU_CR0, SMMU_CR0_CMDQEN, 4);
            wr(*h[i], SMMU_CMDQ_PROD, 1, 4);
        }
        sc_core::wait(sc_time(1, sc_core::SC_US)); // the command threads consume (defer_cmdq)
        EXPECT_EQ((rd(P->host_s, SMMU_CMDQ_CONS, 4) >> 24) & 0x7F, (uint64_t)SMMU_CERROR_ILL);
        EXPECT_EQ(rd(P->host_s, SMMU_CMDQ_CONS, 4) & 0x1F, 0u);
        EXPECT_EQ(rd(P->host_l, SMMU_CMDQ_CONS, 4), 1u);
    }));
}

} // namespace
