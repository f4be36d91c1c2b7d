// SPDX-License-Identifier: Apache-2.0 OR MIT
// Saved state (smmu_save / smmu_restore; issue 17 "Save and restore", format docs/state.md).
// The rule tested: a restored instance has exactly the future of the saved one. A random
// workload in both worlds (translations with faults and stalls, commands, PRI requests, PMCG
// counting, register reads) runs half-way on one instance, which is saved; the blob is restored
// into a new instance (or the same one) on a copy of the memory; the second half then runs on
// both and every result, memory write (event records, MSIs, PRI records, HTTU updates), line
// change, stall outcome, PRG response and register read must be equal. Caches are dropped by a
// restore: only cache statistics may differ (and do). Refused blobs leave the instance as it was.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>

#include "state_rig.h"
#include "tenc_cfg.h"
#include "tenc_cmd.h"
#include "tenc_pmcg.h"

using srig::fmt;
using srig::Rig;

namespace {

namespace pm = tenc::pmcg;

// Register offsets (6.2.1, 6.3): Non-secure page 0 / page 1 and the Secure bank (+0x8000).
constexpr uint64_t CR0 = 0x20, CR0ACK = 0x24, IRQ_CTRL = 0x50, IRQ_CTRLACK = 0x54;
constexpr uint64_t GERROR_IRQ_CFG0 = 0x68, GERROR_IRQ_CFG1 = 0x70, STRTAB_BASE = 0x80,
                   STRTAB_BASE_CFG = 0x88, CMDQ_BASE = 0x90, CMDQ_PROD = 0x98, CMDQ_CONS = 0x9C,
                   EVENTQ_BASE = 0xA0, EVENTQ_IRQ_CFG0 = 0xB0, EVENTQ_IRQ_CFG1 = 0xB8,
                   PRIQ_IRQ_CFG0 = 0xD0, PRIQ_IRQ_CFG1 = 0xD8, GATOS_SID = 0x108;
constexpr uint64_t EVENTQ_PROD = 0x100A8, EVENTQ_CONS = 0x100AC, PRIQ_PROD = 0x100C8,
                   PRIQ_CONS = 0x100CC;
constexpr uint64_t S = 0x8000, S_EVENTQ_PROD = 0x80A8, S_EVENTQ_CONS = 0x80AC;
// Addresses: the driver's pool, the Secure world's structures (in Secure memory), MSI targets.
constexpr uint64_t POOL = 0x80000000ull, S_STRTAB = 0x10000000, S_CMDQ = 0x11000000,
                   S_EVTQ = 0x12000000, MSI = 0x70000000;
constexpr uint64_t VA1 = 0x100000, IPA2 = 0x200000, VA5 = 0x300000;
constexpr unsigned PAGES = 32;

smmu_params_t workload_params() {
    smmu_params_t p;
    smmu_params_init(&p);
    p.stall_max = 8;            // STAGs 0-7, so that CMD_RESUME finds them
    p.pmcg_counter_bits = 32;   // overflows within the workload (10.2.1)
    p.stream_stats_entries = 4; // some streams in the "other" bucket
    return p;
}

// The driver of the first half reaches rig A through these ops (Non-secure memory).
struct DrvOps {
    static uint64_t rr(void *c, uint64_t off, unsigned size) {
        return smmu_reg_read(static_cast<Rig *>(c)->s, off, size);
    }
    static void rw(void *c, uint64_t off, uint64_t v, unsigned size) {
        smmu_reg_write(static_cast<Rig *>(c)->s, off, v, size);
    }
    static int mr(void *c, uint64_t pa, void *buf, size_t len) {
        static_cast<Rig *>(c)->mem.read(false, pa, buf, len);
        return 0;
    }
    static int mw(void *c, uint64_t pa, const void *buf, size_t len) {
        static_cast<Rig *>(c)->mem.write(false, pa, buf, len);
        return 0;
    }
};

// One operation of the workload, drawn once and applied to every rig.
struct Op {
    int kind;
    uint32_t a, b;
    uint64_t addr;
    bool f1, f2;
};

Op draw(std::mt19937_64 &g) {
    Op o{};
    const unsigned k = (unsigned)(g() % 100);
    o.kind = k < 40   ? 0
             : k < 50 ? 1
             : k < 58 ? 2
             : k < 66 ? 3
             : k < 70 ? 4
             : k < 82 ? 5
             : k < 88 ? 6
             : k < 92 ? 7
             : k < 95 ? 8
             : k < 98 ? 9
                      : 10;
    o.a = (uint32_t)g();
    o.b = (uint32_t)g();
    o.addr = g();
    o.f1 = g() & 1;
    o.f2 = g() & 1;
    return o;
}

void log_result(Rig &r, const smmu_result_t &x) {
    // the architectural outcome (the cost fields describe the caches, which a restore drops)
    r.log.push_back(
        fmt("R st %llu pa %llx span %llx ev %llx", (unsigned)x.status, x.pa, x.span, x.event) +
        fmt(" stag %llu ns %llu perm %llu attr %llx", x.stag, x.ns, x.perm, x.attr) +
        fmt(" sh %llu abort %llu rec %llu partid %llu", x.sh, x.abort, x.recorded, x.partid) +
        fmt(" pmg %llu mpam_ns %llu", x.pmg, x.mpam_ns));
}

uint64_t rd(Rig &r, uint64_t off, bool sec, unsigned size = 4) {
    return smmu_reg_read_sec(r.s, off, size, sec);
}
void wr(Rig &r, uint64_t off, uint64_t v, bool sec, unsigned size = 4) {
    smmu_reg_write_sec(r.s, off, v, size, sec);
}

// Software's side of a command queue (4.1, 3.5): the command at PROD, PROD advanced.
void issue(Rig &r, bool sec, const tenc::Cmd &c) {
    const uint64_t b = sec ? S : 0;
    const uint64_t base = rd(r, b + CMDQ_BASE, sec, 8);
    const unsigned log2 = base & 0x1F;
    const uint64_t q = base & 0x00FFFFFFFFFFFFE0ull;
    const uint32_t wrapmask = (2u << log2) - 1, prod = (uint32_t)rd(r, b + CMDQ_PROD, sec),
                   cons = (uint32_t)rd(r, b + CMDQ_CONS, sec);
    if (((prod ^ cons) & wrapmask) == (1u << log2)) return; // full
    r.mem.w64(sec, q + 16ull * (prod & ((1u << log2) - 1)), c.dw[0]);
    r.mem.w64(sec, q + 16ull * (prod & ((1u << log2) - 1)) + 8, c.dw[1]);
    wr(r, b + CMDQ_PROD, (prod + 1) & wrapmask, sec);
    r.log.push_back(fmt("CONS %llx", rd(r, b + CMDQ_CONS, sec)));
}

// A read of a register the workload looks at now and then.
uint64_t some_register(Rig &r, uint32_t pick, bool sec) {
    static const uint64_t offs[] = {
        CR0,         CR0ACK,      IRQ_CTRLACK, 0x60,      0x64,          CMDQ_PROD,    CMDQ_CONS,
        EVENTQ_PROD, EVENTQ_CONS, PRIQ_PROD,   PRIQ_CONS, GATOS_SID,     0x118,        S + 0x24,
        S + 0x60,    S + 0x64,    S + 0x98,    S + 0x9C,  S_EVENTQ_PROD, S_EVENTQ_CONS};
    return rd(r, offs[pick % (sizeof(offs) / sizeof(offs[0]))], sec);
}

void apply(Rig &r, const Op &o) {
    switch (o.kind) {
    case 0: { // a Non-secure transaction: translated, stage 2, bypass, abort, stalling, unknown
        static const uint32_t sids[] = {1, 1, 2, 2, 3, 4, 5, 5, 6, 300};
        static const uint64_t bases[] = {VA1, VA1, IPA2, IPA2, 0x1000, 0, VA5, VA5, 0, 0};
        const unsigned i = o.a % 10;
        smmu_txn_t t{};
        t.sid = sids[i];
        t.addr = bases[i] + 4096ull * (o.b % (PAGES + 8)) + (o.addr & 0xFF8);
        t.len = 4;
        t.write = o.f1;
        t.priv = o.f2;
        smmu_result_t x{};
        smmu_translate(r.s, &t, &x);
        log_result(r, x);
        break;
    }
    case 1: { // a Secure transaction: bypass, invalid STE, abort
        smmu_txn_t t{};
        t.sid = 1 + o.a % 3;
        t.addr = o.addr & 0xFFFFFFF8ull;
        t.len = 4;
        t.write = o.f1;
        t.secure = true;
        smmu_result_t x{};
        smmu_translate(r.s, &t, &x);
        log_result(r, x);
        break;
    }
    case 2:
        r.log.push_back(fmt("REG %llx", some_register(r, o.a, o.f1)));
        break;
    case 3: { // software consumes the Event queue (acknowledging an overflow, 7.4)
        const uint32_t prod = (uint32_t)rd(r, EVENTQ_PROD, false);
        wr(r, EVENTQ_CONS, o.f1 ? prod : ((uint32_t)rd(r, EVENTQ_CONS, false) & 0x7FFFFFFF) + 1,
           false);
        break;
    }
    case 4:
        wr(r, S_EVENTQ_CONS, rd(r, S_EVENTQ_PROD, true), true);
        break;
    case 5: { // a Non-secure command
        tenc::Cmd c;
        switch (o.b % 8) {
        case 0:
            c = tenc::cmd_sync();
            break;
        case 1:
            c = tenc::cmd_sync_msi(MSI + 0x5000, o.a);
            break;
        case 2:
            c = tenc::resume(5, o.a % 8, o.f1);
            break;
        case 3:
            c = tenc::stall_term(5);
            break;
        case 4:
            c = tenc::tlbi_nh_all(0);
            break;
        case 5:
            c = tenc::cfgi_all();
            break;
        case 6:
            c = tenc::pri_resp(1 + o.a % 6, o.a % 4, o.f1 ? 2 : 1);
            break;
        default:
            c = tenc::resume(5, o.a % 8, true);
            break;
        }
        issue(r, false, c);
        break;
    }
    case 6: { // a device's page request (8.1)
        smmu_pri_req_t q{};
        q.sid = 1 + o.a % 6;
        q.addr = o.addr & 0xFFFFF000ull;
        q.read = true;
        q.write = o.f1;
        q.last = o.f2;
        q.prgi = (uint16_t)(o.b % 4);
        r.log.push_back(fmt("PRI %llu", (unsigned)smmu_pri_request(r.s, &q)));
        break;
    }
    case 7: // cycles, and the counters as software reads them (10.5.2.1, Page 1)
        smmu_pmcg_tick(r.s, 1 + o.a % 64);
        for (uint64_t n = 0; n < 3; n++)
            r.log.push_back(fmt("CNT %llx", smmu_pmcg_reg_read(r.s, 0, pm::PAGE1 + 4 * n, 4)));
        break;
    case 8:
        issue(r, true, tenc::cmd_sync(tenc::CS_IRQ));
        break;
    case 9:
        wr(r, PRIQ_CONS, rd(r, PRIQ_PROD, false), false);
        break;
    default: // GATOS_SID holds what was written (6.3.38)
        wr(r, GATOS_SID, o.a & 0xFFFFF, false);
        break;
    }
}

// The first half's configuration: the driver brings up the Non-secure interface with stage-1,
// stage-2, bypass, abort and stalling streams; the Secure interface is programmed by hand; the
// PMCG counts transactions (one counter filtered) and cycles, counter 0 with an interrupt.
struct Workload {
    smmu_drv_t *drv = nullptr;
    smmu_drv_pmcg_t *pmcg = nullptr;
    smmu_drv_ops_t ops{};

