// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "platform.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>

#include "checkpoint.h"

namespace smmu_vp {

using namespace sc_core;

latency_summary summarize(std::vector<sc_time> v) {
    latency_summary s;
    s.samples = v.size();
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    auto rank = [&](double q) { // nearest-rank percentile
        size_t i = static_cast<size_t>(q * v.size() + 0.999999);
        return v[std::min(v.size() - 1, i ? i - 1 : 0)];
    };
    s.min = v.front();
    s.max = v.back();
    s.median = rank(0.5);
    s.p99 = rank(0.99);
    sc_time sum = SC_ZERO_TIME;
    for (const sc_time &t : v)
        sum += t;
    s.mean = sum / static_cast<double>(v.size());
    return s;
}

namespace {
bool always_check = false;
} // namespace

void platform::always_check_protocol(bool on) {
    always_check = on;
}

template <class Initiator, class Target>
void platform::connect(Initiator &init, Target &target, const std::string &name) {
    if (!check_protocol_) {
        init.bind(target);
        return;
    }
    checkers_.emplace_back(new smmu_model::protocol_checker<>(("chk_" + name).c_str()));
    init.bind(checkers_.back()->target);
    checkers_.back()->initiator.bind(target);
}

platform::platform(const scenario &sc)
    : sc_(sc), check_protocol_(sc.protocol_checkers || always_check) {
    bus_.reset(new smmu_model::router("bus", sc_.bus_latency));
    smmu_model::memory_params mp = sc_.memory;
    mp.size = 0; // the router bounds it; the memory sees global addresses
    mem_.reset(new smmu_model::memory("mem", mp));
    host_.reset(new smmu_model::host("host", sc_.host_poll));
    host_->set_program([this](smmu_model::host &h) { program(h); });

    connect(bus_->initiator, mem_->socket, "bus_to_mem"); // port 0
    bus_->map("memory", sc_.mem_base, sc_.mem_size, 0, sc_.mem_base);
    connect(host_->socket, bus_->target, "host_to_bus");
    state_.resize(sc_.smmus.size());
    unsigned mid = 0;
    for (unsigned k = 0; k < sc_.smmus.size(); k++) {
        const smmu_cfg &c = sc_.smmus[k];
        smmu_tlm::smmu_tlm_params sp = c.params;
        // the platform's memory tells the sanitizer of every write (below)
        if (sp.core.dsan.on) sp.core.dsan.writes_notified = true;
        smmus_.emplace_back(new smmu_tlm::smmu(c.name.c_str(), sp));
        smmu_tlm::smmu &s = *smmus_.back();
        connect(bus_->initiator, s.regs, "bus_to_" + c.name + "_regs"); // port 1 + 2k
        bus_->map(c.name + ".regs", c.reg_base, 0x20000, 1 + 2 * k);
        connect(bus_->initiator, s.pmcg, "bus_to_" + c.name + "_pmcg"); // port 2 + 2k
        if (c.params.core.pmcg_groups)
            bus_->map(c.name + ".pmcg", pmcg_base(c), frame_size(c) - 0x20000, 2 + 2 * k);
        probes_.emplace_back(new smmu_model::probe((c.name + "_probe").c_str()));
        connect(s.downstream, probes_.back()->in, c.name + "_downstream_to_probe");
        connect(probes_.back()->out, bus_->target, c.name + "_probe_to_bus");
        connect(s.table, bus_->target, c.name + "_table_to_bus");
        const char *lines[4] = {"eventq", "priq", "cmd_sync", "gerror"};
        sc_out<bool> *outs[4] = {&s.irq_eventq, &s.irq_priq, &s.irq_cmd_sync, &s.irq_gerror};
        for (unsigned i = 0; i < 4; i++) {
            irqs_.emplace_back(new sc_signal<bool>((c.name + "_irq_" + lines[i]).c_str()));
            outs[i]->bind(*irqs_.back());
        }
        for (unsigned i = 0; i < c.masters.size(); i++) {
            const master_cfg &m = c.masters[i];
            if (m.is_replay()) {
                smmu_model::replay_params rp;
                rp.at = m.params.at;
                rp.max_outstanding = m.params.max_outstanding;
                rp.start = m.params.start;
                rp.original_timing = m.replay_original_timing;
                // the platform's copy of the trace is the master's (a large trace is big)
                rp.txns = std::move(sc_.smmus[k].masters[i].replay.txns);
                if (sc_.no_smmu) { // the output addresses, straight to the interconnect
                    const direct_map dm(c);
                    for (smmu_trace_txn_t &t : rp.txns) {
                        uint64_t pa;
                        t.addr =
                            dm.translate(t.sid, t.ssv, t.ssid, t.addr, pa) ? pa : no_smmu_unmapped;
                    }
                }
                replays_.emplace_back(new smmu_model::replay_master(m.name.c_str(), rp, mid++));
                replays_.back()->set_gate(&ready_ev_, &ready_);
                if (sc_.no_smmu)
                    connect(replays_.back()->socket, bus_->target, m.name + "_to_bus");
                else
                    connect(replays_.back()->socket, s.upstream[i], m.name + "_to_" + c.name);
                continue;
            }
            if (sc_.no_smmu)
                throw scenario_error("no_smmu (--no-smmu) covers trace-replay masters only; " +
                                     m.name + " is a traffic master");
            masters_.emplace_back(new smmu_model::traffic_master(m.name.c_str(), m.params, mid++));
            masters_.back()->set_gate(&ready_ev_, &ready_);
            connect(masters_.back()->socket, s.upstream[i], m.name + "_to_" + c.name);
            master_smmu_.push_back(k);
        }
    }
    watch_table_writes();
}

// The driver sanitizer's table-write checks (params.dsan, <smmu/dsan.h>): every write the
// memory receives (the host's programming, the masters' traffic, the SMMUs' own queue and HTTU
// writes, which change nothing the checks look at) is told to each SMMU that has it on. One PA
// space: the memory has no Secure side.
void platform::watch_table_writes() {
    std::vector<smmu_t *> cores;
    for (auto &s : smmus_)
        if (s->core() && smmu_params(s->core())->dsan.on) cores.push_back(s->core());
    if (cores.empty()) return;
    mem_->set_write_observer([cores](uint64_t addr, const uint8_t *data, size_t len) {
        for (smmu_t *c : cores)
            smmu_dsan_write(c, addr, data, len, false);
    });
}

uint64_t platform::protocol_violations() const {
    uint64_t n = 0;
    for (const auto &c : checkers_)
        n += c->violation_count();
    return n;
}

platform::~platform() {
    for (auto &s : smmus_)
        s->set_recorder(nullptr);
    if (vcd_) sc_close_vcd_trace_file(vcd_);
}

void platform::record(const std::string &file, const std::string &scenario_ref) {
    recorder_.reset(new smmu_model::trace_recorder(file, sc_.name, scenario_ref));
    fanout_.add(recorder_.get());
    for (auto &s : smmus_)
        s->set_recorder(&fanout_);
}

void platform::add_recorder(smmu_tlm::recorder *r) {
    fanout_.add(r);
    for (auto &s : smmus_)
        s->set_recorder(&fanout_);
}

void platform::timeline(const std::string &file) {
    timeline_.reset(new smmu_tlm::timeline_writer(file));
    if (!timeline_->ok()) outputs_ok_ = false;
    fanout_.add(timeline_.get());
    for (auto &s : smmus_)
        s->set_recorder(&fanout_);
}

void platform::log(const std::string &file) {
    log_.reset(new std::ofstream(file));
    if (!*log_) outputs_ok_ = false;
    std::ofstream *f = log_.get();
    for (auto &s : smmus_) {
        const std::string name = s->name();
        s->set_trace_hook([f, name](const smmu_tp_t &tp) {
            char line[320];
            smmu_tp_format(&tp, line, sizeof line);
            const auto ns =
                (uint64_t)(sc_core::sc_time_stamp() / sc_core::sc_time(1, sc_core::SC_NS));
            *f << ns << " " << name << " " << line << '\n';
        });
    }
}

void platform::trace_vcd(const std::string &file) {
    std::string base = file;
    if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0)
        base.resize(base.size() - 4); // SystemC appends the extension itself
    vcd_ = sc_create_vcd_trace_file(base.c_str());
    vcd_->set_time_unit(1, SC_NS);
    for (auto &sig : irqs_)
        sc_trace(vcd_, *sig, sig->name());
}

