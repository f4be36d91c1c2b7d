// SPDX-License-Identifier: Apache-2.0 OR MIT
// The rig of the memo twin tests (test_memo.cpp, test_translate_fast.cpp): one SMMU + memory +
// driver per side, and caches small enough that random workloads evict from every cache.
#pragma once

#include <cstdint>
#include <vector>

#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu/smmu.h>

namespace memo_rig {

constexpr uint64_t POOL = 0x80000000ull;
constexpr uint64_t POOL_SIZE = 256ull << 20;
constexpr uint64_t IOVA = 0x10000000ull;
constexpr uint64_t PA = 0x200000000ull;

// One SMMU + memory + driver.
struct Side {
    smmu_mem_t *mem = nullptr;
    smmu_t *smmu = nullptr;
    smmu_drv_t *drv = nullptr;
    std::vector<smmu_domain_t *> doms;

    Side(const smmu_params_t &p) {
        mem = smmu_mem_new();
        smmu_host_t h{};
        smmu_mem_host(mem, &h);
        smmu = smmu_new(&p, &h);
        if (smmu) drv = smmu_drv_new_direct(smmu, mem, POOL, POOL_SIZE);
        if (drv && smmu_drv_init(drv) != 0) {
            smmu_drv_free(drv);
            drv = nullptr;
        }
    }
    ~Side() {
        smmu_drv_free(drv);
        smmu_free(smmu);
        smmu_mem_free(mem);
    }
    Side(const Side &) = delete;
    Side &operator=(const Side &) = delete;
};

// Small caches so that the random workloads evict from every cache.
inline smmu_params_t small_caches(bool memo) {
    smmu_params_t p;
    smmu_params_init(&p);
    p.cache[SMMU_CACHE_TLB].entries = 32;
    p.cache[SMMU_CACHE_TLB].ways = 2;
    p.cache[SMMU_CACHE_STE].entries = 4;
    p.cache[SMMU_CACHE_STE].ways = 2;
    p.cache[SMMU_CACHE_CD].entries = 8;
    p.cache[SMMU_CACHE_CD].ways = 2;
    p.cache[SMMU_CACHE_WALK].entries = 16;
    p.cache[SMMU_CACHE_IPA].entries = 16;
    p.memo_off = !memo;
    return p;
}

} // namespace memo_rig
