/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Performance Monitor Counter Groups (pmcg.c; spec chapter 10): the state of one group (its
 * counters and register values), its lifecycle in the instance, and the counting hooks the
 * translation path calls. The hooks run only while smmu_pmcg_active() (one predictable branch
 * on the hit path, 10.2). */
#ifndef SMMU_CORE_PMCG_H
#define SMMU_CORE_PMCG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "instance.h"
#include "xctx.h"

enum { SMMU_PMCG_CTRS = 64 }; /* counters a group can have (10.2: 1 - 64) */

/* One group's registers (10.5.2). Counters, SVRs and bitmaps hold only implemented bits. */
struct smmu_pmcg {
    uint64_t cntr[SMMU_PMCG_CTRS]; /* EVCNTRn, CFGR.SIZE + 1 bits */
    uint64_t svr[SMMU_PMCG_CTRS];  /* SVRn: the values of the last capture */
    uint32_t evtyper[SMMU_PMCG_CTRS];
    uint32_t smr[SMMU_PMCG_CTRS]; /* StreamID filters, SIDSIZE bits */
    uint64_t cnten, inten, ovs;   /* CNTENSET0/CLR0, INTENSET0/CLR0, OVSSET0/CLR0 */
    uint64_t irq_cfg0;
    uint32_t cr, irq_ctrl, irq_cfg1, irq_cfg2, irq_status;
    uint32_t scr;   /* SO, NSRA, NSMSI, MSI_MPAM_NS (10.5.2.12; with Secure state) */
    uint32_t gmpam; /* PO_PARTID, PO_PMG of the group's MSIs (10.5.2.25; CFGR.MPAM) */
};

/* The architected ranges of params.pmcg_* (10.2, 10.5.2.13). */
bool smmu_pmcg_params_ok(const smmu_params_t *p);
/* Allocates the groups of params.pmcg_groups (smmu_new); non-zero on failure. */
int smmu_pmcg_new(smmu_t *s);
void smmu_pmcg_free(smmu_t *s);
/* Every group to its reset state: counting and interrupts disabled, counters zero. */
void smmu_pmcg_reset(smmu_t *s);

/* Saved state (state.c): g holds only values the group's registers can hold (implemented
   counter bits, bitmaps of implemented counters, writable fields); after a restore, pmcg_on
   follows the restored groups. */
bool smmu_pmcg_group_ok(const smmu_t *s, const smmu_pmcg_t *g);
void smmu_pmcg_restored(smmu_t *s);

/* Some counter of some group counts (CR.E and CNTEN): the only test on the hit path. */
static inline bool smmu_pmcg_active(const smmu_t *s) {
    return atomic_load_explicit(&s->pmcg_on, memory_order_relaxed);
}
/* n occurrences of event (SMMU_PMCG_EV_*) from StreamID sid of Security state secure (10.4
   filters; Secure events only with SCR.SO, 10.6). */
void smmu_pmcg_count(smmu_t *s, unsigned event, uint32_t sid, bool secure, uint64_t n);
/* One transaction or request of the full path (ats: SMMU_ATS_*), its cost in cx: events 1 - 7
   (10.3). */
void smmu_pmcg_count_xlate(smmu_t *s, uint32_t sid, bool secure, unsigned ats,
                           const smmu_xctx_t *cx);
/* A transaction the memo answered: every lookup hit, nothing was read (event 1 only). */
void smmu_pmcg_memo_hit(smmu_t *s, const smmu_txn_t *t);

#endif
