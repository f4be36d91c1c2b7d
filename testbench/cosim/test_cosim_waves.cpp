// SPDX-License-Identifier: Apache-2.0 OR MIT
// Waves on request: a platform built with platform_params::vcd writes a VCD of the RTL signals
// (the DMA's AXI and APB pins and internal state) while a copy runs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <smmu/drv.h>
#include <smmu_cosim/platform.h>

using namespace smmu_cosim;

TEST(CosimWaves, VcdOfRtlSignalsOnRequest) {
    std::remove(COSIM_VCD_FILE);
    platform_params pp;
    pp.vcd = COSIM_VCD_FILE;
    platform *p = new platform("cosim", pp); // SystemC modules live until exit
    const uint64_t pa = 0x40000000;
    dma_status st;
    ASSERT_TRUE(p->run([&](platform &pl) {
        smmu_domain_cfg_t dc{};
        dc.stage = 1;
        dc.id = 1;
        dc.granule = 4096;
        dc.ias = 48;
        smmu_domain_t *dom = nullptr;
        ASSERT_EQ(smmu_drv_domain_new(pl.drv(), &dc, &dom), 0);
        ASSERT_EQ(smmu_drv_attach_s1(pl.drv(), 1, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        ASSERT_EQ(smmu_drv_map(pl.drv(), dom, 0x10000, pa, 0x2000, SMMU_PROT_R | SMMU_PROT_W), 0);
        dma_job j;
        j.src = 0x10000;
        j.dst = 0x11000;
        j.len = 256;
        j.sid = 1;
        st = pl.dma_copy(j);
    }));
    p->close_trace();
    EXPECT_TRUE(st.done);
    EXPECT_FALSE(st.err);
    std::ifstream f(COSIM_VCD_FILE);
    ASSERT_TRUE(f.good());
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string vcd = ss.str();
    EXPECT_NE(vcd.find("$enddefinitions"), std::string::npos);
    EXPECT_NE(vcd.find(" arvalid "), std::string::npos);
    EXPECT_NE(vcd.find(" awaddr "), std::string::npos);
    EXPECT_NE(vcd.find(" rdata "), std::string::npos);
    EXPECT_NE(vcd.find(" lk_valid "), std::string::npos); // the micro-TLBs too
    EXPECT_NE(vcd.find("\n#"), std::string::npos);        // time steps were dumped
}

int sc_main(int, char **) {
    return 0;
}
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
