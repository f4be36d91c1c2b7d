// SPDX-License-Identifier: Apache-2.0 OR MIT
// Core benchmarks (issue 5): translation cost for TLB hits, full walks at each granule, nested
// walks, configuration-cache misses, bypass, faults, commands, and scale in streams and
// SubstreamIDs (hot and cold configuration caches, see "scale" below) with the host and simulated
// memory they use; next to a bare open-addressing hash table doing the same number of lookups
// (the physical-limit baseline). Run: scripts/bench.sh (see docs/performance.md), or
// build/testbench/bench/bench_core [Google Benchmark flags] [--summary_out=FILE].
// The summary after the Google Benchmark table prints every TLB-hit time as a ratio to the
// baseline of the same size, every scattered TLB-miss time (BM_HostMem, and batched:
// BM_HostMemBatch) as a ratio to a bare 4-level walk over the same tables (BM_BareWalk), the
// streaming misses (BM_Stream) to theirs (BM_BareWalkStream), and the 2^20 / 2^8 scale ratios,
// from the same run.
#include <benchmark/benchmark.h>

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <smmu/drv.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

namespace {

// ------------------------------------------------------------------ a platform to measure

// Heap bytes in use (glibc; 0 elsewhere or under sanitizers that replace malloc).
size_t heap_bytes() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#else
    return 0;
#endif
}

constexpr uint64_t POOL = 0x100000000ull; // the driver's tables
constexpr uint64_t POOL_SIZE = 1ull << 31;
constexpr uint64_t IOVA = 0x40000000ull;
constexpr uint64_t PA = 0x200001000ull; // offset by one page: never block-aligned to IOVA

