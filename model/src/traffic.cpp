// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <smmu_model/traffic.h>

#include <algorithm>

namespace smmu_model {

using namespace sc_core;

const char *pattern_name(pattern p) {
    switch (p) {
    case pattern::sequential:
        return "sequential";
    case pattern::strided:
        return "strided";
    case pattern::random:
        return "random";
    }
    return "?";
}

bool pattern_from_name(const std::string &s, pattern &out) {
    for (pattern p : {pattern::sequential, pattern::strided, pattern::random})
        if (s == pattern_name(p)) {
            out = p;
            return true;
        }
    return false;
}

// ------------------------------------------------------------------ flow_generator
flow_generator::flow_generator(const flow_params &p) : p_(p), rng_(p.seed) {
    if (p_.burst == 0) p_.burst = 1;
    if (p_.stride == 0) p_.stride = 2ull * p_.burst;
    slots_ = std::max<uint64_t>(1, p_.size / p_.burst);
}

flow_generator::access flow_generator::next() {
    uint64_t off = 0;
    switch (p_.pat) {
    case pattern::sequential:
        off = (n_ % slots_) * p_.burst;
        break;
    case pattern::strided: {
        // Wraps within the region; each wrap starts one burst further so that a stride that
        // divides the region still covers it.
        uint64_t per_pass = std::max<uint64_t>(1, (slots_ * p_.burst + p_.stride - 1) / p_.stride);
        uint64_t pass = n_ / per_pass, i = n_ % per_pass;
        off = (i * p_.stride + pass * p_.burst) % (slots_ * p_.burst);
        off -= off % p_.burst;
        break;
    }
    case pattern::random:
        off = (rng_() % slots_) * p_.burst;
        break;
    }
    bool write = false;
    if (p_.write_ratio >= 1.0)
        write = true;
    else if (p_.write_ratio > 0.0) // 53 random bits as a fraction in [0, 1)
        write = static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0) < p_.write_ratio;
    n_++;
    return {p_.base + off, write};
}

// ------------------------------------------------------------------ traffic_master
traffic_master::traffic_master(sc_module_name name, const master_params &p, unsigned id)
    : sc_module(name), socket("socket"), p_(p), id_(id),
      io_(p.at ? p.max_outstanding : 1u, stats_, log_, p.keep_log) {
    for (const flow_params &f : p_.flows)
        gens_.emplace_back(f);
    stats_.resize(p_.flows.size());
    socket.register_nb_transport_bw(this, &traffic_master::nb_transport_bw);
    SC_THREAD(run);
}

bool traffic_master::next_flow(unsigned &f) {
    for (unsigned k = 0; k < gens_.size(); k++) {
        unsigned i = (rr_ + k) % gens_.size();
        if (gens_[i].issued() < p_.flows[i].count) {
            f = i;
            rr_ = i + 1;
            return true;
        }
    }
    return false;
}

void traffic_master::prepare(slot &s, unsigned flow, const flow_generator::access &a) {
    const flow_params &f = p_.flows[flow];
    s.data.assign(f.burst, static_cast<uint8_t>(0xA0 + flow));
    tlm::tlm_generic_payload &gp = s.gp;
    gp.set_command(a.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(a.addr);
    gp.set_data_ptr(s.data.data());
    gp.set_data_length(f.burst);
    gp.set_streaming_width(f.burst);
    gp.set_byte_enable_ptr(nullptr);
    gp.set_byte_enable_length(0);
    gp.set_dmi_allowed(false);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    if (f.with_extension) {
        s.sx.sid = f.sid;
        s.sx.ssid = f.ssid;
        s.sx.ssv = f.ssv;
        s.sx.priv = f.priv;
        s.sx.instr = f.instr;
        s.sx.secure = f.secure;
        s.sx.ats = SMMU_ATS_NONE;
        gp.set_extension(&s.sx);
    } else {
        gp.clear_extension(&s.sx);
    }
    s.ix.master = id_;
    s.ix.flow = flow;
    s.ix.issued = sc_time_stamp();
    s.busy = true;
}

master_progress traffic_master::progress() const {
    master_progress p;
    for (const flow_generator &g : gens_)
        p.issued.push_back(g.issued());
    p.stats = stats_;
    p.rr = rr_;
    return p;
}

bool traffic_master::resume(const master_progress &p) {
    if (p.issued.size() != gens_.size() || p.stats.size() != gens_.size()) return false;
    for (size_t i = 0; i < gens_.size(); i++)
        if (p.issued[i] > p_.flows[i].count || gens_[i].issued() != 0) return false;
    for (size_t i = 0; i < gens_.size(); i++)
        gens_[i].skip(p.issued[i]);
    stats_ = p.stats;
    rr_ = gens_.empty() ? 0 : p.rr % (unsigned)gens_.size();
    resumed_ = true;
    return true;
}

void traffic_master::run() {
    begin(SC_ZERO_TIME); /* the gate; then the start delay, unless resumed (checkpoint) */
    if (!resumed_ && p_.start != SC_ZERO_TIME) wait(p_.start);
    if (p_.at)
        run_at();
    else
        run_lt();
    finish();
}

void traffic_master::run_lt() {
    slot &s = io_.first();
    unsigned f;
    while (next_flow(f)) {
        prepare(s, f, gens_[f].next());
        io_.transport_lt(*socket.operator->(), s);
        if (p_.interval != SC_ZERO_TIME) wait(p_.interval);
    }
}

void traffic_master::run_at() {
    unsigned f;
    while (next_flow(f)) {
        slot &s = io_.free_slot();
        prepare(s, f, gens_[f].next());
        io_.issue_at(*socket.operator->(), s);
        if (p_.interval != SC_ZERO_TIME) wait(p_.interval);
    }
    io_.drain();
}

tlm::tlm_sync_enum traffic_master::nb_transport_bw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                                   sc_time &t) {
    return io_.nb_transport_bw(*socket.operator->(), gp, ph, t);
}

