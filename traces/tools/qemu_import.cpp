// SPDX-License-Identifier: Apache-2.0 OR MIT
// QEMU smmuv3 trace-event log -> smmu trace (see FORMAT.md for the events and what is lost).
#include "qemu_import.h"

#include <cerrno>
#include <cstring>

#include <zlib.h>

namespace smmu_trace_tool {

namespace {

bool parse_num(const std::string &s, uint64_t &v) {
    if (s.empty()) return false;
    size_t i = 0;
    uint64_t x = 0;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        for (i = 2; i < s.size(); i++) {
            char c = s[i];
            unsigned d;
            if (c >= '0' && c <= '9')
                d = unsigned(c - '0');
            else if (c >= 'a' && c <= 'f')
                d = unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                d = unsigned(c - 'A' + 10);
            else
                return false;
            if (x >> 60) return false;
            x = (x << 4) | d;
        }
    } else {
        for (char c : s) {
            if (c < '0' || c > '9') return false;
            unsigned d = unsigned(c - '0');
            if (x > (UINT64_MAX - d) / 10) return false;
            x = x * 10 + d;
        }
    }
    v = x;
    return true;
}

// The value after "key" (e.g. "sid=" or "iova:") up to the next blank or comma.
bool field(const std::string &line, const char *key, uint64_t &v) {
    size_t k = 0;
    std::string pat = std::string(" ") + key;
    k = line.find(pat);
    if (k == std::string::npos) return false;
    size_t b = k + pat.size(), e = b;
    while (e < line.size() && line[e] != ' ' && line[e] != ',' && line[e] != '\t' &&
           line[e] != '\r')
        e++;
    return parse_num(line.substr(b, e - b), v);
}

} // namespace

bool qemu_import(const std::string &text, const std::string &name, const qemu_import_options &o,
                 qemu_import_result &r, std::string &err) {
    r = qemu_import_result();
    size_t pos = 0;
    bool have_t0 = false;
    uint64_t t0 = 0, last = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? text.size() : nl + 1;
        r.lines++;
        // optional "PID@SEC.USEC:" prefix (QEMU's log backend with timestamps)
        bool stamped = false;
        uint64_t stamp_us = 0;
        size_t at = line.find('@'), colon = line.find(':');
        if (at != std::string::npos && colon != std::string::npos && at < colon) {
            uint64_t pid, sec, usec;
            size_t dot = line.find('.', at);
            if (dot != std::string::npos && dot < colon && parse_num(line.substr(0, at), pid) &&
                parse_num(line.substr(at + 1, dot - at - 1), sec) &&
                parse_num(line.substr(dot + 1, colon - dot - 1), usec)) {
                stamped = true;
                stamp_us = sec * 1000000 + usec;
                line = line.substr(colon + 1);
            }
        }
        size_t sp = line.find(' ');
        std::string ev = line.substr(0, sp);
        if (ev.empty()) continue;
        smmu_trace_txn_t x{};
        x.size = o.size;
        x.has = SMMU_TRACE_HAS_STATUS | SMMU_TRACE_HAS_PA;
        uint64_t sid = 0, iova = 0, v = 0;
        bool ok = field(line, "sid=", sid);
        if (ev == "smmuv3_translate_success") {
            uint64_t perm = 0;
            ok = ok && field(line, "iova=", iova) && field(line, "translated=", v) &&
                 field(line, "perm=", perm);
            x.status = SMMU_TRACE_ST_OK;
            x.pa = v;
            x.write = perm == 0x2;
        } else if (ev == "smmuv3_translate_abort" || ev == "smmuv3_translate_bypass" ||
                   ev == "smmuv3_translate_disable") {
            uint64_t w = 0;
            ok = ok && field(line, "iova:", iova) && field(line, "is_write=", w);
            x.write = w != 0;
            if (ev == "smmuv3_translate_abort") {
                x.status = SMMU_TRACE_ST_FAULT;
                x.has = SMMU_TRACE_HAS_STATUS;
            } else {
                x.status = SMMU_TRACE_ST_OK;
                x.pa = iova;
            }
        } else {
            r.skipped[ev]++;
            continue;
        }
        if (!ok || sid > UINT32_MAX) {
            err = name + ":" + std::to_string(r.lines) + ": " + ev +
                  ": cannot read its sid / iova / result fields";
            return false;
        }
        x.sid = uint32_t(sid);
        x.addr = iova;
        if (stamped) {
            r.timestamps = true;
            if (!have_t0) t0 = stamp_us, have_t0 = true;
            uint64_t t = stamp_us >= t0 ? (stamp_us - t0) * 1000 : 0;
            x.time_ns = t < last ? last : t; // never decreasing
        } else {
            x.time_ns = r.txns.size() * o.interval_ns;
        }
        last = x.time_ns;
        r.used[ev]++;
        r.txns.push_back(x);
    }
    return true;
}

bool read_maybe_gz(const std::string &path, std::string &out, std::string &err) {
    gzFile f = gzopen(path.c_str(), "rb"); // reads plain files transparently
    if (!f) {
        err = path + ": cannot open: " + std::strerror(errno);
        return false;
    }
    out.clear();
    char buf[65536];
    for (;;) {
        int n = gzread(f, buf, sizeof buf);
        if (n < 0) {
            int code = 0;
            err = path + ": read error: " + gzerror(f, &code);
            gzclose(f);
            return false;
        }
        if (n == 0) break;
        out.append(buf, size_t(n));
    }
    gzclose(f);
    return true;
}

} // namespace smmu_trace_tool
