// SPDX-License-Identifier: Apache-2.0 OR MIT
// Shared GoogleTest fixture: one SMMU on a sparse memory, programmed through raw register writes
// as a driver would (spec 3.11 initialization sequence), with helpers to place STEs/CDs written
// by the test encoders, translate, and read event records back from the queue in memory.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

#include "tenc.h"

namespace tfx {

// Memory layout used by the fixture (all well inside a 48-bit PA space).
constexpr uint64_t STRTAB = 0x10000000; // linear stream table (or L1 table)
constexpr uint64_t CMDQ = 0x11000000;
constexpr uint64_t EVTQ = 0x12000000;
constexpr uint64_t CDTAB = 0x13000000;  // context descriptors
constexpr uint64_t TABLES = 0x20000000; // page-table pool for tests

// An outcome reported through host->stall_done.
struct StallDone {
    uint32_t sid;
    uint16_t stag;
    int outcome;
};

// Calls of the device-side host callbacks.
struct DeviceCalls {
    int invalidated = 0;
    std::vector<smmu_inv_scope_t> scopes; // every invalidate_scope callback, in order
    void *user = nullptr;                 // a test's own context for callbacks it adds
    struct Atc {
        uint32_t sid, ssid;
        bool ssv;
        uint64_t addr;
        unsigned size;
        bool global;
    };
    std::vector<Atc> atc;
    int atc_result = 0; // what atc_inv returns
    struct Pri {
        uint32_t sid, ssid;
        bool ssv;
        uint16_t grpid;
        unsigned resp;
    };
    std::vector<Pri> pri;
    // host->mem_cas64 (only with SmmuTest::with_cas): calls, the result forced on them (0: the
    // memory's own answer; non-zero: an external abort, nothing stored), and a hook run before
    // each, in which "another agent" may change memory.
    int cas_calls = 0;
    int cas_abort = 0;
    std::function<void(uint64_t pa)> before_cas;
    // Called on every host mem_read / mem_write (before the access), e.g. to ask the core for
    // the MPAM label of the access (smmu_mem_mpam).
    std::function<void(uint64_t pa, size_t len, bool write)> on_mem;
    // Driver sanitizer reports (host->dsan_report, params.dsan), in order.
    std::vector<smmu_dsan_report_t> dsan;
};

// Wired lines: 0-3 Non-secure (smmu_irq_t), 4-6 Secure (SMMU_IRQ_S_*), then the PMCG groups'
// lines (SMMU_IRQ_PMCG(g)).
struct Irq {
    static constexpr int LINES = 32;
    bool level[LINES] = {};
    int edges[LINES] = {};
};

class SmmuTest : public ::testing::Test {
  protected:
    smmu_mem_t *mem = nullptr;
    smmu_t *smmu = nullptr;
    smmu_params_t params{};
    Irq irq;
    unsigned evtq_log2 = 6;
    unsigned sid_bits = 8; // linear stream table of 2^sid_bits STEs
    uint32_t cr2 = 0;      // SMMU_CR2 written by enable() (it is Guarded by SMMUEN, 6.3.12)
    uint64_t next_table = TABLES;
    bool with_cas = false; // create() gives the host an atomic compare-and-swap (HTTU, 3.13)

