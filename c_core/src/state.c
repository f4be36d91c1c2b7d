/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Saved state (smmu_save / smmu_restore, <smmu/smmu.h>; format: docs/state.md). The whole
 * architectural state of an instance as a versioned, little-endian byte blob: a header (magic,
 * format version, lengths, a digest of the params, a checksum of the body) and tagged sections
 * whose fields are written one by one, never as memory images of structs. One description of
 * the fields (the visit_* functions) serves three passes: sizing, writing and reading. A restore
 * reads into a separate image (smmu_img_t), validates it whole, and only then replaces the
 * instance's state, so that a refused blob leaves the instance unchanged.
 *
 * struct smmu (instance.h), field by field:
 *   p                     params: digested in the header, never restored (the instance keeps
 *                         its own)
 *   host, tp_mask         host wiring: kept
 *   grants, grants_wide   cache (direct read grants of host memory): dropped on restore
 *   r, sr                 ARCHITECTURAL: sections BNKN / BNKS (idr, iidr, aidr, mpamidr: from
 *                         params, kept)
 *   mpam_cur, mpam_io,    transient within one translation or access: cleared
 *   mpam_sec
 *   irq_level             ARCHITECTURAL: section MISC; host->irq told of each changed line
 *   gerror_pending_msi    ARCHITECTURAL (MSI state): section MISC
 *   st                    statistics: section STAT (saved, so counters continue)
 *   stalls, stalls_used   ARCHITECTURAL: section STAL (used slots with their Security state;
 *                         stalls_used recounted)
 *   atc_inv_failed, s_    ARCHITECTURAL (reported by the next CMD_SYNC, 4.7.3): section MISC
 *   stall_seq             ARCHITECTURAL (order of pending stall records, 7.2.1): section MISC
 *   cmdq_busy, s_         transient: a save or restore while set is refused (SMMU_STATE_BUSY)
 *   cache                 caches dropped (flush); their statistics: section STAT
 *   rng, lru_clock        cache replacement state: left as is (only cache behaviour depends
 *                         on it)
 *   choice_rng            the random choice profile's generator (choice.c): left as is (a
 *                         restore continues the draws; smmu_reset reseeds it)
 *   sstats, sstat_other   statistics: section STAT
 *   fill_seq              cache fill identities: left as is (the flush makes every old one
 *                         stale)
 *   memo*, memo_gen       cache (memo): flushed
 *   sstat_epoch           statistics bookkeeping: bumped by the statistics clear of the restore
 *   port0, ports,         statistics (memo hits of ports): folded into section STAT on save,
 *   retired_hits/_sok     cleared on restore
 *   pmcg, pmcg_on         ARCHITECTURAL: section PMCG (with SCR and GMPAM); pmcg_on recomputed
 *   lock                  host wiring (params.concurrent)
 *   gatos, s_gatos        ARCHITECTURAL (SMMU_(S_)GATOS_SID/ADDR/PAR, chapter 9): section MISC
 *   dsan                  driver sanitizer (debug tooling, not architectural): kept, not saved
 * A field added to struct smmu changes its size and fails the static assertion below until this
 * table and the format are updated. */
#include "state.h"

#include <stdlib.h>
#include <string.h>

#include <smmu/arch.h>

#include "cache.h"
#include "instance.h"
#include "irq.h"
#include "lock.h"
#include "memo.h"
#include "pmcg.h"
#include "stall.h"

#if defined(__x86_64__) && defined(__linux__)
/* The field-by-field classification above covers exactly these bytes (x86-64 Linux layout). */
_Static_assert(sizeof(struct smmu) == SMMU_STATE_STRUCT_BYTES,
               "struct smmu changed: classify the new field in state.c and docs/state.md");
#endif

/* ------------------------------------------------------------------ header */

enum {
    HDR_BYTES = 40, /* magic[8], version u32, header bytes u32, total u64, digest u64, sum u64 */
    FMT_VERSION = 1,
};
static const uint8_t MAGIC[8] = {'S', 'M', 'M', 'U', 'v', '3', 'S', 'T'};

