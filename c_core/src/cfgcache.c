/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Configuration caches (spec 3.21.3, 4.3, 16.2): decoded STEs keyed by StreamID, decoded CDs
 * keyed by StreamID and CD-table index (a CD is local to the StreamID that located it, 4.3.3),
 * and L1STD / L1CD descriptors, each tagged with the Security state of its Stream table (a
 * Secure and a Non-secure StreamID of the same value are different streams, 3.10.1; so are their
 * structures, which only CMD_CFGI_* of their own Security state reach, 4.1.6, 4.3). Only structures
 * that were fetched and found valid are cached (caching invalid ones is permitted, 3.21.3, not
 * required); a fetch abort is never cached.
 *
 * CMD_CFGI_* remove exactly their scope (4.3.1 - 4.3.6):
 *   CFGI_STE(sid, Leaf)    the STE, every CD and L1CD cached through sid; Leaf == 0 also the
 *                          L1STD that locates sid
 *   CFGI_STE_RANGE(sid, R) the same for the aligned range of 2^(R+1) StreamIDs, with the L1STDs
 *                          of the range; R == 31 is CFGI_ALL: everything
 *   CFGI_CD(sid, ssid, L)  the CD at index ssid of sid's table; Leaf == 0 also its L1CD
 *   CFGI_CD_ALL(sid)       every CD and L1CD cached through sid */
#include "cfgcache.h"

#include <string.h>

#include "cache.h"
#include "choice.h"
#include "cd.h"
#include "cline.h"
#include "instance.h"
#include "memo.h"
#include "strtab.h"
#include "xctx.h"

static uint64_t hash2(uint64_t a, uint64_t b) {
    return (a << 24) ^ (a >> 40) ^ b;
}

/* ------------------------------------------------------------------ lookups and fills */

/* STE entries (3.20.2, 5.2 STE.CONT): an entry of span 2^n serves the aligned StreamIDs
   [sid & ~(2^n - 1), sid | (2^n - 1)] and sits in the set of (sid >> n, n); an individual STE
   (n == 0) in the set of its StreamID. The spans present are kept as a bit mask (the cache's
   sizes), so a cache of individual STEs is probed once. */
static uint64_t ste_hash(uint32_t sid, unsigned n, bool sec) {
    return (n ? (uint64_t)(sid >> n) ^ (uint64_t)n << 40 : sid) ^ (uint64_t)sec << 39;
}

static smmu_stee_t *ste_probe(const smmu_cache_t *c, uint32_t sid, unsigned n, bool sec) {
    uint32_t base = smmu_cset(c, ste_hash(sid, n, sec));
    for (uint32_t w = 0; w < c->ways; w++) {
        smmu_stee_t *e = smmu_cline(c, base + w);
        if (e->h.valid && e->cont == n && ((e->sid ^ sid) >> n) == 0 && e->sec == sec) return e;
    }
    return NULL;
}

/* Two cached STEs are identical when their decoded configurations are (smmu_ste_decode clears
   the whole structure first, so memcmp compares fields only): every field that takes part in a
   translation, CONT apart (5.2). */
static bool ste_same(const smmu_stee_t *a, const smmu_stee_t *b) {
    return memcmp(&a->c, &b->c, sizeof(a->c)) == 0;
}

/* A lookup probes the spans present upwards and answers with the narrowest entry. With other
   spans present it also probes the wider ones: an entry there that is not identical is a
   multi-match of a CONT span over another STE (7.3.18), reported, not resolved (5.2 STE.CONT
   permits F_CFG_CONFLICT); identical entries just answer alike. */
const smmu_stee_t *smmu_ste_cached(smmu_t *s, smmu_xctx_t *x, uint32_t sid, bool *conflict) {
    smmu_cache_t *c = &s->cache[SMMU_CACHE_STE];
    *conflict = false;
    if (!c->sets) return NULL;
    /* Individual STEs only (one probe, no multi-match): the line last used, when it is sid's,
       is the one ste_probe would find. */
    smmu_stee_t *mru = smmu_cline(c, c->mru);
    if (c->sizes == 1 && mru->h.valid && mru->sid == sid && mru->sec == x->sec) {
        smmu_cache_hit(s, x, c, mru);
        return mru;
    }
    for (uint64_t m = c->sizes; m; m &= m - 1) {
        const unsigned n = (unsigned)__builtin_ctzll(m);
        smmu_stee_t *e = ste_probe(c, sid, n, x->sec);
        if (!e) continue;
        smmu_cache_hit(s, x, c, e);
        c->mru = smmu_cline_index(e);
        for (uint64_t w = m & (m - 1); w; w &= w - 1) {
            const smmu_stee_t *o = ste_probe(c, sid, (unsigned)__builtin_ctzll(w), x->sec);
            if (o && !ste_same(e, o)) *conflict = true;
        }
        return e;
    }
    smmu_cache_miss(x, c);
    return NULL;
}