    void setup(Rig &a) {
        ops = {&a, DrvOps::rr, DrvOps::rw, DrvOps::mr, DrvOps::mw};
        smmu_drv_config_t cfg{};
        cfg.pool_base = POOL;
        cfg.pool_size = 64ull << 20;
        cfg.cmdq_log2 = 6;
        cfg.eventq_log2 = 3; // fills up: stall records wait (7.2.1)
        cfg.priq_log2 = 2;   // overflows (8.1)
        cfg.sid_bits = 9;
        drv = smmu_drv_new(&ops, &cfg);
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0);
        smmu_domain_t *d1 = dom(1, 1), *d2 = dom(2, 2), *d5 = dom(1, 5);
        smmu_drv_domain_httu(d1, true);
        for (unsigned i = 0; i < PAGES; i++) {
            const int prot = SMMU_PROT_R | (i < 24 ? SMMU_PROT_W : 0);
            ASSERT_EQ(
                smmu_drv_map(drv, d1, VA1 + 4096ull * i, 0x40000000 + 4096ull * i, 4096, prot), 0);
            ASSERT_EQ(
                smmu_drv_map(drv, d2, IPA2 + 4096ull * i, 0x50000000 + 4096ull * i, 4096, prot), 0);
            if (i < 8) {
                ASSERT_EQ(
                    smmu_drv_map(drv, d5, VA5 + 4096ull * i, 0x60000000 + 4096ull * i, 4096, prot),
                    0);
            }
        }
        ASSERT_EQ(smmu_drv_attach_s1(drv, 1, d1, 0, 0), 0);
        ASSERT_EQ(smmu_drv_attach_s2(drv, 2, d2), 0);
        ASSERT_EQ(smmu_drv_attach_bypass(drv, 3), 0);
        ASSERT_EQ(smmu_drv_attach_abort(drv, 4), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 5, d5, 0, 0), 0);
        ASSERT_EQ(smmu_drv_set_stall(drv, 5, true), 0);
        irqs(a);
        secure(a);
        pmcg = smmu_drv_pmcg_new_direct(a.s, 0);
        ASSERT_NE(pmcg, nullptr);
        ASSERT_EQ(smmu_drv_pmcg_start(pmcg, 0, pm::EV_TRANSACTION, nullptr), 0);
        smmu_drv_pmcg_filter_t f{true, false, 1};
        ASSERT_EQ(smmu_drv_pmcg_start(pmcg, 1, pm::EV_TRANSACTION, &f), 0);
        ASSERT_EQ(smmu_drv_pmcg_start(pmcg, 2, pm::EV_CYCLES, nullptr), 0);
        ASSERT_EQ(smmu_drv_pmcg_irq(pmcg, 1, MSI + 0x3000, 0x55), 0);
    }
    smmu_domain_t *dom(uint8_t stage, uint16_t id) {
        smmu_domain_cfg_t c{};
        c.stage = stage;
        c.id = id;
        c.granule = 4096;
        c.ias = stage == 1 ? 48 : 40;
        smmu_domain_t *d = nullptr;
        EXPECT_EQ(smmu_drv_domain_new(drv, &c, &d), 0);
        return d;
    }
    // Wired and MSI notification of GERROR, Event queue and PRI queue (3.18, 6.3.13-6.3.21).
    static void irqs(Rig &a) {
        wr(a, IRQ_CTRL, 0, false);
        wr(a, GERROR_IRQ_CFG0, MSI + 0x2000, false, 8);
        wr(a, GERROR_IRQ_CFG1, 0x22, false);
        wr(a, EVENTQ_IRQ_CFG0, MSI + 0x1000, false, 8);
        wr(a, EVENTQ_IRQ_CFG1, 0x11, false);
        wr(a, PRIQ_IRQ_CFG0, MSI + 0x4000, false, 8);
        wr(a, PRIQ_IRQ_CFG1, 0x33, false);
        wr(a, IRQ_CTRL, 7, false);
        EXPECT_EQ(rd(a, IRQ_CTRLACK, false), 7u);
    }
    // The Secure interface (3.10.2): Stream table with a bypass (1), an invalid (2) and an abort
    // (3) STE, Command and Event queues in Secure memory, GERROR and Event queue interrupts.
    static void secure(Rig &a) {
        auto put = [&](uint32_t sid, const tenc::Ste &e) {
            for (unsigned i = 0; i < 8; i++)
                a.mem.w64(true, S_STRTAB + 64ull * sid + 8 * i, e.dw[i]);
        };
        put(1, tenc::Ste::bypass());
        put(3, tenc::Ste::abort());
        wr(a, S + CR0, 0, true);
        wr(a, S + STRTAB_BASE, S_STRTAB, true, 8);
        wr(a, S + STRTAB_BASE_CFG, 4, true);
        wr(a, S + CMDQ_BASE, S_CMDQ | 4, true, 8);
        wr(a, S + EVENTQ_BASE, S_EVTQ | 2, true, 8);
        wr(a, S + IRQ_CTRL, 5, true); // GERROR_IRQEN, EVENTQ_IRQEN
        wr(a, S + CR0, 0xC, true);    // EVENTQEN, CMDQEN
        wr(a, S + CR0, 0xD, true);    // SMMUEN
        EXPECT_EQ(rd(a, S + CR0ACK, true), 0xDu);
    }
    ~Workload() {
        smmu_drv_pmcg_free(pmcg);
        smmu_drv_free(drv);
    }
};