void platform::fail_setup(const std::string &what) {
    setup_errors_.push_back(what);
}

bool platform::all_masters_done() const {
    for (auto &m : masters_)
        if (!m->done()) return false;
    for (auto &m : replays_)
        if (!m->done()) return false;
    return true;
}

void platform::setup(smmu_model::host &h, unsigned k) {
    const smmu_cfg &c = sc_.smmus[k];
    smmu_state &st = state_[k];
    auto check = [&](int err, const std::string &what) {
        if (err) fail_setup(c.name + ": " + what + ": " + smmu_drv_strerror(err));
        return err == 0;
    };
    smmu_drv_config_t cfg{};
    cfg.pool_base = c.pool_base;
    cfg.pool_size = c.pool_size;
    cfg.sid_bits = c.sid_bits;
    st.drv = h.new_driver(c.reg_base, cfg);
    if (!st.drv) return fail_setup(c.name + ": bad driver configuration");
    if (!check(smmu_drv_init(st.drv), "init")) return;
    check(h.enable_irqs(st.drv), "enable interrupts");
    for (const domain_cfg &d : c.domains) {
        smmu_domain_cfg_t dc{};
        dc.stage = static_cast<uint8_t>(d.stage);
        dc.id = static_cast<uint16_t>(d.id);
        dc.granule = d.granule;
        dc.ias = d.ias;
        dc.oas = d.oas;
        smmu_domain_t *dom = nullptr;
        if (!check(smmu_drv_domain_new(st.drv, &dc, &dom), "domain " + d.name)) continue;
        st.domains[d.name] = dom;
        for (const mapping &m : d.map)
            check(smmu_drv_map(st.drv, dom, m.iova, m.pa, m.size, m.prot), "map in " + d.name);
    }
    for (const stream_cfg &s : c.streams) {
        std::string what = "stream " + std::to_string(s.sid);
        smmu_domain_t *s1 = s.domain.empty() ? nullptr : st.domains[s.domain];
        smmu_domain_t *s2 = s.s2_domain.empty() ? nullptr : st.domains[s.s2_domain];
        unsigned dss = s.s1dss == "bypass"  ? SMMU_DRV_S1DSS_BYPASS
                       : s.s1dss == "ssid0" ? SMMU_DRV_S1DSS_SSID0
                                            : SMMU_DRV_S1DSS_TERMINATE;
        int err = 0;
        switch (s.attach) {
        case attach_kind::bypass:
            err = smmu_drv_attach_bypass(st.drv, s.sid);
            break;
        case attach_kind::abort:
            err = smmu_drv_attach_abort(st.drv, s.sid);
            break;
        case attach_kind::s2:
            err = smmu_drv_attach_s2(st.drv, s.sid, s2);
            break;
        case attach_kind::s1:
            err = smmu_drv_attach_s1(st.drv, s.sid, s1, s.ssid_bits, dss);
            break;
        case attach_kind::nested:
            err = smmu_drv_attach_nested(st.drv, s.sid, s1, s.ssid_bits, dss, s2);
            break;
        }
        if (!check(err, what + " attach " + attach_name(s.attach))) continue;
        for (const auto &p : s.pasids)
            check(smmu_drv_set_pasid(st.drv, s.sid, p.first, st.domains[p.second]),
                  what + " pasid " + std::to_string(p.first));
        if (s.stall) check(smmu_drv_set_stall(st.drv, s.sid, true), what + " stall");
    }
    if (sc_.pmcg) pmcg_start(h, k);
}

