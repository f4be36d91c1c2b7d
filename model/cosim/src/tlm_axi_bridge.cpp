// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <smmu_cosim/tlm_axi_bridge.h>

#include <algorithm>

namespace smmu_cosim {

using namespace sc_core;

// One b_transport call: its bursts, how many are unanswered, the worst response.
struct tlm_axi_bridge_base::txn {
    tlm::tlm_generic_payload *gp = nullptr;
    std::vector<burst> bursts;
    size_t pending = 0;
    uint32_t worst = AXI_OKAY;
    bool dropped = false; // a reset took its bursts
};

namespace {

bool enabled(const tlm::tlm_generic_payload &gp, uint64_t i) {
    const unsigned char *be = gp.get_byte_enable_ptr();
    const unsigned bel = gp.get_byte_enable_length();
    return !be || !bel || be[i % bel] == TLM_BYTE_ENABLED;
}

tlm::tlm_response_status status_of(uint32_t resp) {
    switch (resp & 3) {
    case AXI_SLVERR:
        return tlm::TLM_GENERIC_ERROR_RESPONSE;
    case AXI_DECERR:
        return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    default: // OKAY, EXOKAY
        return tlm::TLM_OK_RESPONSE;
    }
}

// SLVERR and DECERR are errors, DECERR the worse one (it names no slave at all).
uint32_t worse(uint32_t a, uint32_t b) {
    auto rank = [](uint32_t r) { return r == AXI_DECERR ? 3 : r == AXI_SLVERR ? 2 : 0; };
    return rank(b) > rank(a) ? b : a;
}

} // namespace

tlm_axi_bridge_base::tlm_axi_bridge_base(sc_module_name name, const master_bridge_params &p,
                                         unsigned port_bytes)
    : sc_module(name), clk("clk"), rst_n("rst_n"), awvalid("awvalid"), awready("awready"),
      awid("awid"), awlen("awlen"), awsize("awsize"), awburst("awburst"), awprot("awprot"),
      awaddr("awaddr"), awuser("awuser"), awcache("awcache"), awdomain("awdomain"), awqos("awqos"),
      wvalid("wvalid"), wlast("wlast"), wready("wready"), bvalid("bvalid"), bready("bready"),
      bid("bid"), bresp("bresp"), arvalid("arvalid"), arready("arready"), arid("arid"),
      arlen("arlen"), arsize("arsize"), arburst("arburst"), arprot("arprot"), araddr("araddr"),
      aruser("aruser"), arcache("arcache"), ardomain("ardomain"), arqos("arqos"), rvalid("rvalid"),
      rlast("rlast"), rready("rready"), rid("rid"), rresp("rresp"), socket("socket"),
      debug("debug"), p_(p), checker_(p.data_bytes ? p.data_bytes : port_bytes), size_(0) {
    if (p_.data_bytes == 0) p_.data_bytes = port_bytes;
    if (p_.data_bytes > port_bytes || (p_.data_bytes & (p_.data_bytes - 1)))
        SC_REPORT_ERROR("smmu_cosim/tlm_axi_bridge",
                        "data_bytes must be a power of two up to the data ports' width");
    if (p_.ids == 0) p_.ids = 1;
    while ((1u << size_) < p_.data_bytes)
        size_++;
    socket.register_b_transport(this, &tlm_axi_bridge_base::b_transport);
    socket.register_transport_dbg(this, &tlm_axi_bridge_base::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &tlm_axi_bridge_base::get_direct_mem_ptr);
    SC_METHOD(on_clock);
    sensitive << clk.pos();
    dont_initialize();
}

bool tlm_axi_bridge_base::idle() const {
    return aw_q_.empty() && ar_q_.empty() && w_q_.empty() && reads_out_ == 0 && writes_out_ == 0;
}

uint32_t tlm_axi_bridge_base::id_of_caller() {
    const sc_object *proc = sc_get_current_process_handle().get_process_object();
    auto it = ids_.find(proc);
    if (it != ids_.end()) return it->second;
    const uint32_t id = p_.id_base + next_id_++ % p_.ids;
    ids_.emplace(proc, id);
    return id;
}

// AxPROT (IHI 0022 A4.7): [0] privileged, [1] Non-secure, [2] instruction. The address space
// is the SMMU's output one when it attached an output_extension (downstream and table accesses
// both carry one); privileged / instruction are the requester's (stream_extension), the
// output_extension has no field for them.
uint32_t tlm_axi_bridge_base::prot_of(tlm::tlm_generic_payload &gp) const {
    uint32_t prot = p_.default_prot;
    if (const auto *se = gp.get_extension<smmu_tlm::stream_extension>()) {
        prot = (se->priv ? AXI_PROT_PRIV : 0) | (se->secure ? 0 : AXI_PROT_NS) |
               (se->instr ? AXI_PROT_INSTR : 0);
    }
    if (const auto *oe = gp.get_extension<smmu_tlm::output_extension>())
        prot = (prot & ~uint32_t(AXI_PROT_NS)) | (oe->ns ? AXI_PROT_NS : 0);
    return prot;
}

void tlm_axi_bridge_base::b_transport(int, tlm::tlm_generic_payload &gp, sc_time &delay) {
    // LT: the caller's time offset is spent before the pins, which live in simulated time
    if (delay != SC_ZERO_TIME) wait(delay);
    delay = SC_ZERO_TIME;
    const uint64_t len = gp.get_data_length();
    if (gp.get_command() == tlm::TLM_IGNORE_COMMAND || len == 0) {
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    if (gp.get_streaming_width() < len) { // FIXED-address streaming: not mapped
        gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (!gp.get_data_ptr()) {
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    const bool write = gp.is_write();
    const uint32_t id = id_of_caller();
    const uint32_t prot = prot_of(gp);
    // the SMMU's output attributes (16.7.5.2.1) when it forwarded this transaction
    const auto *oe = gp.get_extension<smmu_tlm::output_extension>();
    const uint32_t cache = oe ? oe->axcache(write) : p_.default_cache;
    const uint32_t domain = oe ? oe->axdomain() : p_.default_domain;
    const uint64_t n = p_.data_bytes;
    const uint64_t addr = gp.get_address();
    const unsigned char *data = gp.get_data_ptr();

    txn t;
    t.gp = &gp;
    // INCR bursts: none crosses a 4 KiB boundary (A3.4.1), none is longer than 256 beats
    for (uint64_t a = addr; a < addr + len;) {
        const uint64_t base = a & ~(n - 1);
        uint64_t lim = std::min(addr + len, base + 256 * n);
        if ((a | 0xFFF) != ~uint64_t(0)) lim = std::min(lim, (a | 0xFFF) + 1);
        burst b;
        b.write = write;
        b.id = id;
        b.addr = a;
        b.off = a - addr;
        b.bytes = lim - a;
        b.len = static_cast<uint32_t>((lim - base + n - 1) / n - 1);
        b.prot = prot;
        b.cache = cache;
        b.domain = domain;
        if (write) {
            b.data.assign((uint64_t(b.len) + 1) * n, 0);
            b.strb.assign(b.data.size(), 0);
            for (uint64_t x = a; x < lim; x++) { // byte x on lane (x - base) mod n
                if (!enabled(gp, x - addr)) continue;
                b.data[x - base] = data[x - addr];
                b.strb[x - base] = 1;
            }
        }
        t.bursts.push_back(std::move(b));
        a = lim;
    }

    while (in_reset_)
        wait(reset_end_);
    t.pending = t.bursts.size();
    for (burst &b : t.bursts) {
        b.t = &t;
        (write ? aw_q_ : ar_q_).push_back(&b);
    }
    while (t.pending)
        wait(done_);
    stats_.transactions++;
    if (t.dropped) {
        stats_.reset_drops++;
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    } else {
        gp.set_response_status(status_of(t.worst));
    }
    gp.set_dmi_allowed(false);
}

unsigned tlm_axi_bridge_base::transport_dbg(int, tlm::tlm_generic_payload &gp) {
    stats_.debug++;
    return debug.size() ? debug->transport_dbg(gp) : 0;
}

bool tlm_axi_bridge_base::get_direct_mem_ptr(int, tlm::tlm_generic_payload &, tlm::tlm_dmi &dmi) {
    dmi.allow_none(); // a pointer would bypass the RTL behind the pins
    return false;
}

void tlm_axi_bridge_base::finish(burst &b, uint32_t resp) {
    if (b.write) {
        stats_.writes++;
        // a B before the burst's last W beat (b-without-write): stop sending its data
        auto it = std::find(w_q_.begin(), w_q_.end(), &b);
        if (it != w_q_.end()) {
            if (it == w_q_.begin()) wvalid_q_ = false;
            w_q_.erase(it);
        }
    } else {
        stats_.reads++;
    }
    stats_.resp[resp & 3]++;
    txn &t = *b.t;
    t.worst = worse(t.worst, resp & 3);
    if (--t.pending == 0) done_.notify(SC_ZERO_TIME);
}

// AXI reset (IHI 0022 A3.1.2): nothing issued before it exists after it. The callers of every
// burst waiting or in flight are answered with an error.
void tlm_axi_bridge_base::reset_all() {
    bool any = false;
    auto drop = [&](burst *b) {
        b->t->dropped = true;
        b->t->pending = 0;
        any = true;
    };
    for (auto *q : {&aw_q_, &ar_q_, &w_q_})
        for (burst *b : *q)
            drop(b);
    for (auto *m : {&b_wait_, &r_wait_})
        for (auto &kv : *m)
            for (burst *b : kv.second)
                drop(b);
    aw_q_.clear();
    ar_q_.clear();
    w_q_.clear();
    b_wait_.clear();
    r_wait_.clear();
    reads_out_ = writes_out_ = 0;
    if (any) done_.notify(SC_ZERO_TIME);
}

void tlm_axi_bridge_base::on_clock() {
    axi_snapshot s;
    s.rst_n = rst_n.read();
    s.awvalid = awvalid_q_;
    s.awready = awready.read();
    s.awid = awid_q_;
    s.awaddr = awaddr_q_;
    s.awlen = awlen_q_;
    s.awsize = size_;
    s.awburst = AXI_INCR;
    s.awprot = awprot_q_;
    s.awext.cache = awcache_q_;
    s.awext.domain = awdomain_q_;
    s.awext.qos = p_.qos;
    s.wvalid = wvalid_q_;
    s.wready = wready.read();
    s.wdata = wdata_q_;
    s.wstrb = wstrb_q_;
    s.wlast = wlast_q_;
    s.bvalid = bvalid.read();
    s.bready = bready_q_;
    s.bid = bid.read();
    s.bresp = bresp.read();
    s.arvalid = arvalid_q_;
    s.arready = arready.read();
    s.arid = arid_q_;
    s.araddr = araddr_q_;
    s.arlen = arlen_q_;
    s.arsize = size_;
    s.arburst = AXI_INCR;
    s.arprot = arprot_q_;
    s.arext.cache = arcache_q_;
    s.arext.domain = ardomain_q_;
    s.arext.qos = p_.qos;
    s.rvalid = rvalid.read();
    s.rready = rready_q_;
    s.rid = rid.read();
    sample_rdata(s.rdata);
    s.rresp = rresp.read();
    s.rlast = rlast.read();
    checker_.sample(s, sc_time_stamp().to_string());
    if (p_.report_violations)
        for (; reported_ < checker_.violations().size(); reported_++)
            report_violation(name(), checker_.violations()[reported_]);

    if (!s.rst_n) {
        reset_all();
        in_reset_ = true;
        awvalid_q_ = wvalid_q_ = arvalid_q_ = bready_q_ = rready_q_ = wlast_q_ = false;
        drive();
        return;
    }
    if (in_reset_) { // VALIDs stay low at this first edge out of reset (A3.1.2)
        in_reset_ = false;
        reset_end_.notify(SC_ZERO_TIME);
    }

    // transfers at this edge
    if (s.awvalid && s.awready) {
        burst *b = aw_q_.front();
        aw_q_.pop_front();
        b_wait_[b->id].push_back(b);
        w_q_.push_back(b); // W follows its AW (never ahead of it)
        writes_out_++;
        awvalid_q_ = false;
    }
    if (s.wvalid && s.wready && !w_q_.empty()) {
        burst *b = w_q_.front();
        if (++b->beat > b->len) w_q_.pop_front();
        wvalid_q_ = false;
    }
    if (s.bvalid && s.bready) {
        auto it = b_wait_.find(s.bid);
        if (it != b_wait_.end() && !it->second.empty()) { // else: b-without-write
            burst *b = it->second.front();
            it->second.pop_front();
            writes_out_--;
            finish(*b, s.bresp);
        }
    }
    if (s.arvalid && s.arready) {
        burst *b = ar_q_.front();
        ar_q_.pop_front();
        b->beat = 0;
        b->resp = AXI_OKAY;
        r_wait_[b->id].push_back(b);
        reads_out_++;
        arvalid_q_ = false;
    }
    if (s.rvalid && s.rready) {
        auto it = r_wait_.find(s.rid);
        if (it != r_wait_.end() && !it->second.empty()) { // else: r-without-read
            burst *b = it->second.front();
            const uint64_t n = p_.data_bytes;
            const uint64_t base = b->addr & ~(n - 1);
            const uint64_t first = b->addr - b->off; // the payload's address
            tlm::tlm_generic_payload &gp = *b->t->gp;
            unsigned char *data = gp.get_data_ptr();
            for (unsigned k = 0; k < n; k++) {
                const uint64_t x = base + uint64_t(b->beat) * n + k;
                if (x < b->addr || x >= b->addr + b->bytes || !enabled(gp, x - first)) continue;
                data[x - first] = s.rdata.lane[k];
            }
            b->resp = worse(b->resp, s.rresp & 3);
            if (++b->beat > b->len) { // RLAST's position is the checker's business
                it->second.pop_front();
                reads_out_--;
                finish(*b, b->resp);
            }
        }
    }

    // outputs after this edge
    if (!awvalid_q_ && !aw_q_.empty() && writes_out_ < p_.max_writes) {
        const burst &b = *aw_q_.front();
        awvalid_q_ = true;
        awid_q_ = b.id;
        awaddr_q_ = b.addr;
        awlen_q_ = b.len;
        awprot_q_ = b.prot;
        awcache_q_ = b.cache;
        awdomain_q_ = b.domain;
    }
    if (!arvalid_q_ && !ar_q_.empty() && reads_out_ < p_.max_reads) {
        const burst &b = *ar_q_.front();
        arvalid_q_ = true;
        arid_q_ = b.id;
        araddr_q_ = b.addr;
        arlen_q_ = b.len;
        arprot_q_ = b.prot;
        arcache_q_ = b.cache;
        ardomain_q_ = b.domain;
    }
    if (!wvalid_q_ && !w_q_.empty()) {
        const burst &b = *w_q_.front();
        wvalid_q_ = true;
        const size_t n = p_.data_bytes, at = size_t(b.beat) * n;
        std::copy_n(b.data.begin() + at, n, wdata_q_.lane.begin());
        for (size_t k = 0; k < n; k++)
            wstrb_q_[k] = b.strb[at + k];
        wlast_q_ = b.beat == b.len;
    }
    bready_q_ = rready_q_ = true;
    drive();
}

void tlm_axi_bridge_base::drive() {
    awvalid.write(awvalid_q_);
    awid.write(awid_q_);
    awaddr.write(awaddr_q_);
    awlen.write(awlen_q_);
    awsize.write(size_);
    awburst.write(AXI_INCR);
    awprot.write(awprot_q_);
    awuser.write(0);
    awcache.write(awcache_q_);
    awdomain.write(awdomain_q_);
    awqos.write(p_.qos);
    wvalid.write(wvalid_q_);
    drive_w(wdata_q_, wstrb_q_);
    wlast.write(wlast_q_);
    bready.write(bready_q_);
    arvalid.write(arvalid_q_);
    arid.write(arid_q_);
    araddr.write(araddr_q_);
    arlen.write(arlen_q_);
    arsize.write(size_);
    arburst.write(AXI_INCR);
    arprot.write(arprot_q_);
    aruser.write(0);
    arcache.write(arcache_q_);
    ardomain.write(ardomain_q_);
    arqos.write(p_.qos);
    rready.write(rready_q_);
}

} // namespace smmu_cosim
