// SPDX-License-Identifier: Apache-2.0 OR MIT
// The upstream ports' micro-TLBs (docs/tlm.md, "Micro-TLB"). Two SMMU subsystems in one
// elaboration, identical but for the micro-TLB: `on` (8 entries per port, so that replacement
// runs, lookup latency 3 ns) and `off` (utlb_entries = 0). Each has its own memories, driver
// (through its register socket) and three devices: StreamID 1 (stage 1, ASID 1), 2 (stage 1,
// ASID 2), 3 (stage 2, VMID 3). Two streams have per-stream statistics of their own, the third
// counts in the "other" bucket (stream_stats_entries = 2: the order streams claim them shows).
#include "tlm_fixture.h"

#include <cstdio>
#include <random>

#include "tenc_cmd.h"
#include "tenc_pmcg.h"

using namespace ttlm;
namespace pm = tenc::pmcg;

namespace {

constexpr uint64_t OUT = 0x40000000; // output pages OUT + 0x1000 * i
constexpr unsigned OUT_PAGES = 64;   // distinct output pages
constexpr unsigned PAGES = 12;       // IOVA pages 0x10000 + 0x1000 * i
constexpr unsigned UTLB_ENTRIES = 8; // fewer than the pages a device touches: evictions
const sc_time UTLB_LAT(3, SC_NS);    // the `on` SMMU's lookup latency
const sc_time MEM_LAT(10, SC_NS);    // the data memory's

uint64_t page_iova(unsigned p) {
    return 0x10000 + 0x1000 * (uint64_t)p;
}

smmu_tlm::smmu_tlm_params params(unsigned utlb) {
    smmu_tlm::smmu_tlm_params p;
    p.core.sidsize = 8;
    p.n_upstream = 3;
    p.default_sid = {1, 2, 3};
    p.utlb_entries = utlb;
    p.timing.utlb_latency = UTLB_LAT;
    p.core.stream_stats_entries = 2;
    return p;
}

struct subsystem {
    smmu_mem_t *mem = smmu_mem_new();
    test_memory table_mem, data_mem;
    smmu_tlm::smmu dut;
    test_master m0, m1, m2;
    test_master *m[3] = {&m0, &m1, &m2};
    reg_host host;
    smmu_drv_t *drv = nullptr;
    smmu_domain_t *dom[3] = {};
    subsystem(const char *n, unsigned utlb)
        : table_mem((std::string(n) + "_tmem").c_str(), mem, sc_time(10, SC_NS)),
          data_mem((std::string(n) + "_dmem").c_str(), mem, MEM_LAT),
          dut((std::string(n) + "_smmu").c_str(), params(utlb)),
          m0((std::string(n) + "_m0").c_str()), m1((std::string(n) + "_m1").c_str()),
          m2((std::string(n) + "_m2").c_str()), host((std::string(n) + "_host").c_str(), mem) {
        for (unsigned i = 0; i < 3; i++)
            checked_bind(m[i]->socket, dut.upstream[i]);
        checked_bind(dut.downstream, data_mem.socket);
        checked_bind(dut.table, table_mem.socket);
        checked_bind(host.socket, dut.regs);
    }
    // Driver, three domains and streams (from a thread).
    void setup() {
        drv = host.new_driver(0x80000000, 16 << 20);
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0);
        smmu_domain_cfg_t c0{1, 1, 4096, 48, 0}, c1{1, 2, 4096, 48, 0}, c2{2, 3, 4096, 39, 48};
        ASSERT_EQ(smmu_drv_domain_new(drv, &c0, &dom[0]), 0);
        ASSERT_EQ(smmu_drv_domain_new(drv, &c1, &dom[1]), 0);
        ASSERT_EQ(smmu_drv_domain_new(drv, &c2, &dom[2]), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 1, dom[0], 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 2, dom[1], 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        ASSERT_EQ(smmu_drv_attach_s2(drv, 3, dom[2]), 0);
    }
    // What one transaction gave: status, data read, the output address the memory saw (0:
    // none), the annotated delay.
    struct outcome {
        tlm::tlm_response_status status;
        uint64_t data;
        uint64_t down;
        sc_time delay;
    };
    outcome io(unsigned dev, tlm::tlm_command cmd, uint64_t a, unsigned len, uint64_t wdata,
               smmu_tlm::stream_extension *se = nullptr, unsigned port = ~0u) {
        outcome o{};
        o.data = cmd == tlm::TLM_WRITE_COMMAND ? wdata : 0;
        const size_t l0 = data_mem.log.size();
        o.status = m[port == ~0u ? dev : port]->io(cmd, a, &o.data, len, &o.delay, se);
        o.down = data_mem.log.size() > l0 ? data_mem.log[l0].addr : 0;
        return o;
    }
    uint64_t core_tlb_lookups() const {
        smmu_cache_stats_t st;
        smmu_cache_stats(dut.core(), SMMU_CACHE_TLB, &st);
        return st.lookups;
    }
    // every cache's lookups (each costs 1 ns: the default latencies)
    uint64_t core_lookups() const {
        uint64_t n = 0;
        for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++) {
            smmu_cache_stats_t st;
            smmu_cache_stats(dut.core(), i, &st);
            n += st.lookups;
        }
        return n;
    }
    uint64_t core_translations() const {
        smmu_stats_t st;
        smmu_get_stats(dut.core(), &st);
        return st.translations;
    }
    const smmu_tlm::utlb_stats &us(unsigned port) const {
        return dut.stats().utlb.at(port);
    }
};