/* The memo (memo.c) answers a stream's translations while its STE line is unchanged, so it would
   not see a wider or narrower entry filled later over the same StreamID: a fill while entries
   of another span are present retires every memo entry, and the next translation takes the full
   path, whose lookup finds the multi-match. Individual STEs only keep the memo. */
const void *smmu_ste_fill(smmu_t *s, const smmu_xctx_t *x, uint32_t sid, unsigned cont,
                          const smmu_stecfg_t *cfg) {
    smmu_cache_t *c = &s->cache[SMMU_CACHE_STE];
    if (!c->sets || x->dbg || cont > 31) return NULL; /* nothing would be filled */
    if (c->sizes & ~(1ull << cont)) smmu_memo_flush(s);
    smmu_stee_t *e = smmu_cache_alloc(s, x, c, ste_hash(sid, cont, x->sec));
    if (!e) return NULL;
    e->sid = sid;
    e->sec = x->sec;
    e->cont = (uint8_t)cont;
    e->c = *cfg;
    c->sizes |= 1ull << cont;
    c->mru = smmu_cline_index(e);
    return e;
}

const smmu_cde_t *smmu_cd_cached(smmu_t *s, smmu_xctx_t *x, uint32_t sid, uint32_t ssid) {
    smmu_cache_t *c = &s->cache[SMMU_CACHE_CD];
    if (!c->sets) return NULL;
    smmu_cde_t *mru = smmu_cline(c, c->mru); /* the line last used, when it holds this CD */
    if (mru->h.valid && mru->sid == sid && mru->ssid == ssid && mru->sec == x->sec) {
        smmu_cache_hit(s, x, c, mru);
        return mru;
    }
    uint32_t base = smmu_cset(c, hash2(sid, ssid) ^ (uint64_t)x->sec << 62);
    for (uint32_t w = 0; w < c->ways; w++) {
        smmu_cde_t *e = smmu_cline(c, base + w);
        if (e->h.valid && e->sid == sid && e->ssid == ssid && e->sec == x->sec) {
            smmu_cache_hit(s, x, c, e);
            c->mru = smmu_cline_index(e);
            return e;
        }
    }
    smmu_cache_miss(x, c);
    return NULL;
}

const void *smmu_cd_fill(smmu_t *s, const smmu_xctx_t *x, uint32_t sid, uint32_t ssid,
                         const smmu_s1cfg_t *cfg) {
    smmu_cde_t *e =
        smmu_cache_alloc(s, x, &s->cache[SMMU_CACHE_CD], hash2(sid, ssid) ^ (uint64_t)x->sec << 62);
    if (!e) return NULL;
    e->sid = sid;
    e->sec = x->sec;
    e->ssid = ssid;
    e->c = *cfg;
    s->cache[SMMU_CACHE_CD].mru = smmu_cline_index(e);
    return e;
}

/* smmu_translate_batch's look-ahead (batch.c): the same lookups without counting or refreshing
   anything. A CONT multi-match is not looked for: the translation itself reports it. */
const smmu_stee_t *smmu_ste_peek(const smmu_t *s, uint32_t sid, bool sec) {
    const smmu_cache_t *c = &s->cache[SMMU_CACHE_STE];
    if (!c->sets) return NULL;
    for (uint64_t m = c->sizes; m; m &= m - 1) {
        const smmu_stee_t *e = ste_probe(c, sid, (unsigned)__builtin_ctzll(m), sec);
        if (e) return e;
    }
    return NULL;
}

const smmu_cde_t *smmu_cd_peek(const smmu_t *s, uint32_t sid, uint32_t ssid, bool sec) {
    const smmu_cache_t *c = &s->cache[SMMU_CACHE_CD];
    if (!c->sets) return NULL;
    uint32_t base = smmu_cset(c, hash2(sid, ssid) ^ (uint64_t)sec << 62);
    for (uint32_t w = 0; w < c->ways; w++) {
        const smmu_cde_t *e = smmu_cline(c, base + w);
        if (e->h.valid && e->sid == sid && e->ssid == ssid && e->sec == sec) return e;
    }
    return NULL;
}

