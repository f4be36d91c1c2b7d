// SPDX-License-Identifier: Apache-2.0 OR MIT
// The co-simulation platform (docs/cosim.md):
//
//   clk, rst_n ─┬─────────────┬──────────────────────┬─────────────────┐
//   host ─APB──> smmu_dma (Verilated RTL) ─AXI4 pins─> axi_tlm_bridge ─TLM─> smmu.upstream[0]
//   host ──┐                                                            smmu.downstream ──┐
//          └─> router ──┬─> memory  <─────────────────────────────────────────────────────┘
//                       └─> smmu.regs                        smmu.table ─> router
//   bridge requests + consumed invalidations (cmdq_snoop: the core's trace points)
//                                          ─> utlb_lockstep ─pins─> smmu_utlb (Verilated RTL)
//                                          └─> utlb_lockstep ─pins─> smmu_utlb, BUG_ASID8 = 1
//
// The host (smmu_model::host) runs c_core/drv over TLM: every register access and table write
// goes through the router, as software would. Test programs run in the host's thread
// (run()); they program the SMMU with drv(), the DMA with dma_copy() (APB transfers on the
// RTL's pins) and read memory back with mem().
#ifndef SMMU_COSIM_PLATFORM_H
#define SMMU_COSIM_PLATFORM_H

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include <smmu/drv.h>
#include <smmu_cosim/apb.h>
#include <smmu_cosim/axi.h>
#include <smmu_cosim/axi_bridge.h>
#include <smmu_cosim/lockstep.h>
#include <smmu_model/host.h>
#include <smmu_model/memory.h>
#include <smmu_model/router.h>
#include <smmu_tlm/smmu_tlm.h>

class Vsmmu_dma;
class Vsmmu_dma256;
class Vsmmu_utlb;
class Vsmmu_utlb_bug;
class VerilatedVcdSc;

namespace smmu_cosim {

struct platform_params {
    sc_core::sc_time clk_period{10, sc_core::SC_NS};
    smmu_tlm::smmu_tlm_params smmu; // one upstream port (the bridge)
    bridge_params bridge;
    smmu_model::memory_params memory;
    uint64_t mem_size = uint64_t(1) << 32; // memory at [0, mem_size)
    uint64_t reg_base = uint64_t(1) << 32; // the SMMU register frame (128 KiB)
    uint64_t pool_base = 0x80000000;       // driver tables and queues
    uint64_t pool_size = 16 << 20;
    int rand_reset = 2; // Verilated::randReset: 2 randomises state
    int rand_seed = 1;  // Verilated::randSeed
    std::string vcd;    // non-empty: VCD of the RTL signals
    // The DMA's and the bridge's data bus: 64 (smmu_dma, axi_tlm_bridge) or 256 (smmu_dma
    // Verilated with DATA_W = 256, axi_tlm_bridge_w<256>)
    unsigned data_bits = 64;
};

// smmu_dma register offsets and STATUS bits (model/rtl/smmu_dma.v).
enum : uint32_t {
    DMA_CTRL = 0x00,
    DMA_STATUS = 0x04,
    DMA_SRC_LO = 0x08,
    DMA_SRC_HI = 0x0C,
    DMA_DST_LO = 0x10,
    DMA_DST_HI = 0x14,
    DMA_LEN = 0x18,
    DMA_SID = 0x1C,
    DMA_SSID = 0x20,
    DMA_ATTR = 0x24,
    DMA_ERR_ADDR_LO = 0x28,
    DMA_ERR_ADDR_HI = 0x2C,
    DMA_BYTES_DONE = 0x30,
    DMA_ID = 0x34,
    DMA_MODE = 0x38,
};
enum : uint32_t {
    DMA_ST_BUSY = 1,
    DMA_ST_DONE = 2,
    DMA_ST_ERR = 4,
    DMA_ST_RESP_SHIFT = 4, // [5:4]
    DMA_ST_ERR_WRITE = 0x40,
    DMA_ST_CFG_ERR = 0x80,
};

struct dma_job {
    uint64_t src = 0, dst = 0; // device (input) addresses, 8-byte aligned
    uint32_t len = 0;          // bytes, a multiple of 8
    uint32_t sid = 0, ssid = 0;
    bool ssv = false;
    uint8_t prot = AXI_PROT_NS; // AxPROT
    unsigned burst = 16;        // beats per burst, 1..16
    unsigned id = 0;            // AxID, 0..15
    // smmu_dma MODE (0 = one burst at a time, INCR, 64-bit beats)
    unsigned outstanding = 1; // bursts per batch, 1..8
    unsigned ids_log2 = 0;    // AxID rotates over id + 0 .. 2^ids_log2 - 1 (0..3)
    unsigned narrow = 0;      // AxSIZE = log2(data_bits / 8) - narrow
    unsigned burst_type = 0;  // DMA_BURST_*
    bool w_first = false;     // W beats before their AW
    bool cross_4k = false;    // INCR bursts not split at 4 KiB (a protocol violation)
};
enum : unsigned { DMA_BURST_INCR = 0, DMA_BURST_WRAP = 1, DMA_BURST_FIXED = 2 };

struct dma_status {
    bool done = false, err = false, err_write = false, cfg_err = false, timed_out = false;
    uint8_t resp = 0; // AXI response of the error
    uint64_t err_addr = 0;
    uint32_t bytes_done = 0;
};

class platform : public sc_core::sc_module {
  public:
    SC_HAS_PROCESS(platform);
    platform(sc_core::sc_module_name name, const platform_params &p = platform_params());
    ~platform() override;