struct platform {
    subsystem on{"on", UTLB_ENTRIES}, off{"off", 0};
};

platform *P = nullptr;

void once() {
    if (P) return;
    P = new platform;
    ASSERT_TRUE(run([] {
        P->on.setup();
        P->off.setup();
    }));
}

// Maps iova of device dev's domain to output page out on both SMMUs.
void map_both(unsigned dev, uint64_t iova, unsigned out, unsigned prot) {
    for (subsystem *s : {&P->on, &P->off})
        ASSERT_EQ(
            smmu_drv_map(s->drv, s->dom[dev], iova, OUT + 0x1000 * (uint64_t)out, 0x1000, prot), 0);
}

// Rule: the micro-TLB changes no result. A random program of table changes (map, unmap and
// remap: each unmap is a TLBI by address + CMD_SYNC through the register socket), ASID / VMID /
// global TLBIs, CFGI_STE and stream re-attachment (STE rewritten + CFGI_STE + CMD_SYNC), and
// transactions (reads and writes, privileged or not, data or instruction, some crossing a page)
// gives the same response, data and output address on the SMMU with micro-TLBs as on the one
// without, transaction by transaction.
TEST(TlmUtlb, SameResultsWithAndWithoutUtlbUnderRandomInvalidations) {
    once();
    uint64_t txns = 0, oks = 0, faults = 0;
    ASSERT_TRUE(run([&] {
        std::mt19937_64 rng(0x18C0FFEE);
        std::vector<int> where[3]; // page -> output page, -1 unmapped
        for (auto &w : where)
            w.assign(PAGES, -1);
        for (int step = 0; step < 6000; step++) {
            const unsigned dev = (unsigned)(rng() % 3), pg = (unsigned)(rng() % PAGES);
            const uint64_t iova = page_iova(pg);
            const unsigned op = (unsigned)(rng() % 20);
            if (op < 2) { // map
                if (where[dev][pg] < 0) {
                    const unsigned out = (unsigned)(rng() % OUT_PAGES);
                    const unsigned prot =
                        SMMU_PROT_R | (rng() % 3 ? SMMU_PROT_W : 0) | (rng() % 2 ? SMMU_PROT_X : 0);
                    map_both(dev, iova, out, prot);
                    where[dev][pg] = (int)out;
                }
            } else if (op < 3) { // unmap: TLBI by VA / IPA + CMD_SYNC
                if (where[dev][pg] >= 0) {
                    for (subsystem *s : {&P->on, &P->off})
                        ASSERT_EQ(smmu_drv_unmap(s->drv, s->dom[dev], iova, 0x1000), 0);
                    where[dev][pg] = -1;
                }
            } else if (op < 4) { // remap elsewhere
                if (where[dev][pg] >= 0) {
                    for (subsystem *s : {&P->on, &P->off})
                        ASSERT_EQ(smmu_drv_unmap(s->drv, s->dom[dev], iova, 0x1000), 0);
                    const unsigned out = (unsigned)(rng() % OUT_PAGES);
                    map_both(dev, iova, out, SMMU_PROT_R | SMMU_PROT_W);
                    where[dev][pg] = (int)out;
                }
            } else if (op < 5) { // a wide invalidation
                const unsigned k = (unsigned)(rng() % 5);
                const uint32_t sid = 1 + (uint32_t)(rng() % 3);
                const unsigned d = (unsigned)(rng() % 2);
                for (subsystem *s : {&P->on, &P->off}) {
                    if (k == 4) { // the STE rewritten: stream 1 or 2 to domain 0 or 1
                        if (sid == 3) continue;
                        ASSERT_EQ(
                            smmu_drv_attach_s1(s->drv, sid, s->dom[d], 0, SMMU_DRV_S1DSS_TERMINATE),
                            0);
                        continue;
                    }
                    const tenc::Cmd cmd = k == 0   ? tenc::tlbi_nh_asid(0, 1 + (unsigned)(sid % 2))
                                          : k == 1 ? tenc::tlbi_s12_vmall(3)
                                          : k == 2 ? tenc::tlbi_nsnh_all()
                                                   : tenc::cfgi_ste(sid);
                    ASSERT_EQ(smmu_drv_cmd(s->drv, cmd.dw), 0);
                    ASSERT_EQ(smmu_drv_sync(s->drv), 0);
                }
            } else { // a transaction
                const bool wr = rng() % 3 == 0;
                smmu_tlm::stream_extension se(dev + 1);
                se.priv = rng() % 8 == 0;
                se.instr = !wr && rng() % 6 == 0;
                const bool cross = rng() % 16 == 0;
                const uint64_t a = iova + (cross ? 0xFFC : (rng() % 0x200) * 8);
                const unsigned len = cross ? 8 : (rng() % 2 ? 8 : 4);
                const uint64_t wdata = rng();
                const auto cmd = wr ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND;
                const subsystem::outcome x = P->on.io(dev, cmd, a, len, wdata, &se);
                const subsystem::outcome y = P->off.io(dev, cmd, a, len, wdata, &se);
                txns++;
                oks += x.status == tlm::TLM_OK_RESPONSE;
                faults += x.status == tlm::TLM_ADDRESS_ERROR_RESPONSE;
                ASSERT_EQ(x.status, y.status) << "step " << step << " dev " << dev << " 0x"
                                              << std::hex << a << (wr ? " W" : " R");
                ASSERT_EQ(x.data, y.data) << "step " << step;
                ASSERT_EQ(x.down, y.down) << "step " << step;
            }
        }
        for (subsystem *s : {&P->on, &P->off}) // streams 1 and 2 back to their domains
            for (uint32_t sid = 1; sid <= 2; sid++)
                ASSERT_EQ(
                    smmu_drv_attach_s1(s->drv, sid, s->dom[sid - 1], 0, SMMU_DRV_S1DSS_TERMINATE),
                    0);
    }));
    uint64_t hits = 0, evictions = 0, invals = 0;
    for (unsigned p = 0; p < 3; p++) {
        hits += P->on.us(p).hits;
        evictions += P->on.us(p).evictions;
        invals += P->on.us(p).invalidations;
        EXPECT_EQ(P->off.us(p).hits + P->off.us(p).misses, 0u) << "off: no micro-TLB";
    }
    std::printf("[ utlb    ] %llu transactions, %llu OK, %llu aborts; micro-TLB hits %llu, "
                "evictions %llu, invalidations %llu\n",
                (unsigned long long)txns, (unsigned long long)oks, (unsigned long long)faults,
                (unsigned long long)hits, (unsigned long long)evictions,
                (unsigned long long)invals);
    // the program exercised what it claims
    EXPECT_GT(txns, 3000u);
    EXPECT_GT(oks, 1000u);
    EXPECT_GT(faults, 300u);
    EXPECT_GT(hits, 500u);
    EXPECT_GT(evictions, 50u);
    EXPECT_GT(invals, 100u);
}