// scenario.pmcg: group 0 counts each architected event its CEID0 lists (10.3), one per
// counter, over every StreamID, through its pages on the bus (as Linux's perf would).
void platform::pmcg_start(smmu_model::host &h, unsigned k) {
    const smmu_cfg &c = sc_.smmus[k];
    if (!c.params.core.pmcg_groups) return fail_setup(c.name + ": pmcg: the SMMU has no PMCG");
    smmu_state &st = state_[k];
    st.pmcg = h.new_pmcg(pmcg_base(c));
    if (!st.pmcg) return fail_setup(c.name + ": pmcg: no counter group answers");
    smmu_drv_pmcg_info_t info;
    smmu_drv_pmcg_info(st.pmcg, &info);
    unsigned ctr = 0;
    for (unsigned ev = 0; ev < 64 && ctr < info.counters; ev++) {
        if (!(info.events[0] >> ev & 1)) continue;
        int err = smmu_drv_pmcg_start(st.pmcg, ctr++, static_cast<uint16_t>(ev), nullptr);
        if (err) return fail_setup(c.name + ": pmcg: " + smmu_drv_strerror(err));
        st.pmcg_counts.push_back({ev, 0});
    }
}

// The host reads the counters back at the end of the traffic.
void platform::pmcg_read(unsigned k) {
    smmu_state &st = state_[k];
    for (unsigned i = 0; i < st.pmcg_counts.size(); i++)
        st.pmcg_counts[i].second = smmu_drv_pmcg_read(st.pmcg, i);
}

