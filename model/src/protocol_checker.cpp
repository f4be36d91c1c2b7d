// SPDX-License-Identifier: Apache-2.0 OR MIT
// The non-template part of smmu_model::protocol_checker: rule table, reporting, the process-wide
// registry of transactions in flight, and every check. Rule ids are sub-clauses of
// IEEE Std 1666-2011.
#include <smmu_model/protocol_checker.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace smmu_model {

// One entry per rule; the order here is the order of the table in info().
enum class protocol_checker_base::check : unsigned char {
    b_from_method,
    b_reentered,
    nb_accepted_changed,
    nb_bad_status,
    nb_cross_path,
    nb_time_decreased,
    dmi_command,
    dmi_descriptor,
    dmi_grant,
    dmi_modified,
    dmi_invalidate_range,
    dbg_count,
    dbg_modified,
    mm_missing,
    mm_ref_count,
    object_reused,
    modified_in_flight,
    option,
    command_invalid,
    command_modified,
    data_ptr_null,
    data_ptr_modified,
    data_len_zero,
    data_len_modified,
    be_value,
    be_ptr_modified,
    be_len_zero,
    be_len_modified,
    sw_zero,
    sw_modified,
    dmi_allowed_set,
    status_at_entry,
    status_in_response,
    phase_direction,
    phase_no_change,
    phase_sequence,
    phase_unknown,
    req_exclusion,
    resp_exclusion,
    b_and_nb_mixed,
    count_
};

const protocol_checker_base::rule_info &protocol_checker_base::info(check c) {
    static const rule_info table[] = {
        {"11.1.1", "b_transport called from a method process"},
        {"15.2.8", "transaction object passed to b_transport again while in progress"},
        {"11.1.2", "TLM_ACCEPTED returned with a modified phase or delay"},
        {"11.1.2", "invalid tlm_sync_enum value"},
        {"11.1.2", "nb_transport called across paths from within nb_transport"},
        {"11.1.3", "nb_transport decreased the timing annotation"},
        {"11.2", "DMI request with a command other than read or write"},
        {"11.2", "DMI descriptor not in its default state at the call"},
        {"11.2", "invalid DMI grant"},
        {"11.2", "DMI request attribute modified"},
        {"11.2", "invalidate_direct_mem_ptr with start after end"},
        {"11.3", "transport_dbg returned more bytes than the data length"},
        {"11.3", "debug transaction attribute modified"},
        {"14.5", "nb_transport payload without a memory manager"},
        {"14.5", "nb_transport payload with reference count 0"},
        {"14.5", "transaction object sent again while its transaction is in progress upstream"},
        {"14.7", "attribute modified by an interconnect component"},
        {"14.8", "option attribute not TLM_MIN_PAYLOAD on the transport interface"},
        {"14.9", "invalid command"},
        {"14.9", "command modified"},
        {"14.11", "null data pointer"},
        {"14.11", "data pointer modified"},
        {"14.12", "data length 0"},
        {"14.12", "data length modified"},
        {"14.13", "byte enable value other than 0x00 or 0xff"},
        {"14.13", "byte enable pointer modified"},
        {"14.14", "byte enable length 0 with a byte enable pointer"},
        {"14.14", "byte enable length modified"},
        {"14.15", "streaming width 0"},
        {"14.15", "streaming width modified"},
        {"14.16", "DMI allowed set by the initiator"},
        {"14.17", "response status not TLM_INCOMPLETE_RESPONSE at entry"},
        {"14.17", "response status not set by the target"},
        {"15.2.3", "phase sent on the wrong path"},
        {"15.2.3", "TLM_UPDATED without a phase transition"},
        {"15.2.4", "phase transition not permitted"},
        {"15.2.5", "non-base phase"},
        {"15.2.6", "request exclusion rule"},
        {"15.2.6", "response exclusion rule"},
        {"15.2.10", "b_transport and nb_transport for the same transaction on one socket"},
    };
    static_assert(sizeof table / sizeof table[0] == static_cast<std::size_t>(check::count_),
                  "one row per rule");
    return table[static_cast<std::size_t>(c)];
}

const std::vector<protocol_checker_base::rule_info> &protocol_checker_base::rules() {
    static const std::vector<rule_info> all = [] {
        std::vector<rule_info> v;
        for (std::size_t i = 0; i < static_cast<std::size_t>(check::count_); i++)
            v.push_back(info(static_cast<check>(i)));
        return v;
    }();
    return all;
}