// Rule: no stale use after CMD_SYNC. A page translated (and held by the micro-TLB, its second
// access a hit), then unmapped (TLBI + CMD_SYNC): the next access faults, never reaching the old
// page; remapped elsewhere: the next access reaches the new page.
TEST(TlmUtlb, NoStaleUseAfterCmdSync) {
    once();
    ASSERT_TRUE(run([] {
        subsystem &s = P->on;
        const uint64_t iova = 0x7000000;
        ASSERT_EQ(
            smmu_drv_map(s.drv, s.dom[0], iova, OUT + 0x5000, 0x1000, SMMU_PROT_R | SMMU_PROT_W),
            0);
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova + 8, 4, 0).down, OUT + 0x5008);
        const uint64_t h0 = s.us(0).hits;
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova + 16, 4, 0).down, OUT + 0x5010);
        EXPECT_EQ(s.us(0).hits, h0 + 1) << "the micro-TLB held it";
        ASSERT_EQ(smmu_drv_unmap(s.drv, s.dom[0], iova, 0x1000), 0); // TLBI_NH_VA + CMD_SYNC
        const subsystem::outcome o = s.io(0, tlm::TLM_READ_COMMAND, iova + 16, 4, 0);
        EXPECT_EQ(o.status, tlm::TLM_ADDRESS_ERROR_RESPONSE) << "stale use after CMD_SYNC";
        EXPECT_EQ(o.down, 0u);
        EXPECT_EQ(s.us(0).hits, h0 + 1);
        ASSERT_EQ(smmu_drv_map(s.drv, s.dom[0], iova, OUT + 0x9000, 0x1000, SMMU_PROT_R), 0);
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova + 4, 4, 0).down, OUT + 0x9004);
        ASSERT_EQ(smmu_drv_unmap(s.drv, s.dom[0], iova, 0x1000), 0);
        ASSERT_EQ(smmu_drv_map(s.drv, s.dom[0], iova, OUT + 0xA000, 0x1000, SMMU_PROT_R), 0);
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova + 4, 4, 0).down, OUT + 0xA004)
            << "remapped: the new page";
        // a write the entry (filled by a read of a read-only page) never granted goes to the
        // core, which faults it
        EXPECT_EQ(s.io(0, tlm::TLM_WRITE_COMMAND, iova + 4, 4, 1).status,
                  tlm::TLM_ADDRESS_ERROR_RESPONSE);
        ASSERT_EQ(smmu_drv_unmap(s.drv, s.dom[0], iova, 0x1000), 0);
    }));
}

