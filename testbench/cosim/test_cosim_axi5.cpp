// SPDX-License-Identifier: Apache-2.0 OR MIT
// The AXI5 MMU signals (AMBA AXI IHI 0022 H+, chapter A13 "Untranslated Transactions") and the
// input / output memory attributes at the bridge's pins: a pin-level C++ master drives the
// bridge (bridge_params::stream = stream_source::axi5_mmu, input_attrs) in front of an
// smmu_tlm::smmu programmed by the driver through its register socket; the data memory behind
// the SMMU logs what it receives. Each signal is shown to change what the SMMU does as the SMMU
// and AXI specifications say; expected data and addresses are computed here from the mappings.
#include "tlm_fixture.h"

#include <smmu/amba.h>
#include <smmu_cosim/axi.h>
#include <smmu_cosim/axi_bridge.h>

#include "tenc_cmd.h"

using namespace smmu_cosim;
using namespace sc_core;
using ttlm::test_memory;

namespace {

constexpr uint64_t IOVA = 0x10000;  // mapped in domains A, B, C
constexpr uint64_t PA_A = 0x200000; // domain A's page (SID 1 no SSID, SID 5 Non-secure, 6, 7)
constexpr uint64_t PA_B = 0x300000; // domain B's page (SID 1 SSID 1)
constexpr uint64_t PA_C = 0x400000; // domain C's page (SID 2)
constexpr uint64_t HOLE = 0x20000;  // unmapped in domain D (SID 3, stall-configured)
constexpr uint64_t PHYS = 0x500000; // addressed physically (bypass streams, ATS-translated)
constexpr uint32_t DEFAULT_SID = 0xF0;
constexpr uint64_t S_STRTAB = 0x90000000; // the Secure stream table (linear, 256 STEs)

uint8_t pattern(uint64_t pa) {
    return static_cast<uint8_t>(pa * 13 + (pa >> 12) * 29 + 7);
}
uint64_t word_at(uint64_t pa) {
    uint64_t v = 0;
    for (unsigned k = 0; k < 8; k++)
        v |= uint64_t(pattern(pa + k)) << (8 * k);
    return v;
}

struct mmu_req {
    bool valid = true, secsid = false, ssidv = false, lock = false;
    uint32_t sid = 0, ssid = 0, flow = AXI_FLOW_STALL, cache = 0xF, domain = SMMU_AXDOMAIN_ISH;
};

struct read_result {
    uint64_t data = 0;
    uint32_t resp = 0;
};

bridge_params bparams(unsigned version = 3, unsigned resp_width = 2) {
    bridge_params p;
    p.resp_width = resp_width;
    p.stream = stream_source::axi5_mmu;
    p.mmu_version = version;
    p.default_sid = DEFAULT_SID;
    p.input_attrs = true;
    return p;
}

smmu_tlm::smmu_tlm_params sparams() {
    smmu_tlm::smmu_tlm_params p;
    p.core.sidsize = 8;
    p.core.ats = true;
    p.core.secure_impl = true;
    p.n_upstream = 3;
    p.default_sid = {0xFF, 0xFF, 0xFF};
    return p;
}

struct tb : sc_module {
    sc_clock clk{"clk", 10, SC_NS};
    sc_signal<bool> rst_n;
    axi_signals s, s1, s2;  // s1: the Untranslated_Transactions v1 bridge's, s2: bridge_2bit's
    axi_signals *pins = &s; // the pins the helpers below drive
    smmu_mem_t *mem = smmu_mem_new();
    test_memory table_mem{"table_mem", mem, sc_time(5, SC_NS)};
    test_memory data_mem{"data_mem", mem, sc_time(5, SC_NS)};
    // v3 with the 3-bit RRESP / BRESP IHI 0022 Tables A3.27 / A3.30 require for it
    axi_tlm_bridge bridge{"bridge", bparams(3, 3)};
    axi_tlm_bridge bridge_2bit{"bridge_2bit", bparams(3, 2)}; // a 2-bit xRESP (no TRANSFAULT)
    axi_tlm_bridge bridge_v1{"bridge_v1", bparams(1)};
    smmu_tlm::smmu dut{"smmu", sparams()};
    ttlm::reg_host host{"host", mem};
    smmu_drv_t *drv = nullptr;
    smmu_domain_t *dom[4] = {};
    std::function<void()> job;
    bool busy = false;

