// SPDX-License-Identifier: Apache-2.0 OR MIT
// The concurrency contract of <smmu/smmu.h> ("Concurrent use"): several threads translate at
// once, each through its own port (smmu_port_translate), while another thread maps, unmaps and
// invalidates through the register interface and the command queue. Checked:
//   - no translation ever uses a mapping after the CMD_SYNC that completed its invalidation
//     (a translation that starts after an unmap's SYNC returned faults; after a remap's it
//     gives the new address);
//   - the statistics add up: every translation every thread made is counted once, as OK or as
//     a fault;
//   - no data race: the suite is built and run under ThreadSanitizer by scripts/test.sh.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

#include "tenc_cmd.h"

namespace {

constexpr uint64_t POOL = 0x80000000, IOVA = 0x100000, PA_OLD = 0x40000000, PA_NEW = 0x50000000;
constexpr unsigned PAGES = 32, THREADS = 3;
constexpr uint32_t SID = 1;

// The simulated memory is the host's: its accesses are serialised here (the core reads tables
// from translating threads while the mapping thread writes them).
struct host_memory {
    smmu_mem_t *mem = smmu_mem_new();
    std::mutex m;
    ~host_memory() {
        smmu_mem_free(mem);
    }
    static int rd(void *c, uint64_t pa, void *buf, size_t len, bool) {
        auto *h = static_cast<host_memory *>(c);
        std::lock_guard<std::mutex> g(h->m);
        return smmu_mem_read(h->mem, pa, buf, len);
    }
    static int wr(void *c, uint64_t pa, const void *buf, size_t len, bool) {
        auto *h = static_cast<host_memory *>(c);
        std::lock_guard<std::mutex> g(h->m);
        return smmu_mem_write(h->mem, pa, buf, len);
    }
};

// The driver's view: the core's registers, the memory through the same lock.
struct driver_ops {
    smmu_t *s;
    host_memory *hm;
    static uint64_t reg_rd(void *c, uint64_t off, unsigned size) {
        return smmu_reg_read(static_cast<driver_ops *>(c)->s, off, size);
    }
    static void reg_wr(void *c, uint64_t off, uint64_t v, unsigned size) {
        smmu_reg_write(static_cast<driver_ops *>(c)->s, off, v, size);
    }
    static int mem_rd(void *c, uint64_t pa, void *buf, size_t len) {
        return host_memory::rd(static_cast<driver_ops *>(c)->hm, pa, buf, len, false);
    }
    static int mem_wr(void *c, uint64_t pa, const void *buf, size_t len) {
        return host_memory::wr(static_cast<driver_ops *>(c)->hm, pa, buf, len, false);
    }
};

// What the mapping thread has published of a page: a version that moves on every change (odd
// while a change is under way) and, when even, the state that holds since.
struct page_state {
    std::atomic<uint32_t> version{0};
    std::atomic<int> state{0}; // 0 unmapped, 1 mapped to PA_OLD + off, 2 mapped to PA_NEW + off
};

TEST(Concurrency, TranslationsNeverUseAMappingInvalidatedByACompletedSync) {
    host_memory hm;
    smmu_params_t p;
    smmu_params_init(&p);
    p.concurrent = true;
    smmu_host_t host{};
    host.ctx = &hm;
    host.mem_read = host_memory::rd;
    host.mem_write = host_memory::wr;
    smmu_t *s = smmu_new(&p, &host);
    ASSERT_NE(s, nullptr);
    driver_ops dops{s, &hm};
    smmu_drv_ops_t ops{};
    ops.ctx = &dops;
    ops.reg_read = driver_ops::reg_rd;
    ops.reg_write = driver_ops::reg_wr;
    ops.mem_read = driver_ops::mem_rd;
    ops.mem_write = driver_ops::mem_wr;
    smmu_drv_config_t cfg{};
    cfg.pool_base = POOL;
    cfg.pool_size = 16 << 20;
    cfg.sid_bits = 4;
    smmu_drv_t *d = smmu_drv_new(&ops, &cfg);
    ASSERT_NE(d, nullptr);
    ASSERT_EQ(smmu_drv_init(d), 0);
    smmu_domain_t *dom;
    smmu_domain_cfg_t dc{1, 1, 4096, 48, 0};
    ASSERT_EQ(smmu_drv_domain_new(d, &dc, &dom), 0);
    std::vector<page_state> pages(PAGES);
    for (unsigned i = 0; i < PAGES; i++) {
        ASSERT_EQ(smmu_drv_map(d, dom, IOVA + 0x1000ull * i, PA_OLD + 0x1000ull * i, 0x1000,
                               SMMU_PROT_R | SMMU_PROT_W),
                  0);
        pages[i].state = 1;
    }
    ASSERT_EQ(smmu_drv_attach_s1(d, SID, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    smmu_stats_t st0;
    smmu_get_stats(s, &st0);

    std::atomic<bool> stop{false};
    std::atomic<uint64_t> made{0}, ok{0}, faults{0}, checked{0}, wrong{0};
    std::atomic<uint64_t> progress{0}; // translations so far, for the mapping thread's pace
    std::atomic<uint64_t> steps{0};    // the mapping thread's steps so far, for theirs
    // Both sides keep pace: the mapping thread's step n waits for n * PACE translations in all;
    // the translating threads wait while they are AHEAD steps' worth ahead of it. The
    // test then makes about PACE translations per step however the host schedules the threads
    // (oversubscribed, a mutex that is not fair would otherwise starve the mapping thread).
    constexpr uint64_t PACE = 24, AHEAD = 4;
    std::vector<std::thread> threads;
    for (unsigned k = 0; k < THREADS; k++) {
        threads.emplace_back([&, k] {
            smmu_port_t *port = smmu_port_new(s);
            std::mt19937 rng(100 + k);
            uint64_t n = 0, nok = 0, nf = 0, nchk = 0, nwrong = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                if (progress.load(std::memory_order_relaxed) >
                    (steps.load(std::memory_order_relaxed) + AHEAD) * PACE) {
                    std::this_thread::yield();
                    continue;
                }
                const unsigned i = rng() % PAGES;
                page_state &ps = pages[i];
                const uint32_t v1 = ps.version.load(std::memory_order_acquire);
                const int state = ps.state.load(std::memory_order_acquire);
                smmu_txn_t t{};
                t.sid = SID;
                t.addr = IOVA + 0x1000ull * i + (rng() & 0xFF8);
                t.len = 8;
                t.write = rng() & 1;
                smmu_result_t r;
                smmu_port_translate(port, &t, &r);
                n++;
                progress.fetch_add(1, std::memory_order_relaxed);
                (r.status == SMMU_OK ? nok : nf)++;
                const uint32_t v2 = ps.version.load(std::memory_order_acquire);
                if (v1 != v2 || (v1 & 1)) continue; // changed meanwhile: either answer is right
                nchk++;
                const uint64_t off = t.addr - IOVA;
                const bool good = state == 0   ? r.status == SMMU_FAULT
                                  : state == 1 ? r.status == SMMU_OK && r.pa == PA_OLD + off
                                               : r.status == SMMU_OK && r.pa == PA_NEW + off;
                nwrong += !good;
            }
            smmu_port_free(port);
            made += n;
            ok += nok;
            faults += nf;
            checked += nchk;
            wrong += nwrong;
        });
    }
    // The mapping thread: unmap (TLBI + SYNC), remap elsewhere, map back; each state published
    // only after the driver returned, that is after its CMD_SYNC completed.
    // A failed ASSERT returns from this lambda only: the threads are stopped and joined below.
    auto mapper = [&] {
        std::mt19937 rng(7);
        for (int step = 0; step < 3000; step++) {
            while (progress.load(std::memory_order_relaxed) < (step + 1) * PACE)
                std::this_thread::yield();
            const unsigned i = rng() % PAGES;
            page_state &ps = pages[i];
            const uint64_t iova = IOVA + 0x1000ull * i;
            const int next = (ps.state.load() + 1) % 3;
            ps.version.fetch_add(1, std::memory_order_acq_rel); // odd: changing
            if (ps.state.load() != 0) {
                ASSERT_EQ(smmu_drv_unmap(d, dom, iova, 0x1000), 0);
            }
            if (next != 0) {
                ASSERT_EQ(smmu_drv_map(d, dom, iova, (next == 1 ? PA_OLD : PA_NEW) + 0x1000ull * i,
                                       0x1000, SMMU_PROT_R | SMMU_PROT_W),
                          0);
            }
            ps.state.store(next, std::memory_order_release);
            ps.version.fetch_add(1, std::memory_order_acq_rel); // even: holds
            if (step % 50 == 0) { // a whole-ASID invalidation now and then
                ASSERT_EQ(smmu_drv_cmd(d, tenc::tlbi_nh_asid(0, 1).dw), 0);
                ASSERT_EQ(smmu_drv_sync(d), 0);
            }
            steps.store(step + 1, std::memory_order_relaxed);
        }
    };
    mapper();
    stop = true;
    for (auto &t : threads)
        t.join();
    std::printf("%llu translations by %u threads, %llu checked against a settled mapping, %llu "
                "faults\n",
                (unsigned long long)made.load(), THREADS, (unsigned long long)checked.load(),
                (unsigned long long)faults.load());
    EXPECT_EQ(wrong.load(), 0u) << "a translation used a mapping after its invalidation completed";
    EXPECT_GT(checked.load(), 1000u);
    EXPECT_GT(faults.load(), 0u);
    smmu_stats_t st;
    smmu_get_stats(s, &st);
    EXPECT_EQ(st.translations - st0.translations, made.load()) << "statistics add up";
    EXPECT_EQ(st.ok - st0.ok, ok.load());
    EXPECT_EQ(st.faults - st0.faults, faults.load());
    smmu_drv_free(d);
    smmu_free(s);
}

} // namespace