// Rule: a configuration change drops the entries. The STE rewritten (stream 1 attached to
// another domain: CFGI_STE + CMD_SYNC) takes effect at the next access; SMMUEN cleared through
// the register socket drops every entry.
TEST(TlmUtlb, ConfigurationChangeDropsEntries) {
    once();
    ASSERT_TRUE(run([] {
        subsystem &s = P->on;
        const uint64_t iova = 0x7100000;
        ASSERT_EQ(smmu_drv_map(s.drv, s.dom[0], iova, OUT + 0x1000, 0x1000, SMMU_PROT_R), 0);
        ASSERT_EQ(smmu_drv_map(s.drv, s.dom[1], iova, OUT + 0x2000, 0x1000, SMMU_PROT_R), 0);
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0).down, OUT + 0x1000);
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0).down, OUT + 0x1000);
        const uint64_t inv0 = s.us(0).invalidations;
        ASSERT_EQ(smmu_drv_attach_s1(s.drv, 1, s.dom[1], 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        EXPECT_GT(s.us(0).invalidations, inv0) << "CFGI_STE of StreamID 1 covers its entries";
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0).down, OUT + 0x2000)
            << "the new STE's domain";
        ASSERT_EQ(smmu_drv_attach_s1(s.drv, 1, s.dom[0], 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0).down, OUT + 0x1000);
        EXPECT_EQ(s.io(1, tlm::TLM_READ_COMMAND, iova, 4, 0).down, OUT + 0x2000);
        // SMMUEN = 0 through the register socket: everything goes (GBPA then decides)
        const uint64_t cr0 = reg_host::op_rd(&s.host, SMMU_CR0, 4);
        const uint64_t inv1 = s.us(0).invalidations + s.us(1).invalidations;
        const uint64_t miss0 = s.us(0).misses;
        reg_host::op_wr(&s.host, SMMU_CR0, cr0 & ~(uint64_t)SMMU_CR0_SMMUEN, 4);
        EXPECT_GE(s.us(0).invalidations + s.us(1).invalidations, inv1 + 2);
        EXPECT_NE(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0).down, OUT + 0x1000)
            << "not translated by the old entry";
        EXPECT_EQ(s.us(0).misses, miss0 + 1);
        reg_host::op_wr(&s.host, SMMU_CR0, cr0, 4);
        while ((reg_host::op_rd(&s.host, SMMU_CR0ACK, 4) & SMMU_CR0_SMMUEN) == 0) {}
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0).down, OUT + 0x1000);
        ASSERT_EQ(smmu_drv_unmap(s.drv, s.dom[0], iova, 0x1000), 0);
        ASSERT_EQ(smmu_drv_unmap(s.drv, s.dom[1], iova, 0x1000), 0);
    }));
}

