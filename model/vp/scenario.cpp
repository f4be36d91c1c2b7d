// SPDX-License-Identifier: Apache-2.0 OR MIT
// Scenario parsing. Every value is checked where it is read; an unknown key is an error too (a
// misspelt option must not be silently ignored). Errors read "<file>: <path>: <problem>".
#include "scenario.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <smmu/drv.h>

namespace smmu_vp {

using json = nlohmann::json;
using sc_core::SC_NS;
using sc_core::sc_time;

const char *attach_name(attach_kind k) {
    switch (k) {
    case attach_kind::bypass:
        return "bypass";
    case attach_kind::s1:
        return "s1";
    case attach_kind::s2:
        return "s2";
    case attach_kind::nested:
        return "nested";
    case attach_kind::abort:
        return "abort";
    }
    return "?";
}

namespace {

// Where we are in the document, for messages.
struct where {
    const std::string &src;
    std::string path;

    [[noreturn]] void fail(const std::string &what) const {
        throw scenario_error(src + ": " + (path.empty() ? "(top level)" : path) + ": " + what);
    }
    where at(const std::string &key) const {
        return {src, path.empty() ? key : path + "." + key};
    }
    where at(size_t i) const {
        return {src, path + "[" + std::to_string(i) + "]"};
    }
};

void only_keys(const json &j, const where &w, std::initializer_list<const char *> keys) {
    if (!j.is_object()) w.fail("expected an object");
    std::set<std::string> ok(keys.begin(), keys.end());
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!ok.count(it.key())) {
            std::string list;
            for (const char *k : keys)
                list += std::string(list.empty() ? "" : ", ") + k;
            w.at(it.key()).fail("unknown key (expected one of: " + list + ")");
        }
}

// Unsigned integers: JSON numbers or strings ("0x1000", "4096").
uint64_t get_u64(const json &j, const where &w) {
    if (j.is_number_unsigned()) return j.get<uint64_t>();
    if (j.is_number_integer()) {
        if (j.get<int64_t>() < 0) w.fail("must not be negative");
        return static_cast<uint64_t>(j.get<int64_t>());
    }
    if (j.is_string()) {
        const std::string s = j.get<std::string>();
        try {
            size_t pos = 0;
            uint64_t v = std::stoull(s, &pos, 0);
            if (pos == s.size() && !s.empty() && s[0] >= '0' && s[0] <= '9') return v;
        } catch (const std::exception &) {}
        w.fail("\"" + s + "\" is not an unsigned integer");
    }
    w.fail("expected an unsigned integer (number or string such as \"0x1000\")");
}

// A 32-bit field (StreamID, SubstreamID): out of range rather than truncated.
uint32_t get_u32(const json &j, const where &w) {
    uint64_t v = get_u64(j, w);
    if (v > 0xFFFFFFFFu) w.fail("out of range (maximum " + std::to_string(0xFFFFFFFFu) + ")");
    return static_cast<uint32_t>(v);
}

// An expected count: out of range rather than wrapped to a negative "no expectation".
int64_t get_count(const json &j, const where &w) {
    uint64_t v = get_u64(j, w);
    if (v > static_cast<uint64_t>(INT64_MAX))
        w.fail("out of range (maximum " + std::to_string(INT64_MAX) + ")");
    return static_cast<int64_t>(v);
}

uint64_t opt_u64(const json &o, const where &w, const char *key, uint64_t def,
                 uint64_t max = ~0ull) {
    if (!o.contains(key)) return def;
    uint64_t v = get_u64(o[key], w.at(key));
    if (v > max) w.at(key).fail("out of range (maximum " + std::to_string(max) + ")");
    return v;
}

double opt_num(const json &o, const where &w, const char *key, double def, double lo, double hi) {
    if (!o.contains(key)) return def;
    if (!o[key].is_number()) w.at(key).fail("expected a number");
    double v = o[key].get<double>();
    if (v < lo || v > hi)
        w.at(key).fail("out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v;
}

sc_time opt_ns(const json &o, const where &w, const char *key, sc_time def) {
    if (!o.contains(key)) return def;
    return sc_time(opt_num(o, w, key, 0, 0, 1e15), SC_NS);
}

bool opt_bool(const json &o, const where &w, const char *key, bool def) {
    if (!o.contains(key)) return def;
    if (!o[key].is_boolean()) w.at(key).fail("expected true or false");
    return o[key].get<bool>();
}

std::string opt_str(const json &o, const where &w, const char *key, const std::string &def) {
    if (!o.contains(key)) return def;
    if (!o[key].is_string()) w.at(key).fail("expected a string");
    return o[key].get<std::string>();
}

const json &req(const json &o, const where &w, const char *key) {
    if (!o.contains(key)) w.fail(std::string("missing required key \"") + key + "\"");
    return o[key];
}

const json &array_of(const json &o, const where &w, const char *key) {
    static const json empty = json::array();
    if (!o.contains(key)) return empty;
    if (!o[key].is_array()) w.at(key).fail("expected an array");
    return o[key];
}

unsigned parse_prot(const json &j, const where &w) {
    if (!j.is_string()) w.fail("expected a permission string such as \"rw\", \"rx\", \"rwp\"");
    unsigned p = 0;
    for (char c : j.get<std::string>()) {
        switch (c) {
        case 'r':
            p |= SMMU_PROT_R;
            break;
        case 'w':
            p |= SMMU_PROT_W;
            break;
        case 'x':
            p |= SMMU_PROT_X;
            break;
        case 'p':
            p |= SMMU_PROT_PRIV;
            break;
        case 'd':
            p |= SMMU_PROT_DEVICE;
            break;
        case 'n':
            p |= SMMU_PROT_NC;
            break;
        default:
            w.fail(std::string("unknown permission letter '") + c + "' (r w x p d n)");
        }
    }
    return p;
}

mapping parse_mapping(const json &j, const where &w) {
    only_keys(j, w, {"iova", "pa", "size", "prot"});
    mapping m;
    m.iova = get_u64(req(j, w, "iova"), w.at("iova"));
    m.pa = j.contains("pa") ? get_u64(j["pa"], w.at("pa")) : m.iova;
    m.size = get_u64(req(j, w, "size"), w.at("size"));
    m.prot = j.contains("prot") ? parse_prot(j["prot"], w.at("prot")) : SMMU_PROT_R | SMMU_PROT_W;
    if (m.size == 0) w.at("size").fail("must not be 0");
    if (m.iova + (m.size - 1) < m.iova || m.pa + (m.size - 1) < m.pa)
        w.at("size").fail("iova/pa + size is beyond the 64-bit address space");
    return m;
}

domain_cfg parse_domain(const json &j, const where &w) {
    only_keys(j, w, {"name", "stage", "id", "granule", "ias", "oas", "map", "map_on_fault"});
    domain_cfg d;
    d.name = opt_str(j, w, "name", "");
    if (d.name.empty()) w.fail("missing required key \"name\"");
    d.stage = static_cast<unsigned>(opt_u64(j, w, "stage", 1, 2));
    if (d.stage != 1 && d.stage != 2) w.at("stage").fail("must be 1 or 2");
    d.id = static_cast<unsigned>(opt_u64(j, w, "id", 1, 0xFFFF));
    d.granule = static_cast<unsigned>(opt_u64(j, w, "granule", 4096, 65536));
    if (d.granule != 4096 && d.granule != 16384 && d.granule != 65536)
        w.at("granule").fail("must be 4096, 16384 or 65536");
    d.ias = static_cast<unsigned>(opt_u64(j, w, "ias", d.stage == 1 ? 48 : 40, 52));
    d.oas = static_cast<unsigned>(opt_u64(j, w, "oas", 0, 52));
    const json &m = array_of(j, w, "map");
    for (size_t i = 0; i < m.size(); i++)
        d.map.push_back(parse_mapping(m[i], w.at("map").at(i)));
    const json &f = array_of(j, w, "map_on_fault");
    for (size_t i = 0; i < f.size(); i++)
        d.map_on_fault.push_back(parse_mapping(f[i], w.at("map_on_fault").at(i)));
    return d;
}

const domain_cfg *find_domain(const smmu_cfg &s, const std::string &name) {
    for (const domain_cfg &d : s.domains)
        if (d.name == name) return &d;
    return nullptr;
}

void need_domain(const smmu_cfg &s, const std::string &name, unsigned stage, const where &w) {
    const domain_cfg *d = find_domain(s, name);
    if (!d) w.fail("no domain named \"" + name + "\" in this SMMU's \"domains\"");
    if (d->stage != stage)
        w.fail("domain \"" + name + "\" is stage " + std::to_string(d->stage) + ", stage " +
               std::to_string(stage) + " needed here");
}

stream_cfg parse_stream(const json &j, const where &w, const smmu_cfg &s) {
    only_keys(j, w,
              {"sid", "attach", "ssid_bits", "s1dss", "domain", "s2_domain", "pasids", "stall"});
    stream_cfg st;
    st.sid = get_u32(req(j, w, "sid"), w.at("sid"));
    std::string k = opt_str(j, w, "attach", "");
    if (k == "bypass")
        st.attach = attach_kind::bypass;
    else if (k == "s1")
        st.attach = attach_kind::s1;
    else if (k == "s2")
        st.attach = attach_kind::s2;
    else if (k == "nested")
        st.attach = attach_kind::nested;
    else if (k == "abort")
        st.attach = attach_kind::abort;
    else
        w.at("attach").fail("\"" + k + "\" is not one of bypass, s1, s2, nested, abort");
    st.ssid_bits = static_cast<unsigned>(opt_u64(j, w, "ssid_bits", 0, 20));
    st.s1dss = opt_str(j, w, "s1dss", "terminate");
    if (st.s1dss != "terminate" && st.s1dss != "bypass" && st.s1dss != "ssid0")
        w.at("s1dss").fail("must be terminate, bypass or ssid0");
    st.domain = opt_str(j, w, "domain", "");
    st.s2_domain = opt_str(j, w, "s2_domain", "");
    st.stall = opt_bool(j, w, "stall", false);
    bool s1 = st.attach == attach_kind::s1 || st.attach == attach_kind::nested;
    bool s2 = st.attach == attach_kind::s2 || st.attach == attach_kind::nested;
    if (!st.domain.empty()) {
        if (!s1) w.at("domain").fail("only streams attached s1 or nested have a stage-1 domain");
        need_domain(s, st.domain, 1, w.at("domain"));
    }
    if (s2) {
        if (st.s2_domain.empty()) w.fail("missing required key \"s2_domain\"");
        need_domain(s, st.s2_domain, 2, w.at("s2_domain"));
    } else if (!st.s2_domain.empty()) {
        w.at("s2_domain").fail("only streams attached s2 or nested have a stage-2 domain");
    }
    if (j.contains("pasids")) {
        const json &p = j["pasids"];
        where wp = w.at("pasids");
        if (!s1) wp.fail("only streams attached s1 or nested have PASIDs");
        if (!p.is_object()) wp.fail("expected an object {\"<SubstreamID>\": \"<domain>\"}");
        for (auto it = p.begin(); it != p.end(); ++it) {
            uint64_t ssid = get_u64(json(it.key()), wp.at(it.key()));
            if (ssid >= (1ull << st.ssid_bits))
                wp.at(it.key()).fail("SubstreamID does not fit in ssid_bits = " +
                                     std::to_string(st.ssid_bits));
            if (!it.value().is_string()) wp.at(it.key()).fail("expected a domain name");
            need_domain(s, it.value().get<std::string>(), 1, wp.at(it.key()));
            st.pasids[static_cast<uint32_t>(ssid)] = it.value().get<std::string>();
        }
    }
    if (st.stall && !s1 && !s2)
        w.at("stall").fail("only streams attached s1, s2 or nested can stall");
    return st;
}

smmu_model::flow_params parse_flow(const json &j, const where &w, const smmu_cfg &s, int64_t &ok,
                                   int64_t &errors) {
    only_keys(j, w,
              {"name", "sid", "ssid", "no_extension", "priv", "instr", "pattern", "base", "size",
               "stride", "burst", "write_ratio", "seed", "count", "expect_ok", "expect_errors"});
    (void)s;
    smmu_model::flow_params f;
    f.name = opt_str(j, w, "name", "");
    f.sid = get_u32(req(j, w, "sid"), w.at("sid"));
    if (j.contains("ssid")) {
        f.ssv = true;
        f.ssid = get_u32(j["ssid"], w.at("ssid"));
    }
    f.with_extension = !opt_bool(j, w, "no_extension", false);
    f.priv = opt_bool(j, w, "priv", false);
    f.instr = opt_bool(j, w, "instr", false);
    std::string pat = opt_str(j, w, "pattern", "sequential");
    if (!smmu_model::pattern_from_name(pat, f.pat))
        w.at("pattern").fail("\"" + pat + "\" is not one of sequential, strided, random");
    f.base = get_u64(req(j, w, "base"), w.at("base"));
    f.size = opt_u64(j, w, "size", 0x10000);
    f.stride = opt_u64(j, w, "stride", 0);
    f.burst = static_cast<unsigned>(opt_u64(j, w, "burst", 64, 1u << 20));
    if (f.burst == 0) w.at("burst").fail("must not be 0");
    if (f.size < f.burst) w.at("size").fail("smaller than the burst");
    f.write_ratio = opt_num(j, w, "write_ratio", 0.0, 0.0, 1.0);
    f.seed = opt_u64(j, w, "seed", 1);
    f.count = opt_u64(j, w, "count", 16);
    ok = j.contains("expect_ok") ? get_count(j["expect_ok"], w.at("expect_ok")) : -1;
    errors =
        j.contains("expect_errors") ? get_count(j["expect_errors"], w.at("expect_errors")) : -1;
    return f;
}

// A replay master: {"name", "trace": file relative to the scenario file, "timing": "original" |
// "asap", "protocol", "max_outstanding", "start_ns", "port_sid", "expect_ok", "expect_errors"}.
master_cfg parse_trace_master(const json &j, const where &w) {
    only_keys(j, w,
              {"name", "trace", "timing", "protocol", "max_outstanding", "start_ns", "port_sid",
               "expect_ok", "expect_errors"});
    master_cfg m;
    m.name = opt_str(j, w, "name", "");
    if (m.name.empty()) w.fail("missing required key \"name\"");
    std::string file = opt_str(j, w, "trace", "");
    if (file.empty()) w.at("trace").fail("expected a trace file name");
    if (file[0] != '/') {
        size_t slash = w.src.find_last_of('/');
        if (slash != std::string::npos) file = w.src.substr(0, slash + 1) + file;
    }
    std::string err;
    if (!smmu_model::load_replay_trace(file, m.replay, err)) w.at("trace").fail(err);
    std::string timing = opt_str(j, w, "timing", "original");
    if (timing != "original" && timing != "asap")
        w.at("timing").fail("must be \"original\" or \"asap\"");
    m.replay_original_timing = timing == "original";
    std::string proto = opt_str(j, w, "protocol", "lt");
    if (proto != "lt" && proto != "at") w.at("protocol").fail("must be \"lt\" or \"at\"");
    m.params.at = proto == "at";
    m.params.max_outstanding = static_cast<unsigned>(opt_u64(j, w, "max_outstanding", 4, 1024));
    if (m.params.max_outstanding == 0) w.at("max_outstanding").fail("must not be 0");
    m.params.start = opt_ns(j, w, "start_ns", sc_time(0, SC_NS));
    uint32_t first_sid = m.replay.txns.empty() ? 0 : m.replay.txns[0].sid;
    m.port_sid = static_cast<uint32_t>(opt_u64(j, w, "port_sid", first_sid, 0xFFFFFFFFu));
    m.replay_expect_ok =
        j.contains("expect_ok") ? get_count(j["expect_ok"], w.at("expect_ok")) : -1;
    m.replay_expect_errors =
        j.contains("expect_errors") ? get_count(j["expect_errors"], w.at("expect_errors")) : -1;
    return m;
}

master_cfg parse_master(const json &j, const where &w, const smmu_cfg &s) {
    if (j.is_object() && j.contains("trace")) return parse_trace_master(j, w);
    only_keys(
        j, w,
        {"name", "protocol", "max_outstanding", "start_ns", "interval_ns", "port_sid", "flows"});
    master_cfg m;
    m.name = opt_str(j, w, "name", "");
    if (m.name.empty()) w.fail("missing required key \"name\"");
    std::string proto = opt_str(j, w, "protocol", "lt");
    if (proto != "lt" && proto != "at") w.at("protocol").fail("must be \"lt\" or \"at\"");
    m.params.at = proto == "at";
    m.params.max_outstanding = static_cast<unsigned>(opt_u64(j, w, "max_outstanding", 4, 1024));
    if (m.params.max_outstanding == 0) w.at("max_outstanding").fail("must not be 0");
    m.params.start = opt_ns(j, w, "start_ns", sc_time(0, SC_NS));
    m.params.interval = opt_ns(j, w, "interval_ns", sc_time(10, SC_NS));
    const json &fl = req(j, w, "flows");
    if (!fl.is_array() || fl.empty()) w.at("flows").fail("expected a non-empty array of flows");
    for (size_t i = 0; i < fl.size(); i++) {
        int64_t ok, err;
        m.params.flows.push_back(parse_flow(fl[i], w.at("flows").at(i), s, ok, err));
        m.expect_ok.push_back(ok);
        m.expect_errors.push_back(err);
    }
    m.port_sid =
        static_cast<uint32_t>(opt_u64(j, w, "port_sid", m.params.flows[0].sid, 0xFFFFFFFFu));
    return m;
}

// "choices": {"profile": "strict", "seed": 7, "<choice>": "<behaviour>", ...} (docs/choices.md):
// the core's open choices; the names are the core's (smmu_choice_name, smmu_profile_name).
void parse_choices(const json &j, const where &w, smmu_choices_t &c) {
    if (!j.is_object()) w.fail("expected an object");
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string &key = it.key();
        where wk = w.at(key);
        if (key == "seed") {
            c.seed = opt_u64(j, w, "seed", c.seed);
            continue;
        }
        if (!it->is_string()) wk.fail("expected a string");
        const std::string val = it->get<std::string>();
        if (key == "profile") {
            int p = smmu_profile_lookup(val.c_str());
            if (p < 0) wk.fail("must be default, strict, lenient or random");
            c.profile = static_cast<uint8_t>(p);
            continue;
        }
        int id = smmu_choice_lookup(key.c_str());
        if (id < 0) {
            std::string list = "profile, seed";
            for (unsigned i = 0; i < smmu_choice_count(); i++)
                list += std::string(", ") + smmu_choice_name(i);
            wk.fail("unknown key (expected one of: " + list + ")");
        }
        int b = smmu_choice_behaviour_lookup(static_cast<unsigned>(id), val.c_str());
        if (val == "profile") {
            c.set[id] = SMMU_CHOICE_FROM_PROFILE;
            continue;
        }
        if (b < 0) {
            std::string list = "profile";
            for (unsigned i = 0; i < smmu_choice_behaviours(static_cast<unsigned>(id)); i++)
                list +=
                    std::string(", ") + smmu_choice_behaviour_name(static_cast<unsigned>(id), i);
            wk.fail("must be one of: " + list);
        }
        c.set[id] = static_cast<uint8_t>(b + 1);
    }
}

void parse_core_params(const json &j, const where &w, smmu_params_t &p) {
    only_keys(j, w,
              {"sidsize",
               "ssidsize",
               "oas_bits",
               "stall_model",
               "s1",
               "s2",
               "stall_max",
               "tlb_entries",
               "walk_cache_entries",
               "ste_cache_entries",
               "cd_cache_entries",
               "ipa_cache_entries",
               "l1_cache_entries",
               "caches",
               "cache",
               "cache_seed",
               "stream_stats_entries",
               "pmcg_groups",
               "pmcg_counters",
               "pmcg_counter_bits",
               "choices",
               "dsan"});
    if (j.contains("choices")) parse_choices(j["choices"], w.at("choices"), p.choices);
    // The driver sanitizer: "dsan": {"on": true, "fatal": false, "track_entries": 4096}
    if (j.contains("dsan")) {
        const json &d = j["dsan"];
        const where wd = w.at("dsan");
        only_keys(d, wd, {"on", "fatal", "track_entries"});
        p.dsan.on = opt_bool(d, wd, "on", p.dsan.on);
        p.dsan.fatal = opt_bool(d, wd, "fatal", p.dsan.fatal);
        p.dsan.track_entries =
            static_cast<uint32_t>(opt_u64(d, wd, "track_entries", p.dsan.track_entries, 1u << 24));
        if (p.dsan.track_entries & (p.dsan.track_entries - 1))
            wd.at("track_entries").fail("must be 0 or a power of two (at least 4)");
    }
    p.pmcg_groups =
        static_cast<uint8_t>(opt_u64(j, w, "pmcg_groups", p.pmcg_groups, SMMU_PMCG_MAX_GROUPS));
    p.pmcg_counters = static_cast<uint8_t>(opt_u64(j, w, "pmcg_counters", p.pmcg_counters, 64));
    p.pmcg_counter_bits =
        static_cast<uint8_t>(opt_u64(j, w, "pmcg_counter_bits", p.pmcg_counter_bits, 64));
    p.sidsize = static_cast<uint8_t>(opt_u64(j, w, "sidsize", p.sidsize, 32));
    p.ssidsize = static_cast<uint8_t>(opt_u64(j, w, "ssidsize", p.ssidsize, 20));
    p.oas_bits = static_cast<uint8_t>(opt_u64(j, w, "oas_bits", p.oas_bits, 52));
    p.s1 = opt_bool(j, w, "s1", p.s1);
    p.s2 = opt_bool(j, w, "s2", p.s2);
    p.stall_max = static_cast<uint16_t>(opt_u64(j, w, "stall_max", p.stall_max, 0xFFFF));
    std::string sm = opt_str(j, w, "stall_model", "");
    if (sm == "both")
        p.stall_model = SMMU_STALL_MODEL_BOTH;
    else if (sm == "terminate")
        p.stall_model = SMMU_STALL_MODEL_TERMINATE;
    else if (sm == "stall")
        p.stall_model = SMMU_STALL_MODEL_STALL;
    else if (!sm.empty())
        w.at("stall_model").fail("must be both, terminate or stall");
    p.cache[SMMU_CACHE_TLB].entries = static_cast<uint32_t>(
        opt_u64(j, w, "tlb_entries", p.cache[SMMU_CACHE_TLB].entries, 1u << 20));
    p.cache[SMMU_CACHE_WALK].entries = static_cast<uint32_t>(
        opt_u64(j, w, "walk_cache_entries", p.cache[SMMU_CACHE_WALK].entries, 1u << 20));
    p.cache[SMMU_CACHE_STE].entries = static_cast<uint32_t>(
        opt_u64(j, w, "ste_cache_entries", p.cache[SMMU_CACHE_STE].entries, 1u << 20));
    p.cache[SMMU_CACHE_CD].entries = static_cast<uint32_t>(
        opt_u64(j, w, "cd_cache_entries", p.cache[SMMU_CACHE_CD].entries, 1u << 20));
    p.cache[SMMU_CACHE_IPA].entries = static_cast<uint32_t>(
        opt_u64(j, w, "ipa_cache_entries", p.cache[SMMU_CACHE_IPA].entries, 1u << 20));
    p.cache[SMMU_CACHE_L1].entries = static_cast<uint32_t>(
        opt_u64(j, w, "l1_cache_entries", p.cache[SMMU_CACHE_L1].entries, 1u << 20));
    // Full geometry per cache: "cache": {"tlb": {"entries": 256, "ways": 8, "repl": "lru",
    // "enable": true}, ...}; an entry count may be given here or by the flat key, not both.
    static const char *cache_keys[SMMU_CACHE_COUNT] = {"tlb", "walk", "ipa", "ste", "cd", "l1"};
    static const char *flat_keys[SMMU_CACHE_COUNT] = {"tlb_entries",       "walk_cache_entries",
                                                      "ipa_cache_entries", "ste_cache_entries",
                                                      "cd_cache_entries",  "l1_cache_entries"};
    if (j.contains("cache")) {
        where wc = w.at("cache");
        only_keys(j["cache"], wc, {"tlb", "walk", "ipa", "ste", "cd", "l1"});
        for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++) {
            if (!j["cache"].contains(cache_keys[i])) continue;
            const json &c = j["cache"][cache_keys[i]];
            where wg = wc.at(cache_keys[i]);
            only_keys(c, wg, {"entries", "ways", "repl", "enable"});
            smmu_cache_geom_t &g = p.cache[i];
            if (c.contains("entries") && j.contains(flat_keys[i]))
                wg.at("entries").fail(std::string("also given as \"") + flat_keys[i] +
                                      "\"; give it once");
            g.entries = static_cast<uint32_t>(opt_u64(c, wg, "entries", g.entries, 1u << 24));
            g.ways = static_cast<uint8_t>(opt_u64(c, wg, "ways", g.ways, 64));
            if (g.ways == 0) wg.at("ways").fail("must be 1 to 64");
            std::string repl = opt_str(c, wg, "repl", "");
            if (repl == "lru")
                g.repl = SMMU_REPL_LRU;
            else if (repl == "rr")
                g.repl = SMMU_REPL_RR;
            else if (repl == "random")
                g.repl = SMMU_REPL_RANDOM;
            else if (!repl.empty())
                wg.at("repl").fail("must be lru, rr or random");
            g.enable = opt_bool(c, wg, "enable", g.enable);
        }
    }
    p.cache_seed = opt_u64(j, w, "cache_seed", p.cache_seed);
    p.stream_stats_entries = static_cast<uint32_t>(
        opt_u64(j, w, "stream_stats_entries", p.stream_stats_entries, 1u << 16));
    bool caches = opt_bool(j, w, "caches", true);
    for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++) {
        smmu_cache_geom_t &g = p.cache[i];
        if (!caches) g.enable = false;
        if (g.enable && g.ways && g.entries % g.ways)
            w.fail(std::string("cache ") + cache_keys[i] + ": " + std::to_string(g.entries) +
                   " entries is not a multiple of " + std::to_string(g.ways) + " ways");
    }
}

