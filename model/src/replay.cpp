// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <smmu_model/replay.h>

#include <algorithm>
#include <cstdio>

namespace smmu_model {

using namespace sc_core;

bool load_replay_trace(const std::string &path, replay_trace &out, std::string &err,
                       uint32_t max_size) {
    smmu_trace_t *t = nullptr;
    smmu_trace_error_t e;
    if (smmu_trace_load(path.c_str(), &t, &e)) {
        err = e.msg;
        return false;
    }
    out = replay_trace();
    out.path = path;
    out.name = smmu_trace_name(t);
    std::vector<char> sc(path.size() + 4200);
    if (smmu_trace_scenario_path(t, path.c_str(), sc.data(), sc.size()) == 0)
        out.scenario = sc.data();
    size_t n = smmu_trace_count(t);
    out.txns.reserve(n);
    for (size_t i = 0; i < n; i++) {
        const smmu_trace_txn_t *x = smmu_trace_get(t, i);
        if (x->size > max_size) {
            err = path + ":" + std::to_string(x->line) + ": size " + std::to_string(x->size) +
                  " is larger than the replay master's maximum of " + std::to_string(max_size) +
                  " bytes";
            smmu_trace_free(t);
            return false;
        }
        out.txns.push_back(*x);
    }
    smmu_trace_free(t);
    return true;
}

// ------------------------------------------------------------------ replay_master

replay_master::replay_master(sc_module_name name, const replay_params &p, unsigned id)
    : sc_module(name), socket("socket"), p_(p), id_(id),
      io_(p.at ? p.max_outstanding : 1u, stats_, log_, p.keep_log) {
    flow_of_.resize(p_.txns.size());
    for (size_t i = 0; i < p_.txns.size(); i++) {
        const smmu_trace_txn_t &t = p_.txns[i];
        unsigned f = 0;
        while (f < flows_.size() &&
               !(flows_[f].sid == t.sid && flows_[f].ssv == t.ssv && flows_[f].ssid == t.ssid))
            f++;
        if (f == flows_.size()) {
            replay_flow rf;
            rf.sid = t.sid;
            rf.ssid = t.ssv ? t.ssid : 0;
            rf.ssv = t.ssv;
            char b[64];
            if (t.ssv)
                snprintf(b, sizeof b, "sid%#x.ssid%u", t.sid, t.ssid);
            else
                snprintf(b, sizeof b, "sid%#x", t.sid);
            rf.name = b;
            flows_.push_back(rf);
        }
        flow_of_[i] = f;
    }
    stats_.resize(flows_.size());
    socket.register_nb_transport_bw(this, &replay_master::nb_transport_bw);
    SC_THREAD(run);
}

bool replay_master::next(size_t &i) {
    while (pos_ < p_.txns.size()) {
        const smmu_trace_txn_t &t = p_.txns[pos_];
        if ((t.has & SMMU_TRACE_HAS_STATUS) && t.status == SMMU_TRACE_ST_STALL) {
            skipped_++;
            pos_++;
            continue;
        }
        i = pos_++;
        return true;
    }
    return false;
}

void replay_master::wait_issue_time(const smmu_trace_txn_t &t) {
    if (!p_.original_timing) return;
    sc_time at = origin_ + sc_time(static_cast<double>(t.time_ns), SC_NS);
    sc_time now = sc_time_stamp();
    if (at > now)
        wait(at - now);
    else if (at < now)
        late_++;
}

void replay_master::prepare(slot &s, size_t i) {
    const smmu_trace_txn_t &t = p_.txns[i];
    s.data.assign(t.size, static_cast<uint8_t>(0xB0 + (i & 0xF)));
    tlm::tlm_generic_payload &gp = s.gp;
    gp.set_command(t.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(t.addr);
    gp.set_data_ptr(s.data.data());
    gp.set_data_length(t.size);
    gp.set_streaming_width(t.size);
    gp.set_byte_enable_ptr(nullptr);
    gp.set_byte_enable_length(0);
    gp.set_dmi_allowed(false);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    s.sx.sid = t.sid;
    s.sx.ssid = t.ssv ? t.ssid : 0;
    s.sx.ssv = t.ssv;
    s.sx.priv = (t.flags & SMMU_TRACE_PRIV) != 0;
    s.sx.instr = (t.flags & SMMU_TRACE_INSTR) != 0;
    s.sx.secure = (t.flags & SMMU_TRACE_SECURE) != 0;
    s.sx.ats = (t.flags & SMMU_TRACE_ATS_REQ)     ? SMMU_ATS_REQUEST
               : (t.flags & SMMU_TRACE_ATS_TRANS) ? SMMU_ATS_TRANSLATED
                                                  : SMMU_ATS_NONE;
    s.ix.master = id_;
    s.ix.flow = flow_of_[i];
    s.ix.issued = sc_time_stamp();
    s.busy = true;
    issued_++;
}

void replay_master::run() {
    begin(p_.start);
    origin_ = sc_time_stamp();
    if (p_.at)
        run_at();
    else
        run_lt();
    finish();
}

void replay_master::run_lt() {
    slot &s = io_.first();
    size_t i;
    while (next(i)) {
        wait_issue_time(p_.txns[i]);
        prepare(s, i);
        io_.transport_lt(*socket.operator->(), s);
    }
}

void replay_master::run_at() {
    size_t i;
    while (next(i)) {
        wait_issue_time(p_.txns[i]);
        slot &s = io_.free_slot();
        prepare(s, i);
        io_.issue_at(*socket.operator->(), s);
    }
    io_.drain();
}

tlm::tlm_sync_enum replay_master::nb_transport_bw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                                  sc_time &t) {
    return io_.nb_transport_bw(*socket.operator->(), gp, ph, t);
}

// ------------------------------------------------------------------ trace_recorder

trace_recorder::trace_recorder(const std::string &path, const std::string &name,
                               const std::string &scenario)
    : path_(path), name_(name), scenario_(scenario) {}

trace_recorder::~trace_recorder() {
    close();
}

smmu_trace_txn_t trace_recorder::to_txn(const smmu_tlm::translation_record &r,
                                        const sc_time &origin) {
    smmu_trace_txn_t x{};
    const sc_time t = r.requested > origin ? r.requested - origin : SC_ZERO_TIME;
    x.time_ns = static_cast<uint64_t>(t / sc_time(1, SC_NS) + 0.5);
    x.sid = r.txn.sid;
    x.ssv = r.txn.ssv;
    x.ssid = r.txn.ssv ? r.txn.ssid : 0;
    x.addr = r.txn.addr;
    // the bytes this translation covers: the core is asked for the rest of the transaction, and
    // the wrapper forwards only up to the end of the translated region (RAZ/WI: the 4 KiB page)
    uint64_t size = std::max<uint32_t>(1, r.txn.len);
    if (r.res.status == SMMU_OK && r.res.span)
        size = std::min<uint64_t>(size, r.res.span - (r.txn.addr & (r.res.span - 1)));
    else if (r.res.status == SMMU_FAULT && !r.res.abort)
        size = std::min<uint64_t>(size, 0x1000 - (r.txn.addr & 0xFFF));
    x.size = static_cast<uint32_t>(size);
    x.write = r.txn.write;
    x.flags = (r.txn.priv ? SMMU_TRACE_PRIV : 0) | (r.txn.exec ? SMMU_TRACE_INSTR : 0) |
              (r.txn.secure ? SMMU_TRACE_SECURE : 0) |
              (r.txn.ats == SMMU_ATS_REQUEST      ? SMMU_TRACE_ATS_REQ
               : r.txn.ats == SMMU_ATS_TRANSLATED ? SMMU_TRACE_ATS_TRANS
                                                  : 0);
    x.has = SMMU_TRACE_HAS_STATUS | SMMU_TRACE_HAS_LAT | SMMU_TRACE_HAS_HIT | SMMU_TRACE_HAS_MISS |
            SMMU_TRACE_HAS_READS;
    switch (r.res.status) {
    case SMMU_OK:
        x.status = SMMU_TRACE_ST_OK;
        x.has |= SMMU_TRACE_HAS_PA;
        x.pa = r.res.pa;
        break;
    case SMMU_STALLED:
        x.status = SMMU_TRACE_ST_STALL;
        break;
    default:
        x.status = r.res.abort ? SMMU_TRACE_ST_FAULT : SMMU_TRACE_ST_RAZWI;
        break;
    }
    if (r.res.event) {
        x.has |= SMMU_TRACE_HAS_EVENT;
        x.event = r.res.event;
    }
    x.lat_ns = static_cast<uint64_t>(r.latency() / sc_time(1, SC_NS) + 0.5);
    for (unsigned c = 0; c < SMMU_CACHE_COUNT && c < 32; c++) {
        if (!r.lookups[c]) continue;
        (r.hits[c] ? x.hit : x.miss) |= 1u << c;
    }
    for (size_t i = 0; i < r.n_accesses; i++) // table reads (not the event record writes)
        if (!r.accesses[i].write) x.reads++;
    return x;
}

void trace_recorder::translation(const smmu_tlm::smmu_base &, const smmu_tlm::translation_record &r) {
    if (!closed_) txns_.push_back(to_txn(r, origin_));
}

bool trace_recorder::close() {
    if (closed_) return true;
    closed_ = true;
    std::stable_sort(
        txns_.begin(), txns_.end(),
        [](const smmu_trace_txn_t &a, const smmu_trace_txn_t &b) { return a.time_ns < b.time_ns; });
    FILE *f = fopen(path_.c_str(), "w");
    if (!f) return false;
    bool ok = smmu_trace_write_header(f, name_.c_str(), scenario_.c_str()) == 0;
    for (const smmu_trace_txn_t &x : txns_)
        ok = ok && smmu_trace_write_txn(f, &x) == 0;
    return fclose(f) == 0 && ok;
}

} // namespace smmu_model