// The first half on a: configuration, n random operations, then stalled transactions whose
// records wait for a full Event queue, a pending page request, counter 0 close to overflow.
void first_half(Workload &w, Rig &a, std::mt19937_64 &g, unsigned n) {
    w.setup(a);
    for (unsigned i = 0; i < n; i++)
        apply(a, draw(g));
    for (unsigned i = 0; i < 12; i++) { // unmapped pages of the stalling stream
        smmu_txn_t t{};
        t.sid = 5;
        t.addr = VA5 + 4096ull * (8 + i);
        t.len = 4;
        smmu_result_t x{};
        smmu_translate(a.s, &t, &x);
    }
    smmu_pri_req_t q{};
    q.sid = 1;
    q.addr = 0x5000;
    q.read = true;
    q.last = true;
    smmu_pri_request(a.s, &q);
    smmu_pmcg_reg_write(a.s, 0, pm::PAGE1 + pm::EVCNTR0, 0xFFFFFFD0u, 4);
}

std::vector<Op> ops_of(std::mt19937_64 &g, unsigned n) {
    std::vector<Op> v;
    for (unsigned i = 0; i < n; i++)
        v.push_back(draw(g));
    return v;
}

std::vector<std::string> run(Rig &r, const std::vector<Op> &ops) {
    r.log.clear();
    for (const Op &o : ops)
        apply(r, o);
    r.log.push_back(fmt("stalls %llu", smmu_stalls_pending(r.s)));
    return r.log;
}

