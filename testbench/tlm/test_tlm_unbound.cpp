// SPDX-License-Identifier: Apache-2.0 OR MIT
// An SMMU with optional ports left unbound (docs/tlm.md, "Integrating into your platform"):
// upstream ports 0 and 2, the register socket and every interrupt output. Only port 1 has a
// master. Programmed with the driver on the core directly. Every path that talks to the
// upstream sockets (DMI revocation from commands, from SMMUEN / reset and from the downstream
// memory, logging, commands) must leave the unbound ones alone.
#include "tlm_fixture.h"

#include "tenc_cmd.h"

using namespace ttlm;

namespace {

constexpr uint64_t WIN = 0x40000000;

smmu_tlm::smmu_tlm_params unbound_params() {
    smmu_tlm::smmu_tlm_params p;
    p.core.sidsize = 8;
    p.n_upstream = 3;
    p.default_sid = {0, 1, 2};
    return p;
}

struct platform {
    smmu_mem_t *mem = smmu_mem_new();
    test_memory table_mem{"table_mem", mem, sc_time(10, SC_NS)};
    test_memory data_mem{"data_mem", mem, sc_time(10, SC_NS)};
    smmu_tlm::smmu dut{"smmu", unbound_params()};
    test_master m{"m"};
    platform() {
        checked_bind(m.socket, dut.upstream[1]); // ports 0 and 2, regs and the irqs stay unbound
        checked_bind(dut.downstream, data_mem.socket);
        checked_bind(dut.table, table_mem.socket);
        data_mem.dmi_base = WIN;
        data_mem.dmi_buf.assign(0x10000, 0);
    }
};

platform *P = nullptr;

bool grant(uint64_t a) {
    tlm::tlm_generic_payload gp;
    uint32_t v;
    test_master::setup(gp, tlm::TLM_READ_COMMAND, a, &v, 4);
    tlm::tlm_dmi dmi;
    return P->m.socket->get_direct_mem_ptr(gp, dmi);
}

// Before the fix, the first revocation called invalidate_direct_mem_ptr on every upstream
// socket and SystemC stopped with E112 "port is not bound".
TEST(TlmUnbound, UnboundUpstreamPortsSurviveRevocationsCommandsAndLogging) {
    P = new platform;
    ASSERT_TRUE(run([] {
        smmu_drv_t *drv = smmu_drv_new_direct(P->dut.core(), P->mem, 0x80000000, 8 << 20);
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0); // SMMUEN: SMMU_INV_ALL
        smmu_domain_t *dom;
        smmu_domain_cfg_t c{1, 1, 4096, 48, 0};
        ASSERT_EQ(smmu_drv_domain_new(drv, &c, &dom), 0);
        ASSERT_EQ(smmu_drv_map(drv, dom, 0x1000, WIN, 0x2000, SMMU_PROT_R | SMMU_PROT_W), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 1, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        P->dut.set_logging(true);
        uint32_t v = 0;
        EXPECT_EQ(P->m.read(0x1000, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(P->m.read(0x9000, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE); // a fault, logged
        ASSERT_TRUE(grant(0x1000));
        ASSERT_EQ(smmu_drv_unmap(drv, dom, 0x1000, 0x1000), 0); // TLBI: revokes on port 1
        EXPECT_EQ(P->m.invalidations.size(), 1u);
        ASSERT_TRUE(grant(0x2000));
        P->data_mem.socket->invalidate_direct_mem_ptr(0, ~(sc_dt::uint64)0); // from memory
        EXPECT_EQ(P->m.invalidations.size(), 2u);
        ASSERT_TRUE(grant(0x2000));
        tenc::Cmd all = tenc::cfgi_all();
        ASSERT_EQ(smmu_drv_cmd(drv, all.dw), 0);
        ASSERT_EQ(smmu_drv_sync(drv), 0);
        EXPECT_EQ(P->m.invalidations.size(), 3u);
        ASSERT_TRUE(grant(0x2000));
        smmu_reset(P->dut.core()); // SMMU_INV_ALL
        EXPECT_EQ(P->m.invalidations.size(), 4u);
        P->dut.set_logging(false);
        smmu_drv_free(drv);
    }));
    EXPECT_EQ(P->dut.stats().dmi_revocations, 4u);
}

} // namespace
