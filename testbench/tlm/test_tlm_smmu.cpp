// SPDX-License-Identifier: Apache-2.0 OR MIT
// The TLM wrapper on one platform: three test masters on upstream ports 0..2, a data memory on
// `downstream`, a table memory on `table` (both on one sparse memory), a register host running
// the driver through the register socket. Built once (one elaboration per process); every test
// runs sc_start() on it.
#include "tlm_fixture.h"

#include <smmu_tlm/recorder.h>

#include "tenc_cfg.h"
#include "tenc_cmd.h"

using namespace ttlm;

namespace {

constexpr uint64_t POOL = 0x80000000, POOL_SIZE = 16 << 20;
constexpr uint64_t DMI_PA = 0x40000000; // 64 KiB DMI window of the data memory
const sc_time CFG_LAT(3, SC_NS), TLB_LAT(5, SC_NS), WALK_LAT(7, SC_NS), TABLE_LAT(11, SC_NS),
    DATA_LAT(13, SC_NS), CMD_LAT(10, SC_NS);

struct irq_counter : sc_core::sc_module {
    sc_core::sc_in<bool> in;
    int rises = 0;
    SC_HAS_PROCESS(irq_counter);
    explicit irq_counter(sc_core::sc_module_name n) : sc_module(n), in("in") {
        SC_METHOD(on_change);
        sensitive << in.pos();
        dont_initialize();
    }
    void on_change() {
        rises++;
    }
};

smmu_tlm::smmu_tlm_params dut_params() {
    smmu_tlm::smmu_tlm_params p;
    p.core.sidsize = 8;
    p.n_upstream = 3;
    p.default_sid = {1, 2, 3};
    p.timing.cfg_lookup = CFG_LAT;
    p.timing.tlb_lookup = TLB_LAT;
    p.timing.walk_cache_lookup = WALK_LAT;
    p.timing.per_command = CMD_LAT;
    p.timing.max_outstanding = 2;
    p.timing.max_walks = 1;
    return p;
}

struct platform {
    smmu_mem_t *mem = smmu_mem_new();
    test_memory table_mem{"table_mem", mem, TABLE_LAT};
    test_memory data_mem{"data_mem", mem, DATA_LAT};
    smmu_tlm::smmu dut{"smmu", dut_params()};
    test_master m0{"m0"}, m1{"m1"}, m2{"m2"};
    reg_host host{"host", mem};
    sc_core::sc_signal<bool> sync_irq{"sync_irq"}, s_sync_irq{"s_sync_irq"};
    irq_counter sync_count{"sync_count"}, s_sync_count{"s_sync_count"};
    smmu_drv_t *drv = nullptr;
    smmu_domain_t *d1 = nullptr, *d4 = nullptr, *d5 = nullptr;