uint64_t misses(Rig &r) {
    uint64_t n = 0;
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
        smmu_cache_stats_t st{};
        smmu_cache_stats(r.s, c, &st);
        n += st.misses;
    }
    return n;
}

void expect_same_logs(const std::vector<std::string> &x, const std::vector<std::string> &y) {
    ASSERT_EQ(x.size(), y.size());
    for (size_t i = 0; i < x.size(); i++)
        ASSERT_EQ(x[i], y[i]) << "entry " << i;
}

// Statistics continue across a restore (saved), except the caches' own.
void expect_same_stats(Rig &a, Rig &b) {
    smmu_stats_t x{}, y{};
    smmu_get_stats(a.s, &x);
    smmu_get_stats(b.s, &y);
    EXPECT_EQ(x.translations, y.translations);
    EXPECT_EQ(x.ok, y.ok);
    EXPECT_EQ(x.faults, y.faults);
    EXPECT_EQ(x.stalls, y.stalls);
    EXPECT_EQ(x.events_written, y.events_written);
    EXPECT_EQ(x.events_lost, y.events_lost);
    EXPECT_EQ(x.commands, y.commands);
    EXPECT_EQ(0, std::memcmp(x.by_event, y.by_event, sizeof(x.by_event)));
    smmu_stream_stats_t p{}, q{};
    for (uint32_t sid : {1u, 2u, 3u, 4u, 5u, 6u, 300u}) {
        EXPECT_EQ(smmu_stream_stats(a.s, sid, &p), smmu_stream_stats(b.s, sid, &q));
        EXPECT_EQ(p.translations, q.translations);
        EXPECT_EQ(p.faults, q.faults);
        EXPECT_EQ(p.stalls, q.stalls);
    }
    smmu_stream_stats_other(a.s, &p);
    smmu_stream_stats_other(b.s, &q);
    EXPECT_EQ(p.translations, q.translations);
}

class State : public ::testing::TestWithParam<unsigned> {};

