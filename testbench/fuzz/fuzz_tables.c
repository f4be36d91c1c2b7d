/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Fuzz target 2 (issue 6): translations against fully attacker-chosen memory. Every byte the
 * SMMU reads (L1STD, STE, L1CD, CD, every descriptor, at any address, through stage 2 or not)
 * comes from the input, repeated over the address space; registers are programmed from the first
 * input bytes. Whatever the structures say, the core must give an architectural answer: no crash,
 * no UB, no hang, and a successful translation only with a sane result. */
#include <smmu/regs.h>
#include <smmu/smmu.h>
#include <stdlib.h>

#include "fuzz_common.h"

typedef struct mem {
    const uint8_t *data;
    size_t len;
    uint64_t abort_page; /* one page (input-chosen) aborts */
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
    mem_t m = {data, size, 0};
    smmu_host_t h = {.ctx = &m, .mem_read = rd, .mem_write = wr};
    smmu_t *s = smmu_new(&p, &h);
    if (!s) return 0;
    smmu_reg_write(s, SMMU_STRTAB_BASE, fz_u64(&f), 8);
    smmu_reg_write(s, SMMU_STRTAB_BASE_CFG, fz_u32(&f), 4);
    smmu_reg_write(s, SMMU_CR2, fz_u32(&f), 4);
    smmu_reg_write(s, SMMU_EVENTQ_BASE, fz_u64(&f), 8);
    smmu_reg_write(s, SMMU_CR0, SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN | (fz_u8(&f) & 0x10), 4);
    m.abort_page = fz_u32(&f);
    for (int i = 0; i < 8 && !fz_done(&f); i++) {
        uint8_t fl = fz_u8(&f);
        smmu_txn_t t = {.addr = fz_u64(&f),
                        .sid = fz_u32(&f) & 0xFFFFF,
                        .ssid = fz_u32(&f),
                        .len = 1u + (fz_u8(&f) & 63),
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
    return 0;
}