    SC_HAS_PROCESS(tb);
    explicit tb(sc_module_name n) : sc_module(n) {
        bridge.clk(clk);
        bridge.rst_n(rst_n);
        bridge.bind(s);
        bridge.socket.bind(dut.upstream[0]);
        bridge_v1.clk(clk);
        bridge_v1.rst_n(rst_n);
        bridge_v1.bind(s1);
        bridge_v1.socket.bind(dut.upstream[1]);
        bridge_2bit.clk(clk);
        bridge_2bit.rst_n(rst_n);
        bridge_2bit.bind(s2);
        bridge_2bit.socket.bind(dut.upstream[2]);
        ttlm::checked_bind(dut.downstream, data_mem.socket);
        ttlm::checked_bind(dut.table, table_mem.socket);
        ttlm::checked_bind(host.socket, dut.regs);
        SC_THREAD(run);
    }
    void edge() {
        wait(clk.posedge_event());
    }
    void run() {
        rst_n.write(false);
        for (int i = 0; i < 3; i++)
            edge();
        rst_n.write(true);
        edge();
        for (;;) {
            while (!job)
                edge();
            job();
            job = nullptr;
            busy = false;
            sc_pause();
        }
    }
    bool go(std::function<void()> f) {
        job = std::move(f);
        busy = true;
        sc_start(sc_time(1, SC_MS));
        return !busy;
    }

