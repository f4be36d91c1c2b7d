// SPDX-License-Identifier: Apache-2.0 OR MIT
// The VP checkpoint's file format (checkpoint.h; docs/vp.md "Checkpoints"): the magic
// "SMMUVPCK", a u32 version, then the fields of struct checkpoint in order; integers
// little-endian, strings and byte arrays as a u64 length and the bytes, vectors as a u64 count
// and the elements, times in picoseconds.
#include "checkpoint.h"

#include <smmu_model/memory.h>

#include <cstring>
#include <stdexcept>

namespace smmu_vp {

namespace {

constexpr char MAGIC[8] = {'S', 'M', 'M', 'U', 'V', 'P', 'C', 'K'};
constexpr uint32_t VERSION = 1;

struct writer {
    std::vector<uint8_t> b;
    void u(uint64_t v, unsigned n = 8) {
        for (unsigned i = 0; i < n; i++)
            b.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
    void bytes(const uint8_t *p, size_t n) {
        u(n);
        b.insert(b.end(), p, p + n);
    }
    void str(const std::string &s) {
        bytes(reinterpret_cast<const uint8_t *>(s.data()), s.size());
    }
    void time(const sc_core::sc_time &t) {
        u(static_cast<uint64_t>(t / sc_core::sc_time(1, sc_core::SC_PS)));
    }
};

struct truncated : std::runtime_error {
    truncated() : std::runtime_error("truncated") {}
};

struct reader {
    const std::vector<uint8_t> &b;
    size_t at = 0;
    uint64_t u(unsigned n = 8) {
        if (b.size() - at < n) throw truncated();
        uint64_t v = 0;
        for (unsigned i = 0; i < n; i++)
            v |= static_cast<uint64_t>(b[at + i]) << (8 * i);
        at += n;
        return v;
    }
    // a count of elements of at least min_bytes each: never more than the bytes left
    size_t count(size_t min_bytes) {
        const uint64_t n = u();
        if (n > (b.size() - at) / (min_bytes ? min_bytes : 1)) throw truncated();
        return static_cast<size_t>(n);
    }
    std::vector<uint8_t> bytes() {
        const size_t n = count(1);
        std::vector<uint8_t> v(b.begin() + static_cast<long>(at),
                               b.begin() + static_cast<long>(at + n));
        at += n;
        return v;
    }
    std::string str() {
        const std::vector<uint8_t> v = bytes();
        return std::string(v.begin(), v.end());
    }
    sc_core::sc_time time() {
        return sc_core::sc_time(1, sc_core::SC_PS) * static_cast<double>(u());
    }
};

void put_stats(writer &w, const smmu_model::flow_stats &s) {
    for (uint64_t v : {s.transactions, s.bytes, s.reads, s.writes, s.ok, s.errors})
        w.u(v);
    w.u(s.by_status.size());
    for (const auto &e : s.by_status) {
        w.u(static_cast<uint32_t>(e.first), 4);
        w.u(e.second);
    }
    w.u(s.latency.size());
    for (const sc_core::sc_time &t : s.latency)
        w.time(t);
}

smmu_model::flow_stats get_stats(reader &r) {
    smmu_model::flow_stats s;
    for (uint64_t *v : {&s.transactions, &s.bytes, &s.reads, &s.writes, &s.ok, &s.errors})
        *v = r.u();
    for (size_t n = r.count(12); n--;) {
        const int k = static_cast<int>(static_cast<uint32_t>(r.u(4)));
        s.by_status[k] = r.u();
    }
    for (size_t n = r.count(8); n--;)
        s.latency.push_back(r.time());
    return s;
}

// FNV-1a, 64 bits
struct digest {
    uint64_t h = 0xcbf29ce484222325ull;
    void add(const void *p, size_t n) {
        const auto *c = static_cast<const uint8_t *>(p);
        for (size_t i = 0; i < n; i++)
            h = (h ^ c[i]) * 0x100000001b3ull;
    }
    void add(uint64_t v) {
        uint8_t b[8];
        for (unsigned i = 0; i < 8; i++)
            b[i] = static_cast<uint8_t>(v >> (8 * i));
        add(b, 8);
    }
    void add(const std::string &s) {
        add(s.size());
        add(s.data(), s.size());
    }
};

} // namespace

uint64_t scenario_digest(const scenario &sc) {
    digest d;
    d.add(sc.name);
    d.add(sc.mem_base);
    d.add(sc.mem_size);
    d.add(static_cast<uint64_t>(sc.pmcg)); // the host programs and reads the PMCG
    d.add(sc.smmus.size());
    for (const smmu_cfg &c : sc.smmus) {
        d.add(c.name);
        for (uint64_t v : {c.reg_base, c.pool_base, c.pool_size, (uint64_t)c.sid_bits})
            d.add(v);
        d.add(c.domains.size());
        for (const domain_cfg &dc : c.domains) {
            d.add(dc.name);
            for (uint64_t v : {(uint64_t)dc.stage, (uint64_t)dc.id, (uint64_t)dc.granule,
                               (uint64_t)dc.map.size(), (uint64_t)dc.map_on_fault.size()})
                d.add(v);
        }
        d.add(c.streams.size());
        for (const stream_cfg &s : c.streams) {
            d.add(s.sid);
            d.add(static_cast<uint64_t>(s.attach));
        }
        d.add(c.masters.size());
        for (const master_cfg &m : c.masters) {
            d.add(m.name);
            d.add(m.params.flows.size());
            for (const smmu_model::flow_params &f : m.params.flows)
                for (uint64_t v : {f.count, f.seed, f.base, f.size, (uint64_t)f.burst})
                    d.add(v);
        }
    }
    return d.h;
}

std::vector<uint8_t> encode_checkpoint(const checkpoint &c) {
    writer w;
    w.b.insert(w.b.end(), MAGIC, MAGIC + sizeof MAGIC);
    w.u(VERSION, 4);
    w.u(c.scenario_digest);
    w.u(c.time_ps);
    w.u(c.traffic_start_ps);
    w.u(c.pages.size());
    for (const checkpoint::page &p : c.pages) {
        w.u(p.pn);
        w.bytes(p.data.data(), p.data.size());
    }
    w.u(c.smmus.size());
    for (const checkpoint::smmu &s : c.smmus) {
        w.bytes(s.state.data(), s.state.size());
        w.u(s.events_read);
        w.u(s.resumed);
        w.u(s.terminated);
        w.u(s.events.size());
        for (const checkpoint::event_count &e : s.events) {
            w.u(e.sid, 4);
            w.str(e.type);
            w.u(e.count);
        }
        w.u(s.maps.size());
        for (const checkpoint::fault_map &m : s.maps) {
            w.str(m.domain);
            for (uint64_t v : {m.m.iova, m.m.pa, m.m.size})
                w.u(v);
            w.u(m.m.prot, 4);
        }
    }
    w.u(c.masters.size());
    for (const smmu_model::master_progress &m : c.masters) {
        w.u(m.rr, 4);
        w.u(m.issued.size());
        for (size_t f = 0; f < m.issued.size(); f++) {
            w.u(m.issued[f]);
            put_stats(w, m.stats[f]);
        }
    }
    return w.b;
}

bool decode_checkpoint(const std::vector<uint8_t> &bytes, checkpoint &out, std::string &err) {
    if (bytes.size() < sizeof MAGIC + 4 || std::memcmp(bytes.data(), MAGIC, sizeof MAGIC) != 0) {
        err = "not an smmu_vp checkpoint";
        return false;
    }
    reader r{bytes, sizeof MAGIC};
    try {
        if (r.u(4) != VERSION) {
            err = "a checkpoint of another format version";
            return false;
        }
        checkpoint c;
        c.scenario_digest = r.u();
        c.time_ps = r.u();
        c.traffic_start_ps = r.u();
        for (size_t n = r.count(16); n--;) {
            checkpoint::page p;
            p.pn = r.u();
            p.data = r.bytes();
            if (p.data.size() != smmu_model::memory::page_size) throw truncated();
            c.pages.push_back(std::move(p));
        }
        for (size_t n = r.count(48); n--;) {
            checkpoint::smmu s;
            s.state = r.bytes();
            s.events_read = r.u();
            s.resumed = r.u();
            s.terminated = r.u();
            for (size_t k = r.count(20); k--;) {
                checkpoint::event_count e;
                e.sid = static_cast<uint32_t>(r.u(4));
                e.type = r.str();
                e.count = r.u();
                s.events.push_back(e);
            }
            for (size_t k = r.count(36); k--;) {
                checkpoint::fault_map m;
                m.domain = r.str();
                m.m.iova = r.u();
                m.m.pa = r.u();
                m.m.size = r.u();
                m.m.prot = static_cast<unsigned>(r.u(4));
                s.maps.push_back(m);
            }
            c.smmus.push_back(std::move(s));
        }
        for (size_t n = r.count(12); n--;) {
            smmu_model::master_progress m;
            m.rr = static_cast<unsigned>(r.u(4));
            for (size_t f = r.count(72); f--;) {
                m.issued.push_back(r.u());
                m.stats.push_back(get_stats(r));
            }
            c.masters.push_back(std::move(m));
        }
        if (r.at != bytes.size()) {
            err = "trailing bytes after the checkpoint";
            return false;
        }
        out = std::move(c);
        return true;
    } catch (const truncated &) {
        err = "the checkpoint is truncated or corrupted";
        return false;
    }
}

} // namespace smmu_vp
