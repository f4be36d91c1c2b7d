// SPDX-License-Identifier: Apache-2.0 OR MIT
// Fuzz-style robustness of the scenario reader (the libFuzzer build has no SystemC, so
// parse_scenario cannot be a fuzz target there). Seeds: the built-in default scenario, the
// scenario files shipped in traces/samples/, testbench/sweep/ and testbench/vp/scenarios/. Each
// is mutated deterministically (fixed seeds: byte flips, truncations, random bytes, JSON tokens,
// hostile numbers, deleted keys, duplicated array elements, deep nesting) and every result must
// either parse or be refused with a scenario_error whose message starts with the source name:
// never a crash, never another exception type. No elaboration.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "overrides.h"
#include "scenario.h"
#include "vp_test_main.h"

using namespace smmu_vp;
using json = nlohmann::json;

namespace {

const std::string kSource = "fuzz.json";

// Mutants per run: the ASan+UBSan build (-O0) parses JSON 15-20 times slower, so it runs a
// quarter of them; either way the count is fixed for the build.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kScale = 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr size_t kScale = 1;
#else
constexpr size_t kScale = 4;
#endif
#else
constexpr size_t kScale = 4;
#endif

// splitmix64: a fixed, portable generator (std:: distributions differ between libraries).
struct rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    size_t below(size_t n) {
        return n ? static_cast<size_t>(next() % n) : 0;
    }
};

