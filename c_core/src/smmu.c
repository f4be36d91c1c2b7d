/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Instance lifecycle, parameters, statistics. */
#include "instance.h"

#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "dsan.h"
#include "irq.h"
#include "lock.h"
#include "memo.h"
#include "pmcg.h"
#include "port.h"
#include "regfile.h"
#include "stall.h"
#include "choice.h"
#include "version.h"

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
    p->btm = true; /* broadcast TLB maintenance (3.17): SMMU_CR2.PTM opts out */
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
    p->oas_bits = 52;
    p->gran4k = p->gran16k = p->gran64k = true;
    p->stall_max = 64;
    p->iidr = 0;
    p->arch_minor = SMMU_AIDR_V3_3; /* the latest version implemented (version.h) */
    /* IDR0.HTTU 0b11: Access flag and dirty state, and the Access flag in Table descriptors
       (SMMUv3.4-HAFT, optional, 2.8; a v3.3 may include a v3.4 feature, 2.9; version.c) */
    p->httu = SMMU_IDR0_HTTU_HAFT;
    p->bbml = 2; /* IDR3.BBML Level 2 (3.21.1.3, recommended; 1 or 2 mandatory from v3.2) */
    p->fwb = true;
    p->e0pd = true;
    p->ptwnnc = true;
    p->xnx = true;
    p->vax = true;
    p->lpa2 = true;
    p->atos = true; /* IDR0.ATOS: the SMMU_GATOS_* group (chapter 9) */
    p->pmcg_groups = 1;
    p->pmcg_counters = 8;
    p->pmcg_counter_bits = 64;
    p->pmcg_reloc = true;
    p->pmcg_msi = true;
    p->pmcg_capture = true;
    p->secure_impl = true;
    p->mpam = true; /* IDR3.MPAM (chapter 17) */
    p->mpam_partid_max = 255;
    p->mpam_pmg_max = 3;
    p->mpam_s_partid_max = 255; /* SMMU_S_MPAMIDR (6.3.87) */
    p->mpam_s_pmg_max = 3;
    p->mpam_ns = true; /* S_MPAMIDR.HAS_MPAM_NS (17.7) */
    smmu_cache_params_init(p);
}

/* IDR5.DS and IDR5.VAX as an instance has them (6.3.6): DS needs a 4KB or 16KB granule and a
   52-bit VA (VAX); VAX needs the 64KB granule or DS. Which versions may have them (VAX from
   SMMUv3.1, DS an SMMUv3.4 feature a v3.3 may include: 2.9) is version.c's business; p has
   been through smmu_version_mask(). */
static void features_52(smmu_params_t *p) {
    p->lpa2 = p->lpa2 && p->vax && (p->gran4k || p->gran16k);
    p->vax = p->vax && (p->gran64k || p->lpa2);
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
    /* OAS 52 needs GRAN64K or DS (6.3.6 OAS) */
    smmu_params_t eff = *p;
    smmu_version_mask(&eff);
    features_52(&eff);
    if (p->oas_bits == 52 && !p->gran64k && !eff.lpa2) return false;
    if (p->cd_2lvl && !p->st_2lvl) return false; /* ST_LEVEL 0b01 covers both (6.3.1) */
    if (p->pri && !p->ats) return false;         /* PRI requires ATS (6.3.1) */
    /* AIDR 6.3.8: v3.4 and later have mandatory features the core lacks (2.8: MTE_PERM). */
    if (p->arch_minor > SMMU_ARCH_MINOR_MAX || p->bbml > 2) return false;
    if (p->httu > SMMU_IDR0_HTTU_HAFT) return false; /* a 2-bit field (6.3.1) */
    if (p->stall_model != SMMU_STALL_MODEL_TERMINATE && p->stall_max == 0) return false;
    if (!smmu_pmcg_params_ok(p) || !smmu_choices_ok(&p->choices)) return false;
    return smmu_cache_params_ok(p);
}

/* params.concurrent: a recursive mutex (lock.h); non-zero on failure. */
static int lock_init(smmu_t *s) {
    pthread_mutexattr_t a;
    if (pthread_mutexattr_init(&a)) return -1;
    int rc =
        pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE) || pthread_mutex_init(&s->lock, &a);
    pthread_mutexattr_destroy(&a);
    return rc;
}

