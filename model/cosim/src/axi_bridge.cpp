// SPDX-License-Identifier: Apache-2.0 OR MIT
#define SC_INCLUDE_DYNAMIC_PROCESSES // sc_spawn: fresh workers after a reset
#include <smmu_cosim/axi_bridge.h>

#include <algorithm>

#include <smmu/amba.h>

namespace smmu_cosim {

using namespace sc_core;

const char *axi_resp_name(unsigned resp) {
    static const char *n[8] = {"OKAY",  "EXOKAY",     "SLVERR", "DECERR",
                               "0b100", "TRANSFAULT", "0b110",  "0b111"};
    return resp < 8 ? n[resp] : "?";
}

uint64_t axi_request::bytes() const {
    uint64_t n = uint64_t(1) << (size & 7);
    if (burst == AXI_INCR) return (uint64_t(len) + 1) * n - (addr & (n - 1));
    return (uint64_t(len) + 1) * n;
}

axi_tlm_bridge_base::axi_tlm_bridge_base(sc_module_name name, const bridge_params &p,
                                         unsigned data_bytes)
    : sc_module(name), clk("clk"), rst_n("rst_n"), awvalid("awvalid"), awready("awready"),
      awid("awid"), awlen("awlen"), awsize("awsize"), awburst("awburst"), awprot("awprot"),
      awaddr("awaddr"), awuser("awuser"), wvalid("wvalid"), wlast("wlast"), wready("wready"),
      bvalid("bvalid"), bready("bready"), bid("bid"), bresp("bresp"), arvalid("arvalid"),
      arready("arready"), arid("arid"), arlen("arlen"), arsize("arsize"), arburst("arburst"),
      arprot("arprot"), araddr("araddr"), aruser("aruser"), rvalid("rvalid"), rlast("rlast"),
      rready("rready"), rid("rid"), rresp("rresp"), awmmuvalid("awmmuvalid"),
      awmmusecsid("awmmusecsid"), awmmussidv("awmmussidv"), awmmuatst("awmmuatst"),
      awlock("awlock"), awmmusid("awmmusid"), awmmussid("awmmussid"), awmmuflow("awmmuflow"),
      awcache("awcache"), awdomain("awdomain"), awqos("awqos"), armmuvalid("armmuvalid"),
      armmusecsid("armmusecsid"), armmussidv("armmussidv"), armmuatst("armmuatst"),
      arlock("arlock"), armmusid("armmusid"), armmussid("armmussid"), armmuflow("armmuflow"),
      arcache("arcache"), ardomain("ardomain"), arqos("arqos"), socket("socket"), p_(p),
      data_bytes_(data_bytes),
      id_mask_(p.id_bits >= 32 ? ~0u : (1u << std::max(1u, p.id_bits)) - 1),
      addr_mask_(p.addr_bits >= 64 ? ~uint64_t(0)
                                   : (uint64_t(1) << std::max(12u, p.addr_bits)) - 1),
      checker_(data_bytes) {
    if (data_bytes_ == 0 || data_bytes_ > AXI_MAX_DATA_BYTES || (data_bytes_ & (data_bytes_ - 1)))
        SC_REPORT_ERROR("smmu_cosim/axi_tlm_bridge", "data bus must be 8, 16, ... 1024 bits");
    SC_METHOD(on_clock);
    sensitive << clk.pos();
    dont_initialize();
    start_workers();
}

// p_.outstanding workers per direction for the current epoch. Workers of an older epoch end
// when they next look at their queue, or when the TLM call they are blocked in returns.
void axi_tlm_bridge_base::start_workers() {
    const uint64_t e = epoch_;
    for (unsigned i = 0; i < std::max(1u, p_.outstanding); i++) {
        sc_spawn([this, e] { worker(false, e); }, sc_gen_unique_name("read_worker"));
        sc_spawn([this, e] { worker(true, e); }, sc_gen_unique_name("write_worker"));
    }
}

// IHI 0022 A3.1.2: after reset nothing of before exists. Everything accepted on the pins and
// not answered is forgotten; what is inside the target (a worker blocked in b_transport)
// belongs to the old epoch and its result is discarded when it returns.
void axi_tlm_bridge_base::enter_reset() {
    stats_.resets++;
    epoch_++;
    aw_wait_.clear();
    w_ahead_.clear();
    w_cur_ = w_burst();
    w_buffered_ = 0;
    reads_ = writes_ = 0;
    reads_in_.clear(); // a worker inside the target keeps its job alive (shared_ptr)
    writes_in_.clear();
    r_cur_.reset();
    b_cur_.reset();
    r_beat_ = 0;
    read_ev_.notify(SC_ZERO_TIME); // idle old workers wake up and end
    write_ev_.notify(SC_ZERO_TIME);
    start_workers();
}

axi_addr_ext axi_tlm_bridge_base::ext_of(bool w) const {
    axi_addr_ext e;
    e.mmuvalid = (w ? awmmuvalid : armmuvalid).read();
    e.mmusecsid = (w ? awmmusecsid : armmusecsid).read();
    e.mmusid = (w ? awmmusid : armmusid).read();
    e.mmussidv = (w ? awmmussidv : armmussidv).read();
    e.mmussid = (w ? awmmussid : armmussid).read();
    e.mmuatst = (w ? awmmuatst : armmuatst).read();
    e.mmuflow = (w ? awmmuflow : armmuflow).read();
    e.cache = (w ? awcache : arcache).read();
    e.domain = (w ? awdomain : ardomain).read();
    e.qos = (w ? awqos : arqos).read();
    e.lock = (w ? awlock : arlock).read();
    return e;
}

// The request's AXI5 MMU, attribute, QoS and lock signals, as sampled with its AR / AW handshake.
void axi_tlm_bridge_base::capture(axi_request &r, const axi_addr_ext &e) {
    axi_mmu &m = r.mmu;
    m.valid = p_.mmu_version < 3 || e.mmuvalid;
    m.secsid = e.mmusecsid;
    m.sid = e.mmusid;
    m.ssidv = e.mmussidv;
    m.ssid = e.mmussid & 0xFFFFFu;
    if (p_.mmu_version <= 1) // v1: AxMMUATST selects Stall or ATST (A13.6)
        m.flow = e.mmuatst ? AXI_FLOW_ATST : AXI_FLOW_STALL;
    else
        m.flow = static_cast<uint8_t>(e.mmuflow & 3);
    r.cache = e.cache & 0xF;
    r.domain = e.domain & 3;
    r.qos = e.qos & 0xF;
    r.lock = e.lock;
    if (p_.stream == stream_source::axi5_mmu) { // hooks see the stream the request goes with
        smmu_tlm::stream_extension x;
        stream_of(r, x);
        r.user.sid = x.sid;
        r.user.ssid = x.ssid;
        r.user.ssv = x.ssv;
    }
}

bool axi_tlm_bridge_base::idle() const {
    return reads_ == 0 && writes_ == 0 && aw_wait_.empty() && w_ahead_.empty() && w_cur_.beats == 0;
}

void axi_tlm_bridge_base::on_clock() {
    axi_snapshot s;
    s.rst_n = rst_n.read();
    s.awvalid = awvalid.read();
    s.awready = awready_q_;
    s.awid = awid.read() & id_mask_; // bits above the widths are not the master's
    s.awaddr = awaddr.read() & addr_mask_;
    s.awlen = awlen.read();
    s.awsize = awsize.read();
    s.awburst = awburst.read();
    s.awprot = awprot.read();
    s.awuser = awuser.read();
    s.wvalid = wvalid.read();
    s.wready = wready_q_;
    sample_w(s.wdata, s.wstrb);
    s.wlast = wlast.read();
    s.bvalid = bvalid_q_;
    s.bready = bready.read();
    s.bid = bid_q_;
    s.bresp = bresp_q_;
    s.arvalid = arvalid.read();
    s.arready = arready_q_;
    s.arid = arid.read() & id_mask_;
    s.araddr = araddr.read() & addr_mask_;
    s.arlen = arlen.read();
    s.arsize = arsize.read();
    s.arburst = arburst.read();
    s.arprot = arprot.read();
    s.aruser = aruser.read();
    s.rvalid = rvalid_q_;
    s.rready = rready.read();
    s.rid = rid_q_;
    s.rdata = rdata_q_;
    s.rresp = rresp_q_;
    s.rlast = rlast_q_;
    s.awext = ext_of(true);
    s.arext = ext_of(false);
    checker_.sample(s, sc_time_stamp().to_string());
    stats_.max_reads_outstanding =
        std::max<uint64_t>(stats_.max_reads_outstanding, checker_.outstanding_reads());
    stats_.max_writes_outstanding =
        std::max<uint64_t>(stats_.max_writes_outstanding, checker_.outstanding_writes());
    stats_.max_read_ids = std::max<uint64_t>(stats_.max_read_ids, checker_.read_ids_outstanding());
    stats_.max_w_bursts_ahead =
        std::max<uint64_t>(stats_.max_w_bursts_ahead, checker_.w_bursts_ahead());
    if (p_.report_violations)
        for (; reported_ < checker_.violations().size(); reported_++)
            report_violation(name(), checker_.violations()[reported_]);

    if (!s.rst_n) {
        if (!in_reset_) enter_reset();
        in_reset_ = true;
        awready_q_ = wready_q_ = arready_q_ = bvalid_q_ = rvalid_q_ = rlast_q_ = false;
        bid_q_ = bresp_q_ = rid_q_ = rresp_q_ = 0;
        rdata_q_ = axi_data();
        drive();
        return;
    }
    in_reset_ = false;

    // transfers at this edge
    if (s.awvalid && s.awready) {
        job j;
        j.req.write = true;
        j.req.id = s.awid;
        j.req.addr = s.awaddr;
        j.req.len = s.awlen;
        j.req.size = s.awsize;
        j.req.burst = s.awburst;
        j.req.prot = s.awprot;
        j.req.user = axi_user_decode(s.awuser);
        capture(j.req, s.awext);
        writes_++;
        if (on_request_) on_request_(j.req);
        aw_wait_.push_back(std::move(j));
    }
    if (s.wvalid && s.wready) {
        if (w_cur_.beats <= 256) { // beyond AXI4's 256 beats (a violation): taken, not stored
            for (unsigned k = 0; k < data_bytes_; k++) {
                w_cur_.data.push_back(s.wdata.lane[k]);
                w_cur_.strb.push_back(s.wstrb[k]);
            }
            w_cur_.beats++;
            w_buffered_++;
        }
        if (s.wlast) {
            w_ahead_.push_back(std::move(w_cur_));
            w_cur_ = w_burst();
        }
    }
    while (!aw_wait_.empty() && !w_ahead_.empty()) { // an AW with its whole W burst
        job j = std::move(aw_wait_.front());
        aw_wait_.pop_front();
        w_buffered_ -= w_ahead_.front().beats;
        j.data = std::move(w_ahead_.front().data);
        j.strb = std::move(w_ahead_.front().strb);
        w_ahead_.pop_front();
        writes_in_.push_back(std::make_shared<job>(std::move(j)));
        write_ev_.notify(SC_ZERO_TIME);
    }
    if (s.arvalid && s.arready) {
        job j;
        j.req.write = false;
        j.req.id = s.arid;
        j.req.addr = s.araddr;
        j.req.len = s.arlen;
        j.req.size = s.arsize;
        j.req.burst = s.arburst;
        j.req.prot = s.arprot;
        j.req.user = axi_user_decode(s.aruser);
        capture(j.req, s.arext);
        reads_++;
        if (on_request_) on_request_(j.req);
        reads_in_.push_back(std::make_shared<job>(std::move(j)));
        read_ev_.notify(SC_ZERO_TIME);
    }
    if (s.bvalid && s.bready) {
        writes_in_.erase(std::find(writes_in_.begin(), writes_in_.end(), b_cur_));
        b_cur_.reset();
        writes_--;
        bvalid_q_ = false;
    }
    if (s.rvalid && s.rready) {
        if (++r_beat_ == r_cur_->resp.size()) {
            reads_in_.erase(std::find(reads_in_.begin(), reads_in_.end(), r_cur_));
            r_cur_.reset();
            r_beat_ = 0;
            reads_--;
        }
        rvalid_q_ = false;
    }

    // outputs after this edge
    awready_q_ = writes_ < p_.max_writes;
    arready_q_ = reads_ < p_.max_reads;
    // a W burst once started is taken to its WLAST, else one longer than the room (an illegal
    // one over 256 beats, or max_w_beats below a burst) would hold WREADY low for ever
    wready_q_ = w_buffered_ < p_.max_w_beats || w_cur_.beats > 0;
    if (!bvalid_q_ && (b_cur_ = next_of(writes_in_, job::done))) {
        bvalid_q_ = true;
        bid_q_ = b_cur_->req.id;
        bresp_q_ = b_cur_->resp[0];
    }
    if (!rvalid_q_ && !r_cur_) r_cur_ = next_of(reads_in_, job::done); // oldest ready burst
    if (!rvalid_q_ && r_cur_) {
        const job &j = *r_cur_;
        rvalid_q_ = true;
        rid_q_ = j.req.id;
        std::copy_n(j.data.begin() + r_beat_ * data_bytes_, data_bytes_, rdata_q_.lane.begin());
        rresp_q_ = j.resp[r_beat_];
        rlast_q_ = r_beat_ + 1 == j.resp.size();
    }
    drive();
}

void axi_tlm_bridge_base::drive() {
    awready.write(awready_q_);
    wready.write(wready_q_);
    arready.write(arready_q_);
    bvalid.write(bvalid_q_);
    bid.write(bid_q_);
    bresp.write(bresp_q_);
    rvalid.write(rvalid_q_);
    rid.write(rid_q_);
    drive_rdata(rdata_q_);
    rresp.write(rresp_q_);
    rlast.write(rlast_q_);
}

// AXI ordering (IHI 0022 A6.2): a burst starts when the older bursts of its ID in the same
// direction are done (the target sees one ID's bursts in order) and is answered when they are
// answered; bursts of other IDs wait for neither.
std::shared_ptr<axi_tlm_bridge_base::job> axi_tlm_bridge_base::next_of(const job_list &l, int st) {
    for (size_t i = 0; i < l.size(); i++) {
        if (l[i]->state != st) continue;
        bool older = false;
        for (size_t k = 0; k < i && !older; k++)
            older = l[k]->req.id == l[i]->req.id && (st == job::done || l[k]->state != job::done);
        if (!older) return l[i];
    }
    return nullptr;
}

void axi_tlm_bridge_base::worker(bool write, uint64_t epoch) {
    sc_event &ev = write ? write_ev_ : read_ev_;
    for (;;) {
        std::shared_ptr<job> j;
        while (epoch == epoch_ && !(j = next_of(write ? writes_in_ : reads_in_, job::queued)))
            wait(ev);
        if (epoch != epoch_) return;
        j->state = job::running;
        if (!execute(*j, epoch)) return; // a reset came while it was inside the target
        j->state = job::done;
        ev.notify(SC_ZERO_TIME); // the next burst of its ID may start
    }
}

std::vector<axi_tlm_bridge_base::beat_addr>
axi_tlm_bridge_base::beats_of(const axi_request &r) const {
    std::vector<beat_addr> v;
    const uint64_t n = uint64_t(1) << (r.size & 7);
    const uint64_t aligned = r.addr & ~(n - 1);
    const uint64_t wrap = n * (uint64_t(r.len) + 1);
    const uint64_t lower = r.addr & ~(wrap - 1);
    for (uint64_t i = 0; i <= r.len; i++) {
        uint64_t a;
        if (r.burst == AXI_FIXED)
            a = r.addr;
        else if (r.burst == AXI_WRAP)
            a = lower + ((r.addr - lower) + i * n) % wrap;
        else
            a = i == 0 ? r.addr : aligned + i * n;
        uint64_t end = (a & ~(n - 1)) + n; // the beat covers [a, end)
        v.push_back(
            {a, static_cast<unsigned>(a & (data_bytes_ - 1)), static_cast<unsigned>(end - a)});
    }
    return v;
}

// The stream and attributes the SMMU sees for r (docs/cosim.md, "AXI5 MMU signals").
void axi_tlm_bridge_base::stream_of(const axi_request &r, smmu_tlm::stream_extension &x) const {
    x.priv = r.prot & AXI_PROT_PRIV;
    x.instr = r.prot & AXI_PROT_INSTR;
    x.ats = SMMU_ATS_NONE;
    x.nostall = false;
    x.pri = false;
    if (p_.stream == stream_source::axuser) {
        x.sid = r.user.sid;
        x.ssid = r.user.ssid;
        x.ssv = r.user.ssv;
        x.secure = !(r.prot & AXI_PROT_NS);
    } else if (!r.mmu.valid) {
        // A13.7: a physical address, no MMU attribute applies; it has no fault flow (A13.6), so
        // it never stalls
        x.sid = p_.default_sid;
        x.ssid = 0;
        x.ssv = false;
        x.secure = !(r.prot & AXI_PROT_NS);
        x.nostall = true;
    } else {
        x.sid = r.mmu.sid;
        x.ssid = r.mmu.ssidv ? r.mmu.ssid : 0;
        x.ssv = r.mmu.ssidv;
        x.secure = r.mmu.secsid; // SEC_SID (A13.4.1; SMMU 3.10.1)
        // ATST: already translated by ATS (A13.6.2), a Translated transaction (SMMU 3.9.1.3,
        // STE.EATS); NoStall (A13.6.3) and PRI (A13.6.4): the master cannot wait for software
        x.ats = r.mmu.flow == AXI_FLOW_ATST ? SMMU_ATS_TRANSLATED : SMMU_ATS_NONE;
        x.nostall = r.mmu.flow == AXI_FLOW_NOSTALL || r.mmu.flow == AXI_FLOW_PRI;
        x.pri = r.mmu.flow == AXI_FLOW_PRI; // the SMMU decides what is a TRANSFAULT
    }
    x.in_attr_valid = p_.input_attrs;
    if (p_.input_attrs) smmu_amba_in(r.cache, r.domain, &x.in_attr, &x.in_sh);
}

uint8_t axi_tlm_bridge_base::transport(bool write, const axi_request &r, uint64_t addr,
                                       uint8_t *data, unsigned len, unsigned width, uint8_t *be) {
    // one per call: a transaction left inside the target by a reset keeps its own
    smmu_tlm::stream_extension x;
    stream_of(r, x);
    tlm::tlm_generic_payload gp;
    gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(addr);
    gp.set_data_ptr(data);
    gp.set_data_length(len);
    gp.set_streaming_width(width);
    gp.set_byte_enable_ptr(be);
    gp.set_byte_enable_length(be ? len : 0);
    gp.set_dmi_allowed(false);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    gp.set_extension(&x);
    // PRI flow: the SMMU marks a fault a PRI Page Request may resolve in this extension
    smmu_tlm::output_extension out;
    if (x.pri) gp.set_extension(&out);
    sc_time delay = SC_ZERO_TIME;
    socket->b_transport(gp, delay);
    gp.clear_extension(&x);
    if (x.pri) gp.clear_extension(&out);
    stats_.transactions++;
    if (delay != SC_ZERO_TIME) wait(delay);
    // A13.6.4: TRANSFAULT needs the 3-bit RRESP / BRESP (Tables A3.27, A3.30)
    if (out.transfault && p_.resp_width >= 3 && !gp.is_response_ok()) return AXI_TRANSFAULT;
    return p_.map(gp.get_response_status());
}

// False when a reset came while a TLM transaction was in flight: the rest of the burst is not
// issued and the job is not answered.
bool axi_tlm_bridge_base::execute(job &j, uint64_t epoch) {
    const axi_request &r = j.req;
    const unsigned beats = r.len + 1, B = data_bytes_;
    if (!r.write) j.data.assign(size_t(beats) * B, 0);
    j.resp.assign(r.write ? 1 : beats, AXI_OKAY);
    if (r.size > 7 || (1u << r.size) > B || r.burst > AXI_WRAP ||
        (r.write && j.data.size() != size_t(beats) * B)) {
        // wider than the bus, reserved burst type, or a W burst whose length does not match
        // AWLEN (a protocol violation the checker reports): nothing issued
        for (auto &x : j.resp)
            x = p_.map.other_error;
    } else {
        // One TLM transaction per burst: an AXI burst is one transaction (IHI 0022), so the SMMU
        // translates it once, records at most one fault and stalls at most once for it. INCR and
        // WRAP: the bytes the beats cover, in address order (a WRAP burst's beats cover its
        // window exactly). FIXED: streaming width = the beat's bytes (IEEE 1666-2011 14.15),
        // beat i at offset i * width, so the target accesses the same bytes once per beat.
        const std::vector<beat_addr> ba = beats_of(r);
        const bool fixed = r.burst == AXI_FIXED;
        uint64_t base = ba[0].addr, end = ba[0].addr + ba[0].n;
        for (const beat_addr &b : ba) {
            base = std::min(base, b.addr);
            end = std::max(end, b.addr + b.n);
        }
        const unsigned width = ba[0].n; // FIXED: every beat covers the same bytes
        const unsigned len = fixed ? width * beats : static_cast<unsigned>(end - base);
        std::vector<unsigned> off(beats);
        for (unsigned i = 0; i < beats; i++)
            off[i] = fixed ? i * width : static_cast<unsigned>(ba[i].addr - base);
        std::vector<uint8_t> buf(len, 0), be(len, 0x00);
        bool all = true;
#ifdef SMMU_COSIM_PLANT_LAST_STRB_BUG
        // Test-only planted bug (testbench/fuzz fuzz_axi_planted, never in a library): the
        // last W beat's strobes are lost, so its bytes are not written.
        if (r.write && beats > 1)
            for (unsigned k = 0; k < B; k++) j.strb[size_t(beats - 1) * B + k] = 0;
#endif
        if (r.write) {
            for (unsigned i = 0; i < beats; i++)
                for (unsigned k = 0; k < ba[i].n; k++) {
                    const unsigned lane = ba[i].lane + k;
                    buf[off[i] + k] = j.data[size_t(i) * B + lane];
                    if (j.strb[size_t(i) * B + lane]) be[off[i] + k] = 0xFF;
                }
            for (uint8_t x : be)
                all = all && x;
        }
        const uint8_t resp = transport(r.write, r, base, buf.data(), len, fixed ? width : len,
                                       all ? nullptr : be.data());
        if (epoch != epoch_) {
            stats_.dropped++;
            return false;
        }
        if (r.write) {
            j.resp[0] = resp;
        } else {
            for (unsigned i = 0; i < beats; i++) {
                std::copy_n(buf.begin() + off[i], ba[i].n,
                            j.data.begin() + size_t(i) * B + ba[i].lane);
                j.resp[i] = resp;
            }
        }
    }
    uint8_t worst = AXI_OKAY;
    for (uint8_t x : j.resp)
        if (x > worst) worst = x;
    stats_.resp[worst & 7]++;
    if (r.write) {
        stats_.writes++;
        stats_.bytes_written += r.bytes();
    } else {
        stats_.reads++;
        stats_.bytes_read += r.bytes();
    }
    return true;
}

} // namespace smmu_cosim
