/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Configuration caches (cfgcache.c; spec 3.21.3, 4.3): the cached decoded STE (smmu_stee_t),
 * decoded CD (smmu_cde_t) and L1STD / L1CD (smmu_l1e_t), their lookups and fills, and
 * CMD_CFGI_*. */
#ifndef SMMU_CORE_CFGCACHE_H
#define SMMU_CORE_CFGCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "cd.h"
#include "cline.h"
#include "strtab.h"
#include "xctx.h"

typedef struct smmu_stee {
    smmu_cline_t h;
    uint32_t sid; /* the StreamID whose STE was fetched */
    bool sec;     /* from the Secure Stream table (SEC_SID, 3.10.1) */
    uint8_t cont; /* the entry serves the 2^cont StreamIDs aligned around sid (STE.CONT, 5.2) */
    smmu_stecfg_t c;
} smmu_stee_t;
typedef struct smmu_cde {
    smmu_cline_t h;
    uint32_t sid, ssid; /* ssid: index in the CD table */
    bool sec;           /* located through a Secure STE */
    smmu_s1cfg_t c;
} smmu_cde_t;
typedef struct smmu_l1e { /* an L1STD (cd false) or L1CD (cd true) */
    smmu_cline_t h;
    bool cd;
    bool sec;     /* of the Secure Stream table or a Secure STE's CD table */
    uint8_t bits; /* L1STD: SPLIT; L1CD: SubstreamID bits of a leaf table */
    uint32_t sid; /* L1CD: the StreamID that located it */
    uint32_t idx; /* L1STD: StreamID >> SPLIT; L1CD: SubstreamID >> bits */
    uint64_t desc;
} smmu_l1e_t;

/* The cached STE for sid (NULL: miss). *conflict: the lookup matched entries of different
   CONT spans that are not identical (F_CFG_CONFLICT, 3.20.2, 7.3.18); the entry returned is the
   narrowest. */
const smmu_stee_t *smmu_ste_cached(smmu_t *s, smmu_xctx_t *x, uint32_t sid, bool *conflict);
/* Caches c, the STE of sid, for the 2^cont StreamIDs aligned around sid (cont: STE.CONT as
   smmu_ste_fetch capped it). The line, or NULL. */
const void *smmu_ste_fill(smmu_t *s, const smmu_xctx_t *x, uint32_t sid, unsigned cont,
                          const smmu_stecfg_t *c);
const smmu_cde_t *smmu_cd_cached(smmu_t *s, smmu_xctx_t *x, uint32_t sid, uint32_t ssid);
const void *smmu_cd_fill(smmu_t *s, const smmu_xctx_t *x, uint32_t sid, uint32_t ssid,
                         const smmu_s1cfg_t *c);
/* The same lookups without side effects (no statistics, no LRU refresh, no conflict check), for
   smmu_translate_batch's look-ahead. */
const smmu_stee_t *smmu_ste_peek(const smmu_t *s, uint32_t sid, bool sec);
const smmu_cde_t *smmu_cd_peek(const smmu_t *s, uint32_t sid, uint32_t ssid, bool sec);
/* L1STD (cd false, key sid >> bits) or L1CD (cd true, key sid and ssid >> bits). */
bool smmu_l1_cached(smmu_t *s, smmu_xctx_t *x, bool cd, uint32_t sid, uint32_t ssid, unsigned bits,
                    uint64_t *desc);
void smmu_l1_fill(smmu_t *s, const smmu_xctx_t *x, bool cd, uint32_t sid, uint32_t ssid,
                  unsigned bits, uint64_t desc);
/* Drops every configuration-cache entry of one Security state (sec: Secure). */
void smmu_cfg_flush_sec(smmu_t *s, bool sec);
/* Applies a CMD_CFGI_* of the Non-secure or Secure (sec) Command queue to the configuration
   caches; *scope: what it covered. */
void smmu_cfgi(smmu_t *s, const uint64_t dw[2], bool sec, smmu_inv_scope_t *scope);

#endif