    static void on_irq(Irq *i, int line, bool level) {
        if (line >= 0 && line < Irq::LINES) {
            if (level && !i->level[line]) i->edges[line]++;
            i->level[line] = level;
        }
    }
    // The host callbacks' context: the memory and the interrupt recorder.
    struct Ctx {
        smmu_mem_t *mem;
        Irq *irq;
        std::vector<StallDone> *stall_done;
        DeviceCalls *dev;
    } ctx{};
    DeviceCalls dev;
    std::vector<StallDone> stall_done; // every stall_done callback, in order
    static int rd(void *c, uint64_t pa, void *buf, size_t len, bool) {
        Ctx *x = static_cast<Ctx *>(c);
        if (x->dev->on_mem) x->dev->on_mem(pa, len, false);
        return smmu_mem_read(x->mem, pa, buf, len);
    }
    static int wr(void *c, uint64_t pa, const void *buf, size_t len, bool) {
        Ctx *x = static_cast<Ctx *>(c);
        if (x->dev->on_mem) x->dev->on_mem(pa, len, true);
        return smmu_mem_write(x->mem, pa, buf, len);
    }
    static int cas_cb(void *c, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *observed,
                      bool) {
        Ctx *x = static_cast<Ctx *>(c);
        x->dev->cas_calls++;
        if (x->dev->before_cas) x->dev->before_cas(pa);
        if (x->dev->cas_abort) return x->dev->cas_abort;
        return smmu_mem_cas64(x->mem, pa, expected, desired, observed);
    }
    static void irq_cb(void *c, int line, bool level) {
        on_irq(static_cast<Ctx *>(c)->irq, line, level);
    }
    static void stall_cb(void *c, uint32_t sid, uint16_t stag, int outcome) {
        static_cast<Ctx *>(c)->stall_done->push_back({sid, stag, outcome});
    }
    static void invalidated_cb(void *c) {
        static_cast<Ctx *>(c)->dev->invalidated++;
    }
    static void dsan_cb(void *c, const smmu_dsan_report_t *r) {
        static_cast<Ctx *>(c)->dev->dsan.push_back(*r);
    }
    static void scope_cb(void *c, const smmu_inv_scope_t *sc) {
        static_cast<Ctx *>(c)->dev->scopes.push_back(*sc);
    }
    static int atc_cb(void *c, uint32_t sid, uint32_t ssid, bool ssv, uint64_t addr, unsigned size,
                      bool global) {
        DeviceCalls *d = static_cast<Ctx *>(c)->dev;
        d->atc.push_back({sid, ssid, ssv, addr, size, global});
        return d->atc_result;
    }
    static void pri_cb(void *c, uint32_t sid, uint32_t ssid, bool ssv, uint16_t grpid,
                       unsigned resp) {
        static_cast<Ctx *>(c)->dev->pri.push_back({sid, ssid, ssv, grpid, resp});
    }

    // Override to change params before the SMMU is created.
    virtual void configure(smmu_params_t &) {}

    void SetUp() override {
        mem = smmu_mem_new();
        ASSERT_NE(mem, nullptr);
        smmu_params_init(&params);
        configure(params);
        create();
    }
    void TearDown() override {
        smmu_free(smmu);
        smmu_mem_free(mem);
    }
    // (Re)creates the SMMU with the current params.
    void create() {
        ctx.mem = mem;
        ctx.irq = &irq;
        ctx.stall_done = &stall_done;
        ctx.dev = &dev;
        smmu_host_t host{};
        host.ctx = &ctx;
        host.mem_read = rd;
        host.mem_write = wr;
        host.irq = irq_cb;
        host.stall_done = stall_cb;
        host.invalidated = invalidated_cb;
        host.invalidate_scope = scope_cb;
        host.atc_inv = atc_cb;
        host.pri_resp = pri_cb;
        if (with_cas) host.mem_cas64 = cas_cb;
        host.dsan_report = dsan_cb;
        smmu_mem_set_write_observer(mem, nullptr, nullptr);
        smmu_free(smmu);
        smmu = smmu_new(&params, &host);
        ASSERT_NE(smmu, nullptr);
        // the platform notifies the sanitizer of software's writes (the tests' put64)
        if (params.dsan.on && params.dsan.writes_notified)
            smmu_mem_set_write_observer(mem, smmu_dsan_write_observer, smmu);
    }

    // ---- registers
    uint32_t r32(uint64_t off) {
        return (uint32_t)smmu_reg_read(smmu, off, 4);
    }
    uint64_t r64(uint64_t off) {
        return smmu_reg_read(smmu, off, 8);
    }
    void w32(uint64_t off, uint32_t v) {
        smmu_reg_write(smmu, off, v, 4);
    }
    void w64(uint64_t off, uint64_t v) {
        smmu_reg_write(smmu, off, v, 8);
    }

    // Sets CR0 and checks CR0ACK follows (spec 6.3.9, 6.3.10).
    void set_cr0(uint32_t v) {
        w32(SMMU_CR0, v);
        ASSERT_EQ(r32(SMMU_CR0ACK), v);
    }
    // Linear stream table at STRTAB (STRTAB_BASE_CFG.FMT = 0, LOG2SIZE = sid_bits, spec 6.3.25),
    // event queue of 2^evtq_log2 records, command queue of 2^8; then SMMUEN + EVENTQEN + CMDQEN.
    void enable(bool eventq = true) {
        set_cr0(0); // the bases and CR2 are Guarded by the enables
        w64(SMMU_STRTAB_BASE, STRTAB);
        w32(SMMU_STRTAB_BASE_CFG, sid_bits);
        w64(SMMU_CMDQ_BASE, CMDQ | 8);
        w32(SMMU_CMDQ_PROD, 0);
        w32(SMMU_CMDQ_CONS, 0);
        w64(SMMU_EVENTQ_BASE, EVTQ | evtq_log2);
        w32(SMMU_EVENTQ_PROD, 0);
        w32(SMMU_EVENTQ_CONS, 0);
        w32(SMMU_CR2, cr2);
        uint32_t cr0 = SMMU_CR0_CMDQEN | (eventq ? SMMU_CR0_EVENTQEN : 0u);
        set_cr0(cr0);
        set_cr0(cr0 | SMMU_CR0_SMMUEN);
    }

