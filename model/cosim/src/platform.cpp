// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <smmu_cosim/platform.h>

#include <Vsmmu_dma.h>
#include <Vsmmu_dma256.h>
#include <Vsmmu_utlb.h>
#include <Vsmmu_utlb_bug.h>
#include <verilated.h>
#include <verilated_vcd_sc.h>

namespace smmu_cosim {

using namespace sc_core;

platform::platform(sc_module_name name, const platform_params &p)
    : sc_module(name), p_(p), clk_("clk", p.clk_period) {
    // Uninitialised RTL state comes out random (2-state stand-in for X), reproducibly.
    Verilated::randReset(p_.rand_reset);
    Verilated::randSeed(p_.rand_seed);
    if (!p_.vcd.empty()) Verilated::traceEverOn(true);

    bus_.reset(new smmu_model::router("bus"));
    smmu_model::memory_params mp = p_.memory;
    mp.size = 0; // the router bounds it
    mem_.reset(new smmu_model::memory("mem", mp));
    host_.reset(new smmu_model::host("host"));
    host_->set_program([this](smmu_model::host &h) { program(h); });
    p_.smmu.n_upstream = 1;
    // the driver sanitizer (params.dsan): the memory tells the core of every write (below)
    if (p_.smmu.core.dsan.on) p_.smmu.core.dsan.writes_notified = true;
    smmu_.reset(new smmu_tlm::smmu("smmu", p_.smmu));
    if (p_.smmu.core.dsan.on && smmu_->core())
        mem_->set_write_observer([c = smmu_->core()](uint64_t a, const uint8_t *d, size_t n) {
            smmu_dsan_write(c, a, d, n, false); // one PA space
        });
    snoop_.reset(new cmdq_snoop(*smmu_));
    if (p_.data_bits != 64 && p_.data_bits != 256)
        SC_REPORT_ERROR("smmu_cosim/platform", "data_bits must be 64 or 256");
    apb_.reset(new apb_master("apb"));
    utlb_.reset(new Vsmmu_utlb("utlb"));
    utlb_bug_.reset(new Vsmmu_utlb_bug("utlb_bug"));
    ls_good_.reset(new utlb_lockstep("lockstep", smmu_->core()));
    ls_bug_.reset(new utlb_lockstep("lockstep_bug", smmu_->core()));

    // TLM
    bus_->initiator.bind(mem_->socket); // port 0
    bus_->map("memory", 0, p_.mem_size, 0, 0);
    bus_->initiator.bind(smmu_->regs); // port 1
    bus_->map("smmu.regs", p_.reg_base, 0x20000, 1);
    host_->socket.bind(bus_->target);
    smmu_->downstream.bind(bus_->target);
    smmu_->table.bind(bus_->target);
    smmu_->irq_eventq(irq_eventq_);
    smmu_->irq_priq(irq_priq_);
    smmu_->irq_cmd_sync(irq_sync_);
    smmu_->irq_gerror(irq_gerror_);

    // pins
    // the DMA and the bridge at the data width
    auto wire = [this](auto &dma, auto &bridge, auto &sig) {
        dma.clk(clk_);
        dma.rst_n(rst_n_);
        dma.irq(dma_irq_);
        bind_apb_slave(dma, apb_sig_);
        bind_axi_master(dma, sig);
        bridge.clk(clk_);
        bridge.rst_n(rst_n_);
        bridge.bind(sig);
    };
    if (p_.data_bits == 256) {
        dma256_.reset(new Vsmmu_dma256("dma"));
        auto *b = new axi_tlm_bridge_w<256>("bridge", p_.bridge);
        bridge_.reset(b);
        wire(*dma256_, *b, axi_sig256_);
    } else {
        dma_.reset(new Vsmmu_dma("dma"));
        auto *b = new axi_tlm_bridge("bridge", p_.bridge);
        bridge_.reset(b);
        wire(*dma_, *b, axi_sig_);
    }
    bridge_->socket.bind(smmu_->upstream[0]);
    apb_->clk(clk_);
    apb_->rst_n(rst_n_);
    apb_->bind(apb_sig_);
    utlb_->clk(clk_);
    utlb_->rst_n(rst_n_);
    bind_utlb(*utlb_, utlb_sig_);
    ls_good_->clk(clk_);
    ls_good_->rst_n(rst_n_);
    ls_good_->bind(utlb_sig_);
    utlb_bug_->clk(clk_);
    utlb_bug_->rst_n(rst_n_);
    bind_utlb(*utlb_bug_, utlb_bug_sig_);
    ls_bug_->clk(clk_);
    ls_bug_->rst_n(rst_n_);
    ls_bug_->bind(utlb_bug_sig_);

    // lockstep feeds
    bridge_->set_request_hook([this](const axi_request &r) {
        ls_good_->observe(r);
        ls_bug_->observe(r);
    });
    snoop_->add_listener([this](const uint64_t cmd[2]) {
        tlb_invalidation inv;
        if (!decode_invalidation(cmd, inv)) return;
        ls_good_->invalidate(inv);
        ls_bug_->invalidate(inv);
    });

    SC_THREAD(reset_thread);
    vcd_pending_ = !p_.vcd.empty();
}

platform::~platform() {
    close_trace();
}

void platform::close_trace() {
    if (!vcd_) return;
    vcd_->close();
    delete vcd_;
    vcd_ = nullptr;
}

void platform::reset_thread() {
    rst_n_.write(false);
    wait(4 * p_.clk_period);
    wait(clk_.posedge_event());
    rst_n_.write(true);
    wait(SC_ZERO_TIME);
    reset_done_.notify(SC_ZERO_TIME);
    for (;;) { // later resets (platform::reset): this thread is rst_n's only writer
        wait(reset_req_);
        wait(clk_.posedge_event());
        rst_n_.write(false);
        for (unsigned i = 0; i < reset_edges_; i++)
            wait(clk_.posedge_event());
        rst_n_.write(true);
        wait(clk_.posedge_event());
        reset_done_.notify(SC_ZERO_TIME);
    }
}

void platform::reset(unsigned edges) {
    reset_edges_ = edges ? edges : 1;
    reset_req_.notify(SC_ZERO_TIME);
    wait(reset_done_);
}

void platform::program(smmu_model::host &h) {
    if (!rst_n_.read()) wait(reset_done_);
    smmu_drv_config_t cfg{};
    cfg.pool_base = p_.pool_base;
    cfg.pool_size = p_.pool_size;
    cfg.sid_bits = 8;
    drv_ = h.new_driver(p_.reg_base, cfg);
    int err = drv_ ? smmu_drv_init(drv_) : SMMU_DRV_EINVAL;
    if (err) setup_errors_.push_back(std::string("smmu_drv_init: ") + smmu_drv_strerror(err));
    for (;;) {
        while (!job_)
            wait(p_.clk_period);
        job_(*this);
        job_ = nullptr;
        job_active_ = false;
        sc_pause();
    }
}

bool platform::run(const std::function<void(platform &)> &fn, sc_time timeout) {
    if (broken_) return false;
    if (vcd_pending_) { // Verilator's rule: trace after the first evaluation
        vcd_pending_ = false;
        sc_start(SC_ZERO_TIME);
        vcd_ = new VerilatedVcdSc;
        if (dma_) dma_->trace(vcd_, 99);
        if (dma256_) dma256_->trace(vcd_, 99);
        utlb_->trace(vcd_, 99);
        utlb_bug_->trace(vcd_, 99);
        vcd_->open(p_.vcd.c_str());
    }
    job_ = fn;
    job_active_ = true;
    sc_start(timeout);
    if (job_active_) broken_ = true; // still inside fn: the platform cannot be reused
    return !job_active_;
}

void platform::dma_start(const dma_job &j) {
    apb_->write(DMA_SRC_LO, static_cast<uint32_t>(j.src));
    apb_->write(DMA_SRC_HI, static_cast<uint32_t>(j.src >> 32));
    apb_->write(DMA_DST_LO, static_cast<uint32_t>(j.dst));
    apb_->write(DMA_DST_HI, static_cast<uint32_t>(j.dst >> 32));
    apb_->write(DMA_LEN, j.len);
    apb_->write(DMA_SID, j.sid);
    apb_->write(DMA_SSID, (j.ssid & 0xFFFFF) | (j.ssv ? 0x80000000u : 0));
    unsigned burst = j.burst < 1 ? 1 : j.burst > 16 ? 16 : j.burst;
    apb_->write(DMA_ATTR, (j.prot & 7u) | ((burst - 1) << 4) | ((j.id & 15u) << 8));
    unsigned outst = j.outstanding < 1 ? 1 : j.outstanding > 8 ? 8 : j.outstanding;
    apb_->write(DMA_MODE, (outst - 1) | ((j.ids_log2 & 3u) << 4) | ((j.narrow & 3u) << 8) |
                              ((j.burst_type & 3u) << 12) | (j.w_first ? 1u << 16 : 0u) |
                              (j.cross_4k ? 1u << 17 : 0u));
    apb_->write(DMA_CTRL, 1);
    // DONE of the previous copy clears at the edge that takes START (unless the new job is
    // refused at once with CFG_ERR): let the interrupt line follow before anyone waits on it
    if (dma_irq_.read()) wait(2 * p_.clk_period, dma_irq_.negedge_event());
}

dma_status platform::dma_wait(sc_time timeout) {
    dma_status s;
    const sc_time deadline = sc_time_stamp() + timeout;
    while (!dma_irq_.read() && sc_time_stamp() < deadline)
        wait(deadline - sc_time_stamp(), dma_irq_.posedge_event());
    uint32_t st = apb_->read(DMA_STATUS);
    s.timed_out = !(st & DMA_ST_DONE);
    s.done = st & DMA_ST_DONE;
    s.err = st & DMA_ST_ERR;
    s.err_write = st & DMA_ST_ERR_WRITE;
    s.cfg_err = st & DMA_ST_CFG_ERR;
    s.resp = static_cast<uint8_t>((st >> DMA_ST_RESP_SHIFT) & 3);
    s.err_addr = apb_->read(DMA_ERR_ADDR_LO) | (uint64_t(apb_->read(DMA_ERR_ADDR_HI)) << 32);
    s.bytes_done = apb_->read(DMA_BYTES_DONE);
    return s;
}

dma_status platform::dma_copy(const dma_job &j, sc_time timeout) {
    dma_start(j);
    return dma_wait(timeout);
}

void platform::settle() {
    while (!bridge_->idle() || !ls_good_->idle() || !ls_bug_->idle())
        wait(clk_.posedge_event());
    wait(clk_.posedge_event());
}

std::vector<smmu_drv_event_t> platform::events() {
    std::vector<smmu_drv_event_t> v;
    smmu_drv_event_t ev;
    while (drv_ && smmu_drv_next_event(drv_, &ev) == 0)
        v.push_back(ev);
    return v;
}

} // namespace smmu_cosim
