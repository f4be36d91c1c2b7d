// SPDX-License-Identifier: Apache-2.0 OR MIT
// The SMMU with 64-bit data sockets and a 32-bit register socket (smmu_tlm::basic_smmu<64, 32>)
// in a platform of 64-bit masters and memories: translation, splitting, DMI and scoped
// revocation work as with the default 32-bit sockets (bus width only types the binding).
#include "tlm_fixture.h"

using namespace ttlm;

namespace {

constexpr uint64_t WIN = 0x40000000;

struct platform {
    smmu_mem_t *mem = smmu_mem_new();
    basic_test_memory<64> table_mem{"table_mem", mem, sc_time(10, SC_NS)};
    basic_test_memory<64> data_mem{"data_mem", mem, sc_time(10, SC_NS)};
    smmu_tlm::basic_smmu<64, 32> dut{"smmu", params()};
    basic_test_master<64> m{"m"};
    reg_host host{"host", mem};
    smmu_drv_t *drv = nullptr;
    smmu_domain_t *dom = nullptr;

    static smmu_tlm::smmu_tlm_params params() {
        smmu_tlm::smmu_tlm_params p;
        p.core.sidsize = 8;
        p.default_sid = {1};
        return p;
    }
    platform() {
        checked_bind<64>(m.socket, dut.upstream[0]);
        checked_bind<64>(dut.downstream, data_mem.socket);
        checked_bind<64>(dut.table, table_mem.socket);
        checked_bind(host.socket, dut.regs);
        data_mem.dmi_base = WIN;
        data_mem.dmi_buf.assign(0x10000, 0);
    }
    void program() {
        drv = host.new_driver(0x80000000, 8 << 20);
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0);
        smmu_domain_cfg_t c{1, 1, 4096, 48, 0};
        ASSERT_EQ(smmu_drv_domain_new(drv, &c, &dom), 0);
        const unsigned rw = SMMU_PROT_R | SMMU_PROT_W;
        ASSERT_EQ(smmu_drv_map(drv, dom, 0x1000, WIN + 0x3000, 0x1000, rw), 0);
        ASSERT_EQ(smmu_drv_map(drv, dom, 0x2000, WIN + 0x8000, 0x1000, rw), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 1, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    }
};

platform *P = nullptr;

class TlmBus64 : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (P) return;
        P = new platform;
        ASSERT_TRUE(run([] { P->program(); }));
    }
    void SetUp() override {
        ASSERT_NE(P->drv, nullptr) << "platform programming failed";
    }
};

TEST_F(TlmBus64, SixtyFourBitSocketsTranslateAndSplit) {
    ASSERT_TRUE(run([] {
        unsigned char w[16], r[16] = {};
        for (int i = 0; i < 16; i++)
            w[i] = (unsigned char)(0x30 + i);
        EXPECT_EQ(P->m.write(0x1FF8, w, 16), tlm::TLM_OK_RESPONSE); // two pages, two PAs
        EXPECT_EQ(P->data_mem.dmi_buf[0x3FF8], 0x30);
        EXPECT_EQ(P->data_mem.dmi_buf[0x8000], 0x38);
        EXPECT_EQ(P->m.read(0x1FF8, r, 16), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(std::memcmp(r, w, 16), 0);
        EXPECT_EQ(P->m.read(0x7000, r, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }));
}

TEST_F(TlmBus64, SixtyFourBitDmiGrantAndScopedRevocation) {
    ASSERT_TRUE(run([] {
        tlm::tlm_generic_payload gp;
        uint32_t v;
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x1000, &v, 4);
        tlm::tlm_dmi dmi;
        ASSERT_TRUE(P->m.socket->get_direct_mem_ptr(gp, dmi));
        EXPECT_EQ(dmi.get_dmi_ptr(), P->data_mem.dmi_buf.data() + 0x3000);
        P->m.invalidations.clear();
        ASSERT_EQ(smmu_drv_unmap(P->drv, P->dom, 0x2000, 0x1000), 0);
        EXPECT_TRUE(P->m.invalidations.empty()) << "another page was unmapped";
        ASSERT_EQ(smmu_drv_unmap(P->drv, P->dom, 0x1000, 0x1000), 0);
        ASSERT_EQ(P->m.invalidations.size(), 1u);
        EXPECT_LE(P->m.invalidations[0].first, 0x1000u);
        EXPECT_GE(P->m.invalidations[0].second, 0x1000u);
    }));
}

} // namespace