/* Key of an L1 descriptor: an L1STD covers StreamIDs [idx << SPLIT, (idx + 1) << SPLIT); an
   L1CD is local to its StreamID (4.3.3) and covers SubstreamIDs [idx << bits, ...). */
static void l1_key(bool cd, uint32_t sid, uint32_t ssid, unsigned bits, uint32_t *ksid,
                   uint32_t *idx) {
    *ksid = cd ? sid : 0;
    *idx = bits >= 32 ? 0 : (cd ? ssid : sid) >> bits;
}

static uint64_t l1_hash(bool cd, uint32_t ksid, uint32_t idx, bool sec) {
    return hash2(ksid, idx) ^ (uint64_t)cd << 63 ^ (uint64_t)sec << 62;
}

bool smmu_l1_cached(smmu_t *s, smmu_xctx_t *x, bool cd, uint32_t sid, uint32_t ssid, unsigned bits,
                    uint64_t *desc) {
    smmu_cache_t *c = &s->cache[SMMU_CACHE_L1];
    if (!c->sets) return false;
    uint32_t ksid, idx;
    l1_key(cd, sid, ssid, bits, &ksid, &idx);
    uint32_t base = smmu_cset(c, l1_hash(cd, ksid, idx, x->sec));
    for (uint32_t w = 0; w < c->ways; w++) {
        smmu_l1e_t *e = smmu_cline(c, base + w);
        if (e->h.valid && e->cd == cd && e->sid == ksid && e->idx == idx && e->bits == bits &&
            e->sec == x->sec) {
            smmu_cache_hit(s, x, c, e);
            *desc = e->desc;
            return true;
        }
    }
    smmu_cache_miss(x, c);
    return false;
}

void smmu_l1_fill(smmu_t *s, const smmu_xctx_t *x, bool cd, uint32_t sid, uint32_t ssid,
                  unsigned bits, uint64_t desc) {
    uint32_t ksid, idx;
    l1_key(cd, sid, ssid, bits, &ksid, &idx);
    smmu_l1e_t *e =
        smmu_cache_alloc(s, x, &s->cache[SMMU_CACHE_L1], l1_hash(cd, ksid, idx, x->sec));
    if (!e) return;
    e->cd = cd;
    e->sec = x->sec;
    e->bits = (uint8_t)bits;
    e->sid = ksid;
    e->idx = idx;
    e->desc = desc;
}

/* ------------------------------------------------------------------ CMD_CFGI_* */

/* What one CFGI removes is the public smmu_inv_scope_t (<smmu/smmu.h>): StreamIDs [sid_lo,
   sid_hi]; ssid_all false: only CD index ssid (and its L1CD when !leaf); l1std: the L1STDs of
   the StreamIDs; ste: the STEs (CFGI_CD* keep them). */
typedef smmu_inv_scope_t cfgi_t;

/* A StreamID of the command's Security state in its range (4.3: SSec; the Non-secure queue's
   commands never reach Secure structures, nor the Secure queue's SSec == 0 ones Secure ones:
   no over-invalidation across Security states). */
static bool in_range(const cfgi_t *v, uint32_t sid, bool sec) {
    return sec == v->secure && sid >= v->sid_lo && sid <= v->sid_hi;
}

/* An STE entry is in scope when any StreamID it serves is: CONT does not narrow configuration
   invalidation (5.2 STE.CONT), so a CFGI_STE of one StreamID of a span removes the span's entry
   (4.3.1: every cached copy of the STE used for that StreamID). */
static bool ste_hit(const smmu_stee_t *e, const cfgi_t *v) {
    const uint32_t mask = (uint32_t)smmu_bits_mask(e->cont);
    return e->sec == v->secure && (e->sid & ~mask) <= v->sid_hi && (e->sid | mask) >= v->sid_lo;
}

static void drop_stes(smmu_t *s, smmu_cache_t *c, const cfgi_t *v) {
    for (uint32_t i = 0; i < c->sets * c->ways && c->live; i++) {
        smmu_stee_t *e = smmu_cline(c, i);
        if (e->h.valid && ste_hit(e, v)) smmu_cache_drop(s, c, e);
    }
}

static void drop_cds(smmu_t *s, smmu_cache_t *c, const cfgi_t *v) {
    for (uint32_t i = 0; i < c->sets * c->ways && c->live; i++) {
        smmu_cde_t *e = smmu_cline(c, i);
        if (e->h.valid && in_range(v, e->sid, e->sec) && (v->ssid_all || e->ssid == v->ssid))
            smmu_cache_drop(s, c, e);
    }
}