    platform() {
        checked_bind(m0.socket, dut.upstream[0]);
        checked_bind(m1.socket, dut.upstream[1]);
        checked_bind(m2.socket, dut.upstream[2]);
        checked_bind(dut.downstream, data_mem.socket);
        checked_bind(dut.table, table_mem.socket);
        checked_bind(host.socket, dut.regs);
        dut.irq_cmd_sync(sync_irq);
        sync_count.in(sync_irq);
        dut.irq_s_cmd_sync(s_sync_irq);
        s_sync_count.in(s_sync_irq);
        data_mem.dmi_base = DMI_PA;
        data_mem.dmi_buf.assign(0x10000, 0);
    }
    // Programs the streams through the register socket (inside simulation).
    void program() {
        drv = host.new_driver(POOL, POOL_SIZE);
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0);
        smmu_domain_cfg_t s1{1, 1, 4096, 48, 0};
        ASSERT_EQ(smmu_drv_domain_new(drv, &s1, &d1), 0);
        const unsigned rw = SMMU_PROT_R | SMMU_PROT_W;
        ASSERT_EQ(smmu_drv_map(drv, d1, 0x10000, DMI_PA, 0x10000, rw), 0);
        ASSERT_EQ(smmu_drv_map(drv, d1, 0x20000, 0x40100000, 0x1000, rw), 0);
        ASSERT_EQ(smmu_drv_map(drv, d1, 0x21000, 0x40200000, 0x1000, rw), 0);
        ASSERT_EQ(smmu_drv_map(drv, d1, 0x22000, 0x40300000, 0x2000, rw), 0);
        ASSERT_EQ(smmu_drv_map(drv, d1, 0x30000, DMI_PA + 0xF000, 0x1000, SMMU_PROT_R), 0);
        ASSERT_EQ(smmu_drv_map(drv, d1, 0x40000, 0x40400000, 0x4000, rw), 0);
        ASSERT_EQ(smmu_drv_map(drv, d1, 0x50000, DMI_PA + 0x5000, 0x1000, rw), 0);
        ASSERT_EQ(smmu_drv_map(drv, d1, 0x1000, 0x40600000, 0x1000, rw), 0); // non-contiguous
        ASSERT_EQ(smmu_drv_map(drv, d1, 0x2000, 0x40700000, 0x1000, rw), 0); // neighbours
        ASSERT_EQ(smmu_drv_attach_s1(drv, 1, d1, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        ASSERT_EQ(smmu_drv_attach_bypass(drv, 2), 0);
        ASSERT_EQ(smmu_drv_attach_abort(drv, 3), 0);
        smmu_domain_cfg_t s4{1, 4, 4096, 48, 0};
        ASSERT_EQ(smmu_drv_domain_new(drv, &s4, &d4), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 4, d4, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        // SID 5: stage 2 whose faults stall (STE.S2S = 1, spec 5.5), written with the test
        // encoder over the driver's STE, then CFGI_STE + SYNC.
        smmu_domain_cfg_t s2{2, 5, 4096, 39, 48};
        ASSERT_EQ(smmu_drv_domain_new(drv, &s2, &d5), 0);
        ASSERT_EQ(smmu_drv_attach_s2(drv, 5, d5), 0);
        uint64_t root;
        unsigned sl, concat;
        smmu_drv_domain_geometry(d5, &root, &sl, &concat);
        ASSERT_EQ(sl, 1u);
        ASSERT_EQ(concat, 0u);
        smmu_drv_info_t info;
        smmu_drv_info(drv, &info);
        tenc::Ste ste = tenc::Ste::s2(root, 0, 64 - 39, 2 - sl, 5, 5).s2s(true);
        for (int i = 0; i < 8; i++)
            smmu_mem_write64(mem, info.strtab + 64 * 5 + 8 * i, ste.dw[i]);
        ASSERT_EQ(cmd(tenc::cfgi_ste(5)), 0);
        // SID 7: stage 1 on d1 with ATS enabled (STE.EATS = 0b01, spec 5.2)
        ASSERT_EQ(smmu_drv_attach_s1(drv, 7, d1, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        tenc::Ste ats;
        for (int i = 0; i < 8; i++)
            ats.dw[i] = smmu_mem_read64(mem, info.strtab + 64 * 7 + 8 * i);
        ats.eats(1);
        for (int i = 0; i < 8; i++)
            smmu_mem_write64(mem, info.strtab + 64 * 7 + 8 * i, ats.dw[i]);
        ASSERT_EQ(cmd(tenc::cfgi_ste(7)), 0);
        ASSERT_EQ(smmu_drv_sync(drv), 0);
    }
    int cmd(const tenc::Cmd &c) {
        return smmu_drv_cmd(drv, c.dw);
    }
    // Next stall event record of sid: its STAG, or -1.
    int stall_tag(uint32_t sid) {
        smmu_drv_event_t ev;
        while (smmu_drv_next_event(drv, &ev) == 0)
            if (ev.stall && ev.sid == sid) return ev.stag;
        return -1;
    }
    uint64_t lookups(unsigned which) {
        smmu_cache_stats_t cs;
        smmu_cache_stats(dut.core(), which, &cs);
        return cs.lookups;
    }
};

platform *P = nullptr;

class Tlm : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (P) return;
        P = new platform;
        ASSERT_TRUE(run([] { P->program(); }));
    }
    void SetUp() override {
        ASSERT_NE(P->drv, nullptr) << "platform programming failed";
    }
};

void fill(uint64_t pa, unsigned n, unsigned char seed) {
    std::vector<unsigned char> b(n);
    for (unsigned i = 0; i < n; i++)
        b[i] = (unsigned char)(seed + i);
    P->data_mem.put(pa, b.data(), n);
}

// A translated read returns the data at the output address; a write lands there.
TEST_F(Tlm, LtTranslatesAndForwards) {
    fill(0x40100010, 8, 0x30);
    ASSERT_TRUE(run([] {
        uint32_t v = 0;
        EXPECT_EQ(P->m0.read(0x20010, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0x33323130u);
        EXPECT_EQ(P->data_mem.log.back().addr, 0x40100010u);
        uint32_t w = 0xCAFEF00D;
        EXPECT_EQ(P->m0.write(0x20020, &w, 4), tlm::TLM_OK_RESPONSE);
    }));
    uint32_t back = 0;
    P->data_mem.get(0x40100020, &back, 4);
    EXPECT_EQ(back, 0xCAFEF00Du);
}

// MPAM (IHI 0070 17.2, 17.4): the downstream payload's output_extension carries the PARTID and
// PMG of the stream's STE (PARTID [287:272], PMG [327:320], 5.2), in Non-secure PARTID space
// (17.7); the SMMU's own STE fetch on `table` carries SMMU_GMPAM's SO_PARTID / SO_PMG (6.3.42:
// offset 0x138, PARTID [15:0], PMG [23:16], Update [31]).
TEST_F(Tlm, MpamLabelsReachDownstreamAndTablePayloads_17_2_17_4) {
    ASSERT_TRUE(run([] {
        uint32_t g = 1u << 31 | 2u << 16 | 0x0Bu; // GMPAM: Update, SO_PMG 2, SO_PARTID 0x0B
        ASSERT_EQ(P->host.access(tlm::TLM_WRITE_COMMAND, 0x138, &g, 4), tlm::TLM_OK_RESPONSE);
        smmu_drv_info_t info;
        smmu_drv_info(P->drv, &info);
        tenc::Ste ste; // SID 2 (m1's port): the driver's bypass STE, labelled PARTID 0x2C PMG 1
        for (int i = 0; i < 8; i++)
            ste.dw[i] = smmu_mem_read64(P->mem, info.strtab + 64 * 2 + 8 * i);
        ste.partid(0x2C).pmg(1);
        for (int i = 0; i < 8; i++)
            smmu_mem_write64(P->mem, info.strtab + 64 * 2 + 8 * i, ste.dw[i]);
        ASSERT_EQ(P->cmd(tenc::cfgi_ste(2)), 0);
        ASSERT_EQ(smmu_drv_sync(P->drv), 0);
        const size_t t0 = P->table_mem.log.size();
        uint32_t v = 0;
        EXPECT_EQ(P->m1.read(0x40500000, &v, 4), tlm::TLM_OK_RESPONSE);
        const auto &a = P->data_mem.log.back();
        ASSERT_TRUE(a.has_out);
        EXPECT_EQ(a.out.partid, 0x2Cu);
        EXPECT_EQ(a.out.pmg, 1u);
        EXPECT_TRUE(a.out.mpam_ns);
        bool ste_fetch = false; // the STE (64 bytes at its slot) fetched again after CFGI_STE
        for (size_t i = t0; i < P->table_mem.log.size(); i++) {
            const auto &t = P->table_mem.log[i];
            if (t.addr != info.strtab + 64 * 2) continue;
            ste_fetch = true;
            ASSERT_TRUE(t.has_out);
            EXPECT_EQ(t.out.partid, 0x0Bu);
            EXPECT_EQ(t.out.pmg, 2u);
            EXPECT_TRUE(t.out.mpam_ns);
        }
        EXPECT_TRUE(ste_fetch);
    }));
}

// A fault that aborts ends with TLM_ADDRESS_ERROR_RESPONSE and never reaches downstream.
TEST_F(Tlm, FaultAbortIsAddressErrorWithoutDownstreamAccess) {
    ASSERT_TRUE(run([] {
        const size_t before = P->data_mem.log.size();
        uint32_t v;
        smmu_tlm::stream_extension e4(4);
        EXPECT_EQ(P->m0.read(0x5000, &v, 4, nullptr, &e4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(P->m2.read(0x5000, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE); // STE abort
        EXPECT_EQ(P->m0.write(0x900000, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(P->data_mem.log.size(), before);
        smmu_drv_event_t ev;
        bool seen = false;
        while (smmu_drv_next_event(P->drv, &ev) == 0)
            seen = seen || (ev.sid == 4 && ev.type == SMMU_EVT_F_TRANSLATION);
        EXPECT_TRUE(seen);
    }));
}

// Register socket: aligned 4- and 8-byte accesses reach the register file, others get errors.
TEST_F(Tlm, RegisterSocketSizes) {
    ASSERT_TRUE(run([] {
        uint64_t v = 0;
        EXPECT_EQ(P->host.access(tlm::TLM_READ_COMMAND, SMMU_IDR0, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, smmu_reg_read(P->dut.core(), SMMU_IDR0, 4));
        EXPECT_EQ(P->host.access(tlm::TLM_READ_COMMAND, SMMU_IDR0, &v, 8), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, smmu_reg_read(P->dut.core(), SMMU_IDR0, 8));
        EXPECT_EQ(P->host.access(tlm::TLM_READ_COMMAND, SMMU_IDR0, &v, 2),
                  tlm::TLM_BURST_ERROR_RESPONSE);
        EXPECT_EQ(P->host.access(tlm::TLM_READ_COMMAND, SMMU_IDR0, &v, 16),
                  tlm::TLM_BURST_ERROR_RESPONSE);
        EXPECT_EQ(P->host.access(tlm::TLM_READ_COMMAND, SMMU_IDR0 + 2, &v, 4),
                  tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(P->host.access(tlm::TLM_READ_COMMAND, 0x20000, &v, 4),
                  tlm::TLM_ADDRESS_ERROR_RESPONSE);
        unsigned char be[4] = {0xFF, 0, 0xFF, 0};
        EXPECT_EQ(P->host.access(tlm::TLM_READ_COMMAND, SMMU_IDR0, &v, 4, be, 4),
                  tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    }));
}

// A register access through the socket with its security in stream_extension::secure (spec
// 6.2: the SMMU_S_* bank, page 0 0x8000.., is RAZ/WI to Non-secure accesses).
tlm::tlm_response_status reg_access(tlm::tlm_command cmd, uint64_t off, uint64_t *v, bool secure) {
    tlm::tlm_generic_payload gp;
    test_master::setup(gp, cmd, off, v, 4);
    smmu_tlm::stream_extension se;
    se.secure = secure;
    gp.set_extension(&se);
    sc_time d = SC_ZERO_TIME;
    P->host.socket->b_transport(gp, d);
    gp.clear_extension(&se);
    sc_core::wait(d > SC_ZERO_TIME ? d : sc_time(1, SC_NS));
    return gp.get_response_status();
}

// SMMU_S_IDR1 (0x8004, 6.3.53): SECURE_IMPL [31], S_SIDSIZE [5:0] (8 here) to a Secure access,
// zero to a Non-secure one; S_CR0 (0x8020) written by a Non-secure access stays 0.
TEST_F(Tlm, RegisterSocketTakesSecurityFromStreamExtension_6_2) {
    ASSERT_TRUE(run([] {
        uint64_t v = 0;
        EXPECT_EQ(reg_access(tlm::TLM_READ_COMMAND, 0x8004, &v, true), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, (1u << 31) | 8u);
        v = 0xFFFF;
        EXPECT_EQ(reg_access(tlm::TLM_READ_COMMAND, 0x8004, &v, false), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0u);
        v = 1u << 2; // S_CR0.EVENTQEN
        EXPECT_EQ(reg_access(tlm::TLM_WRITE_COMMAND, 0x8020, &v, false), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(reg_access(tlm::TLM_READ_COMMAND, 0x8020, &v, true), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0u);
    }));
}

// The Secure Command queue is consumed by the wrapper too, and a CMD_SYNC with SIG_IRQ on it
// pulses irq_s_cmd_sync, not irq_cmd_sync (3.10.2.1, 4.7.3).
TEST_F(Tlm, SecureCommandQueueSyncPulsesSecureIrq_4_7_3) {
    ASSERT_TRUE(run([] {
        const uint64_t q = 0x38000000;
        tenc::Cmd c = tenc::cmd_sync(tenc::CS_IRQ);
        smmu_mem_write64(P->mem, q, c.dw[0]);
        smmu_mem_write64(P->mem, q + 8, c.dw[1]);
        const int ns_before = P->sync_count.rises;
        uint64_t v = q | 4; // S_CMDQ_BASE (0x8090): 16 entries
        reg_access(tlm::TLM_WRITE_COMMAND, 0x8090, &v, true);
        v = q >> 32;
        reg_access(tlm::TLM_WRITE_COMMAND, 0x8094, &v, true);
        v = 1u << 3; // S_CR0.CMDQEN
        reg_access(tlm::TLM_WRITE_COMMAND, 0x8020, &v, true);
        v = 1; // S_CMDQ_PROD
        reg_access(tlm::TLM_WRITE_COMMAND, 0x8098, &v, true);
        sc_core::wait(1, sc_core::SC_US);
        reg_access(tlm::TLM_READ_COMMAND, 0x809C, &v, true); // S_CMDQ_CONS
        EXPECT_EQ(v, 1u);
        EXPECT_EQ(P->s_sync_count.rises, 1);
        EXPECT_EQ(P->sync_count.rises, ns_before);
    }));
}

// The wrapper gives the core an atomic compare-and-swap on `table` (HTTU, spec 3.13), so the
// default IDR0.HTTU, bits [7:6] (6.3.1), reads 0b11 (Access flag and dirty state, and Access
// flag for Table descriptors) through the register socket.
TEST_F(Tlm, IdrReportsHttuThroughTableCas_6_3_1) {
    ASSERT_TRUE(run([] {
        uint64_t v = 0;
        EXPECT_EQ(P->host.access(tlm::TLM_READ_COMMAND, SMMU_IDR0, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ((v >> 6) & 3, 3u);
    }));
}

// A stalled read blocks its b_transport until CMD_RESUME retries it; the retry, after the
// driver mapped the page, succeeds (spec 3.12.2, 4.7.1).
TEST_F(Tlm, StallBlocksUntilResumeThenRetrySucceeds) {
    fill(0x40500000, 4, 0x50);
    bool done = false;
    tlm::tlm_response_status st = tlm::TLM_INCOMPLETE_RESPONSE;
    uint32_t v = 0;
    sc_time t_done, t_resume;
    const uint64_t stalls = P->dut.stats().stalls;
    spawn([&] {
        smmu_tlm::stream_extension e5(5);
        st = P->m0.read(0x100000, &v, 4, nullptr, &e5);
        t_done = sc_core::sc_time_stamp();
        done = true;
    });
    ASSERT_TRUE(run([&] {
        sc_core::wait(sc_time(500, SC_NS));
        EXPECT_FALSE(done);
        EXPECT_EQ(P->dut.stats().stalls, stalls + 1);
        int stag = P->stall_tag(5);
        ASSERT_GE(stag, 0);
        ASSERT_EQ(
            smmu_drv_map(P->drv, P->d5, 0x100000, 0x40500000, 0x1000, SMMU_PROT_R | SMMU_PROT_W),
            0);
        t_resume = sc_core::sc_time_stamp();
        EXPECT_FALSE(done);
        ASSERT_EQ(P->cmd(tenc::resume(5, (unsigned)stag, true)), 0);
        ASSERT_EQ(smmu_drv_sync(P->drv), 0);
        for (int i = 0; i < 100 && !done; i++)
            sc_core::wait(sc_time(10, SC_NS));
    }));
    ASSERT_TRUE(done);
    EXPECT_EQ(st, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(v, 0x53525150u);
    EXPECT_GT(t_done, t_resume);
}

// Resolves a stalled access of sid 5 at iova with CMD_RESUME (no retry, abort as given).
void stall_and_terminate(uint64_t iova, bool write, bool abort, tlm::tlm_response_status &st,
                         uint32_t &v) {
    bool done = false;
    spawn([&] {
        smmu_tlm::stream_extension e5(5);
        st = write ? P->m0.write(iova, &v, 4, nullptr, &e5) : P->m0.read(iova, &v, 4, nullptr, &e5);
        done = true;
    });
    ASSERT_TRUE(run([&] {
        sc_core::wait(sc_time(200, SC_NS));
        EXPECT_FALSE(done);
        int stag = P->stall_tag(5);
        ASSERT_GE(stag, 0);
        ASSERT_EQ(P->cmd(tenc::resume(5, (unsigned)stag, false, abort)), 0);
        ASSERT_EQ(smmu_drv_sync(P->drv), 0);
        for (int i = 0; i < 100 && !done; i++)
            sc_core::wait(sc_time(10, SC_NS));
    }));
    EXPECT_TRUE(done);
}

// CMD_RESUME with Abort = 1 ends the stalled transaction with an abort.
TEST_F(Tlm, StallResumeAbortIsAddressError) {
    tlm::tlm_response_status st;
    uint32_t v = 0x12345678;
    const size_t before = P->data_mem.log.size();
    stall_and_terminate(0x200000, false, true, st, v);
    EXPECT_EQ(st, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(P->data_mem.log.size(), before);
}

// CMD_RESUME with Abort = 0 completes it RAZ/WI: reads give zeros, writes are dropped.
TEST_F(Tlm, StallResumeRazWiReadsZeroAndDropsWrites) {
    tlm::tlm_response_status st;
    uint32_t v = 0x12345678;
    const size_t before = P->data_mem.log.size();
    const uint64_t razwi = P->dut.stats().razwi;
    stall_and_terminate(0x300000, false, false, st, v);
    EXPECT_EQ(st, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(v, 0u);
    v = 0xAABBCCDD;
    stall_and_terminate(0x301000, true, false, st, v);
    EXPECT_EQ(st, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(P->data_mem.log.size(), before);
    EXPECT_EQ(P->dut.stats().razwi, razwi + 2);
}

// A Secure stream's stalled transaction is held by the wrapper like a Non-secure one: its
// record is in the Secure Event queue, a Non-secure CMD_RESUME leaves it stalled (4.7.1), and
// CMD_RESUME(SSec = 1, Abort = 1) from the Secure Command queue ends it with an abort (3.12.2).
// The Secure structures are programmed through Secure register accesses (6.3.57-6.3.79: S_CR0
// 0x8020, S_STRTAB_BASE 0x8080 / _CFG 0x8088, S_CMDQ_BASE 0x8090 / PROD 0x8098, S_EVENTQ_BASE
// 0x80A0 / PROD 0x80A8).
TEST_F(Tlm, SecureStallHeldUntilSecureResume_3_12_2) {
    const uint64_t strtab = 0x39000000, cdtab = 0x39100000, l1 = 0x39200000, evtq = 0x39300000,
                   cmdq = 0x39400000;
    const uint32_t sid = 7;
    const tenc::Ste ste = tenc::Ste::s1(cdtab);
    for (unsigned i = 0; i < 8; i++)
        smmu_mem_write64(P->mem, strtab + 64 * sid + 8 * i, ste.dw[i]);
    const tenc::Cd cd = tenc::Cd::s1(l1, 25).s(true); // empty level-1 table: F_TRANSLATION
    for (unsigned i = 0; i < 8; i++)
        smmu_mem_write64(P->mem, cdtab + 8 * i, cd.dw[i]);
    bool done = false;
    tlm::tlm_response_status st = tlm::TLM_INCOMPLETE_RESPONSE;
    uint32_t v = 0;
    ASSERT_TRUE(run([&] {
        auto ws = [](uint64_t off, uint64_t val) {
            reg_access(tlm::TLM_WRITE_COMMAND, off, &val, true);
        };
        ws(0x8020, 0); // the platform is shared: earlier tests may have enabled a queue
        ws(0x8080, strtab);
        ws(0x8084, strtab >> 32);
        ws(0x8088, 8); // linear, LOG2SIZE 8
        ws(0x8090, cmdq | 4);
        ws(0x8094, cmdq >> 32);
        ws(0x80A0, evtq | 4);
        ws(0x80A4, evtq >> 32);
        for (uint64_t ptr : {0x8098, 0x809C, 0x80A8, 0x80AC}) // the queues' PROD and CONS
            ws(ptr, 0);
        ws(0x8020, 0xD); // SMMUEN, EVENTQEN, CMDQEN
        spawn([&] {
            smmu_tlm::stream_extension e(sid);
            e.secure = true;
            st = P->m0.read(0x40001000, &v, 4, nullptr, &e);
            done = true;
        });
        sc_core::wait(sc_time(500, SC_NS));
        EXPECT_FALSE(done);
        uint64_t prod = 0;
        reg_access(tlm::TLM_READ_COMMAND, 0x80A8, &prod, true);
        ASSERT_EQ(prod, 1u);
        // record 0: StreamID [63:32], STAG [79:64], Stall [95] (7.3.10)
        const uint64_t dw0 = smmu_mem_read64(P->mem, evtq), dw1 = smmu_mem_read64(P->mem, evtq + 8);
        EXPECT_EQ(dw0 >> 32, sid);
        EXPECT_EQ((dw1 >> 31) & 1, 1u);
        const unsigned stag = (unsigned)(dw1 & 0xFFFF);
        ASSERT_EQ(P->cmd(tenc::resume(sid, stag, false, true)), 0); // Non-secure queue
        ASSERT_EQ(smmu_drv_sync(P->drv), 0);
        sc_core::wait(sc_time(200, SC_NS));
        EXPECT_FALSE(done);
        const tenc::Cmd c = tenc::resume(sid, stag, false, true).ssec(true);
        smmu_mem_write64(P->mem, cmdq, c.dw[0]);
        smmu_mem_write64(P->mem, cmdq + 8, c.dw[1]);
        ws(0x8098, 1);
        for (int i = 0; i < 100 && !done; i++)
            sc_core::wait(sc_time(10, SC_NS));
        ws(0x8020, 0);
    }));
    ASSERT_TRUE(done);
    EXPECT_EQ(st, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

// nb_transport payloads have a memory manager (IEEE 1666-2011 14.5); the master holds one
// reference of its own.
struct counting_mm : tlm::tlm_mm_interface {
    int freed = 0;
    void free(tlm::tlm_generic_payload *gp) override {
        freed++;
        gp->reset();
    }
};

// AT: BEGIN_REQ is accepted with END_REQ; BEGIN_RESP follows with the data; END_RESP ends it.
// The response exclusion rule holds: a second response waits for the first END_RESP.
TEST_F(Tlm, AtPhasesForwardAndRespectResponseExclusion) {
    fill(0x40100040, 4, 0x60);
    fill(0x40100080, 4, 0x70);
    ASSERT_TRUE(run([] {
        test_master &m = P->m0;
        m.at_log.clear();
        uint32_t a = 0, b = 0;
        counting_mm mm;
        tlm::tlm_generic_payload ga(&mm), gb(&mm);
        ga.acquire();
        gb.acquire();
        test_master::setup(ga, tlm::TLM_READ_COMMAND, 0x20040, &a, 4);
        test_master::setup(gb, tlm::TLM_READ_COMMAND, 0x20080, &b, 4);
        tlm::tlm_phase ph = tlm::BEGIN_REQ;
        sc_time d(5, SC_NS);
        EXPECT_EQ(m.socket->nb_transport_fw(ga, ph, d), tlm::TLM_UPDATED);
        EXPECT_EQ(ph, tlm::END_REQ);
        ph = tlm::BEGIN_REQ;
        d = SC_ZERO_TIME;
        EXPECT_EQ(m.socket->nb_transport_fw(gb, ph, d), tlm::TLM_UPDATED);
        EXPECT_EQ(ph, tlm::END_REQ);
        sc_core::wait(sc_time(1, sc_core::SC_US));
        ASSERT_EQ(m.at_log.size(), 1u); // the second waits for END_RESP of the first
        EXPECT_EQ(m.at_log[0].ph, tlm::BEGIN_RESP);
        tlm::tlm_generic_payload *first = m.at_log[0].gp;
        EXPECT_EQ(first->get_response_status(), tlm::TLM_OK_RESPONSE);
        ph = tlm::END_RESP;
        d = SC_ZERO_TIME;
        EXPECT_EQ(m.socket->nb_transport_fw(*first, ph, d), tlm::TLM_COMPLETED);
        sc_core::wait(sc_time(100, SC_NS));
        ASSERT_EQ(m.at_log.size(), 2u);
        ph = tlm::END_RESP;
        d = SC_ZERO_TIME;
        EXPECT_EQ(m.socket->nb_transport_fw(*m.at_log[1].gp, ph, d), tlm::TLM_COMPLETED);
        EXPECT_EQ(ga.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(gb.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(a, 0x63626160u);
        EXPECT_EQ(b, 0x73727170u);
        sc_core::wait(sc_time(100, SC_NS));
        EXPECT_EQ(ga.get_ref_count(), 1); // only the master's own reference is left
        EXPECT_EQ(gb.get_ref_count(), 1);
        ga.release();
        gb.release();
    }));
}

// A payload with a memory manager is held (acquire) while outstanding and released after
// END_RESP, so the master's pool gets it back exactly once.
TEST_F(Tlm, AtPayloadWithMemoryManagerIsReleasedAfterEndResp) {
    counting_mm mm;
    tlm::tlm_generic_payload *g = new tlm::tlm_generic_payload(&mm);
    uint32_t a = 0;
    ASSERT_TRUE(run([&] {
        test_master &m = P->m0;
        m.at_log.clear();
        test_master::setup(*g, tlm::TLM_READ_COMMAND, 0x20040, &a, 4);
        g->acquire(); // the master's own reference
        tlm::tlm_phase ph = tlm::BEGIN_REQ;
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(m.socket->nb_transport_fw(*g, ph, d), tlm::TLM_UPDATED);
        sc_core::wait(sc_time(1, sc_core::SC_US));
        ASSERT_EQ(m.at_log.size(), 1u);
        EXPECT_EQ(g->get_ref_count(), 2); // the SMMU still holds it until END_RESP
        ph = tlm::END_RESP;
        d = SC_ZERO_TIME;
        EXPECT_EQ(m.socket->nb_transport_fw(*g, ph, d), tlm::TLM_COMPLETED);
        sc_core::wait(sc_time(100, SC_NS));
        EXPECT_EQ(g->get_ref_count(), 1);
        g->release();
    }));
    EXPECT_EQ(mm.freed, 1);
    delete g;
}

// AT: a fault is answered in BEGIN_RESP with TLM_ADDRESS_ERROR_RESPONSE.
TEST_F(Tlm, AtFaultIsAddressErrorInBeginResp) {
    ASSERT_TRUE(run([] {
        test_master &m = P->m0;
        m.at_log.clear();
        m.accept_resp_now = true;
        uint32_t a = 0;
        counting_mm mm;
        tlm::tlm_generic_payload g(&mm);
        g.acquire();
        test_master::setup(g, tlm::TLM_READ_COMMAND, 0x900000, &a, 4);
        tlm::tlm_phase ph = tlm::BEGIN_REQ;
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(m.socket->nb_transport_fw(g, ph, d), tlm::TLM_UPDATED);
        sc_core::wait(sc_time(1, sc_core::SC_US));
        ASSERT_EQ(m.at_log.size(), 1u);
        EXPECT_EQ(g.get_response_status(), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        m.accept_resp_now = false;
        g.release();
    }));
}

// DMI: the grant is the intersection of the translated page and the memory's grant, mapped
// back into the device's address space, with the page's permissions.
TEST_F(Tlm, DmiGrantIsIntersectionInDeviceSpace) {
    tlm::tlm_generic_payload gp;
    uint32_t v;
    test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x13900, &v, 4);
    tlm::tlm_dmi dmi;
    ASSERT_TRUE(P->m0.socket->get_direct_mem_ptr(gp, dmi));
    EXPECT_EQ(dmi.get_start_address(), 0x13800u); // the memory grants 2 KiB pieces
    EXPECT_EQ(dmi.get_end_address(), 0x13FFFu);
    EXPECT_EQ(dmi.get_dmi_ptr(), P->data_mem.dmi_buf.data() + 0x3800);
    EXPECT_TRUE(dmi.is_read_write_allowed());
    // a read-only page gives a read-only grant
    test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x30010, &v, 4);
    tlm::tlm_dmi ro;
    ASSERT_TRUE(P->m0.socket->get_direct_mem_ptr(gp, ro));
    EXPECT_TRUE(ro.is_read_allowed());
    EXPECT_FALSE(ro.is_write_allowed());
    EXPECT_EQ(ro.get_dmi_ptr(), P->data_mem.dmi_buf.data() + 0xF000);
    // an unmapped page gets none
    test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x900000, &v, 4);
    tlm::tlm_dmi none;
    EXPECT_FALSE(P->m0.socket->get_direct_mem_ptr(gp, none));
}

// A DMI request names the access it wants; a write on a read-only mapping gets a read-only
// grant (IEEE 1666-2011 11.2: the target may grant less than requested) instead of none.
TEST_F(Tlm, DmiWriteRequestOnReadOnlyMappingGrantsReadOnly) {
    tlm::tlm_generic_payload gp;
    uint32_t v = 0;
    test_master::setup(gp, tlm::TLM_WRITE_COMMAND, 0x30010, &v, 4);
    tlm::tlm_dmi ro;
    ASSERT_TRUE(P->m0.socket->get_direct_mem_ptr(gp, ro));
    EXPECT_TRUE(ro.is_read_allowed());
    EXPECT_FALSE(ro.is_write_allowed());
    EXPECT_EQ(ro.get_dmi_ptr(), P->data_mem.dmi_buf.data() + 0xF000);
}

// Revocation is scoped (docs/tlm.md, DMI): a TLBI by VA revokes the grant of the unmapped page
// on the port that holds it, nothing on the other ports, and a CFGI_STE only the grants of its
// StreamID.
TEST_F(Tlm, DmiRevokedOnlyWhereTlbiAndCfgiReach) {
    auto grant = [](test_master &m, uint64_t a, smmu_tlm::stream_extension *se = nullptr) {
        tlm::tlm_generic_payload gp;
        uint32_t v;
        test_master::setup(gp, tlm::TLM_READ_COMMAND, a, &v, 4);
        if (se) gp.set_extension(se);
        tlm::tlm_dmi dmi;
        const bool ok = m.socket->get_direct_mem_ptr(gp, dmi);
        if (se) gp.clear_extension(se);
        return ok;
    };
    auto covers = [](const test_master &m, uint64_t a) {
        for (const auto &r : m.invalidations)
            if (r.first <= a && a <= r.second) return true;
        return false;
    };
    ASSERT_TRUE(run([&] {
        ASSERT_TRUE(grant(P->m0, 0x50000));         // SID 1, stage 1 (ASID 1)
        ASSERT_TRUE(grant(P->m0, 0x10000));         // SID 1, another page
        ASSERT_TRUE(grant(P->m1, DMI_PA + 0x8000)); // SID 2, bypass
        P->m0.invalidations.clear();
        P->m1.invalidations.clear();
        ASSERT_EQ(smmu_drv_unmap(P->drv, P->d1, 0x50000, 0x1000), 0); // TLBI_NH_VA + SYNC
        EXPECT_TRUE(covers(P->m0, 0x50000));
        EXPECT_FALSE(covers(P->m0, 0x10000)) << "a TLBI by VA revoked another page";
        EXPECT_TRUE(P->m1.invalidations.empty()) << "a port without a covered grant was hit";
        tlm::tlm_generic_payload gp;
        uint32_t v;
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x50000, &v, 4);
        tlm::tlm_dmi dmi;
        EXPECT_FALSE(P->m0.socket->get_direct_mem_ptr(gp, dmi)); // unmapped now
        P->m0.invalidations.clear();
        ASSERT_EQ(smmu_drv_attach_bypass(P->drv, 6), 0); // CFGI_STE 6 + SYNC
        EXPECT_TRUE(P->m0.invalidations.empty());
        EXPECT_TRUE(P->m1.invalidations.empty());
        ASSERT_EQ(smmu_drv_attach_bypass(P->drv, 2), 0); // CFGI_STE 2 + SYNC: SID 2's grant
        EXPECT_TRUE(covers(P->m1, DMI_PA + 0x8000));
        EXPECT_TRUE(P->m0.invalidations.empty());
        ASSERT_EQ(smmu_drv_map(P->drv, P->d1, 0x50000, DMI_PA + 0x5000, 0x1000,
                               SMMU_PROT_R | SMMU_PROT_W),
                  0); // back for the other tests
    }));
}

// Spec 3.17: a broadcast TLBI (VAAE1IS at 0x50000) revokes the DMI grants it reaches and no
// other; with CR2.PTM == 1 it would be ignored (Btm.* in the core suite).
TEST_F(Tlm, BroadcastTlbiRevokesDmiOfItsScope_3_17) {
    auto covers = [](const test_master &m, uint64_t a) {
        for (const auto &r : m.invalidations)
            if (r.first <= a && a <= r.second) return true;
        return false;
    };
    ASSERT_TRUE(run([&] {
        // Our driver opts out (CR2.PTM = 1, 6.3.12); join: SMMUEN off, PTM 0, back on.
        smmu_t *c = P->dut.core();
        const uint64_t cr0 = smmu_reg_read(c, 0x20, 4); // SMMU_CR0
        smmu_reg_write(c, 0x20, 0, 4);
        smmu_reg_write(c, 0x2C, smmu_reg_read(c, 0x2C, 4) & ~4ull, 4); // SMMU_CR2.PTM = 0
        smmu_reg_write(c, 0x20, cr0, 4);
        for (uint64_t a : {0x50000ull, 0x10000ull}) {
            tlm::tlm_generic_payload gp;
            uint32_t v;
            test_master::setup(gp, tlm::TLM_READ_COMMAND, a, &v, 4);
            tlm::tlm_dmi dmi;
            ASSERT_TRUE(P->m0.socket->get_direct_mem_ptr(gp, dmi)); // SID 1, stage 1
        }
        P->m0.invalidations.clear();
        smmu_dvm_tlbi_t op{};
        op.op = SMMU_DVM_VAA;
        op.addr = 0x50000;
        EXPECT_TRUE(P->dut.broadcast_tlbi(op));
        EXPECT_TRUE(covers(P->m0, 0x50000));
        EXPECT_FALSE(covers(P->m0, 0x10000)) << "a broadcast by VA revoked another page";
    }));
}

// A second device keeps its DMI while the first unmaps (strict-mode unmaps cost only the
// unmapping device its grant), and an ASID-wide TLBI revokes only that ASID's grants.
TEST_F(Tlm, DmiSecondDeviceKeepsGrantWhileFirstUnmaps) {
    ASSERT_TRUE(run([&] {
        ASSERT_EQ(smmu_drv_map(P->drv, P->d4, 0x70000, DMI_PA + 0x7000, 0x1000,
                               SMMU_PROT_R | SMMU_PROT_W),
                  0);
        ASSERT_EQ(smmu_drv_map(P->drv, P->d1, 0x60000, DMI_PA + 0x6000, 0x1000,
                               SMMU_PROT_R | SMMU_PROT_W),
                  0);
        smmu_tlm::stream_extension sid4(4);
        tlm::tlm_generic_payload gp;
        uint32_t v;
        tlm::tlm_dmi d0, d2;
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x60000, &v, 4);
        ASSERT_TRUE(P->m0.socket->get_direct_mem_ptr(gp, d0)); // SID 1
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x70000, &v, 4);
        gp.set_extension(&sid4);
        ASSERT_TRUE(P->m2.socket->get_direct_mem_ptr(gp, d2)); // SID 4 on port 2
        gp.clear_extension(&sid4);
        P->m0.invalidations.clear();
        P->m2.invalidations.clear();
        for (int i = 0; i < 4; i++) { // device 1 maps and unmaps repeatedly
            ASSERT_EQ(smmu_drv_map(P->drv, P->d1, 0x80000, DMI_PA + 0x8000, 0x1000, SMMU_PROT_R),
                      0);
            ASSERT_EQ(smmu_drv_unmap(P->drv, P->d1, 0x80000, 0x1000), 0);
        }
        EXPECT_TRUE(P->m2.invalidations.empty()) << "device 2 lost its DMI to device 1's unmap";
        EXPECT_EQ(P->dut.dmi_regions(2).size(), 1u);
        // TLBI_NH_ASID of device 2's ASID: its grant goes, device 1's stays
        ASSERT_EQ(P->cmd(tenc::tlbi_nh_asid(0, 4)), 0);
        ASSERT_EQ(smmu_drv_sync(P->drv), 0);
        EXPECT_FALSE(P->m2.invalidations.empty());
        EXPECT_TRUE(P->dut.dmi_regions(2).empty());
        bool m0_page = false;
        for (const auto &r : P->dut.dmi_regions(0))
            m0_page = m0_page || (r.start <= 0x60000 && 0x60000 <= r.end);
        EXPECT_TRUE(m0_page) << "an ASID 4 invalidation revoked an ASID 1 grant";
    }));
}

// A DMI invalidation from the downstream memory reaches only the grants whose output range it
// meets, as the matching part of each device's address range.
TEST_F(Tlm, DownstreamDmiInvalidationRevokesOnlyOverlappingGrants) {
    ASSERT_TRUE(run([&] {
        tlm::tlm_generic_payload gp;
        uint32_t v;
        tlm::tlm_dmi a, b;
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x13900, &v, 4);
        ASSERT_TRUE(P->m0.socket->get_direct_mem_ptr(gp, a)); // PA DMI_PA + 0x3800..0x3FFF
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x10100, &v, 4);
        ASSERT_TRUE(P->m0.socket->get_direct_mem_ptr(gp, b)); // PA DMI_PA + 0x0000..0x07FF
        P->m0.invalidations.clear();
        P->m1.invalidations.clear();
        P->m2.invalidations.clear();
        P->data_mem.socket->invalidate_direct_mem_ptr(DMI_PA + 0x3900, DMI_PA + 0x39FF);
        ASSERT_EQ(P->m0.invalidations.size(), 1u);
        EXPECT_EQ(P->m0.invalidations[0].first, 0x13900u); // in the device's address space
        EXPECT_EQ(P->m0.invalidations[0].second, 0x139FFu);
        EXPECT_TRUE(P->m1.invalidations.empty());
        EXPECT_TRUE(P->m2.invalidations.empty());
    }));
}

// transport_dbg translates without side effects: no statistics, no cache activity, no event,
// no timed table or data access; a faulting debug access transfers nothing.
TEST_F(Tlm, DebugTransportHasNoSideEffects) {
    fill(0x40200100, 4, 0x90);
    smmu_stats_t s0, s1;
    smmu_get_stats(P->dut.core(), &s0);
    uint64_t tlb0 = P->lookups(SMMU_CACHE_TLB), ste0 = P->lookups(SMMU_CACHE_STE);
    uint64_t prod0 = smmu_reg_read(P->dut.core(), SMMU_EVENTQ_PROD, 4);
    size_t tl = P->table_mem.log.size(), dl = P->data_mem.log.size();
    const uint64_t tx = P->dut.stats().transactions;

    tlm::tlm_generic_payload gp;
    uint32_t v = 0;
    test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x21100, &v, 4);
    EXPECT_EQ(P->m0.socket->transport_dbg(gp), 4u);
    EXPECT_EQ(v, 0x93929190u);
    smmu_tlm::stream_extension e4(4);
    test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x7000, &v, 4);
    gp.set_extension(&e4);
    EXPECT_EQ(P->m0.socket->transport_dbg(gp), 0u);
    gp.clear_extension(&e4);

    smmu_get_stats(P->dut.core(), &s1);
    EXPECT_EQ(s1.translations, s0.translations);
    EXPECT_EQ(s1.faults, s0.faults);
    EXPECT_EQ(s1.events_written, s0.events_written);
    EXPECT_EQ(P->lookups(SMMU_CACHE_TLB), tlb0);
    EXPECT_EQ(P->lookups(SMMU_CACHE_STE), ste0);
    EXPECT_EQ(smmu_reg_read(P->dut.core(), SMMU_EVENTQ_PROD, 4), prod0);
    EXPECT_EQ(P->table_mem.log.size(), tl);
    EXPECT_EQ(P->data_mem.log.size(), dl);
    EXPECT_EQ(P->dut.stats().transactions, tx);
}

// The annotated delay is the sum of the configured latency of every cache lookup, the table
// memory's latency for every table access, and the data memory's latency (plus the port's
// micro-TLB lookup, which misses: the TLB hit of the second pass is port 1's, for StreamID 1
// whose entry port 0's micro-TLB holds).
TEST_F(Tlm, TimingIsSumOfLookupsAndMemoryLatencies) {
    ASSERT_TRUE(run([] {
        for (int pass = 0; pass < 2; pass++) { // a TLB miss, then a hit
            uint64_t l0[SMMU_CACHE_COUNT], l1[SMMU_CACHE_COUNT];
            for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++)
                l0[i] = P->lookups(i);
            const size_t t0 = P->table_mem.log.size();
            uint32_t v;
            sc_time d;
            smmu_tlm::stream_extension sid1(1);
            test_master &m = pass ? P->m1 : P->m0;
            EXPECT_EQ(m.read(0x40000 + 8 * pass, &v, 4, &d, &sid1), tlm::TLM_OK_RESPONSE);
            for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++)
                l1[i] = P->lookups(i);
            auto n = [&](unsigned i) { return (double)(l1[i] - l0[i]); };
            const sc_time expect =
                CFG_LAT * (n(SMMU_CACHE_STE) + n(SMMU_CACHE_CD) + n(SMMU_CACHE_L1)) +
                TLB_LAT * (n(SMMU_CACHE_TLB) + n(SMMU_CACHE_IPA)) + WALK_LAT * n(SMMU_CACHE_WALK) +
                TABLE_LAT * (double)(P->table_mem.log.size() - t0) + DATA_LAT +
                P->dut.params().timing.utlb_latency;
            EXPECT_EQ(d, expect) << "pass " << pass;
            EXPECT_GE(n(SMMU_CACHE_TLB), 1.0);
            if (pass == 0) {
                EXPECT_GT(P->table_mem.log.size(), t0);
            }
        }
    }));
}

// With one walk slot, two masters that both miss the TLB at the same moment contend: one of
// them waits for the other's walk.
TEST_F(Tlm, WalkSlotsMakeMastersContend) {
    sc_time d1, d2;
    const sc_time w0 = P->dut.stats().walk_wait;
    spawn([&] {
        uint32_t v;
        P->m0.read(0x22000, &v, 4, &d1);
    });
    ASSERT_TRUE(run([&] {
        uint32_t v;
        smmu_tlm::stream_extension e1(1);
        P->m1.read(0x23000, &v, 4, &d2, &e1);
    }));
    EXPECT_NE(d1, d2);
    EXPECT_GT(P->dut.stats().walk_wait, w0);
}

// A transaction crossing a page boundary is split into one downstream access per page, each
// with its own output address.
TEST_F(Tlm, SplitAcrossPageGoesToEachPagesOutputAddress) {
    const uint64_t splits = P->dut.stats().splits;
    ASSERT_TRUE(run([] {
        const size_t l0 = P->data_mem.log.size();
        unsigned char w[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        EXPECT_EQ(P->m0.write(0x20FFC, w, 8), tlm::TLM_OK_RESPONSE);
        ASSERT_EQ(P->data_mem.log.size(), l0 + 2);
        EXPECT_EQ(P->data_mem.log[l0].addr, 0x40100FFCu);
        EXPECT_EQ(P->data_mem.log[l0].len, 4u);
        EXPECT_EQ(P->data_mem.log[l0 + 1].addr, 0x40200000u);
        EXPECT_EQ(P->data_mem.log[l0 + 1].len, 4u);
        unsigned char r[8] = {};
        EXPECT_EQ(P->m0.read(0x20FFC, r, 8), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(std::memcmp(r, w, 8), 0);
    }));
    uint32_t hi = 0;
    P->data_mem.get(0x40200000, &hi, 4);
    EXPECT_EQ(hi, 0x08070605u);
    EXPECT_EQ(P->dut.stats().splits, splits + 2);
}

// IEEE 1666-2011 14.15: a streaming width above the data length means no streaming, and no
// component may change it. Downstream and upstream both see the initiator's 64.
TEST_F(Tlm, StreamingWidthAboveLengthIsForwardedUnchanged_14_15) {
    ASSERT_TRUE(run([] {
        const size_t l0 = P->data_mem.log.size();
        unsigned char b[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        tlm::tlm_generic_payload gp;
        sc_time d = SC_ZERO_TIME;
        test_master::setup(gp, tlm::TLM_WRITE_COMMAND, 0x1010, b, 8);
        gp.set_streaming_width(64);
        P->m0.socket->b_transport(gp, d);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
        ASSERT_EQ(P->data_mem.log.size(), l0 + 1);
        EXPECT_EQ(P->data_mem.log.back().addr, 0x40600010u);
        EXPECT_EQ(P->data_mem.log.back().sw, 64u) << "downstream";
        EXPECT_EQ(gp.get_streaming_width(), 64u) << "upstream, afterwards";
        EXPECT_EQ(gp.get_address(), 0x1010u);
        sc_core::wait(d);
    }));
}

// IEEE 1666-2011 14.7, 14.11-14.15: an interconnect may not change the initiator's data
// pointer, length, byte enables or streaming width, nor send its payload downstream twice. A
// 16-byte access over two pages with non-contiguous output addresses goes downstream as two
// payloads of the SMMU's own (data into the initiator's array, byte enables of each piece);
// the upstream payload keeps every attribute and gets the status and the data.
TEST_F(Tlm, SplitGoesDownstreamAsPayloadsOfTheSmmusOwn_14_7) {
    ASSERT_TRUE(run([] {
        unsigned char w[16], r[16] = {};
        for (int i = 0; i < 16; i++)
            w[i] = (unsigned char)(0xA0 + i);
        unsigned char be[4] = {0xFF, 0xFF, 0x00, 0xFF}; // repeats every 4 bytes (14.13)
        tlm::tlm_generic_payload gp;
        sc_time d = SC_ZERO_TIME;
        test_master::setup(gp, tlm::TLM_WRITE_COMMAND, 0x1FF8, w, 16);
        gp.set_byte_enable_ptr(be);
        gp.set_byte_enable_length(4);
        const size_t l0 = P->data_mem.log.size();
        P->m0.socket->b_transport(gp, d);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
        ASSERT_EQ(P->data_mem.log.size(), l0 + 2);
        for (size_t i = 0; i < 2; i++) {
            const auto &a = P->data_mem.log[l0 + i];
            EXPECT_NE(a.gp, &gp) << "piece " << i << " reused the upstream payload";
            EXPECT_EQ(a.len, 8u);
            EXPECT_EQ(a.sw, 8u);
            EXPECT_EQ(a.data, w + 8 * i);
            EXPECT_NE(a.be, be) << "the piece has byte enables of its own";
            EXPECT_EQ(a.bel, 8u);
        }
        EXPECT_EQ(P->data_mem.log[l0].addr, 0x40600FF8u);
        EXPECT_EQ(P->data_mem.log[l0 + 1].addr, 0x40700000u);
        // the upstream payload is untouched but for status and data
        EXPECT_EQ(gp.get_address(), 0x1FF8u);
        EXPECT_EQ(gp.get_data_ptr(), w);
        EXPECT_EQ(gp.get_data_length(), 16u);
        EXPECT_EQ(gp.get_streaming_width(), 16u);
        EXPECT_EQ(gp.get_byte_enable_ptr(), be);
        EXPECT_EQ(gp.get_byte_enable_length(), 4u);
        EXPECT_FALSE(gp.is_dmi_allowed());
        EXPECT_EQ(gp.get_extension<smmu_tlm::output_extension>(), nullptr);
        // byte 2 of every 4 was disabled: memory keeps what it had there
        std::vector<unsigned char> old(16, 0);
        P->data_mem.get(0x40600FF8, old.data(), 8);
        P->data_mem.get(0x40700000, old.data() + 8, 8);
        for (int i = 0; i < 16; i++)
            if (i % 4 != 2) {
                EXPECT_EQ(old[(size_t)i], w[i]) << i;
            }
        // a read over the same pages: the data lands in the initiator's array
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x1FF8, r, 16);
        P->m0.socket->b_transport(gp, d);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
        for (int i = 0; i < 16; i++)
            if (i % 4 != 2) {
                EXPECT_EQ(r[i], w[i]) << i;
            }
        sc_core::wait(d);
    }));
}

// IEEE 1666-2011 14.9: TLM_IGNORE_COMMAND executes no read or write but is routed like one.
// The SMMU translates it without side effects and forwards it as ignore to the output address
// (the master's output_extension learns the decode); an abort fault is an address error.
TEST_F(Tlm, IgnoreCommandIsTranslatedAndForwardedAsIgnore_14_9) {
    ASSERT_TRUE(run([] {
        smmu_stats_t s0, s1;
        smmu_get_stats(P->dut.core(), &s0);
        const size_t l0 = P->data_mem.log.size();
        tlm::tlm_generic_payload gp;
        unsigned char b[4] = {0x11, 0x22, 0x33, 0x44};
        sc_time d = SC_ZERO_TIME;
        test_master::setup(gp, tlm::TLM_IGNORE_COMMAND, 0x10020, b, 4);
        smmu_tlm::output_extension probe;
        gp.set_extension(&probe);
        P->m0.socket->b_transport(gp, d);
        gp.clear_extension(&probe);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
        ASSERT_EQ(P->data_mem.log.size(), l0 + 1);
        EXPECT_EQ(P->data_mem.log.back().cmd, tlm::TLM_IGNORE_COMMAND);
        EXPECT_EQ(P->data_mem.log.back().addr, DMI_PA + 0x20);
        EXPECT_EQ(probe.pa, DMI_PA + 0x20);
        EXPECT_NE(probe.perm & SMMU_PERM_R, 0);
        EXPECT_EQ(b[0], 0x11) << "no data moved";
        test_master::setup(gp, tlm::TLM_IGNORE_COMMAND, 0x900000, b, 4); // unmapped
        P->m0.socket->b_transport(gp, d);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(P->data_mem.log.size(), l0 + 1);
        smmu_get_stats(P->dut.core(), &s1);
        EXPECT_EQ(s1.translations, s0.translations) << "a probe is not an access";
        EXPECT_EQ(s1.events_written, s0.events_written);
        // the register frame: decodes, accesses nothing
        uint32_t v = 0xDEADBEEF;
        EXPECT_EQ(P->host.access(tlm::TLM_IGNORE_COMMAND, SMMU_CR0, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0xDEADBEEFu);
        EXPECT_EQ(P->host.access(tlm::TLM_IGNORE_COMMAND, 0x30000, &v, 4),
                  tlm::TLM_ADDRESS_ERROR_RESPONSE);
        sc_core::wait(d);
    }));
}

// Trace points through the module (docs/tlm.md, "Trace points"): the hook gets exactly the
// kinds it asked for, as the core emits them; unset, nothing.
TEST_F(Tlm, TraceHookReceivesTheKindsItAskedFor) {
    std::vector<smmu_tp_t> got;
    std::vector<std::string> lines;
    P->dut.set_trace_hook(
        [&](const smmu_tp_t &tp) {
            got.push_back(tp);
            char b[256];
            smmu_tp_format(&tp, b, sizeof b);
            lines.push_back(b);
        },
        1u << SMMU_TP_XLATE | 1u << SMMU_TP_CMD);
    ASSERT_TRUE(run([] {
        uint32_t v;
        EXPECT_EQ(P->m0.read(0x10000, &v, 4), tlm::TLM_OK_RESPONSE);
        ASSERT_EQ(smmu_drv_sync(P->drv), 0);
    }));
    size_t xlate = 0, cmd = 0;
    for (const smmu_tp_t &tp : got) {
        EXPECT_TRUE(tp.kind == SMMU_TP_XLATE || tp.kind == SMMU_TP_CMD) << (int)tp.kind;
        xlate += tp.kind == SMMU_TP_XLATE;
        cmd += tp.kind == SMMU_TP_CMD;
    }
    EXPECT_EQ(xlate, 1u);
    EXPECT_GE(cmd, 1u);
    bool sync = false;
    for (const auto &l : lines)
        sync = sync || l.find("CMD CMD_SYNC") == 0;
    EXPECT_TRUE(sync);
    P->dut.set_trace_hook(nullptr);
    got.clear();
    ASSERT_TRUE(run([] {
        uint32_t v;
        EXPECT_EQ(P->m0.read(0x10000, &v, 4), tlm::TLM_OK_RESPONSE);
    }));
    EXPECT_TRUE(got.empty());
}

// Logging (docs/tlm.md): nothing unless smmu_tlm_params::log / set_logging(); then faults,
// commands and GERRORs at SC_MEDIUM and every translation at SC_DEBUG, with the instance name
// as message type.
struct captured_reports {
    static std::vector<std::string> &msgs() {
        static std::vector<std::string> v;
        return v;
    }
    static void handler(const sc_core::sc_report &r, const sc_core::sc_actions &a) {
        if (std::string(r.get_msg_type()) == "smmu")
            msgs().push_back(std::to_string(r.get_verbosity()) + " " + r.get_msg());
        else
            sc_core::sc_report_handler::default_handler(r, a);
    }
};

TEST_F(Tlm, LoggingThroughScReportOnlyWhenAsked) {
    sc_core::sc_report_handler::set_handler(&captured_reports::handler);
    auto count = [](const char *what) {
        int n = 0;
        for (const auto &m : captured_reports::msgs())
            n += m.find(what) != std::string::npos;
        return n;
    };
    ASSERT_TRUE(run([&] {
        uint32_t v;
        EXPECT_EQ(P->m0.read(0x900000, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_TRUE(captured_reports::msgs().empty()) << "logging is off by default";
        P->dut.set_logging(true);
        EXPECT_EQ(P->m0.read(0x900000, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(P->m0.read(0x10000, &v, 4), tlm::TLM_OK_RESPONSE);
        ASSERT_EQ(smmu_drv_sync(P->drv), 0);
        EXPECT_EQ(count("fault F_TRANSLATION sid 0x1 R 0x900000"), 1);
        EXPECT_EQ(count("command CMD_SYNC"), 1);
        EXPECT_EQ(count("translate sid 0x1"), 0) << "SC_DEBUG is below the default verbosity";
        sc_core::sc_report_handler::set_verbosity_level(sc_core::SC_DEBUG);
        EXPECT_EQ(P->m0.read(0x10000, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(count("translate sid 0x1 R 0x10000+4 -> 0x40000000"), 1);
        sc_core::sc_report_handler::set_verbosity_level(sc_core::SC_MEDIUM);
        // an illegal command: CERROR_ILL through GERROR.CMDQ_ERR
        tenc::Cmd bad(0x7F);
        smmu_drv_cmd(P->drv, bad.dw);
        EXPECT_EQ(smmu_drv_sync(P->drv), SMMU_DRV_ECERROR); // the driver skips it
        EXPECT_EQ(count("GERROR CMDQ_ERR: CERROR_ILL"), 1);
        P->dut.set_logging(false);
        EXPECT_EQ(P->m0.read(0x900000, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }));
    EXPECT_EQ(count("fault "), 1) << "nothing after set_logging(false)";
    for (const auto &m : captured_reports::msgs()) { // verbosity: SC_DEBUG 500, SC_MEDIUM 200
        const bool debug = m.find(" translate ") != std::string::npos;
        EXPECT_EQ(m.substr(0, 4), debug ? "500 " : "200 ") << m;
    }
    sc_core::sc_report_handler::set_handler(&sc_core::sc_report_handler::default_handler);
}

// A streaming (FIFO) access whose streamed bytes cross a page cannot be split: burst error, no
// downstream access. One that stays in its page is forwarded whole.
TEST_F(Tlm, StreamingAcrossPageIsBurstError) {
    ASSERT_TRUE(run([] {
        const size_t l0 = P->data_mem.log.size();
        unsigned char b[8] = {};
        tlm::tlm_generic_payload gp;
        sc_time d = SC_ZERO_TIME;
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x20FFE, b, 8);
        gp.set_streaming_width(4); // streams [0x20FFE, 0x21002): crosses the page
        P->m0.socket->b_transport(gp, d);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_BURST_ERROR_RESPONSE);
        EXPECT_EQ(P->data_mem.log.size(), l0);
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x20FF8, b, 8);
        gp.set_streaming_width(4);
        P->m0.socket->b_transport(gp, d);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
        ASSERT_EQ(P->data_mem.log.size(), l0 + 1);
        EXPECT_EQ(P->data_mem.log.back().addr, 0x40100FF8u);
        EXPECT_EQ(P->data_mem.log.back().len, 8u);
        sc_core::wait(d);
    }));
}

// LT: a translation that does not stall annotates its delay without calling wait(), so masters
// can run ahead of simulated time (temporal decoupling, quantum keepers).
TEST_F(Tlm, LtAnnotatesWithoutWaiting) {
    ASSERT_TRUE(run([] {
        uint32_t v = 0;
        tlm::tlm_generic_payload gp;
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x41000, &v, 4);
        sc_time d(1, sc_core::SC_US); // the master is already ahead
        const sc_time before = sc_core::sc_time_stamp();
        P->m0.socket->b_transport(gp, d);
        EXPECT_EQ(sc_core::sc_time_stamp(), before);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_GT(d, sc_time(1, sc_core::SC_US) + DATA_LAT);
        sc_core::wait(d);
    }));
}

// StreamID: the port's default, else the payload's stream_extension, else the mapper hook.
TEST_F(Tlm, StreamIdFromDefaultExtensionOrMapper) {
    fill(0x40100200, 4, 0xA0);
    ASSERT_TRUE(run([] {
        uint32_t v = 0;
        EXPECT_EQ(P->m1.read(0x40100200, &v, 4), tlm::TLM_OK_RESPONSE); // port 1: SID 2 bypass
        EXPECT_EQ(v, 0xA3A2A1A0u);
        v = 0;
        smmu_tlm::stream_extension e1(1);
        EXPECT_EQ(P->m1.read(0x20200, &v, 4, nullptr, &e1), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0xA3A2A1A0u);
        EXPECT_EQ(P->m2.read(0x20200, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE); // SID 3 abort
        P->dut.set_sid_mapper(
            [](unsigned port, const tlm::tlm_generic_payload &gp, smmu_tlm::stream_extension &out) {
                const initiator_id *id = gp.get_extension<initiator_id>();
                if (port != 2 || !id || id->id != 7) return false;
                out = smmu_tlm::stream_extension(1);
                return true;
            });
        initiator_id id;
        id.id = 7;
        v = 0;
        EXPECT_EQ(P->m2.io(tlm::TLM_READ_COMMAND, 0x20200, &v, 4, nullptr, nullptr, &id),
                  tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0xA3A2A1A0u);
        EXPECT_EQ(P->m2.read(0x20200, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        P->dut.set_sid_mapper(nullptr);
    }));
    smmu_tlm::stream_extension se = P->dut.resolve_stream(0, tlm::tlm_generic_payload());
    EXPECT_EQ(se.sid, 1u);
}

// An ATS Translation Request is answered by the SMMU and never forwarded: the translation comes
// back in the master's output_extension; an unmapped page is a Success with no permission.
TEST_F(Tlm, AtsTranslationRequestIsAnsweredNotForwarded) {
    ASSERT_TRUE(run([] {
        const size_t l0 = P->data_mem.log.size();
        smmu_tlm::stream_extension se(7);
        se.ats = SMMU_ATS_REQUEST;
        smmu_tlm::output_extension out;
        uint32_t v = 0;
        tlm::tlm_generic_payload gp;
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x20010, &v, 4);
        gp.set_extension(&se);
        gp.set_extension(&out);
        sc_time d = SC_ZERO_TIME;
        P->m0.socket->b_transport(gp, d);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(out.pa, 0x40100010u);
        EXPECT_EQ(out.span, 0x1000u);
        EXPECT_EQ(out.perm & (SMMU_PERM_R | SMMU_PERM_W), SMMU_PERM_R | SMMU_PERM_W);
        test_master::setup(gp, tlm::TLM_READ_COMMAND, 0x900000, &v, 4);
        P->m0.socket->b_transport(gp, d);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(out.perm, 0);
        gp.clear_extension(&se);
        gp.clear_extension(&out);
        EXPECT_EQ(P->data_mem.log.size(), l0);
        sc_core::wait(d);
    }));
}

// A recorder that keeps nothing: attaching it sends every transaction down the general path
// (chunk list, forward()) instead of the single-chunk fast path.
struct null_recorder : smmu_tlm::recorder {
    unsigned translations = 0;
    void translation(const smmu_tlm::smmu_base &, const smmu_tlm::translation_record &) override {
        translations++;
    }
};

// The single-chunk fast path and the general path give the same annotated delay, response,
// data, downstream access and statistics for the same transactions (TLB hits, a TLB miss after
// TLBI, a write, an abort).
TEST_F(Tlm, FastPathSameDelayAsGeneralPath) {
    fill(0x40400000, 0x40, 0x11);
    fill(0x40401000, 0x40, 0x55);
    struct outcome {
        tlm::tlm_response_status status;
        sc_time delay;
        uint64_t data;
        uint64_t down_addr;
        size_t down_count;
        sc_time xlate_time;
        uint64_t errors;
    };
    // one pass: warm the TLB, then hits, a write, a miss after TLBI_NH_ALL, an abort
    auto pass = [](outcome *o) {
        uint64_t v = 0;
        P->m0.read(0x40000, &v, 8);
        P->m0.read(0x41000, &v, 8);
        const uint64_t addrs[] = {0x40008, 0x40010, 0x41000};
        int k = 0;
        auto one = [&](tlm::tlm_command cmd, uint64_t a, unsigned len) {
            outcome &x = o[k++];
            const size_t l0 = P->data_mem.log.size();
            const sc_time xt0 = P->dut.stats().xlate_time;
            const uint64_t e0 = P->dut.stats().errors;
            x.data = cmd == tlm::TLM_WRITE_COMMAND ? 0x0123456789ABCDEFull : 0;
            x.status = P->m0.io(cmd, a, &x.data, len, &x.delay);
            x.down_count = P->data_mem.log.size() - l0;
            x.down_addr = x.down_count ? P->data_mem.log.back().addr : 0;
            x.xlate_time = P->dut.stats().xlate_time - xt0;
            x.errors = P->dut.stats().errors - e0;
        };
        for (uint64_t a : addrs)
            one(tlm::TLM_READ_COMMAND, a, 8);
        one(tlm::TLM_WRITE_COMMAND, 0x40020, 8);
        ASSERT_EQ(P->cmd(tenc::tlbi_nh_all()), 0);
        ASSERT_EQ(smmu_drv_sync(P->drv), 0);
        one(tlm::TLM_READ_COMMAND, 0x41008, 4); // walks again
        one(tlm::TLM_READ_COMMAND, 0x900000, 4);
    };
    outcome fast[6] = {}, general[6] = {};
    ASSERT_TRUE(run([&] { pass(fast); }));
    null_recorder rec;
    P->dut.set_recorder(&rec);
    ASSERT_TRUE(run([&] { pass(general); }));
    P->dut.set_recorder(nullptr);
    EXPECT_GE(rec.translations, 6u);
    for (int i = 0; i < 6; i++) {
        SCOPED_TRACE(i);
        EXPECT_EQ(fast[i].status, general[i].status);
        EXPECT_EQ(fast[i].delay, general[i].delay);
        EXPECT_EQ(fast[i].data, general[i].data);
        EXPECT_EQ(fast[i].down_addr, general[i].down_addr);
        EXPECT_EQ(fast[i].down_count, general[i].down_count);
        EXPECT_EQ(fast[i].xlate_time, general[i].xlate_time);
        EXPECT_EQ(fast[i].errors, general[i].errors);
    }
    // what the transactions did, from the mappings (device 0x40000 -> 0x40400000, 4 KiB pages)
    EXPECT_EQ(fast[0].down_addr, 0x40400008u);
    EXPECT_EQ(fast[0].data, 0x201F1E1D1C1B1A19ull);
    EXPECT_EQ(fast[2].down_addr, 0x40401000u);
    EXPECT_EQ(fast[2].data, 0x5C5B5A5958575655ull);
    EXPECT_EQ(fast[4].down_addr, 0x40401008u);
    EXPECT_EQ(fast[5].status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(fast[5].down_count, 0u);
    EXPECT_EQ(fast[5].errors, 1u);
    EXPECT_GT(fast[4].delay, fast[1].delay); // the walk costs more than a hit
}

// Commands are consumed by the command thread at timing.per_command each: a CMD_SYNC behind
// three commands completes no earlier than four command latencies later; CMD_SYNC with
// CS = SIG_IRQ pulses irq_cmd_sync.
TEST_F(Tlm, CommandsTakePerCommandLatencyAndSyncIrqPulses) {
    ASSERT_TRUE(run([] {
        const sc_time t0 = sc_core::sc_time_stamp();
        for (int i = 0; i < 3; i++)
            ASSERT_EQ(P->cmd(tenc::tlbi_nsnh_all()), 0);
        ASSERT_EQ(smmu_drv_sync(P->drv), 0);
        EXPECT_GE(sc_core::sc_time_stamp() - t0, CMD_LAT * 4.0);
        const int rises = P->sync_count.rises;
        ASSERT_EQ(P->cmd(tenc::cmd_sync(tenc::CS_IRQ)), 0);
        ASSERT_EQ(smmu_drv_sync(P->drv), 0);
        sc_core::wait(sc_time(10, SC_NS));
        EXPECT_EQ(P->sync_count.rises, rises + 1);
        EXPECT_FALSE(P->sync_irq.read()); // a pulse, back low
    }));
}

} // namespace