// Issue 17: restoring into a fresh instance with the same params gives exactly the same future;
// the original's caches are warm, the restored one's cold: only cache statistics differ.
TEST_P(State, RestoreIntoFreshInstanceGivesSameFuture) {
    const smmu_params_t p = workload_params();
    std::mt19937_64 g(GetParam());
    Rig a(p);
    ASSERT_NE(a.s, nullptr);
    Workload w;
    ASSERT_NO_FATAL_FAILURE(first_half(w, a, g, 300));
    ASSERT_GT(smmu_stalls_pending(a.s), 0u);
    const std::vector<uint8_t> blob = a.save();
    Rig b(p);
    b.mem = a.mem;
    ASSERT_EQ(smmu_restore(b.s, blob.data(), blob.size()), SMMU_STATE_OK);
    EXPECT_EQ(a.dump(), b.dump());
    EXPECT_EQ(smmu_stalls_pending(a.s), smmu_stalls_pending(b.s));
    const uint64_t ma = misses(a), mb = misses(b);
    EXPECT_EQ(ma, mb); // the cache statistics were saved too
    const std::vector<Op> ops = ops_of(g, 300);
    const std::vector<std::string> la = run(a, ops);
    if (getenv("STATE_DEBUG"))
        for (const std::string &e : la)
            printf("%s\n", e.c_str());
    expect_same_logs(la, run(b, ops));
    EXPECT_EQ(a.dump(), b.dump());
    expect_same_stats(a, b);
    EXPECT_GT(misses(b) - mb, misses(a) - ma); // cold caches: the restored instance misses more
}

// The same, restoring into the original instance itself after it ran the second half once.
TEST_P(State, RestoreIntoSameInstanceGivesSameFuture) {
    const smmu_params_t p = workload_params();
    std::mt19937_64 g(GetParam());
    Rig a(p);
    ASSERT_NE(a.s, nullptr);
    Workload w;
    ASSERT_NO_FATAL_FAILURE(first_half(w, a, g, 300));
    const std::vector<uint8_t> blob = a.save();
    const srig::Mem mem = a.mem;
    const std::vector<uint64_t> regs = a.dump();
    const std::vector<Op> ops = ops_of(g, 300);
    const std::vector<std::string> first = run(a, ops);
    const std::vector<uint64_t> end = a.dump();
    a.mem = mem;
    ASSERT_EQ(smmu_restore(a.s, blob.data(), blob.size()), SMMU_STATE_OK);
    EXPECT_EQ(a.dump(), regs);
    expect_same_logs(first, run(a, ops));
    EXPECT_EQ(a.dump(), end);
}

INSTANTIATE_TEST_SUITE_P(Seeds, State, ::testing::Values(1u, 2u, 3u, 17u));

// A restored instance saves the blob it was restored from: nothing is lost or added.
TEST(StateBlob, SaveOfRestoredInstanceIsTheSameBlob) {
    const smmu_params_t p = workload_params();
    std::mt19937_64 g(5);
    Rig a(p);
    Workload w;
    ASSERT_NO_FATAL_FAILURE(first_half(w, a, g, 200));
    const std::vector<uint8_t> blob = a.save();
    Rig b(p);
    ASSERT_EQ(smmu_restore(b.s, blob.data(), blob.size()), SMMU_STATE_OK);
    EXPECT_EQ(b.save(), blob);
}

// A fresh instance's state restores to an identical fresh state.
TEST(StateBlob, FreshInstanceRestoresToIdenticalFreshState) {
    const smmu_params_t p = workload_params();
    Rig a(p), b(p);
    const std::vector<uint8_t> blob = a.save();
    EXPECT_EQ(std::memcmp(blob.data(), "SMMUv3ST", 8), 0);
    EXPECT_EQ(srig::le(blob, srig::OFF_VERSION, 4), 1u);
    EXPECT_EQ(srig::le(blob, srig::OFF_TOTAL, 8), blob.size());
    ASSERT_EQ(smmu_restore(b.s, blob.data(), blob.size()), SMMU_STATE_OK);
    EXPECT_EQ(a.dump(), b.dump());
    EXPECT_EQ(b.save(), blob);
    EXPECT_EQ(smmu_stalls_pending(b.s), 0u);
}

// smmu_restore makes no memory access and sends no MSI (smmu.h); host->irq only for lines
// whose level changes, and every wired line is low between pulses (3.18).
TEST(StateBlob, RestoreMakesNoMemoryAccess) {
    const smmu_params_t p = workload_params();
    std::mt19937_64 g(7);
    Rig a(p);
    Workload w;
    ASSERT_NO_FATAL_FAILURE(first_half(w, a, g, 200));
    const std::vector<uint8_t> blob = a.save();
    Rig b(p);
    b.log.clear();
    b.mem_accesses = 0;
    ASSERT_EQ(smmu_restore(b.s, blob.data(), blob.size()), SMMU_STATE_OK);
    EXPECT_EQ(b.mem_accesses, 0u);
    for (const std::string &e : b.log)
        EXPECT_NE(e[0], 'W') << e;
}

// Stall records that wait for a full Event queue are written oldest first when it drains
// (7.2.1), also when some were stalled before the restore and some after.
TEST(StateBlob, PendingStallRecordsKeepTheirOrder_7_2_1) {
    const smmu_params_t p = workload_params();
    Rig a(p);
    Workload w;
    ASSERT_NO_FATAL_FAILURE(w.setup(a));
    auto txn = [](Rig &r, uint32_t sid, uint64_t addr) {
        smmu_txn_t t{};
        t.sid = sid;
        t.addr = addr;
        t.len = 4;
        smmu_result_t x{};
        smmu_translate(r.s, &t, &x);
        log_result(r, x);
    };
    for (unsigned i = 0; i < 8; i++) // the queue (8 records) fills with C_BAD_STE records
        txn(a, 6, 0x1000 * i);
    for (unsigned i = 0; i < 3; i++) // stalls whose records wait
        txn(a, 5, VA5 + 4096ull * (8 + i));
    ASSERT_EQ(smmu_stalls_pending(a.s), 3u);
    const std::vector<uint8_t> blob = a.save();
    Rig b(p);
    b.mem = a.mem;
    ASSERT_EQ(smmu_restore(b.s, blob.data(), blob.size()), SMMU_STATE_OK);
    for (Rig *r : {&a, &b}) {
        r->log.clear();
        for (unsigned i = 0; i < 2; i++)
            txn(*r, 5, VA5 + 4096ull * (16 + i));
        wr(*r, EVENTQ_CONS, rd(*r, EVENTQ_PROD, false), false); // drains: 5 records written
    }
    expect_same_logs(a.log, b.log);
}

