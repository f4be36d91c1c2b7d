/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Recorders of smmu_tlm::smmu activity: fan-out, in-memory log and the Chrome / Perfetto
   trace-event JSON timeline (format: the "Trace Event Format" of chrome://tracing, which
   ui.perfetto.dev also opens). */
#include <smmu_tlm/recorder.h>
#include <smmu_tlm/smmu_tlm.h>

#include <smmu/regs.h>

#include <cinttypes>
#include <cstdio>

namespace smmu_tlm {

using sc_core::sc_time;

std::string command_name(unsigned opcode) {
    const std::string n = smmu_cmd_name(opcode);
    if (n != "UNKNOWN") return n;
    char b[16];
    snprintf(b, sizeof b, "CMD_0x%02x", opcode & 0xFF);
    return b;
}

/* ------------------------------------------------------------------ fan-out, log */

void recorder_fanout::translation(const smmu_base &s, const translation_record &r) {
    for (recorder *t : to_)
        t->translation(s, r);
}
void recorder_fanout::interrupt(const smmu_base &s, int line, bool level, const sc_time &at) {
    for (recorder *t : to_)
        t->interrupt(s, line, level, at);
}
void recorder_fanout::command(const smmu_base &s, unsigned opcode, const sc_time &at,
                              const sc_time &dur) {
    for (recorder *t : to_)
        t->command(s, opcode, at, dur);
}

void record_log::translation(const smmu_base &s, const translation_record &r) {
    entries_.push_back({s.name(), r});
    entries_.back().r.accesses = nullptr;
}
void record_log::command(const smmu_base &, unsigned, const sc_time &, const sc_time &) {
    commands++;
}
void record_log::interrupt(const smmu_base &, int, bool, const sc_time &) {
    interrupts++;
}

/* ------------------------------------------------------------------ timeline */

namespace {

std::string esc(const std::string &s) {
    std::string o;
    for (char c : s) {
        unsigned char u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            o += '\\';
            o += c;
        } else if (u < 0x20) {
            char b[8];
            snprintf(b, sizeof b, "\\u%04x", u);
            o += b;
        } else {
            o += c;
        }
    }
    return o;
}

std::string us(const sc_time &t) { /* microseconds, ns resolution */
    char b[40];
    double ns = t / sc_time(1, sc_core::SC_NS);
    snprintf(b, sizeof b, "%.3f", ns / 1000.0);
    return b;
}

std::string hex(uint64_t v) {
    char b[24];
    snprintf(b, sizeof b, "0x%" PRIx64, v);
    return b;
}

const char *cache_label[SMMU_CACHE_COUNT] = {"tlb", "walk", "ipa", "ste", "cd", "l1"};
const char *irq_label[] = {"eventq", "priq", "cmd_sync", "gerror"};

} // namespace

timeline_writer::timeline_writer(const std::string &path) : f_(path) {
    f_ << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
}

timeline_writer::~timeline_writer() {
    close();
}

bool timeline_writer::ok() const {
    return static_cast<bool>(f_);
}

void timeline_writer::close() {
    if (closed_) return;
    closed_ = true;
    f_ << "\n]}\n";
    f_.close();
}

void timeline_writer::emit(const std::string &obj) {
    if (closed_) return;
    if (!first_) f_ << ",\n";
    first_ = false;
    f_ << obj;
    events_++;
}

void timeline_writer::meta(unsigned pid, unsigned tid, const char *what, const std::string &name) {
    emit("{\"ph\":\"M\",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(tid) +
         ",\"name\":\"" + what + "\",\"args\":{\"name\":\"" + esc(name) + "\"}}");
}

void timeline_writer::slice(unsigned pid, unsigned tid, const std::string &name, const sc_time &at,
                            const sc_time &dur, const std::string &args) {
    emit("{\"ph\":\"X\",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(tid) +
         ",\"name\":\"" + esc(name) + "\",\"ts\":" + us(at) + ",\"dur\":" + us(dur) +
         (args.empty() ? "" : ",\"args\":" + args) + "}");
}

timeline_writer::proc &timeline_writer::process(const smmu_base &s) {
    auto it = procs_.find(&s);
    if (it != procs_.end()) return it->second;
    proc &p = procs_[&s];
    p.pid = static_cast<unsigned>(procs_.size());
    meta(p.pid, 0, "process_name", std::string("SMMU ") + s.name());
    meta(p.pid, 1, "thread_name", "commands");
    meta(p.pid, 2, "thread_name", "interrupts");
    return p;
}