void parse_timing(const json &j, const where &w, smmu_tlm::timing_params &t) {
    only_keys(j, w,
              {"cfg_lookup_ns", "tlb_lookup_ns", "walk_cache_lookup_ns", "per_command_ns",
               "reg_access_ns", "irq_pulse_ns", "max_outstanding", "max_walks", "utlb_entries",
               "utlb_latency_ns"});
    t.cfg_lookup = opt_ns(j, w, "cfg_lookup_ns", t.cfg_lookup);
    t.tlb_lookup = opt_ns(j, w, "tlb_lookup_ns", t.tlb_lookup);
    t.walk_cache_lookup = opt_ns(j, w, "walk_cache_lookup_ns", t.walk_cache_lookup);
    t.per_command = opt_ns(j, w, "per_command_ns", t.per_command);
    t.reg_access = opt_ns(j, w, "reg_access_ns", t.reg_access);
    t.irq_pulse = opt_ns(j, w, "irq_pulse_ns", t.irq_pulse);
    t.max_outstanding =
        static_cast<unsigned>(opt_u64(j, w, "max_outstanding", t.max_outstanding, 1u << 16));
    t.max_walks = static_cast<unsigned>(opt_u64(j, w, "max_walks", t.max_walks, 1u << 16));
    t.utlb_latency = opt_ns(j, w, "utlb_latency_ns", t.utlb_latency);
}

