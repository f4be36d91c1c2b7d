// SPDX-License-Identifier: Apache-2.0
// Core benchmarks (issue 5): translation cost for TLB hits, full walks at each granule, nested
// walks, configuration-cache misses, bypass, faults, commands, and scale in streams and
// SubstreamIDs; next to a bare open-addressing hash table doing the same number of lookups (the
// physical-limit baseline). Run: build/testbench/bench/bench_core (see docs/performance.md).
// The summary after the Google Benchmark table prints every TLB-hit time as a ratio to the
// baseline of the same size, from the same run.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <smmu/drv.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

namespace {

// ------------------------------------------------------------------ a platform to measure

constexpr uint64_t POOL = 0x100000000ull; // the driver's tables
constexpr uint64_t POOL_SIZE = 1ull << 31;
constexpr uint64_t IOVA = 0x40000000ull;
constexpr uint64_t PA = 0x200001000ull; // offset by one page: never block-aligned to IOVA

struct Platform {
    smmu_mem_t *mem = nullptr;
    smmu_t *smmu = nullptr;
    smmu_drv_t *drv = nullptr;
    explicit Platform(const smmu_params_t &p) {
        mem = smmu_mem_new();
        smmu_host_t h;
        smmu_mem_host(mem, &h);
        smmu = smmu_new(&p, &h);
        drv = smmu_drv_new_direct(smmu, mem, POOL, POOL_SIZE);
        if (!smmu || !drv || smmu_drv_init(drv) != 0) std::abort();
    }
    ~Platform() {
        smmu_drv_free(drv);
        smmu_free(smmu);
        smmu_mem_free(mem);
    }
    smmu_domain_t *domain(uint8_t stage, unsigned gran, unsigned ias, uint16_t id = 1) {
        smmu_domain_cfg_t dc{};
        dc.stage = stage;
        dc.id = id;
        dc.granule = gran;
        dc.ias = ias;
        smmu_domain_t *d = nullptr;
        if (smmu_drv_domain_new(drv, &dc, &d) != 0) std::abort();
        return d;
    }
    void map(smmu_domain_t *d, uint64_t iova, uint64_t pa, uint64_t size) {
        if (smmu_drv_map(drv, d, iova, pa, size, SMMU_PROT_R | SMMU_PROT_W) != 0) std::abort();
    }
};

smmu_params_t params(bool tlb, bool walk, bool cfg, uint32_t tlb_entries = 0) {
    smmu_params_t p;
    smmu_params_init(&p);
    p.cache[SMMU_CACHE_TLB].enable = tlb;
    if (tlb_entries) p.cache[SMMU_CACHE_TLB].entries = tlb_entries;
    p.cache[SMMU_CACHE_WALK].enable = walk;
    p.cache[SMMU_CACHE_IPA].enable = walk;
    p.cache[SMMU_CACHE_STE].enable = cfg;
    p.cache[SMMU_CACHE_CD].enable = cfg;
    p.cache[SMMU_CACHE_L1].enable = cfg;
    return p;
}

// xorshift: a cheap reproducible page order so the hit benchmarks are not purely sequential.
struct Rng {
    uint64_t x = 0x9E3779B97F4A7C15ull;
    uint64_t next() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    }
};

std::vector<uint32_t> page_order(uint32_t n) {
    std::vector<uint32_t> v(n);
    Rng r;
    for (uint32_t i = 0; i < n; i++)
        v[i] = i;
    for (uint32_t i = n; i > 1; i--)
        std::swap(v[i - 1], v[r.next() % i]);
    return v;
}

void translate_loop(benchmark::State &st, smmu_t *s, smmu_txn_t t, const std::vector<uint32_t> &pg,
                    unsigned shift, bool expect_ok = true) {
    size_t i = 0;
    smmu_result_t r;
    for (auto _ : st) {
        t.addr = IOVA + ((uint64_t)pg[i] << shift) + 8;
        smmu_translate(s, &t, &r);
        benchmark::DoNotOptimize(r.pa);
        if (++i == pg.size()) i = 0;
    }
    if ((r.status == SMMU_OK) != expect_ok) st.SkipWithError("unexpected translation result");
}

