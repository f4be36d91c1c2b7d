/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Fuzz target 2 (issue 6): translations against fully attacker-chosen memory. Every byte the
 * SMMU reads (L1STD, STE, L1CD, CD, every descriptor, at any address, through stage 2 or not)
 * comes from the input, repeated over the address space; registers are programmed from the first
 * input bytes. Whatever the structures say, the core must give an architectural answer: no crash,
 * no UB, no hang, and a successful translation only with a sane result.
 * The memory is a writable copy of the input, so hardware updates of descriptors (HTTU: AF and
 * dirty state, spec 3.13) land and later walks see them; the input also picks the implemented
 * features (IDR0.HTTU incl. HAFT, IDR3.BBML/FWB/E0PD/XNX, IDR0.BTM, IDR5.VAX/DS/OAS, the version),
 * makes updates abort or race with
 * another agent's store, and interleaves broadcast TLB invalidations (smmu_dvm_tlbi, 3.17).
 * Structured mode (bit 1 of the second-to-last byte): random bytes rarely form an STE, a CD and
 * tables that reach a leaf, so the target builds them (a stream table of 16 STEs, a CD, stage-1
 * tables whose every entry is the same, a stage-2 table of 1 GB blocks) in six pages of its own
 * and takes from the input what decides HTTU and the other newer fields: Config (stage 1, 2 or
 * nested), CD.HA/HD/HAFT/AFFD/E0PD0/E0PD1, STE.S2HA/S2HD/S2HAFT/S2AFFD/S2FWB/S2PTW/CONT, the
 * table descriptors' Access flag and the leaf and block attribute bits (AF, AP/S2AP, DBM,
 * Contiguous, nT, XN[1:0], MemAttr). The bit positions are written here from
 * the spec (5.2 STE, 5.4 CD, Arm ARM D8.3 descriptors). */
#include <smmu/amba.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_reuse.h"

/* The structured mode's pages: stream table, CD, stage-1 level 1/2/3 tables, stage-2 level 1. */
enum {
    SP_BASE = 0x10,
    SP_N = 6,
    SP_STRTAB = 0,
    SP_CD = 1,
    SP_S1L1 = 2,
    SP_S1L2 = 3,
    SP_S1L3 = 4,
    SP_S2L1 = 5
};
#define SP_PA(i) ((uint64_t)(SP_BASE + (i)) << 12)

typedef struct mem {
    uint8_t (*pages)[4096]; /* structured mode: SP_N pages at SP_PA(0); NULL otherwise */
    uint8_t *data;          /* a copy of the input: HTTU stores land here */
    size_t len;
    uint64_t abort_page; /* one page (input-chosen) aborts */
    bool cas_abort;      /* every descriptor update aborts (F_WALK_EABT, 7.3.12) */
    uint8_t race;        /* the next update races with another agent's store of this many bits */
} mem_t;

/* The byte at pa: a structured page, else the input repeated over the address space. */
static uint8_t *byte_at(const mem_t *m, uint64_t pa) {
    uint64_t pg = pa >> 12;
    if (m->pages && pg >= SP_BASE && pg < SP_BASE + SP_N) return &m->pages[pg - SP_BASE][pa & 4095];
    return &m->data[pa % m->len];
}

static int rd(void *ctx, uint64_t pa, void *buf, size_t len, bool secure) {
    (void)secure;
    mem_t *m = ctx;
    if ((pa >> 12) == m->abort_page) return -1;
    uint8_t *out = buf;
    for (size_t i = 0; i < len; i++)
        out[i] = *byte_at(m, pa + i);
    return 0;
}

static int wr(void *ctx, uint64_t pa, const void *buf, size_t len, bool secure) {
    (void)ctx, (void)pa, (void)buf, (void)len, (void)secure;
    return 0; /* event records and MSIs go nowhere */
}

static uint64_t word_at(const mem_t *m, uint64_t pa) {
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)*byte_at(m, pa + i) << (8 * i);
    return v;
}