smmu_cfg parse_smmu(const json &j, const where &w, size_t index) {
    only_keys(j, w,
              {"name", "reg_base", "params", "timing", "pool", "sid_bits", "domains", "streams",
               "masters", "expect_faults", "expect_stalls_resumed"});
    smmu_cfg s;
    s.name = opt_str(j, w, "name", "smmu" + std::to_string(index));
    s.reg_base = opt_u64(j, w, "reg_base", (1ull << 40) + 0x100000ull * index);
    if (s.reg_base & 0xFFFF) w.at("reg_base").fail("must be 64 KiB aligned");
    if (s.reg_base > ~0ull - 0x1FFFF)
        w.at("reg_base").fail("the 128 KiB register frame is beyond the 64-bit address space");
    if (j.contains("params")) parse_core_params(j["params"], w.at("params"), s.params.core);
    if (j.contains("timing")) {
        parse_timing(j["timing"], w.at("timing"), s.params.timing);
        s.params.utlb_entries = static_cast<unsigned>(
            opt_u64(j["timing"], w.at("timing"), "utlb_entries", s.params.utlb_entries, 1u << 16));
    }
    if (s.reg_base > ~0ull - (frame_size(s) - 1))
        w.at("reg_base").fail("the PMCG pages are beyond the 64-bit address space");
    if (j.contains("pool")) {
        where wp = w.at("pool");
        only_keys(j["pool"], wp, {"base", "size"});
        s.pool_base = opt_u64(j["pool"], wp, "base", s.pool_base);
        s.pool_size = opt_u64(j["pool"], wp, "size", s.pool_size);
        if (s.pool_base == 0 || s.pool_size < (1u << 16))
            wp.fail("needs a non-zero base and at least 64 KiB");
        if (s.pool_base + (s.pool_size - 1) < s.pool_base)
            wp.fail("base + size is beyond the 64-bit address space");
    }
    s.sid_bits = static_cast<unsigned>(opt_u64(j, w, "sid_bits", 8, 16));
    const json &doms = array_of(j, w, "domains");
    for (size_t i = 0; i < doms.size(); i++) {
        domain_cfg d = parse_domain(doms[i], w.at("domains").at(i));
        if (find_domain(s, d.name))
            w.at("domains").at(i).fail("duplicate domain \"" + d.name + "\"");
        s.domains.push_back(d);
    }
    const json &sts = array_of(j, w, "streams");
    for (size_t i = 0; i < sts.size(); i++) {
        stream_cfg st = parse_stream(sts[i], w.at("streams").at(i), s);
        if (st.sid >= (1u << s.sid_bits))
            w.at("streams").at(i).at("sid").fail("does not fit in sid_bits = " +
                                                 std::to_string(s.sid_bits));
        for (const stream_cfg &o : s.streams)
            if (o.sid == st.sid) w.at("streams").at(i).fail("StreamID attached twice");
        s.streams.push_back(st);
    }
    const json &ms = array_of(j, w, "masters");
    for (size_t i = 0; i < ms.size(); i++)
        s.masters.push_back(parse_master(ms[i], w.at("masters").at(i), s));
    if (j.contains("expect_faults")) {
        where wf = w.at("expect_faults");
        if (!j["expect_faults"].is_object()) wf.fail("expected an object {\"F_TRANSLATION\": 3}");
        for (auto it = j["expect_faults"].begin(); it != j["expect_faults"].end(); ++it) {
            bool known = false;
            for (uint32_t e = 0; e < 0x26; e++)
                known |= it.key() == smmu_event_name(e);
            if (!known) wf.at(it.key()).fail("not an event name (F_TRANSLATION, C_BAD_STE, ...)");
            s.expect_faults[it.key()] = get_count(it.value(), wf.at(it.key()));
        }
    }
    if (j.contains("expect_stalls_resumed"))
        s.expect_stalls_resumed =
            get_count(j["expect_stalls_resumed"], w.at("expect_stalls_resumed"));
    s.params.n_upstream = std::max<unsigned>(1, static_cast<unsigned>(s.masters.size()));
    s.params.default_sid.clear();
    for (const master_cfg &m : s.masters)
        s.params.default_sid.push_back(m.port_sid);
    return s;
}

} // namespace

