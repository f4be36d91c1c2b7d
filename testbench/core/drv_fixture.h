// SPDX-License-Identifier: Apache-2.0 OR MIT
// Shared GoogleTest fixture of the driver suites: an SMMU on a sparse memory brought up by
// c_core/drv (smmu_drv_init), torn down in reverse order, and a domain helper.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>

#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

namespace tfx {

class DrvTest : public ::testing::Test {
  protected:
    static constexpr uint64_t POOL = 0x80000000ull;
    static constexpr uint64_t POOL_SIZE = 256ull << 20;

    smmu_mem_t *mem = nullptr;
    smmu_t *smmu = nullptr;
    smmu_drv_t *drv = nullptr;
    smmu_params_t params{};

    // Override to change params before the SMMU is created.
    virtual void configure(smmu_params_t &) {}
    // Override to give the SMMU other host callbacks; by default memory only.
    virtual void host(smmu_host_t &h) {
        smmu_mem_host(mem, &h);
    }

    void SetUp() override {
        mem = smmu_mem_new();
        ASSERT_NE(mem, nullptr);
        smmu_params_init(&params);
        configure(params);
        smmu_host_t h{};
        host(h);
        smmu = smmu_new(&params, &h);
        ASSERT_NE(smmu, nullptr);
        drv = smmu_drv_new_direct(smmu, mem, POOL, POOL_SIZE);
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0);
    }
    void TearDown() override {
        smmu_drv_free(drv);
        smmu_free(smmu);
        smmu_mem_free(mem);
    }

    smmu_domain_t *domain(uint8_t stage, uint16_t id, unsigned granule, unsigned ias,
                          unsigned oas = 0) {
        smmu_domain_cfg_t c{};
        c.stage = stage;
        c.id = id;
        c.granule = granule;
        c.ias = ias;
        c.oas = oas;
        smmu_domain_t *dom = nullptr;
        EXPECT_EQ(smmu_drv_domain_new(drv, &c, &dom), 0);
        return dom;
    }
};

} // namespace tfx