/* FNV-1a 64 (docs/state.md): the checksum of the body and the digest of the params. */
static uint64_t fnv(uint64_t h, const uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}
static const uint64_t FNV_INIT = 0xcbf29ce484222325ull;

static uint64_t fnv_u64(uint64_t h, uint64_t v) {
    uint8_t b[8];
    for (unsigned i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    return fnv(h, b, 8);
}

/* The params the saved state depends on, field by field, each as a little-endian u64, in the
   order of docs/state.md. The model-only tuning (cache geometry and seed, memo, concurrent)
   is left out: a state restores into an instance tuned otherwise. */
uint64_t smmu_state_params_digest(const smmu_params_t *p) {
    const uint64_t f[] = {p->s1,
                          p->s2,
                          p->st_2lvl,
                          p->cd_2lvl,
                          p->ats,
                          p->pri,
                          p->msi,
                          p->hyp,
                          p->asid16,
                          p->vmid16,
                          p->coherent,
                          p->btm,
                          p->sev,
                          p->ttendian_mixed,
                          p->stall_model,
                          p->term_model,
                          p->sidsize,
                          p->ssidsize,
                          p->cmdq_log2,
                          p->eventq_log2,
                          p->priq_log2,
                          p->attr_types_ovr,
                          p->attr_perms_ovr,
                          p->ril,
                          p->bbml,
                          p->oas_bits,
                          p->gran4k,
                          p->gran16k,
                          p->gran64k,
                          p->stall_max,
                          p->iidr,
                          p->arch_minor,
                          p->defer_cmdq,
                          p->stream_stats_entries,
                          p->httu,
                          p->fwb,
                          p->e0pd,
                          p->ptwnnc,
                          p->xnx,
                          p->vax,
                          p->lpa2,
                          p->atos,
                          p->pmcg_groups,
                          p->pmcg_counters,
                          p->pmcg_counter_bits,
                          p->pmcg_reloc,
                          p->pmcg_msi,
                          p->pmcg_capture,
                          p->pmcg_sid_global,
                          p->secure_impl,
                          p->mpam,
                          p->mpam_partid_max,
                          p->mpam_pmg_max,
                          p->mpam_s_partid_max,
                          p->mpam_s_pmg_max,
                          p->mpam_ns};
    uint64_t h = FNV_INIT;
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        h = fnv_u64(h, f[i]);
    return h;
}

/* ------------------------------------------------------------------ the image */

/* Everything a blob carries, as a restore parses it before touching the instance. */
typedef struct smmu_img {
    smmu_regs_t bank[2]; /* Non-secure, Secure */
    bool irq_level[SMMU_IRQ_COUNT];
    uint32_t gerror_pending_msi;
    bool atc_inv_failed[2];
    uint32_t stall_seq;
    smmu_atos_t gatos[2]; /* SMMU_GATOS_*, SMMU_S_GATOS_* */
    smmu_stall_t *stalls; /* stall_max slots (NULL without stalls) */
    struct smmu_pmcg pmcg[SMMU_PMCG_MAX_GROUPS];
    smmu_stats_t st;
    smmu_cache_stats_t cst[SMMU_CACHE_COUNT]; /* lookups unused (hits + misses) */
    smmu_sstat_t *sstats;                     /* stream_stats_entries slots */
    smmu_stream_stats_t sstat_other;
    const smmu_t *src; /* saving: the instance (its ports' memo hits are folded in) */
} smmu_img_t;

/* ------------------------------------------------------------------ the three passes */

typedef enum { IO_SIZE, IO_WRITE, IO_READ } io_mode_t;

typedef struct {
    io_mode_t mode;
    uint8_t *out;      /* IO_WRITE */
    const uint8_t *in; /* IO_READ */
    size_t pos, len;   /* len: bytes available (IO_READ) */
    smmu_state_status_t err;
} io_t;

static void fail(io_t *io, smmu_state_status_t e) {
    if (io->err == SMMU_STATE_OK) io->err = e;
}

/* One little-endian field of n bytes; reading checks it fits in mask (else CORRUPT). */
static void io_field(io_t *io, uint64_t *v, unsigned n, uint64_t mask) {
    if (io->err) return;
    if (io->mode == IO_WRITE)
        for (unsigned i = 0; i < n; i++)
            io->out[io->pos + i] = (uint8_t)(*v >> (8 * i));
    if (io->mode == IO_READ) {
        if (io->len - io->pos < n) return fail(io, SMMU_STATE_CORRUPT);
        uint64_t x = 0;
        for (unsigned i = 0; i < n; i++)
            x |= (uint64_t)io->in[io->pos + i] << (8 * i);
        if (x & ~mask) return fail(io, SMMU_STATE_CORRUPT);
        *v = x;
    }
    io->pos += n;
}

static void u64m(io_t *io, uint64_t *p, uint64_t mask) {
    io_field(io, p, 8, mask);
}
static void u64f(io_t *io, uint64_t *p) {
    u64m(io, p, ~0ull);
}
static void u32m(io_t *io, uint32_t *p, uint32_t mask) {
    uint64_t v = *p;
    io_field(io, &v, 4, mask);
    *p = (uint32_t)v;
}
static void u32f(io_t *io, uint32_t *p) {
    u32m(io, p, 0xFFFFFFFFu);
}
static void u16f(io_t *io, uint16_t *p) {
    uint64_t v = *p;
    io_field(io, &v, 2, 0xFFFF);
    *p = (uint16_t)v;
}
static void u8f(io_t *io, uint8_t *p) {
    uint64_t v = *p;
    io_field(io, &v, 1, 0xFF);
    *p = (uint8_t)v;
}
static void boolf(io_t *io, bool *p) { /* one byte, 0 or 1 */
    uint64_t v = *p;
    io_field(io, &v, 1, 1);
    *p = v != 0;
}

/* A section: tag (4 ASCII bytes as a little-endian u32) and payload length, then the payload.
   v1 has its sections in a fixed order; a reader checks tag and length. */
typedef struct {
    size_t start;
} sect_t;

static uint32_t tag4(const char t[4]) {
    return (uint32_t)(uint8_t)t[0] | (uint32_t)(uint8_t)t[1] << 8 | (uint32_t)(uint8_t)t[2] << 16 |
           (uint32_t)(uint8_t)t[3] << 24;
}

static sect_t sect_begin(io_t *io, const char t[4]) {
    uint32_t tag = tag4(t), len = 0;
    const uint32_t want = tag;
    u32f(io, &tag);
    if (io->mode == IO_READ && !io->err && tag != want) fail(io, SMMU_STATE_CORRUPT);
    u32f(io, &len);
    sect_t sc = {io->pos};
    if (io->mode == IO_READ && !io->err && len > io->len - io->pos) fail(io, SMMU_STATE_CORRUPT);
    if (io->mode == IO_READ && !io->err) io->len = io->pos + len; /* the section's end */
    return sc;
}

static void sect_end(io_t *io, sect_t sc, size_t outer_len) {
    if (io->err) return;
    const uint64_t n = io->pos - sc.start;
    if (io->mode == IO_WRITE)
        for (unsigned i = 0; i < 4; i++)
            io->out[sc.start - 4 + i] = (uint8_t)(n >> (8 * i));
    if (io->mode == IO_READ) {
        if (io->pos != io->len) return fail(io, SMMU_STATE_CORRUPT); /* payload left over */
        io->len = outer_len;
    }
}

/* ------------------------------------------------------------------ sections */

static uint32_t width_bits(unsigned max) { /* all-ones covering 0..max */
    uint32_t m = 0;
    while (m < max)
        m = m << 1 | 1;
    return m;
}

/* PROD/CONS hold the index and wrap of up to 19 bits plus the flags the register file keeps
   (6.3.26-6.3.28, 6.3.95-6.3.98); CMDQ_CONS also ERR. */
static void visit_queue(io_t *io, smmu_queue_t *q, uint32_t prod_mask, uint32_t cons_mask) {
    u64f(io, &q->base);
    u32m(io, &q->prod, prod_mask);
    u32m(io, &q->cons, cons_mask);
    u64f(io, &q->irq_cfg0);
    u32f(io, &q->irq_cfg1);
    u32f(io, &q->irq_cfg2);
}

/* A value (S_)GMPAM / (S_)GBPMPAM can hold (6.3.42, 6.3.43, 6.3.88, 6.3.89; regs.c
   write_mpam): nothing without MPAM; MPAM_NS only in the Secure bank with HAS_MPAM_NS; PARTID
   and PMG within the maxima of the PARTID space the register's labels are in. */
static bool mpam_ok(const smmu_params_t *p, bool sec, uint32_t v) {
    if (!p->mpam) return v == 0;
    const bool to_ns = SMMU_VGET(v, SMMU_F_GMPAM_MPAM_NS) != 0;
    if (to_ns && !(sec && p->mpam_ns)) return false;
    const bool ns_space = !sec || to_ns;
    const uint32_t pmax = width_bits(ns_space ? p->mpam_partid_max : p->mpam_s_partid_max);
    const uint32_t gmax = width_bits(ns_space ? p->mpam_pmg_max : p->mpam_s_pmg_max);
    const uint32_t known = SMMU_FMASK32(SMMU_F_GMPAM_SO_PARTID) |
                           SMMU_FMASK32(SMMU_F_GMPAM_SO_PMG) | SMMU_FMASK32(SMMU_F_GMPAM_MPAM_NS);
    return !(v & ~known) && SMMU_VGET(v, SMMU_F_GMPAM_SO_PARTID) <= pmax &&
           SMMU_VGET(v, SMMU_F_GMPAM_SO_PMG) <= gmax;
}

static void visit_bank(io_t *io, const smmu_params_t *p, bool sec, smmu_regs_t *b) {
    const uint32_t idx = SMMU_FMASK32(SMMU_F_Q_IDX), ov = SMMU_FMASK32(SMMU_F_Q_OVFLG);
    u32f(io, &b->cr0);
    u32f(io, &b->cr0ack);
    u32f(io, &b->cr1);
    u32f(io, &b->cr2);
    u32f(io, &b->gbpa);
    u32f(io, &b->agbpa);
    u32f(io, &b->irq_ctrl);
    u32f(io, &b->irq_ctrlack);
    u32f(io, &b->gerror);
    u32f(io, &b->gerrorn);
    u64f(io, &b->gerror_irq_cfg0);
    u32f(io, &b->gerror_irq_cfg1);
    u32f(io, &b->gerror_irq_cfg2);
    u64f(io, &b->strtab_base);
    u32f(io, &b->strtab_base_cfg);
    visit_queue(io, &b->cmdq, idx, idx | SMMU_FMASK32(SMMU_F_CMDQ_CONS_ERR));
    visit_queue(io, &b->eventq, idx | ov, idx | ov);
    visit_queue(io, &b->priq, idx | ov, idx | ov);
    u32f(io, &b->mpam.gmpam);
    u32f(io, &b->mpam.gbpmpam);
    if (!io->err && (!mpam_ok(p, sec, b->mpam.gmpam) || !mpam_ok(p, sec, b->mpam.gbpmpam)))
        fail(io, SMMU_STATE_CORRUPT);
}

static void visit_misc(io_t *io, smmu_img_t *m) {
    for (unsigned i = 0; i < SMMU_IRQ_COUNT; i++)
        boolf(io, &m->irq_level[i]);
    u32f(io, &m->gerror_pending_msi);
    boolf(io, &m->atc_inv_failed[0]);
    boolf(io, &m->atc_inv_failed[1]);
    u32f(io, &m->stall_seq);
    for (unsigned w = 0; w < 2; w++) {
        u64f(io, &m->gatos[w].sid);
        u64f(io, &m->gatos[w].addr);
        u64f(io, &m->gatos[w].par);
    }
}

static void visit_event(io_t *io, smmu_event_t *e) {
    u8f(io, &e->type);
    u32f(io, &e->sid);
    u32f(io, &e->ssid);
    boolf(io, &e->ssv);
    boolf(io, &e->stall);
    u16f(io, &e->stag);
    boolf(io, &e->pnu);
    boolf(io, &e->ind);
    boolf(io, &e->rnw);
    boolf(io, &e->s2);
    boolf(io, &e->ttrnw);
    u8f(io, &e->cls);
    u8f(io, &e->reason);
    u64f(io, &e->addr);
    u64f(io, &e->ipa);
    u64f(io, &e->fetch_addr);
    u8f(io, &e->span);
    u8f(io, &e->perm);
    u8f(io, &e->uperm);
    boolf(io, &e->sec);
}

/* The used stall slots (3.12.2), by increasing STAG: count, then STAG, StreamID, sequence,
   pending flag and the event record of each. STAG < STALL_MAX, each once, and the record is the
   stall's own (STALL 1, its STAG and StreamID). */
static void visit_stalls(io_t *io, const smmu_params_t *p, smmu_stall_t *slots) {
    const unsigned max = slots ? p->stall_max : 0;
    uint32_t n = 0;
    for (unsigned i = 0; io->mode != IO_READ && i < max; i++)
        n += slots[i].used;
    u32m(io, &n, 0xFFFFFFFFu);
    if (!io->err && n > max) return fail(io, SMMU_STATE_CORRUPT);
    uint32_t next = 0; /* a STAG at or above it (IO_READ: strictly increasing) */
    for (uint32_t k = 0; k < n && !io->err; k++) {
        uint32_t stag = next;
        while (io->mode != IO_READ && !slots[stag].used)
            stag++;
        u32m(io, &stag, 0xFFFF);
        if (io->err || stag < next || stag >= max) return fail(io, SMMU_STATE_CORRUPT);
        next = stag + 1;
        smmu_stall_t *st = &slots[stag];
        st->used = true;
        u32m(io, &st->sid, (uint32_t)smmu_bits_mask(p->sidsize));
        u32f(io, &st->seq);
        boolf(io, &st->ev_pending);
        boolf(io, &st->sec);
        visit_event(io, &st->ev);
        if (!io->err && (!st->ev.stall || st->ev.stag != stag || st->ev.sid != st->sid ||
                         st->ev.sec != st->sec || (st->sec && !p->secure_impl)))
            fail(io, SMMU_STATE_CORRUPT);
    }
}

static void visit_pmcg(io_t *io, const smmu_params_t *p, struct smmu_pmcg *g) {
    for (unsigned i = 0; i < p->pmcg_counters; i++) {
        u64f(io, &g->cntr[i]);
        u64f(io, &g->svr[i]);
        u32f(io, &g->evtyper[i]);
        u32f(io, &g->smr[i]);
    }
    u64f(io, &g->cnten);
    u64f(io, &g->inten);
    u64f(io, &g->ovs);
    u64f(io, &g->irq_cfg0);
    u32f(io, &g->cr);
    u32f(io, &g->irq_ctrl);
    u32f(io, &g->irq_cfg1);
    u32f(io, &g->irq_cfg2);
    u32f(io, &g->irq_status);
    u32f(io, &g->scr);
    u32f(io, &g->gmpam);
}

static void visit_sstat(io_t *io, smmu_stream_stats_t *st) {
    u64f(io, &st->translations);
    u64f(io, &st->ok);
    u64f(io, &st->faults);
    u64f(io, &st->stalls);
    for (unsigned i = 0; i < sizeof(st->by_event) / sizeof(st->by_event[0]); i++)
        u64f(io, &st->by_event[i]);
}

/* Statistics (not architectural; saved so that they continue): smmu_stats_t, each cache's
   (lookups = hits + misses are not stored), the per-stream slots in use (index, StreamID,
   counters) and the "other" bucket. */
static void visit_stats(io_t *io, const smmu_params_t *p, smmu_img_t *m) {
    smmu_stats_t *st = &m->st;
    uint64_t *const g[] = {&st->translations,   &st->ok,          &st->faults,     &st->stalls,
                           &st->events_written, &st->events_lost, &st->walk_reads, &st->cfg_reads,
                           &st->commands};
    for (unsigned i = 0; i < sizeof(g) / sizeof(g[0]); i++)
        u64f(io, g[i]);
    for (unsigned i = 0; i < sizeof(st->by_event) / sizeof(st->by_event[0]); i++)
        u64f(io, &st->by_event[i]);
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
        smmu_cache_stats_t *cs = &m->cst[c];
        u64f(io, &cs->hits);
        u64f(io, &cs->misses);
        u64f(io, &cs->fills);
        u64f(io, &cs->evictions);
        u64f(io, &cs->invalidations);
    }
    const uint32_t max = m->sstats ? p->stream_stats_entries : 0;
    uint32_t n = 0;
    for (uint32_t i = 0; io->mode != IO_READ && i < max; i++)
        n += m->sstats[i].key != 0;
    u32f(io, &n);
    if (!io->err && n > max) return fail(io, SMMU_STATE_CORRUPT);
    uint32_t next = 0;
    for (uint32_t k = 0; k < n && !io->err; k++) {
        uint32_t i = next;
        while (io->mode != IO_READ && m->sstats[i].key == 0)
            i++;
        u32f(io, &i);
        if (io->err || i < next || i >= max) return fail(io, SMMU_STATE_CORRUPT);
        next = i + 1;
        u32f(io, &m->sstats[i].key);
        if (!io->err && m->sstats[i].key == 0) return fail(io, SMMU_STATE_CORRUPT);
        smmu_stream_stats_t sst = m->sstats[i].st;
        if (m->src) smmu_memo_fold_stream(m->src, i, &sst);
        visit_sstat(io, &sst);
        if (io->mode == IO_READ) m->sstats[i].st = sst;
    }
    visit_sstat(io, &m->sstat_other);
}