void platform::service(unsigned k) {
    const smmu_cfg &c = sc_.smmus[k];
    smmu_state &st = state_[k];
    if (!st.drv) return;
    smmu_drv_event_t ev;
    while (smmu_drv_next_event(st.drv, &ev) == 0) {
        st.events_read++;
        st.events[{ev.sid, ev.name ? ev.name : "UNKNOWN"}]++;
        if (!ev.stall) continue;
        // Demand paging: map what the scenario says belongs there, then retry the access.
        const mapping *fix = nullptr;
        smmu_domain_t *dom = nullptr;
        for (const stream_cfg &s : c.streams) {
            if (s.sid != ev.sid) continue;
            auto p = ev.ssv ? s.pasids.find(ev.ssid) : s.pasids.end();
            std::string dn = p != s.pasids.end() ? p->second : s.domain;
            for (const domain_cfg &d : c.domains)
                if (d.name == dn)
                    for (const mapping &m : d.map_on_fault)
                        if (ev.addr >= m.iova && ev.addr - m.iova < m.size) fix = &m;
            if (fix) dom = st.domains[dn];
        }
        bool retry = false;
        if (fix && dom) {
            int err = smmu_drv_map(st.drv, dom, fix->iova, fix->pa, fix->size, fix->prot);
            retry = err == 0 || err == SMMU_DRV_EEXIST;
            for (const auto &d : st.domains) // a checkpoint replays it (apply_checkpoint)
                if (err == 0 && d.second == dom) st.fault_maps.push_back({d.first, *fix});
        }
        if (smmu_drv_resume(st.drv, ev.sid, ev.stag, retry) == 0)
            (retry ? st.resumed : st.terminated)++;
    }
}

void platform::program(smmu_model::host &h) {
    for (unsigned k = 0; k < sc_.smmus.size(); k++)
        setup(h, k);
    if (ckpt_in_) apply_checkpoint();
    while (save_due() && !quiescent()) // due already: before the masters go (the last commands)
        wait(sc_.host_poll);
    if (save_due()) save_checkpoint();
    ready_ = true;
    ready_wall_ = std::chrono::steady_clock::now();
    ready_ev_.notify();
    traffic_start_ =
        ckpt_in_ ? sc_time(1, SC_PS) * (double)ckpt_in_->traffic_start_ps : sc_time_stamp();
    if (recorder_) recorder_->set_origin(traffic_start_);
    sc_event_or_list wake;
    for (unsigned k = 0; k < sc_.smmus.size(); k++)
        wake |= irqs_[4 * k]->value_changed_event(); // eventq
    for (auto &m : masters_)
        wake |= m->done_event();
    for (auto &m : replays_)
        wake |= m->done_event();
    while (!all_masters_done()) {
        // a checkpoint due: wake at its time, then poll until the SMMUs are quiescent
        sc_time nap = sc_.host_service;
        if (ckpt_save_ && !ckpt_saved_ && ckpt_problem_.empty())
            nap = std::min(nap, save_due() ? sc_.host_poll : ckpt_time_ - sc_time_stamp());
        wait(nap, wake);
        for (unsigned k = 0; k < sc_.smmus.size(); k++)
            service(k);
        if (save_due() && quiescent()) save_checkpoint();
    }
    for (unsigned k = 0; k < sc_.smmus.size(); k++)
        service(k);
    while (ckpt_save_ && !ckpt_saved_ && ckpt_problem_.empty()) { // due after the traffic
        if (sc_time_stamp() < ckpt_time_) wait(ckpt_time_ - sc_time_stamp());
        if (quiescent())
            save_checkpoint();
        else
            wait(sc_.host_poll);
    }
    for (unsigned k = 0; k < sc_.smmus.size(); k++)
        if (state_[k].pmcg) pmcg_read(k);
    sc_stop();
}

