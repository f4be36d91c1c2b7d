/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The front end of a translation (translate.c; spec 3.3, 5.2, 5.5), shared with ATS Translation
 * Requests (ats.c): which CD a transaction uses, the STE's effective EATS, which faults the
 * fault model governs, the stage-1 bypass check, and every enabled stage for an input address
 * without the TLB (smmu_walk_stages, with what it gives: smmu_stage_out_t). */
#ifndef SMMU_CORE_XLATE_H
#define SMMU_CORE_XLATE_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "cd.h"
#include "fault.h"
#include "strtab.h"
#include "walk.h"
#include "xctx.h"

/* A translation the memo did not answer (memo false), or did with the XLATE trace point on: the
   full path under the lock, recording its result in the memo, then the trace point. */
void smmu_translate_miss(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r, bool memo);

enum { SMMU_S1_TRANSLATE, SMMU_S1_BYPASS, SMMU_S1_FAULT };
/* Which CD a transaction uses (5.2 S1CDMax, S1DSS; 7.3.7, 7.3.9): SMMU_S1_TRANSLATE with *cd,
   SMMU_S1_BYPASS, or SMMU_S1_FAULT with *type (C_BAD_SUBSTREAMID, F_STREAM_DISABLED). ssv: the
   transaction has a SubstreamID. */
int smmu_select_cd(const smmu_t *s, const smmu_stecfg_t *c, bool ssv, uint32_t ssid, uint32_t *cd,
                   uint8_t *type);
/* The STE's effective EATS (SMMU_STE_EATS_*) for ATS. */
unsigned smmu_ste_eats(const smmu_t *s, const smmu_stecfg_t *c);
/* The faults of translation proper (7.3.13-7.3.16), which the CD / STE fault model governs. */
bool smmu_fault_translation_related(uint8_t type);
/* What the enabled stages give for an input address. */
typedef struct smmu_stage_out {
    uint64_t oa, ipa, span; /* ipa: stage 1's output (the input address when bypassed) */
    uint8_t perm, attr, sh;
} smmu_stage_out_t;
/* Stage 1 bypassed: 0, or -1 with the stage-1 Address Size fault for addr beyond the IAS. */
int smmu_s1_bypass_check(const smmu_t *s, uint64_t addr, smmu_fault_t *f);
/* Every enabled stage for addr, without the TLB: 0 with o, or -1 with *f (see translate.c). */
int smmu_walk_stages(smmu_t *s, smmu_xctx_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1,
                     int half, uint64_t addr, const smmu_access_t *acc, smmu_walk_out_t w[2],
                     smmu_stage_out_t *o, smmu_fault_t *f);

#endif