smmu_txn_t txn(uint32_t sid) {
    smmu_txn_t t{};
    t.sid = sid;
    t.len = 8;
    return t;
}

// ------------------------------------------------------------------ baseline

// The physical limit: an open-addressing hash table of n page numbers, one lookup per iteration
// over the same page order as the TLB-hit benchmark.
void BM_BareHash(benchmark::State &st) {
    uint32_t n = (uint32_t)st.range(0);
    size_t cap = 1;
    while (cap < 2ull * n)
        cap <<= 1;
    std::vector<uint64_t> keys(cap, ~0ull), vals(cap);
    auto slot = [&](uint64_t k) { return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1); };
    for (uint32_t i = 0; i < n; i++) {
        uint64_t k = (IOVA >> 12) + i;
        size_t j = slot(k);
        while (keys[j] != ~0ull)
            j = (j + 1) & (cap - 1);
        keys[j] = k;
        vals[j] = (PA >> 12) + i;
    }
    auto pg = page_order(n);
    size_t i = 0;
    for (auto _ : st) {
        uint64_t k = (IOVA >> 12) + pg[i];
        size_t j = slot(k);
        while (keys[j] != k)
            j = (j + 1) & (cap - 1);
        benchmark::DoNotOptimize(vals[j] << 12 | 8);
        if (++i == pg.size()) i = 0;
    }
}
BENCHMARK(BM_BareHash)->Arg(1)->Arg(64)->Arg(4096)->Arg(1 << 20);

// ------------------------------------------------------------------ TLB hits