/* The body, in the order of docs/state.md. */
static void visit_body(io_t *io, const smmu_params_t *p, smmu_img_t *m) {
    const size_t outer = io->len;
    static const char *const bank_tags[2] = {"BNKN", "BNKS"};
    for (unsigned w = 0; w < 2; w++) {
        sect_t sc = sect_begin(io, bank_tags[w]);
        visit_bank(io, p, w == 1, &m->bank[w]);
        sect_end(io, sc, outer);
    }
    sect_t sc = sect_begin(io, "MISC");
    visit_misc(io, m);
    sect_end(io, sc, outer);
    sc = sect_begin(io, "STAL");
    visit_stalls(io, p, m->stalls);
    sect_end(io, sc, outer);
    sc = sect_begin(io, "PMCG");
    for (unsigned g = 0; g < p->pmcg_groups; g++)
        visit_pmcg(io, p, &m->pmcg[g]);
    sect_end(io, sc, outer);
    sc = sect_begin(io, "STAT");
    visit_stats(io, p, m);
    sect_end(io, sc, outer);
}

/* ------------------------------------------------------------------ image <-> instance */

static void img_free(smmu_img_t *m) {
    free(m->stalls);
    free(m->sstats);
}

/* Storage of the image's variable parts for s's params; non-zero on allocation failure. */
static int img_alloc(const smmu_t *s, smmu_img_t *m) {
    memset(m, 0, sizeof(*m));
    if (s->stalls) m->stalls = calloc(s->p.stall_max, sizeof(*m->stalls));
    if (s->sstats) m->sstats = calloc(s->p.stream_stats_entries, sizeof(*m->sstats));
    return (s->stalls && !m->stalls) || (s->sstats && !m->sstats);
}

