// SPDX-License-Identifier: Apache-2.0 OR MIT
// DMI for the SMMU's own table reads (smmu_tlm_params::table_dmi, the core's host->mem_ptr):
// two SMMUs programmed the same way, each with its own table and data memory that grant DMI per
// 4 KiB page with the same latency as b_transport; SMMU "dmi" may read its tables through DMI,
// SMMU "bt" may not (table_dmi = false). TLB, walk and IPA caches and the ports' micro-TLBs
// are off, so that every translation walks the 4-level stage-1 tables. Built once; every test runs
// sc_start() on it.
#include "tlm_fixture.h"

#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include <smmu_tlm/recorder.h>

using namespace ttlm;

namespace {

constexpr uint64_t POOL = 0x80000000, POOL_SIZE = 1 << 20;
constexpr uint64_t IOVA = 0x10000, DATA_PA = 0x40000000, PAGES = 4;
const sc_time LAT(7, SC_NS);
constexpr uint64_t WDATA = 0x1122334455667788ull;

// Initial contents of data byte i (offset from DATA_PA), and 8 of them little-endian.
unsigned char pattern(uint64_t i) {
    return (unsigned char)(i * 7 + (i >> 12));
}
uint64_t pattern64(uint64_t i) {
    uint64_t v = 0;
    for (unsigned k = 0; k < 8; k++)
        v |= (uint64_t)pattern(i + k) << (8 * k);
    return v;
}

// A sparse memory of stable 4 KiB pages: b_transport annotates `lat` (`odd_lat` in odd-numbered
// pages); DMI is granted one page at a time (read and write, the page's latency) unless `dmi_on`
// is false.
struct page_memory : sc_core::sc_module {
    tlm_utils::simple_target_socket<page_memory> socket;
    sc_time lat, odd_lat;
    bool dmi_on = true;
    uint64_t bt_reads = 0, bt_writes = 0, dmi_requests = 0;
    std::map<uint64_t, std::unique_ptr<unsigned char[]>> pages;

    page_memory(sc_core::sc_module_name n, sc_time l)
        : sc_module(n), socket("socket"), lat(l), odd_lat(l) {
        socket.register_b_transport(this, &page_memory::b_transport);
        socket.register_transport_dbg(this, &page_memory::transport_dbg);
        socket.register_get_direct_mem_ptr(this, &page_memory::get_dmi);
    }
    unsigned char *page(uint64_t a) {
        auto &p = pages[a >> 12];
        if (!p) {
            p.reset(new unsigned char[4096]);
            std::memset(p.get(), 0, 4096);
        }
        return p.get();
    }
    void copy(uint64_t a, unsigned char *buf, size_t n, bool write) {
        for (size_t i = 0; i < n; i++) {
            unsigned char *b = page(a + i) + ((a + i) & 0xFFF);
            if (write)
                *b = buf[i];
            else
                buf[i] = *b;
        }
    }
    sc_time latency(uint64_t a) const {
        return (a >> 12) & 1 ? odd_lat : lat;
    }
    void b_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
        (gp.is_read() ? bt_reads : bt_writes)++;
        copy(gp.get_address(), gp.get_data_ptr(), gp.get_data_length(), gp.is_write());
        delay += latency(gp.get_address());
        gp.set_dmi_allowed(dmi_on);
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    unsigned transport_dbg(tlm::tlm_generic_payload &gp) {
        copy(gp.get_address(), gp.get_data_ptr(), gp.get_data_length(), gp.is_write());
        return gp.get_data_length();
    }
    bool get_dmi(tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi) {
        dmi_requests++;
        const uint64_t lo = gp.get_address() & ~0xFFFull;
        dmi.set_start_address(lo);
        dmi.set_end_address(lo + 0xFFF);
        if (!dmi_on) return false;
        dmi.set_dmi_ptr(page(lo));
        dmi.allow_read_write();
        dmi.set_read_latency(latency(lo));
        dmi.set_write_latency(latency(lo));
        return true;
    }
};

// The driver's way in: registers through the SMMU's register socket (each access waits for its
// delay), memory straight into the table memory.
struct drv_host : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<drv_host> socket;
    page_memory *mem;
    drv_host(sc_core::sc_module_name n, page_memory *m) : sc_module(n), socket("socket"), mem(m) {}
    uint64_t reg(tlm::tlm_command cmd, uint64_t off, uint64_t val, unsigned size) {
        unsigned char b[8] = {};
        for (unsigned i = 0; i < size; i++)
            b[i] = (unsigned char)(val >> (8 * i));
        tlm::tlm_generic_payload gp;
        test_master::setup(gp, cmd, off, b, size);
        sc_time d = SC_ZERO_TIME;
        socket->b_transport(gp, d);
        sc_core::wait(d > SC_ZERO_TIME ? d : sc_time(1, SC_NS));
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++)
            v |= (uint64_t)b[i] << (8 * i);
        return v;
    }
    static uint64_t rd(void *c, uint64_t off, unsigned size) {
        return static_cast<drv_host *>(c)->reg(tlm::TLM_READ_COMMAND, off, 0, size);
    }
    static void wr(void *c, uint64_t off, uint64_t val, unsigned size) {
        static_cast<drv_host *>(c)->reg(tlm::TLM_WRITE_COMMAND, off, val, size);
    }
    static int mrd(void *c, uint64_t pa, void *buf, size_t len) {
        static_cast<drv_host *>(c)->mem->copy(pa, static_cast<unsigned char *>(buf), len, false);
        return 0;
    }
    static int mwr(void *c, uint64_t pa, const void *buf, size_t len) {
        static_cast<drv_host *>(c)->mem->copy(
            pa, static_cast<unsigned char *>(const_cast<void *>(buf)), len, true);
        return 0;
    }
};

