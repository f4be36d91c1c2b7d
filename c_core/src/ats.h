/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* ATS and PRI towards devices (ats.c; spec 3.9, 4.5): CMD_ATC_INV and CMD_PRI_RESP, and the two
 * ATS forms smmu_translate() hands over: a Translation Request, and a Translated transaction
 * that is forbidden. The rest of ats.c is public (<smmu/smmu.h>: smmu_ats_translate, ...). */
#ifndef SMMU_CORE_ATS_H
#define SMMU_CORE_ATS_H

#include <stdint.h>

#include <smmu/smmu.h>

#include "xctx.h"

/* A valid CMD_ATC_INV or CMD_PRI_RESP takes effect (4.5). */
void smmu_ats_command(smmu_t *s, const uint64_t dw[2]);
/* smmu_translate() of an SMMU_ATS_REQUEST transaction: smmu_ats_translate() with the
   completion expressed as a result (SC with R/W -> OK, R == W == 0 -> RAZ/WI fault, UR/CA ->
   abort). */
void smmu_ats_request_txn(smmu_t *s, smmu_xctx_t *x, const smmu_txn_t *t, smmu_result_t *r);
/* An ATS Translated transaction while SMMUEN == 0 or from a Secure stream: aborted with
   F_TRANSL_FORBIDDEN (3.9.1.3; recorded for Non-secure streams only: no Secure Event queue). */
void smmu_ats_forbidden(smmu_t *s, const smmu_xctx_t *x, const smmu_txn_t *t, smmu_result_t *r);

#endif