unsigned timeline_writer::lane_for(proc &p, const smmu_txn_t &t, const sc_time &from,
                                   const sc_time &to) {
    auto key = std::make_pair(t.sid, t.ssv ? static_cast<int64_t>(t.ssid) : int64_t(-1));
    std::vector<lane> &ls = p.lanes[key];
    for (lane &l : ls)
        if (l.busy_until <= from) {
            l.busy_until = to;
            return l.tid;
        }
    lane l{to, p.next_tid++};
    ls.push_back(l);
    std::string name = "sid " + hex(t.sid) + (t.ssv ? " ssid " + std::to_string(t.ssid) : "");
    if (ls.size() > 1) name += " #" + std::to_string(ls.size());
    meta(p.pid, l.tid, "thread_name", name);
    /* keep a stream's lanes together, commands and interrupts first */
    emit("{\"ph\":\"M\",\"pid\":" + std::to_string(p.pid) + ",\"tid\":" + std::to_string(l.tid) +
         ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":" +
         std::to_string(((uint64_t)t.sid << 8) + (t.ssv ? 1 + (t.ssid & 0xFF) : 0) + 10) + "}}");
    return l.tid;
}

void timeline_writer::translation(const smmu_base &s, const translation_record &r) {
    proc &p = process(s);
    const smmu_txn_t &t = r.txn;
    unsigned tid = lane_for(p, t, r.requested, r.end);
    const char *outcome = r.res.status == SMMU_OK        ? "ok"
                          : r.res.status == SMMU_STALLED ? "stall"
                          : r.res.abort                  ? "fault"
                                                         : "razwi";
    std::string name = std::string(t.write ? "W " : "R ") + hex(t.addr);
    if (r.res.status == SMMU_OK)
        name += " -> " + hex(r.res.pa);
    else
        name += std::string(" ") + outcome +
                (r.res.event ? std::string(" ") + smmu_event_name(r.res.event) : "");
    std::string hit, miss;
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
        if (!r.lookups[c]) continue;
        std::string &dst = r.hits[c] ? hit : miss;
        dst += (dst.empty() ? "" : ",") + std::string(cache_label[c]);
    }
    std::string args = "{\"sid\":\"" + hex(t.sid) +
                       "\",\"ssid\":" + (t.ssv ? std::to_string(t.ssid) : std::string("null")) +
                       ",\"addr\":\"" + hex(t.addr) + "\",\"len\":" + std::to_string(t.len) +
                       ",\"dir\":\"" + (t.write ? "W" : "R") + "\",\"outcome\":\"" + outcome + "\"";
    if (r.res.status == SMMU_OK) args += ",\"pa\":\"" + hex(r.res.pa) + "\"";
    if (r.res.event) args += std::string(",\"event\":\"") + smmu_event_name(r.res.event) + "\"";
    args += ",\"hit\":\"" + hit + "\",\"miss\":\"" + miss +
            "\",\"table_reads\":" + std::to_string(r.n_accesses) + "}";
    slice(p.pid, tid, name, r.requested, r.end - r.requested, args);
    const sc_time zero = sc_core::SC_ZERO_TIME;
    if (r.start > r.requested)
        slice(p.pid, tid, "wait: translation slot", r.requested, r.start - r.requested);
    sc_time at = r.start;
    if (r.cfg > zero) slice(p.pid, tid, "config lookup", at, r.cfg);
    at += r.cfg;
    if (r.tlb > zero) slice(p.pid, tid, "TLB lookup", at, r.tlb);
    at += r.tlb;
    if (r.walked && r.walk_start > at) slice(p.pid, tid, "wait: walk slot", at, r.walk_start - at);
    if (r.end > r.walk_start)
        slice(p.pid, tid, r.walked ? "walk" : "table reads", r.walk_start, r.end - r.walk_start);
    /* table reads inside the walk phase, each as long as the memory took, in order; laid out
       from the walk's start (the timing model adds them after the lookups) */
    sc_time rd = r.walk_start;
    for (size_t i = 0; i < r.n_accesses; i++) {
        const table_access &a = r.accesses[i];
        sc_time d = a.end > a.begin ? a.end - a.begin : zero;
        if (rd + d > r.end) d = r.end > rd ? r.end - rd : zero;
        slice(p.pid, tid, std::string(a.write ? "write " : "read ") + hex(a.pa), rd, d);
        rd += d;
    }
}

void timeline_writer::interrupt(const smmu_base &s, int line, bool level, const sc_time &at) {
    proc &p = process(s);
    if (!level) return; /* one instant per rising edge */
    const char *n = line >= 0 && line < 4 ? irq_label[line] : line >= 4 ? "pmcg" : "irq";
    emit("{\"ph\":\"i\",\"s\":\"t\",\"pid\":" + std::to_string(p.pid) +
         ",\"tid\":2,\"name\":\"irq " + n + "\",\"ts\":" + us(at) + "}");
}

void timeline_writer::command(const smmu_base &s, unsigned opcode, const sc_time &at,
                              const sc_time &dur) {
    proc &p = process(s);
    emit("{\"ph\":\"i\",\"s\":\"t\",\"pid\":" + std::to_string(p.pid) + ",\"tid\":1,\"name\":\"" +
         command_name(opcode) + "\",\"ts\":" + us(at) +
         ",\"args\":{\"cost_ns\":" + std::to_string(dur / sc_time(1, sc_core::SC_NS)) + "}}");
}

} // namespace smmu_tlm