scenario parse_scenario(const std::string &text, const std::string &source) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception &e) { // parse_error, or out_of_range for 1e400
        throw scenario_error(source + ": not valid JSON: " + e.what());
    }
    where w{source, ""};
    only_keys(j, w,
              {"name", "duration_ns", "protocol_checkers", "pmcg", "no_smmu", "memory",
               "interconnect", "host", "smmus"});
    scenario sc;
    sc.source = source;
    sc.name = opt_str(j, w, "name", "scenario");
    sc.duration = opt_ns(j, w, "duration_ns", sc.duration);
    sc.protocol_checkers = opt_bool(j, w, "protocol_checkers", sc.protocol_checkers);
    sc.pmcg = opt_bool(j, w, "pmcg", sc.pmcg);
    sc.no_smmu = opt_bool(j, w, "no_smmu", sc.no_smmu);
    if (j.contains("memory")) {
        const json &m = j["memory"];
        where wm = w.at("memory");
        only_keys(m, wm, {"base", "size", "read_latency_ns", "write_latency_ns", "dmi"});
        sc.mem_base = opt_u64(m, wm, "base", sc.mem_base);
        sc.mem_size = opt_u64(m, wm, "size", sc.mem_size);
        if (sc.mem_size == 0) wm.at("size").fail("must not be 0");
        if (sc.mem_base + (sc.mem_size - 1) < sc.mem_base)
            wm.at("size").fail("base + size is beyond the 64-bit address space");
        sc.memory.read_latency = opt_ns(m, wm, "read_latency_ns", sc.memory.read_latency);
        sc.memory.write_latency = opt_ns(m, wm, "write_latency_ns", sc.memory.write_latency);
        sc.memory.dmi = opt_bool(m, wm, "dmi", sc.memory.dmi);
    }
    sc.memory.size = sc.mem_size;
    if (j.contains("interconnect")) {
        where wi = w.at("interconnect");
        only_keys(j["interconnect"], wi, {"latency_ns"});
        sc.bus_latency = opt_ns(j["interconnect"], wi, "latency_ns", sc.bus_latency);
    }
    if (j.contains("host")) {
        where wh = w.at("host");
        only_keys(j["host"], wh, {"poll_ns", "service_ns"});
        sc.host_poll = opt_ns(j["host"], wh, "poll_ns", sc.host_poll);
        sc.host_service = opt_ns(j["host"], wh, "service_ns", sc.host_service);
        if (sc.host_service == sc_core::SC_ZERO_TIME) wh.at("service_ns").fail("must not be 0");
    }
    const json &sm = req(j, w, "smmus");
    if (!sm.is_array() || sm.empty()) w.at("smmus").fail("expected a non-empty array of SMMUs");
    for (size_t i = 0; i < sm.size(); i++) {
        smmu_cfg s = parse_smmu(sm[i], w.at("smmus").at(i), i);
        for (const smmu_cfg &o : sc.smmus) {
            if (o.name == s.name)
                w.at("smmus").at(i).fail("duplicate SMMU name \"" + s.name + "\"");
            if (o.reg_base < s.reg_base + frame_size(s) && s.reg_base < o.reg_base + frame_size(o))
                w.at("smmus")
                    .at(i)
                    .at("reg_base")
                    .fail("register frame or PMCG pages overlap those of " + o.name);
        }
        if (s.reg_base <= sc.mem_base + (sc.mem_size - 1) &&
            s.reg_base + (frame_size(s) - 1) >= sc.mem_base)
            w.at("smmus").at(i).at("reg_base").fail("register frame overlaps the memory");
        sc.smmus.push_back(s);
    }
    return sc;
}

