// SPDX-License-Identifier: Apache-2.0 OR MIT
// The PMCG through the TLM wrapper (IHI 0070 chapter 10): its register pages on the `pmcg`
// socket (group g at g * pmcg_group_span, Page 1 at + 0x1000), transactions of the upstream
// socket counted, an overflow pulsing irq_pmcg[0] and writing the MSI on `table`, and event 0
// following simulated time (timing.pmcg_clock). Register offsets from tenc_pmcg.h (the spec).
#include "tlm_fixture.h"

#include "tenc_pmcg.h"

using namespace ttlm;
namespace pm = tenc::pmcg;

namespace {

constexpr uint64_t WIN = 0x40000000;
constexpr uint64_t MSI_ADDR = 0x30000000;

smmu_tlm::smmu_tlm_params pmcg_params() {
    smmu_tlm::smmu_tlm_params p;
    p.core.sidsize = 8;
    p.core.pmcg_groups = 2;
    p.timing.pmcg_clock = sc_time(1, SC_NS);
    return p;
}

// Counts rising edges of an interrupt line.
struct edge_counter : sc_core::sc_module {
    sc_core::sc_in<bool> in{"in"};
    int edges = 0;
    SC_HAS_PROCESS(edge_counter);
    explicit edge_counter(sc_core::sc_module_name n) : sc_module(n) {
        SC_METHOD(on_edge);
        sensitive << in.pos();
        dont_initialize();
    }
    void on_edge() {
        edges++;
    }
};

struct platform {
    smmu_mem_t *mem = smmu_mem_new();
    test_memory table_mem{"table_mem", mem, sc_time(10, SC_NS)};
    test_memory data_mem{"data_mem", mem, sc_time(10, SC_NS)};
    smmu_tlm::smmu dut{"smmu", pmcg_params()};
    test_master m{"m"};
    test_master cpu{"cpu"};
    sc_core::sc_signal<bool> irq0{"irq0"};
    edge_counter irq0_edges{"irq0_edges"};
    platform() {
        checked_bind(m.socket, dut.upstream[0]);
        checked_bind(cpu.socket, dut.pmcg);
        checked_bind(dut.downstream, data_mem.socket);
        checked_bind(dut.table, table_mem.socket);
        dut.irq_pmcg[0](irq0); // irq_pmcg[1] stays unbound
        irq0_edges.in(irq0);
    }
    uint64_t rd(unsigned group, uint64_t off, unsigned len = 4) {
        uint64_t v = 0;
        EXPECT_EQ(cpu.read(group * smmu_tlm::pmcg_group_span + off, &v, len), tlm::TLM_OK_RESPONSE);
        return v;
    }
    void wr(unsigned group, uint64_t off, uint64_t v, unsigned len = 4) {
        EXPECT_EQ(cpu.write(group * smmu_tlm::pmcg_group_span + off, &v, len),
                  tlm::TLM_OK_RESPONSE);
    }
};

platform *P = nullptr;

platform &plat() {
    if (!P) P = new platform;
    return *P;
}

// The socket reaches each group's pages: CFGR of both groups (10.5.2.13: 2 groups of the
// default 8 x 64-bit counters with Page 1); a group that does not exist or a 2-byte access is
// an error response.
TEST(TlmPmcg, SocketReachesGroupPages_10_5) {
    platform &p = plat();
    ASSERT_TRUE(run([&] {
        for (unsigned g = 0; g < 2; g++) {
            const uint32_t c = (uint32_t)p.rd(g, pm::CFGR);
            EXPECT_EQ(pm::cfgr_nctr(c), 7u);
            EXPECT_EQ(pm::cfgr_size(c), 63u);
            EXPECT_TRUE(pm::cfgr_reloc(c));
        }
        uint32_t v = 0;
        EXPECT_EQ(p.cpu.read(2 * smmu_tlm::pmcg_group_span + pm::CFGR, &v, 4),
                  tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(p.cpu.read(pm::CFGR, &v, 2), tlm::TLM_BURST_ERROR_RESPONSE);
        EXPECT_EQ(p.cpu.read(pm::CFGR + 2, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        // Page 1 of group 1 is its own
        p.wr(1, pm::PAGE1 + pm::EVCNTR0, 0x77, 8);
        EXPECT_EQ(p.rd(1, pm::PAGE1 + pm::EVCNTR0, 8), 0x77u);
        EXPECT_EQ(p.rd(0, pm::PAGE1 + pm::EVCNTR0, 8), 0u);
        p.wr(1, pm::PAGE1 + pm::EVCNTR0, 0, 8);
    }));
}

// Transactions of the upstream socket are event 1; an overflow with INTEN and IRQEN pulses
// irq_pmcg[0] and writes the MSI through `table` (10.2.1).
TEST(TlmPmcg, TransactionsCountedOverflowPulsesIrq_10_2_1) {
    platform &p = plat();
    ASSERT_TRUE(run([&] {
        smmu_drv_t *drv = smmu_drv_new_direct(p.dut.core(), p.mem, 0x80000000, 8 << 20);
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0);
        smmu_domain_t *dom;
        smmu_domain_cfg_t c{1, 1, 4096, 48, 0};
        ASSERT_EQ(smmu_drv_domain_new(drv, &c, &dom), 0);
        ASSERT_EQ(smmu_drv_map(drv, dom, 0x1000, WIN, 0x2000, SMMU_PROT_R | SMMU_PROT_W), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 0, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        p.wr(0, pm::EVTYPER0, pm::evtyper(pm::EV_TRANSACTION, true));
        p.wr(0, pm::SMR0, 0xFFFFFFFF);
        p.wr(0, pm::PAGE1 + pm::EVCNTR0, ~0ull - 2, 8);
        p.wr(0, pm::INTENSET0, 1, 8);
        p.wr(0, pm::IRQ_CFG0, MSI_ADDR, 8);
        p.wr(0, pm::IRQ_CFG1, 0x5A5A);
        p.wr(0, pm::IRQ_CTRL, pm::IRQ_CTRL_IRQEN);
        p.wr(0, pm::CNTENSET0, 1, 8);
        p.wr(0, pm::CR, pm::CR_E);
        uint32_t v = 0;
        EXPECT_EQ(p.m.read(0x1000, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(p.m.read(0x1004, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(p.irq0_edges.edges, 0);
        EXPECT_EQ(p.m.read(0x2000, &v, 4), tlm::TLM_OK_RESPONSE);
        sc_core::wait(sc_time(10, SC_NS)); // the pulse
        EXPECT_EQ(p.rd(0, pm::PAGE1 + pm::EVCNTR0, 8), 0u);
        EXPECT_EQ(p.rd(0, pm::PAGE1 + pm::OVSSET0, 8), 1u);
        EXPECT_EQ(p.irq0_edges.edges, 1);
        uint32_t msi = 0;
        smmu_mem_read(p.mem, MSI_ADDR, &msi, 4);
        EXPECT_EQ(msi, 0x5A5Au);
        p.wr(0, pm::CR, 0);
        p.wr(0, pm::IRQ_CTRL, 0);
        smmu_drv_free(drv);
    }));
}

// Issue 18: a transaction the port's micro-TLB answers (the core not asked) is still event 1;
// when it overflows the counter, the MSI goes out through `table` as from a core translation.
TEST(TlmPmcg, MicroTlbHitCountedAndItsOverflowSendsMsi_10_3) {
    platform &p = plat();
    ASSERT_TRUE(run([&] {
        smmu_drv_t *drv = smmu_drv_new_direct(p.dut.core(), p.mem, 0x80000000, 8 << 20);
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0);
        smmu_domain_t *dom;
        smmu_domain_cfg_t c{1, 1, 4096, 48, 0};
        ASSERT_EQ(smmu_drv_domain_new(drv, &c, &dom), 0);
        ASSERT_EQ(smmu_drv_map(drv, dom, 0x1000, WIN, 0x2000, SMMU_PROT_R | SMMU_PROT_W), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 0, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        smmu_mem_write(p.mem, MSI_ADDR, "\0\0\0\0", 4);
        p.wr(0, pm::EVTYPER0, pm::evtyper(pm::EV_TRANSACTION, true));
        p.wr(0, pm::SMR0, 0xFFFFFFFF);
        p.wr(0, pm::PAGE1 + pm::EVCNTR0, ~0ull - 1, 8);
        p.wr(0, pm::INTENSET0, 1, 8);
        p.wr(0, pm::IRQ_CFG0, MSI_ADDR, 8);
        p.wr(0, pm::IRQ_CFG1, 0x6B6B);
        p.wr(0, pm::IRQ_CTRL, pm::IRQ_CTRL_IRQEN);
        p.wr(0, pm::CNTENSET0, 1, 8);
        p.wr(0, pm::CR, pm::CR_E);
        uint32_t v = 0;
        EXPECT_EQ(p.m.read(0x1000, &v, 4), tlm::TLM_OK_RESPONSE); // a miss: fills
        const uint64_t hits = p.dut.stats().utlb.at(0).hits;
        EXPECT_EQ(p.m.read(0x1008, &v, 4), tlm::TLM_OK_RESPONSE); // a hit: overflows
        EXPECT_EQ(p.dut.stats().utlb.at(0).hits, hits + 1);
        EXPECT_EQ(p.rd(0, pm::PAGE1 + pm::EVCNTR0, 8), 0u);
        EXPECT_EQ(p.rd(0, pm::PAGE1 + pm::OVSSET0, 8), 1u);
        uint32_t msi = 0;
        smmu_mem_read(p.mem, MSI_ADDR, &msi, 4);
        EXPECT_EQ(msi, 0x6B6Bu);
        p.wr(0, pm::PAGE1 + pm::OVSCLR0, 1, 8);
        p.wr(0, pm::CR, 0);
        p.wr(0, pm::IRQ_CTRL, 0);
        smmu_drv_free(drv);
    }));
}

// Event 0 counts timing.pmcg_clock periods of simulated time (10.3 "Clock cycle"): between two
// reads made alike, 100 ns apart, exactly 100 more cycles; nothing while CR.E == 0.
TEST(TlmPmcg, CyclesFollowSimulatedTime_10_3) {
    platform &p = plat();
    ASSERT_TRUE(run([&] {
        p.wr(0, pm::EVTYPER0 + 4, pm::evtyper(pm::EV_CYCLES));
        p.wr(0, pm::PAGE1 + pm::EVCNTR0 + 8, 0, 8);
        p.wr(0, pm::CNTENSET0, 2, 8);
        sc_core::wait(sc_time(50, SC_NS)); // disabled: not counted
        EXPECT_EQ(p.rd(0, pm::PAGE1 + pm::EVCNTR0 + 8, 8), 0u);
        p.wr(0, pm::CR, pm::CR_E);
        const uint64_t a = p.rd(0, pm::PAGE1 + pm::EVCNTR0 + 8, 8);
        sc_core::wait(sc_time(100, SC_NS));
        const uint64_t b = p.rd(0, pm::PAGE1 + pm::EVCNTR0 + 8, 8);
        EXPECT_EQ(b - a, 100u + 1u); // + one register access (timing.reg_access, 1 ns)
        p.wr(0, pm::CR, 0);
        sc_core::wait(sc_time(100, SC_NS));
        const uint64_t c = p.rd(0, pm::PAGE1 + pm::EVCNTR0 + 8, 8);
        EXPECT_LE(c - b, 2u); // the disabling write's own cycle
    }));
}

// A pmcg socket access with its security in stream_extension::secure (10.6).
tlm::tlm_response_status pmcg_access(tlm::tlm_command cmd, uint64_t off, uint64_t *v, bool secure) {
    tlm::tlm_generic_payload gp;
    test_master::setup(gp, cmd, off, v, 4);
    smmu_tlm::stream_extension se;
    se.secure = secure;
    gp.set_extension(&se);
    sc_time d = SC_ZERO_TIME;
    plat().cpu.socket->b_transport(gp, d);
    gp.clear_extension(&se);
    sc_core::wait(d > SC_ZERO_TIME ? d : sc_time(1, SC_NS));
    return gp.get_response_status();
}

// SMMU_PMCG_SCR (0xDF8, 10.5.2.12): READS_AS_ONE [31], NSRA [1] and NSMSI [2] (reset 1) to a
// Secure access; RAZ/WI to a Non-secure one (no stream_extension: Non-secure).
TEST(TlmPmcg, SocketTakesSecurityFromStreamExtension_10_6) {
    plat();
    ASSERT_TRUE(run([&] {
        uint64_t v = 0;
        EXPECT_EQ(pmcg_access(tlm::TLM_READ_COMMAND, pm::SCR, &v, true), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0x80000006u);
        v = 0xFFFF;
        EXPECT_EQ(pmcg_access(tlm::TLM_READ_COMMAND, pm::SCR, &v, false), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0u);
        EXPECT_EQ(plat().rd(0, pm::SCR), 0u);
        v = 0; // SO, NSRA, NSMSI cleared: ignored from a Non-secure access
        EXPECT_EQ(pmcg_access(tlm::TLM_WRITE_COMMAND, pm::SCR, &v, false), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(pmcg_access(tlm::TLM_READ_COMMAND, pm::SCR, &v, true), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0x80000006u);
    }));
}

} // namespace