// ------------------------------------------------------------------ txn_issuer

txn_issuer::txn_issuer(unsigned n, std::vector<flow_stats> &stats, std::vector<txn_record> &log,
                       bool keep_log)
    : stats_(stats), log_(log), keep_log_(keep_log) {
    for (unsigned i = 0; i < std::max(1u, n); i++)
        slots_.emplace_back(new slot(this));
}

void txn_issuer::free(tlm::tlm_generic_payload *gp) {
    gp->reset(); // auto extensions left by a downstream component; ours are not auto
    // Released after the master's own completion (a target held it longer): a waiting
    // free_slot() looks again.
    if (!completing_) resp_ev_.notify(SC_ZERO_TIME);
}

void txn_issuer::complete(slot &s, const sc_time &at) {
    unsigned flow = s.ix.flow;
    flow_stats &st = stats_[flow];
    tlm::tlm_response_status status = s.gp.get_response_status();
    st.transactions++;
    st.bytes += s.gp.get_data_length();
    (s.gp.is_write() ? st.writes : st.reads)++;
    (status == tlm::TLM_OK_RESPONSE ? st.ok : st.errors)++;
    st.by_status[static_cast<int>(status)]++;
    st.latency.push_back(at - s.ix.issued);
    if (keep_log_)
        log_.push_back({flow, s.gp.get_address(), s.gp.get_data_length(), s.gp.is_write(), status,
                        s.ix.issued, at});
    s.busy = false;
    completing_ = true;
    s.gp.release(); // the master's reference (free() unless a target still holds one)
    completing_ = false;
}

void txn_issuer::transport_lt(tlm::tlm_fw_transport_if<> &fw, slot &s) {
    sc_time delay = SC_ZERO_TIME;
    s.gp.acquire();
    fw.b_transport(s.gp, delay);
    wait(delay); // synchronise: the next issue follows the response
    complete(s, sc_time_stamp());
}

txn_issuer::slot &txn_issuer::free_slot() {
    slot *s = nullptr;
    while (!s) {
        for (auto &c : slots_)
            if (c->idle()) {
                s = c.get();
                break;
            }
        if (!s) wait(resp_ev_);
    }
    while (req_in_progress_) // request exclusion rule of the base protocol
        wait(end_req_ev_);
    return *s;
}

void txn_issuer::issue_at(tlm::tlm_fw_transport_if<> &fw, slot &s) {
    tlm::tlm_phase ph = tlm::BEGIN_REQ;
    sc_time t = SC_ZERO_TIME;
    outstanding_++;
    req_in_progress_ = &s.gp;
    s.gp.acquire(); // the master's reference until the completion (14.5)
    tlm::tlm_sync_enum r = fw.nb_transport_fw(s.gp, ph, t);
    if (r == tlm::TLM_UPDATED && ph == tlm::END_REQ) {
        req_in_progress_ = nullptr;
    } else if (r == tlm::TLM_UPDATED && ph == tlm::BEGIN_RESP) {
        req_in_progress_ = nullptr;
        tlm::tlm_phase end = tlm::END_RESP;
        sc_time t2 = t; // not before the response it ends
        fw.nb_transport_fw(s.gp, end, t2);
        outstanding_--;
        complete(s, sc_time_stamp() + t);
    } else if (r == tlm::TLM_COMPLETED) {
        req_in_progress_ = nullptr;
        outstanding_--;
        complete(s, sc_time_stamp() + t);
    }
    if (t != SC_ZERO_TIME) wait(t);
}

void txn_issuer::drain() {
    while (outstanding_)
        wait(resp_ev_);
}

tlm::tlm_sync_enum txn_issuer::nb_transport_bw(tlm::tlm_fw_transport_if<> &,
                                               tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                               sc_time &t) {
    slot *s = nullptr;
    for (auto &c : slots_)
        if (&c->gp == &gp) s = c.get();
    if (!s || !s->busy) return tlm::TLM_COMPLETED;
    if (ph == tlm::END_REQ) {
        if (req_in_progress_ == &gp) req_in_progress_ = nullptr;
        end_req_ev_.notify(t);
        return tlm::TLM_ACCEPTED;
    }
    if (ph == tlm::BEGIN_RESP) { // BEGIN_RESP implies END_REQ
        if (req_in_progress_ == &gp) {
            req_in_progress_ = nullptr;
            end_req_ev_.notify(t);
        }
        outstanding_--;
        complete(*s, sc_time_stamp() + t);
        resp_ev_.notify(t);
        ph = tlm::END_RESP;
        return tlm::TLM_COMPLETED;
    }
    return tlm::TLM_ACCEPTED;
}

} // namespace smmu_model
