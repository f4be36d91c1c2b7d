/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* AMBA memory attributes at the SMMU's boundary (spec 16.7.5): AxCACHE / AxDOMAIN of a client
 * transaction converted to the Armv8 attributes the core works with (16.7.5.1.1), and the final
 * Armv8 attributes of a translation converted to the AxCACHE / AxDOMAIN of the transaction the
 * SMMU issues downstream (16.7.5.2.1). The core's attributes are a MAIR-format byte and an
 * SMMU_SH_* shareability (<smmu/smmu.h> smmu_result_t.attr / .sh, smmu_txn_t.in_attr / .in_sh). */
#ifndef SMMU_AMBA_H
#define SMMU_AMBA_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* AxCACHE bits (AMBA AXI IHI 0022, "Memory types"): [0] Bufferable, [1] Modifiable, [2] Allocate
   on ARCACHE / Other Allocate on AWCACHE, [3] Other Allocate on ARCACHE / Allocate on AWCACHE;
   so on both channels [2] is the read-allocate and [3] the write-allocate hint. */
enum {
    SMMU_AXCACHE_B = 1,  /* Bufferable */
    SMMU_AXCACHE_M = 2,  /* Modifiable (Normal memory) */
    SMMU_AXCACHE_RA = 4, /* read-allocate */
    SMMU_AXCACHE_WA = 8  /* write-allocate */
};

/* AxDOMAIN encodings (AMBA ACE / ACE5-Lite). */
enum {
    SMMU_AXDOMAIN_NSH = 0, /* Non-shareable */
    SMMU_AXDOMAIN_ISH = 1, /* Inner Shareable */
    SMMU_AXDOMAIN_OSH = 2, /* Outer Shareable */
    SMMU_AXDOMAIN_SYS = 3  /* System */
};

/* 16.7.5.1.1: the Armv8 attributes of an incoming AxCACHE / AxDOMAIN. Device: nGnRnE
   (non-bufferable) or nGnRE (bufferable), OSH. Normal Non-cacheable (any domain): iNC-oNC-OSH
   (the IMPLEMENTATION DEFINED choice this model makes). Write-through: iWT-oWT, Write-back:
   iWB-oWB, both non-transient with RA / WA from AxCACHE[2] / [3] (inner = outer, 16.7.5.1) and the
   domain's shareability, System taken as OSH (16.7.5.1.1, last paragraph). A cacheable AxCACHE
   without Modifiable is a Reserved encoding: taken as Device-nGnRnE. */
void smmu_amba_in(unsigned axcache, unsigned axdomain, uint8_t *attr, uint8_t *sh);

/* 16.7.5.2.1: the AxCACHE / AxDOMAIN of a transaction whose final attributes are attr / sh, with
   the Arm PE interpretation of 16.7.5.3: Device-nGnRnE -> Device non-bufferable, other Device ->
   Device bufferable, iWB-oWB -> Write-back with RA / WA of the outer attribute and the domain of
   sh, every other Normal type -> Non-cacheable bufferable; Device and Non-cacheable are System
   (16.7.5.2). write selects the AWCACHE encoding of a Write-back with neither hint (the Allocate
   bits of AXI are per channel: Write-back No-allocate is ARCACHE 0b1011, AWCACHE 0b0111). */
void smmu_amba_out(uint8_t attr, uint8_t sh, bool write, uint8_t *axcache, uint8_t *axdomain);

#ifdef __cplusplus
}
#endif

#endif
