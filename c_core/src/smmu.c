/* SPDX-License-Identifier: Apache-2.0 */
/* Instance lifecycle, parameters, the core's own memory accesses, statistics. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void reset_state(smmu_t *s);

void smmu_params_init(smmu_params_t *p) {
    memset(p, 0, sizeof(*p));
    p->s1 = true;
    p->s2 = true;
    p->st_2lvl = true;
    p->cd_2lvl = true;
    p->ats = true;
    p->pri = true;
    p->msi = true;
    p->hyp = true;
    p->asid16 = true;
    p->vmid16 = true;
    p->coherent = true;
    p->sev = true;
    p->ttendian_mixed = true;
    p->stall_model = SMMU_STALL_MODEL_BOTH;
    p->sidsize = 20;
    p->ssidsize = 20;
    p->cmdq_log2 = 19;
    p->eventq_log2 = 19;
    p->priq_log2 = 19;
    p->ril = true;
    p->attr_types_ovr = true;
    p->attr_perms_ovr = true;
    p->oas_bits = 48;
    p->gran4k = p->gran16k = p->gran64k = true;
    p->stall_max = 64;
    p->iidr = 0;
    p->arch_minor = 2;
    smmu_cache_params_init(p);
}

static bool oas_ok(unsigned b) {
    return smmu_pa_size_enc(b) >= 0;
}

/* The architected ranges of IDR0/IDR1/IDR5 (spec 6.3.1, 6.3.2, 6.3.6). */
static bool params_ok(const smmu_params_t *p) {
    if (!p->s1 && !p->s2) return false;
    if (!p->gran4k && !p->gran16k && !p->gran64k) return false;
    if (p->sidsize > 32 || p->ssidsize > 20) return false;
    if (p->cmdq_log2 > 19 || p->eventq_log2 > 19 || p->priq_log2 > 19) return false;
    if (p->stall_model > SMMU_STALL_MODEL_STALL) return false;
    if (!oas_ok(p->oas_bits)) return false;
    if (p->cd_2lvl && !p->st_2lvl) return false; /* ST_LEVEL 0b01 covers both (6.3.1) */
    if (p->pri && !p->ats) return false;         /* PRI requires ATS (6.3.1) */
    if (p->arch_minor > 15 || p->bbml > 2) return false;
    if (p->stall_model != SMMU_STALL_MODEL_TERMINATE && p->stall_max == 0) return false;
    return smmu_cache_params_ok(p);
}

smmu_t *smmu_new(const smmu_params_t *p, const smmu_host_t *host) {
    if (!p || !host || !host->mem_read || !host->mem_write || !params_ok(p)) return NULL;
    smmu_t *s = calloc(1, sizeof(*s));
    if (!s) return NULL;
    s->p = *p;
    s->host = *host;
    if (p->stall_model != SMMU_STALL_MODEL_TERMINATE) {
        s->stalls = calloc(p->stall_max, sizeof(*s->stalls));
        if (!s->stalls) {
            free(s);
            return NULL;
        }
    }
    if (smmu_caches_new(s)) {
        smmu_free(s);
        return NULL;
    }
    smmu_regs_compute_idr(s);
    reset_state(s); /* no host notice before smmu_new() returns */
    return s;
}

void smmu_free(smmu_t *s) {
    if (!s) return;
    smmu_caches_free(s);
    free(s->stalls);
    free(s);
}

static void reset_state(smmu_t *s) {
    for (int i = 0; i < SMMU_IRQ_COUNT; i++)
        smmu_set_irq(s, (smmu_irq_t)i, false);
    smmu_regs_reset(s);
    memset(&s->st, 0, sizeof(s->st));
    smmu_caches_flush(s);
    smmu_cache_clear_stats(s);
    if (s->stalls) memset(s->stalls, 0, sizeof(*s->stalls) * s->p.stall_max);
    s->stalls_used = 0;
    memset(s->grants, 0, sizeof(s->grants));
    s->grants_wide = false;
}

void smmu_reset(smmu_t *s) {
    reset_state(s);
    smmu_cache_changed(s); /* the memo too; the host drops what it derived (SMMU_INV_ALL) */
}

const smmu_params_t *smmu_params(const smmu_t *s) {
    return &s->p;
}

/* A grant the host handed out for pa: usable (it covers pa, does not wrap past 2^64, and its
   epoch is current). */
static bool grant_ok(const smmu_mem_grant_t *g, uint64_t pa) {
    return g->ptr && g->epoch && g->size && g->base + (g->size - 1) >= g->base &&
           pa - g->base < g->size && *g->epoch == g->epoch_val;
}

/* A read the grant of its slot does not answer (smmu_mem_rd): a current grant held in another
   slot (one wider than a page: only looked for once such a grant was seen) or a new one from
   host->mem_ptr takes pa's slot; the read is copied from it when it lies inside, else (it
   straddles the grant's end, or no grant) it goes to host->mem_read. */
