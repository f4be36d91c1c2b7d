// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <smmu_cosim/axi_checker.h>

#include <cstdio>

#include <systemc>

namespace smmu_cosim {

void report_violation(const char *who, const axi_violation &v) {
    SC_REPORT_INFO_VERB(axi_checker::msg_type, (std::string(who) + ": " + v.to_string()).c_str(),
                        sc_core::SC_LOW);
}

namespace {
std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}
// The low n bits of a strobe, most significant lane first, in hex.
std::string hex(const axi_strb &v, unsigned n) {
    static const char digits[] = "0123456789abcdef";
    std::string r = "0x";
    bool lead = true;
    for (unsigned d = (n + 3) / 4; d-- > 0;) {
        unsigned x = 0;
        for (unsigned k = 0; k < 4; k++)
            if (4 * d + k < n && v[4 * d + k]) x |= 1u << k;
        if (lead && x == 0 && d > 0) continue;
        lead = false;
        r += digits[x];
    }
    return r;
}
// Data of a beat (n lanes), most significant lane first, in hex.
std::string hex(const axi_data &v, unsigned n) {
    static const char digits[] = "0123456789abcdef";
    std::string r = "0x";
    for (unsigned i = n; i-- > 0;) {
        r += digits[v.lane[i] >> 4];
        r += digits[v.lane[i] & 15];
    }
    return r;
}
} // namespace

void axi_checker::fail(const char *rule, const std::string &when, const std::string &detail) {
    violations_.push_back({rule, when, detail});
}

size_t axi_checker::outstanding_reads() const {
    size_t n = 0;
    for (const auto &q : ar_out_)
        n += q.second.size();
    return n;
}

size_t axi_checker::read_ids_outstanding() const {
    size_t n = 0;
    for (const auto &q : ar_out_)
        n += !q.second.empty();
    return n;
}

size_t axi_checker::outstanding_writes() const {
    size_t n = 0;
    for (const auto &q : aw_out_)
        n += q.second;
    return n;
}

void axi_checker::reset_state() {
    have_prev_ = false;
    aw_wait_data_.clear();
    w_ahead_.clear();
    w_ahead_strb_.clear();
    w_strb_.clear();
    w_beats_ = 0;
    b_due_.clear();
    aw_out_.clear();
    ar_out_.clear();
    r_beats_.clear();
}

void axi_checker::check_request(const char *ch, uint32_t len, uint32_t size, uint32_t burst,
                                uint64_t addr, const std::string &when) {
    std::string what = std::string(ch) + " addr " + hex(addr) + " len " + std::to_string(len) +
                       " size " + std::to_string(size) + " burst " + std::to_string(burst);
    if (burst == 3) fail("burst-type", when, what);
    if (size > 7 || (1u << size) > data_bytes_) fail("burst-size", when, what);
    uint64_t n = uint64_t(1) << (size & 7);
    if (burst == 1) { // INCR
        uint64_t first = addr & ~(n - 1);
        uint64_t last = first + (uint64_t(len) + 1) * n - 1;
        if ((first >> 12) != (last >> 12)) fail("burst-4k", when, what);
    } else if (burst == 2) { // WRAP
        if ((len != 1 && len != 3 && len != 7 && len != 15) || (addr & (n - 1)))
            fail("burst-wrap", when, what);
    } else if (burst == 0 && len > 15) { // FIXED
        fail("burst-fixed", when, what);
    }
}