struct side {
    page_memory tables, data;
    smmu_tlm::smmu dut;
    test_master m;
    drv_host host;
    smmu_drv_t *drv = nullptr;
    smmu_domain_t *dom = nullptr;

    static smmu_tlm::smmu_tlm_params params(bool table_dmi) {
        smmu_tlm::smmu_tlm_params p;
        p.core.sidsize = 8;
        for (unsigned c : {SMMU_CACHE_TLB, SMMU_CACHE_WALK, SMMU_CACHE_IPA})
            p.core.cache[c].enable = false;
        p.utlb_entries = 0; /* every translation reaches the core */
        p.default_sid = {1};
        p.table_dmi = table_dmi;
        return p;
    }
    side(const std::string &n, bool table_dmi)
        : tables((n + "_tables").c_str(), LAT), data((n + "_data").c_str(), LAT),
          dut(n.c_str(), params(table_dmi)), m((n + "_m").c_str()),
          host((n + "_host").c_str(), &tables) {
        checked_bind(m.socket, dut.upstream[0]);
        checked_bind(dut.downstream, data.socket);
        checked_bind(dut.table, tables.socket);
        checked_bind(host.socket, dut.regs);
        for (uint64_t i = 0; i < PAGES * 4096; i++) {
            unsigned char b = pattern(i);
            data.copy(DATA_PA + i, &b, 1, true);
        }
    }
    // SID 1: stage 1, IOVA -> DATA_PA for PAGES pages (inside simulation).
    void program() {
        smmu_drv_ops_t ops{&host, &drv_host::rd, &drv_host::wr, &drv_host::mrd, &drv_host::mwr};
        smmu_drv_config_t cfg{};
        cfg.pool_base = POOL;
        cfg.pool_size = POOL_SIZE;
        cfg.force_linear = true;
        cfg.sid_bits = 8;
        drv = smmu_drv_new(&ops, &cfg);
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0);
        smmu_domain_cfg_t c{1, 1, 4096, 48, 0};
        ASSERT_EQ(smmu_drv_domain_new(drv, &c, &dom), 0);
        ASSERT_EQ(smmu_drv_map(drv, dom, IOVA, DATA_PA, PAGES * 4096, SMMU_PROT_R | SMMU_PROT_W),
                  0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 1, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    }
    uint64_t walk_reads() const {
        smmu_stats_t s;
        smmu_get_stats(dut.core(), &s);
        return s.walk_reads;
    }
};

struct platform {
    side dmi{"dmi", true}, bt{"bt", false};
};

platform *P = nullptr;

class Tlm : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (P) return;
        P = new platform;
        ASSERT_TRUE(run([] {
            P->dmi.program();
            P->bt.program();
        }));
    }
    void SetUp() override {
        ASSERT_NE(P->dmi.drv, nullptr) << "platform programming failed";
        ASSERT_NE(P->bt.drv, nullptr) << "platform programming failed";
    }
};

struct access_outcome {
    tlm::tlm_response_status status;
    sc_time delay;
    uint64_t data;
};