int smmu_mem_rd_host(smmu_t *s, uint64_t pa, void *buf, size_t len) {
    if (s->host.mem_ptr && len) {
        smmu_mem_grant_t *slot = smmu_grant_slot(s, pa), g = {0};
        bool held = grant_ok(slot, pa); /* then the read straddles its end */
        if (held) g = *slot;
        for (unsigned i = 0; i < SMMU_GRANTS && !held && s->grants_wide; i++)
            if (grant_ok(&s->grants[i], pa)) {
                g = s->grants[i];
                held = true;
            }
        if (held || (s->host.mem_ptr(s->host.ctx, pa, &g) && grant_ok(&g, pa))) {
            if ((g.base >> 12) != ((g.base + (g.size - 1)) >> 12)) s->grants_wide = true;
            *slot = g;
            uint64_t off = pa - g.base;
            if (len <= g.size - off) {
                memcpy(buf, g.ptr + off, len);
                return 0;
            }
        }
    }
    return s->host.mem_read(s->host.ctx, pa, buf, len, false);
}

int smmu_mem_wr(smmu_t *s, uint64_t pa, const void *buf, size_t len) {
    return s->host.mem_write(s->host.ctx, pa, buf, len, false);
}

static void host_to_le64(uint8_t *b, uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(b, &v, sizeof(v));
}

int smmu_mem_rd64_host(smmu_t *s, uint64_t pa, uint64_t *dw, unsigned n) {
    uint8_t buf[64];
    if (n > 8) return -1;
    if (smmu_mem_rd_host(s, pa, buf, 8u * n)) return -1;
    for (unsigned i = 0; i < n; i++)
        dw[i] = smmu_le64(buf + 8 * i);
    return 0;
}

int smmu_mem_wr64(smmu_t *s, uint64_t pa, const uint64_t *dw, unsigned n) {
    uint8_t buf[64];
    if (n > 8) return -1;
    for (unsigned i = 0; i < n; i++)
        host_to_le64(buf + 8 * i, dw[i]);
    return smmu_mem_wr(s, pa, buf, 8u * n);
}

void smmu_set_irq(smmu_t *s, smmu_irq_t line, bool level) {
    if (s->irq_level[line] == level) return;
    s->irq_level[line] = level;
    if (s->host.irq) s->host.irq(s->host.ctx, (int)line, level);
}

void smmu_get_stats(const smmu_t *s, smmu_stats_t *st) {
    *st = s->st;
    smmu_memo_fold_stats(s, st);
}

void smmu_clear_stats(smmu_t *s) {
    memset(&s->st, 0, sizeof(s->st));
    smmu_cache_clear_stats(s);
}

const char *smmu_event_name(uint32_t event) {
    static const char *const names[] = {
        [SMMU_EVT_F_UUT] = "F_UUT",
        [SMMU_EVT_C_BAD_STREAMID] = "C_BAD_STREAMID",
        [SMMU_EVT_F_STE_FETCH] = "F_STE_FETCH",
        [SMMU_EVT_C_BAD_STE] = "C_BAD_STE",
        [SMMU_EVT_F_BAD_ATS_TREQ] = "F_BAD_ATS_TREQ",
        [SMMU_EVT_F_STREAM_DISABLED] = "F_STREAM_DISABLED",
        [SMMU_EVT_F_TRANSL_FORBIDDEN] = "F_TRANSL_FORBIDDEN",
        [SMMU_EVT_C_BAD_SUBSTREAMID] = "C_BAD_SUBSTREAMID",
        [SMMU_EVT_F_CD_FETCH] = "F_CD_FETCH",
        [SMMU_EVT_C_BAD_CD] = "C_BAD_CD",
        [SMMU_EVT_F_WALK_EABT] = "F_WALK_EABT",
        [SMMU_EVT_F_TRANSLATION] = "F_TRANSLATION",
        [SMMU_EVT_F_ADDR_SIZE] = "F_ADDR_SIZE",
        [SMMU_EVT_F_ACCESS] = "F_ACCESS",
        [SMMU_EVT_F_PERMISSION] = "F_PERMISSION",
        [SMMU_EVT_F_TLB_CONFLICT] = "F_TLB_CONFLICT",
        [SMMU_EVT_F_CFG_CONFLICT] = "F_CFG_CONFLICT",
        [SMMU_EVT_E_PAGE_REQUEST] = "E_PAGE_REQUEST",
        [SMMU_EVT_F_VMS_FETCH] = "F_VMS_FETCH",
    };
    if (event < sizeof(names) / sizeof(names[0]) && names[event]) return names[event];
    return "UNKNOWN";
}