// ---- checkpoints (docs/vp.md, "Checkpoints") ----

void platform::save_at(const sc_time &t, const std::string &file) {
    if (!replays_.empty())
        throw scenario_error("--save-at: checkpoints do not cover trace-replay masters");
    ckpt_save_ = true;
    ckpt_time_ = t;
    ckpt_file_ = file;
}

void platform::restore(const std::string &file) {
    std::ifstream f(file, std::ios::binary);
    if (!f) throw scenario_error(file + ": cannot read the checkpoint");
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)),
                               std::istreambuf_iterator<char>());
    std::unique_ptr<checkpoint> c(new checkpoint);
    std::string err;
    if (!decode_checkpoint(bytes, *c, err)) throw scenario_error(file + ": " + err);
    if (c->scenario_digest != scenario_digest(sc_))
        throw scenario_error(file + ": a checkpoint of another scenario");
    if (c->smmus.size() != smmus_.size() || c->masters.size() != masters_.size() ||
        !replays_.empty())
        throw scenario_error(file + ": the checkpoint does not fit this platform");
    ckpt_in_ = std::move(c);
}

bool platform::save_due() const {
    return ckpt_save_ && !ckpt_saved_ && ckpt_problem_.empty() && sc_time_stamp() >= ckpt_time_;
}

bool platform::quiescent() const {
    for (const auto &s : smmus_)
        if (!s->quiescent()) return false;
    for (const auto &m : masters_) // between two transactions (an LT master waits after each)
        if (!m->idle()) return false;
    return true;
}

// The host thread, between two services: no driver call is in progress.
void platform::save_checkpoint() {
    checkpoint c;
    c.scenario_digest = scenario_digest(sc_);
    c.time_ps = (uint64_t)(sc_time_stamp() / sc_time(1, SC_PS));
    c.traffic_start_ps = (uint64_t)(traffic_start_ / sc_time(1, SC_PS));
    for (uint64_t pn : mem_->page_numbers()) {
        const uint8_t *d = mem_->page_data(pn);
        c.pages.push_back({pn, std::vector<uint8_t>(d, d + smmu_model::memory::page_size)});
    }
    for (unsigned k = 0; k < smmus_.size(); k++) {
        const smmu_state &st = state_[k];
        checkpoint::smmu s;
        s.state = smmus_[k]->save_state();
        s.events_read = st.events_read;
        s.resumed = st.resumed;
        s.terminated = st.terminated;
        for (const auto &e : st.events)
            s.events.push_back({e.first.first, e.first.second, e.second});
        for (const auto &m : st.fault_maps)
            s.maps.push_back({m.first, m.second});
        c.smmus.push_back(std::move(s));
    }
    for (const auto &m : masters_)
        c.masters.push_back(m->progress());
    const std::vector<uint8_t> bytes = encode_checkpoint(c);
    std::ofstream f(ckpt_file_, std::ios::binary);
    f.write(reinterpret_cast<const char *>(bytes.data()), (std::streamsize)bytes.size());
    ckpt_time_ = sc_time_stamp(); // when it was actually written
    if (f)
        ckpt_saved_ = true;
    else
        ckpt_problem_ = "cannot write " + ckpt_file_;
}