access_outcome access(side &s, tlm::tlm_command cmd, uint64_t a, uint64_t wdata = 0) {
    // a read's buffer starts at 0; a write's holds wdata
    access_outcome o{};
    o.data = cmd == tlm::TLM_WRITE_COMMAND ? wdata : 0;
    o.status = s.m.io(cmd, a, &o.data, 8, &o.delay);
    return o;
}

// The core does not use host->mem_ptr (yet): nothing to test about the reads through DMI.
bool core_reads_through_dmi() {
    return P->dmi.dut.stats().table_dmi_grants > 0;
}

// Table reads through DMI give the same translations, responses, data and (with the grant's
// read latency equal to the memory's b_transport latency) the same annotated delays as the
// same reads through b_transport; they are counted in stats().table_dmi_reads and reach the
// table memory's b_transport no more.
TEST_F(Tlm, TableReadsThroughDmiSameResultAndTiming) {
    const uint64_t dmi_bt0 = P->dmi.tables.bt_reads, bt_bt0 = P->bt.tables.bt_reads;
    const uint64_t dmi_reads0 = P->dmi.dut.stats().table_dmi_reads;
    const uint64_t walks0 = P->bt.walk_reads();
    ASSERT_TRUE(run([] {
        const struct {
            tlm::tlm_command cmd;
            uint64_t addr;
        } seq[] = {{tlm::TLM_READ_COMMAND, IOVA + 0x10},    {tlm::TLM_READ_COMMAND, IOVA + 0x1008},
                   {tlm::TLM_WRITE_COMMAND, IOVA + 0x2040}, {tlm::TLM_READ_COMMAND, IOVA + 0x2040},
                   {tlm::TLM_READ_COMMAND, IOVA + 0x3FF8},  {tlm::TLM_READ_COMMAND, 0x900000}};
        for (const auto &x : seq) {
            SCOPED_TRACE(x.addr);
            const size_t dl = P->dmi.data.bt_reads + P->dmi.data.bt_writes;
            const access_outcome a = access(P->dmi, x.cmd, x.addr, WDATA);
            const access_outcome b = access(P->bt, x.cmd, x.addr, WDATA);
            EXPECT_EQ(a.status, b.status);
            EXPECT_EQ(a.delay, b.delay);
            EXPECT_EQ(a.data, b.data);
            if (x.addr < IOVA + PAGES * 4096) {
                EXPECT_EQ(a.status, tlm::TLM_OK_RESPONSE);
                EXPECT_EQ(P->dmi.data.bt_reads + P->dmi.data.bt_writes, dl + 1);
                // IOVA page n maps to DATA_PA page n; 0x2040 was written just before its read
                EXPECT_EQ(a.data, x.cmd == tlm::TLM_WRITE_COMMAND || x.addr == IOVA + 0x2040
                                      ? WDATA
                                      : pattern64(x.addr - IOVA));
            } else {
                EXPECT_EQ(a.status, tlm::TLM_ADDRESS_ERROR_RESPONSE); // unmapped: abort
            }
        }
    }));
    // every walk read 4 descriptors (caches off), on both
    EXPECT_GE(P->bt.walk_reads() - walks0, 4u * 5);
    EXPECT_EQ(P->bt.dut.stats().table_dmi_reads, 0u);
    EXPECT_EQ(P->bt.dut.stats().table_dmi_grants, 0u);
    if (!core_reads_through_dmi()) GTEST_SKIP() << "the core does not call host->mem_ptr";
    const uint64_t direct = P->dmi.dut.stats().table_dmi_reads - dmi_reads0;
    EXPECT_GT(direct, 0u);
    // every table read is either a b_transport or a DMI read; together as many as without DMI
    EXPECT_EQ(P->dmi.tables.bt_reads - dmi_bt0 + direct, P->bt.tables.bt_reads - bt_bt0);
}