struct Platform {
    smmu_mem_t *mem = nullptr;
    smmu_t *smmu = nullptr;
    smmu_drv_t *drv = nullptr;
    size_t core_bytes = 0; // host memory smmu_new allocated (the core's whole allocation)
    explicit Platform(const smmu_params_t &p) {
        mem = smmu_mem_new();
        smmu_host_t h;
        smmu_mem_host(mem, &h);
        size_t h0 = heap_bytes();
        smmu = smmu_new(&p, &h);
        size_t h1 = heap_bytes();
        core_bytes = h1 > h0 ? h1 - h0 : 0;
        drv = smmu_drv_new_direct(smmu, mem, POOL, POOL_SIZE);
        if (!smmu || !drv || smmu_drv_init(drv) != 0) std::abort();
    }
    ~Platform() {
        smmu_drv_free(drv);
        smmu_free(smmu);
        smmu_mem_free(mem);
    }
    smmu_domain_t *domain(uint8_t stage, unsigned gran, unsigned ias, uint16_t id = 1,
                          bool httu = false) {
        smmu_domain_cfg_t dc{};
        dc.stage = stage;
        dc.id = id;
        dc.granule = gran;
        dc.ias = ias;
        smmu_domain_t *d = nullptr;
        if (smmu_drv_domain_new(drv, &dc, &d) != 0) std::abort();
        smmu_drv_domain_httu(d, httu);
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

// translate_loop through smmu_translate_batch: one transaction per iteration (so the time per
// iteration is per translation, as in translate_loop), translated b at a time.
void batch_loop(benchmark::State &st, smmu_t *s, smmu_txn_t t, const std::vector<uint32_t> &pg,
                unsigned shift, size_t b) {
    std::vector<smmu_txn_t> tv(b, t);
    std::vector<smmu_result_t> rv(b);
    size_t i = 0, n = 0;
    bool ok = true;
    for (auto _ : st) {
        tv[n].addr = IOVA + ((uint64_t)pg[i] << shift) + 8;
        if (++n == b) {
            smmu_translate_batch(s, tv.data(), rv.data(), b);
            benchmark::DoNotOptimize(rv.data());
            ok &= rv[b - 1].status == SMMU_OK;
            n = 0;
        }
        if (++i == pg.size()) i = 0;
    }
    smmu_translate_batch(s, tv.data(), rv.data(), n); // the last partial batch, untimed
    if (!ok) st.SkipWithError("unexpected translation result");
}

smmu_txn_t txn(uint32_t sid) {
    smmu_txn_t t{};
    t.sid = sid;
    t.len = 8;
    return t;
}

// A platform whose set-up is costly (many pages or streams) and the IDs it cycles through.
struct Scale {
    std::unique_ptr<Platform> p;
    std::vector<uint32_t> ids;
    size_t heap_growth = 0;       // heap growth while translating (the core's: the sparse memory
                                  // allocates nothing on reads)
    smmu_domain_t *dom = nullptr; // the stage-1 domain (BM_HostMem, BM_BareWalk)
};

// Mapping 2^20 pages or building 2^20 streams takes seconds and Google Benchmark calls a
// benchmark function several times (iteration probing, repetitions): one such platform is kept
// between calls and replaced (and freed) when another one is asked for.
Scale &scale_cached(const std::string &key, const std::function<std::unique_ptr<Scale>()> &build) {
    static std::string cur;
    static std::unique_ptr<Scale> s;
    if (!s || cur != key) {
        s.reset();
        malloc_trim(0); // give the previous platform's pages back so rss_MiB is this one's
        s = build();
        cur = key;
    }
    return *s;
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
// concurrent: an instance made for several threads (smmu.h, "Concurrent use").
// httu: the CD enables hardware Access flag and dirty state updates (CD.HA/HD, spec 3.13); the
// pages are mapped accessed and writable-dirty, so hits need no update.
// memo: params.memo_entries (0: the default, sized from the TLB; none beyond 2^17 entries).
std::unique_ptr<Scale> build_tlbhit(uint32_t n, bool concurrent = false, bool httu = false,
                                    uint32_t memo = 0) {
    uint32_t entries = 2048;
    while (entries < 2 * n)
        entries <<= 1;
    auto s = std::make_unique<Scale>();
    smmu_params_t prm = params(true, true, true, entries);
    prm.concurrent = concurrent;
    prm.memo_entries = memo;
    s->p = std::make_unique<Platform>(prm);
    Platform &p = *s->p;
    auto *d = p.domain(1, 4096, 48, 1, httu);
    p.map(d, IOVA, PA, (uint64_t)n << 12);
    smmu_drv_attach_s1(p.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    s->ids = page_order(n);
    smmu_result_t r;
    for (uint32_t i = 0; i < n; i++) { // warm the TLB
        smmu_txn_t t = txn(1);
        t.addr = IOVA + ((uint64_t)i << 12);
        smmu_translate(p.smmu, &t, &r);
    }
    return s;
}
void BM_TlbHit(benchmark::State &st) {
    uint32_t n = (uint32_t)st.range(0);
    Scale &sc = scale_cached("tlbhit" + std::to_string(n), [&] { return build_tlbhit(n); });
    smmu_clear_stats(sc.p->smmu);
    translate_loop(st, sc.p->smmu, txn(1), sc.ids, 12);
    smmu_cache_stats_t cs;
    smmu_cache_stats(sc.p->smmu, SMMU_CACHE_TLB, &cs);
    st.counters["tlb_hit_rate"] = cs.lookups ? (double)cs.hits / (double)cs.lookups : 0;
}
BENCHMARK(BM_TlbHit)->Arg(1)->Arg(64)->Arg(4096)->Arg(1 << 20);

// BM_TlbHit through smmu_translate_fast (the compact result; the same platform and pages).
// memo: params.memo_entries (0: the default).
void fast_hits(benchmark::State &st, uint32_t n, uint32_t memo) {
    std::string key = "tlbhit" + std::to_string(n) + (memo ? "m" + std::to_string(memo) : "");
    Scale &sc = scale_cached(key, [&] { return build_tlbhit(n, false, false, memo); });
    smmu_t *s = sc.p->smmu;
    smmu_clear_stats(s);
    smmu_txn_t t = txn(1);
    smmu_result_fast_t r{};
    // One untimed lap: the first use of a page after a statistics clear (or any fill or
    // invalidation) re-validates its memo entry (memo.c); the timed loop measures the hits after.
    for (uint32_t pg : sc.ids) {
        t.addr = IOVA + ((uint64_t)pg << 12) + 8;
        smmu_translate_fast(s, &t, &r);
    }
    size_t i = 0;
    for (auto _ : st) {
        t.addr = IOVA + ((uint64_t)sc.ids[i] << 12) + 8;
        smmu_translate_fast(s, &t, &r);
        benchmark::DoNotOptimize(r.pa);
        if (++i == sc.ids.size()) i = 0;
    }
    if (r.status != SMMU_OK) st.SkipWithError("unexpected translation result");
    smmu_cache_stats_t cs;
    smmu_cache_stats(s, SMMU_CACHE_TLB, &cs);
    st.counters["tlb_hit_rate"] = cs.lookups ? (double)cs.hits / (double)cs.lookups : 0;
}
void BM_TlbHitFast(benchmark::State &st) {
    fast_hits(st, (uint32_t)st.range(0), 0);
}
BENCHMARK(BM_TlbHitFast)->Arg(1)->Arg(64)->Arg(4096)->Arg(1 << 20);
// BM_TlbHitFast with params.memo_entries (second argument): /1048576/2097152 gives the 2^20-page
// case the memo its default leaves out (one 64-byte entry per TLB entry: 128 MiB).
void BM_TlbHitFastMemo(benchmark::State &st) {
    fast_hits(st, (uint32_t)st.range(0), (uint32_t)st.range(1));
}
BENCHMARK(BM_TlbHitFastMemo)->Args({1 << 20, 1 << 21});

// The platform of BM_TlbHit through a stream handle (smmu_translate_handle): the device's
// StreamID and attributes prepared once, each call gives the address and the access kind. /20 is
// 2^20 pages with params.memo_entries = 2^21 (the default leaves the memo out beyond 2^17 TLB
// entries; BM_TlbHitFastMemo's platform). Statistics cleared, then BM_TlbHitFast's untimed lap
// (re-validation).
struct HandleRig {
    Scale *sc;
    smmu_t *s;
    smmu_stream_handle_t h;
};
HandleRig handle_rig(benchmark::State &st) {
    const uint32_t n = st.range(0) == 20 ? 1u << 20 : (uint32_t)st.range(0);
    const uint32_t memo = st.range(0) == 20 ? 1u << 21 : 0;
    std::string key = "tlbhit" + std::to_string(n) + (memo ? "m" + std::to_string(memo) : "");
    HandleRig g{};
    g.sc = &scale_cached(key, [&] { return build_tlbhit(n, false, false, memo); });
    g.s = g.sc->p->smmu;
    smmu_clear_stats(g.s);
    const smmu_txn_t t = txn(1);
    smmu_stream_handle_init(&g.h, &t);
    smmu_result_fast_t r;
    for (uint32_t pg : g.sc->ids)
        smmu_translate_handle(g.s, &g.h, IOVA + ((uint64_t)pg << 12) + 8, SMMU_ACCESS_READ, &r);
    return g;
}
void BM_TlbHitHandle(benchmark::State &st) {
    HandleRig g = handle_rig(st);
    const std::vector<uint32_t> &ids = g.sc->ids;
    smmu_result_fast_t r{};
    size_t i = 0;
    for (auto _ : st) {
        smmu_translate_handle(g.s, &g.h, IOVA + ((uint64_t)ids[i] << 12) + 8, SMMU_ACCESS_READ, &r);
        benchmark::DoNotOptimize(r.pa);
        if (++i == ids.size()) i = 0;
    }
    if (r.status != SMMU_OK) st.SkipWithError("unexpected translation result");
    smmu_cache_stats_t cs;
    smmu_cache_stats(g.s, SMMU_CACHE_TLB, &cs);
    st.counters["tlb_hit_rate"] = cs.lookups ? (double)cs.hits / (double)cs.lookups : 0;
}
// /20 first and last: next to BM_TlbHitFastMemo's platform and to each other (scale_cached keeps
// one platform; the 2^20-page one takes seconds to build).
BENCHMARK(BM_TlbHitHandle)->Arg(20)->Arg(64)->Arg(4096);
// BM_TlbHitHandle through smmu_translate_handle_batch, 16 addresses a call (a device's burst):
// each iteration is one translation, a call every 16th. The same platforms and page order.
void BM_TlbHitHandleBatch(benchmark::State &st) {
    HandleRig g = handle_rig(st);
    const std::vector<uint32_t> &ids = g.sc->ids;
    constexpr size_t B = 16;
    uint64_t addr[B];
    smmu_result_fast_t r[B] = {};
    size_t i = 0, k = 0;
    for (auto _ : st) {
        addr[k] = IOVA + ((uint64_t)ids[i] << 12) + 8;
        if (++k == B) {
            smmu_translate_handle_batch(g.s, &g.h, addr, SMMU_ACCESS_READ, r, B);
            benchmark::DoNotOptimize(r[B - 1].pa);
            k = 0;
        }
        if (++i == ids.size()) i = 0;
    }
    smmu_translate_handle_batch(g.s, &g.h, addr, SMMU_ACCESS_READ, r, k); // the rest, untimed
    if (r[0].status != SMMU_OK) st.SkipWithError("unexpected translation result");
}
BENCHMARK(BM_TlbHitHandleBatch)->Arg(4096)->Arg(64)->Arg(20);

// The same hits with HTTU enabled in the CD (CD.HA = CD.HD = 1) on pages already accessed and
// dirty: the hit path must not slow down (ratio against BM_TlbHit in the summary).
void BM_TlbHitHttu(benchmark::State &st) {
    uint32_t n = (uint32_t)st.range(0);
    Scale &sc = scale_cached("tlbhithttu" + std::to_string(n),
                             [&] { return build_tlbhit(n, false, true); });
    translate_loop(st, sc.p->smmu, txn(1), sc.ids, 12);
}
BENCHMARK(BM_TlbHitHttu)->Arg(64)->Arg(4096);

// ---- HTTU on against HTTU off, for pages already accessed and dirty (issue 16)
// Two platforms that differ only in HTTU: off = params.httu 0 and CD.HA = CD.HD = 0; on =
// params.httu 2 (IDR0.HTTU = 0b10) and CD.HA = CD.HD = 1 (spec 3.13, 5.4). In both the leaves
// are the same: AF = 1 and writable-dirty with DBM = 1 (AP[2] = 0, DBM bit 51; Arm ARM D8.5), so
// no translation needs an update and any difference is what HTTU costs the path itself. Three
// paths, each with its own cache set-up: memo hits (the default: memo in front of the TLB), TLB
// hits (memo off), and walks (TLB, walk cache and memo off; configuration cached).
enum HttuPath { HTTU_MEMO = 0, HTTU_TLB = 1, HTTU_WALK = 2 };

// Sets DBM in the 4 KB leaf of every page of [IOVA, IOVA + n pages): a software walk of the
// driver's 4-level stage-1 tables (Arm ARM D8.2: 9 index bits per level from bit 39 down).
void set_dbm(Platform &p, smmu_domain_t *d, uint32_t n) {
    uint64_t root;
    unsigned start, concat;
    smmu_drv_domain_geometry(d, &root, &start, &concat);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t va = IOVA + ((uint64_t)i << 12), table = root, pa = 0;
        for (unsigned lvl = start; lvl <= 3; lvl++) {
            pa = table + 8 * ((va >> (39 - 9 * lvl)) & 511);
            table = smmu_mem_read64(p.mem, pa) & 0x0000FFFFFFFFF000ull;
        }
        smmu_mem_write64(p.mem, pa, smmu_mem_read64(p.mem, pa) | (1ull << 51));
    }
}

std::unique_ptr<Scale> build_httu(uint32_t n, bool on, int path) {
    uint32_t entries = 2048;
    while (entries < 2 * n)
        entries <<= 1;
    const bool walk = path == HTTU_WALK;
    smmu_params_t prm = params(!walk, !walk, true, entries);
    prm.httu = on ? 2 : 0;
    prm.memo_off = path != HTTU_MEMO;
    auto s = std::make_unique<Scale>();
    s->p = std::make_unique<Platform>(prm);
    Platform &p = *s->p;
    auto *d = p.domain(1, 4096, 48, 1, on);
    p.map(d, IOVA, PA, (uint64_t)n << 12);
    set_dbm(p, d, n);
    smmu_drv_attach_s1(p.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    s->ids = page_order(n);
    smmu_result_t r;
    for (uint32_t i = 0; i < n; i++) { // warm the caches; every page translates
        smmu_txn_t t = txn(1);
        t.addr = IOVA + ((uint64_t)i << 12);
        t.write = true;
        smmu_translate(p.smmu, &t, &r);
        if (r.status != SMMU_OK) std::abort();
    }
    return s;
}

// range(0): pages, range(1): HTTU on (1) or off (0). Writes, which are what dirty state is about.
void httu_bench(benchmark::State &st, int path) {
    uint32_t n = (uint32_t)st.range(0);
    bool on = st.range(1) != 0;
    Scale &sc = scale_cached("httu" + std::to_string(path) + "/" + std::to_string(n) + "/" +
                                 std::to_string(on),
                             [&] { return build_httu(n, on, path); });
    smmu_txn_t t = txn(1);
    t.write = true;
    smmu_clear_stats(sc.p->smmu);
    translate_loop(st, sc.p->smmu, t, sc.ids, 12);
    smmu_stats_t ss;
    smmu_get_stats(sc.p->smmu, &ss);
    st.counters["walk_reads"] =
        benchmark::Counter((double)ss.walk_reads, benchmark::Counter::kAvgIterations);
}
void BM_HttuMemoHit(benchmark::State &st) {
    httu_bench(st, HTTU_MEMO);
}
void BM_HttuTlbHit(benchmark::State &st) {
    httu_bench(st, HTTU_TLB);
}
void BM_HttuWalk(benchmark::State &st) {
    httu_bench(st, HTTU_WALK);
}
BENCHMARK(BM_HttuMemoHit)->Args({64, 0})->Args({64, 1})->Args({4096, 0})->Args({4096, 1});
BENCHMARK(BM_HttuTlbHit)->Args({64, 0})->Args({64, 1})->Args({4096, 0})->Args({4096, 1});
BENCHMARK(BM_HttuWalk)->Args({256, 0})->Args({256, 1});

// The same hits with the XLATE trace point on (a callback that does nothing): what a host pays
// for tracing translations; BM_TlbHit is the cost with trace points off (one branch each).
void BM_TlbHitTraced(benchmark::State &st) {
    uint32_t n = (uint32_t)st.range(0);
    Scale &sc = scale_cached("tlbhit" + std::to_string(n), [&] { return build_tlbhit(n); });
    smmu_set_trace(
        sc.p->smmu, [](void *, const smmu_tp_t *) {}, 1u << SMMU_TP_XLATE);
    translate_loop(st, sc.p->smmu, txn(1), sc.ids, 12);
    smmu_set_trace(sc.p->smmu, nullptr, 0);
}
BENCHMARK(BM_TlbHitTraced)->Arg(64);

// The same hits while a PMCG counter counts transactions (chapter 10): what counting costs a
// hit (the lock-free memo hit then takes the counting hook); BM_TlbHit is the cost with no
// counter enabled (one branch).
void BM_TlbHitPmcg(benchmark::State &st) {
    uint32_t n = (uint32_t)st.range(0);
    Scale &sc = scale_cached("tlbhit" + std::to_string(n), [&] { return build_tlbhit(n); });
    smmu_t *s = sc.p->smmu;
    smmu_pmcg_reg_write(s, 0, SMMU_PMCG_EVTYPER0, SMMU_PMCG_EV_TRANSACTION, 4);
    smmu_pmcg_reg_write(s, 0, SMMU_PMCG_CNTENSET0, 1, 8);
    smmu_pmcg_reg_write(s, 0, SMMU_PMCG_CR, 1, 4);
    translate_loop(st, s, txn(1), sc.ids, 12);
    smmu_pmcg_reg_write(s, 0, SMMU_PMCG_CR, 0, 4);
    smmu_pmcg_reg_write(s, 0, SMMU_PMCG_CNTENCLR0, 1, 8);
}
BENCHMARK(BM_TlbHitPmcg)->Arg(64);

// TLB hits from 1 and 2 threads at once on one concurrent instance, each thread through a port
// of its own (smmu_port_translate), over the same 64 pages from different starting points.
// Real time per translation of all threads together: with 2 threads it halves when hits scale
// perfectly (the ratio summary prints the speed-up). threads:1 against BM_TlbHit/64 is what a
// concurrent instance costs one thread.
void BM_PortHits(benchmark::State &st) {
    static const std::unique_ptr<Scale> sc = build_tlbhit(64, true); // built once, by one thread
    smmu_port_t *port = smmu_port_new(sc->p->smmu);
    if (!port) {
        st.SkipWithError("smmu_port_new failed");
        return;
    }
    const auto &pg = sc->ids;
    size_t i = (size_t)st.thread_index() * pg.size() / 2;
    smmu_txn_t t = txn(1);
    smmu_result_t r;
    for (auto _ : st) {
        t.addr = IOVA + ((uint64_t)pg[i] << 12) + 8;
        smmu_port_translate(port, &t, &r);
        benchmark::DoNotOptimize(r.pa);
        if (++i == pg.size()) i = 0;
    }
    if (r.status != SMMU_OK) st.SkipWithError("unexpected translation result");
    smmu_port_free(port);
}
BENCHMARK(BM_PortHits)->Threads(1)->Threads(2)->UseRealTime();

// What the machine gives 2 threads at this moment (a shared machine may lend fewer cores than
// it has): independent arithmetic from 1 and 2 threads, the ceiling of BM_PortHits' speed-up.
void BM_ParallelRef(benchmark::State &st) {
    uint64_t x = 1 + (uint64_t)st.thread_index();
    for (auto _ : st) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        benchmark::DoNotOptimize(x);
    }
}
BENCHMARK(BM_ParallelRef)->Threads(1)->Threads(2)->UseRealTime();

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

// Nested: 4-level stage 1 over a 48-bit stage 2, no TLB, walk or IPA cache: every stage-1 table
// address and the output IPA are walked at stage 2. The driver maps the stage-2 window with 1 GB
// blocks, so each stage-2 walk is 2 reads (level 0 table, level 1 block): 4 + 5 x 2 = 14 reads
// per translation (a page-mapped 4-level stage 2 would be 24).
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

// Methodology (docs/performance.md): every scale benchmark translates a fixed working set of
// WORKING_SET IDs spread evenly over the configured ID space, cycling through them in the same
// order at every size, and 16 pages of one shared stage-1 domain (TLB hits at every size). Each
// size is measured twice:
//   Hot:  configuration caches on (default geometry); the working set fits the STE / CD caches,
//         so after the first lap every configuration lookup hits (ste_hit / cd_hit ~ 1).
//   Cold: configuration caches (STE, CD, L1 descriptor) off; every translation fetches the
//         L1 descriptor, the STE (and the L1CD and CD) from simulated memory (hit rate 0).
// The hit rate is therefore the same at every size and only the size of the tables changes.
// Every ID of the space is configured (2^k valid STEs / CDs in simulated memory), so the
// simulated memory grows with the size while the core's host memory does not (counters).
constexpr uint32_t WORKING_SET = 32;
constexpr uint64_t ADDR_55_6 = 0x00FFFFFFFFFFFFC0ull;  // L1STD.L2Ptr, STE.S1ContextPtr (5.1, 5.2)
constexpr uint64_t ADDR_55_12 = 0x00FFFFFFFFFFF000ull; // L1CD.L2Ptr (5.3)

// Resident set size of the whole process, MiB.
double rss_mib() {
    long pages = 0, resident = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1 << 20);
}

double sim_mib(const Platform &p) {
    return (double)smmu_mem_pages(p.mem) * 4096 / (1 << 20);
}

void cmd_cfgi_all(Platform &p) {
    const uint64_t cmd[2] = {SMMU_CMD_CFGI_ALL, 31 /* Range: all */};
    if (smmu_drv_cmd(p.drv, cmd) != 0 || smmu_drv_sync(p.drv) != 0) std::abort();
}

std::vector<uint32_t> spread(uint32_t space, uint32_t first) {
    std::vector<uint32_t> v;
    uint32_t n = space < WORKING_SET ? space : WORKING_SET;
    for (uint32_t i = 0; i < n; i++)
        v.push_back(first + i * (space / n));
    return v;
}

// 2^k streams, all valid, in the driver's 2-level stream table. The driver attaches the first
// StreamID of every L2 table (allocating the table, writing its L1 descriptor, STE and CD table);
// the other STEs of the L2 table are copies of that STE written straight into memory (attaching
// 2^20 streams one by one through the driver takes minutes: its stream list is linear), then
// one CMD_CFGI_ALL.
std::unique_ptr<Scale> build_streams(unsigned k, bool cold) {
    auto s = std::make_unique<Scale>();
    s->p = std::make_unique<Platform>(params(true, true, !cold));
    Platform &p = *s->p;
    auto *d = p.domain(1, 4096, 48);
    p.map(d, IOVA, PA, 16 << 12);
    smmu_drv_info_t info;
    smmu_drv_info(p.drv, &info);
    const uint32_t cfg = (uint32_t)smmu_reg_read(p.smmu, SMMU_STRTAB_BASE_CFG, 4);
    const unsigned split = (cfg >> 6) & 0x1F; // STRTAB_BASE_CFG.SPLIT (6.3.25)
    if (!info.st_2lvl || split == 0 || info.sid_bits < k) std::abort();
    const uint32_t n = 1u << k, per_l2 = 1u << split;
    for (uint32_t base = 0; base < n; base += per_l2) {
        if (smmu_drv_attach_s1(p.drv, base, d, 0, SMMU_DRV_S1DSS_TERMINATE) != 0) std::abort();
        const uint64_t l2 =
            smmu_mem_read64(p.mem, info.strtab + 8ull * (base >> split)) & ADDR_55_6;
        uint64_t ste[8];
        if (smmu_mem_read(p.mem, l2, ste, sizeof ste) != 0) std::abort();
        for (uint32_t j = 1; j < per_l2 && base + j < n; j++)
            if (smmu_mem_write(p.mem, l2 + 64ull * j, ste, sizeof ste) != 0) std::abort();
    }
    cmd_cfgi_all(p);
    s->ids = spread(n, 0);
    return s;
}

// StreamID 1 with 2^k SubstreamIDs, all valid, in a 2-level CD table (k > 6); built like the
// stream table above: the driver writes the first CD of every leaf table (smmu_drv_set_pasid
// allocates the table and its L1CD), the rest are copies.
std::unique_ptr<Scale> build_substreams(unsigned k, bool cold) {
    auto s = std::make_unique<Scale>();
    s->p = std::make_unique<Platform>(params(true, true, !cold));
    Platform &p = *s->p;
    auto *d = p.domain(1, 4096, 48);
    p.map(d, IOVA, PA, 16 << 12);
    if (smmu_drv_attach_s1(p.drv, 1, d, k, SMMU_DRV_S1DSS_SSID0) != 0) std::abort();
    smmu_drv_info_t info;
    smmu_drv_info(p.drv, &info);
    const uint32_t cfg = (uint32_t)smmu_reg_read(p.smmu, SMMU_STRTAB_BASE_CFG, 4);
    const unsigned split = (cfg >> 6) & 0x1F;
    const uint64_t l2 = smmu_mem_read64(p.mem, info.strtab + 8ull * (1u >> split)) & ADDR_55_6;
    const uint64_t ste0 = smmu_mem_read64(p.mem, l2 + 64ull * (1u & ((1u << split) - 1)));
    const unsigned s1fmt = (unsigned)(ste0 >> 4) & 3; // STE.S1Fmt (5.2): 1 = 4 KiB leaf tables
    if (s1fmt != 1) std::abort();
    const uint64_t l1cd = ste0 & ADDR_55_6;
    const uint32_t n = 1u << k, per_leaf = 4096 / 64;
    for (uint32_t base = 0; base < n; base += per_leaf) {
        const uint32_t rep = base ? base : 1; // CD 0 is the attach's; write 1 as the model
        if (smmu_drv_set_pasid(p.drv, 1, rep, d) != 0) std::abort();
        const uint64_t leaf = smmu_mem_read64(p.mem, l1cd + 8ull * (base / per_leaf)) & ADDR_55_12;
        uint64_t cd[8];
        if (smmu_mem_read(p.mem, leaf + 64ull * (rep - base), cd, sizeof cd) != 0) std::abort();
        for (uint32_t j = 1; j < per_leaf && base + j < n; j++)
            if (base + j != rep && smmu_mem_write(p.mem, leaf + 64ull * j, cd, sizeof cd) != 0)
                std::abort();
    }
    cmd_cfgi_all(p);
    s->ids = spread(n, 1);
    return s;
}

void cache_rate(benchmark::State &st, smmu_t *s, unsigned which, const char *name) {
    smmu_cache_stats_t cs;
    smmu_cache_stats(s, which, &cs);
    st.counters[name] = cs.lookups ? (double)cs.hits / (double)cs.lookups : 0;
}

void scale_counters(benchmark::State &st, Scale &sc, uint32_t space) {
    Platform &p = *sc.p;
    cache_rate(st, p.smmu, SMMU_CACHE_STE, "ste_hit");
    cache_rate(st, p.smmu, SMMU_CACHE_CD, "cd_hit");
    cache_rate(st, p.smmu, SMMU_CACHE_TLB, "tlb_hit");
    st.counters["sim_MiB"] = sim_mib(p);
    st.counters["sim_B_per_id"] = sim_mib(p) * (1 << 20) / space;
    st.counters["rss_MiB"] = rss_mib();
    st.counters["core_KiB"] = (double)p.core_bytes / 1024;
}

// The timed loop of the scale benchmarks: working-set IDs in a fixed cycle, 16 pages.
void scale_loop(benchmark::State &st, Scale &sc, bool substreams) {
    Platform &p = *sc.p;
    smmu_result_t res{};
    size_t i = 0;
    const size_t n = sc.ids.size();
    for (size_t w = 0; w < 2 * n; w++) { // warm (hot: fill the caches; both: the TLB)
        smmu_txn_t t = txn(substreams ? 1 : sc.ids[w % n]);
        t.ssv = substreams;
        t.ssid = substreams ? sc.ids[w % n] : 0;
        t.addr = IOVA + ((w & 15) << 12);
        smmu_translate(p.smmu, &t, &res);
        if (res.status != SMMU_OK) {
            st.SkipWithError("a working-set ID does not translate");
            return;
        }
    }
    smmu_clear_stats(p.smmu);
    size_t h0 = heap_bytes();
    for (auto _ : st) {
        smmu_txn_t t = txn(substreams ? 1 : sc.ids[i]);
        t.ssv = substreams;
        t.ssid = substreams ? sc.ids[i] : 0;
        t.addr = IOVA + ((i & 15) << 12);
        smmu_translate(p.smmu, &t, &res);
        benchmark::DoNotOptimize(res.pa);
        if (++i == n) i = 0;
    }
    size_t h1 = heap_bytes();
    if (res.status != SMMU_OK) st.SkipWithError("translation failed");
    st.counters["core_growth_B"] = (double)(h1 > h0 ? h1 - h0 : 0);
}

void streams(benchmark::State &st, bool cold) {
    unsigned k = (unsigned)st.range(0);
    Scale &sc = scale_cached("streams" + std::to_string(k) + (cold ? "c" : "h"),
                             [&] { return build_streams(k, cold); });
    scale_loop(st, sc, false);
    scale_counters(st, sc, 1u << k);
}
void BM_StreamsHot(benchmark::State &st) {
    streams(st, false);
}
void BM_StreamsCold(benchmark::State &st) {
    streams(st, true);
}
BENCHMARK(BM_StreamsHot)->DenseRange(8, 20, 4);
BENCHMARK(BM_StreamsCold)->DenseRange(8, 20, 4);

void substreams(benchmark::State &st, bool cold) {
    unsigned k = (unsigned)st.range(0);
    Scale &sc = scale_cached("ssid" + std::to_string(k) + (cold ? "c" : "h"),
                             [&] { return build_substreams(k, cold); });
    scale_loop(st, sc, true);
    scale_counters(st, sc, 1u << k);
}
void BM_SubstreamsHot(benchmark::State &st) {
    substreams(st, false);
}
void BM_SubstreamsCold(benchmark::State &st) {
    substreams(st, true);
}
BENCHMARK(BM_SubstreamsHot)->Arg(8)->Arg(20);
BENCHMARK(BM_SubstreamsCold)->Arg(8)->Arg(20);

// The core's host memory against the simulated memory it translates over: 2^k 4 KB pages
// mapped (page tables in simulated memory grow with k), every page translated once (first
// lap, timed below as well: shuffled order, mostly TLB misses for large k). core_KiB is what
// smmu_new allocated, core_growth_B the heap growth over the whole run: the core allocates
// nothing after smmu_new, whatever the size of the simulated memory.
std::unique_ptr<Scale> build_hostmem(unsigned k) {
    auto s = std::make_unique<Scale>();
    s->p = std::make_unique<Platform>(params(true, true, true));
    Platform &p = *s->p;
    auto *d = p.domain(1, 4096, 48);
    p.map(d, IOVA, PA, 4096ull << k);
    smmu_drv_attach_s1(p.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    s->dom = d;
    s->ids = page_order(1u << k);
    smmu_result_t r;
    size_t h0 = heap_bytes();
    for (uint32_t pg = 0; pg < (1u << k); pg++) {
        smmu_txn_t t = txn(1);
        t.addr = IOVA + ((uint64_t)pg << 12);
        smmu_translate(p.smmu, &t, &r);
        if (r.status != SMMU_OK) std::abort();
    }
    size_t h1 = heap_bytes();
    s->heap_growth = h1 > h0 ? h1 - h0 : 0;
    return s;
}
void BM_HostMem(benchmark::State &st) {
    unsigned k = (unsigned)st.range(0);
    Scale &sc = scale_cached("hostmem" + std::to_string(k), [&] { return build_hostmem(k); });
    Platform &p = *sc.p;
    size_t h0 = heap_bytes();
    translate_loop(st, p.smmu, txn(1), sc.ids, 12);
    size_t h1 = heap_bytes();
    st.counters["core_KiB"] = (double)p.core_bytes / 1024;
    st.counters["core_growth_B"] = (double)(sc.heap_growth + (h1 > h0 ? h1 - h0 : 0));
    st.counters["sim_MiB"] = sim_mib(p);
    st.counters["rss_MiB"] = rss_mib();
}
BENCHMARK(BM_HostMem)->Arg(8)->Arg(14)->Arg(20);

// BM_HostMem through smmu_translate_batch, batches of the second argument: the same tables and
// page order; the batch's look-ahead prefetches each group's TLB sets and leaf descriptors.
void BM_HostMemBatch(benchmark::State &st) {
    unsigned k = (unsigned)st.range(0);
    Scale &sc = scale_cached("hostmem" + std::to_string(k), [&] { return build_hostmem(k); });
    batch_loop(st, sc.p->smmu, txn(1), sc.ids, 12, (size_t)st.range(1));
}
BENCHMARK(BM_HostMemBatch)->Args({14, 32})->Args({20, 16})->Args({20, 32});

// A gpu_stream-like streaming case (traces/gen/gpu_stream.py): a device streams through two
// 32 MiB input buffers and one 32 MiB output buffer in 4 KB requests, A[n], B[n], C[n], page n
// = 0, 1, ...: each page translated once per lap (24576 pages, far above the TLB: every
// translation misses the TLB; the walk cache holds the level-2 descriptors). 4 KB pages (the
// frames are offset by one page, so never a block), one stage-1 domain.
constexpr uint64_t STREAM_BUF = 32ull << 20, STREAM_GAP = 64ull << 20;
std::unique_ptr<Scale> build_stream() {
    auto s = std::make_unique<Scale>();
    s->p = std::make_unique<Platform>(params(true, true, true));
    Platform &p = *s->p;
    auto *d = p.domain(1, 4096, 48);
    for (uint64_t b = 0; b < 3; b++)
        p.map(d, IOVA + b * STREAM_GAP, PA + b * STREAM_GAP, STREAM_BUF);
    smmu_drv_attach_s1(p.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    s->dom = d;
    for (uint32_t n = 0; n < (uint32_t)(STREAM_BUF >> 12); n++)
        for (uint32_t b = 0; b < 3; b++)
            s->ids.push_back((uint32_t)((b * STREAM_GAP) >> 12) + n);
    return s;
}
// second argument: batch size (0: smmu_translate one at a time)
void BM_Stream(benchmark::State &st) {
    Scale &sc = scale_cached("stream", build_stream);
    if (st.range(0))
        batch_loop(st, sc.p->smmu, txn(1), sc.ids, 12, (size_t)st.range(0));
    else
        translate_loop(st, sc.p->smmu, txn(1), sc.ids, 12);
}

// One bare walk of va from root over tables at host[(table - POOL) >> 12].
inline uint64_t bare_walk(const std::vector<const uint8_t *> &host, uint64_t root, unsigned start,
                          uint64_t va) {
    constexpr uint64_t OA = 0x0000FFFFFFFFF000ull; // table / output address [47:12] (VMSAv8-64)
    uint64_t table = root;
    for (unsigned l = start; l <= 3; l++) {
        const unsigned shift = 12 + 9 * (3 - l);
        const uint8_t *t = host[(table - POOL) >> 12] + (table & 0xFFF);
        uint64_t d;
        std::memcpy(&d, t + 8 * ((va >> shift) & 511), 8);
        table = d & OA;
    }
    return table | (va & 0xFFF);
}

template <bool Serial>
void bare_walk_loop(benchmark::State &st, const Scale &sc, const std::vector<const uint8_t *> &host,
                    uint64_t root, unsigned start) {
    size_t i = 0;
    uint64_t dep = 0; // Serial: 0, computed from the previous walk's output
    for (auto _ : st) {
        const uint64_t pa =
            bare_walk(host, root, start, IOVA + ((uint64_t)sc.ids[i] << 12) + 8 + dep);
        benchmark::DoNotOptimize(pa);
        if (Serial) dep = pa >> 62; // output addresses are below 2^52: always 0
        if (++i == sc.ids.size()) i = 0;
    }
}

// The miss path's physical limit (issue 18): a bare 4-level walk over the same page tables in
// the same simulated memory and the same page order as BM_HostMem (same platform): per level one
// dependent 8-byte descriptor load, no checks, no caches. The host address of each table page
// comes from a flat array indexed by page number over the driver's pool, filled once from the
// memory's own grants (host->mem_ptr): the PA-to-host step any model over sparse memory needs.
// Second argument 1 (serial): each walk's start waits for the previous walk's result (a zero
// derived from it), so the CPU cannot overlap walks of successive iterations: the latency of one
// walk, where 0 lets out-of-order execution overlap several (the throughput limit; the model's
// miss path is too long for its walks to overlap).
void bare_walk_bench(benchmark::State &st, const Scale &sc, bool serial) {
    Platform &p = *sc.p;
    smmu_host_t h;
    smmu_mem_host(p.mem, &h);
    std::vector<const uint8_t *> host(POOL_SIZE >> 12);
    for (uint64_t pg = 0; pg < host.size(); pg++) {
        smmu_mem_grant_t g{};
        if (h.mem_ptr(h.ctx, POOL + (pg << 12), &g)) host[pg] = g.ptr;
    }
    uint64_t root = 0;
    unsigned start = 0, concat = 0;
    smmu_drv_domain_geometry(sc.dom, &root, &start, &concat);
    if (serial)
        bare_walk_loop<true>(st, sc, host, root, start);
    else
        bare_walk_loop<false>(st, sc, host, root, start);
}
void BM_BareWalk(benchmark::State &st) {
    unsigned k = (unsigned)st.range(0);
    Scale &sc = scale_cached("hostmem" + std::to_string(k), [&] { return build_hostmem(k); });
    bare_walk_bench(st, sc, st.range(1) != 0);
}
BENCHMARK(BM_BareWalk)->Args({14, 0})->Args({20, 0})->Args({14, 1})->Args({20, 1});
// The same bare walk over BM_Stream's tables in its order (argument: serial).
void BM_BareWalkStream(benchmark::State &st) {
    bare_walk_bench(st, scale_cached("stream", build_stream), st.range(0) != 0);
}
BENCHMARK(BM_BareWalkStream)->Arg(0)->Arg(1);
// registered after the 2^20 cases: the smoke run then builds each platform once
BENCHMARK(BM_Stream)->Arg(0)->Arg(32);

// ------------------------------------------------------------------ the ratio summary

// Keeps the median of every benchmark (or its only run) and its counters, in run order, for the
// closing ratio lines and the summary file that scripts/bench.sh turns into one table.
class Collect : public benchmark::ConsoleReporter {
  public:
    struct Row {
        std::string name;
        double ns, cpu_ns;
        std::vector<std::pair<std::string, double>> counters;
    };
    std::vector<Row> rows;
    bool failed = false; // a benchmark stopped with SkipWithError
    void ReportRuns(const std::vector<Run> &runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const auto &r : runs) {
            if (r.error_occurred) {
                failed = true;
                continue;
            }
            if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median") continue;
            std::string name = r.benchmark_name();
            auto pos = name.find("_median");
            if (pos != std::string::npos) name.erase(pos);
            Row row{name, r.GetAdjustedRealTime(), r.GetAdjustedCPUTime(), {}};
            for (const auto &c : r.counters)
                row.counters.emplace_back(c.first, c.second.value);
            rows.push_back(row);
        }
    }
    const Row *find(const std::string &name) const {
        for (const auto &r : rows)
            if (r.name == name) return &r;
        return nullptr;
    }
};

// cpu: CPU time instead of real time (on a loaded machine real time includes waiting for a core).
void ratio(const Collect &rep, const std::string &a, const std::string &b, const char *label,
           bool cpu = false) {
    const auto *ra = rep.find(a), *rb = rep.find(b);
    if (!ra || !rb) return;
    double x = cpu ? ra->cpu_ns : ra->ns, y = cpu ? rb->cpu_ns : rb->ns;
    std::printf("  %-40s %9.2f ns / %9.2f ns = %.2fx\n", label, x, y, x / y);
}

} // namespace

// Extra flag (before Google Benchmark's own): --summary_out=FILE writes one line per benchmark,
// "core<TAB>name<TAB>median real ns<TAB>median CPU ns<TAB>counter=value ...", for
// scripts/bench.sh.
int main(int argc, char **argv) {
    std::string summary;
    int out = 1;
    for (int i = 1; i < argc; i++) {
        if (std::strncmp(argv[i], "--summary_out=", 14) == 0)
            summary = argv[i] + 14;
        else
            argv[out++] = argv[i];
    }
    argc = out;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    Collect rep;
    benchmark::RunSpecifiedBenchmarks(&rep);
    std::printf("\nratios (same run; median when repeated):\n");
    for (const char *n : {"1", "64", "4096", "1048576"}) {
        std::string label = std::string("TLB hit / bare hash, ") + n + " pages";
        ratio(rep, std::string("BM_TlbHit/") + n, std::string("BM_BareHash/") + n, label.c_str());
        label = std::string("fast TLB hit / bare hash, ") + n + " pages";
        if (std::string(n) == "1048576") {
            ratio(rep, "BM_TlbHitFastMemo/1048576/2097152", "BM_BareHash/1048576",
                  "fast TLB hit, 2^21-entry memo / bare hash, 2^20");
            ratio(rep, "BM_TlbHitFastMemo/1048576/2097152", "BM_BareHash/1048576",
                  "  the same in CPU time", true);
        }
        ratio(rep, std::string("BM_TlbHitFast/") + n, std::string("BM_BareHash/") + n,
              label.c_str());
        ratio(rep, std::string("BM_TlbHitFast/") + n, std::string("BM_BareHash/") + n,
              "  the same in CPU time", true);
        if (std::string(n) == "1") continue;
        const std::string hn = std::string(n) == "1048576" ? "20" : n;
        label = std::string("handle TLB hit / bare hash, ") + n + " pages" +
                (hn == "20" ? " (2^21-entry memo)" : "");
        ratio(rep, "BM_TlbHitHandle/" + hn, std::string("BM_BareHash/") + n, label.c_str());
        ratio(rep, "BM_TlbHitHandle/" + hn, std::string("BM_BareHash/") + n,
              "  the same in CPU time", true);
        label = std::string("handle batch TLB hit / bare hash, ") + n + " pages" +
                (hn == "20" ? " (2^21-entry memo)" : "");
        ratio(rep, "BM_TlbHitHandleBatch/" + hn, std::string("BM_BareHash/") + n, label.c_str());
        ratio(rep, "BM_TlbHitHandleBatch/" + hn, std::string("BM_BareHash/") + n,
              "  the same in CPU time", true);
    }
    for (const char *k : {"14", "20"}) {
        std::string label = std::string("TLB miss (HostMem) / bare walk, 2^") + k + " pages";
        ratio(rep, std::string("BM_HostMem/") + k, std::string("BM_BareWalk/") + k + "/0",
              label.c_str());
        ratio(rep, std::string("BM_HostMem/") + k, std::string("BM_BareWalk/") + k + "/0",
              "  the same in CPU time", true);
        ratio(rep, std::string("BM_HostMem/") + k, std::string("BM_BareWalk/") + k + "/1",
              "  to a serial bare walk (latency)");
    }
    for (const char *b : {"BM_HostMemBatch/20/16", "BM_HostMemBatch/20/32"}) {
        std::string label = std::string("batched miss (") + (b + 3) + ") / bare walk";
        ratio(rep, b, "BM_BareWalk/20/0", label.c_str());
        ratio(rep, b, "BM_BareWalk/20/0", "  the same in CPU time", true);
        ratio(rep, b, "BM_BareWalk/20/1", "  to a serial bare walk (latency)");
        ratio(rep, b, "BM_HostMem/20", "  to the unbatched miss");
    }
    ratio(rep, "BM_Stream/0", "BM_BareWalkStream/0", "streaming miss / bare walk");
    ratio(rep, "BM_Stream/0", "BM_BareWalkStream/0", "  the same in CPU time", true);
    ratio(rep, "BM_Stream/32", "BM_BareWalkStream/0", "batched streaming miss / bare walk");
    ratio(rep, "BM_Stream/32", "BM_BareWalkStream/0", "  the same in CPU time", true);
    ratio(rep, "BM_Stream/32", "BM_Stream/0", "  to the unbatched streaming miss");
    ratio(rep, "BM_TlbHitTraced/64", "BM_TlbHit/64", "TLB hit with XLATE traced / trace off");
    ratio(rep, "BM_TlbHitHttu/64", "BM_TlbHit/64", "TLB hit, CD.HA/HD on / off, 64 pages");
    ratio(rep, "BM_TlbHitHttu/4096", "BM_TlbHit/4096", "TLB hit, CD.HA/HD on / off, 4096 pages");
    for (const char *b : {"BM_HttuMemoHit/64", "BM_HttuMemoHit/4096", "BM_HttuTlbHit/64",
                          "BM_HttuTlbHit/4096", "BM_HttuWalk/256"}) {
        std::string label = std::string(b + 3) + ", HTTU on / off";
        ratio(rep, std::string(b) + "/1", std::string(b) + "/0", label.c_str());
        ratio(rep, std::string(b) + "/1", std::string(b) + "/0", "  the same in CPU time", true);
    }
    ratio(rep, "BM_PortHits/real_time/threads:1", "BM_TlbHit/64",
          "TLB hit, concurrent instance / plain");
    ratio(rep, "BM_PortHits/real_time/threads:1", "BM_PortHits/real_time/threads:2",
          "TLB hits, 2 threads speed-up over 1");
    ratio(rep, "BM_ParallelRef/real_time/threads:1", "BM_ParallelRef/real_time/threads:2",
          "machine's 2-thread speed-up (ceiling)");
    ratio(rep, "BM_StreamsHot/20", "BM_StreamsHot/8", "2^20 / 2^8 streams, hot");
    ratio(rep, "BM_StreamsCold/20", "BM_StreamsCold/8", "2^20 / 2^8 streams, cold");
    ratio(rep, "BM_SubstreamsHot/20", "BM_SubstreamsHot/8", "2^20 / 2^8 SubstreamIDs, hot");
    ratio(rep, "BM_SubstreamsCold/20", "BM_SubstreamsCold/8", "2^20 / 2^8 SubstreamIDs, cold");
    if (!summary.empty()) {
        std::ofstream f(summary);
        for (const auto &r : rep.rows) {
            f << "core\t" << r.name << '\t' << r.ns << '\t' << r.cpu_ns << '\t';
            for (const auto &c : r.counters)
                f << c.first << '=' << c.second << ' ';
            f << '\n';
        }
    }
    benchmark::Shutdown();
    if (rep.failed) std::printf("\nbench_core: a benchmark failed (see above)\n");
    return rep.failed ? 1 : 0;
}
