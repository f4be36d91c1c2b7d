/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The driver sanitizer (<smmu/dsan.h>, params.dsan; issue 22). It watches software, never the
 * SMMU: every check reads what software gave the SMMU (a command, a register write, a table
 * entry) and reports a broken software rule of the architecture as one line naming the spec
 * section and the addresses involved. What the SMMU does is unchanged by it.
 *
 * Table-write tracking (3.21.1, 3.21.3). The SMMU may keep any structure or descriptor it fetched
 * until an invalidation covering it completes (a CMD_SYNC after the CFGI_* / TLBI_*, or a
 * broadcast TLBI). So every fetched STE, L1STD, CD, L1CD and valid translation table descriptor
 * becomes a tracked item holding two copies: what was fetched (what the SMMU may hold) and
 * memory as software has since written it (smmu_dsan_write, the platform's notice). An item
 * leaves when a covering invalidation completes; a later fetch tracks it anew. Software's writes
 * to a tracked item are checked:
 *   - a valid descriptor whose fetched copy is valid and differs in output address, memory type,
 *     shareability, nG or (BBML 0) block size, without the break (invalid + TLBI + SYNC) first:
 *     3.21.1.1 (BBML 1: a size change is permitted with nT == 1 on the Block descriptor,
 *     3.21.1.2; BBML 2: any size change, 3.21.1.3; the Contiguous bit may change from BBML 1);
 *   - a structure changed and not covered by a CFGI before a CMD_SYNC completes becomes stale;
 *     a transaction that then uses its StreamID (SubstreamID) is reported (3.21.3.1: the change
 *     was relied on without the invalidation).
 * Items live in a fixed table of params.dsan.track_entries slots (4-way sets keyed by the PA of
 * the entry), allocated by smmu_new: no allocation later. A full set leaves the entry untracked
 * and reports once that the checks are degraded. */
#include "dsan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smmu/arch.h>

#include "lock.h"
#include "queue.h"
#include "regfile.h"
#include "tlb.h"

enum { WAYS = 4, DEFAULT_ENTRIES = 4096 };
enum { F_DIRTY = 1, F_INVPEND = 2, F_INVPEND_S = 4, F_STALE = 8, F_REPORTED = 16 };

typedef struct item {
    uint64_t key;    /* (pa >> 3) << 1 | secure */
    uint64_t old[8]; /* as fetched: what the SMMU may hold */
    uint64_t cur[8]; /* memory as software has written it since */
    uint64_t ia_lo, ia_hi;
    uint32_t sid_lo, sid_hi, ssid_lo, ssid_hi;
    uint8_t n; /* dwords: 0 (empty slot), 1 or 8 */
    uint8_t kind;
    uint8_t flags;
    uint8_t stage;
    int8_t level;
    bool of_stream; /* a descriptor walked for a transaction of StreamID sid_lo, SubstreamID
                       ssid_lo (smmu_dsan_use): its use can be recognised */
} item_t;

struct smmu_dsan {
    smmu_dsan_params_t p;
    uint32_t sets;
    uint32_t stale; /* items with F_STALE */
    uint32_t tracked, untracked;
    bool degraded_said, fatal;
    /* the transaction being translated (smmu_dsan_use .. smmu_dsan_done) */
    bool in_xlate;
    uint32_t x_sid, x_ssid;
    uint64_t reports, by_rule[SMMU_DSAN_RULE_COUNT];
    char checks[200];
    item_t items[]; /* sets * WAYS */
};

static const char *const RULE_NAME[SMMU_DSAN_RULE_COUNT] = {
    "CMD_RES0", "CMD_ILLEGAL", "QUEUE_ALIGN", "TABLE_ALIGN", "REG_GUARDED",
    "BBM",      "CFG_STALE",   "DEGRADED",    "STRUCT_RES0", "TLB_STALE"};
static const char *const KIND_NAME[] = {"STE", "L1STD", "CD", "L1CD", "descriptor"};

const char *smmu_dsan_rule_name(unsigned rule) {
    return rule < SMMU_DSAN_RULE_COUNT ? RULE_NAME[rule] : "UNKNOWN";
}

/* ------------------------------------------------------------------ lifecycle */

int smmu_dsan_new(smmu_t *s) {
    if (!s->p.dsan.on) return 0;
    uint32_t n = s->p.dsan.track_entries ? s->p.dsan.track_entries : DEFAULT_ENTRIES;
    if (n < WAYS || (n & (n - 1))) return -1;
    struct smmu_dsan *d = calloc(1, sizeof(*d) + (size_t)n * sizeof(item_t));
    if (!d) return -1;
    d->p = s->p.dsan;
    d->sets = n / WAYS;
    snprintf(d->checks, sizeof(d->checks),
             "dsan on: CMD_RES0 CMD_ILLEGAL QUEUE_ALIGN TABLE_ALIGN REG_GUARDED%s",
             d->p.writes_notified ? " BBM CFG_STALE"
                                  : "; off (the platform does not notify table writes): BBM "
                                    "CFG_STALE");
    s->dsan = d;
    return 0;
}

void smmu_dsan_free(smmu_t *s) {
    free(s->dsan);
    s->dsan = NULL;
}

void smmu_dsan_clear_stats(smmu_t *s) {
    if (!s->dsan) return;
    s->dsan->reports = 0;
    memset(s->dsan->by_rule, 0, sizeof(s->dsan->by_rule));
}

void smmu_dsan_stats(const smmu_t *s, smmu_dsan_stats_t *st) {
    memset(st, 0, sizeof(*st));
    if (!s->dsan) return;
    st->reports = s->dsan->reports;
    memcpy(st->by_rule, s->dsan->by_rule, sizeof(st->by_rule));
    st->tracked = s->dsan->tracked;
    st->untracked = s->dsan->untracked;
}

bool smmu_dsan_fatal(const smmu_t *s) {
    return s->dsan && s->dsan->fatal;
}

const char *smmu_dsan_checks(const smmu_t *s) {
    return s->dsan ? s->dsan->checks : "dsan off";
}

/* ------------------------------------------------------------------ reports */

/* One report: counted, then to the host. r->line gets its prefix here. */
static void report(smmu_t *s, smmu_dsan_report_t *r, const char *section, const char *msg) {
    struct smmu_dsan *d = s->dsan;
    r->section = section;
    r->name = smmu_dsan_rule_name(r->rule);
    r->fatal = d->p.fatal;
    snprintf(r->line, sizeof(r->line), "dsan %s [%s] %s", r->name, section, msg);
    d->reports++;
    d->by_rule[r->rule]++;
    if (r->fatal) d->fatal = true;
    if (s->host.dsan_report) s->host.dsan_report(s->host.ctx, r);
}

static const char *bank_name(bool sec) {
    return sec ? "Secure " : "";
}

/* ------------------------------------------------------------------ commands (4.1, 7.1) */

void smmu_dsan_cmd_illegal(smmu_t *s, bool sec, uint64_t pa, const uint64_t dw[2],
                           const uint64_t allowed[2]) {
    const unsigned op = (unsigned)SMMU_FGET(dw, SMMU_F_CMD_OPCODE);
    const char *name = smmu_cmd_name(op);
    const uint64_t res0[2] = {dw[0] & ~allowed[0], dw[1] & ~allowed[1]};
    const bool known = strcmp(name, "UNKNOWN") != 0;
    char msg[200];
    smmu_dsan_report_t r = {.addr = {pa, 0}, .secure = sec};
    if (known && (res0[0] | res0[1])) {
        r.rule = SMMU_DSAN_CMD_RES0;
        r.value[0] = res0[0], r.value[1] = res0[1];
        snprintf(msg, sizeof(msg),
                 "%s at %sCommand queue PA 0x%llx: non-zero Reserved bits dw0 0x%016llx dw1 "
                 "0x%016llx",
                 name, bank_name(sec), (unsigned long long)pa, (unsigned long long)res0[0],
                 (unsigned long long)res0[1]);
        report(s, &r, "4.1.5", msg);
        return;
    }
    r.rule = SMMU_DSAN_CMD_ILLEGAL;
    r.value[0] = dw[0], r.value[1] = dw[1];
    snprintf(msg, sizeof(msg),
             "%s (opcode 0x%02x) at %sCommand queue PA 0x%llx is ILLEGAL here: dw0 0x%016llx dw1 "
             "0x%016llx",
             name, op, bank_name(sec), (unsigned long long)pa, (unsigned long long)dw[0],
             (unsigned long long)dw[1]);
    report(s, &r, known ? "4.1.3" : "4.1.1", msg);
}

/* ------------------------------------------------------------------ registers (6.3) */

void smmu_dsan_reg_guarded(smmu_t *s, bool sec, uint64_t offset, uint64_t value,
                           const char *section, const char *reg) {
    char msg[200];
    smmu_dsan_report_t r = {
        .rule = SMMU_DSAN_REG_GUARDED, .addr = {offset, 0}, .value = {value, 0}, .secure = sec};
    snprintf(msg, sizeof(msg), "%s%s (offset 0x%llx) written with 0x%llx while its enable is 1",
             sec ? "SMMU_S_" : "SMMU_", reg, (unsigned long long)offset, (unsigned long long)value);
    report(s, &r, section, msg);
}

/* A queue base whose ADDR has bits below the queue size set: the SMMU ignores them (6.3.26). */
static void queue_align(smmu_t *s, bool sec, const smmu_queue_t *q, unsigned max_log2,
                        unsigned entry_bytes, const char *section, const char *reg) {
    const unsigned log2 = smmu_q_log2(q, max_log2);
    const uint64_t size = (uint64_t)entry_bytes << log2;
    const uint64_t align = size > 32 ? size : 32;
    const uint64_t addr = SMMU_VADDR(q->base, SMMU_F_Q_BASE_ADDR);
    if (!(addr & (align - 1))) return;
    char msg[200];
    smmu_dsan_report_t r = {
        .rule = SMMU_DSAN_QUEUE_ALIGN, .addr = {addr, 0}, .value = {align, 0}, .secure = sec};
    snprintf(msg, sizeof(msg),
             "%s%s.ADDR 0x%llx is not aligned to the queue size 0x%llx (2^%u entries): the "
             "SMMU uses 0x%llx",
             sec ? "SMMU_S_" : "SMMU_", reg, (unsigned long long)addr, (unsigned long long)align,
             log2, (unsigned long long)(addr & ~(align - 1)));
    report(s, &r, section, msg);
}

/* STRTAB_BASE.ADDR aligned to the linear table's size, or to the larger of 64 bytes and the
   first-level table's size (6.3.24). */
static void strtab_align(smmu_t *s, bool sec) {
    const smmu_regs_t *b = smmu_bank_c(s, sec);
    const unsigned log2size =
        (unsigned)SMMU_VGET(b->strtab_base_cfg, SMMU_F_STRTAB_BASE_CFG_LOG2SIZE);
    const bool two = s->p.st_2lvl && SMMU_VGET(b->strtab_base_cfg, SMMU_F_STRTAB_BASE_CFG_FMT) ==
                                         SMMU_STRTAB_BASE_CFG_FMT_2LVL;
    unsigned bits = log2size + 6;
    if (two) {
        unsigned split = (unsigned)SMMU_VGET(b->strtab_base_cfg, SMMU_F_STRTAB_BASE_CFG_SPLIT);
        split = (split == 8 || split == 10) ? split : 6;
        const unsigned l1 = log2size > split ? log2size - split : 0;
        bits = l1 + 3 > 6 ? l1 + 3 : 6;
    }
    const uint64_t addr = SMMU_VADDR(b->strtab_base, SMMU_F_STRTAB_BASE_ADDR);
    if (bits < 64) smmu_dsan_misaligned(s, sec, "6.3.24", "STRTAB_BASE", 0, addr, 1ull << bits);
}

void smmu_dsan_cr0(smmu_t *s, bool sec, uint32_t old, uint32_t cur) {
    const uint32_t on = cur & ~old;
    const smmu_regs_t *b = smmu_bank_c(s, sec);
    if (on & SMMU_FMASK32(SMMU_F_CR0_CMDQEN))
        queue_align(s, sec, &b->cmdq, s->p.cmdq_log2, SMMU_CMD_BYTES, "6.3.26", "CMDQ_BASE");
    if (on & SMMU_FMASK32(SMMU_F_CR0_EVENTQEN))
        queue_align(s, sec, &b->eventq, s->p.eventq_log2, SMMU_EVT_BYTES, "6.3.29", "EVENTQ_BASE");
    if (!sec && (on & SMMU_FMASK32(SMMU_F_CR0_PRIQEN)))
        queue_align(s, sec, &b->priq, s->p.priq_log2, SMMU_PRI_BYTES, "6.3.33", "PRIQ_BASE");
    if (on & SMMU_FMASK32(SMMU_F_CR0_SMMUEN)) strtab_align(s, sec);
}

void smmu_dsan_misaligned(smmu_t *s, bool sec, const char *section, const char *what,
                          uint64_t struct_pa, uint64_t ptr, uint64_t align) {
    if (!(ptr & (align - 1))) return;
    char msg[200];
    smmu_dsan_report_t r = {.rule = SMMU_DSAN_TABLE_ALIGN,
                            .addr = {ptr, struct_pa},
                            .value = {align, 0},
                            .secure = sec};
    int k = snprintf(msg, sizeof(msg), "%s 0x%llx is not aligned to 0x%llx", what,
                     (unsigned long long)ptr, (unsigned long long)align);
    if (struct_pa && k > 0 && (size_t)k < sizeof(msg))
        snprintf(msg + k, sizeof(msg) - (size_t)k, " (in the structure at PA 0x%llx)",
                 (unsigned long long)struct_pa);
    report(s, &r, section, msg);
}

/* ------------------------------------------------------------------ the tracking table */

static uint64_t key_of(uint64_t pa, bool sec) {
    return (pa >> 3) << 1 | (sec ? 1u : 0u);
}

static item_t *set_of(struct smmu_dsan *d, uint64_t key) {
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    return &d->items[(size_t)((h >> 32) & (d->sets - 1)) * WAYS];
}

static uint64_t item_pa(const item_t *it) {
    return (it->key >> 1) << 3;
}

static void drop(struct smmu_dsan *d, item_t *it) {
    if (it->flags & F_STALE) d->stale--;
    it->n = 0;
    it->flags = 0;
    d->tracked--;
}

static void degraded(smmu_t *s, uint64_t pa, bool sec) {
    struct smmu_dsan *d = s->dsan;
    d->untracked++;
    if (d->degraded_said) return;
    d->degraded_said = true;
    char msg[200];
    smmu_dsan_report_t r = {.rule = SMMU_DSAN_DEGRADED, .addr = {pa, 0}, .secure = sec};
    snprintf(msg, sizeof(msg),
             "table entry at PA 0x%llx not tracked: %u tracking slots full; BBM and CFG_STALE "
             "checks degraded (raise params.dsan.track_entries)",
             (unsigned long long)pa, d->sets * WAYS);
    report(s, &r, "3.21", msg);
}

/* The item of kind at pa, or a free slot for it (n == 0), or NULL when its set is full. */
static item_t *slot(struct smmu_dsan *d, uint64_t key, unsigned kind) {
    item_t *set = set_of(d, key), *free_slot = NULL;
    for (unsigned w = 0; w < WAYS; w++) {
        if (set[w].n && set[w].key == key && set[w].kind == kind) return &set[w];
        if (!set[w].n && !free_slot) free_slot = &set[w];
    }
    return free_slot;
}

/* A fetch: track the entry as fetched, unless software changed it since an earlier fetch and no
   invalidation has completed: then the SMMU may still hold the earlier copy, which stays. */
static item_t *track(smmu_t *s, unsigned kind, bool sec, uint64_t pa, const uint64_t *dw,
                     unsigned n) {
    struct smmu_dsan *d = s->dsan;
    const uint64_t key = key_of(pa, sec);
    item_t *it = slot(d, key, kind);
    if (!it) {
        degraded(s, pa, sec);
        return NULL;
    }
    if (it->n && (it->flags & (F_DIRTY | F_STALE))) return NULL;
    if (!it->n) d->tracked++;
    memset(it, 0, sizeof(*it));
    it->key = key;
    it->n = (uint8_t)n;
    it->kind = (uint8_t)kind;
    memcpy(it->old, dw, n * sizeof(uint64_t));
    memcpy(it->cur, dw, n * sizeof(uint64_t));
    return it;
}

/* The fields of STEs (5.2) and CDs (5.4) that are "Reserved, RES0" whatever the features: STE
   [58:56], [107:105], [252:248], [301:296], [383:376], [444:440]; CD [121:120], [383:376],
   [447:432], [511:496]. Fields that are RES0 only without a feature are left to the core's
   checks (SteIllegal / CdIllegal) or are IGNORED. */
static void res0_mask(unsigned kind, uint64_t m[8]) {
    static const uint16_t ste[][2] = {{56, 3}, {105, 3}, {248, 5}, {296, 6}, {376, 8}, {440, 5}};
    static const uint16_t cd[][2] = {{120, 2}, {376, 8}, {432, 16}, {496, 16}};
    const uint16_t(*f)[2] = kind == DSAN_STE ? ste : cd;
    const unsigned nf = kind == DSAN_STE ? 6 : 4;
    memset(m, 0, 8 * sizeof(uint64_t));
    for (unsigned i = 0; i < nf; i++)
        m[f[i][0] / 64] |= smmu_bits_mask(f[i][1]) << (f[i][0] % 64);
}

static void struct_res0(smmu_t *s, unsigned kind, bool sec, uint64_t pa, const uint64_t *dw,
                        uint32_t sid, uint32_t ssid) {
    const bool valid = kind == DSAN_STE ? SMMU_FGET(dw, SMMU_F_STE_V) : SMMU_FGET(dw, SMMU_F_CD_V);
    if (!valid) return; /* the other fields of an invalid structure mean nothing */
    uint64_t m[8];
    res0_mask(kind, m);
    for (unsigned i = 0; i < 8; i++) {
        if (!(dw[i] & m[i])) continue;
        char msg[200];
        smmu_dsan_report_t r = {.rule = SMMU_DSAN_STRUCT_RES0,
                                .addr = {pa, pa + 8u * i},
                                .value = {dw[i] & m[i], dw[i]},
                                .sid = sid,
                                .ssid = ssid,
                                .secure = sec};
        snprintf(msg, sizeof(msg),
                 "%s at PA 0x%llx (StreamID %u, SubstreamID %u): Reserved bits 0x%016llx set in "
                 "dword %u (0x%016llx)",
                 KIND_NAME[kind], (unsigned long long)pa, sid, ssid,
                 (unsigned long long)(dw[i] & m[i]), i, (unsigned long long)dw[i]);
        report(s, &r, kind == DSAN_STE ? "5.2" : "5.4", msg);
        return; /* one report per structure */
    }
}

void smmu_dsan_fetch_cfg(smmu_t *s, unsigned kind, bool sec, uint64_t pa, const uint64_t *dw,
                         unsigned n, uint32_t sid_lo, uint32_t sid_hi, uint32_t ssid_lo,
                         uint32_t ssid_hi) {
    if (kind == DSAN_STE || kind == DSAN_CD) struct_res0(s, kind, sec, pa, dw, sid_lo, ssid_lo);
    item_t *it = track(s, kind, sec, pa, dw, n);
    if (!it) return;
    it->sid_lo = sid_lo, it->sid_hi = sid_hi;
    it->ssid_lo = ssid_lo, it->ssid_hi = ssid_hi;
}

void smmu_dsan_fetch_desc(smmu_t *s, bool sec, uint64_t pa, uint64_t d, unsigned stage, int level,
                          uint64_t ia_lo, uint64_t ia_hi) {
    if (!SMMU_VGET(d, SMMU_F_DESC_VALID)) return; /* only valid translations are cached (3.21.1) */
    item_t *it = track(s, DSAN_DESC, sec, pa, &d, 1);
    if (!it) return;
    it->stage = (uint8_t)stage;
    it->level = (int8_t)level;
    it->ia_lo = ia_lo, it->ia_hi = ia_hi;
    if (s->dsan->in_xlate) {
        it->of_stream = true;
        it->sid_lo = it->sid_hi = s->dsan->x_sid;
        it->ssid_lo = s->dsan->x_ssid;
    }
}

/* ------------------------------------------------------------------ writes */

static bool desc_is_table(const item_t *it, uint64_t v) {
    return it->level < 3 && SMMU_VGET(v, SMMU_F_DESC_TABLE);
}

/* The bits whose change needs break-before-make (3.21.1.1) in a leaf of span 2^shift bytes:
   the output address (bits [49:shift]; OA[51:48] in [15:12] with the 64KB granule, OA[51:50]
   in [9:8] with DS), memory type (AttrIndx / MemAttr), shareability, nG, and the Contiguous hint
   at BBML 0 (3.21.1.2: from Level 1 it may change alone). Permissions, AF, DBM and a Block's
   nT (bit 16, below its output address) may change without it. */
static uint64_t bbm_bits(unsigned bbml, unsigned shift) {
    const uint64_t oa = smmu_bits_mask(50) & ~smmu_bits_mask(shift);
    uint64_t m = oa | SMMU_FMASK64(SMMU_F_DESC_OA_HI) | SMMU_FMASK64(SMMU_F_DESC_S2MEMATTR) |
                 SMMU_FMASK64(SMMU_F_DESC_SH) | SMMU_FMASK64(SMMU_F_DESC_NG);
    if (bbml == 0) m |= SMMU_FMASK64(SMMU_F_DESC_CONT);
    return m;
}

/* log2 of the input span of a tracked descriptor */
static unsigned span_shift(const item_t *it) {
    const uint64_t span = it->ia_hi - it->ia_lo + 1;
    unsigned k = 0;
    while (k < 63 && (1ull << k) < span)
        k++;
    return span ? k : 64;
}

/* A valid descriptor replaced by another valid one that the SMMU may see as a conflict: a
   different translation, or (BBML 0, or BBML 1 without nT on the Block side, 3.21.1.2) a
   different size. */
static bool bbm_broken(const smmu_t *s, const item_t *it, uint64_t old, uint64_t cur) {
    if (!SMMU_VGET(old, SMMU_F_DESC_VALID) || !SMMU_VGET(cur, SMMU_F_DESC_VALID)) return false;
    const bool t_old = desc_is_table(it, old), t_cur = desc_is_table(it, cur);
    if (t_old != t_cur) { /* a change of block size (3.21.1.1) */
        const unsigned bbml = s->p.bbml;
        if (bbml >= 2) return false;
        const uint64_t block = t_old ? cur : old;
        return !(bbml == 1 && SMMU_VGET(block, SMMU_F_DESC_NT));
    }
    if (t_old) /* a table descriptor pointing elsewhere: the walk cache may hold the old one */
        return ((old ^ cur) & SMMU_FMASK64(SMMU_F_DESC_OA_DS)) != 0;
    return ((old ^ cur) & bbm_bits(s->p.bbml, span_shift(it))) != 0;
}

static void report_bbm(smmu_t *s, item_t *it, uint64_t pa, uint64_t old, uint64_t cur) {
    char msg[200];
    smmu_dsan_report_t r = {.rule = SMMU_DSAN_BBM,
                            .addr = {pa, it->ia_lo},
                            .value = {old, cur},
                            .secure = (it->key & 1) != 0};
    snprintf(msg, sizeof(msg),
             "valid stage-%u level-%d descriptor at PA 0x%llx (input 0x%llx) changed 0x%016llx "
             "-> 0x%016llx without break-before-make (BBML %u)",
             it->stage, it->level, (unsigned long long)pa, (unsigned long long)it->ia_lo,
             (unsigned long long)old, (unsigned long long)cur, s->p.bbml);
    report(s, &r, "3.21.1.1", msg);
}

/* Bytes [off, off + len) of dword i of item it written (data: those bytes). */
static void write_dword(smmu_t *s, item_t *it, unsigned i, unsigned off, const uint8_t *data,
                        unsigned len) {
    uint64_t v = it->cur[i];
    for (unsigned b = 0; b < len; b++)
        v = (v & ~(0xFFull << (8 * (off + b)))) | (uint64_t)data[b] << (8 * (off + b));
    it->cur[i] = v;
    const bool changed = memcmp(it->old, it->cur, it->n * sizeof(uint64_t)) != 0;
    if (changed) {
        /* a change after the CFGI / TLBI: that invalidation does not cover it */
        it->flags = (uint8_t)((it->flags | F_DIRTY) & ~(F_INVPEND | F_INVPEND_S));
    } else {
        it->flags &= (uint8_t)~F_DIRTY;
    }
    if (it->kind == DSAN_DESC && !(it->flags & F_REPORTED) && bbm_broken(s, it, it->old[0], v)) {
        it->flags |= F_REPORTED;
        report_bbm(s, it, item_pa(it), it->old[0], v);
    }
}

/* The write of [pa, pa + len) as it reaches dword dpa (8-aligned): its bytes within the dword. */
static void write_at(smmu_t *s, uint64_t dpa, uint64_t pa, const uint8_t *data, size_t len,
                     bool sec) {
    struct smmu_dsan *d = s->dsan;
    const uint64_t lo = dpa > pa ? dpa : pa;
    const uint64_t end = pa + len, hi = dpa + 8 < end ? dpa + 8 : end;
    const unsigned off = (unsigned)(lo - dpa), n = (unsigned)(hi - lo);
    const uint8_t *bytes = data + (lo - pa);
    const uint64_t keys[2] = {key_of(dpa, sec), key_of(dpa & ~63ull, sec)};
    for (unsigned k = 0; k < 2; k++) {
        if (k == 1 && keys[1] == keys[0]) break;
        item_t *set = set_of(d, keys[k]);
        for (unsigned w = 0; w < WAYS; w++) {
            item_t *it = &set[w];
            if (!it->n || it->key != keys[k]) continue;
            const unsigned i = (unsigned)((dpa - item_pa(it)) >> 3);
            if (i < it->n) write_dword(s, it, i, off, bytes, n);
        }
    }
}

/* A write larger than the tracking table: each tracked item it overlaps, dword by dword. */
static void write_wide(smmu_t *s, uint64_t pa, const uint8_t *data, size_t len, bool sec) {
    struct smmu_dsan *d = s->dsan;
    const uint32_t n = d->sets * WAYS;
    for (uint32_t i = 0; i < n; i++) {
        item_t *it = &d->items[i];
        if (!it->n || ((it->key & 1) != 0) != sec) continue;
        const uint64_t base = item_pa(it);
        for (unsigned k = 0; k < it->n && it->n; k++) {
            const uint64_t dpa = base + 8u * k;
            if (dpa + 8 <= pa || dpa >= pa + len) continue;
            const uint64_t lo = dpa > pa ? dpa : pa;
            const uint64_t hi = dpa + 8 < pa + len ? dpa + 8 : pa + len;
            write_dword(s, it, k, (unsigned)(lo - dpa), data + (lo - pa), (unsigned)(hi - lo));
        }
    }
}

void smmu_dsan_write(smmu_t *s, uint64_t pa, const void *data, size_t len, bool secure) {
    if (!s->dsan || !s->dsan->tracked || !len || !data || pa + len < pa) return;
    SMMU_LOCKED(s);
    if (len / 8 > (size_t)s->dsan->sets * WAYS) {
        write_wide(s, pa, data, len, secure);
        return;
    }
    for (uint64_t dpa = pa & ~7ull; dpa < pa + len; dpa += 8)
        write_at(s, dpa, pa, data, len, secure);
}

void smmu_dsan_write_observer(void *ctx, uint64_t pa, const void *data, size_t len) {
    smmu_dsan_write((smmu_t *)ctx, pa, data, len, false);
}

/* ------------------------------------------------------------------ invalidation and use */

static bool ranges_meet(uint32_t a_lo, uint32_t a_hi, uint32_t b_lo, uint32_t b_hi) {
    return a_lo <= b_hi && b_lo <= a_hi;
}

/* A CFGI scope covers a configuration item (the model's own coverage, cache.c cfg_covers). */
static bool cfg_covers(const smmu_inv_scope_t *sc, const item_t *it) {
    if (it->kind == DSAN_DESC || sc->secure != ((it->key & 1) != 0)) return false;
    if (!ranges_meet(it->sid_lo, it->sid_hi, sc->sid_lo, sc->sid_hi)) return false;
    switch (it->kind) {
    case DSAN_STE:
        return sc->ste;
    case DSAN_L1STD:
        return sc->ste || sc->l1std;
    default: /* CD, L1CD */
        return sc->ste || sc->ssid_all || (sc->ssid >= it->ssid_lo && sc->ssid <= it->ssid_hi);
    }
}

/* A TLB scope covers a descriptor: conservatively (a covered item leaves, so a report is never
   made for what an invalidation might have removed), by stage and input address only. */
static bool tlb_covers(const smmu_inv_scope_t *sc, const item_t *it) {
    if (it->kind != DSAN_DESC) return false;
    if (sc->leaf && desc_is_table(it, it->old[0])) return false; /* walk cache kept (4.4) */
    if (!sc->by_addr) return true;
    if (sc->addr_ipa != (it->stage == 2)) return false;
    uint64_t lo = it->ia_lo, hi = it->ia_hi;
    if (!sc->addr_ipa) lo = smmu_va_canon(lo), hi = smmu_va_canon(hi);
    return lo <= sc->addr_hi && hi >= sc->addr_lo;
}

void smmu_dsan_inv(smmu_t *s, const smmu_inv_scope_t *sc, bool sec) {
    struct smmu_dsan *d = s->dsan;
    const uint32_t n = d->sets * WAYS;
    for (uint32_t i = 0; i < n && d->tracked; i++) {
        item_t *it = &d->items[i];
        if (!it->n) continue;
        bool covered = sc->kind == SMMU_INV_ALL;
        if (sc->kind == SMMU_INV_CFG) covered = cfg_covers(sc, it);
        if (sc->kind == SMMU_INV_TLB) covered = tlb_covers(sc, it);
        if (!covered) continue;
        /* complete now: SMMUEN / GBPA changes and broadcast TLBIs (3.17) */
        if (sc->kind == SMMU_INV_ALL || sc->broadcast) {
            drop(d, it);
            continue;
        }
        if (it->flags & F_STALE) d->stale--;
        it->flags = (uint8_t)((it->flags & ~F_STALE) | (sec ? F_INVPEND_S : F_INVPEND));
    }
}

void smmu_dsan_sync(smmu_t *s, bool sec) {
    struct smmu_dsan *d = s->dsan;
    const uint32_t n = d->sets * WAYS;
    const uint8_t pend = sec ? F_INVPEND_S : F_INVPEND;
    for (uint32_t i = 0; i < n && d->tracked; i++) {
        item_t *it = &d->items[i];
        if (!it->n) continue;
        if (it->flags & pend) {
            drop(d, it);
        } else if ((it->flags & F_DIRTY) && !(it->flags & (F_STALE | F_REPORTED)) &&
                   (it->kind != DSAN_DESC || it->of_stream)) {
            it->flags |= F_STALE;
            d->stale++;
        }
    }
}

static void report_stale(smmu_t *s, const item_t *it, uint32_t sid, uint32_t ssid) {
    const uint64_t pa = item_pa(it);
    unsigned i = 0;
    while (i + 1u < it->n && it->old[i] == it->cur[i])
        i++;
    char msg[200];
    smmu_dsan_report_t r = {.rule = SMMU_DSAN_CFG_STALE,
                            .addr = {pa, pa + 8u * i},
                            .value = {it->old[i], it->cur[i]},
                            .sid = sid,
                            .ssid = ssid,
                            .secure = (it->key & 1) != 0};
    snprintf(msg, sizeof(msg),
             "%s at PA 0x%llx (StreamID %u, SubstreamID %u) changed (dword %u 0x%016llx -> "
             "0x%016llx) and used after a CMD_SYNC with no covering CMD_CFGI_*",
             KIND_NAME[it->kind], (unsigned long long)pa, sid, ssid, i,
             (unsigned long long)it->old[i], (unsigned long long)it->cur[i]);
    report(s, &r, "3.21.3.1", msg);
}

/* A stale descriptor: software changed it, a CMD_SYNC completed with no covering TLBI between,
   and a transaction of the stream it was walked for now uses an input address it translates
   (3.21.1: the change is visible only after the invalidation completes). Stage 1 only: a
   stage-2 descriptor's input is an IPA the transaction does not carry. */
static void report_tlb_stale(smmu_t *s, const item_t *it, uint32_t sid, uint32_t ssid,
                             uint64_t addr) {
    char msg[200];
    smmu_dsan_report_t r = {.rule = SMMU_DSAN_TLB_STALE,
                            .addr = {item_pa(it), addr},
                            .value = {it->old[0], it->cur[0]},
                            .sid = sid,
                            .ssid = ssid,
                            .secure = (it->key & 1) != 0};
    snprintf(msg, sizeof(msg),
             "stage-1 level-%d descriptor at PA 0x%llx changed 0x%016llx -> 0x%016llx, CMD_SYNC "
             "with no covering TLBI, then StreamID %u used input 0x%llx",
             it->level, (unsigned long long)item_pa(it), (unsigned long long)it->old[0],
             (unsigned long long)it->cur[0], sid, (unsigned long long)addr);
    report(s, &r, "3.21.1", msg);
}

static bool stale_use(const item_t *it, uint32_t sid, uint32_t sub, uint64_t addr) {
    if (sid < it->sid_lo || sid > it->sid_hi) return false;
    if (it->kind == DSAN_DESC)
        return it->stage == 1 && sub == it->ssid_lo && addr >= it->ia_lo && addr <= it->ia_hi;
    if (it->kind == DSAN_CD || it->kind == DSAN_L1CD)
        return sub >= it->ssid_lo && sub <= it->ssid_hi;
    return true;
}

void smmu_dsan_use(smmu_t *s, bool sec, uint32_t sid, uint32_t ssid, bool ssv, uint64_t addr) {
    struct smmu_dsan *d = s->dsan;
    const uint32_t sub = ssv ? ssid : 0;
    d->in_xlate = true;
    d->x_sid = sid, d->x_ssid = sub;
    if (!d->stale) return;
    const uint32_t n = d->sets * WAYS;
    for (uint32_t i = 0; i < n && d->stale; i++) {
        item_t *it = &d->items[i];
        if (!it->n || !(it->flags & F_STALE) || ((it->key & 1) != 0) != sec) continue;
        if (!stale_use(it, sid, sub, addr)) continue;
        if (it->kind == DSAN_DESC)
            report_tlb_stale(s, it, sid, sub, addr);
        else
            report_stale(s, it, sid, sub);
        drop(d, it);
    }
}

void smmu_dsan_done(smmu_t *s) {
    s->dsan->in_xlate = false;
}