// Beat `beat` (0-based) of write r: its byte lanes per the IHI 0022 A3.4.1 equations
// (Aligned_Address, Wrap_Boundary, Lower_Byte_Lane / Upper_Byte_Lane); WSTRB bits outside them
// must be low (A3.4.3). Beat 0 of INCR and every beat of FIXED start at the unaligned address.
void axi_checker::check_strobe(const aw_req &r, uint32_t beat, const axi_strb &strb,
                               const std::string &when) {
    if (r.size > 7 || (1u << r.size) > data_bytes_ || r.burst == 3) return; // burst-size / -type
    const uint64_t nb = uint64_t(1) << r.size, dbb = data_bytes_;
    const uint64_t aligned = r.addr & ~(nb - 1);
    uint64_t a = r.addr; // Address_N
    if (r.burst == 1 && beat > 0) {
        a = aligned + uint64_t(beat) * nb;
    } else if (r.burst == 2 && beat > 0) {
        const uint64_t total = nb * (uint64_t(r.len) + 1);
        const uint64_t boundary = (r.addr / total) * total;
        a = boundary + (aligned - boundary + uint64_t(beat) * nb) % total;
    }
    const uint64_t lane_base = a & ~(dbb - 1);
    const unsigned lower = static_cast<unsigned>(a - lane_base);
    const unsigned upper = static_cast<unsigned>((a & ~(nb - 1)) + nb - 1 - lane_base);
    axi_strb allowed;
    for (unsigned k = lower; k <= upper; k++)
        allowed[k] = true;
    if ((strb & ~allowed).any())
        fail("wstrb-lanes", when,
             "W beat " + std::to_string(beat + 1) + " of AW addr " + hex(r.addr) + " size " +
                 std::to_string(r.size) + " burst " + std::to_string(r.burst) + ": WSTRB " +
                 hex(strb, data_bytes_) + " outside lanes " + hex(allowed, data_bytes_));
}

