/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* MPAM (mpam.c; spec chapter 17): the PARTID/PMG labels of client transactions (17.2, 17.3:
 * GBPMPAM, STE, CD, VMS PARTID_MAP) and of the SMMU's own accesses (17.4: GMPAM, or the
 * stream's labels for CD fetches and table walks, which the translation hands down in its
 * smmu_xctx_t and hostmem's callers announce with smmu_mpam_io before each access). */
#ifndef SMMU_CORE_MPAM_H
#define SMMU_CORE_MPAM_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "cd.h"
#include "fault.h"
#include "instance.h"
#include "strtab.h"
#include "xctx.h"

/* A label of partid and pmg as a register or structure field gives them, in the Non-secure (ns)
   or Secure PARTID space (17.7): a value above the space's PARTID_MAX / PMG_MAX (SMMU_MPAMIDR,
   SMMU_S_MPAMIDR) is UNKNOWN (5.2 PARTID, PMG; 6.3.42, 6.3.88), for which the model uses 0. All
   zero without MPAM. */
smmu_mpam_t smmu_mpam_label_w(const smmu_t *s, bool ns, unsigned partid, unsigned pmg);
/* The same in Non-secure PARTID space (every Non-secure label, 17.7). */
smmu_mpam_t smmu_mpam_label(const smmu_t *s, unsigned partid, unsigned pmg);
/* The same in the PARTID space of STE c (17.7: Non-secure for a Non-secure STE, else chosen by
   STE.MPAM_NS), which the CD and walks reached from it inherit. */
smmu_mpam_t smmu_mpam_ste_label(const smmu_t *s, const smmu_stecfg_t *c, unsigned partid,
                                unsigned pmg);
/* The world's (sec: Secure) SMMU_(S_)GMPAM label (17.4) and SMMU_(S_)GBPMPAM's (17.2 step 1,
   17.3 ATSCHK == 0); the Secure ones in the space their MPAM_NS chooses (17.7). */
smmu_mpam_t smmu_mpam_so(const smmu_t *s, bool sec);
smmu_mpam_t smmu_mpam_gbp(const smmu_t *s, bool sec);
/* The label of a stream's transactions (17.2): the STE's, or with STE.S1MPAM and stage 1
   translating (s1 non-NULL) the CD's, whose PARTID is virtual when nested and is mapped by the
   VMS PARTID_MAP (5.6) read at STE.VMSPtr. 0, or -1 with *f (F_VMS_FETCH, 7.3.20) when that read
   aborts. */
int smmu_mpam_stream(smmu_t *s, smmu_xctx_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1,
                     smmu_mpam_t *m, smmu_fault_t *f);
/* STE.VMSPtr is enabled (5.2 VMSPtr, 5.6.1): checked against the OAS by the STE decode. */
bool smmu_mpam_vms_enabled(const smmu_t *s, const smmu_stecfg_t *c);
/* CMD_CFGI_VMS_PIDM is legal (4.3.5): MPAM and the VMS supported for Non-secure state. */
bool smmu_mpam_vms_supported(const smmu_t *s);

/* The SMMU-originated accesses that follow carry label m (17.4), until smmu_mpam_io_end. */
static inline void smmu_mpam_io(smmu_t *s, smmu_mpam_t m) {
    s->mpam_cur = m;
    s->mpam_io = true;
}
/* Back to the world's (sec: Secure) GMPAM label: before a queue, Stream table or MSI access
   of that world, and at the end of a translation's accesses (then Non-secure). */
static inline void smmu_mpam_io_end(smmu_t *s, bool sec) {
    s->mpam_io = false;
    s->mpam_sec = sec;
}

#endif
