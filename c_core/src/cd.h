/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Context descriptors (cd.c; spec 3.3.2, 5.3, 5.4): the decoded, validated CD (smmu_s1cfg_t:
 * stage-1 tables, fault configuration, ASID, MAIR, translation regime), its fetch (linear and
 * 2-level, through stage 2 when the stream is nested) and its decode with the validity rules of
 * CdIllegal. */
#ifndef SMMU_CORE_CD_H
#define SMMU_CORE_CD_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "fault.h"
#include "strtab.h"
#include "xctx.h"

typedef struct smmu_s1cfg { /* decoded, validated CD (5.4) */
    smmu_tt_t tt[2];
    uint8_t oas; /* effective output size in bits: min(CD.IPS, IDR5.OAS) */
    bool affd, wxn, uwxn, pan, endi;
    bool ha, hd;  /* HTTU of the Access flag / dirty state (CD.HA, CD.HD; 3.13): hd implies ha */
    bool haft;    /* and of the Access flag in Table descriptors (CD.HAFT, 3.13.6): implies ha */
    bool s, r, a; /* fault configuration (5.5) */
    bool aset;
    uint16_t asid;
    uint64_t mair;
    uint8_t regime;  /* SMMU_RG_* of the StreamWorld (3.17): tags TLB and walk cache entries */
    uint16_t vmid;   /* VMID tag of the stream (smmu_stecfg_t.vmid) */
    uint16_t partid; /* CD.PARTID (virtual, 5 bits, when nested), PMG: with STE.S1MPAM (5.4) */
    uint8_t pmg;
} smmu_s1cfg_t;

/* Returns 0 and fills cd[8] on success; otherwise fills f (C_BAD_SUBSTREAMID, F_CD_FETCH, or a
   stage-2 fault of the fetch). */
int smmu_cd_fetch(smmu_t *s, smmu_xctx_t *x, const smmu_stecfg_t *c, uint32_t ssid, uint64_t cd[8],
                  smmu_fault_t *f);
/* The same, for a stream of known StreamID sid: L1CDs come from and go to the configuration
   cache, where they are kept per StreamID (4.3.3); sid UINT64_MAX: not used (smmu_cd_fetch). */
int smmu_cd_fetch_sid(smmu_t *s, smmu_xctx_t *x, const smmu_stecfg_t *c, uint64_t sid,
                      uint32_t ssid, uint64_t cd[8], smmu_fault_t *f);
/* Returns 0 for a valid CD; otherwise f->type = C_BAD_CD. */
int smmu_cd_decode(const smmu_t *s, const smmu_stecfg_t *c, const uint64_t cd[8], smmu_s1cfg_t *s1,
                   smmu_fault_t *f);

#endif