    // ---- programming (from the tb thread)
    uint64_t ste_addr(uint32_t sid) {
        return (smmu_reg_read(dut.core(), SMMU_STRTAB_BASE, 8) & 0x00FFFFFFFFFFFFC0ull) + 64 * sid;
    }
    void patch_ste(uint32_t sid, const std::function<void(uint64_t *)> &f) {
        uint64_t ste[8];
        ASSERT_EQ(smmu_mem_read(mem, ste_addr(sid), ste, sizeof(ste)), 0);
        f(ste);
        ASSERT_EQ(smmu_mem_write(mem, ste_addr(sid), ste, sizeof(ste)), 0);
        ASSERT_EQ(smmu_drv_cmd(drv, tenc::cfgi_ste(sid).dw), 0);
        ASSERT_EQ(smmu_drv_sync(drv), 0);
    }
    void sreg_w32(uint64_t off, uint32_t v) {
        smmu_tlm::stream_extension se;
        se.secure = true;
        tlm::tlm_generic_payload gp;
        ttlm::test_master::setup(gp, tlm::TLM_WRITE_COMMAND, off, &v, 4);
        gp.set_extension(&se);
        sc_time d = SC_ZERO_TIME;
        host.socket->b_transport(gp, d);
        gp.clear_extension(&se);
        wait(sc_time(1, SC_NS));
    }
    void sreg_w64(uint64_t off, uint64_t v) {
        sreg_w32(off, static_cast<uint32_t>(v));
        sreg_w32(off + 4, static_cast<uint32_t>(v >> 32));
    }
    void setup() {
        for (uint64_t pa : {PA_A, PA_B, PA_C, PHYS, uint64_t(IOVA)}) {
            std::vector<uint8_t> b(0x1000);
            for (size_t i = 0; i < b.size(); i++)
                b[i] = pattern(pa + i);
            ASSERT_EQ(smmu_mem_write(mem, pa, b.data(), b.size()), 0);
        }
        drv = host.new_driver(0x80000000, 16 << 20);
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0);
        const uint64_t pages[4] = {PA_A, PA_B, PA_C, 0};
        for (unsigned i = 0; i < 4; i++) {
            smmu_domain_cfg_t c{1, static_cast<uint16_t>(i + 1), 4096, 48, 0};
            ASSERT_EQ(smmu_drv_domain_new(drv, &c, &dom[i]), 0);
            if (pages[i]) {
                ASSERT_EQ(
                    smmu_drv_map(drv, dom[i], IOVA, pages[i], 0x1000, SMMU_PROT_R | SMMU_PROT_W),
                    0);
            }
        }
        ASSERT_EQ(smmu_drv_attach_s1(drv, 1, dom[0], 2, SMMU_DRV_S1DSS_SSID0), 0);
        ASSERT_EQ(smmu_drv_set_pasid(drv, 1, 1, dom[1]), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 2, dom[2], 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 3, dom[3], 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        ASSERT_EQ(smmu_drv_set_stall(drv, 3, true), 0);
        ASSERT_EQ(smmu_drv_attach_bypass(drv, 4), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 5, dom[0], 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 6, dom[0], 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        ASSERT_EQ(smmu_drv_attach_s1(drv, 7, dom[0], 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        ASSERT_EQ(smmu_drv_attach_bypass(drv, 8), 0);
        ASSERT_EQ(smmu_drv_attach_bypass(drv, DEFAULT_SID), 0);
        // SID 6 EATS full (Translated traffic bypasses, 3.9.1.3), SID 7 EATS off
        patch_ste(6, [](uint64_t *ste) { SMMU_FSET(ste, SMMU_F_STE_EATS, SMMU_STE_EATS_FULL); });
        patch_ste(7, [](uint64_t *ste) { SMMU_FSET(ste, SMMU_F_STE_EATS, SMMU_STE_EATS_OFF); });
        // SID 8: bypass with MTCFG = 1, MemAttr iWB-oWB (0b1111), SHCFG "use incoming" (5.2)
        patch_ste(8, [](uint64_t *ste) {
            SMMU_FSET(ste, SMMU_F_STE_MTCFG, 1);
            SMMU_FSET(ste, SMMU_F_STE_MEMATTR, 0xF);
        });
        // ATSCHK = 1: Translated traffic is checked against STE.EATS (6.3.9); it may change only
        // with SMMUEN == 0
        const uint32_t cr0 = static_cast<uint32_t>(smmu_reg_read(dut.core(), SMMU_CR0, 4));
        host.op_wr(&host, SMMU_CR0, cr0 & ~SMMU_CR0_SMMUEN, 4);
        host.op_wr(&host, SMMU_CR0, cr0 | SMMU_CR0_ATSCHK, 4);
        ASSERT_EQ(host.op_rd(&host, SMMU_CR0ACK, 4), cr0 | SMMU_CR0_ATSCHK);
        // the Secure stream table: SID 5 bypasses (Config 0b100), Secure output (5.2 NSCFG 0)
        uint64_t ste[8] = {};
        SMMU_FSET(ste, SMMU_F_STE_V, 1);
        SMMU_FSET(ste, SMMU_F_STE_CONFIG, SMMU_STE_CONFIG_BYPASS);
        ASSERT_EQ(smmu_mem_write(mem, S_STRTAB + 64 * 5, ste, sizeof(ste)), 0);
        sreg_w64(SMMU_S_STRTAB_BASE, S_STRTAB);
        sreg_w32(SMMU_S_STRTAB_BASE_CFG, 8);
        sreg_w32(SMMU_S_CR0, SMMU_CR0_SMMUEN);
        ASSERT_EQ(smmu_reg_read_sec(dut.core(), SMMU_S_CR0ACK, 4, true), SMMU_CR0_SMMUEN);
    }

    // ---- pins
    void drive_mmu(bool w, const mmu_req &m) {
        axi_signals &s = *pins;
        (w ? s.awmmuvalid : s.armmuvalid).write(m.valid);
        (w ? s.awmmusecsid : s.armmusecsid).write(m.secsid);
        (w ? s.awmmusid : s.armmusid).write(m.sid);
        (w ? s.awmmussidv : s.armmussidv).write(m.ssidv);
        (w ? s.awmmussid : s.armmussid).write(m.ssid);
        (w ? s.awmmuflow : s.armmuflow).write(m.flow);
        (w ? s.awcache : s.arcache).write(m.cache);
        (w ? s.awdomain : s.ardomain).write(m.domain);
        (w ? s.awlock : s.arlock).write(m.lock);
        (w ? s.awqos : s.arqos).write(5);
    }
    void ar(uint64_t addr, const mmu_req &m, uint32_t len = 0) {
        axi_signals &s = *pins;
        s.arvalid.write(true);
        s.arid.write(1);
        s.araddr.write(addr);
        s.arlen.write(len);
        s.arsize.write(3);
        s.arburst.write(AXI_INCR);
        s.arprot.write(AXI_PROT_NS);
        drive_mmu(false, m);
        do
            edge();
        while (!s.arready.read());
        s.arvalid.write(false);
    }
    read_result r() {
        axi_signals &s = *pins;
        read_result res;
        s.rready.write(true);
        do
            edge();
        while (!s.rvalid.read());
        res.data = s.rdata.read();
        res.resp = s.rresp.read();
        s.rready.write(false);
        return res;
    }
    read_result read(uint64_t addr, const mmu_req &m) {
        ar(addr, m);
        return r();
    }
    // Every beat's RRESP of one burst, until RLAST.
    std::vector<uint32_t> r_burst() {
        axi_signals &s = *pins;
        std::vector<uint32_t> resp;
        s.rready.write(true);
        for (bool last = false; !last;) {
            edge();
            if (!s.rvalid.read()) continue;
            resp.push_back(s.rresp.read());
            last = s.rlast.read();
        }
        s.rready.write(false);
        return resp;
    }
    uint32_t write(uint64_t addr, uint64_t data, const mmu_req &m) {
        axi_signals &s = *pins;
        s.awvalid.write(true);
        s.awid.write(2);
        s.awaddr.write(addr);
        s.awlen.write(0);
        s.awsize.write(3);
        s.awburst.write(AXI_INCR);
        s.awprot.write(AXI_PROT_NS);
        drive_mmu(true, m);
        s.wvalid.write(true);
        s.wdata.write(data);
        s.wstrb.write(0xFF);
        s.wlast.write(true);
        bool aw_done = false, w_done = false;
        while (!aw_done || !w_done) {
            edge();
            if (s.awready.read()) aw_done = true, s.awvalid.write(false);
            if (s.wready.read()) w_done = true, s.wvalid.write(false);
        }
        s.bready.write(true);
        do
            edge();
        while (!s.bvalid.read());
        s.bready.write(false);
        return s.bresp.read();
    }
};

tb *T = nullptr;

class Axi5Mmu : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (T) return;
        T = new tb("tb");
        ASSERT_TRUE(T->go([] { T->setup(); }));
    }
    void TearDown() override {
        for (const auto &v : T->bridge.violations())
            ADD_FAILURE() << v.to_string();
        for (const auto &v : T->bridge_2bit.violations())
            ADD_FAILURE() << v.to_string();
    }
    // The events recorded since the last call (Non-secure Event queue).
    static std::vector<smmu_drv_event_t> events() {
        std::vector<smmu_drv_event_t> v;
        smmu_drv_event_t e;
        while (smmu_drv_next_event(T->drv, &e) == 0)
            v.push_back(e);
        return v;
    }
    static const test_memory::access *last_access(size_t before) {
        return T->data_mem.log.size() > before ? &T->data_mem.log.back() : nullptr;
    }
};

} // namespace

// AxMMUSID selects the STE and, with AxMMUSSIDV, AxMMUSSID the CD (A13.4.2, A13.4.3; SMMU 3.3,
// 5.2 S1ContextPtr, S1DSS, 5.4): the same IOVA reads domain A's page for StreamID 1 without
// SubstreamID (S1DSS 0b10: CD 0), domain B's with SubstreamID 1, domain C's for StreamID 2; a write
// with StreamID 1 SubstreamID 1 lands in domain B's page (AW channel).
TEST_F(Axi5Mmu, StreamIdAndSubstreamIdSelectSteAndCd) {
    read_result a, b, c;
    uint32_t bresp = 99;
    ASSERT_TRUE(T->go([&] {
        mmu_req m;
        m.sid = 1;
        a = T->read(IOVA, m);
        m.ssidv = true;
        m.ssid = 1;
        b = T->read(IOVA, m);
        bresp = T->write(IOVA + 8, 0x1122334455667788ull, m);
        mmu_req m2;
        m2.sid = 2;
        c = T->read(IOVA, m2);
    }));
    EXPECT_EQ(a.resp, AXI_OKAY);
    EXPECT_EQ(a.data, word_at(PA_A));
    EXPECT_EQ(b.data, word_at(PA_B));
    EXPECT_EQ(c.data, word_at(PA_C));
    EXPECT_EQ(bresp, AXI_OKAY);
    uint64_t got = 0;
    ASSERT_EQ(smmu_mem_read(T->mem, PA_B + 8, &got, 8), 0);
    EXPECT_EQ(got, 0x1122334455667788ull);
}

// AxMMUSECSID is SEC_SID (A13.4.1; SMMU 3.10.1): StreamID 5 Non-secure uses the Non-secure
// Stream table (stage 1: domain A's page), Secure the Secure one (bypass: the address itself,
// output Secure).
TEST_F(Axi5Mmu, SecsidSelectsTheSecureStreamTable) {
    read_result ns, sec;
    size_t before = 0;
    const test_memory::access *acc = nullptr;
    ASSERT_TRUE(T->go([&] {
        mmu_req m;
        m.sid = 5;
        ns = T->read(IOVA, m);
        m.secsid = true;
        before = T->data_mem.log.size();
        sec = T->read(IOVA, m);
        acc = last_access(before);
    }));
    EXPECT_EQ(ns.data, word_at(PA_A));
    EXPECT_EQ(sec.resp, AXI_OKAY);
    EXPECT_EQ(sec.data, word_at(IOVA));
    ASSERT_NE(acc, nullptr);
    EXPECT_EQ(acc->addr, IOVA);
    EXPECT_FALSE(acc->out.ns);
}

// AxMMUFLOW ATST (A13.6.2) makes the transaction ATS-Translated (SMMU 3.9.1.3): with ATSCHK == 1
// it bypasses translation when STE.EATS permits (StreamID 6: the address is the output address)
// and is terminated with F_TRANSL_FORBIDDEN when it does not (StreamID 7, EATS == 0b00).
TEST_F(Axi5Mmu, AtstFlowBypassesWhenEatsPermitsAndFaultsOtherwise) {
    read_result ok, bad;
    std::vector<smmu_drv_event_t> ev;
    ASSERT_TRUE(T->go([&] {
        events();
        mmu_req m;
        m.flow = AXI_FLOW_ATST;
        m.sid = 6;
        ok = T->read(PHYS, m);
        m.sid = 7;
        bad = T->read(PHYS, m);
        ev = events();
    }));
    EXPECT_EQ(ok.resp, AXI_OKAY);
    EXPECT_EQ(ok.data, word_at(PHYS));
    EXPECT_NE(bad.resp, AXI_OKAY);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].type, SMMU_EVT_F_TRANSL_FORBIDDEN);
    EXPECT_EQ(ev[0].sid, 7u);
}