static void word_put(mem_t *m, uint64_t pa, uint64_t v) {
    for (unsigned i = 0; i < 8; i++)
        *byte_at(m, pa + i) = (uint8_t)(v >> (8 * i));
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

static void put64(uint8_t *page, unsigned idx, uint64_t v) {
    for (unsigned i = 0; i < 8; i++)
        page[8 * idx + i] = (uint8_t)(v >> (8 * i));
}

/* Attribute bits of a leaf the input may set: [11:2] (AttrIndx / MemAttr, NS, AP / S2AP, SH, AF,
   nG), [16] (nT of a Block), [54:51] (DBM, Contiguous, PXN / XN[0], UXN / XN[1]) (Arm ARM D8.3). */
#define LEAF_ATTRS ((0x3FFull << 2) | (1ull << 16) | (0xFull << 51))

/* Structured mode: 39-bit VA and IPA, 4 KB granule, start level 1 at both stages. */
static void build(mem_t *m, fz_t *f) {
    uint8_t a = fz_u8(f), b = fz_u8(f);
    uint64_t s1leaf = fz_u64(f), s2blk = fz_u64(f), tbl = fz_u8(f);
    static const uint64_t config[3] = {0x5, 0x6, 0x7}; /* S1, S2, nested (5.2 Config) */
    /* STE (5.2): V, Config [3:1], S1ContextPtr [55:6]; S2FWB 89; S2VMID 1, S2T0SZ 25, S2SL0 1,
       S2TG 4 KB, S2PS 48 bits, S2AA64 179, S2AFFD 181, S2PTW 182, S2HD 183, S2HA 184; S2TTB. */
    /* Also CONT [80:77] (0..3 here) and S2HAFT 187 (5.2). */
    uint64_t ste[4] = {1 | config[a % 3] << 1 | SP_PA(SP_CD),
                       (uint64_t)((b >> 0) & 1) << 25 | (uint64_t)((b >> 6) & 3) << 13,
                       1 | 25ull << 32 | 1ull << 38 | 5ull << 48 | 1ull << 51 |
                           (uint64_t)((b >> 1) & 15) << 53 | (uint64_t)((b >> 5) & 1) << 59,
                       SP_PA(SP_S2L1)};
    for (unsigned sid = 0; sid < 16; sid++)
        for (unsigned w = 0; w < 4; w++)
            put64(m->pages[SP_STRTAB], 8 * sid + w, ste[w]);
    /* CD (5.4): T0SZ 25, TG0 4 KB, EPD1, V, IPS 48 bits, AFFD 35, AA64, HD 42, HA 43, R, A,
       ASID 1; TTB0, E0PD0 (66) and HAFT (67); E0PD1 (130); MAIR: 0xFF, 0x04, 0x44. */
    put64(m->pages[SP_CD], 0,
          25 | 1ull << 30 | 1ull << 31 | 5ull << 32 | (uint64_t)((a >> 2) & 1) << 35 | 1ull << 41 |
              (uint64_t)((a >> 3) & 3) << 42 | 3ull << 45 | 1ull << 48);
    put64(m->pages[SP_CD], 1,
          SP_PA(SP_S1L1) | (uint64_t)((a >> 5) & 1) << 2 |
              (uint64_t)((a >> 7) & 1) << 3); /* HAFT 67 */
    put64(m->pages[SP_CD], 2, (uint64_t)((a >> 6) & 1) << 2);
    put64(m->pages[SP_CD], 3, 0x4404FFull);
    /* Stage 1: every level-1 entry a table (APTable / XNTable [63:59] from the input), every
       level-2 entry a table or a 2 MB block, every level-3 entry a page; output below 2^39. */
    const uint64_t oa = s1leaf & 0x7FFFFFF000ull, attrs = s1leaf & LEAF_ATTRS;
    const bool block = a & 0x80;
    for (unsigned i = 0; i < 512; i++) {
        /* bit 10 of a table descriptor: its Access flag with HAFT (Arm ARM D8.3.1) */
        put64(m->pages[SP_S1L1], i, SP_PA(SP_S1L2) | 3 | (tbl & 0xF8) << 56 | (tbl & 1) << 10);
        put64(m->pages[SP_S1L2], i,
              block ? (oa & ~0x1FFFFFull) | attrs | 1 : SP_PA(SP_S1L3) | 3 | (tbl & 2) << 9);
        put64(m->pages[SP_S1L3], i, oa | attrs | 3);
        /* Stage 2: 1 GB blocks mapping each IPA to itself, attributes from the input. */
        put64(m->pages[SP_S2L1], i, (uint64_t)i << 30 | (s2blk & LEAF_ATTRS) | 1);
    }
}

/* Implemented features from two input bytes (b, and bits [7:2] of c); all bits 0: the defaults
   (everything implemented, SMMUv3.3). */
static void features(smmu_params_t *p, uint8_t b, uint8_t c) {
    p->httu = (uint8_t)(3 - (b & 3)); /* 0b11 HAFT .. 0b00 */
    p->vax = !(c & 0x04);
    p->lpa2 = !(c & 0x08);
    p->arch_minor = (uint8_t)(3 - ((c >> 4) & 3)); /* SMMUv3.3 .. v3.0 (version.c masks) */
    if (c & 0x40) p->oas_bits = 48;
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

/* Trace points (bit 6 of byte 0): every kind goes here (ctx: the host's, the relay); the kind
   must have a name and its line of text must fit what smmu_tp_format says, terminated. */
static void tp_sink(void *ctx, const smmu_tp_t *tp) {
    fz_mix64(&((fz_relay_t *)ctx)->dig, tp->kind);
    if (!smmu_tp_name(tp->kind)) abort();
    char line[256];
    const int n = smmu_tp_format(tp, line, sizeof(line));
    if (n < 0) abort();
    /* snprintf semantics: the whole line, or the first sizeof(line) - 1 bytes of it */
    const size_t want = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
    if (strlen(line) != want) abort();
}

static void check(const smmu_result_t *r) {
    if (r->status == SMMU_OK && (r->span == 0 || (r->span & (r->span - 1)) != 0)) abort();
    if (r->status != SMMU_OK && r->status != SMMU_FAULT && r->status != SMMU_STALLED) abort();
}

/* One input on a pooled instance (reset) or a new one (fresh); returns the digest of what it did
   (fuzz_reuse.h). */
static uint64_t run(const uint8_t *data, size_t size, bool fresh) {
    if (size < 48) return 0;
    fz_t f = {data, size, 0};
    smmu_params_t p;
    memset(&p, 0, sizeof(p)); /* pool key: padding too */
    smmu_params_init(&p);
    const uint8_t b0 = fz_u8(&f);
    p.stall_model = (b0 & 0x3F) % 3;
    /* the last two bytes (also read as memory and transactions): features, aborting updates */
    features(&p, data[size - 1], data[size - 2]);
    const bool structured = data[size - 2] & 2;
    mem_t m = {structured ? calloc(SP_N, 4096) : NULL,
               malloc(size),
               size,
               0,
               (data[size - 2] & 1) != 0,
               0};
    if (!m.data || (structured && !m.pages)) {
        free(m.pages);
        free(m.data);
        return 0;
    }
    memcpy(m.data, data, size);
    smmu_host_t h = {.ctx = &m, .mem_read = rd, .mem_write = wr, .mem_cas64 = cas};
    fz_relay_t *rl;
    smmu_t *s = fz_get(&p, &h, fresh, &rl);
    if (!s) {
        free(m.pages);
        free(m.data);
        return 0;
    }
    if (structured) {
        build(&m, &f);
        smmu_reg_write(s, SMMU_STRTAB_BASE, SP_PA(SP_STRTAB), 8);
        smmu_reg_write(s, SMMU_STRTAB_BASE_CFG, 4, 4); /* linear, LOG2SIZE 4 (6.3.24) */
    } else {
        smmu_reg_write(s, SMMU_STRTAB_BASE, fz_u64(&f), 8);
        smmu_reg_write(s, SMMU_STRTAB_BASE_CFG, fz_u32(&f), 4);
    }
    smmu_reg_write(s, SMMU_CR2, fz_u32(&f), 4);
    smmu_reg_write(s, SMMU_EVENTQ_BASE, fz_u64(&f), 8);
    smmu_reg_write(s, SMMU_CR0, SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN | (fz_u8(&f) & 0x10), 4);
    m.abort_page = fz_u32(&f);
    /* byte 0 bit 6: trace points on (set or cleared every input: the instance is reused);
       bit 7: the transactions also go through smmu_translate_batch at the end */
    smmu_set_trace(s, b0 & 0x40 ? tp_sink : NULL, b0 & 0x40 ? ~0u : 0);
    smmu_txn_t batch[8];
    size_t nb = 0;
    for (int i = 0; i < 8 && !fz_done(&f); i++) {
        uint8_t fl = fz_u8(&f);
        uint64_t addr = fz_u64(&f);
        uint32_t sid = fz_u32(&f) & 0xFFFFF, ssid = fz_u32(&f);
        uint8_t lb = fz_u8(&f);
        if (lb & 0x40) dvm(s, &f, addr);
        if (lb & 0x80) m.race = (uint8_t)(1 + (addr >> 56) % 63);
        if (structured) {
            addr &= 0x7FFFFFFFFFull; /* inside the 39-bit VA / IPA range */
            sid &= 15;
        }
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
        fz_mix_result(&rl->dig, &r);
        if (r.status == SMMU_OK) { /* the AXI attributes of the output, and back (amba.h) */
            uint8_t ac, ad, at, sh;
            smmu_amba_out(r.attr, r.sh, t.write, &ac, &ad);
            smmu_amba_in(ac, ad, &at, &sh);
        }
        smmu_translate_dbg(s, &t, &r);
        check(&r);
        fz_mix_result(&rl->dig, &r);
        batch[nb++] = t;
    }
    if (b0 & 0x80) {
        smmu_result_t rb[8];
        smmu_translate_batch(s, batch, rb, nb);
        for (size_t i = 0; i < nb; i++) {
            check(&rb[i]);
            fz_mix_result(&rl->dig, &rb[i]);
        }
    }
    smmu_set_trace(s, NULL, 0);
    fz_mix_state(&rl->dig, s);
    const uint64_t dig = rl->dig;
    fz_put(s, fresh);
    free(m.pages);
    free(m.data);
    return dig;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_run_checked(run, data, size);
    return 0;
}