smmu_t *smmu_new(const smmu_params_t *p, const smmu_host_t *host) {
    if (!p || !host || !host->mem_read || !host->mem_write || !params_ok(p)) return NULL;
    smmu_t *s = smmu_table_alloc(sizeof(*s)); /* aligned: its port's counters own their lines */
    if (!s) return NULL;
    s->p = *p;
    s->host = *host;
    /* What the version AIDR reports cannot have is off (spec 2.9; version.c). */
    smmu_version_mask(&s->p);
    /* HTTU needs atomic updates from the system: without them IDR0.HTTU is 0b00 (6.3.1). */
    if (!host->mem_cas64) s->p.httu = SMMU_IDR0_HTTU_NONE;
    /* IDR3.FWB is 1 in SMMUv3.2 and later whatever the stages (6.3.4 FWB); without stage 2,
       STE.S2FWB has nothing to act on (strtab.c decodes it with the stage-2 fields only).
       IDR3.PTWNNC is RES0 when IDR0.S2P == 0 (6.3.4). */
    if (!p->s2) s->p.ptwnnc = false;
    /* IDR3.XNX concerns stage-2 descriptors only: without stage 2 it reads 0 (6.3.4). */
    if (!p->s2) s->p.xnx = false;
    /* SECURE_IMPL == 1 needs stage 1 (6.3.53). */
    if (!p->s1) s->p.secure_impl = false;
    /* HAS_MPAM_NS is a field of S_MPAMIDR, present with MPAM and Secure state (6.3.87) */
    if (!s->p.mpam || !s->p.secure_impl) s->p.mpam_ns = false;
    features_52(&s->p);
    /* The sanitizer sees every translation: each takes the full path, where it looks (dsan.c). */
    if (p->dsan.on) s->p.memo_off = true;
    s->tp_mask = host->trace ? SMMU_TP_ALL : 0;
    if (p->stall_model != SMMU_STALL_MODEL_TERMINATE) {
        s->stalls = calloc(p->stall_max, sizeof(*s->stalls));
        if (!s->stalls) {
            free(s);
            return NULL;
        }
    }
    s->ports = &s->port0;
    s->retired_sok = calloc((size_t)p->stream_stats_entries + 1, sizeof(*s->retired_sok));
    if (smmu_port_init(s, &s->port0) || !s->retired_sok || smmu_caches_new(s) || smmu_pmcg_new(s) ||
        smmu_dsan_new(s) || (p->concurrent && lock_init(s))) {
        s->p.concurrent = false; /* no lock to destroy */
        smmu_free(s);
        return NULL;
    }
    smmu_regs_compute_idr(s);
    reset_state(s); /* no host notice before smmu_new() returns */
    smmu_memo_gate(s);
    return s;
}

void smmu_free(smmu_t *s) {
    if (!s) return;
    smmu_caches_free(s);
    smmu_pmcg_free(s);
    smmu_dsan_free(s);
    smmu_port_fini(&s->port0);
    free(s->retired_sok);
    free(s->stalls);
    if (s->p.concurrent) pthread_mutex_destroy(&s->lock);
    free(s);
}

static void reset_state(smmu_t *s) {
    for (int i = 0; i < SMMU_IRQ_COUNT; i++)
        smmu_set_irq(s, (smmu_irq_t)i, false);
    smmu_regs_reset(s);
    smmu_pmcg_reset(s);
    memset(&s->st, 0, sizeof(s->st));
    smmu_caches_flush(s);
    smmu_caches_restart(s); /* replacement restarts as in a new instance */
    smmu_cache_clear_stats(s);
    if (s->stalls) memset(s->stalls, 0, sizeof(*s->stalls) * s->p.stall_max);
    s->stalls_used = 0;
    memset(s->grants, 0, sizeof(s->grants));
    s->grants_wide = false;
    smmu_choice_reseed(s); /* the random profile's draws restart as in a new instance */
}

void smmu_reset(smmu_t *s) {
    SMMU_LOCKED(s);
    smmu_sync_host_counts(s); /* into the statistics reset clears */
    /* A reset SMMU holds no stalled transaction: their holders hear it as for SMMUEN 1 -> 0
       (6.3.9.6), or they would wait for a STAG that no longer exists. */
    smmu_stall_terminate_all(s, false);
    smmu_stall_terminate_all(s, true);
    reset_state(s);
    smmu_cache_changed(s); /* the memo too; the host drops what it derived (SMMU_INV_ALL) */
}

const smmu_params_t *smmu_params(const smmu_t *s) {
    return &s->p;
}

void smmu_get_stats(const smmu_t *s, smmu_stats_t *st) {
    SMMU_LOCKED(s);
    smmu_sync_host_counts(s);
    *st = s->st;
    smmu_memo_fold_stats(s, st);
}

void smmu_clear_stats(smmu_t *s) {
    SMMU_LOCKED(s);
    smmu_sync_host_counts(s); /* counts held from before the clear are cleared too */
    memset(&s->st, 0, sizeof(s->st));
    smmu_cache_clear_stats(s);
    smmu_dsan_clear_stats(s);
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