namespace detail {

struct pc_attrs {
    tlm::tlm_command cmd;
    unsigned char *data;
    unsigned int len;
    unsigned char *be;
    unsigned int be_len;
    unsigned int sw;
    tlm::tlm_gp_option option;
    bool dmi_allowed;
    sc_dt::uint64 addr;
};

struct pc_hop {
    const tlm::tlm_generic_payload *gp;
    const protocol_checker_base *owner;
    std::uint64_t seq;   // unique, increasing: the registry is in arrival order
    pc_attrs sent;       // the attributes as the transaction entered this checker
    bool nb;             // nb_transport (else b_transport)
    unsigned char state; // nb: phase state of this hop
    bool child_done;     // a later hop of the same object (downstream) completed meanwhile
};

} // namespace detail

namespace {

using detail::pc_attrs;
using detail::pc_hop;

// nb phase state of a hop (Table 57: req, //req, rsp; a hop in state //rsp is closed).
enum : unsigned char { st_none, st_req, st_ereq, st_rsp };

// Never destroyed, so checkers destroyed at exit can still deregister.
std::vector<pc_hop> &registry() {
    static std::vector<pc_hop> *r = [] {
        auto *v = new std::vector<pc_hop>;
        v->reserve(256);
        return v;
    }();
    return *r;
}
std::uint64_t next_seq = 1;
std::uint64_t total_count = 0;

pc_attrs attrs_of(const tlm::tlm_generic_payload &gp) {
    return {gp.get_command(),         gp.get_data_ptr(),           gp.get_data_length(),
            gp.get_byte_enable_ptr(), gp.get_byte_enable_length(), gp.get_streaming_width(),
            gp.get_gp_option(),       gp.is_dmi_allowed(),         gp.get_address()};
}

const char *cmd_name(tlm::tlm_command c) {
    switch (c) {
    case tlm::TLM_READ_COMMAND:
        return "TLM_READ_COMMAND";
    case tlm::TLM_WRITE_COMMAND:
        return "TLM_WRITE_COMMAND";
    case tlm::TLM_IGNORE_COMMAND:
        return "TLM_IGNORE_COMMAND";
    }
    return "an invalid command";
}

const char *status_name(tlm::tlm_response_status s) {
    switch (s) {
    case tlm::TLM_OK_RESPONSE:
        return "TLM_OK_RESPONSE";
    case tlm::TLM_INCOMPLETE_RESPONSE:
        return "TLM_INCOMPLETE_RESPONSE";
    case tlm::TLM_GENERIC_ERROR_RESPONSE:
        return "TLM_GENERIC_ERROR_RESPONSE";
    case tlm::TLM_ADDRESS_ERROR_RESPONSE:
        return "TLM_ADDRESS_ERROR_RESPONSE";
    case tlm::TLM_COMMAND_ERROR_RESPONSE:
        return "TLM_COMMAND_ERROR_RESPONSE";
    case tlm::TLM_BURST_ERROR_RESPONSE:
        return "TLM_BURST_ERROR_RESPONSE";
    case tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE:
        return "TLM_BYTE_ENABLE_ERROR_RESPONSE";
    }
    return "an invalid response status";
}

const char *option_name(tlm::tlm_gp_option o) {
    switch (o) {
    case tlm::TLM_MIN_PAYLOAD:
        return "TLM_MIN_PAYLOAD";
    case tlm::TLM_FULL_PAYLOAD:
        return "TLM_FULL_PAYLOAD";
    case tlm::TLM_FULL_PAYLOAD_ACCEPTED:
        return "TLM_FULL_PAYLOAD_ACCEPTED";
    }
    return "an invalid option";
}

const char *state_name(unsigned char s) {
    switch (s) {
    case st_req:
        return "after BEGIN_REQ";
    case st_ereq:
        return "after END_REQ";
    case st_rsp:
        return "after BEGIN_RESP";
    }
    return "not in progress";
}

std::string vformat(const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    const int n = std::vsnprintf(nullptr, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0) return std::string();
    std::string s(static_cast<std::size_t>(n), '\0');
    std::vsnprintf(&s[0], s.size() + 1, fmt, ap);
    return s;
}

// An attribute's value, whatever its type, for comparing and showing it.
using attr_value = unsigned long long;
attr_value ptr_value(const void *p) {
    return static_cast<attr_value>(reinterpret_cast<std::uintptr_t>(p));
}

// Appends "<name> (<rule>) <from> -> <to>" to a list of changed attributes.
void add_change(std::string &out, const char *name, const char *rule, attr_value from,
                attr_value to, bool hex) {
    char buf[160];
    std::snprintf(buf, sizeof buf, hex ? "%s%s (%s) 0x%llx -> 0x%llx" : "%s%s (%s) %llu -> %llu",
                  out.empty() ? "" : ", ", name, rule, from, to);
    out += buf;
}

// Calls f() with a nesting counter up for the duration of the call; the counter comes down when
// f() throws too.
template <class F> tlm::tlm_sync_enum nested(unsigned &counter, F f) {
    struct guard {
        unsigned &c;
        ~guard() {
            --c;
        }
    } g{++counter};
    return f();
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Construction, counters, reporting

protocol_checker_base::protocol_checker_base(const sc_core::sc_object *self) : self_(self) {
    (void)registry(); // reserve the registry before simulation
}

protocol_checker_base::~protocol_checker_base() {
    reset_state();
}

void protocol_checker_base::connect(tlm::tlm_fw_transport_if<> *downstream,
                                    tlm::tlm_bw_transport_if<> *upstream) {
    fw_ = downstream;
    bw_ = upstream;
}

const char *protocol_checker_base::checker_name() const {
    return self_ ? self_->name() : "?";
}

std::size_t protocol_checker_base::violation_count(const std::string &rule_id) const {
    return static_cast<std::size_t>(
        std::count_if(violations_.begin(), violations_.end(),
                      [&](const violation &v) { return v.rule == rule_id; }));
}

void protocol_checker_base::reset_violations() {
    violations_.clear();
    count_ = 0;
}

std::uint64_t protocol_checker_base::total_violations() {
    return total_count;
}

void protocol_checker_base::reset_total_violations() {
    total_count = 0;
}

std::size_t protocol_checker_base::pending() const {
    const std::vector<pc_hop> &r = registry();
    return static_cast<std::size_t>(
        std::count_if(r.begin(), r.end(), [this](const pc_hop &h) { return h.owner == this; }));
}

void protocol_checker_base::reset_state() {
    std::vector<pc_hop> &r = registry();
    r.erase(std::remove_if(r.begin(), r.end(), [this](const pc_hop &h) { return h.owner == this; }),
            r.end());
    req_open_ = resp_open_ = nullptr;
}

void protocol_checker_base::report(check c, const tlm::tlm_generic_payload *gp, const char *fmt,
                                   ...) {
    const rule_info &r = info(c);
    va_list ap;
    va_start(ap, fmt);
    const std::string what = vformat(fmt, ap);
    va_end(ap);
    std::string text =
        std::string(r.id) + " " + r.name + ": " + what + " (checker " + checker_name();
    if (gp) {
        char buf[96];
        std::snprintf(buf, sizeof buf, ", payload %p, address 0x%llx)",
                      static_cast<const void *>(gp),
                      static_cast<unsigned long long>(gp->get_address()));
        text += buf;
    } else {
        text += ")";
    }
    // Count first: the report may throw.
    count_++;
    total_count++;
    if (violations_.size() < max_stored) violations_.push_back({r.id, r.name, text});
    SC_REPORT_ERROR(msg_type, text.c_str());
}

// ---------------------------------------------------------------------------------------------
// Registry

void protocol_checker_base::scan(const tlm::tlm_generic_payload &gp, const pc_hop **own,
                                 const pc_hop **up) const {
    *own = *up = nullptr;
    const std::vector<pc_hop> &r = registry();
    for (auto it = r.rbegin(); it != r.rend(); ++it) {
        if (it->gp != &gp) continue;
        if (it->owner == this) {
            *own = &*it;
            return;
        }
        if (!*up) *up = &*it; // the nearest checker upstream still holding the object
    }
}

pc_hop *protocol_checker_base::own_hop(const tlm::tlm_generic_payload &gp, bool nb) {
    std::vector<pc_hop> &r = registry();
    for (auto it = r.rbegin(); it != r.rend(); ++it)
        if (it->gp == &gp && it->owner == this && it->nb == nb) return &*it;
    return nullptr;
}

pc_hop *protocol_checker_base::hop_by_seq(std::uint64_t seq) {
    std::vector<pc_hop> &r = registry();
    for (auto it = r.rbegin(); it != r.rend(); ++it)
        if (it->seq == seq) return &*it;
    return nullptr;
}

std::uint64_t protocol_checker_base::open_hop(const tlm::tlm_generic_payload &gp, bool nb,
                                              unsigned char state, const pc_attrs &sent) {
    const std::uint64_t seq = next_seq++;
    registry().push_back({&gp, this, seq, sent, nb, state, false});
    return seq;
}

void protocol_checker_base::close_hop(std::uint64_t seq) {
    std::vector<pc_hop> &r = registry();
    std::size_t i = r.size();
    while (i > 0 && r[i - 1].seq != seq)
        i--;
    if (i == 0) return;
    i--;
    const tlm::tlm_generic_payload *gp = r[i].gp;
    // The hop upstream of this one (if the object is still in progress there) now has a
    // completed transaction downstream: sending the object downstream again is a reuse.
    for (std::size_t j = i; j > 0; j--)
        if (r[j - 1].gp == gp) {
            r[j - 1].child_done = true;
            break;
        }
    if (req_open_ == gp) req_open_ = nullptr;
    if (resp_open_ == gp) resp_open_ = nullptr;
    r.erase(r.begin() + static_cast<std::ptrdiff_t>(i));
}

// ---------------------------------------------------------------------------------------------
// Checks shared by b_transport and nb_transport

// The attributes that come back from the target as they went (14.8 to 14.15) and that no
// interconnect changes on the way (14.7), in the order their changes are reported. The address is
// not among them: an interconnect may translate it (14.10).
struct protocol_checker_base::field {
    enum kind : unsigned char { number, pointer, command, option };
    const char *name;
    check modified; // the rule a target breaks by changing it (its id names the attribute's clause)
    kind shown;
    attr_value (*get)(const pc_attrs &);

    // A value as the messages show it: a number, a pointer (%p) or the enumerator's name.
    std::string show(attr_value v) const {
        char buf[32];
        switch (shown) {
        case command:
            return cmd_name(static_cast<tlm::tlm_command>(v));
        case option:
            return option_name(static_cast<tlm::tlm_gp_option>(v));
        case pointer:
            std::snprintf(buf, sizeof buf, "%p",
                          reinterpret_cast<void *>(static_cast<std::uintptr_t>(v)));
            return buf;
        case number:
            break;
        }
        std::snprintf(buf, sizeof buf, "%llu", v);
        return buf;
    }
};

const std::vector<protocol_checker_base::field> &protocol_checker_base::fields() {
    static const std::vector<field> all = {
        {"command", check::command_modified, field::command,
         [](const pc_attrs &a) { return attr_value(a.cmd); }},
        {"data pointer", check::data_ptr_modified, field::pointer,
         [](const pc_attrs &a) { return ptr_value(a.data); }},
        {"data length", check::data_len_modified, field::number,
         [](const pc_attrs &a) { return attr_value(a.len); }},
        {"byte enable pointer", check::be_ptr_modified, field::pointer,
         [](const pc_attrs &a) { return ptr_value(a.be); }},
        {"byte enable length", check::be_len_modified, field::number,
         [](const pc_attrs &a) { return attr_value(a.be_len); }},
        {"streaming width", check::sw_modified, field::number,
         [](const pc_attrs &a) { return attr_value(a.sw); }},
        {"option", check::option, field::option,
         [](const pc_attrs &a) { return attr_value(a.option); }},
    };
    return all;
}

void protocol_checker_base::check_request(const tlm::tlm_generic_payload &gp, const pc_attrs &a) {
    if (gp.get_response_status() != tlm::TLM_INCOMPLETE_RESPONSE)
        report(check::status_at_entry, &gp,
               "the request arrives with response status %s; the initiator must set "
               "TLM_INCOMPLETE_RESPONSE and no interconnect may change it",
               status_name(gp.get_response_status()));
    const bool rw = a.cmd == tlm::TLM_READ_COMMAND || a.cmd == tlm::TLM_WRITE_COMMAND;
    if (!rw && a.cmd != tlm::TLM_IGNORE_COMMAND)
        report(check::command_invalid, &gp,
               "command %d is not TLM_READ_COMMAND, TLM_WRITE_COMMAND or TLM_IGNORE_COMMAND",
               static_cast<int>(a.cmd));
    if (rw) {
        if (!a.data)
            report(check::data_ptr_null, &gp, "%s with a null data pointer", cmd_name(a.cmd));
        if (a.len == 0)
            report(check::data_len_zero, &gp,
                   "%s with data length 0 (TLM_IGNORE_COMMAND transfers nothing)", cmd_name(a.cmd));
        if (a.sw == 0)
            report(check::sw_zero, &gp,
                   "%s with streaming width 0 (no streaming: streaming width >= data length)",
                   cmd_name(a.cmd));
    }
    if (a.be) {
        if (a.be_len == 0) {
            report(check::be_len_zero, &gp, "byte enable pointer set, byte enable length 0");
        } else {
            for (unsigned int i = 0; i < a.be_len; i++)
                if (a.be[i] != TLM_BYTE_DISABLED && a.be[i] != TLM_BYTE_ENABLED) {
                    report(check::be_value, &gp,
                           "byte enable %u is 0x%02x; only 0x00 (TLM_BYTE_DISABLED) and 0xff "
                           "(TLM_BYTE_ENABLED) are defined",
                           i, static_cast<unsigned>(a.be[i]));
                    break;
                }
        }
    }
    if (a.option != tlm::TLM_MIN_PAYLOAD)
        report(check::option, &gp, "option %s on the transport interface", option_name(a.option));
}

// Against the registry: the first checker a transaction meets sees what the initiator sent; a
// checker downstream of another that still holds the object sees what the interconnects between
// them did to it.
void protocol_checker_base::check_path(const tlm::tlm_generic_payload &gp, const pc_attrs &a,
                                       const pc_hop *up) {
    if (!up) {
        if (a.dmi_allowed)
            report(check::dmi_allowed_set, &gp,
                   "the initiator sent the transaction with DMI allowed true; it must reset the "
                   "DMI hint to false before each transport call");
        return;
    }
    const pc_attrs &u = up->sent;
    std::string what; // stays empty, and allocates nothing, while nothing changed
    for (const field &f : fields()) {
        const attr_value was = f.get(u), is = f.get(a);
        if (was != is)
            add_change(what, f.name, info(f.modified).id, was, is, f.shown == field::pointer);
    }
    if (!u.dmi_allowed && a.dmi_allowed) // set on the way in (the target's to set, 14.16)
        add_change(what, "DMI allowed", "14.16", u.dmi_allowed, a.dmi_allowed, false);
    if (!what.empty())
        report(check::modified_in_flight, &gp,
               "changed between checker %s upstream, where the transaction is still in "
               "progress, and here: %s",
               up->owner->checker_name(), what.c_str());
    if (up->child_done)
        report(check::object_reused, &gp,
               "the object already completed a transaction on this path while checker %s "
               "upstream still has it in progress; an interconnect sends the initiator's object "
               "downstream more than once instead of using its own transaction objects",
               up->owner->checker_name());
}

void protocol_checker_base::check_response(const tlm::tlm_generic_payload &gp, const pc_attrs &s,
                                           const char *when) {
    if (gp.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE)
        report(check::status_in_response, &gp,
               "%s with response status still TLM_INCOMPLETE_RESPONSE (%s)", when, cmd_name(s.cmd));
    const pc_attrs now = attrs_of(gp);
    for (const field &f : fields()) {
        const attr_value was = f.get(s), is = f.get(now);
        if (was != is)
            report(f.modified, &gp, "%s: %s %s was changed to %s", when, f.name,
                   f.show(was).c_str(), f.show(is).c_str());
    }
}

// ---------------------------------------------------------------------------------------------
// b_transport

void protocol_checker_base::b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &t) {
    if (sc_core::sc_get_status() == sc_core::SC_RUNNING) { // a process is executing
        const sc_core::sc_process_handle p = sc_core::sc_get_current_process_handle();
        if (p.valid() && p.proc_kind() == sc_core::SC_METHOD_PROC_)
            report(check::b_from_method, &gp,
                   "b_transport may wait, so it must be called from a thread (method %s)",
                   p.name());
    }
    const pc_attrs sent = attrs_of(gp);
    const pc_hop *own, *up;
    scan(gp, &own, &up);
    if (own) {
        if (own->nb)
            report(check::b_and_nb_mixed, &gp,
                   "b_transport with an object whose nb_transport transaction is in progress on "
                   "this socket (%s)",
                   state_name(own->state));
        else
            report(check::b_reentered, &gp,
                   "b_transport with an object already in a b_transport call on this socket");
    } else {
        check_request(gp, sent);
        check_path(gp, sent, up);
    }
    struct closer {
        protocol_checker_base &c;
        std::uint64_t seq;
        ~closer() {
            c.close_hop(seq);
        }
    } hop{*this, open_hop(gp, false, st_none, sent)};
    fw_->b_transport(gp, t);
    check_response(gp, sent, "b_transport returned");
}

// ---------------------------------------------------------------------------------------------
// nb_transport

// A phase its sender may not send: one of the other side's (15.2.3: BEGIN_REQ and END_RESP come
// from the initiator, END_REQ and BEGIN_RESP from the target) or not a base-protocol phase.
void protocol_checker_base::wrong_phase(const tlm::tlm_generic_payload &gp,
                                        const tlm::tlm_phase &ph, bool from_target,
                                        const char *where) {
    if (ph != tlm::BEGIN_REQ && ph != tlm::END_REQ && ph != tlm::BEGIN_RESP && ph != tlm::END_RESP)
        report(check::phase_unknown, &gp, "phase %s (%u) %s is not a base-protocol phase",
               ph.get_name(), static_cast<unsigned>(ph), where);
    else if (from_target)
        report(check::phase_direction, &gp,
               "%s %s: BEGIN_REQ and END_RESP come from the initiator side only", ph.get_name(),
               where);
    else
        report(check::phase_direction, &gp,
               "%s %s: END_REQ and BEGIN_RESP come from the target side only", ph.get_name(),
               where);
}

void protocol_checker_base::check_sync(const tlm::tlm_generic_payload &gp, tlm::tlm_sync_enum s,
                                       const tlm::tlm_phase &ph_in, const tlm::tlm_phase &ph,
                                       const sc_core::sc_time &t_in, const sc_core::sc_time &t) {
    switch (s) {
    case tlm::TLM_ACCEPTED:
        if (ph != ph_in || t != t_in)
            report(check::nb_accepted_changed, &gp,
                   "TLM_ACCEPTED returned with the phase changed from %s to %s and the delay "
                   "from %s to %s; TLM_ACCEPTED leaves phase and delay unchanged",
                   ph_in.get_name(), ph.get_name(), t_in.to_string().c_str(),
                   t.to_string().c_str());
        break;
    case tlm::TLM_UPDATED:
        if (ph == ph_in)
            report(check::phase_no_change, &gp,
                   "TLM_UPDATED returned with the phase still %s; every TLM_UPDATED return is a "
                   "phase transition",
                   ph.get_name());
        [[fallthrough]];
    case tlm::TLM_COMPLETED:
        if (t < t_in)
            report(check::nb_time_decreased, &gp, "the delay was decreased from %s to %s",
                   t_in.to_string().c_str(), t.to_string().c_str());
        break;
    default:
        report(check::nb_bad_status, &gp, "nb_transport returned %d", static_cast<int>(s));
    }
}

// BEGIN_REQ on the forward path: the request checks, then a new hop in state req. Returns the
// hop, or 0 when the call is not a new transaction for this socket.
std::uint64_t protocol_checker_base::begin_request(tlm::tlm_generic_payload &gp) {
    const pc_hop *own, *up;
    scan(gp, &own, &up);
    if (own) {
        if (own->nb)
            report(check::phase_sequence, &gp,
                   "BEGIN_REQ for a transaction already in progress on this socket (%s)",
                   state_name(own->state));
        else
            report(check::b_and_nb_mixed, &gp,
                   "BEGIN_REQ with an object that is in a b_transport call on this socket");
        return 0;
    }
    if (req_open_ && req_open_ != &gp)
        report(check::req_exclusion, &gp,
               "BEGIN_REQ while the request of payload %p has not ended (no END_REQ, BEGIN_RESP "
               "or TLM_COMPLETED yet)",
               static_cast<const void *>(req_open_));
    const pc_attrs sent = attrs_of(gp);
    check_request(gp, sent);
    if (!gp.has_mm())
        report(check::mm_missing, &gp,
               "BEGIN_REQ with a transaction object that has no memory "
               "manager; nb_transport requires one");
    else if (gp.get_ref_count() <= 0)
        report(check::mm_ref_count, &gp,
               "BEGIN_REQ with reference count %d; the initiator must acquire() the object "
               "before passing it",
               gp.get_ref_count());
    check_path(gp, sent, up);
    req_open_ = &gp;
    return open_hop(gp, true, st_req, sent);
}

// A phase from the target side for a hop of this checker: an nb_transport_bw call, or the phase
// returned with TLM_UPDATED by nb_transport_fw.
void protocol_checker_base::target_phase(const tlm::tlm_generic_payload &gp, std::uint64_t seq,
                                         const tlm::tlm_phase &ph, const char *where) {
    pc_hop *h = hop_by_seq(seq);
    if (!h) return;
    if (ph == tlm::END_REQ) {
        if (h->state != st_req) {
            report(check::phase_sequence, &gp, "END_REQ %s %s", where, state_name(h->state));
            return;
        }
        h->state = st_ereq;
        if (req_open_ == &gp) req_open_ = nullptr;
    } else if (ph == tlm::BEGIN_RESP) {
        if (h->state != st_req && h->state != st_ereq) {
            report(check::phase_sequence, &gp, "BEGIN_RESP %s %s", where, state_name(h->state));
            return;
        }
        const pc_attrs sent = h->sent;
        const tlm::tlm_generic_payload *busy = resp_open_;
        h->state = st_rsp; // BEGIN_RESP also ends the request
        if (req_open_ == &gp) req_open_ = nullptr;
        resp_open_ = &gp;
        if (busy && busy != &gp)
            report(check::resp_exclusion, &gp,
                   "BEGIN_RESP %s while the response of payload %p has not ended (no END_RESP or "
                   "TLM_COMPLETED yet)",
                   where, static_cast<const void *>(busy));
        check_response(gp, sent, "BEGIN_RESP");
    } else {
        wrong_phase(gp, ph, /*from_target=*/true, where);
    }
}

void protocol_checker_base::fw_returned(const tlm::tlm_generic_payload &gp, std::uint64_t seq,
                                        const tlm::tlm_phase &ph_in, tlm::tlm_sync_enum s,
                                        const tlm::tlm_phase &ph) {
    pc_hop *h = hop_by_seq(seq);
    if (!h) return;
    if (ph_in == tlm::BEGIN_REQ) {
        if (s == tlm::TLM_UPDATED && ph != ph_in) {
            target_phase(gp, seq, ph, "returned with TLM_UPDATED for BEGIN_REQ");
        } else if (s == tlm::TLM_COMPLETED) {
            if (h->state == st_req || h->state == st_ereq) { // implies BEGIN_RESP and END_RESP
                const pc_attrs sent = h->sent;
                const tlm::tlm_generic_payload *busy = resp_open_;
                close_hop(seq);
                if (busy && busy != &gp)
                    report(check::resp_exclusion, &gp,
                           "TLM_COMPLETED for BEGIN_REQ (an implicit BEGIN_RESP) while the "
                           "response of payload %p has not ended",
                           static_cast<const void *>(busy));
                check_response(gp, sent, "TLM_COMPLETED returned for BEGIN_REQ");
            } else {
                close_hop(seq);
            }
        }
    } else { // END_RESP: the transaction is over for this socket whatever the answer
        close_hop(seq);
        if (s == tlm::TLM_UPDATED && ph != ph_in)
            report(check::phase_sequence, &gp,
                   "TLM_UPDATED with %s returned for END_RESP; END_RESP ends the transaction",
                   ph.get_name());
    }
}

void protocol_checker_base::bw_returned(const tlm::tlm_generic_payload &gp, std::uint64_t seq,
                                        const tlm::tlm_phase &ph_in, tlm::tlm_sync_enum s,
                                        const tlm::tlm_phase &ph) {
    pc_hop *h = hop_by_seq(seq);
    if (!h) return;
    if (ph_in == tlm::BEGIN_RESP) {
        if (h->state != st_rsp) return; // the BEGIN_RESP itself was out of sequence
        if (s == tlm::TLM_COMPLETED) {
            close_hop(seq);
        } else if (s == tlm::TLM_UPDATED && ph != ph_in) {
            if (ph == tlm::END_RESP)
                close_hop(seq);
            else
                report(check::phase_sequence, &gp,
                       "%s returned with TLM_UPDATED for BEGIN_RESP; only END_RESP may be",
                       ph.get_name());
        }
    } else if (ph_in == tlm::END_REQ) {
        if (s == tlm::TLM_COMPLETED) {
            close_hop(seq);
            report(check::phase_sequence, &gp,
                   "TLM_COMPLETED returned for END_REQ; END_REQ can only be accepted");
        } else if (s == tlm::TLM_UPDATED && ph != ph_in) {
            report(check::phase_sequence, &gp,
                   "%s returned with TLM_UPDATED for END_REQ; END_REQ can only be accepted",
                   ph.get_name());
        }
    }
}

tlm::tlm_sync_enum protocol_checker_base::nb_transport_fw(tlm::tlm_generic_payload &gp,
                                                          tlm::tlm_phase &ph, sc_core::sc_time &t) {
    if (in_bw_)
        report(check::nb_cross_path, &gp,
               "nb_transport_fw(%s) called from within nb_transport_bw; the backward path must "
               "not call the forward path",
               ph.get_name());
    const tlm::tlm_phase ph_in = ph;
    const sc_core::sc_time t_in = t;
    std::uint64_t seq = 0;
    if (ph == tlm::BEGIN_REQ) {
        seq = begin_request(gp);
    } else if (ph == tlm::END_RESP) {
        const pc_hop *h = own_hop(gp, true);
        if (!h)
            report(check::phase_sequence, &gp,
                   "END_RESP for a transaction that is not in progress on this socket");
        else if (h->state != st_rsp)
            report(check::phase_sequence, &gp, "END_RESP %s", state_name(h->state));
        else
            seq = h->seq;
    } else {
        wrong_phase(gp, ph, /*from_target=*/false, "on the forward path");
    }
    const tlm::tlm_sync_enum s = nested(in_fw_, [&] { return fw_->nb_transport_fw(gp, ph, t); });
    check_sync(gp, s, ph_in, ph, t_in, t);
    if (seq) fw_returned(gp, seq, ph_in, s, ph);
    return s;
}

tlm::tlm_sync_enum protocol_checker_base::nb_transport_bw(tlm::tlm_generic_payload &gp,
                                                          tlm::tlm_phase &ph, sc_core::sc_time &t) {
    if (in_fw_)
        report(check::nb_cross_path, &gp,
               "nb_transport_bw(%s) called from within nb_transport_fw; the forward path must "
               "not call the backward path (answer on the return path or later)",
               ph.get_name());
    const tlm::tlm_phase ph_in = ph;
    const sc_core::sc_time t_in = t;
    std::uint64_t seq = 0;
    if (ph == tlm::END_REQ || ph == tlm::BEGIN_RESP) {
        const pc_hop *h = own_hop(gp, true);
        if (!h) {
            report(check::phase_sequence, &gp,
                   "%s on the backward path for a transaction that is not in progress on this "
                   "socket",
                   ph.get_name());
        } else {
            seq = h->seq;
            target_phase(gp, seq, ph, "on the backward path");
        }
    } else {
        wrong_phase(gp, ph, /*from_target=*/true, "on the backward path");
    }
    const tlm::tlm_sync_enum s = nested(in_bw_, [&] { return bw_->nb_transport_bw(gp, ph, t); });
    check_sync(gp, s, ph_in, ph, t_in, t);
    if (seq) bw_returned(gp, seq, ph_in, s, ph);
    return s;
}

// ---------------------------------------------------------------------------------------------
// DMI and debug transport

bool protocol_checker_base::get_direct_mem_ptr(tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi) {
    const tlm::tlm_command cmd = gp.get_command();
    const sc_dt::uint64 addr = gp.get_address();
    if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND)
        report(check::dmi_command, &gp,
               "get_direct_mem_ptr with %s; the base protocol requests DMI for "
               "TLM_READ_COMMAND or TLM_WRITE_COMMAND",
               cmd_name(cmd));
    if (dmi.get_dmi_ptr() || dmi.get_start_address() != 0 ||
        dmi.get_end_address() != ~static_cast<sc_dt::uint64>(0) ||
        dmi.get_granted_access() != tlm::tlm_dmi::DMI_ACCESS_NONE ||
        dmi.get_read_latency() != sc_core::SC_ZERO_TIME ||
        dmi.get_write_latency() != sc_core::SC_ZERO_TIME)
        report(check::dmi_descriptor, &gp,
               "the tlm_dmi passed to get_direct_mem_ptr is not in its default state (call "
               "init() before reusing it)");
    const bool granted = fw_->get_direct_mem_ptr(gp, dmi);
    if (gp.get_command() != cmd)
        report(check::dmi_modified, &gp,
               "get_direct_mem_ptr returned with command %s changed to %s", cmd_name(cmd),
               cmd_name(gp.get_command()));
    if (granted) {
        const sc_dt::uint64 lo = dmi.get_start_address(), hi = dmi.get_end_address();
        if (!dmi.get_dmi_ptr())
            report(check::dmi_grant, &gp, "DMI granted with a null DMI pointer");
        if (lo > hi)
            report(check::dmi_grant, &gp, "DMI granted for [0x%llx, 0x%llx]: start after end",
                   static_cast<unsigned long long>(lo), static_cast<unsigned long long>(hi));
        else if (addr < lo || addr > hi)
            report(check::dmi_grant, &gp,
                   "DMI granted for [0x%llx, 0x%llx], which does not contain the requested "
                   "address 0x%llx",
                   static_cast<unsigned long long>(lo), static_cast<unsigned long long>(hi),
                   static_cast<unsigned long long>(addr));
        if (!dmi.is_read_allowed() && !dmi.is_write_allowed())
            report(check::dmi_grant, &gp, "DMI granted with neither read nor write access");
    }
    return granted;
}