// Rule: a hit does not touch the core and costs the port's lookup latency. The core's TLB
// lookups and translation count stay as they were; the annotated delay is the micro-TLB's
// latency plus the memory's. A miss costs the lookup latency plus the translation: exactly the
// SMMU without micro-TLB's delay plus UTLB_LAT.
TEST(TlmUtlb, HitSkipsCoreAndCostsLookupLatency) {
    once();
    ASSERT_TRUE(run([] {
        const uint64_t iova = 0x7200000;
        map_both(0, iova, 3, SMMU_PROT_R | SMMU_PROT_W);
        // the first access misses in both (and walks); the second is a TLB hit in the core of
        // `off` and a micro-TLB hit in `on`
        const uint64_t lk0 = P->on.core_lookups();
        const size_t tm0 = P->on.table_mem.log.size();
        const subsystem::outcome miss_on = P->on.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0);
        EXPECT_EQ(miss_on.delay,
                  UTLB_LAT + sc_time(1, SC_NS) * (double)(P->on.core_lookups() - lk0) +
                      sc_time(10, SC_NS) * (double)(P->on.table_mem.log.size() - tm0) + MEM_LAT)
            << "a miss: the lookup latency, then the core's translation as without micro-TLB";
        P->off.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0);
        const uint64_t lk = P->on.core_tlb_lookups(), tr = P->on.core_translations();
        const uint64_t h0 = P->on.us(0).hits;
        const subsystem::outcome hit = P->on.io(0, tlm::TLM_READ_COMMAND, iova + 8, 4, 0);
        EXPECT_EQ(P->on.us(0).hits, h0 + 1);
        EXPECT_EQ(hit.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(hit.down, OUT + 0x3008);
        EXPECT_EQ(P->on.core_tlb_lookups(), lk) << "the core's TLB was not looked up";
        EXPECT_EQ(P->on.core_translations(), tr + 1) << "counted as the SMMU's translation";
        EXPECT_EQ(hit.delay, UTLB_LAT + MEM_LAT);
        const subsystem::outcome core_hit = P->off.io(0, tlm::TLM_READ_COMMAND, iova + 8, 4, 0);
        EXPECT_GT(core_hit.delay, MEM_LAT) << "a core TLB hit costs its lookups";
        // a write after reads: a kind the entry has not been granted yet goes to the core once
        const uint64_t m0 = P->on.us(0).misses;
        EXPECT_EQ(P->on.io(0, tlm::TLM_WRITE_COMMAND, iova, 4, 7).status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(P->on.us(0).misses, m0 + 1);
        EXPECT_EQ(P->on.io(0, tlm::TLM_WRITE_COMMAND, iova + 4, 4, 8).delay, UTLB_LAT + MEM_LAT);
        EXPECT_EQ(P->on.us(0).misses, m0 + 1);
        for (subsystem *s : {&P->on, &P->off})
            ASSERT_EQ(smmu_drv_unmap(s->drv, s->dom[0], iova, 0x1000), 0);
    }));
}

// Rule: each port has its own micro-TLB. Port 0's entry for a stream never answers port 1,
// even for the same stream and page (port 1 misses and the core translates); a privileged
// access of the same stream is another identity and misses too.
TEST(TlmUtlb, PortsAreIsolated) {
    once();
    ASSERT_TRUE(run([] {
        subsystem &s = P->on;
        const uint64_t iova = 0x7300000;
        ASSERT_EQ(smmu_drv_map(s.drv, s.dom[0], iova, OUT + 0x4000, 0x1000, SMMU_PROT_R), 0);
        smmu_tlm::stream_extension se(1);
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0, &se, 0).down, OUT + 0x4000);
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0, &se, 0).down, OUT + 0x4000);
        const smmu_tlm::utlb_stats p0 = s.us(0), p1 = s.us(1);
        const uint64_t tr = s.core_translations();
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0, &se, 1).down, OUT + 0x4000);
        EXPECT_EQ(s.us(1).hits, p1.hits);
        EXPECT_EQ(s.us(1).misses, p1.misses + 1) << "port 1 does not see port 0's entry";
        EXPECT_EQ(s.us(1).fills, p1.fills + 1);
        EXPECT_EQ(s.core_translations(), tr + 1);
        EXPECT_EQ(s.us(0).hits, p0.hits);
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0, &se, 1).down, OUT + 0x4000);
        EXPECT_EQ(s.us(1).hits, p1.hits + 1);
        se.priv = true; // another identity on port 0
        const uint64_t m0 = s.us(0).misses;
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0, &se, 0).down, OUT + 0x4000);
        EXPECT_EQ(s.us(0).misses, m0 + 1);
        ASSERT_EQ(smmu_drv_unmap(s.drv, s.dom[0], iova, 0x1000), 0);
    }));
}

} // namespace