direct_map::direct_map(const smmu_cfg &c) : c_(c) {
    for (const domain_cfg &d : c.domains) {
        std::vector<mapping> &v = maps_[d.name];
        v = d.map;
        std::sort(v.begin(), v.end(),
                  [](const mapping &a, const mapping &b) { return a.iova < b.iova; });
    }
}

bool direct_map::through(const std::string &domain, uint64_t addr, uint64_t &out) const {
    auto d = maps_.find(domain);
    if (d == maps_.end()) return false;
    const std::vector<mapping> &v = d->second;
    auto it = std::upper_bound(v.begin(), v.end(), addr,
                               [](uint64_t a, const mapping &m) { return a < m.iova; });
    if (it == v.begin()) return false;
    --it;
    if (addr - it->iova >= it->size) return false;
    out = it->pa + (addr - it->iova);
    return true;
}

bool direct_map::translate(uint32_t sid, bool ssv, uint32_t ssid, uint64_t addr,
                           uint64_t &out) const {
    for (const stream_cfg &s : c_.streams) {
        if (s.sid != sid) continue;
        if (s.attach == attach_kind::bypass) {
            out = addr;
            return true;
        }
        if (s.attach == attach_kind::abort) return false;
        if (s.attach == attach_kind::s2) return through(s.s2_domain, addr, out);
        // stage 1 (s1, nested): the CD of the SubstreamID, or what S1DSS says without one
        std::string s1 = s.domain;
        bool s1_bypass = false;
        if (ssv) {
            auto p = s.pasids.find(ssid);
            if (p != s.pasids.end())
                s1 = p->second;
            else if (ssid != 0)
                return false;
        } else if (s.ssid_bits > 0) {
            if (s.s1dss == "terminate") return false;
            s1_bypass = s.s1dss == "bypass";
        }
        uint64_t ipa = addr;
        if (!s1_bypass && !through(s1, addr, ipa)) return false;
        if (s.attach == attach_kind::s1) {
            out = ipa;
            return true;
        }
        return through(s.s2_domain, ipa, out);
    }
    return false;
}