// In the host thread after its setup, which left the driver as it was after the saved run's
// setup: the mappings made on stalls before the checkpoint are made again (the driver allocates
// the same tables), then, at the checkpoint's time, memory and SMMUs take the saved state, the
// driver re-reads its queue indices and the masters continue where they were.
void platform::apply_checkpoint() {
    const checkpoint &c = *ckpt_in_;
    for (unsigned k = 0; k < smmus_.size(); k++) {
        smmu_state &st = state_[k];
        for (const checkpoint::fault_map &m : c.smmus[k].maps) {
            auto d = st.domains.find(m.domain);
            if (!st.drv || d == st.domains.end() ||
                smmu_drv_map(st.drv, d->second, m.m.iova, m.m.pa, m.m.size, m.m.prot) != 0)
                return fail_setup("--restore: the host cannot redo its mapping in " + m.domain);
            st.fault_maps.push_back({m.domain, m.m});
        }
    }
    const sc_time at = sc_time(1, SC_PS) * (double)c.time_ps;
    if (sc_time_stamp() < at) wait(at - sc_time_stamp());
    while (!quiescent())
        wait(sc_.host_poll);
    mem_->clear();
    for (const checkpoint::page &p : c.pages)
        mem_->set_page(p.pn, p.data.data());
    for (unsigned k = 0; k < smmus_.size(); k++) {
        smmu_state &st = state_[k];
        const checkpoint::smmu &s = c.smmus[k];
        try {
            smmus_[k]->restore_state(s.state);
        } catch (const sc_report &e) {
            return fail_setup("--restore: " + std::string(e.what()));
        }
        if (st.drv) smmu_drv_resync(st.drv);
        st.events_read = s.events_read;
        st.resumed = s.resumed;
        st.terminated = s.terminated;
        st.events.clear();
        for (const checkpoint::event_count &e : s.events)
            st.events[{e.sid, e.type}] = e.count;
    }
    for (unsigned i = 0; i < masters_.size(); i++)
        if (!masters_[i]->resume(c.masters[i]))
            return fail_setup("--restore: master " + std::string(masters_[i]->name()) +
                              " does not fit the checkpoint");
}

report platform::run() {
    auto t0 = std::chrono::steady_clock::now();
    sc_start(sc_.duration);
    auto t1 = std::chrono::steady_clock::now();
    if (vcd_) { // complete the file now: the run is over
        sc_close_vcd_trace_file(vcd_);
        vcd_ = nullptr;
    }
    for (auto &s : smmus_)
        s->set_recorder(nullptr);
    if (recorder_ && !recorder_->close()) outputs_ok_ = false;
    if (timeline_) {
        timeline_->close();
        if (!timeline_->ok()) outputs_ok_ = false;
    }
    report r = collect(std::chrono::duration<double>(t1 - t0).count());
    if (ready_) r.setup_wall_seconds = std::chrono::duration<double>(ready_wall_ - t0).count();
    return r;
}