unsigned int protocol_checker_base::transport_dbg(tlm::tlm_generic_payload &gp) {
    const tlm::tlm_command cmd = gp.get_command();
    unsigned char *const data = gp.get_data_ptr();
    const unsigned int len = gp.get_data_length();
    const unsigned int n = fw_->transport_dbg(gp);
    if (gp.get_command() != cmd || gp.get_data_ptr() != data || gp.get_data_length() != len)
        report(check::dbg_modified, &gp,
               "transport_dbg returned with command, data pointer or data length changed "
               "(%s, %p, %u -> %s, %p, %u)",
               cmd_name(cmd), static_cast<void *>(data), len, cmd_name(gp.get_command()),
               static_cast<void *>(gp.get_data_ptr()), gp.get_data_length());
    if (cmd != tlm::TLM_IGNORE_COMMAND && n > len)
        report(check::dbg_count, &gp, "transport_dbg returned %u for a data length of %u", n, len);
    return n;
}

void protocol_checker_base::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
    if (start > end)
        report(check::dmi_invalidate_range, nullptr,
               "invalidate_direct_mem_ptr(0x%llx, 0x%llx): start after end",
               static_cast<unsigned long long>(start), static_cast<unsigned long long>(end));
    bw_->invalidate_direct_mem_ptr(start, end);
}

} // namespace smmu_model