scenario load_scenario(const std::string &path) {
    std::ifstream f(path);
    if (!f) throw scenario_error(path + ": cannot open the scenario file");
    std::stringstream ss;
    ss << f.rdbuf();
    return parse_scenario(ss.str(), path);
}

void add_trace_master(scenario &sc, const std::string &trace_path, const std::string &name, bool at,
                      bool original_timing, unsigned max_outstanding, unsigned smmu_index,
                      smmu_model::replay_trace *loaded) {
    if (smmu_index >= sc.smmus.size())
        throw scenario_error(sc.source + ": no SMMU " + std::to_string(smmu_index) +
                             " for the trace master");
    smmu_cfg &s = sc.smmus[smmu_index];
    master_cfg m;
    m.name = name;
    std::string err;
    if (loaded)
        m.replay = std::move(*loaded);
    else if (!smmu_model::load_replay_trace(trace_path, m.replay, err))
        throw scenario_error(err);
    m.replay_original_timing = original_timing;
    m.params.at = at;
    m.params.max_outstanding = max_outstanding ? max_outstanding : 1;
    m.port_sid = m.replay.txns.empty() ? 0 : m.replay.txns[0].sid;
    for (const master_cfg &o : s.masters)
        if (o.name == m.name)
            throw scenario_error(sc.source + ": a master is already named " + name);
    s.masters.push_back(m);
    s.params.n_upstream = static_cast<unsigned>(s.masters.size());
    s.params.default_sid.clear();
    for (const master_cfg &o : s.masters)
        s.params.default_sid.push_back(o.port_sid);
}

scenario default_scenario() {
    return parse_scenario(default_scenario_json(), "<built-in default>");
}

} // namespace smmu_vp