// ---- refusals: the error, and the instance as it was

struct Refusal : ::testing::Test {
    smmu_params_t p = workload_params();
    std::unique_ptr<Rig> a, b;
    std::unique_ptr<Workload> wa, wb;
    std::vector<uint8_t> blob;
    void SetUp() override {
        std::mt19937_64 g(11), h(12);
        a = std::make_unique<Rig>(p);
        b = std::make_unique<Rig>(p);
        wa = std::make_unique<Workload>();
        wb = std::make_unique<Workload>();
        ASSERT_NO_FATAL_FAILURE(first_half(*wa, *a, g, 150));
        ASSERT_NO_FATAL_FAILURE(first_half(*wb, *b, h, 100)); // the target has a state of its own
        blob = a->save();
    }
    // smmu_restore(bad) answers want and leaves b unchanged: same registers, same saved state,
    // nothing told to the host.
    void refused(const std::vector<uint8_t> &bad, smmu_state_status_t want, size_t len = SIZE_MAX) {
        const std::vector<uint8_t> before = b->save();
        const std::vector<uint64_t> regs = b->dump();
        b->log.clear();
        EXPECT_EQ(smmu_restore(b->s, bad.data(), len == SIZE_MAX ? bad.size() : len), want);
        EXPECT_TRUE(b->log.empty());
        EXPECT_EQ(b->dump(), regs);
        EXPECT_EQ(b->save(), before);
    }
};

TEST_F(Refusal, TruncatedBlobRefusedInstanceUnchanged) {
    refused(blob, SMMU_STATE_TRUNCATED, blob.size() - 1);
    refused(blob, SMMU_STATE_TRUNCATED, srig::HDR - 1);
    refused(blob, SMMU_STATE_TRUNCATED, 0);
    refused(blob, SMMU_STATE_TRUNCATED, srig::HDR);
}

TEST_F(Refusal, WrongMagicRefusedInstanceUnchanged) {
    std::vector<uint8_t> bad = blob;
    bad[0] ^= 0x20;
    refused(bad, SMMU_STATE_BAD_MAGIC);
}

TEST_F(Refusal, WrongVersionRefusedInstanceUnchanged) {
    std::vector<uint8_t> bad = blob;
    srig::put_le(bad, srig::OFF_VERSION, 2, 4);
    refused(bad, SMMU_STATE_BAD_VERSION);
}

TEST_F(Refusal, ChecksumMismatchRefusedInstanceUnchanged) {
    for (size_t at : {srig::HDR, srig::HDR + 100, blob.size() - 1}) {
        std::vector<uint8_t> bad = blob;
        bad[at] ^= 1;
        refused(bad, SMMU_STATE_CORRUPT);
    }
}

TEST_F(Refusal, DigestMismatchRefusedInstanceUnchanged) {
    std::vector<uint8_t> bad = blob;
    bad[srig::OFF_DIGEST] ^= 1;
    refused(bad, SMMU_STATE_PARAMS_MISMATCH);
}

// CMDQ_PROD holds WRP and RD (bits [19:0] at most, 6.3.27); a bit above, checksum valid, is out
// of range. The Non-secure bank's payload: 10 32-bit registers, GERROR_IRQ_CFG0 (8),
// CFG1, CFG2 (4 each), STRTAB_BASE (8), STRTAB_BASE_CFG (4), CMDQ_BASE (8), then CMDQ_PROD.
TEST_F(Refusal, QueueIndexOutOfRangeRefusedInstanceUnchanged) {
    const size_t prod = 40 + 8 + 4 + 4 + 8 + 4 + 8;
    const uint64_t v = srig::field(blob, "BNKN", prod, 4);
    refused(srig::patched(blob, "BNKN", prod, v | 1u << 20, 4), SMMU_STATE_CORRUPT);
}

// A STAG at or above IDR5.STALL_MAX (6.3.6) cannot be outstanding. STAL: count, then per stall
// its STAG first.
TEST_F(Refusal, StallTagBeyondStallMaxRefusedInstanceUnchanged) {
    ASSERT_GT(srig::field(blob, "STAL", 0, 4), 0u); // the saved instance has stalls
    refused(srig::patched(blob, "STAL", 4, p.stall_max, 4), SMMU_STATE_CORRUPT);
    // more stalls than STALL_MAX
    refused(srig::patched(blob, "STAL", 0, p.stall_max + 1u, 4), SMMU_STATE_CORRUPT);
}