// An invalidation from the table memory revokes the grants: afterwards the core reads through
// b_transport until a new grant is given (the memory asked again), and a region the memory now
// refuses is read through b_transport only.
TEST_F(Tlm, TableDmiInvalidationRevokesGrant) {
    ASSERT_TRUE(run([] {
        access(P->dmi, tlm::TLM_READ_COMMAND, IOVA); // grants the table pages
        access(P->bt, tlm::TLM_READ_COMMAND, IOVA);  // the same configuration cache state
        const uint64_t req0 = P->dmi.tables.dmi_requests;
        access(P->dmi, tlm::TLM_READ_COMMAND, IOVA + 8);
        EXPECT_EQ(P->dmi.tables.dmi_requests, req0); // cached by the core or the wrapper
        // revoke everything, refuse from now on
        P->dmi.tables.dmi_on = false;
        P->dmi.tables.socket->invalidate_direct_mem_ptr(0, ~(sc_dt::uint64)0);
        const uint64_t direct0 = P->dmi.dut.stats().table_dmi_reads;
        const uint64_t bt0 = P->dmi.tables.bt_reads, walks0 = P->dmi.walk_reads();
        const access_outcome a = access(P->dmi, tlm::TLM_READ_COMMAND, IOVA + 0x1010);
        const access_outcome b = access(P->bt, tlm::TLM_READ_COMMAND, IOVA + 0x1010);
        EXPECT_EQ(a.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(a.delay, b.delay);
        EXPECT_EQ(a.data, b.data);
        EXPECT_EQ(P->dmi.dut.stats().table_dmi_reads, direct0); // nothing through a pointer
        EXPECT_GE(P->dmi.tables.bt_reads - bt0, P->dmi.walk_reads() - walks0);
        EXPECT_GE(P->dmi.walk_reads() - walks0, 4u);
        // granted again after the next invalidation: the memory is asked again
        P->dmi.tables.dmi_on = true;
        P->dmi.tables.socket->invalidate_direct_mem_ptr(0, ~(sc_dt::uint64)0);
        const uint64_t req1 = P->dmi.tables.dmi_requests;
        access(P->dmi, tlm::TLM_READ_COMMAND, IOVA + 0x1018);
        if (core_reads_through_dmi()) {
            EXPECT_GT(P->dmi.tables.dmi_requests, req1);
            EXPECT_GT(P->dmi.dut.stats().table_dmi_reads, direct0);
        }
    }));
    if (!core_reads_through_dmi()) GTEST_SKIP() << "the core does not call host->mem_ptr";
}

// The wrapper keeps the `table` target's DMI regions (smmu_tlm_params::table_dmi_regions); a
// region the target invalidates is not used again. The level-3 table page of IOVA moves to a
// new buffer (same contents) and the old buffer is zeroed (all descriptors invalid) before the
// target invalidates that page alone: a translation through a kept pointer to the old buffer
// would fault. The other table pages of the walk stay granted (the target is asked for the
// invalidated page only).
struct read_pages : smmu_tlm::recorder {
    std::vector<uint64_t> pas;
    void translation(const smmu_tlm::smmu_base &, const smmu_tlm::translation_record &r) override {
        for (size_t i = 0; i < r.n_accesses; i++)
            if (!r.accesses[i].write) pas.push_back(r.accesses[i].pa);
    }
};

TEST_F(Tlm, RegionCacheDroppedByDmiInvalidation) {
    static std::vector<std::unique_ptr<unsigned char[]>> old_pages; // kept: stale pointers
    read_pages rec;
    bool moved = false;
    uint64_t asked = 0, direct = 0;
    ASSERT_TRUE(run([&] {
        P->dmi.dut.set_recorder(&rec);
        ASSERT_EQ(access(P->dmi, tlm::TLM_READ_COMMAND, IOVA + 0x40).status,
                  tlm::TLM_OK_RESPONSE);
        P->dmi.dut.set_recorder(nullptr);
        access(P->bt, tlm::TLM_READ_COMMAND, IOVA + 0x40); // the same configuration cache state
        ASSERT_GE(rec.pas.size(), 4u); // a 4-level walk (caches off)
        const uint64_t l3 = rec.pas.back() & ~0xFFFull; // the last read: the level-3 descriptor
        // the regions of the walk's pages are granted and kept
        access(P->dmi, tlm::TLM_READ_COMMAND, IOVA + 0x48);
        access(P->bt, tlm::TLM_READ_COMMAND, IOVA + 0x48);
        auto &pg = P->dmi.tables.pages[l3 >> 12];
        ASSERT_TRUE(pg);
        std::unique_ptr<unsigned char[]> fresh(new unsigned char[4096]);
        std::memcpy(fresh.get(), pg.get(), 4096);
        std::memset(pg.get(), 0, 4096);
        old_pages.push_back(std::move(pg));
        pg = std::move(fresh);
        moved = true;
        P->dmi.tables.socket->invalidate_direct_mem_ptr(l3, l3 + 0xFFF);
        const uint64_t req0 = P->dmi.tables.dmi_requests;
        const uint64_t direct0 = P->dmi.dut.stats().table_dmi_reads;
        const access_outcome a = access(P->dmi, tlm::TLM_READ_COMMAND, IOVA + 0x50);
        const access_outcome b = access(P->bt, tlm::TLM_READ_COMMAND, IOVA + 0x50);
        EXPECT_EQ(a.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(a.data, pattern64(0x50));
        EXPECT_EQ(a.delay, b.delay);
        asked = P->dmi.tables.dmi_requests - req0;
        direct = P->dmi.dut.stats().table_dmi_reads - direct0;
    }));
    ASSERT_TRUE(moved);
    if (!core_reads_through_dmi()) GTEST_SKIP() << "the core does not call host->mem_ptr";
    EXPECT_EQ(asked, 1u);       // the invalidated page only; the others from the kept regions
    EXPECT_GE(direct, 4u);      // the whole walk through grants again
}

// Grants are handed to the core with one read latency at a time (the core does not say which
// grant a read used): with table pages of two latencies, the reads of the other latency go
// through b_transport, and the delays stay those of b_transport alone.
TEST_F(Tlm, TableDmiMixedLatenciesSameTiming) {
    for (side *s : {&P->dmi, &P->bt}) {
        s->tables.odd_lat = sc_time(19, SC_NS);
        s->tables.socket->invalidate_direct_mem_ptr(0, ~(sc_dt::uint64)0);
    }
    const uint64_t direct0 = P->dmi.dut.stats().table_dmi_reads, bt0 = P->dmi.tables.bt_reads;
    const uint64_t other0 = P->bt.tables.bt_reads;
    ASSERT_TRUE(run([] {
        for (uint64_t a : {IOVA + 0x30, IOVA + 0x1030, IOVA + 0x2030, IOVA + 0x3030, IOVA + 0x38}) {
            SCOPED_TRACE(a);
            const access_outcome x = access(P->dmi, tlm::TLM_READ_COMMAND, a);
            const access_outcome y = access(P->bt, tlm::TLM_READ_COMMAND, a);
            EXPECT_EQ(x.status, tlm::TLM_OK_RESPONSE);
            EXPECT_EQ(x.delay, y.delay);
            EXPECT_EQ(x.data, pattern64(a - IOVA));
        }
    }));
    for (side *s : {&P->dmi, &P->bt}) {
        s->tables.odd_lat = s->tables.lat;
        s->tables.socket->invalidate_direct_mem_ptr(0, ~(sc_dt::uint64)0);
    }
    const uint64_t direct = P->dmi.dut.stats().table_dmi_reads - direct0;
    EXPECT_EQ(direct + (P->dmi.tables.bt_reads - bt0), P->bt.tables.bt_reads - other0);
    EXPECT_GT(P->dmi.tables.bt_reads, bt0); // the other latency's pages
    if (!core_reads_through_dmi()) GTEST_SKIP() << "the core does not call host->mem_ptr";
    EXPECT_GT(direct, 0u);
}

// While a recorder is attached the core gets no grants: the recorder sees every table read
// (each translation's accesses are as many as its result's mem_reads).
struct access_counter : smmu_tlm::recorder {
    unsigned translations = 0, mismatches = 0, reads = 0;
    void translation(const smmu_tlm::smmu_base &, const smmu_tlm::translation_record &r) override {
        translations++;
        unsigned n = 0;
        for (size_t i = 0; i < r.n_accesses; i++)
            n += r.accesses[i].write ? 0 : 1;
        reads += n;
        if (n != r.res.mem_reads) mismatches++;
    }
};

TEST_F(Tlm, TableDmiOffWhileRecorderAttached) {
    access_counter rec;
    ASSERT_TRUE(run([&] {
        access(P->dmi, tlm::TLM_READ_COMMAND, IOVA + 0x20); // may hold grants now
        const uint64_t direct0 = P->dmi.dut.stats().table_dmi_reads;
        P->dmi.dut.set_recorder(&rec);
        for (uint64_t a : {IOVA + 0x28, IOVA + 0x1028, IOVA + 0x3028})
            EXPECT_EQ(access(P->dmi, tlm::TLM_READ_COMMAND, a).status, tlm::TLM_OK_RESPONSE);
        P->dmi.dut.set_recorder(nullptr);
        EXPECT_EQ(P->dmi.dut.stats().table_dmi_reads, direct0);
    }));
    EXPECT_EQ(rec.translations, 3u);
    EXPECT_GE(rec.reads, 3u * 4); // 4-level walks
    EXPECT_EQ(rec.mismatches, 0u);
}

} // namespace
