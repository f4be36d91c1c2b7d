// SPDX-License-Identifier: Apache-2.0 OR MIT
// Fixture for the Secure programming interface (spec 3.10): one SMMU whose host keeps two
// separate memories, the Non-secure and the Secure PA space, and records every access with its
// security, so that a test sees which space each table, queue and walk access went to. Both
// interfaces are programmed through raw register writes, with offsets and fields written here
// from the spec (6.2.1, 6.3.x).
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

#include <smmu/mem.h>
#include <smmu/smmu.h>

#include "tenc.h"
#include "tenc_cmd.h"

namespace sfx {

// 6.2.1: Non-secure page 0 / page 1 and the Secure bank.
constexpr uint64_t CR0 = 0x20, CR0ACK = 0x24, CR2 = 0x2C, GBPA = 0x44, STRTAB_BASE = 0x80,
                   STRTAB_BASE_CFG = 0x88, CMDQ_BASE = 0x90, CMDQ_PROD = 0x98, CMDQ_CONS = 0x9C,
                   EVENTQ_BASE = 0xA0, EVENTQ_PROD = 0x100A8, EVENTQ_CONS = 0x100AC;
constexpr uint64_t S_CR0 = 0x8020, S_CR0ACK = 0x8024, S_CR2 = 0x802C, S_GBPA = 0x8044,
                   S_IRQ_CTRL = 0x8050, S_GERROR = 0x8060, S_GERRORN = 0x8064,
                   S_STRTAB_BASE = 0x8080, S_STRTAB_BASE_CFG = 0x8088, S_CMDQ_BASE = 0x8090,
                   S_CMDQ_PROD = 0x8098, S_CMDQ_CONS = 0x809C, S_EVENTQ_BASE = 0x80A0,
                   S_EVENTQ_PROD = 0x80A8, S_EVENTQ_CONS = 0x80AC;
// (S_)CR0: SMMUEN [0], EVENTQEN [2], CMDQEN [3]; S_CR0.SIF [5] (6.3.9, 6.3.57)
constexpr uint32_t SMMUEN = 1u << 0, EVENTQEN = 1u << 2, CMDQEN = 1u << 3, SIF = 1u << 5;
// The same layout in both PA spaces: equal addresses, different memories.
constexpr uint64_t STRTAB = 0x10000000, CMDQ = 0x11000000, EVTQ = 0x12000000, CDTAB = 0x13000000,
                   TABLES = 0x20000000;
constexpr unsigned SID_BITS = 8, EVTQ_LOG2 = 6, CMDQ_LOG2 = 8;

struct Access {
    uint64_t pa;
    bool secure, write;
    smmu_mpam_t m; // the MPAM label of the access (17.4), from smmu_mem_mpam in the callback
};

struct SecureTest : ::testing::Test {
    smmu_mem_t *nsm = nullptr, *sm = nullptr;
    smmu_t *smmu = nullptr;
    smmu_params_t params{};
    std::vector<Access> log;
    int edges[8] = {};
    std::vector<smmu_inv_scope_t> scopes; // host->invalidate_scope notices, in order

    static SecureTest *of(void *c) {
        return static_cast<SecureTest *>(c);
    }
    smmu_mem_t *space(bool secure) {
        return secure ? sm : nsm;
    }
    static smmu_mpam_t label(void *c) {
        smmu_mpam_t m{};
        if (of(c)->smmu) smmu_mem_mpam(of(c)->smmu, &m);
        return m;
    }
    static int rd(void *c, uint64_t pa, void *buf, size_t len, bool secure) {
        of(c)->log.push_back({pa, secure, false, label(c)});
        return smmu_mem_read(of(c)->space(secure), pa, buf, len);
    }
    static int wr(void *c, uint64_t pa, const void *buf, size_t len, bool secure) {
        of(c)->log.push_back({pa, secure, true, label(c)});
        return smmu_mem_write(of(c)->space(secure), pa, buf, len);
    }
    static void irq(void *c, int line, bool level) {
        if (line >= 0 && line < 8 && level) of(c)->edges[line]++;
    }
    static void scope(void *c, const smmu_inv_scope_t *sc) {
        of(c)->scopes.push_back(*sc);
    }
    virtual void configure(smmu_params_t &) {}
    void SetUp() override {
        nsm = smmu_mem_new();
        sm = smmu_mem_new();
        smmu_params_init(&params);
        configure(params);
        smmu_host_t h{};
        h.ctx = this;
        h.mem_read = rd;
        h.mem_write = wr;
        h.irq = irq;
        h.invalidate_scope = scope;
        more_host(h);
        smmu = smmu_new(&params, &h);
        ASSERT_NE(smmu, nullptr);
    }
    // A derived fixture's further host callbacks.
    virtual void more_host(smmu_host_t &) {}
    void TearDown() override {
        smmu_free(smmu);
        smmu_mem_free(nsm);
        smmu_mem_free(sm);
    }

    // ---- registers: Non-secure (w/r) and Secure (ws/rs) accesses
    uint32_t r32(uint64_t off) {
        return (uint32_t)smmu_reg_read(smmu, off, 4);
    }
    void w32(uint64_t off, uint32_t v) {
        smmu_reg_write(smmu, off, v, 4);
    }
    void w64(uint64_t off, uint64_t v) {
        smmu_reg_write(smmu, off, v, 8);
    }
    uint32_t rs32(uint64_t off) {
        return (uint32_t)smmu_reg_read_sec(smmu, off, 4, true);
    }
    void ws32(uint64_t off, uint32_t v) {
        smmu_reg_write_sec(smmu, off, v, 4, true);
    }
    void ws64(uint64_t off, uint64_t v) {
        smmu_reg_write_sec(smmu, off, v, 8, true);
    }

