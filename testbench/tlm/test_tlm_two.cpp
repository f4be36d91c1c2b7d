// SPDX-License-Identifier: Apache-2.0 OR MIT
// Two SMMUs in one platform: each with its own driver, tables, masters and memories (on one
// shared sparse memory). Built once; every test runs sc_start() on it.
#include "tlm_fixture.h"

using namespace ttlm;

namespace {

constexpr uint64_t WIN_A = 0x40000000, WIN_B = 0x40010000; // DMI windows of the data memories

struct side {
    test_memory table_mem, data_mem;
    smmu_tlm::smmu dut;
    test_master m;
    reg_host host;
    smmu_drv_t *drv = nullptr;
    smmu_domain_t *dom = nullptr;

    static smmu_tlm::smmu_tlm_params params() {
        smmu_tlm::smmu_tlm_params p;
        p.core.sidsize = 8;
        p.default_sid = {1};
        return p;
    }
    side(const char *n, smmu_mem_t *mem, uint64_t win)
        : table_mem((std::string(n) + "_table").c_str(), mem, sc_time(10, SC_NS)),
          data_mem((std::string(n) + "_data").c_str(), mem, sc_time(10, SC_NS)), dut(n, params()),
          m((std::string(n) + "_m").c_str()), host((std::string(n) + "_host").c_str(), mem) {
        checked_bind(m.socket, dut.upstream[0]);
        checked_bind(dut.downstream, data_mem.socket);
        checked_bind(dut.table, table_mem.socket);
        checked_bind(host.socket, dut.regs);
        data_mem.dmi_base = win;
        data_mem.dmi_buf.assign(0x10000, 0);
    }
    // SID 1: stage 1, IOVA 0x1000 -> pa.
    void program(uint64_t pool, uint64_t pa) {
        drv = host.new_driver(pool, 8 << 20);
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0);
        smmu_domain_cfg_t c{1, 1, 4096, 48, 0};
        ASSERT_EQ(smmu_drv_domain_new(drv, &c, &dom), 0);
        ASSERT_EQ(smmu_drv_map(drv, dom, 0x1000, pa, 0x1000, SMMU_PROT_R | SMMU_PROT_W), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 1, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    }
};

struct platform {
    smmu_mem_t *mem = smmu_mem_new();
    side a{"smmu_a", mem, WIN_A}, b{"smmu_b", mem, WIN_B};
};

platform *P = nullptr;

class TlmTwoSmmus : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (P) return;
        P = new platform;
        spawn([] { P->a.program(0x80000000, WIN_A); });
        ASSERT_TRUE(run([] { P->b.program(0x88000000, WIN_B); }));
    }
    void SetUp() override {
        ASSERT_NE(P->a.drv, nullptr);
        ASSERT_NE(P->b.drv, nullptr);
    }
};

// The same StreamID and IOVA translate through each SMMU's own tables.
TEST_F(TlmTwoSmmus, TranslateIndependently) {
    P->a.data_mem.dmi_buf[0x100] = 0xA1;
    P->b.data_mem.dmi_buf[0x200] = 0xB2;
    smmu_stats_t sa0, sb0, sa1, sb1;
    smmu_get_stats(P->a.dut.core(), &sa0);
    smmu_get_stats(P->b.dut.core(), &sb0);
    ASSERT_TRUE(run([] {
        unsigned char va = 0, vb = 0;
        EXPECT_EQ(P->a.m.read(0x1100, &va, 1), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(P->b.m.read(0x1200, &vb, 1), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(va, 0xA1);
        EXPECT_EQ(vb, 0xB2);
    }));
    smmu_get_stats(P->a.dut.core(), &sa1);
    smmu_get_stats(P->b.dut.core(), &sb1);
    EXPECT_EQ(sa1.translations, sa0.translations + 1);
    EXPECT_EQ(sb1.translations, sb0.translations + 1);
}

// Clearing SMMUEN on one SMMU revokes the DMI it granted, and only its own.
TEST_F(TlmTwoSmmus, DisablingOneRevokesOnlyItsDmi) {
    for (side *s : {&P->a, &P->b}) {
        tlm::tlm_generic_payload gp;
        uint32_t v;
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x1000, &v, 4);
        tlm::tlm_dmi dmi;
        ASSERT_TRUE(s->m.socket->get_direct_mem_ptr(gp, dmi));
        s->m.invalidations.clear();
    }
    ASSERT_TRUE(run([] {
        uint32_t cr0 = 0;
        P->b.host.access(tlm::TLM_READ_COMMAND, SMMU_CR0, &cr0, 4);
        cr0 &= ~SMMU_CR0_SMMUEN;
        EXPECT_EQ(P->b.host.access(tlm::TLM_WRITE_COMMAND, SMMU_CR0, &cr0, 4),
                  tlm::TLM_OK_RESPONSE);
    }));
    EXPECT_FALSE(P->b.m.invalidations.empty());
    EXPECT_TRUE(P->a.m.invalidations.empty());
}

} // namespace