std::string read_text(const std::string &path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::string repo_path(const std::string &rel) {
    return std::string(SMMU_VP_TEST_DIR) + "/../../" + rel;
}

struct seed_file {
    std::string name, text;
};

// The seeds: the default scenario and every shipped scenario JSON, read from the source tree.
std::vector<seed_file> seeds() {
    std::vector<seed_file> out;
    out.push_back({"<built-in default>", default_scenario_json()});
    std::vector<std::string> files;
    for (const char *dir : {"traces/samples", "testbench/vp/scenarios"})
        for (const auto &e : std::filesystem::directory_iterator(repo_path(dir)))
            if (e.path().extension() == ".json") files.push_back(e.path().string());
    files.push_back(repo_path("testbench/sweep/tiny.json"));
    std::sort(files.begin(), files.end()); // directory order is not fixed
    for (const std::string &f : files)
        out.push_back({f, read_text(f)});
    return out;
}

// A seed small enough to mutate thousands of times: every array cut to its first 3 elements
// (the sample files map hundreds of pages).
std::string compact(const std::string &text) {
    json j = json::parse(text);
    std::vector<json *> todo{&j};
    while (!todo.empty()) {
        json *c = todo.back();
        todo.pop_back();
        if (c->is_array() && c->size() > 3) c->erase(c->begin() + 3, c->end());
        if (c->is_structured())
            for (auto &v : *c)
                todo.push_back(&v);
    }
    return j.dump(1);
}

// What one call did. Any outcome other than a scenario or a named scenario_error is a failure,
// reported with the input (the fixed seeds make it reproducible).
struct tally {
    size_t parsed = 0, refused = 0, bad = 0;
};

void check_one(const std::string &text, const std::string &source, tally &t,
               const std::string &how) {
    std::string problem;
    try {
        parse_scenario(text, source);
        t.parsed++;
        return;
    } catch (const scenario_error &e) {
        std::string m = e.what();
        if (m.compare(0, source.size() + 2, source + ": ") == 0) {
            t.refused++;
            return;
        }
        problem = "scenario_error without the source name: " + m;
    } catch (const std::exception &e) {
        problem = std::string("exception other than scenario_error: ") + e.what();
    } catch (...) {
        problem = "non-std exception";
    }
    if (++t.bad <= 5)
        ADD_FAILURE() << how << ": " << problem
                      << "\ninput (first 400 bytes): " << text.substr(0, 400);
}

// The counts, in the test log and the XML report.
void log_tally(const tally &t) {
    ::testing::Test::RecordProperty("parsed", std::to_string(t.parsed));
    ::testing::Test::RecordProperty("refused", std::to_string(t.refused));
    std::cout << "mutants: " << t.parsed + t.refused + t.bad << " (parsed " << t.parsed
              << ", refused with a named error " << t.refused << ")\n";
}

// Tokens and hostile values the mutators insert.
const std::vector<std::string> kTokens = {
    "{",           "}",      "[",        "]",    ",",    ":",     "\"",      "null",
    "true",        "false",  "-",        "0",    "-1",   "1e400", "\\u0000", "\"\\ud800\"",
    "\"\\u0000\"", "\"a\":", ",\"x\":1", "[[[[", "]]]]", "\xff",  "\xc3",    "/*"};
const std::vector<std::string> kHostile = {
    "-1",
    "-0",
    "0",
    "0.5",
    "-0.0",
    "1e308",
    "1e400",
    "-1e400",
    "4294967295",
    "4294967296",
    "4294967297",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "\"\"",
    "\"abc\"",
    "\" -1\"",
    "\"-1\"",
    "\"+1\"",
    "\"0x\"",
    "\"0xffffffffffffffff\"",
    "\"0x10000000000000000\"",
    "\"99999999999999999999999\"",
    "\"0x100000001\"",
    "\"1e3\"",
    "null",
    "true",
    "[]",
    "{}",
    "[1,2]",
    "{\"a\":1}",
};

std::string deep_array(size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

// Byte-level mutations of text.
std::string mutate_bytes(std::string s, rng &r) {
    switch (r.below(7)) {
    case 0: // flip a bit
        if (!s.empty()) s[r.below(s.size())] ^= static_cast<char>(1u << r.below(8));
        break;
    case 1: // overwrite a byte
        if (!s.empty()) s[r.below(s.size())] = static_cast<char>(r.next());
        break;
    case 2: // truncate
        s.resize(r.below(s.size() + 1));
        break;
    case 3: { // insert random bytes
        std::string b(1 + r.below(8), '\0');
        for (char &c : b)
            c = static_cast<char>(r.next());
        s.insert(r.below(s.size() + 1), b);
        break;
    }
    case 4: // insert a JSON token
        s.insert(r.below(s.size() + 1), kTokens[r.below(kTokens.size())]);
        break;
    case 5: { // replace a number (or a quoted number) with a hostile value
        size_t at = r.below(s.size());
        size_t p = s.find_first_of("0123456789", at);
        if (p == std::string::npos) p = s.find_first_of("0123456789");
        if (p == std::string::npos) break;
        size_t b = p, e = p;
        auto numch = [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                   c == 'x' || c == '.' || c == '-' || c == '+';
        };
        while (b > 0 && numch(s[b - 1]))
            b--;
        while (e < s.size() && numch(s[e]))
            e++;
        if (b > 0 && s[b - 1] == '"' && e < s.size() && s[e] == '"') b--, e++;
        s.replace(b, e - b, kHostile[r.below(kHostile.size())]);
        break;
    }
    case 6: { // delete a range
        size_t b = r.below(s.size() + 1), n = r.below(32);
        s.erase(b, n);
        break;
    }
    }
    return s;
}

// Every value in a document, with a pointer to it (the root excluded).
void collect(json &j, std::vector<json *> &out) {
    std::vector<json *> todo{&j};
    while (!todo.empty()) {
        json *c = todo.back();
        todo.pop_back();
        if (c != &j) out.push_back(c);
        if (c->is_structured())
            for (auto &v : *c)
                todo.push_back(&v);
    }
}

// A value the DOM cannot hold (1e400, 2^64, a 2000-deep array) goes in as a marker string,
// replaced by the raw text when the document is written out.
std::string marker(std::vector<std::string> &raws, const std::string &raw) {
    raws.push_back(raw);
    return "@@RAW" + std::to_string(raws.size() - 1) + "@@";
}

std::string dump_with_raws(const json &j, const std::vector<std::string> &raws) {
    std::string out = j.dump();
    for (size_t i = 0; i < raws.size(); i++) {
        const std::string quoted = "\"@@RAW" + std::to_string(i) + "@@\"";
        for (size_t p = 0; (p = out.find(quoted, p)) != std::string::npos; p += raws[i].size())
            out.replace(p, quoted.size(), raws[i]);
    }
    return out;
}

// Structure-level mutations of a document: they keep the JSON valid (up to the raw values), so
// they reach the checks behind the syntax.
void mutate_tree(json &j, std::vector<std::string> &raws, rng &r) {
    std::vector<json *> all;
    collect(j, all);
    if (all.empty()) return;
    json *v = all[r.below(all.size())];
    switch (r.below(6)) {
    case 0: // replace a value by a hostile one
        *v = marker(raws, kHostile[r.below(kHostile.size())]);
        break;
    case 1: { // delete a key
        std::vector<json *> objs;
        for (json *c : all)
            if (c->is_object() && !c->empty()) objs.push_back(c);
        if (j.is_object() && !j.empty()) objs.push_back(&j);
        if (objs.empty()) break;
        json *o = objs[r.below(objs.size())];
        auto it = o->begin();
        std::advance(it, static_cast<long>(r.below(o->size())));
        o->erase(it);
        break;
    }
    case 2: { // duplicate an array element
        std::vector<json *> arrs;
        for (json *c : all)
            if (c->is_array() && !c->empty()) arrs.push_back(c);
        if (arrs.empty()) break;
        json *a = arrs[r.below(arrs.size())];
        json copy = (*a)[r.below(a->size())];
        size_t times = 1 + r.below(3);
        for (size_t i = 0; i < times; i++)
            a->push_back(copy);
        break;
    }
    case 3: // a deeply nested array in place of a value
        *v = marker(raws, deep_array(1 + r.below(2000)));
        break;
    case 4: { // add an unknown key, or overwrite a known one, with a hostile value
        std::vector<json *> objs;
        for (json *c : all)
            if (c->is_object()) objs.push_back(c);
        if (objs.empty()) break;
        json *o = objs[r.below(objs.size())];
        std::string key = o->empty() || r.below(2) ? std::string("zz") : o->begin().key();
        (*o)[key + (r.below(2) ? "" : "_")] = marker(raws, kHostile[r.below(kHostile.size())]);
        break;
    }
    case 5: // change the value's type: wrap it in an array or an object
        *v = r.below(2) ? json::array({*v}) : json{{"v", *v}};
        break;
    }
}

// n mutants of text, each 1-3 stacked mutations: on the document (when text is JSON), on the
// bytes, or on the document and then on the bytes of the result.
void fuzz(const std::string &text, uint64_t seed, size_t n, tally &t, const std::string &what) {
    rng r{seed};
    const bool is_json = json::accept(text);
    const json doc = is_json ? json::parse(text) : json();
    for (size_t i = 0; i < n; i++) {
        unsigned mode = is_json ? static_cast<unsigned>(r.below(3)) : 0; // 0 bytes, 1 tree, 2 both
        std::string s = text;
        if (mode != 0) {
            json d = doc;
            std::vector<std::string> raws;
            for (size_t m = 1 + r.below(3); m > 0; m--)
                mutate_tree(d, raws, r);
            s = dump_with_raws(d, raws);
        }
        if (mode != 1)
            for (size_t m = 1 + r.below(3); m > 0; m--)
                s = mutate_bytes(s, r);
        check_one(s, kSource, t,
                  what + " mutant " + std::to_string(i) + " (seed " + std::to_string(seed) + ")");
    }
}

// The message of the scenario_error for text, or "" when it parses (other exceptions escape and
// fail the test).
std::string error_of(const std::string &text, const std::string &source = kSource) {
    try {
        parse_scenario(text, source);
    } catch (const scenario_error &e) {
        return e.what();
    }
    return "";
}

bool starts_with(const std::string &s, const std::string &p) {
    return s.compare(0, p.size(), p) == 0;
}

// A minimal valid scenario with one stream and one master flow; the parts can be replaced.
std::string scenario_with(const std::string &stream_sid, const std::string &flow_extra = "",
                          const std::string &memory = R"({"base": 0, "size": "0x100000000"})") {
    return R"({"memory": )" + memory + R"(, "smmus": [{"domains": [{"name": "a", "stage": 1}],
        "streams": [{"sid": )" +
           stream_sid + R"(, "attach": "s1", "domain": "a"}],
        "masters": [{"name": "m", "flows": [{"sid": 1, "base": 0)" +
           flow_extra + "}]}]}]}";
}

} // namespace

TEST(ScenarioFuzz, SeedsParse) {
    // The mutation tests are only meaningful if the seeds themselves are good scenarios (except
    // the deliberately malformed one).
    std::vector<seed_file> all = seeds();
    ASSERT_GE(all.size(), 9u); // default + 6 samples + malformed + tiny
    for (const seed_file &s : all) {
        std::string e = error_of(s.text, s.name);
        if (s.name.find("malformed") != std::string::npos)
            EXPECT_TRUE(starts_with(e, s.name + ": ")) << e;
        else
            EXPECT_EQ(e, "") << s.name;
    }
}

TEST(ScenarioFuzz, MutatedDefaultScenarioGivesScenarioOrNamedError) {
    tally t;
    const size_t n = 600 * kScale;
    fuzz(default_scenario_json(), 1, n, t, "default");
    EXPECT_EQ(t.bad, 0u);
    EXPECT_EQ(t.parsed + t.refused, n);
    // both outcomes occur: the mutations neither all break the file nor all leave it intact
    EXPECT_GT(t.parsed, 0u);
    EXPECT_GT(t.refused, 0u);
    log_tally(t);
}

TEST(ScenarioFuzz, MutatedShippedScenariosGiveScenarioOrNamedError) {
    tally t;
    size_t n = 0;
    uint64_t seed = 100;
    for (const seed_file &s : seeds()) {
        if (s.name[0] == '<') continue; // the default has its own test
        // the full file when it is small (the big samples are slow to parse under ASan; the
        // truncation test reads them whole) ...
        if (s.text.size() <= 16384) {
            fuzz(s.text, seed++, 20 * kScale, t, s.name);
            n += 20 * kScale;
        }
        // ... and a compact copy of it many times
        fuzz(compact(s.text), seed++, 80 * kScale, t, s.name + " (compact)"); // all are JSON
        n += 80 * kScale;
    }
    EXPECT_EQ(t.bad, 0u);
    EXPECT_EQ(t.parsed + t.refused, n);
    EXPECT_GT(t.parsed, 0u);
    EXPECT_GT(t.refused, 0u);
    log_tally(t);
}

TEST(ScenarioFuzz, TruncatedFilesNameTheSource) {
    // A strict prefix of a JSON object (short of its closing brace) is never valid JSON.
    for (const seed_file &s : seeds()) {
        size_t end = s.text.find_last_of('}');
        ASSERT_NE(end, std::string::npos) << s.name;
        // 64 cuts of the small files, 3 of the big samples (slow to parse under ASan), and
        // always the one just before the closing brace
        size_t step = std::max<size_t>(1, end / (s.text.size() > 16384 ? 3 : 64));
        for (size_t len = 0;; len = std::min(end, len + step)) {
            std::string e = error_of(s.text.substr(0, len), s.name);
            ASSERT_TRUE(starts_with(e, s.name + ": ")) << s.name << " cut at " << len << ": " << e;
            if (len == end) break;
        }
    }
    // and the default at every 29th byte
    const std::string &d = default_scenario_json();
    for (size_t len = 0; len < d.find_last_of('}'); len += 29)
        ASSERT_TRUE(starts_with(error_of(d.substr(0, len), "cut.json"), "cut.json: not valid JSON"))
            << len;
}

TEST(ScenarioFuzz, NonObjectRootIsRefused) {
    for (const char *root : {"[]", "42", "\"x\"", "null", "true", "[{\"smmus\": []}]", "-1"})
        EXPECT_EQ(error_of(root), "fuzz.json: (top level): expected an object") << root;
    EXPECT_TRUE(starts_with(error_of(""), "fuzz.json: not valid JSON")) << error_of("");
}

TEST(ScenarioFuzz, DeeplyNestedArraysAreRefusedNotOverflowed) {
    // 10000 levels as the root and in place of a value; 100000 as the root.
    EXPECT_EQ(error_of(deep_array(10000)), "fuzz.json: (top level): expected an object");
    EXPECT_EQ(error_of("{\"name\": " + deep_array(10000) + ", \"smmus\": [{}]}"),
              "fuzz.json: name: expected a string");
    EXPECT_EQ(error_of("{\"smmus\": [{\"domains\": " + deep_array(10000) + "}]}"),
              "fuzz.json: smmus[0].domains[0]: expected an object");
    EXPECT_EQ(error_of(deep_array(100000)), "fuzz.json: (top level): expected an object");
    // unbalanced: the syntax error names the source
    EXPECT_TRUE(starts_with(error_of(std::string(10000, '[')), "fuzz.json: not valid JSON"));
}

TEST(ScenarioFuzz, HugeNumbersAreRejectedNotWrapped) {
    // the hand-written base case parses
    ASSERT_EQ(error_of(scenario_with("1")), "");
    // a negative count
    EXPECT_EQ(error_of(scenario_with("1", ", \"count\": -1")),
              "fuzz.json: smmus[0].masters[0].flows[0].count: must not be negative");
    // 2^64 does not fit any integer: refused, not read as a float and truncated
    EXPECT_EQ(error_of(scenario_with("18446744073709551616")),
              "fuzz.json: smmus[0].streams[0].sid: expected an unsigned integer (number or "
              "string such as \"0x1000\")");
    // 2^32 + 1 for the 32-bit StreamID is out of range, not StreamID 1
    EXPECT_TRUE(starts_with(error_of(scenario_with("4294967297")),
                            "fuzz.json: smmus[0].streams[0].sid: out of range"))
        << error_of(scenario_with("4294967297"));
    EXPECT_TRUE(starts_with(error_of(scenario_with("\"0x100000001\"")),
                            "fuzz.json: smmus[0].streams[0].sid: out of range"));
    EXPECT_TRUE(starts_with(error_of(scenario_with("1", ", \"ssid\": 4294967296")),
                            "fuzz.json: smmus[0].masters[0].flows[0].ssid: out of range"));
    // a negative number in a string is not 2^64 - 1
    EXPECT_EQ(error_of(scenario_with("1", ", \"count\": \" -1\"")),
              "fuzz.json: smmus[0].masters[0].flows[0].count: \" -1\" is not an unsigned integer");
    EXPECT_EQ(error_of(scenario_with("1", ", \"count\": \"0x1ffffffffffffffff\"")),
              "fuzz.json: smmus[0].masters[0].flows[0].count: \"0x1ffffffffffffffff\" is not an "
              "unsigned integer");
    // an expectation of 2^63 or more is out of range, not "no expectation" (-1)
    EXPECT_TRUE(starts_with(error_of(scenario_with("1", ", \"expect_ok\": 18446744073709551615")),
                            "fuzz.json: smmus[0].masters[0].flows[0].expect_ok: out of range"));
    // a number beyond a double is a JSON error naming the file, not a json exception
    EXPECT_TRUE(starts_with(error_of(R"({"duration_ns": 1e400, "smmus": [{}]})"),
                            "fuzz.json: not valid JSON"))
        << error_of(R"({"duration_ns": 1e400, "smmus": [{}]})");
    EXPECT_EQ(error_of(R"({"duration_ns": -1e308, "smmus": [{}]})"),
              "fuzz.json: duration_ns: out of range [0.000000, 1000000000000000.000000]");
    // address ranges that run past 2^64 are refused rather than wrapped
    EXPECT_TRUE(starts_with(
        error_of(scenario_with("1", "", R"({"base": "0xfffffffffffff000", "size": "0x2000"})")),
        "fuzz.json: memory"));
    EXPECT_TRUE(starts_with(error_of(R"({"memory": {"base": 0, "size": 4096},
                     "smmus": [{"reg_base": "0xffffffffffff0000"}]})"),
                            "fuzz.json: smmus[0].reg_base"));
}

TEST(ScenarioFuzz, RandomOverridesGiveScenarioOrNamedError) {
    // load_scenario_with_overrides on the built-in default with mutated --set options: a
    // scenario, or a scenario_error naming the option or the scenario.
    const std::vector<std::string> paths = {"/name",
                                            "/duration_ns",
                                            "/memory/size",
                                            "/smmus/0/sid_bits",
                                            "/smmus/0/streams/0/sid",
                                            "/smmus/0/params/tlb_entries",
                                            "/smmus/0/masters/0/flows/-",
                                            "/smmus/9/x",
                                            "/a~2b",
                                            "",
                                            "/smmus/0/domains/0/map/0/size",
                                            "/smmus/00"};
    rng r{7};
    size_t bad = 0, n = 100 * kScale;
    for (size_t i = 0; i < n; i++) {
        std::string path = paths[r.below(paths.size())];
        std::string value = r.below(3) ? kHostile[r.below(kHostile.size())]
                                       : mutate_bytes(kHostile[r.below(kHostile.size())], r);
        std::string set = path + "=" + value;
        if (r.below(4) == 0) set = mutate_bytes(set, r);
        try {
            load_scenario_with_overrides("", {set});
        } catch (const scenario_error &e) {
            std::string m = e.what();
            if (starts_with(m, "--set ") || starts_with(m, "<built-in default>: ")) continue;
            if (++bad <= 5) ADD_FAILURE() << set << ": unnamed error: " << m;
        } catch (const std::exception &e) {
            if (++bad <= 5) ADD_FAILURE() << set << ": wrong exception type: " << e.what();
        }
    }
    EXPECT_EQ(bad, 0u);
}

TEST(ScenarioFuzz, NonUtf8OverrideIsRefusedNamingTheOption) {
    // found by the test above: a --set key or value that is not UTF-8 threw json::type_error
    // when the changed document was written back
    for (const std::string set : {"/name=\xff", "/na\x82me=1", "/smmus/0/name=a\xc3"}) {
        try {
            load_scenario_with_overrides("", {set});
            ADD_FAILURE() << "accepted " << set;
        } catch (const scenario_error &e) {
            EXPECT_EQ(std::string(e.what()), "--set " + set + ": not valid UTF-8");
        }
    }
}