void axi_checker::sample(const axi_snapshot &s, const std::string &when) {
    const bool any_valid = s.awvalid || s.wvalid || s.arvalid || s.bvalid || s.rvalid;
    auto which = [&] {
        return std::string(s.awvalid ? " AWVALID" : "") + (s.wvalid ? " WVALID" : "") +
               (s.arvalid ? " ARVALID" : "") + (s.bvalid ? " BVALID" : "") +
               (s.rvalid ? " RVALID" : "");
    };
    if (!s.rst_n) {
        // the first edge in reset is where a synchronous reset takes effect
        if (++reset_edges_ > 1 && any_valid) fail("reset-valid-low", when, "in reset:" + which());
        reset_state();
        return;
    }
    if (reset_edges_) {
        reset_edges_ = 0;
        if (any_valid) fail("reset-valid-low", when, "first edge after reset:" + which());
    }

    // handshake rules against the previous edge
    if (have_prev_) {
        const axi_snapshot &p = prev_;
        auto stable = [&](const char *ch, bool pv, bool pr, bool v, bool same,
                          const std::string &detail) {
            if (!pv || pr) return;
            if (!v)
                fail("valid-stable", when,
                     std::string(ch) + "VALID dropped before " + ch + "READY");
            else if (!same)
                fail("payload-stable", when,
                     std::string(ch) + " payload changed while waiting: " + detail);
        };
        stable("AW", p.awvalid, p.awready, s.awvalid,
               p.awid == s.awid && p.awaddr == s.awaddr && p.awlen == s.awlen &&
                   p.awsize == s.awsize && p.awburst == s.awburst && p.awprot == s.awprot &&
                   p.awuser == s.awuser && p.awext == s.awext,
               "addr " + hex(p.awaddr) + " -> " + hex(s.awaddr));
        stable("W", p.wvalid, p.wready, s.wvalid,
               p.wdata == s.wdata && p.wstrb == s.wstrb && p.wlast == s.wlast,
               "data " + hex(p.wdata, data_bytes_) + " -> " + hex(s.wdata, data_bytes_));
        stable("B", p.bvalid, p.bready, s.bvalid, p.bid == s.bid && p.bresp == s.bresp,
               "id " + std::to_string(p.bid) + " -> " + std::to_string(s.bid));
        stable("AR", p.arvalid, p.arready, s.arvalid,
               p.arid == s.arid && p.araddr == s.araddr && p.arlen == s.arlen &&
                   p.arsize == s.arsize && p.arburst == s.arburst && p.arprot == s.arprot &&
                   p.aruser == s.aruser && p.arext == s.arext,
               "addr " + hex(p.araddr) + " -> " + hex(s.araddr));
        stable("R", p.rvalid, p.rready, s.rvalid,
               p.rid == s.rid && p.rdata == s.rdata && p.rresp == s.rresp && p.rlast == s.rlast,
               "id " + std::to_string(p.rid) + " -> " + std::to_string(s.rid));
    }

    // transfers at this edge
    if (s.awvalid && s.awready) {
        handshakes_++;
        check_request("AW", s.awlen, s.awsize, s.awburst, s.awaddr, when);
        aw_out_[s.awid]++;
        const aw_req req{s.awid, s.awlen, s.awsize, s.awburst, s.awaddr};
        if (!w_ahead_.empty()) {
            uint32_t beats = w_ahead_.front();
            w_ahead_.pop_front();
            const std::vector<axi_strb> strbs = std::move(w_ahead_strb_.front());
            w_ahead_strb_.pop_front();
            for (uint32_t i = 0; i < strbs.size(); i++)
                check_strobe(req, i, strbs[i], when);
            if (beats != s.awlen + 1)
                fail("wlast-position", when,
                     "W burst of " + std::to_string(beats) + " beats for AWLEN " +
                         std::to_string(s.awlen));
            b_due_[s.awid]++;
        } else {
            aw_wait_data_.push_back(req);
            // the first beats of the burst in progress came before this AW
            if (aw_wait_data_.size() == 1)
                for (uint32_t i = 0; i < w_strb_.size(); i++)
                    check_strobe(req, i, w_strb_[i], when);
        }
    }
    if (s.wvalid && s.wready) {
        handshakes_++;
        w_beats_++;
        w_strb_.push_back(s.wstrb);
        bool end = s.wlast;
        if (!aw_wait_data_.empty()) {
            check_strobe(aw_wait_data_.front(), w_beats_ - 1, s.wstrb, when);
            uint32_t expect = aw_wait_data_.front().len + 1;
            // A W burst ends at its WLAST, as a slave frames it (IHI 0022 A3.4.1): a missing
            // WLAST on beat AWLEN + 1 is reported once and the burst runs on to its WLAST, so
            // that later bursts stay paired with their AWs as the slave pairs them.
            if (w_beats_ <= expect && s.wlast != (w_beats_ == expect))
                fail("wlast-position", when,
                     "WLAST " + std::to_string(s.wlast) + " on beat " + std::to_string(w_beats_) +
                         " of a burst of " + std::to_string(expect));
            if (end) {
                b_due_[aw_wait_data_.front().id]++;
                aw_wait_data_.pop_front();
            }
        } else if (end) {
            w_ahead_.push_back(w_beats_);
            w_ahead_strb_.push_back(w_strb_);
        }
        if (end) {
            w_beats_ = 0;
            w_strb_.clear();
        }
    }
    if (s.bvalid && s.bready) {
        handshakes_++;
        auto it = b_due_.find(s.bid);
        if (it == b_due_.end() || it->second == 0) {
            fail("b-without-write", when, "BID " + std::to_string(s.bid));
        } else {
            it->second--;
            aw_out_[s.bid]--;
        }
    }
    if (s.arvalid && s.arready) {
        handshakes_++;
        check_request("AR", s.arlen, s.arsize, s.arburst, s.araddr, when);
        ar_out_[s.arid].push_back(s.arlen);
    }
    if (s.rvalid && s.rready) {
        handshakes_++;
        auto it = ar_out_.find(s.rid);
        if (it == ar_out_.end() || it->second.empty()) {
            fail("r-without-read", when, "RID " + std::to_string(s.rid));
        } else {
            uint32_t &n = r_beats_[s.rid];
            n++;
            uint32_t expect = it->second.front() + 1;
            if (s.rlast != (n == expect))
                fail("rlast-position", when,
                     "RID " + std::to_string(s.rid) + " RLAST " + std::to_string(s.rlast) +
                         " on beat " + std::to_string(n) + " of a burst of " +
                         std::to_string(expect));
            if (s.rlast || n == expect) {
                it->second.pop_front();
                n = 0;
            }
        }
    }
    prev_ = s;
    have_prev_ = true;
}

} // namespace smmu_cosim