report platform::collect(double wall) const {
    report r;
    r.scenario = sc_.name;
    r.source = sc_.source;
    r.no_smmu = sc_.no_smmu;
    r.wall_seconds = wall;
    r.sim_seconds = sc_time_stamp().to_seconds();
    r.setup_errors = setup_errors_;
    r.completed = all_masters_done();
    sc_time end = traffic_start_;
    for (auto &m : masters_)
        if (m->done()) end = std::max(end, m->finish_time());
    for (auto &m : replays_)
        if (m->done()) end = std::max(end, m->finish_time());
    r.traffic_seconds = (end - traffic_start_).to_seconds();

    // per flow
    for (unsigned i = 0, mi = 0, ri = 0; i < sc_.smmus.size(); i++) {
        for (const master_cfg &mc : sc_.smmus[i].masters) {
            if (mc.is_replay()) { // one flow per stream of the trace
                const smmu_model::replay_master &m = *replays_[ri++];
                uint64_t ok = 0, errors = 0;
                for (unsigned f = 0; f < m.flows().size(); f++) {
                    const smmu_model::replay_flow &rf = m.flows()[f];
                    const smmu_model::flow_stats &fs = m.stats()[f];
                    flow_report fr;
                    fr.master = mc.name;
                    fr.flow = rf.name;
                    fr.smmu = i;
                    fr.sid = rf.sid;
                    fr.ssid = rf.ssid;
                    fr.ssv = rf.ssv;
                    fr.at = mc.params.at;
                    fr.transactions = fs.transactions;
                    fr.bytes = fs.bytes;
                    fr.ok = fs.ok;
                    fr.errors = fs.errors;
                    fr.reads = fs.reads;
                    fr.writes = fs.writes;
                    fr.latency = summarize(fs.latency);
                    std::vector<sc_time> tl;
                    for (const auto &s : probes_[i]->samples())
                        if (s.master == m.id() && s.flow == f) tl.push_back(s.latency);
                    fr.translation = summarize(tl);
                    ok += fs.ok;
                    errors += fs.errors;
                    r.transactions += fr.transactions;
                    r.bytes += fr.bytes;
                    r.flows.push_back(fr);
                }
                if (mc.replay_expect_ok >= 0 && (int64_t)ok != mc.replay_expect_ok)
                    r.failures.push_back(mc.name + ": " + std::to_string(ok) +
                                         " transactions OK, expected " +
                                         std::to_string(mc.replay_expect_ok));
                if (mc.replay_expect_errors >= 0 && (int64_t)errors != mc.replay_expect_errors)
                    r.failures.push_back(mc.name + ": " + std::to_string(errors) +
                                         " errors, expected " +
                                         std::to_string(mc.replay_expect_errors));
                mi++;
                continue;
            }
            const smmu_model::traffic_master &m = *masters_[mi - ri];
            for (unsigned f = 0; f < mc.params.flows.size(); f++) {
                const smmu_model::flow_params &fp = mc.params.flows[f];
                const smmu_model::flow_stats &fs = m.stats()[f];
                flow_report fr;
                fr.master = mc.name;
                fr.flow = fp.name.empty() ? "flow" + std::to_string(f) : fp.name;
                fr.smmu = i;
                fr.sid = fp.with_extension ? fp.sid : mc.port_sid;
                fr.ssid = fp.ssid;
                fr.ssv = fp.ssv && fp.with_extension;
                fr.at = mc.params.at;
                fr.transactions = fs.transactions;
                fr.bytes = fs.bytes;
                fr.ok = fs.ok;
                fr.errors = fs.errors;
                fr.reads = fs.reads;
                fr.writes = fs.writes;
                fr.latency = summarize(fs.latency);
                std::vector<sc_time> tl;
                for (const auto &s : probes_[i]->samples())
                    if (s.master == mi && s.flow == f) tl.push_back(s.latency);
                fr.translation = summarize(tl);
                fr.expect_ok = mc.expect_ok[f];
                fr.expect_errors = mc.expect_errors[f];
                r.transactions += fr.transactions;
                r.bytes += fr.bytes;
                if (fr.expect_ok >= 0 && (int64_t)fr.ok != fr.expect_ok)
                    r.failures.push_back(mc.name + "/" + fr.flow + ": " + std::to_string(fr.ok) +
                                         " transactions OK, expected " +
                                         std::to_string(fr.expect_ok));
                if (fr.expect_errors >= 0 && (int64_t)fr.errors != fr.expect_errors)
                    r.failures.push_back(mc.name + "/" + fr.flow + ": " +
                                         std::to_string(fr.errors) + " errors, expected " +
                                         std::to_string(fr.expect_errors));
                r.flows.push_back(fr);
            }
            mi++;
        }
    }

    // per SMMU
    static const char *cache_names[SMMU_CACHE_COUNT] = {"tlb", "walk", "ipa", "ste", "cd", "l1"};
    for (unsigned k = 0; k < sc_.smmus.size(); k++) {
        const smmu_cfg &c = sc_.smmus[k];
        const smmu_state &st = state_[k];
        smmu_report sr;
        sr.name = c.name;
        smmu_get_stats(smmus_[k]->core(), &sr.core);
        for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++) {
            cache_report cr;
            cr.name = cache_names[i];
            smmu_cache_stats(smmus_[k]->core(), i, &cr.stats);
            sr.caches.push_back(cr);
        }
        for (const stream_cfg &s : c.streams) {
            stream_report srr;
            srr.sid = s.sid;
            srr.attach = attach_name(s.attach);
            smmu_stream_stats(smmus_[k]->core(), s.sid, &srr.core);
            for (const auto &e : st.events)
                if (e.first.first == s.sid) srr.events[e.first.second] = e.second;
            sr.streams.push_back(srr);
        }
        sr.tlm = smmus_[k]->stats();
        smmu_t *core = smmus_[k]->core();
        sr.dsan_on = smmu_params(core)->dsan.on;
        sr.dsan_checks = smmu_dsan_checks(core);
        smmu_dsan_stats(core, &sr.dsan);
        sr.dsan_lines = smmus_[k]->dsan_reports();
        if (smmu_dsan_fatal(core))
            r.failures.push_back(c.name + ": " + std::to_string(sr.dsan.reports) +
                                 " driver sanitizer reports (params.dsan.fatal)");
        std::vector<sc_time> tl;
        for (const auto &s : probes_[k]->samples())
            tl.push_back(s.latency);
        sr.translation = summarize(tl);
        sr.events_read = st.events_read;
        sr.pmcg = st.pmcg_counts;
        sr.stalls_resumed = st.resumed;
        sr.stalls_terminated = st.terminated;
        sr.expect_faults = c.expect_faults;
        sr.expect_stalls_resumed = c.expect_stalls_resumed;
        for (const auto &e : c.expect_faults) {
            uint64_t got = 0;
            for (uint32_t ev = 0; ev < 0x26; ev++)
                if (e.first == smmu_event_name(ev)) got = sr.core.by_event[ev];
            if ((int64_t)got != e.second)
                r.failures.push_back(c.name + ": " + std::to_string(got) + " " + e.first +
                                     " faults, expected " + std::to_string(e.second));
        }
        if (c.expect_stalls_resumed >= 0 && (int64_t)st.resumed != c.expect_stalls_resumed)
            r.failures.push_back(c.name + ": " + std::to_string(st.resumed) +
                                 " stalls resumed, expected " +
                                 std::to_string(c.expect_stalls_resumed));
        r.smmus.push_back(sr);
    }
    if (!r.completed)
        r.failures.push_back("not every master finished within the duration (" +
                             sc_.duration.to_string() + ")");
    uint64_t h = 0xcbf29ce484222325ull; // FNV-1a over the non-zero pages
    for (uint64_t pn : mem_->page_numbers()) {
        const uint8_t *d = mem_->page_data(pn);
        if (std::all_of(d, d + smmu_model::memory::page_size, [](uint8_t b) { return b == 0; }))
            continue;
        for (unsigned i = 0; i < 8; i++)
            h = (h ^ (uint8_t)(pn >> (8 * i))) * 0x100000001b3ull;
        for (size_t i = 0; i < smmu_model::memory::page_size; i++)
            h = (h ^ d[i]) * 0x100000001b3ull;
    }
    r.memory_checksum = h;
    r.protocol_checkers = static_cast<unsigned>(checkers_.size());
    r.protocol_violations = protocol_violations();
    for (const auto &c : checkers_) { // per checker and rule: the first message and a count
        std::vector<std::pair<const smmu_model::protocol_checker_base::violation *, uint64_t>> by;
        for (const auto &v : c->violations()) {
            auto it = std::find_if(by.begin(), by.end(), [&](const auto &b) {
                return b.first->rule == v.rule && b.first->name == v.name;
            });
            if (it == by.end())
                by.push_back({&v, 1});
            else
                it->second++;
        }
        const bool all_kept = c->violation_count() == c->violations().size();
        for (const auto &b : by) {
            if (r.protocol_violation_messages.size() == report::max_violation_messages) break;
            std::string m = b.first->text;
            if (b.second > 1) {
                m += " [" + std::to_string(b.second) + " times at this checker";
                if (!all_kept) m += " among the first " + std::to_string(c->violations().size());
                m += "]";
            }
            r.protocol_violation_messages.push_back(m);
        }
    }
    if (r.protocol_violations)
        r.failures.push_back(std::to_string(r.protocol_violations) +
                             " TLM-2.0 base-protocol violations reported by the protocol checkers");
    return r;
}

} // namespace smmu_vp