/* The image of s (without copying: the image's arrays point into s). */
static void img_of(smmu_t *s, smmu_img_t *m) {
    memset(m, 0, sizeof(*m));
    m->bank[0] = s->r;
    m->bank[1] = s->sr;
    memcpy(m->irq_level, s->irq_level, sizeof(m->irq_level));
    m->gerror_pending_msi = s->gerror_pending_msi;
    m->atc_inv_failed[0] = s->atc_inv_failed;
    m->atc_inv_failed[1] = s->s_atc_inv_failed;
    m->stall_seq = s->stall_seq;
    m->gatos[0] = s->gatos;
    m->gatos[1] = s->s_gatos;
    m->stalls = s->stalls;
    for (unsigned g = 0; g < s->p.pmcg_groups; g++)
        m->pmcg[g] = s->pmcg[g];
    /* statistics as their getters report them (memo hits folded in) */
    m->st = s->st;
    smmu_memo_fold_stats(s, &m->st);
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
        m->cst[c] = s->cache[c].st;
        m->cst[c].hits += smmu_memo_cache_hits(s, c);
    }
    m->sstats = s->sstats;
    m->sstat_other = s->sstat_other;
    m->src = s;
    smmu_memo_fold_stream(s, UINT32_MAX, &m->sstat_other);
}

