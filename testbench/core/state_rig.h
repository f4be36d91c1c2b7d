// SPDX-License-Identifier: Apache-2.0 OR MIT
// A rig for the saved-state tests (test_state.cpp): one SMMU on its own copyable memory (both PA
// spaces), whose host callbacks append every externally visible action (memory writes, wired
// line changes, stall outcomes, PRG responses, invalidation notices) to a log, so that two rigs
// running the same operations can be compared entry by entry. The blob's layout (docs/state.md)
// is written here from the document, independently of state.c: header offsets, section walk,
// FNV-1a checksum.
#pragma once
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <smmu/drv.h>
#include <smmu/smmu.h>

namespace srig {

// Sparse memory of both PA spaces, by 4 KiB page; zero where never written.
struct Mem {
    std::map<uint64_t, std::array<uint8_t, 4096>> pg[2];
    uint8_t *at(bool sec, uint64_t pa) {
        auto it = pg[sec].find(pa >> 12);
        if (it == pg[sec].end()) it = pg[sec].emplace(pa >> 12, std::array<uint8_t, 4096>{}).first;
        return it->second.data() + (pa & 4095);
    }
    void read(bool sec, uint64_t pa, void *buf, size_t len) {
        for (size_t i = 0; i < len; i++)
            static_cast<uint8_t *>(buf)[i] = *at(sec, pa + i);
    }
    void write(bool sec, uint64_t pa, const void *buf, size_t len) {
        for (size_t i = 0; i < len; i++)
            *at(sec, pa + i) = static_cast<const uint8_t *>(buf)[i];
    }
    uint64_t r64(bool sec, uint64_t pa) {
        uint8_t b[8];
        read(sec, pa, b, 8);
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--)
            v = v << 8 | b[i];
        return v;
    }
    void w64(bool sec, uint64_t pa, uint64_t v) {
        uint8_t b[8];
        for (int i = 0; i < 8; i++)
            b[i] = (uint8_t)(v >> (8 * i));
        write(sec, pa, b, 8);
    }
};

inline std::string fmt(const char *f, unsigned long long a = 0, unsigned long long b = 0,
                       unsigned long long c = 0, unsigned long long d = 0) {
    char buf[160];
    std::snprintf(buf, sizeof buf, f, a, b, c, d);
    return buf;
}

struct Rig {
    Mem mem;
    smmu_t *s = nullptr;
    std::vector<std::string> log;
    unsigned mem_accesses = 0; // every host memory access (reads too)

    static Rig *of(void *c) {
        return static_cast<Rig *>(c);
    }
    static int rd(void *c, uint64_t pa, void *buf, size_t len, bool sec) {
        of(c)->mem_accesses++;
        of(c)->mem.read(sec, pa, buf, len);
        return 0;
    }
    static int wr(void *c, uint64_t pa, const void *buf, size_t len, bool sec) {
        Rig *r = of(c);
        r->mem_accesses++;
        r->mem.write(sec, pa, buf, len);
        std::string e = fmt("W%llu %llx:", sec, pa);
        for (size_t i = 0; i < len; i++)
            e += fmt("%02llx", static_cast<const uint8_t *>(buf)[i]);
        r->log.push_back(e);
        return 0;
    }
    static int cas(void *c, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *observed,
                   bool sec) {
        Rig *r = of(c);
        r->mem_accesses++;
        *observed = r->mem.r64(sec, pa);
        if (*observed == expected) {
            r->mem.w64(sec, pa, desired);
            r->log.push_back(fmt("C%llu %llx:%llx", sec, pa, desired));
        }
        return 0;
    }
    static void irq(void *c, int line, bool level) {
        of(c)->log.push_back(fmt("I%llu=%llu", (unsigned)line, level));
    }
    static void stall_done(void *c, uint32_t sid, uint16_t stag, int outcome) {
        of(c)->log.push_back(fmt("S sid %llu stag %llu out %llu", sid, stag, (unsigned)outcome));
    }
    static void pri_resp(void *c, uint32_t sid, uint32_t ssid, bool ssv, uint16_t grpid,
                         unsigned resp) {
        of(c)->log.push_back(fmt("P %llu %llu %llu %llu", sid, ssid, ssv, grpid) +
                             fmt(" r%llu", resp));
    }
    static void scope(void *c, const smmu_inv_scope_t *sc) {
        of(c)->log.push_back(fmt("N kind %llu", (unsigned)sc->kind));
    }
    static int atc(void *, uint32_t, uint32_t, bool, uint64_t, unsigned, bool) {
        return 0;
    }