    // Enables one interface (its Stream table, queues, then SMMUEN), the Secure one through the
    // SMMU_S_* bank (3.11 applies to both, 3.10.2.1).
    void enable(bool secure, uint32_t extra_cr0 = 0) {
        const uint64_t b = secure ? 0x8000 : 0;
        auto w = [&](uint64_t off, uint64_t v, unsigned size) {
            smmu_reg_write_sec(smmu, off, v, size, secure);
        };
        qprod[secure] = 0;
        w(b + 0x20, 0, 4);
        w(b + 0x80, STRTAB, 8);
        w(b + 0x88, SID_BITS, 4);
        w(b + 0x90, CMDQ | CMDQ_LOG2, 8);
        w(b + 0x98, 0, 4);
        w(b + 0x9C, 0, 4);
        w(b + 0xA0, EVTQ | EVTQ_LOG2, 8);
        w(secure ? S_EVENTQ_PROD : EVENTQ_PROD, 0, 4);
        w(secure ? S_EVENTQ_CONS : EVENTQ_CONS, 0, 4);
        w(b + 0x2C, 1u << 1, 4); // (S_)CR2.RECINVSID
        w(b + 0x20, EVENTQEN | CMDQEN | extra_cr0, 4);
        w(b + 0x20, EVENTQEN | CMDQEN | SMMUEN | extra_cr0, 4);
    }

    // ---- commands: each call writes cmds and a CMD_SYNC at one queue's PROD (in that queue's PA
    // space, 3.10.2) and publishes them; true when all were consumed without error (4.7.3).
    uint32_t qprod[2] = {0, 0};
    bool issue(bool secure, std::initializer_list<tenc::Cmd> cmds) {
        auto push = [&](const tenc::Cmd &c) {
            const uint32_t idx = qprod[secure] & ((1u << CMDQ_LOG2) - 1);
            put64(secure, CMDQ + 16ull * idx, c.dw[0]);
            put64(secure, CMDQ + 16ull * idx + 8, c.dw[1]);
            qprod[secure] = (qprod[secure] + 1) & ((2u << CMDQ_LOG2) - 1);
        };
        for (const tenc::Cmd &c : cmds)
            push(c);
        push(tenc::cmd_sync());
        smmu_reg_write_sec(smmu, secure ? S_CMDQ_PROD : CMDQ_PROD, qprod[secure], 4, secure);
        const uint32_t cons =
            (uint32_t)smmu_reg_read_sec(smmu, secure ? S_CMDQ_CONS : CMDQ_CONS, 4, secure);
        return cons == qprod[secure]; // CONS.ERR (bits [30:24]) clear, all consumed
    }

    // ---- memory of one PA space
    void put64(bool secure, uint64_t pa, uint64_t v) {
        smmu_mem_write64(space(secure), pa, v);
    }
    uint64_t get64(bool secure, uint64_t pa) {
        return smmu_mem_read64(space(secure), pa);
    }
    void put_words(bool secure, uint64_t pa, const uint64_t *dw, unsigned n) {
        for (unsigned i = 0; i < n; i++)
            put64(secure, pa + 8 * i, dw[i]);
    }
    void put_ste(bool secure, uint32_t sid, const uint64_t ste[8]) {
        put_words(secure, STRTAB + 64ull * sid, ste, 8);
    }

    smmu_result_t xlate(bool secure, uint32_t sid, uint64_t addr, bool write = false,
                        bool exec = false) {
        smmu_txn_t t{};
        t.addr = addr;
        t.sid = sid;
        t.len = 4;
        t.write = write;
        t.exec = exec;
        t.priv = true;
        t.secure = secure;
        smmu_result_t r{};
        smmu_translate(smmu, &t, &r);
        return r;
    }

    // Event records of one interface's queue between CONS and PROD, in its PA space (3.10.2:
    // the Secure Event queue is in Secure memory), consumed.
    std::vector<std::vector<uint64_t>> events(bool secure) {
        std::vector<std::vector<uint64_t>> out;
        uint64_t prod_off = secure ? S_EVENTQ_PROD : EVENTQ_PROD;
        uint64_t cons_off = secure ? S_EVENTQ_CONS : EVENTQ_CONS;
        uint32_t prod = (uint32_t)smmu_reg_read_sec(smmu, prod_off, 4, secure);
        uint32_t cons = (uint32_t)smmu_reg_read_sec(smmu, cons_off, 4, secure);
        uint32_t mask = (2u << EVTQ_LOG2) - 1;
        while ((prod & mask) != (cons & mask)) {
            uint32_t idx = cons & ((1u << EVTQ_LOG2) - 1);
            std::vector<uint64_t> rec(4);
            for (int i = 0; i < 4; i++)
                rec[i] = get64(secure, EVTQ + 32ull * idx + 8 * i);
            out.push_back(rec);
            cons = (cons & ~mask) | ((cons + 1) & mask);
        }
        smmu_reg_write_sec(smmu, cons_off, cons, 4, secure);
        return out;
    }
    // Accesses to [pa, pa + len) recorded since the log was cleared.
    std::vector<Access> accesses(uint64_t pa, uint64_t len) const {
        std::vector<Access> v;
        for (const Access &a : log)
            if (a.pa >= pa && a.pa < pa + len) v.push_back(a);
        return v;
    }
};

// Event record: type [7:0], StreamID [63:32] (7.3)
inline uint64_t evt_type(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 0, 8);
}
inline uint64_t evt_sid(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 32, 32);
}
// Event numbers (7.3): C_BAD_STE 0x04, F_PERMISSION 0x13, C_BAD_STREAMID 0x02
constexpr uint64_t C_BAD_STREAMID = 0x02, C_BAD_STE = 0x04, F_TRANSLATION = 0x10,
                   F_PERMISSION = 0x13;

} // namespace sfx