/* Checks across fields the per-field ranges cannot express. */
static bool img_ok(const smmu_t *s, const smmu_img_t *m) {
    for (unsigned g = 0; g < s->p.pmcg_groups; g++)
        if (!smmu_pmcg_group_ok(s, &m->pmcg[g])) return false;
    /* a stream's key is its StreamID + 1 (cache.c), never twice */
    for (uint32_t i = 0; m->sstats && i < s->p.stream_stats_entries; i++)
        for (uint32_t j = i + 1; m->sstats[i].key && j < s->p.stream_stats_entries; j++)
            if (m->sstats[j].key == m->sstats[i].key) return false;
    return true;
}

/* Replaces s's state by m's. Caches (and the memo, grants and host-derived state) are dropped:
   the next lookups miss, which is architecturally invisible. */
static void img_apply(smmu_t *s, const smmu_img_t *m) {
    smmu_caches_flush(s); /* before the statistics are replaced: its invalidations are not */
    smmu_memo_flush(s);
    memset(s->grants, 0, sizeof(s->grants));
    s->grants_wide = false;
    smmu_regs_t r = m->bank[0], sr = m->bank[1];
    memcpy(r.idr, s->r.idr, sizeof(r.idr)); /* ID registers stay the instance's (params) */
    r.iidr = s->r.iidr, r.aidr = s->r.aidr, r.mpamidr = s->r.mpamidr;
    memcpy(sr.idr, s->sr.idr, sizeof(sr.idr));
    sr.iidr = s->sr.iidr, sr.aidr = s->sr.aidr, sr.mpamidr = s->sr.mpamidr;
    s->r = r;
    s->sr = sr;
    s->mpam_io = false;
    s->mpam_sec = false;
    s->gerror_pending_msi = m->gerror_pending_msi;
    s->atc_inv_failed = m->atc_inv_failed[0];
    s->s_atc_inv_failed = m->atc_inv_failed[1];
    s->stall_seq = m->stall_seq;
    s->gatos = m->gatos[0];
    s->s_gatos = m->gatos[1];
    s->stalls_used = 0;
    for (unsigned i = 0; s->stalls && i < s->p.stall_max; i++) {
        s->stalls[i] = m->stalls[i];
        s->stalls_used += s->stalls[i].used;
    }
    for (unsigned g = 0; g < s->p.pmcg_groups; g++)
        s->pmcg[g] = m->pmcg[g];
    smmu_pmcg_restored(s);
    /* statistics: cleared (the ports' memo hits too), then the saved totals */
    smmu_cache_clear_stats(s);
    s->st = m->st;
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
        s->cache[c].st = m->cst[c];
        s->cache[c].st.lookups = 0;
    }
    for (uint32_t i = 0; s->sstats && i < s->p.stream_stats_entries; i++)
        s->sstats[i] = m->sstats[i];
    s->sstat_other = m->sstat_other;
    /* The host learns last, when the state is whole (a callback may look at it): what it
       derived is stale (SMMU_INV_ALL; the caches are empty, nothing more is counted), and the
       wired lines that change. */
    smmu_cache_changed(s);
    for (unsigned i = 0; i < SMMU_IRQ_COUNT; i++)
        smmu_set_irq(s, (smmu_irq_t)i, m->irq_level[i]);
}