    explicit Rig(const smmu_params_t &p) {
        smmu_host_t h{};
        h.ctx = this;
        h.mem_read = rd;
        h.mem_write = wr;
        h.mem_cas64 = cas;
        h.irq = irq;
        h.stall_done = stall_done;
        h.pri_resp = pri_resp;
        h.invalidate_scope = scope;
        h.atc_inv = atc;
        s = smmu_new(&p, &h);
    }
    ~Rig() {
        smmu_free(s);
    }
    Rig(const Rig &) = delete;
    Rig &operator=(const Rig &) = delete;

    std::vector<uint8_t> save() {
        std::vector<uint8_t> b(smmu_save_size(s));
        size_t len = 0;
        EXPECT_EQ(smmu_save(s, b.data(), b.size(), &len), SMMU_STATE_OK);
        EXPECT_EQ(len, b.size());
        return b;
    }

    // Every register of both programming interfaces as each world reads it (page 0 and the
    // Secure bank, page 1's queue pointers), and every word of every PMCG's pages.
    std::vector<uint64_t> dump() {
        std::vector<uint64_t> v;
        for (int sec = 0; sec < 2; sec++) {
            for (uint64_t o = 0; o < 0x200; o += 4)
                v.push_back(smmu_reg_read_sec(s, o, 4, sec));
            for (uint64_t o = 0x8000; o < 0x8200; o += 4) // S_ bank, S_GATOS, S_MPAM registers
                v.push_back(smmu_reg_read_sec(s, o, 4, sec));
            for (uint64_t o = 0x10000; o < 0x10100; o += 4)
                v.push_back(smmu_reg_read_sec(s, o, 4, sec));
        }
        for (unsigned g = 0; g < smmu_params(s)->pmcg_groups; g++)
            for (int sec = 0; sec < 2; sec++) // Secure reads see SCR (10.5.2.12)
                for (uint64_t o = 0; o < 0x2000; o += 4)
                    v.push_back(smmu_pmcg_reg_read_sec(s, g, o, 4, sec));
        return v;
    }
};

// ---- the blob, as docs/state.md lays it out
constexpr size_t HDR = 40; // magic 8, version 4, header bytes 4, total 8, digest 8, checksum 8
constexpr size_t OFF_VERSION = 8, OFF_TOTAL = 16, OFF_DIGEST = 24, OFF_SUM = 32;

inline uint64_t le(const std::vector<uint8_t> &b, size_t off, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)b[off + i] << (8 * i);
    return v;
}
inline void put_le(std::vector<uint8_t> &b, size_t off, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; i++)
        b[off + i] = (uint8_t)(v >> (8 * i));
}
// FNV-1a 64 over the body (docs/state.md "Checksum").
inline void reseal(std::vector<uint8_t> &b) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = HDR; i < b.size(); i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    put_le(b, OFF_SUM, h, 8);
}
// Offset of the payload of the section tagged t (4 ASCII characters), or 0.
inline size_t section(const std::vector<uint8_t> &b, const char *t) {
    size_t off = HDR;
    while (off + 8 <= b.size()) {
        const size_t len = le(b, off + 4, 4);
        if (std::memcmp(&b[off], t, 4) == 0) return off + 8;
        off += 8 + len;
    }
    return 0;
}
// The n-byte field at offset rel of section t's payload.
inline uint64_t field(const std::vector<uint8_t> &b, const char *t, size_t rel, unsigned n) {
    const size_t at = section(b, t);
    EXPECT_NE(at, 0u) << t;
    return le(b, at + rel, n);
}
// b with that field set to v, the checksum made valid again.
inline std::vector<uint8_t> patched(std::vector<uint8_t> b, const char *t, size_t rel, uint64_t v,
                                    unsigned n) {
    const size_t at = section(b, t);
    EXPECT_NE(at, 0u) << t;
    put_le(b, at + rel, v, n);
    reseal(b);
    return b;
}

} // namespace srig