// A PMCG counter holds CFGR.SIZE + 1 bits (10.5.2.1); the first field of the PMCG section is
// EVCNTR0 of group 0 (64-bit field).
TEST_F(Refusal, PmcgCounterBeyondSizeRefusedInstanceUnchanged) {
    refused(srig::patched(blob, "PMCG", 0, 1ull << 32, 8), SMMU_STATE_CORRUPT);
}

// A boolean is one byte, 0 or 1; MISC starts with the wired line levels.
TEST_F(Refusal, BooleanOutOfRangeRefusedInstanceUnchanged) {
    refused(srig::patched(blob, "MISC", 0, 2, 1), SMMU_STATE_CORRUPT);
}

// A section whose length disagrees with its content, or bytes after the last section.
TEST_F(Refusal, SectionLengthMismatchRefusedInstanceUnchanged) {
    std::vector<uint8_t> bad = blob;
    srig::put_le(bad, srig::HDR + 4, srig::le(bad, srig::HDR + 4, 4) + 4, 4);
    srig::reseal(bad);
    refused(bad, SMMU_STATE_CORRUPT);
    bad = blob;
    bad.insert(bad.end(), {0, 0, 0, 0});
    srig::put_le(bad, srig::OFF_TOTAL, bad.size(), 8);
    srig::reseal(bad);
    refused(bad, SMMU_STATE_CORRUPT);
}

// A stall's Security state is its record's (STAL: count 4, STAG 4, StreamID 4, order 4, pending
// 1, Secure 1, then the record); a flag that disagrees with the record is not a stall the SMMU
// can hold (4.7.1: the Secure flag decides which Command queue resumes it).
TEST_F(Refusal, StallSecurityDisagreeingWithItsRecordRefusedInstanceUnchanged_4_7_1) {
    ASSERT_GT(srig::field(blob, "STAL", 0, 4), 0u);
    const size_t sec = 4 + 4 + 4 + 4 + 1;
    ASSERT_EQ(srig::field(blob, "STAL", sec, 1), 0u); // the workload's stalls are Non-secure
    refused(srig::patched(blob, "STAL", sec, 1, 1), SMMU_STATE_CORRUPT);
}

// Values of the Secure interface's registers and of the PMCG's Secure and MPAM registers
// survive a restore exactly: SMMU_S_GATOS_SID/ADDR (6.3.84, 6.3.85), SMMU_S_GMPAM with MPAM_NS
// (6.3.88), SMMU_PMCG_SCR (10.5.2.12) and SMMU_PMCG_GMPAM (10.5.2.25).
TEST(StateBlob, SecureGatosSgmpamPmcgScrAndGmpamSurviveRestore_6_3_84_6_3_88_10_5_2_12) {
    const smmu_params_t p = workload_params();
    Rig a(p), b(p);
    wr(a, 0x8108, 0x0000000500000007ull, true, 8);              // S_GATOS_SID: SSID 5, SID 7
    wr(a, 0x8110, 0x12345000ull | 1u << 7, true, 8);            // S_GATOS_ADDR: ADDR, RnW
    wr(a, 0x8138, 1u << 31 | 1u << 24 | 2u << 16 | 200u, true); // S_GMPAM: Update, MPAM_NS
    smmu_pmcg_reg_write_sec(a.s, 0, pm::SCR, pm::SCR_SO | pm::SCR_NSMSI, 4, true);
    smmu_pmcg_reg_write_sec(a.s, 0, pm::GMPAM, pm::GMPAM_UPDATE | pm::gmpam(9, 1), 4, true);
    EXPECT_EQ(rd(a, 0x8108, true, 8), 0x0000000500000007ull);
    EXPECT_EQ(rd(a, 0x8138, true), 1u << 24 | 2u << 16 | 200u);
    const std::vector<uint8_t> blob = a.save();
    ASSERT_EQ(smmu_restore(b.s, blob.data(), blob.size()), SMMU_STATE_OK);
    EXPECT_EQ(rd(b, 0x8108, true, 8), 0x0000000500000007ull);
    EXPECT_EQ(rd(b, 0x8110, true, 8), rd(a, 0x8110, true, 8));
    EXPECT_EQ(rd(b, 0x8138, true), 1u << 24 | 2u << 16 | 200u);
    EXPECT_EQ(smmu_pmcg_reg_read_sec(b.s, 0, pm::SCR, 4, true),
              pm::SCR_SO | pm::SCR_NSMSI | pm::SCR_READS_AS_ONE);
    EXPECT_EQ(smmu_pmcg_reg_read_sec(b.s, 0, pm::GMPAM, 4, true), pm::gmpam(9, 1));
    EXPECT_EQ(b.dump(), a.dump());
}

