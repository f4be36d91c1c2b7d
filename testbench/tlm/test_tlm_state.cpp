// SPDX-License-Identifier: Apache-2.0 OR MIT
// Saving and restoring the TLM module (smmu_base::save_state / restore_state, docs/tlm.md
// "Saving and restoring"; issue 17 "Save and restore"). Two SMMUs with the same params, each on
// its own memory: A is programmed by the driver and runs traffic; its state and its memory image
// go to B, which was never programmed; then both run the same traffic and must answer the same
// (responses, data, event records and table memory, register reads). Built once; every test
// runs sc_start() on it.
#include "tlm_fixture.h"

#include <cstring>

using namespace ttlm;

namespace {

// Register offsets (IHI 0070 6.3; page 1 at 0x10000).
constexpr uint64_t R_CR0 = 0x20, R_CR1 = 0x28, R_CR2 = 0x2C, R_GBPA = 0x44, R_IRQ_CTRL = 0x50,
                   R_GERROR = 0x60, R_GERRORN = 0x64, R_STRTAB_BASE = 0x80,
                   R_STRTAB_BASE_CFG = 0x88, R_CMDQ_BASE = 0x90, R_CMDQ_PROD = 0x98,
                   R_CMDQ_CONS = 0x9C, R_EVENTQ_BASE = 0xA0, R_EVENTQ_PROD = 0x100A8,
                   R_EVENTQ_CONS = 0x100AC;
constexpr uint64_t POOL = 0x80000000, POOL_SIZE = 2 << 20; // driver tables and queues
constexpr uint64_t DATA = 0x40000000, DATA_SIZE = 0x10000; // what the masters reach

struct side {
    smmu_mem_t *mem = smmu_mem_new();
    test_memory table_mem, data_mem;
    smmu_tlm::smmu dut;
    test_master m;
    reg_host host;

