/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Fuzz target 2 (issue 6): translations against fully attacker-chosen memory. Every byte the
 * SMMU reads (L1STD, STE, L1CD, CD, every descriptor, at any address, through stage 2 or not)
 * comes from the input, repeated over the address space; registers are programmed from the first
 * input bytes. Whatever the structures say, the core must give an architectural answer: no crash,
 * no UB, no hang, and a successful translation only with a sane result.
 * The memory is a writable copy of the input, so hardware updates of descriptors (HTTU: AF and
 * dirty state, spec 3.13) land and later walks see them; the input also picks the implemented
 * features (IDR0.HTTU, IDR3.BBML/FWB/E0PD/XNX, IDR0.BTM), makes updates abort or race with
 * another agent's store, and interleaves broadcast TLB invalidations (smmu_dvm_tlbi, 3.17). */
#include <smmu/regs.h>
#include <smmu/smmu.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

typedef struct mem {
    uint8_t *data; /* a copy of the input: HTTU stores land here */
    size_t len;
    uint64_t abort_page; /* one page (input-chosen) aborts */
    bool cas_abort;      /* every descriptor update aborts (F_WALK_EABT, 7.3.12) */
    uint8_t race;        /* the next update races with another agent's store of this many bits */
} mem_t;

static int rd(void *ctx, uint64_t pa, void *buf, size_t len, bool secure) {
    (void)secure;
    mem_t *m = ctx;
    if ((pa >> 12) == m->abort_page) return -1;
    uint8_t *out = buf;
    for (size_t i = 0; i < len; i++)
        out[i] = m->data[(pa + i) % m->len];
    return 0;
}

static int wr(void *ctx, uint64_t pa, const void *buf, size_t len, bool secure) {
    (void)ctx, (void)pa, (void)buf, (void)len, (void)secure;
    return 0; /* event records and MSIs go nowhere */
}

static uint64_t word_at(const mem_t *m, uint64_t pa) {
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)m->data[(pa + i) % m->len] << (8 * i);
    return v;
}

static void word_put(mem_t *m, uint64_t pa, uint64_t v) {
    for (unsigned i = 0; i < 8; i++)
        m->data[(pa + i) % m->len] = (uint8_t)(v >> (8 * i));
}

/* The atomic update of the host contract (smmu_host_t::mem_cas64), little-endian. A race first
   stores a changed word, as another agent would between the walk's read and the update. */
static int cas(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *observed,
               bool secure) {
    (void)secure;
    mem_t *m = ctx;
    if (m->cas_abort || (pa >> 12) == m->abort_page) return -1;
    if (m->race) {
        word_put(m, pa, word_at(m, pa) ^ (1ull << (m->race & 63)));
        m->race = 0;
    }
    *observed = word_at(m, pa);
    if (*observed == expected) word_put(m, pa, desired);
    return 0;
}

/* Implemented features from one input byte; all bits 0: the defaults (everything implemented). */
static void features(smmu_params_t *p, uint8_t b) {
    p->httu = (uint8_t)(2 - (b & 3) % 3);
    p->bbml = (uint8_t)(2 - ((b >> 2) & 3) % 3);
    p->fwb = !(b & 0x10);
    p->e0pd = !(b & 0x20);
    p->xnx = !(b & 0x40);
    p->btm = !(b & 0x80);
}

/* A broadcast TLB invalidation of any form with input-chosen arguments (3.17). */
static void dvm(smmu_t *s, fz_t *f, uint64_t addr) {
    uint8_t a = fz_u8(f), b = fz_u8(f);
    smmu_dvm_tlbi_t op = {.op = (a & 15) % 12, /* 11 forms and one undefined */
                          .e2h = a & 16,
                          .leaf = a & 32,
                          .range = a & 64,
                          .secure = a & 128,
                          .asid = fz_u8(f),
                          .vmid = b & 3,
                          .addr = addr,
                          .tg = (b >> 2) & 3,
                          .ttl = (b >> 4) & 3,
                          .num = fz_u8(f) & 31,
                          .scale = (b >> 6) & 3};
    (void)smmu_dvm_tlbi(s, &op);
}

static void check(const smmu_result_t *r) {
    if (r->status == SMMU_OK && (r->span == 0 || (r->span & (r->span - 1)) != 0)) abort();
    if (r->status != SMMU_OK && r->status != SMMU_FAULT && r->status != SMMU_STALLED) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 48) return 0;
    fz_t f = {data, size, 0};
    smmu_params_t p;
    smmu_params_init(&p);
    p.stall_model = fz_u8(&f) % 3;
    /* the last two bytes (also read as memory and transactions): features, aborting updates */
    features(&p, data[size - 1]);
    mem_t m = {malloc(size), size, 0, (data[size - 2] & 1) != 0, 0};
    if (!m.data) return 0;
    memcpy(m.data, data, size);
    smmu_host_t h = {.ctx = &m, .mem_read = rd, .mem_write = wr, .mem_cas64 = cas};
    smmu_t *s = smmu_new(&p, &h);
    if (!s) {
        free(m.data);
        return 0;
    }
    smmu_reg_write(s, SMMU_STRTAB_BASE, fz_u64(&f), 8);
    smmu_reg_write(s, SMMU_STRTAB_BASE_CFG, fz_u32(&f), 4);
    smmu_reg_write(s, SMMU_CR2, fz_u32(&f), 4);
    smmu_reg_write(s, SMMU_EVENTQ_BASE, fz_u64(&f), 8);
    smmu_reg_write(s, SMMU_CR0, SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN | (fz_u8(&f) & 0x10), 4);
    m.abort_page = fz_u32(&f);
    for (int i = 0; i < 8 && !fz_done(&f); i++) {
        uint8_t fl = fz_u8(&f);
        uint64_t addr = fz_u64(&f);
        uint32_t sid = fz_u32(&f) & 0xFFFFF, ssid = fz_u32(&f);
        uint8_t lb = fz_u8(&f);
        if (lb & 0x40) dvm(s, &f, addr);
        if (lb & 0x80) m.race = (uint8_t)(1 + (addr >> 56) % 63);
        smmu_txn_t t = {.addr = addr,
                        .sid = sid,
                        .ssid = ssid,
                        .len = 1u + (lb & 63),
                        .ssv = fl & 1,
                        .write = fl & 2,
                        .exec = fl & 4,
                        .priv = fl & 8,
                        .ats = (fl >> 4) % 3};
        smmu_result_t r;
        smmu_translate(s, &t, &r);
        check(&r);
        smmu_translate_dbg(s, &t, &r);
        check(&r);
    }
    smmu_free(s);
    free(m.data);
    return 0;
}