// (S_)GMPAM hold PARTID and PMG within the widths of the PARTID space they select (6.3.42,
// 6.3.88): with a Secure PARTID_MAX of 15, a Secure PARTID of 0x20 is a value no write leaves
// unless MPAM_NS puts it in Non-secure space (PARTID_MAX 255); MPAM_NS is RES0 in the
// Non-secure bank. The bank's payload: 10 x 4, 8 + 4 + 4, 8 + 4, 3 x (8 + 4 + 4 + 8 + 4 + 4),
// then GMPAM.
TEST(StateMpam, GmpamOutsideItsPartidSpaceRefused_6_3_42_6_3_88) {
    smmu_params_t p = workload_params();
    p.mpam_s_partid_max = 15;
    Rig a(p);
    const std::vector<uint8_t> blob = a.save();
    const size_t gmpam = 40 + 16 + 12 + 3 * 32;
    auto with = [&](const char *bank, uint32_t v) {
        const std::vector<uint8_t> x = srig::patched(blob, bank, gmpam, v, 4);
        Rig b(p);
        return smmu_restore(b.s, x.data(), x.size());
    };
    EXPECT_EQ(with("BNKS", 0x0Fu), SMMU_STATE_OK);
    EXPECT_EQ(with("BNKS", 0x20u), SMMU_STATE_CORRUPT);
    EXPECT_EQ(with("BNKS", 1u << 24 | 0x20u), SMMU_STATE_OK); // Non-secure PARTID space
    EXPECT_EQ(with("BNKN", 0x20u), SMMU_STATE_OK);
    EXPECT_EQ(with("BNKN", 1u << 24 | 0x20u), SMMU_STATE_CORRUPT);
    EXPECT_EQ(with("BNKS", 4u << 16), SMMU_STATE_CORRUPT); // PMG_MAX 3
}

// Params the state depends on differ: the StreamID size, Secure state.
TEST(StateParams, ParamsMismatchRefused) {
    smmu_params_t p = workload_params();
    Rig a(p);
    const std::vector<uint8_t> blob = a.save();
    for (int k = 0; k < 3; k++) {
        smmu_params_t q = p;
        if (k == 0) q.sidsize = 16;
        if (k == 1) q.secure_impl = false;
        if (k == 2) q.pmcg_counters = 4;
        Rig b(q);
        ASSERT_NE(b.s, nullptr);
        const std::vector<uint8_t> before = b.save();
        EXPECT_EQ(smmu_restore(b.s, blob.data(), blob.size()), SMMU_STATE_PARAMS_MISMATCH) << k;
        EXPECT_EQ(b.save(), before);
    }
}

// Model tuning (cache geometry, memo) is not part of the state: a blob restores into an
// instance tuned otherwise.
TEST(StateParams, OtherCacheTuningAccepted) {
    smmu_params_t p = workload_params();
    Rig a(p);
    const std::vector<uint8_t> blob = a.save();
    smmu_params_t q = p;
    q.memo_off = true;
    q.cache_seed = 99;
    Rig b(q);
    EXPECT_EQ(smmu_restore(b.s, blob.data(), blob.size()), SMMU_STATE_OK);
}

TEST(StateBlob, SaveBelowSizeIsNoSpace) {
    smmu_params_t p = workload_params();
    Rig a(p);
    std::vector<uint8_t> buf(smmu_save_size(a.s));
    size_t len = 1;
    EXPECT_EQ(smmu_save(a.s, buf.data(), buf.size() - 1, &len), SMMU_STATE_NO_SPACE);
    EXPECT_EQ(len, 0u);
    EXPECT_EQ(smmu_save(a.s, buf.data(), buf.size(), &len), SMMU_STATE_OK);
    EXPECT_EQ(len, buf.size());
}

// While a command queue is being consumed (a host callback of a command), the state is not
// consistent: save and restore are refused (SMMU_STATE_BUSY).
struct BusyHook {
    static inline smmu_t *s = nullptr;
    static inline std::vector<uint8_t> blob;
    static inline smmu_state_status_t saved = SMMU_STATE_OK, restored = SMMU_STATE_OK;
    static inline bool armed = false;
    static void scope(void *, const smmu_inv_scope_t *) {
        if (!armed) return;
        std::vector<uint8_t> buf(smmu_save_size(s));
        saved = smmu_save(s, buf.data(), buf.size(), nullptr);
        restored = smmu_restore(s, blob.data(), blob.size());
    }
};

TEST(StateBlob, SaveDuringCommandConsumptionIsBusy) {
    const smmu_params_t p = workload_params();
    Rig a(p);
    Workload w;
    ASSERT_NO_FATAL_FAILURE(w.setup(a));
    BusyHook::blob = a.save();
    // the same instance state on a host whose invalidation notice tries to save and restore
    smmu_host_t h{};
    h.ctx = &a;
    h.mem_read = Rig::rd;
    h.mem_write = Rig::wr;
    h.mem_cas64 = Rig::cas; // the same effective params (HTTU needs it)
    h.invalidate_scope = BusyHook::scope;
    smmu_free(a.s);
    a.s = BusyHook::s = smmu_new(&p, &h);
    ASSERT_NE(a.s, nullptr);
    ASSERT_EQ(smmu_restore(a.s, BusyHook::blob.data(), BusyHook::blob.size()), SMMU_STATE_OK);
    BusyHook::armed = true;
    issue(a, false, tenc::tlbi_nh_all(0));
    BusyHook::armed = false;
    EXPECT_EQ(BusyHook::saved, SMMU_STATE_BUSY);
    EXPECT_EQ(BusyHook::restored, SMMU_STATE_BUSY);
}

TEST(StateBlob, StatusNames) {
    EXPECT_STREQ(smmu_state_status_name(SMMU_STATE_OK), "OK");
    EXPECT_STREQ(smmu_state_status_name(SMMU_STATE_CORRUPT), "CORRUPT");
    EXPECT_STREQ(smmu_state_status_name(SMMU_STATE_BUSY), "BUSY");
    EXPECT_STREQ(smmu_state_status_name((smmu_state_status_t)99), "UNKNOWN");
}

} // namespace