namespace {

// Rule: a restore drops the micro-TLBs (the translations they hold belong to the state it
// replaces). The module's own state, saved and restored at a quiescent point: the entries go,
// and the next access is a miss translated by the core.
TEST(TlmUtlb, RestoreDropsEntries) {
    once();
    ASSERT_TRUE(run([] {
        subsystem &s = P->on;
        const uint64_t iova = 0x7400000;
        ASSERT_EQ(smmu_drv_map(s.drv, s.dom[0], iova, OUT + 0x6000, 0x1000, SMMU_PROT_R), 0);
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0).down, OUT + 0x6000);
        const uint64_t h0 = s.us(0).hits;
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0).down, OUT + 0x6000);
        EXPECT_EQ(s.us(0).hits, h0 + 1);
        sc_core::wait(sc_time(1, SC_NS)); // the command thread idle
        ASSERT_TRUE(s.dut.quiescent());
        const std::vector<uint8_t> blob = s.dut.save_state();
        ASSERT_FALSE(blob.empty());
        const uint64_t inv0 = s.us(0).invalidations, m0 = s.us(0).misses;
        ASSERT_TRUE(s.dut.restore_state(blob));
        EXPECT_GT(s.us(0).invalidations, inv0);
        EXPECT_EQ(s.io(0, tlm::TLM_READ_COMMAND, iova, 4, 0).down, OUT + 0x6000);
        EXPECT_EQ(s.us(0).misses, m0 + 1) << "the restored module's micro-TLB starts empty";
        ASSERT_EQ(smmu_drv_unmap(s.drv, s.dom[0], iova, 0x1000), 0);
    }));
}

} // namespace

