// SPDX-License-Identifier: Apache-2.0 OR MIT
// Instructions per TLB miss (issue 18, docs/performance.md "Issue 18: the miss path"): the
// platforms of bench_core's BM_HostMem/k (2^k 4 KB pages, shuffled order) and BM_Stream (three
// interleaved 32 MiB buffers), one untimed warm-up lap, then n translations inside measure(),
// which callgrind counts alone:
//   valgrind --tool=callgrind --toggle-collect=measure build/testbench/bench/miss_count scatter 20
//   valgrind --tool=callgrind --toggle-collect=measure build/testbench/bench/miss_count stream
// Instructions per miss = the total it reports / n (printed; the loop's own ~10 included).
// Not a test: it checks only that every translation succeeds and missed the TLB.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <smmu/drv.h>
#include <smmu/smmu.h>

namespace {

constexpr uint64_t POOL = 0x100000000ull, POOL_SIZE = 1ull << 31;
constexpr uint64_t IOVA = 0x40000000ull, PA = 0x200001000ull;
constexpr uint64_t STREAM_BUF = 32ull << 20, STREAM_GAP = 64ull << 20;

std::vector<uint32_t> page_order(uint32_t n) { // bench_core's order
    std::vector<uint32_t> v(n);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (uint32_t i = 0; i < n; i++)
        v[i] = i;
    for (uint32_t i = n; i > 1; i--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        std::swap(v[i - 1], v[x % i]);
    }
    return v;
}

inline __attribute__((always_inline)) unsigned run(smmu_t *s, const std::vector<uint32_t> &pg,
                                                   size_t n, size_t &i) {
    smmu_txn_t t{};
    t.sid = 1;
    t.len = 8;
    smmu_result_t r;
    unsigned bad = 0;
    for (size_t k = 0; k < n; k++) {
        t.addr = IOVA + ((uint64_t)pg[i] << 12) + 8;
        smmu_translate(s, &t, &r);
        bad += r.status != SMMU_OK || r.tlb_hit;
        if (++i == pg.size()) i = 0;
    }
    return bad;
}
__attribute__((noinline)) unsigned warm(smmu_t *s, const std::vector<uint32_t> &pg, size_t &i) {
    return run(s, pg, pg.size(), i);
}
__attribute__((noinline)) unsigned measure(smmu_t *s, const std::vector<uint32_t> &pg, size_t n,
                                           size_t &i) {
    return run(s, pg, n, i);
}

} // namespace

int main(int argc, char **argv) {
    const bool stream = argc > 1 && !std::strcmp(argv[1], "stream");
    const unsigned k = argc > 2 ? (unsigned)std::atoi(argv[2]) : 14;
    const size_t n = argc > 3 ? (size_t)std::atoll(argv[3]) : 50016;
    smmu_params_t p;
    smmu_params_init(&p);
    smmu_mem_t *mem = smmu_mem_new();
    smmu_host_t h;
    smmu_mem_host(mem, &h);
    smmu_t *s = smmu_new(&p, &h);
    smmu_drv_t *drv = smmu_drv_new_direct(s, mem, POOL, POOL_SIZE);
    if (!s || !drv || smmu_drv_init(drv)) return 1;
    smmu_domain_cfg_t dc{};
    dc.stage = 1;
    dc.id = 1;
    dc.granule = 4096;
    dc.ias = 48;
    smmu_domain_t *d = nullptr;
    if (smmu_drv_domain_new(drv, &dc, &d)) return 1;
    std::vector<uint32_t> pg;
    const int prot = SMMU_PROT_R | SMMU_PROT_W;
    if (stream) {
        for (uint64_t b = 0; b < 3; b++)
            if (smmu_drv_map(drv, d, IOVA + b * STREAM_GAP, PA + b * STREAM_GAP, STREAM_BUF, prot))
                return 1;
        for (uint32_t m = 0; m < (uint32_t)(STREAM_BUF >> 12); m++)
            for (uint32_t b = 0; b < 3; b++)
                pg.push_back((uint32_t)((b * STREAM_GAP) >> 12) + m);
    } else {
        if (smmu_drv_map(drv, d, IOVA, PA, 4096ull << k, prot)) return 1;
        pg = page_order(1u << k);
    }
    smmu_drv_attach_s1(drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    size_t i = 0;
    unsigned bad = warm(s, pg, i); // not counted
    bad += measure(s, pg, n, i);
    std::printf("%s %u: %zu translations, %u not OK or TLB hits\n", stream ? "stream" : "scatter",
                stream ? 0 : k, n, bad);
    smmu_drv_free(drv);
    smmu_free(s);
    smmu_mem_free(mem);
    return bad ? 2 : 0;
}