/* An L1STD entry covers StreamIDs [idx << bits, ((idx + 1) << bits) - 1]. */
static bool l1std_hit(const smmu_l1e_t *e, const cfgi_t *v) {
    uint64_t first = (uint64_t)e->idx << e->bits, last = first + (1ull << e->bits) - 1;
    return e->sec == v->secure && first <= v->sid_hi && last >= v->sid_lo;
}

static bool l1cd_hit(const smmu_l1e_t *e, const cfgi_t *v) {
    if (!in_range(v, e->sid, e->sec)) return false;
    if (v->ssid_all) return true;
    return !v->leaf && e->bits < 32 && (v->ssid >> e->bits) == e->idx;
}

static void drop_l1s(smmu_t *s, smmu_cache_t *c, const cfgi_t *v) {
    for (uint32_t i = 0; i < c->sets * c->ways && c->live; i++) {
        smmu_l1e_t *e = smmu_cline(c, i);
        if (!e->h.valid) continue;
        if (e->cd ? l1cd_hit(e, v) : (v->l1std && l1std_hit(e, v))) smmu_cache_drop(s, c, e);
    }
}

static void cfgi_apply(smmu_t *s, const cfgi_t *v) {
    if (v->ste) drop_stes(s, &s->cache[SMMU_CACHE_STE], v);
    drop_cds(s, &s->cache[SMMU_CACHE_CD], v);
    drop_l1s(s, &s->cache[SMMU_CACHE_L1], v);
}

void smmu_cfg_flush_sec(smmu_t *s, bool sec) {
    const cfgi_t v = {.sid_lo = 0,
                      .sid_hi = UINT32_MAX,
                      .ste = true,
                      .l1std = true,
                      .ssid_all = true,
                      .secure = sec};
    cfgi_apply(s, &v);
}

/* An out-of-range StreamID or SubstreamID parameter (4.1.7, 4.3.1, 4.3.3): the command has no
   effect (nothing cached has such an ID: the value is kept), or acts on the ID truncated to its
   implemented bits (choice cfgi_out_of_range, decided at each such command). */
static uint32_t in_range_id(smmu_t *s, uint32_t id, unsigned bits) {
    if (bits >= 32 || (id >> bits) == 0) return id;
    if (smmu_choice(s, SMMU_CHOICE_CFGI_OUT_OF_RANGE) != SMMU_CFGI_RANGE_TRUNCATE) return id;
    return id & (uint32_t)smmu_bits_mask(bits);
}

void smmu_cfgi(smmu_t *s, const uint64_t dw[2], bool sec, smmu_inv_scope_t *scope) {
    unsigned op = (unsigned)SMMU_FGET(dw, SMMU_F_CMD_OPCODE);
    uint32_t sid = (uint32_t)SMMU_FGET(dw, SMMU_F_CMD_SID);
    if (op == SMMU_CMD_CFGI_STE || op == SMMU_CMD_CFGI_CD) sid = in_range_id(s, sid, s->p.sidsize);
    bool leaf = SMMU_FGET(dw, SMMU_F_CMD_LEAF);
    cfgi_t v = {.kind = SMMU_INV_CFG,
                .opcode = (uint8_t)op,
                .sid_lo = sid,
                .sid_hi = sid,
                .ssid_all = true,
                /* SSec selects the Stream table on the Secure queue (4.1.6); 0 elsewhere */
                .secure = sec && SMMU_FGET(dw, SMMU_F_CMD_SSEC)};
    if (op == SMMU_CMD_CFGI_STE) {
        v.ste = true;
        v.leaf = leaf;
        v.l1std = !leaf; /* 4.3.1: Leaf == 1 need not touch the L1STD */
    } else if (op == SMMU_CMD_CFGI_STE_RANGE) {
        unsigned range =
            (unsigned)SMMU_FGET(dw, SMMU_F_CMD_RANGE); /* 2^(Range + 1) StreamIDs, aligned */
        uint32_t mask = range >= SMMU_CMD_RANGE_ALL ? UINT32_MAX : (2u << range) - 1;
        v.sid_lo = sid & ~mask;
        v.sid_hi = sid | mask;
        v.ste = v.l1std = true;
    } else if (op == SMMU_CMD_CFGI_CD) {
        v.ssid_all = false;
        v.ssid = in_range_id(s, (uint32_t)SMMU_FGET(dw, SMMU_F_CMD_SSID), s->p.ssidsize);
        v.leaf = leaf;
    }
    cfgi_apply(s, &v);
    *scope = v;
}