/* ------------------------------------------------------------------ public */

static void put_le(uint8_t *b, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *b, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static size_t body_size(smmu_t *s) {
    smmu_img_t m;
    img_of(s, &m);
    io_t io = {.mode = IO_SIZE};
    visit_body(&io, &s->p, &m);
    return io.pos;
}

size_t smmu_save_size(smmu_t *s) {
    SMMU_LOCKED(s);
    smmu_sync_host_counts(s); /* the per-stream slots they may claim are saved */
    return HDR_BYTES + body_size(s);
}

static bool busy(const smmu_t *s) {
    return s->cmdq_busy || s->s_cmdq_busy;
}

smmu_state_status_t smmu_save(smmu_t *s, void *buf, size_t cap, size_t *len) {
    SMMU_LOCKED(s);
    smmu_sync_host_counts(s);
    if (len) *len = 0;
    if (busy(s)) return SMMU_STATE_BUSY;
    const size_t total = HDR_BYTES + body_size(s);
    if (!buf || cap < total) return SMMU_STATE_NO_SPACE;
    uint8_t *b = buf;
    smmu_img_t m;
    img_of(s, &m);
    io_t io = {.mode = IO_WRITE, .out = b + HDR_BYTES};
    visit_body(&io, &s->p, &m);
    memcpy(b, MAGIC, sizeof(MAGIC));
    put_le(b + 8, FMT_VERSION, 4);
    put_le(b + 12, HDR_BYTES, 4);
    put_le(b + 16, total, 8);
    put_le(b + 24, smmu_state_params_digest(&s->p), 8);
    put_le(b + 32, fnv(FNV_INIT, b + HDR_BYTES, total - HDR_BYTES), 8);
    if (len) *len = total;
    return SMMU_STATE_OK;
}

/* The header's checks, in the order of docs/state.md. */
static smmu_state_status_t check_header(const smmu_t *s, const uint8_t *b, size_t len,
                                        size_t *total) {
    if (!b || len < HDR_BYTES) return SMMU_STATE_TRUNCATED;
    if (memcmp(b, MAGIC, sizeof(MAGIC))) return SMMU_STATE_BAD_MAGIC;
    if (get_le(b + 8, 4) != FMT_VERSION) return SMMU_STATE_BAD_VERSION;
    const uint64_t t = get_le(b + 16, 8);
    if (get_le(b + 12, 4) != HDR_BYTES || t < HDR_BYTES) return SMMU_STATE_CORRUPT;
    if (t > len) return SMMU_STATE_TRUNCATED;
    if (get_le(b + 24, 8) != smmu_state_params_digest(&s->p)) return SMMU_STATE_PARAMS_MISMATCH;
    if (get_le(b + 32, 8) != fnv(FNV_INIT, b + HDR_BYTES, (size_t)t - HDR_BYTES))
        return SMMU_STATE_CORRUPT;
    *total = (size_t)t;
    return SMMU_STATE_OK;
}

smmu_state_status_t smmu_restore(smmu_t *s, const void *buf, size_t len) {
    SMMU_LOCKED(s);
    smmu_sync_host_counts(s); /* into the statistics the restore replaces */
    if (busy(s)) return SMMU_STATE_BUSY;
    size_t total = 0;
    smmu_state_status_t rc = check_header(s, buf, len, &total);
    if (rc != SMMU_STATE_OK) return rc;
    smmu_img_t m;
    if (img_alloc(s, &m)) {
        img_free(&m);
        return SMMU_STATE_NO_SPACE;
    }
    io_t io = {.mode = IO_READ, .in = (const uint8_t *)buf + HDR_BYTES, .len = total - HDR_BYTES};
    visit_body(&io, &s->p, &m);
    rc = io.err;
    if (rc == SMMU_STATE_OK && (io.pos != io.len || !img_ok(s, &m))) rc = SMMU_STATE_CORRUPT;
    if (rc == SMMU_STATE_OK) img_apply(s, &m);
    img_free(&m);
    return rc;
}

const char *smmu_state_status_name(smmu_state_status_t st) {
    static const char *const names[] = {
        [SMMU_STATE_OK] = "OK",
        [SMMU_STATE_NO_SPACE] = "NO_SPACE",
        [SMMU_STATE_TRUNCATED] = "TRUNCATED",
        [SMMU_STATE_BAD_MAGIC] = "BAD_MAGIC",
        [SMMU_STATE_BAD_VERSION] = "BAD_VERSION",
        [SMMU_STATE_PARAMS_MISMATCH] = "PARAMS_MISMATCH",
        [SMMU_STATE_CORRUPT] = "CORRUPT",
        [SMMU_STATE_BUSY] = "BUSY",
    };
    if ((unsigned)st < sizeof(names) / sizeof(names[0]) && names[st]) return names[st];
    return "UNKNOWN";
}