    // Runs fn in the host's thread (after reset, with the driver initialised) and simulates
    // until it returns (true) or timeout passes (false). Call from outside the simulation.
    bool run(const std::function<void(platform &)> &fn,
             sc_core::sc_time timeout = sc_core::sc_time(10, sc_core::SC_MS));

    // ---- from inside run() ----
    smmu_drv_t *drv() {
        return drv_;
    }
    smmu_model::host &host() {
        return *host_;
    }
    void dma_start(const dma_job &j);
    dma_status dma_wait(sc_core::sc_time timeout);
    dma_status dma_copy(const dma_job &j,
                        sc_core::sc_time timeout = sc_core::sc_time(1, sc_core::SC_MS));
    uint32_t dma_reg(uint32_t off) {
        return apb_->read(off);
    }
    // Holds rst_n low for `edges` rising edges, then returns after the first edge with it high.
    // rst_n resets the DMA, the APB master, the bridge, the micro-TLBs and their lockstep
    // checkers; not the SMMU (its reset is smmu_reset(smmu().core()), docs/cosim.md "Reset").
    void reset(unsigned edges);
    // Waits until the bridge and both lockstep checkers have nothing outstanding.
    void settle();
    // Drains the event queue (smmu_drv_next_event).
    std::vector<smmu_drv_event_t> events();

    // ---- components ----
    smmu_tlm::smmu &smmu() {
        return *smmu_;
    }
    smmu_model::memory &mem() {
        return *mem_;
    }
    axi_tlm_bridge_base &bridge() {
        return *bridge_;
    }
    cmdq_snoop &snoop() {
        return *snoop_;
    }
    utlb_lockstep &lockstep() { // the correct micro-TLB
        return *ls_good_;
    }
    utlb_lockstep &lockstep_bugged() { // the micro-TLB built with BUG_ASID8
        return *ls_bug_;
    }
    const std::vector<std::string> &setup_errors() const {
        return setup_errors_;
    }
    // Closes the VCD (also done by the destructor).
    void close_trace();

  private:
    void reset_thread();
    void program(smmu_model::host &h);

    platform_params p_;
    sc_core::sc_clock clk_;
    sc_core::sc_signal<bool> rst_n_{"rst_n"}, dma_irq_{"dma_irq"};
    sc_core::sc_signal<bool> irq_eventq_{"irq_eventq"}, irq_priq_{"irq_priq"},
        irq_sync_{"irq_sync"}, irq_gerror_{"irq_gerror"};
    apb_signals apb_sig_;
    axi_signals axi_sig_;
    axi_signals_w<256> axi_sig256_;
    utlb_signals utlb_sig_, utlb_bug_sig_;

    std::unique_ptr<smmu_model::router> bus_;
    std::unique_ptr<smmu_model::memory> mem_;
    std::unique_ptr<smmu_model::host> host_;
    std::unique_ptr<smmu_tlm::smmu> smmu_;
    std::unique_ptr<cmdq_snoop> snoop_;
    std::unique_ptr<axi_tlm_bridge_base> bridge_;
    std::unique_ptr<apb_master> apb_;
    std::unique_ptr<Vsmmu_dma> dma_;       // data_bits 64
    std::unique_ptr<Vsmmu_dma256> dma256_; // data_bits 256
    std::unique_ptr<Vsmmu_utlb> utlb_;
    std::unique_ptr<Vsmmu_utlb_bug> utlb_bug_;
    std::unique_ptr<utlb_lockstep> ls_good_, ls_bug_;
    VerilatedVcdSc *vcd_ = nullptr;
    bool vcd_pending_ = false;

    smmu_drv_t *drv_ = nullptr;
    std::vector<std::string> setup_errors_;
    std::function<void(platform &)> job_;
    bool job_active_ = false, broken_ = false;
    sc_core::sc_event reset_done_, reset_req_;
    unsigned reset_edges_ = 0;
};

} // namespace smmu_cosim

#endif