namespace {

// What the twins have counted, as anything reading them sees it.
struct counts {
    uint64_t translations, ok, pmcg;
    int rc[3];                 // smmu_stream_stats of StreamIDs 1-3: 0, or -1 (no slot)
    uint64_t sid_ok[3], other; // their OK translations, the "other" bucket's
    bool operator==(const counts &o) const {
        bool eq =
            translations == o.translations && ok == o.ok && pmcg == o.pmcg && other == o.other;
        for (unsigned i = 0; i < 3; i++)
            eq = eq && rc[i] == o.rc[i] && sid_ok[i] == o.sid_ok[i];
        return eq;
    }
};

counts read_counts(subsystem &s) {
    counts c{};
    smmu_t *core = s.dut.core();
    smmu_stats_t st;
    smmu_get_stats(core, &st);
    c.translations = st.translations;
    c.ok = st.ok;
    c.pmcg = smmu_pmcg_reg_read(core, 0, pm::PAGE1 + pm::EVCNTR0, 8);
    for (unsigned i = 0; i < 3; i++) {
        smmu_stream_stats_t ss;
        c.rc[i] = smmu_stream_stats(core, i + 1, &ss);
        c.sid_ok[i] = ss.ok;
    }
    smmu_stream_stats_t o;
    smmu_stream_stats_other(core, &o);
    c.other = o.ok;
    return c;
}

std::string show(const counts &c) {
    char b[200];
    std::snprintf(
        b, sizeof b, "translations %llu ok %llu pmcg %llu sids %d/%llu %d/%llu %d/%llu other %llu",
        (unsigned long long)c.translations, (unsigned long long)c.ok, (unsigned long long)c.pmcg,
        c.rc[0], (unsigned long long)c.sid_ok[0], c.rc[1], (unsigned long long)c.sid_ok[1], c.rc[2],
        (unsigned long long)c.sid_ok[2], (unsigned long long)c.other);
    return b;
}

// PMCG counter 0 of group 0 counts event 1 (transactions, 10.3) of every stream; programmed
// straight on the core, so the module does not know that a PMCG counts (the micro-TLB holds
// its hits and hands them over when the core asks, host.sync_counts).
void pmcg_count_transactions(subsystem &s, bool on) {
    smmu_t *core = s.dut.core();
    if (on) {
        smmu_pmcg_reg_write(core, 0, pm::EVTYPER0, pm::evtyper(pm::EV_TRANSACTION, true), 4);
        smmu_pmcg_reg_write(core, 0, pm::SMR0, 0xFFFFFFFF, 4);
        smmu_pmcg_reg_write(core, 0, pm::PAGE1 + pm::EVCNTR0, 0, 8);
        smmu_pmcg_reg_write(core, 0, pm::CNTENSET0, 1, 8);
        smmu_pmcg_reg_write(core, 0, pm::CR, pm::CR_E, 4);
    } else {
        smmu_pmcg_reg_write(core, 0, pm::CR, 0, 4);
        smmu_pmcg_reg_write(core, 0, pm::CNTENCLR0, 1, 8);
    }
}

// Rule: the statistics (smmu_get_stats, smmu_stream_stats) and PMCG event 1 (10.3) count every
// transaction, micro-TLB hit or not, whenever they are read: a random stream of reads and
// writes of the three devices (mostly micro-TLB hits on `on`, whose counts it holds), the
// counters read after a random number of transactions, equal on both twins (the SMMU without
// micro-TLB counts each translation in the core as it happens).
TEST(TlmUtlb, DeferredHitCountsExactAtPmcgRead) {
    once();
    ASSERT_TRUE(run([] {
        const uint64_t iova = 0x7500000;
        for (unsigned dev = 0; dev < 3; dev++)
            for (unsigned pg = 0; pg < 4; pg++)
                map_both(dev, iova + 0x1000 * pg, 8 + 4 * dev + pg, SMMU_PROT_R | SMMU_PROT_W);
        for (subsystem *s : {&P->on, &P->off}) {
            smmu_clear_stats(s->dut.core());
            pmcg_count_transactions(*s, true);
        }
        std::mt19937_64 rng(0x18D1FF);
        uint64_t h0 = 0;
        for (unsigned p = 0; p < 3; p++)
            h0 += P->on.us(p).hits;
        unsigned reads = 0;
        for (int step = 0; step < 3000; step++) {
            const unsigned dev = (unsigned)(rng() % 3);
            const uint64_t a = iova + 0x1000 * (rng() % 4) + 8 * (rng() % 0x200);
            const auto cmd = rng() % 4 ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND;
            smmu_tlm::stream_extension se(dev + 1); // the port's own StreamID, or none
            smmu_tlm::stream_extension *sx = rng() % 2 ? &se : nullptr;
            ASSERT_EQ(P->on.io(dev, cmd, a, 8, step, sx).status, tlm::TLM_OK_RESPONSE);
            ASSERT_EQ(P->off.io(dev, cmd, a, 8, step, sx).status, tlm::TLM_OK_RESPONSE);
            if (rng() % 7 == 0) { // a read of the counters, in a random order of the readers
                reads++;
                const counts x = read_counts(P->on), y = read_counts(P->off);
                ASSERT_TRUE(x == y) << "step " << step << ": on " << show(x) << ", off " << show(y);
            }
        }
        uint64_t h1 = 0;
        for (unsigned p = 0; p < 3; p++)
            h1 += P->on.us(p).hits;
        const counts x = read_counts(P->on), y = read_counts(P->off);
        EXPECT_TRUE(x == y) << "on " << show(x) << ", off " << show(y);
        EXPECT_EQ(x.translations, 3000u) << "every transaction once";
        EXPECT_EQ(x.pmcg, 3000u);
        EXPECT_GT(h1 - h0, 2900u) << "the micro-TLB answered (nearly) all of them";
        EXPECT_GT(reads, 300u);
        for (subsystem *s : {&P->on, &P->off}) {
            pmcg_count_transactions(*s, false);
            for (unsigned dev = 0; dev < 3; dev++)
                ASSERT_EQ(smmu_drv_unmap(s->drv, s->dom[dev], iova, 0x4000), 0);
        }
    }));
}

// Rule: the first stream_stats_entries StreamIDs translated after a clear get the per-stream
// statistics of their own, in the order they translate (smmu.h), micro-TLB hits included:
// after smmu_clear_stats, devices 3, 2 and 1 (in that order; all micro-TLB hits on `on`)
// leave StreamIDs 3 and 2 with counters of their own and StreamID 1 in "other", as on the SMMU
// without micro-TLB; the hits held before the clear are not counted after it.
TEST(TlmUtlb, DeferredHitCountsClaimStreamSlotsInOrder) {
    once();
    ASSERT_TRUE(run([] {
        const uint64_t iova = 0x7600000;
        for (unsigned dev = 0; dev < 3; dev++)
            map_both(dev, iova, 20 + dev, SMMU_PROT_R | SMMU_PROT_W);
        for (unsigned dev = 0; dev < 3; dev++) // fill, then hits held before the clear
            for (unsigned k = 0; k < 3; k++)
                for (subsystem *s : {&P->on, &P->off})
                    ASSERT_EQ(s->io(dev, tlm::TLM_READ_COMMAND, iova + 8 * k, 8, 0).status,
                              tlm::TLM_OK_RESPONSE);
        for (subsystem *s : {&P->on, &P->off})
            smmu_clear_stats(s->dut.core());
        const uint64_t h0 = P->on.us(0).hits + P->on.us(1).hits + P->on.us(2).hits;
        for (unsigned dev : {2u, 1u, 0u})
            for (unsigned k = 0; k < 4; k++)
                for (subsystem *s : {&P->on, &P->off})
                    ASSERT_EQ(s->io(dev, tlm::TLM_READ_COMMAND, iova + 8 * k, 8, 0).status,
                              tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(P->on.us(0).hits + P->on.us(1).hits + P->on.us(2).hits, h0 + 12);
        const counts x = read_counts(P->on), y = read_counts(P->off);
        EXPECT_TRUE(x == y) << "on " << show(x) << ", off " << show(y);
        EXPECT_EQ(x.translations, 12u);
        EXPECT_EQ(x.rc[2], 0) << "StreamID 3 translated first";
        EXPECT_EQ(x.rc[1], 0);
        EXPECT_EQ(x.rc[0], -1) << "StreamID 1 came third: the other bucket";
        EXPECT_EQ(x.sid_ok[2], 4u);
        EXPECT_EQ(x.other, 4u);
        for (subsystem *s : {&P->on, &P->off})
            for (unsigned dev = 0; dev < 3; dev++)
                ASSERT_EQ(smmu_drv_unmap(s->drv, s->dom[dev], iova, 0x1000), 0);
    }));
}

// Rule: a transaction's own input attributes (stream_extension::in_attr*, 13.1) reach the core,
// whose stage-2-only translation combines them with stage 2's (Device wins, 13.1.5), and the
// micro-TLB, whose entries hold the attributes of attribute-less transactions, answers neither
// way for the other: on device 3's stage-2 stream the same page reads Write-back, then Device
// (an AMBA Device-Sys input, AxCACHE 0b0001), then Write-back again, on both SMMUs; the memory
// sees the output's AMBA attributes (output_extension::axcache / axdomain, 16.7.5.2.1).
TEST(TlmUtlb, OwnInputAttributesBypassTheMicroTlbAndReachTheOutput) {
    once();
    ASSERT_TRUE(run([] {
        const uint64_t iova = 0x7700000;
        map_both(2, iova, 30, SMMU_PROT_R | SMMU_PROT_W);
        smmu_tlm::stream_extension dev;
        dev.sid = 3;
        dev.in_attr_valid = true;
        smmu_amba_in(0x1, SMMU_AXDOMAIN_SYS, &dev.in_attr, &dev.in_sh);
        for (subsystem *s : {&P->on, &P->off}) {
            const uint8_t want[3] = {0xFF, 0x04, 0xFF};
            for (unsigned k = 0; k < 3; k++) {
                const size_t l0 = s->data_mem.log.size();
                ASSERT_EQ(s->io(2, tlm::TLM_READ_COMMAND, iova, 8, 0, k == 1 ? &dev : nullptr)
                              .status,
                          tlm::TLM_OK_RESPONSE);
                ASSERT_EQ(s->data_mem.log.size(), l0 + 1);
                const smmu_tlm::output_extension &o = s->data_mem.log[l0].out;
                EXPECT_EQ(o.attr, want[k]) << k;
                EXPECT_EQ(o.axcache(false), k == 1 ? 0x1 : 0xF) << k;
                EXPECT_EQ(o.axdomain(), k == 1 ? SMMU_AXDOMAIN_SYS : SMMU_AXDOMAIN_ISH) << k;
            }
            ASSERT_EQ(smmu_drv_unmap(s->drv, s->dom[2], iova, 0x1000), 0);
        }
    }));
}

} // namespace