    // ---- memory
    void put64(uint64_t pa, uint64_t v) {
        smmu_mem_write64(mem, pa, v);
    }
    uint64_t get64(uint64_t pa) {
        return smmu_mem_read64(mem, pa);
    }
    void put_words(uint64_t pa, const uint64_t *dw, unsigned n) {
        for (unsigned i = 0; i < n; i++)
            put64(pa + 8 * i, dw[i]);
    }
    void put_ste(uint32_t sid, const uint64_t ste[8]) {
        put_words(STRTAB + 64ull * sid, ste, 8);
    }
    // A fresh zeroed, aligned region from the test table pool.
    uint64_t alloc(uint64_t size, uint64_t align = 0x1000) {
        next_table = (next_table + align - 1) & ~(align - 1);
        uint64_t pa = next_table;
        next_table += size;
        return pa;
    }

    // ---- translation
    static smmu_txn_t txn_of(uint32_t sid, uint64_t addr, bool write = false, bool priv = false,
                             bool exec = false, bool ssv = false, uint32_t ssid = 0) {
        smmu_txn_t t{};
        t.addr = addr;
        t.sid = sid;
        t.ssid = ssid;
        t.ssv = ssv;
        t.len = 4;
        t.write = write;
        t.priv = priv;
        t.exec = exec;
        return t;
    }
    smmu_result_t xlate(uint32_t sid, uint64_t addr, bool write = false, bool priv = false,
                        bool exec = false, bool ssv = false, uint32_t ssid = 0) {
        smmu_txn_t t = txn_of(sid, addr, write, priv, exec, ssv, ssid);
        smmu_result_t r{};
        smmu_translate(smmu, &t, &r);
        return r;
    }

    // ---- event queue: records between CONS and PROD, consumed (CONS advanced).
    std::vector<std::vector<uint64_t>> events() {
        std::vector<std::vector<uint64_t>> out;
        uint32_t prod = r32(SMMU_EVENTQ_PROD), cons = r32(SMMU_EVENTQ_CONS);
        uint32_t mask = (2u << evtq_log2) - 1; // index + wrap bit
        while ((prod & mask) != (cons & mask)) {
            uint32_t idx = cons & ((1u << evtq_log2) - 1);
            std::vector<uint64_t> rec(4);
            for (int i = 0; i < 4; i++)
                rec[i] = get64(EVTQ + 32ull * idx + 8 * i);
            out.push_back(rec);
            cons = (cons & ~mask) | ((cons + 1) & mask);
        }
        w32(SMMU_EVENTQ_CONS, cons);
        return out;
    }
};

// Event record fields as the spec numbers them (7.3; positions as in <smmu/arch.h> but written
// independently): bits are absolute within the 256-bit record.
inline uint64_t evt_type(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 0, 8);
}
inline uint64_t evt_sid(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 32, 32);
}
inline uint64_t evt_ssv(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 11, 1);
}
inline uint64_t evt_ssid(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 12, 20);
}
inline uint64_t evt_stag(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 64, 16);
}
inline uint64_t evt_stall(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 95, 1);
}
inline uint64_t evt_pnu(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 97, 1);
}
inline uint64_t evt_ind(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 98, 1);
}
inline uint64_t evt_rnw(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 99, 1);
}
inline uint64_t evt_s2(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 103, 1);
}
inline uint64_t evt_class(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 104, 2);
}
inline uint64_t evt_ttrnw(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 108, 1);
}
inline uint64_t evt_addr(const std::vector<uint64_t> &r) {
    return r[2];
}
inline uint64_t evt_ipa(const std::vector<uint64_t> &r) {
    return r[3] & 0x00FFFFFFFFFFF000ull;
}
inline uint64_t evt_fetch(const std::vector<uint64_t> &r) {
    return r[3] & 0x00FFFFFFFFFFFFF8ull;
}

} // namespace tfx