    static smmu_tlm::smmu_tlm_params params() {
        smmu_tlm::smmu_tlm_params p;
        p.core.sidsize = 8;
        p.default_sid = {1};
        return p;
    }
    explicit side(const std::string &n)
        : table_mem((n + "_table").c_str(), mem, sc_time(10, SC_NS)),
          data_mem((n + "_data").c_str(), mem, sc_time(10, SC_NS)), dut(n.c_str(), params()),
          m((n + "_m").c_str()), host((n + "_host").c_str(), mem) {
        checked_bind(m.socket, dut.upstream[0]);
        checked_bind(dut.downstream, data_mem.socket);
        checked_bind(dut.table, table_mem.socket);
        checked_bind(host.socket, dut.regs);
    }
    uint64_t reg(uint64_t off, unsigned size = 4) { // from a thread, through the socket
        return reg_host::op_rd(&host, off, size);
    }
    void set_reg(uint64_t off, uint64_t v, unsigned size = 4) {
        reg_host::op_wr(&host, off, v, size);
    }
};

struct platform {
    side a{"smmu_a"}, b{"smmu_b"};
    smmu_drv_t *drv = nullptr; // A's
    smmu_domain_t *dom = nullptr;
};

platform *P = nullptr;

// A: SID 1 stage 1, IOVA 0x1000-0x2FFF -> DATA (4 KiB pages); SID 2 stalls its faults.
void program_a() {
    P->drv = P->a.host.new_driver(POOL, POOL_SIZE);
    ASSERT_NE(P->drv, nullptr);
    ASSERT_EQ(smmu_drv_init(P->drv), 0);
    smmu_domain_cfg_t c{1, 1, 4096, 48, 0};
    ASSERT_EQ(smmu_drv_domain_new(P->drv, &c, &P->dom), 0);
    ASSERT_EQ(smmu_drv_map(P->drv, P->dom, 0x1000, DATA, 0x2000, SMMU_PROT_R | SMMU_PROT_W), 0);
    ASSERT_EQ(smmu_drv_attach_s1(P->drv, 1, P->dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    ASSERT_EQ(smmu_drv_attach_s1(P->drv, 2, P->dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    ASSERT_EQ(smmu_drv_set_stall(P->drv, 2, true), 0);
}

// What a master saw of one transaction.
struct outcome {
    tlm::tlm_response_status st;
    uint32_t data;
    bool operator==(const outcome &o) const {
        return st == o.st && data == o.data;
    }
};

// The same traffic for either side: reads and writes through the mapping, a read of an
// unmapped IOVA (F_TRANSLATION, an event record: 3.12, 7.3) and one of an unattached StreamID.
std::vector<outcome> traffic(side &s, unsigned round) {
    std::vector<outcome> v;
    for (unsigned i = 0; i < 8; i++) {
        const uint64_t iova = 0x1000 + (i * 0x344 + round * 0x40) % 0x2000 / 4 * 4;
        uint32_t w = 0xC0DE0000u + round * 0x100 + i;
        if (i % 3 == 0)
            v.push_back({s.m.write(iova, &w, 4), w});
        else {
            uint32_t r = 0;
            v.push_back({s.m.read(iova, &r, 4), r});
        }
    }
    uint32_t r = 0;
    v.push_back({s.m.read(0x9000 + round * 0x1000, &r, 4), r}); // unmapped
    smmu_tlm::stream_extension se(7);                           // no STE attached
    v.push_back({s.m.read(0x1000, &r, 4, nullptr, &se), r});
    return v;
}

// The registers whose values software sees (6.3); equal on both sides after the restore.
std::vector<uint64_t> regs_of(side &s) {
    std::vector<uint64_t> v;
    for (uint64_t off : {R_CR0, R_CR1, R_CR2, R_GBPA, R_IRQ_CTRL, R_GERROR, R_GERRORN,
                         R_STRTAB_BASE_CFG, R_CMDQ_PROD, R_CMDQ_CONS, R_EVENTQ_PROD, R_EVENTQ_CONS})
        v.push_back(s.reg(off));
    for (uint64_t off : {R_STRTAB_BASE, R_CMDQ_BASE, R_EVENTQ_BASE})
        v.push_back(s.reg(off, 8));
    return v;
}

// Copies [base, base + size) of A's memory to B's (the platform's part of a checkpoint).
void copy_mem(uint64_t base, uint64_t size) {
    std::vector<unsigned char> buf(0x1000);
    for (uint64_t a = base; a < base + size; a += buf.size()) {
        ASSERT_EQ(smmu_mem_read(P->a.mem, a, buf.data(), buf.size()), 0);
        ASSERT_EQ(smmu_mem_write(P->b.mem, a, buf.data(), buf.size()), 0);
    }
}

bool same_mem(uint64_t base, uint64_t size) {
    std::vector<unsigned char> x(0x1000), y(0x1000);
    for (uint64_t a = base; a < base + size; a += x.size()) {
        smmu_mem_read(P->a.mem, a, x.data(), x.size());
        smmu_mem_read(P->b.mem, a, y.data(), y.size());
        if (x != y) return false;
    }
    return true;
}

// CMD_SYNC (opcode 0x46, CS = SIG_NONE: 4.7.3) put in the Command queue by hand, then PROD
// advanced: software on B has no driver state, only the registers and memory it restored.
void cmd_sync(side &s) {
    const uint64_t base = s.reg(R_CMDQ_BASE, 8);
    const unsigned log2 = (unsigned)(base & 0x1F);      // LOG2SIZE [4:0]
    const uint64_t q = base & 0x000FFFFFFFFFFFE0ull;    // ADDR [51:5]
    const uint32_t prod = (uint32_t)s.reg(R_CMDQ_PROD); // index and wrap bit
    const uint32_t mask = (1u << log2) - 1;
    const uint64_t cmd[2] = {0x46, 0};
    ASSERT_EQ(smmu_mem_write(s.mem, q + (prod & mask) * 16ull, cmd, sizeof cmd), 0);
    s.set_reg(R_CMDQ_PROD, (prod + 1) & ((2u << log2) - 1));
    sc_core::wait(sc_time(1, sc_core::SC_US)); // the command thread consumes it
}

class TlmState : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated",
                                                sc_core::SC_DO_NOTHING);
        if (P) return;
        P = new platform;
        ASSERT_TRUE(run([] { program_a(); }));
    }
    void SetUp() override {
        ASSERT_NE(P->drv, nullptr);
    }
};

// The rule (issue 17, "Save and restore"): restoring into a fresh instance with the same params
// gives exactly the same future: every later response, read datum, event record, table and
// queue memory byte and register read equals the original's.
TEST_F(TlmState, SaveRestoreGivesSameFuture) {
    std::vector<uint8_t> blob;
    ASSERT_TRUE(run([&] {
        traffic(P->a, 0); // A's past: caches warm, event records written
        EXPECT_TRUE(P->a.dut.quiescent());
        blob = P->a.dut.save_state();
    }));
    ASSERT_FALSE(blob.empty());
    copy_mem(POOL, POOL_SIZE);
    copy_mem(DATA, DATA_SIZE);
    P->b.m.invalidations.clear();
    ASSERT_TRUE(P->b.dut.restore_state(blob));
    // every DMI pointer B's devices held is revoked, whole address space
    ASSERT_FALSE(P->b.m.invalidations.empty());
    EXPECT_EQ(P->b.m.invalidations.back().first, 0u);
    EXPECT_EQ(P->b.m.invalidations.back().second, ~(sc_dt::uint64)0);
    std::vector<uint64_t> ra0, rb0, ra1, rb1;
    std::vector<outcome> oa, ob;
    ASSERT_TRUE(run([&] {
        ra0 = regs_of(P->a);
        rb0 = regs_of(P->b);
        for (unsigned round = 1; round <= 3; round++) {
            auto x = traffic(P->a, round), y = traffic(P->b, round);
            oa.insert(oa.end(), x.begin(), x.end());
            ob.insert(ob.end(), y.begin(), y.end());
        }
        cmd_sync(P->a);
        cmd_sync(P->b);
        EXPECT_EQ(smmu_drv_resync(P->drv), 0); // A's driver: CMDQ_PROD moved behind its back
        ra1 = regs_of(P->a);
        rb1 = regs_of(P->b);
    }));
    EXPECT_EQ(ra0, rb0);
    EXPECT_EQ(ra1, rb1);
    ASSERT_EQ(oa.size(), ob.size());
    for (size_t i = 0; i < oa.size(); i++)
        EXPECT_TRUE(oa[i] == ob[i]) << "transaction " << i;
    // the traffic faulted (event records were written) and some of it succeeded
    EXPECT_EQ(oa[0].st, tlm::TLM_OK_RESPONSE);
    EXPECT_NE(ra1[10], ra0[10]) << "EVENTQ_PROD advanced";
    EXPECT_NE(ra1[8], ra0[8]) << "CMDQ_PROD advanced";
    EXPECT_EQ(ra1[8], ra1[9]) << "the CMD_SYNC was consumed";
    EXPECT_TRUE(same_mem(POOL, POOL_SIZE)) << "tables, queues and event records";
    EXPECT_TRUE(same_mem(DATA, DATA_SIZE)) << "the data the masters wrote";
}

// Dropping the caches is architecturally invisible: only hit statistics differ (B starts cold).
TEST_F(TlmState, RestoredInstanceStartsWithColdCaches) {
    std::vector<uint8_t> blob;
    ASSERT_TRUE(run([&] {
        uint32_t v = 0;
        EXPECT_EQ(P->a.m.read(0x1000, &v, 4), tlm::TLM_OK_RESPONSE); // A's TLB holds it now
        blob = P->a.dut.save_state();
    }));
    copy_mem(POOL, POOL_SIZE); // the platform's part: B's memory is A's (each test runs alone)
    copy_mem(DATA, DATA_SIZE);
    ASSERT_TRUE(P->b.dut.restore_state(blob));
    smmu_cache_stats_t ta0, tb0, ta1, tb1;
    smmu_cache_stats(P->a.dut.core(), SMMU_CACHE_TLB, &ta0);
    smmu_cache_stats(P->b.dut.core(), SMMU_CACHE_TLB, &tb0);
    uint32_t va = 0, vb = 0;
    ASSERT_TRUE(run([&] {
        EXPECT_EQ(P->a.m.read(0x1000, &va, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(P->b.m.read(0x1000, &vb, 4), tlm::TLM_OK_RESPONSE);
    }));
    EXPECT_EQ(va, vb);
    smmu_cache_stats(P->a.dut.core(), SMMU_CACHE_TLB, &ta1);
    smmu_cache_stats(P->b.dut.core(), SMMU_CACHE_TLB, &tb1);
    EXPECT_EQ(ta1.misses, ta0.misses) << "A: warm";
    EXPECT_GT(tb1.misses, tb0.misses) << "B: the first lookup after the restore misses";
}

// Refused while a transaction is in flight: here a read of SID 2 waits in a stall (3.12.2)
// until the host resumes it. save_state and restore_state report an error and change nothing.
TEST_F(TlmState, SaveRefusedWhileTransactionInFlight) {
    std::vector<uint8_t> good;
    ASSERT_TRUE(run([&] { good = P->a.dut.save_state(); }));
    ASSERT_FALSE(good.empty());
    bool stalled_done = false;
    tlm::tlm_response_status st = tlm::TLM_INCOMPLETE_RESPONSE;
    spawn([&] {
        smmu_tlm::stream_extension se(2);
        uint32_t r = 0;
        st = P->a.m.read(0x7000, &r, 4, nullptr, &se); // unmapped: stalls
        stalled_done = true;
    });
    ASSERT_TRUE(run([&] {
        sc_core::wait(sc_time(2, sc_core::SC_US)); // the read is waiting in its stall now
        ASSERT_FALSE(stalled_done);
        EXPECT_FALSE(P->a.dut.quiescent());
        const std::vector<uint64_t> before = regs_of(P->a);
        EXPECT_THROW(P->a.dut.save_state(), sc_core::sc_report);
        EXPECT_THROW(P->a.dut.restore_state(good), sc_core::sc_report);
        EXPECT_EQ(regs_of(P->a), before);
        smmu_drv_event_t ev;
        while (smmu_drv_next_event(P->drv, &ev) == 0) {
            if (ev.stall) {
                EXPECT_EQ(smmu_drv_resume(P->drv, ev.sid, ev.stag, false), 0);
            }
        }
        sc_core::wait(sc_time(2, sc_core::SC_US));
        EXPECT_TRUE(stalled_done);
        EXPECT_TRUE(P->a.dut.quiescent());
        EXPECT_FALSE(P->a.dut.save_state().empty());
    }));
    EXPECT_EQ(st, tlm::TLM_ADDRESS_ERROR_RESPONSE); // terminated: abort
}

// An AT transaction is in flight from BEGIN_REQ until its response completes (END_RESP).
struct keep_mm : tlm::tlm_mm_interface { // the payload lives in the test
    void free(tlm::tlm_generic_payload *) override {}
};

TEST_F(TlmState, SaveRefusedWhileAtTransactionInFlight) {
    keep_mm mm;
    tlm::tlm_generic_payload gp(&mm);
    uint32_t r = 0;
    gp.acquire();
    ASSERT_TRUE(run([&] {
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x1000, &r, 4);
        tlm::tlm_phase ph = tlm::BEGIN_REQ;
        sc_time t = SC_ZERO_TIME;
        P->a.m.at_log.clear();
        P->a.m.socket->nb_transport_fw(gp, ph, t);
        EXPECT_FALSE(P->a.dut.quiescent());
        EXPECT_THROW(P->a.dut.save_state(), sc_core::sc_report);
        while (P->a.m.at_log.empty())
            sc_core::wait(P->a.m.at_ev);
        EXPECT_FALSE(P->a.dut.quiescent()) << "BEGIN_RESP sent, END_RESP not yet";
        ph = tlm::END_RESP;
        t = SC_ZERO_TIME;
        P->a.m.socket->nb_transport_fw(gp, ph, t);
        sc_core::wait(sc_time(10, SC_NS));
        EXPECT_TRUE(P->a.dut.quiescent());
    }));
    EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
    gp.release();
}

// A truncated, corrupted or foreign blob is refused with an error and the module is unchanged.
TEST_F(TlmState, RestoreRefusesBadBlobAndLeavesModuleUnchanged) {
    std::vector<uint8_t> good;
    std::vector<uint64_t> before, after;
    ASSERT_TRUE(run([&] {
        good = P->a.dut.save_state();
        before = regs_of(P->a);
    }));
    ASSERT_GT(good.size(), 64u);
    std::vector<std::vector<uint8_t>> bad;
    bad.push_back({});                                                                 // empty
    bad.push_back(std::vector<uint8_t>(good.begin(), good.begin() + good.size() / 2)); // truncated
    bad.push_back(good);
    bad.back()[0] ^= 0xFF; // the envelope's magic
    bad.push_back(good);
    bad.back()[good.size() - 5] ^= 0x5A; // inside the core's blob
    bad.push_back(good);
    bad.back().push_back(0); // a byte too many
    for (size_t i = 0; i < bad.size(); i++)
        EXPECT_THROW(P->a.dut.restore_state(bad[i]), sc_core::sc_report) << "blob " << i;
    ASSERT_TRUE(run([&] { after = regs_of(P->a); }));
    EXPECT_EQ(before, after);
    uint32_t v = 0;
    ASSERT_TRUE(run([&] { EXPECT_EQ(P->a.m.read(0x1000, &v, 4), tlm::TLM_OK_RESPONSE); }));
}

} // namespace