// AxMMUFLOW NoStall (A13.6.3; SMMU 3.12): on a stream whose CD stalls faults (StreamID 3), a
// NoStall read of an unmapped page is terminated at once with an abort and a record with
// Stall == 0, nothing stalled; PRI (A13.6.4) likewise never stalls; the Stall flow stalls (no
// response until software resumes: CMD_RESUME with abort, then the error response).
TEST_F(Axi5Mmu, NoStallFlowOnStallingCdIsTerminatedInsteadOfStalled) {
    read_result nostall, pri, stalled;
    std::vector<smmu_drv_event_t> ev;
    unsigned pending_nostall = 9, pending_stall = 9;
    bool early_r = false;
    ASSERT_TRUE(T->go([&] {
        events();
        mmu_req m;
        m.sid = 3;
        m.flow = AXI_FLOW_NOSTALL;
        nostall = T->read(HOLE, m);
        m.flow = AXI_FLOW_PRI;
        pri = T->read(HOLE + 8, m);
        pending_nostall = smmu_stalls_pending(T->dut.core());
        ev = events();
        m.flow = AXI_FLOW_STALL;
        T->ar(HOLE + 16, m);
        T->s.rready.write(true);
        for (int i = 0; i < 200; i++) {
            T->edge();
            early_r = early_r || T->s.rvalid.read();
        }
        T->s.rready.write(false);
        pending_stall = smmu_stalls_pending(T->dut.core());
        smmu_drv_event_t st[4];
        ASSERT_EQ(smmu_drv_stalls(T->drv, st, 4), 1);
        ASSERT_EQ(smmu_drv_resume(T->drv, 3, st[0].stag, false), 0);
        stalled = T->r();
    }));
    EXPECT_EQ(nostall.resp, AXI_DECERR); // resp_map: an SMMU abort is TLM_ADDRESS_ERROR_RESPONSE
    EXPECT_EQ(pri.resp, AXI_DECERR);
    EXPECT_EQ(pending_nostall, 0u);
    ASSERT_EQ(ev.size(), 2u);
    for (const auto &e : ev) {
        EXPECT_EQ(e.type, SMMU_EVT_F_TRANSLATION);
        EXPECT_FALSE(e.stall);
    }
    EXPECT_FALSE(early_r);
    EXPECT_EQ(pending_stall, 1u);
    EXPECT_EQ(stalled.resp, AXI_DECERR);
}

