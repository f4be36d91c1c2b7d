// SPDX-License-Identifier: Apache-2.0 OR MIT
// `--set PATH=VALUE` (overrides.h).
#include "overrides.h"

#include <fstream>
#include <sstream>

namespace smmu_vp {

using json = nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string &text, const std::string &what) {
    throw scenario_error("--set " + text + ": " + what);
}

// RFC 6901 reference tokens of a pointer ("~1" is '/', "~0" is '~').
std::vector<std::string> tokens(const std::string &text, const std::string &ptr) {
    std::vector<std::string> out;
    if (ptr.empty()) fail(text, "empty path (expected a JSON pointer such as /smmus/0/name)");
    if (ptr[0] != '/')
        fail(text, "path \"" + ptr +
                       "\" does not start with '/' (a JSON pointer such as "
                       "/smmus/0/params/tlb_entries)");
    size_t i = 1;
    for (;;) {
        size_t e = ptr.find('/', i);
        std::string raw = ptr.substr(i, e == std::string::npos ? std::string::npos : e - i), tok;
        for (size_t k = 0; k < raw.size(); k++) {
            if (raw[k] != '~') {
                tok += raw[k];
            } else if (k + 1 < raw.size() && (raw[k + 1] == '0' || raw[k + 1] == '1')) {
                tok += raw[++k] == '0' ? '~' : '/';
            } else {
                fail(text, "bad escape in \"" + raw + "\" ('~' must be followed by 0 or 1)");
            }
        }
        out.push_back(tok);
        if (e == std::string::npos) break;
        i = e + 1;
    }
    return out;
}

bool parse_index(const std::string &tok, size_t &idx) {
    if (tok.empty() || tok.size() > 9 || (tok.size() > 1 && tok[0] == '0')) return false;
    for (char c : tok)
        if (c < '0' || c > '9') return false;
    idx = std::stoul(tok);
    return true;
}

const char *type_name(const json &j) {
    return j.type_name();
}

} // namespace

override_spec parse_override(const std::string &text) {
    size_t eq = text.find('=');
    if (eq == std::string::npos)
        fail(text, "expected PATH=VALUE (e.g. /smmus/0/params/tlb_entries=256)");
    try { // a key or string value that is not UTF-8 could not be written back as JSON
        (void)json(text).dump();
    } catch (const json::type_error &) {
        fail(text, "not valid UTF-8");
    }
    override_spec o;
    o.text = text;
    o.pointer = text.substr(0, eq);
    tokens(text, o.pointer); // checks the syntax
    std::string v = text.substr(eq + 1);
    // JSON when it parses, else the text as a string (so --set /x/repl=lru works unquoted)
    json parsed = json::parse(v, nullptr, false);
    o.value = parsed.is_discarded() ? json(v) : parsed;
    return o;
}

void apply_override(json &doc, const override_spec &o) {
    std::vector<std::string> toks = tokens(o.text, o.pointer);
    json *cur = &doc;
    std::string at; // the pointer walked so far
    for (size_t i = 0; i < toks.size(); i++) {
        const std::string &t = toks[i];
        bool last = i + 1 == toks.size();
        std::string here = at + "/" + t;
        if (cur->is_object()) {
            if (!cur->contains(t)) {
                if (last) {
                    (*cur)[t] = o.value;
                    return;
                }
                (*cur)[t] = json::object(); // create the missing object along the path
            }
            cur = &(*cur)[t];
        } else if (cur->is_array()) {
            size_t idx = 0;
            if (t == "-" && last) {
                cur->push_back(o.value);
                return;
            }
            if (!parse_index(t, idx))
                fail(o.text, (at.empty() ? std::string("/") : at) + " is an array; \"" + t +
                                 "\" is not an index");
            if (idx >= cur->size())
                fail(o.text, here + ": index " + t + " out of range (the array has " +
                                 std::to_string(cur->size()) + " element" +
                                 (cur->size() == 1 ? "" : "s") + ")");
            cur = &(*cur)[idx];
        } else {
            fail(o.text, (at.empty() ? std::string("/") : at) + " is a " + type_name(*cur) +
                             ", not an object or array; cannot set \"" + t + "\" in it");
        }
        at = here;
    }
    *cur = o.value;
}

std::string apply_overrides(const std::string &text, const std::string &source,
                            const std::vector<std::string> &sets) {
    if (sets.empty()) return text;
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
        parse_scenario(text, source); // throws the parser's detailed message
        throw scenario_error(source + ": not valid JSON");
    }
    for (const std::string &s : sets)
        apply_override(doc, parse_override(s));
    return doc.dump(2);
}

scenario load_scenario_with_overrides(const std::string &file,
                                      const std::vector<std::string> &sets) {
    if (sets.empty()) return file.empty() ? default_scenario() : load_scenario(file);
    std::string text, source;
    if (file.empty()) {
        text = default_scenario_json();
        source = "<built-in default>";
    } else {
        std::ifstream f(file);
        if (!f) throw scenario_error(file + ": cannot open the scenario file");
        std::stringstream ss;
        ss << f.rdbuf();
        text = ss.str();
        source = file;
    }
    std::string changed = apply_overrides(text, source, sets);
    try {
        return parse_scenario(changed, source);
    } catch (const scenario_error &e) {
        throw scenario_error(std::string(e.what()) + " (after the --set overrides)");
    }
}

} // namespace smmu_vp
