// SPDX-License-Identifier: Apache-2.0 OR MIT
// The out-of-tree co-simulation example (docs/cosim.md): a Verilated AXI master
// (axi_master.v) -> smmu_cosim::axi_tlm_bridge -> smmu_tlm::smmu -> memory. The driver maps four
// IOVA pages of StreamID 3 to scattered physical pages; the master writes a burst to each page,
// reads it back and compares; this program then checks the data at the physical pages and that
// the bridge's AXI checker saw no protocol violation.
#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu_cosim/axi_bridge.h>
#include <smmu_cosim/axi_link.h>
#include <smmu_model/memory.h>
#include <smmu_tlm/smmu_tlm.h>

#include "Vaxi_master.h"

#include <cinttypes>
#include <cstdio>

namespace {

constexpr uint32_t kSid = 3;
constexpr uint64_t kIova = 0x10000;
constexpr unsigned kPasses = 4, kBeats = 8; // axi_master.v's parameters
constexpr uint64_t pa_of(unsigned page) {
    return 0x40000000 + uint64_t(page) * 0x3000; // scattered
}
// what axi_master.v writes: beat b of pass p
uint64_t pattern(uint32_t base, unsigned p, unsigned b) {
    const uint32_t pb = (p & 0xFF) << 8 | (b & 0xFF);
    return uint64_t(0xC0DE0000u | pb) << 32 | (base ^ (pb << 16 | pb));
}

struct testbench : sc_core::sc_module {
    sc_core::sc_clock clk{"clk", 10, sc_core::SC_NS};
    sc_core::sc_signal<bool> rst_n{"rst_n"}, start{"start"}, done{"done"};
    sc_core::sc_signal<uint32_t> base{"base"}, errors{"errors"};

    smmu_mem_t *mem = smmu_mem_new();
    smmu_model::memory data{"data", smmu_model::memory_params(), mem};
    smmu_model::memory tables{"tables", smmu_model::memory_params(), mem};
    smmu_tlm::smmu smmu{"smmu", smmu_tlm::smmu_tlm_params()};
    smmu_cosim::axi_tlm_bridge bridge{"bridge"};
    Vaxi_master rtl{"rtl"};
    smmu_cosim::axi_link link;
    bool ok = false;

    static smmu_cosim::axi_link_options link_options() {
        smmu_cosim::axi_link_options o;
        o.master_prefix = "m_axi_"; // m_axi_awvalid ... m_axi_rlast
        o.master_clock = "aclk";
        o.master_reset = "aresetn";
        o.stream.sid = kSid; // the master has no AxUSER: its StreamID
        return o;
    }

    SC_HAS_PROCESS(testbench);
    explicit testbench(sc_core::sc_module_name n)
        : sc_module(n), link("link", rtl, bridge, clk, rst_n, link_options()) {
        rtl.start(start);
        rtl.base(base);
        rtl.done(done);
        rtl.errors(errors);
        bridge.socket.bind(smmu.upstream[0]);
        smmu.downstream.bind(data.socket);
        smmu.table.bind(tables.socket);
        SC_THREAD(run);
    }
    ~testbench() override {
        smmu_mem_free(mem);
    }

    void run() {
        // The SMMU, programmed by the project's driver straight on the core: stage 1 for kSid.
        smmu_drv_t *d = smmu_drv_new_direct(smmu.core(), mem, 0x80000000, 16 << 20);
        smmu_domain_t *dom = nullptr;
        smmu_domain_cfg_t dc = {1, 1, 4096, 48, 0};
        bool mapped = d && smmu_drv_init(d) == 0 && smmu_drv_domain_new(d, &dc, &dom) == 0;
        for (unsigned p = 0; mapped && p < kPasses; p++)
            mapped = smmu_drv_map(d, dom, kIova + p * 0x1000, pa_of(p), 0x1000,
                                  SMMU_PROT_R | SMMU_PROT_W) == 0;
        mapped = mapped && smmu_drv_attach_s1(d, kSid, dom, 0, SMMU_DRV_S1DSS_TERMINATE) == 0;
        if (!mapped) {
            std::printf("driver setup failed\n");
            sc_core::sc_stop();
            return;
        }
        // reset for a few clocks, then start the master
        base.write(static_cast<uint32_t>(kIova));
        wait(5 * clk.period());
        rst_n.write(true);
        wait(2 * clk.period());
        start.write(true);
        wait(sc_core::sc_time(100, sc_core::SC_US), done.posedge_event()); // or time out
        wait(2 * clk.period());

        unsigned bad = 0;
        for (unsigned p = 0; p < kPasses; p++)
            for (unsigned b = 0; b < kBeats; b++) {
                uint64_t v = 0;
                smmu_mem_read(mem, pa_of(p) + 8 * b, &v, 8);
                if (v != pattern(static_cast<uint32_t>(kIova), p, b)) bad++;
            }
        const auto &st = bridge.stats();
        std::printf("master: done %d, errors %u; bridge: %" PRIu64 " reads, %" PRIu64
                    " writes, %zu AXI violations; memory: %u wrong beats at the PAs\n",
                    done.read(), errors.read(), st.reads, st.writes, bridge.violations().size(),
                    bad);
        ok = done.read() && errors.read() == 0 && bad == 0 && st.reads == kPasses &&
             st.writes == kPasses && bridge.violations().empty();
        smmu_drv_free(d);
        sc_core::sc_stop();
    }
};

} // namespace

int sc_main(int, char **) {
    testbench tb("tb");
    sc_core::sc_start();
    std::printf("cosim_outside: %s\n", tb.ok ? "OK" : "FAILED");
    return tb.ok ? 0 : 1;
}