// Stage 1, 4 KB pages, n distinct pages translated in a shuffled order; the TLB is sized to
// hold them all, so after the first lap every translation is a TLB hit.
void BM_TlbHit(benchmark::State &st) {
    uint32_t n = (uint32_t)st.range(0);
    uint32_t entries = 2048;
    while (entries < 2 * n)
        entries <<= 1;
    Platform p(params(true, true, true, entries));
    auto *d = p.domain(1, 4096, 48);
    p.map(d, IOVA, PA, (uint64_t)n << 12);
    smmu_drv_attach_s1(p.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    auto pg = page_order(n);
    smmu_result_t r;
    for (uint32_t i = 0; i < n; i++) { // warm the TLB
        smmu_txn_t t = txn(1);
        t.addr = IOVA + ((uint64_t)i << 12);
        smmu_translate(p.smmu, &t, &r);
    }
    smmu_clear_stats(p.smmu);
    translate_loop(st, p.smmu, txn(1), pg, 12);
    smmu_cache_stats_t cs;
    smmu_cache_stats(p.smmu, SMMU_CACHE_TLB, &cs);
    st.counters["tlb_hit_rate"] = cs.lookups ? (double)cs.hits / (double)cs.lookups : 0;
}
BENCHMARK(BM_TlbHit)->Arg(1)->Arg(64)->Arg(4096)->Arg(1 << 20);

// ------------------------------------------------------------------ walks (TLB and walk cache off)

// Full 4-level 4 KB stage-1 walk, configuration cached: 4 descriptor reads per translation.
void BM_Walk4kS1(benchmark::State &st) {
    Platform p(params(false, false, true));
    auto *d = p.domain(1, 4096, 48);
    p.map(d, IOVA, PA, 1 << 20);
    smmu_drv_attach_s1(p.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    translate_loop(st, p.smmu, txn(1), page_order(256), 12);
}
BENCHMARK(BM_Walk4kS1);

// 3-level 64 KB stage-1 walk (48-bit VA starts at level 1).
void BM_Walk64kS1(benchmark::State &st) {
    Platform p(params(false, false, true));
    auto *d = p.domain(1, 65536, 48);
    p.map(d, IOVA, 0x200010000ull, 256ull << 16);
    smmu_drv_attach_s1(p.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    translate_loop(st, p.smmu, txn(1), page_order(256), 16);
}
BENCHMARK(BM_Walk64kS1);

// 2 MB block mappings: the walk ends at level 2 (3 reads).
void BM_WalkBlock(benchmark::State &st) {
    Platform p(params(false, false, true));
    auto *d = p.domain(1, 4096, 48);
    p.map(d, IOVA, 0x200000000ull, 64ull << 21);
    smmu_drv_attach_s1(p.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    translate_loop(st, p.smmu, txn(1), page_order(64), 21);
}
BENCHMARK(BM_WalkBlock);

// Nested 4x4: 4-level stage 1 over a 4-level stage 2 (48-bit IPA), no TLB, walk or IPA cache:
// every stage-1 table address is walked at stage 2 (24 reads per translation).
void BM_Nested4x4(benchmark::State &st) {
    Platform p(params(false, false, true));
    auto *s1 = p.domain(1, 4096, 48, 1);
    auto *s2 = p.domain(2, 4096, 48, 1);
    p.map(s1, IOVA, 0x300001000ull, 1 << 20);
    p.map(s2, 0x300000000ull, 0x400000000ull, 1ull << 30);
    if (smmu_drv_attach_nested(p.drv, 1, s1, 0, SMMU_DRV_S1DSS_TERMINATE, s2) != 0) std::abort();
    translate_loop(st, p.smmu, txn(1), page_order(256), 12);
}
BENCHMARK(BM_Nested4x4);

// Configuration cache off: every translation fetches its STE and CD, then hits the TLB.
void BM_CfgMiss(benchmark::State &st) {
    Platform p(params(true, true, false));
    auto *d = p.domain(1, 4096, 48);
    p.map(d, IOVA, PA, 1 << 20);
    smmu_drv_attach_s1(p.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    translate_loop(st, p.smmu, txn(1), page_order(64), 12);
}
BENCHMARK(BM_CfgMiss);

void BM_Bypass(benchmark::State &st) {
    Platform p(params(true, true, true));
    smmu_drv_attach_bypass(p.drv, 1);
    translate_loop(st, p.smmu, txn(1), page_order(256), 12);
}
BENCHMARK(BM_Bypass);

// A translation fault (unmapped page) with its event record (the queue overflows quickly, after
// which records are dropped: the steady state of a faulting device nobody serves).
void BM_Fault(benchmark::State &st) {
    Platform p(params(true, true, true));
    auto *d = p.domain(1, 4096, 48);
    smmu_drv_attach_s1(p.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    translate_loop(st, p.smmu, txn(1), page_order(256), 12, false);
}
BENCHMARK(BM_Fault);

// ------------------------------------------------------------------ commands

// One command published with a CMDQ_PROD write and consumed (the driver's queue writer).
void cmd_loop(benchmark::State &st, uint64_t w0, uint64_t w1) {
    Platform p(params(true, true, true));
    auto *d = p.domain(1, 4096, 48);
    p.map(d, IOVA, PA, 1 << 20);
    smmu_drv_attach_s1(p.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    const uint64_t cmd[2] = {w0, w1};
    for (auto _ : st)
        if (smmu_drv_cmd(p.drv, cmd) != 0) st.SkipWithError("command failed");
}
void BM_CmdTlbiNhVa(benchmark::State &st) {
    cmd_loop(st, SMMU_CMD_TLBI_NH_VA | (1ull << 48) /* ASID 1 */, IOVA | 1 /* Leaf */);
}
void BM_CmdCfgiSte(benchmark::State &st) {
    cmd_loop(st, SMMU_CMD_CFGI_STE | (1ull << 32), 1 /* Leaf */);
}
void BM_CmdSync(benchmark::State &st) {
    cmd_loop(st, SMMU_CMD_SYNC, 0);
}
BENCHMARK(BM_CmdTlbiNhVa);
BENCHMARK(BM_CmdCfgiSte);
BENCHMARK(BM_CmdSync);

// ------------------------------------------------------------------ scale

// 2^k streams attached in a 2-level stream table, all sharing one stage-1 domain; translations
// cycle over 256 of them (the same configuration-cache and TLB hit rate at every k), so the cost
// must not grow with k. Host memory of the simulated memory is reported as a counter.
void BM_Streams(benchmark::State &st) {
    unsigned k = (unsigned)st.range(0);
    Platform p(params(true, true, true));
    auto *d = p.domain(1, 4096, 48);
    p.map(d, IOVA, PA, 1 << 20);
    for (uint32_t sid = 0; sid < (1u << k); sid++)
        if (smmu_drv_attach_s1(p.drv, sid, d, 0, SMMU_DRV_S1DSS_TERMINATE) != 0) std::abort();
    std::vector<uint32_t> sids(256);
    Rng r;
    for (auto &s : sids)
        s = (uint32_t)(r.next() % (1u << k));
    size_t i = 0;
    smmu_result_t res;
    for (auto _ : st) {
        smmu_txn_t t = txn(sids[i]);
        t.addr = IOVA + ((i & 15) << 12);
        smmu_translate(p.smmu, &t, &res);
        benchmark::DoNotOptimize(res.pa);
        if (++i == sids.size()) i = 0;
    }
    st.counters["sim_mem_MiB"] = (double)smmu_mem_pages(p.mem) * 4096 / (1 << 20);
}
BENCHMARK(BM_Streams)->DenseRange(8, 20, 4);

// 2^20 SubstreamIDs in a 2-level CD table; 256 PASIDs in use.
void BM_Substreams(benchmark::State &st) {
    Platform p(params(true, true, true));
    auto *d = p.domain(1, 4096, 48);
    p.map(d, IOVA, PA, 1 << 20);
    if (smmu_drv_attach_s1(p.drv, 1, d, 20, SMMU_DRV_S1DSS_SSID0) != 0) std::abort();
    std::vector<uint32_t> ssids(256);
    Rng r;
    for (auto &s : ssids) {
        s = 1 + (uint32_t)(r.next() % ((1u << 20) - 1));
        smmu_drv_set_pasid(p.drv, 1, s, d);
    }
    size_t i = 0;
    smmu_result_t res;
    for (auto _ : st) {
        smmu_txn_t t = txn(1);
        t.ssv = true;
        t.ssid = ssids[i];
        t.addr = IOVA + ((i & 15) << 12);
        smmu_translate(p.smmu, &t, &res);
        benchmark::DoNotOptimize(res.pa);
        if (++i == ssids.size()) i = 0;
    }
    if (res.status != SMMU_OK) st.SkipWithError("translation failed");
    st.counters["sim_mem_MiB"] = (double)smmu_mem_pages(p.mem) * 4096 / (1 << 20);
}
BENCHMARK(BM_Substreams);

// ------------------------------------------------------------------ the ratio summary

// Keeps the median of every benchmark (or its only run) for the closing ratio lines.
class Collect : public benchmark::ConsoleReporter {
  public:
    std::map<std::string, double> ns;
    void ReportRuns(const std::vector<Run> &runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const auto &r : runs) {
            std::string name = r.benchmark_name();
            if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median") continue;
            auto pos = name.find("_median");
            if (pos != std::string::npos) name.erase(pos);
            ns[name] = r.GetAdjustedRealTime();
        }
    }
};

} // namespace

int main(int argc, char **argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    Collect rep;
    benchmark::RunSpecifiedBenchmarks(&rep);
    std::printf("\nratios (same run; median when repeated):\n");
    for (const char *n : {"1", "64", "4096", "1048576"}) {
        auto hit = rep.ns.find(std::string("BM_TlbHit/") + n);
        auto base = rep.ns.find(std::string("BM_BareHash/") + n);
        if (hit != rep.ns.end() && base != rep.ns.end())
            std::printf("  TLB hit / bare hash, %7s pages: %6.2f ns / %6.2f ns = %.2fx\n", n,
                        hit->second, base->second, hit->second / base->second);
    }
    auto s8 = rep.ns.find("BM_Streams/8"), s20 = rep.ns.find("BM_Streams/20");
    if (s8 != rep.ns.end() && s20 != rep.ns.end())
        std::printf("  2^20 streams / 2^8 streams: %.2fx\n", s20->second / s8->second);
    benchmark::Shutdown();
    return 0;
}
