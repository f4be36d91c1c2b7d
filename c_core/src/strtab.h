/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The stream table (strtab.c; spec 3.3.2, 5.1, 5.2, 6.3.25): the decoded, validated STE
 * (smmu_stecfg_t, with its stage-2 half smmu_s2cfg_t) and the description of a translation table
 * both stages use (smmu_tt_t); the STE fetch (linear and 2-level) and its decode with the
 * validity rules of SteIllegal. */
#ifndef SMMU_CORE_STRTAB_H
#define SMMU_CORE_STRTAB_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "fault.h"
#include "xctx.h"

/* One translation table of a stage: CD TTB0/TTB1 for stage 1, STE S2TTB for stage 2. */
typedef struct smmu_tt {
    uint64_t ttb;   /* table base, aligned as the walk uses it */
    uint8_t tsz;    /* TxSZ: input size is 64 - tsz */
    uint8_t gran;   /* granule shift: 12, 14 or 16 */
    int8_t start;   /* start level -1..3 (-1: 4KB granule with DS, Arm ARM D8.2.8) */
    uint8_t concat; /* stage 2: log2 of concatenated start-level tables (0..4) */
    bool epd;       /* walks on this half fault (stage 1 EPDx) */
    bool tbi;       /* top byte ignored (stage 1 TBIx) */
    bool had;       /* hierarchical attributes disabled (CD.HADx, when IDR3.HAD) */
    bool e0pd;      /* stage 1: unprivileged accesses to this half fault (CD.E0PDx, 5.4) */
    bool single_el; /* stage 1 regime of one EL (StreamWorld EL2/EL3): Arm ARM Table D8-66
                       permissions, all accesses privileged */
    bool ds;        /* 4KB/16KB granule with CD.DS / STE.S2DS == 1 (FEAT_LPA2): 52-bit addresses,
                       OA[51:50] in descriptor bits [9:8], shareability from sh */
    uint8_t sh;     /* CD.SHx / STE.S2SH0: the leaves' shareability when ds (5.4 DS, 5.2 S2DS) */
    bool ns;        /* the starting-level table is fetched with NS == 1: always for a Non-secure
                       stream, CD.NSCFGx for a Secure one (5.4 NSCFG0) */
} smmu_tt_t;

typedef struct smmu_s2cfg { /* decoded, validated stage-2 half of the STE (5.2) */
    smmu_tt_t tt;
    uint8_t oas; /* effective S2PS in bits, capped at IDR5.OAS */
    bool affd, endi, ptw, s, r, fwb;
    bool ha, hd; /* HTTU of the Access flag / dirty state (STE.S2HA, S2HD; 3.13): hd implies ha */
    bool haft;   /* and of the Access flag in Table descriptors (STE.S2HAFT, 3.13.6): implies ha */
    uint16_t vmid;
} smmu_s2cfg_t;

typedef struct smmu_stecfg { /* decoded, validated STE (5.2) */
    uint8_t config;          /* STE.Config */
    bool s1, s2;             /* stage enables (Config[0], Config[1] with Config[2] = 1) */
    uint8_t s1fmt, s1cdmax, s1dss;
    uint64_t s1ctxptr;
    bool s1stalld;
    uint8_t eats, strw;
    uint8_t memattr, mtcfg, alloccfg, shcfg, nscfg, privcfg, instcfg;
    smmu_s2cfg_t s2c;
    uint16_t vmid; /* TLB VMID tag: S2VMID when stage 2 is implemented (5.2 S2VMID), else 0 */
    bool secure;   /* reached from the Secure Stream table (3.10.2) */
    /* MPAM (5.2, 17.2; all 0 without MPAM): PARTID, PMG as written; S1MPAM with stage 1
       translating; VMSPtr (the VMS address) */
    uint16_t partid;
    uint8_t pmg;
    bool s1mpam;
    bool mpam_ns; /* Non-secure PARTID space: a Non-secure STE, or STE.MPAM_NS (17.7) */
    uint64_t vmsptr;
} smmu_stecfg_t;

/* Returns 0 and fills ste[8] on success, with *cont (if cont is non-NULL) the log2 of the
   StreamIDs a cache of it may serve: STE.CONT, capped (5.2); otherwise fills f (C_BAD_STREAMID,
   F_STE_FETCH). */
int smmu_ste_fetch(smmu_t *s, smmu_xctx_t *x, uint32_t sid, uint64_t ste[8], unsigned *cont,
                   smmu_fault_t *f);
/* Returns 0 for a valid STE; otherwise f->type = C_BAD_STE. */
int smmu_ste_decode(const smmu_t *s, const uint64_t ste[8], smmu_stecfg_t *c, smmu_fault_t *f);
/* The same for an STE of the Secure (secure) or Non-secure Stream table (5.2: the Secure STE's
   rules for Config, STRW, EATS, NSCFG). */
int smmu_ste_decode_w(const smmu_t *s, const uint64_t ste[8], smmu_stecfg_t *c, smmu_fault_t *f,
                      bool secure);

#endif