// AxMMUFLOW PRI (IHI 0022 A13.6.4) on a stream whose STE enables ATS (StreamID 6, EATS 0b01,
// stage 1, HOLE unmapped): the translation fault is answered TRANSFAULT (0b101, Tables A3.28 and
// A3.31) on every R beat of a 4-beat burst and on B, through the bridge with 3-bit xRESP; the
// SMMU records nothing and stalls nothing (what an ATS Translation Request answers with no
// access, SMMU 3.9.1.2), so the device asks for the page with PRI. The same read through a
// bridge with 2-bit xRESP (no TRANSFAULT encoding) gets the documented fallback, map's
// address_error (DECERR). The NoStall flow on the same stream and page is an ordinary abort with
// an event: TRANSFAULT is only for the PRI flow.
TEST_F(Axi5Mmu, PriFlowTranslationFaultIsTransfaultOnEveryBeat_A13_6_4) {
    std::vector<uint32_t> burst, fallback;
    uint32_t bresp = 99;
    read_result stall_flow;
    std::vector<smmu_drv_event_t> ev_pri, ev_stall;
    unsigned pending = 9;
    ASSERT_TRUE(T->go([&] {
        events();
        mmu_req m;
        m.sid = 6;
        m.flow = AXI_FLOW_PRI;
        T->ar(HOLE, m, 3);
        burst = T->r_burst();
        bresp = T->write(HOLE + 0x40, 0x55, m);
        T->pins = &T->s2;
        T->ar(HOLE + 0x80, m, 1);
        fallback = T->r_burst();
        T->pins = &T->s;
        pending = smmu_stalls_pending(T->dut.core());
        ev_pri = events();
        m.flow = AXI_FLOW_NOSTALL;
        stall_flow = T->read(HOLE + 0xC0, m);
        ev_stall = events();
    }));
    ASSERT_EQ(burst.size(), 4u);
    for (uint32_t x : burst)
        EXPECT_EQ(x, 0b101u);
    EXPECT_EQ(bresp, 0b101u);
    ASSERT_EQ(fallback.size(), 2u);
    for (uint32_t x : fallback)
        EXPECT_EQ(x, AXI_DECERR);
    EXPECT_EQ(pending, 0u);
    EXPECT_TRUE(ev_pri.empty());
    EXPECT_EQ(stall_flow.resp, AXI_DECERR);
    ASSERT_EQ(ev_stall.size(), 1u);
    EXPECT_EQ(ev_stall[0].type, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(T->bridge.stats().resp[AXI_TRANSFAULT], 2u);
}

// AxMMUVALID low (A13.7): the address is physical; the bridge sends it as its default StreamID
// (bypass here), whatever AxMMUSID says: the read returns the memory at the address. With
// AxMMUVALID high the same address is an IOVA of StreamID 1, unmapped there: an abort.
TEST_F(Axi5Mmu, MmuValidLowGoesAsTheDefaultStream) {
    read_result phys, virt;
    ASSERT_TRUE(T->go([&] {
        mmu_req m;
        m.sid = 1;
        m.valid = false;
        phys = T->read(PHYS, m);
        m.valid = true;
        virt = T->read(PHYS, m);
    }));
    EXPECT_EQ(phys.resp, AXI_OKAY);
    EXPECT_EQ(phys.data, word_at(PHYS));
    EXPECT_NE(virt.resp, AXI_OKAY);
}

// AxCACHE / AxDOMAIN are the input attributes (SMMU 16.7.5.1.1) that a bypass STE passes on
// (SHCFG "use incoming"): Device-Sys bufferable in, Device-nGnRE out, AxCACHE 0b0001 System on
// the output (16.7.5.2.1); Write-back ISH in, Write-back ISH out. With STE.MTCFG = 1 and MemAttr
// iWB-oWB (StreamID 8) a Device-Sys input leaves as Write-back OSH: the example of 16.7.5.2.
TEST_F(Axi5Mmu, AxcacheAxdomainReachTheCoreAndOverridesActOnThem) {
    const test_memory::access *dev = nullptr, *wb = nullptr, *ovr = nullptr;
    ASSERT_TRUE(T->go([&] {
        mmu_req m;
        m.sid = 4;
        m.cache = 0x1;
        m.domain = SMMU_AXDOMAIN_SYS;
        size_t n = T->data_mem.log.size();
        T->read(PHYS, m);
        dev = last_access(n);
        m.cache = 0xF;
        m.domain = SMMU_AXDOMAIN_ISH;
        n = T->data_mem.log.size();
        T->read(PHYS, m);
        wb = last_access(n);
        m.sid = 8;
        m.cache = 0x0;
        m.domain = SMMU_AXDOMAIN_SYS;
        n = T->data_mem.log.size();
        T->read(PHYS, m);
        ovr = last_access(n);
    }));
    ASSERT_TRUE(dev && wb && ovr);
    EXPECT_EQ(dev->out.attr, 0x04);
    EXPECT_EQ(dev->out.axcache(false), 0x1);
    EXPECT_EQ(dev->out.axdomain(), SMMU_AXDOMAIN_SYS);
    EXPECT_EQ(wb->out.attr, 0xFF);
    EXPECT_EQ(wb->out.axcache(false), 0xF);
    EXPECT_EQ(wb->out.axdomain(), SMMU_AXDOMAIN_ISH);
    EXPECT_EQ(ovr->out.axcache(false), 0xF);
    EXPECT_EQ(ovr->out.axdomain(), SMMU_AXDOMAIN_OSH);
}

// AxLOCK and AxQOS are accepted; an exclusive read goes through as an ordinary access and is
// answered OKAY, never EXOKAY (16.7.3: the master sees an exclusive fail), and the request hook
// sees both signals.
TEST_F(Axi5Mmu, ExclusiveAccessIsAnsweredAsAnOrdinaryOne) {
    read_result r;
    axi_request seen;
    T->bridge.set_request_hook([&](const axi_request &q) { seen = q; });
    ASSERT_TRUE(T->go([&] {
        mmu_req m;
        m.sid = 1;
        m.lock = true;
        r = T->read(IOVA, m);
    }));
    T->bridge.set_request_hook(nullptr);
    EXPECT_EQ(r.resp, AXI_OKAY);
    EXPECT_EQ(r.data, word_at(PA_A));
    EXPECT_TRUE(seen.lock);
    EXPECT_EQ(seen.qos, 5u);
    EXPECT_EQ(seen.user.sid, 1u); // the stream the MMU signals gave
}

// Untranslated_Transactions v1 (IHI 0022 Table A13.3, A13.6): AxMMUATST selects the flow (1: ATST,
// 0: Stall) and AxMMUFLOW / AxMMUVALID are not part of the interface (the bridge ignores them):
// with AxMMUVALID low and AxMMUFLOW NoStall on the pins, AxMMUATST high on StreamID 6 still reads
// the address as an ATS-translated one (EATS permits), and AxMMUATST low on StreamID 1 translates
// the IOVA through stage 1.
TEST_F(Axi5Mmu, Version1AtstSignalSelectsTheAtstFlow) {
    read_result atst, plain;
    ASSERT_TRUE(T->go([&] {
        axi_signals &s = T->s1;
        auto read = [&](uint64_t addr, uint32_t sid, bool at) {
            s.arvalid.write(true);
            s.arid.write(3);
            s.araddr.write(addr);
            s.arlen.write(0);
            s.arsize.write(3);
            s.arburst.write(AXI_INCR);
            s.arprot.write(AXI_PROT_NS);
            s.armmuvalid.write(false);
            s.armmuflow.write(AXI_FLOW_NOSTALL);
            s.armmusid.write(sid);
            s.armmuatst.write(at);
            do
                T->edge();
            while (!s.arready.read());
            s.arvalid.write(false);
            s.rready.write(true);
            do
                T->edge();
            while (!s.rvalid.read());
            s.rready.write(false);
            return read_result{s.rdata.read(), s.rresp.read()};
        };
        atst = read(PHYS, 6, true);
        plain = read(IOVA, 1, false);
    }));
    EXPECT_EQ(atst.resp, AXI_OKAY);
    EXPECT_EQ(atst.data, word_at(PHYS));
    EXPECT_EQ(plain.resp, AXI_OKAY);
    EXPECT_EQ(plain.data, word_at(PA_A));
    for (const auto &v : T->bridge_v1.violations())
        ADD_FAILURE() << v.to_string();
}
