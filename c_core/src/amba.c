/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* AMBA <-> Armv8 attribute conversion at the SMMU's boundary (spec 16.7.5; <smmu/amba.h>). */
#include <smmu/amba.h>

#include <smmu/arch.h>

#include "attr.h"

/* MAIR policy nibbles: Normal Non-cacheable, and the non-transient Write-through / Write-back
   bases to which the R (bit 1) and W (bit 0) allocation hints are added. */
enum { NIB_NC = 0x4, NIB_WT = 0x8, NIB_WB = 0xC };

void smmu_amba_in(unsigned axcache, unsigned axdomain, uint8_t *attr, uint8_t *sh) {
    const bool cacheable = (axcache & (SMMU_AXCACHE_RA | SMMU_AXCACHE_WA)) != 0;
    if (!(axcache & SMMU_AXCACHE_M)) { /* Device; a non-modifiable cacheable is Reserved */
        *attr = (axcache & SMMU_AXCACHE_B) && !cacheable ? 0x04 : 0x00;
        *sh = SMMU_SH_OSH;
        return;
    }
    if (!cacheable) { /* Normal Non-cacheable, bufferable or not: iNC-oNC-OSH */
        *attr = NIB_NC << 4 | NIB_NC;
        *sh = SMMU_SH_OSH;
        return;
    }
    const unsigned hints = ((axcache & SMMU_AXCACHE_RA) ? 2u : 0u) |
                           ((axcache & SMMU_AXCACHE_WA) ? 1u : 0u);
    const unsigned nib = ((axcache & SMMU_AXCACHE_B) ? NIB_WB : NIB_WT) | hints;
    *attr = (uint8_t)(nib << 4 | nib);
    static const uint8_t dom[4] = {SMMU_SH_NSH, SMMU_SH_ISH, SMMU_SH_OSH, SMMU_SH_OSH};
    *sh = dom[axdomain & 3];
}

void smmu_amba_out(uint8_t attr, uint8_t sh, bool write, uint8_t *axcache, uint8_t *axdomain) {
    if (smmu_attr_is_device(attr)) { /* Device-Sys: non-bufferable only for nGnRnE */
        *axcache = attr == 0x00 ? 0 : SMMU_AXCACHE_B;
        *axdomain = SMMU_AXDOMAIN_SYS;
        return;
    }
    const unsigned outer = attr >> 4, inner = attr & 0xF;
    if (outer < NIB_WB || inner < NIB_WB) { /* not iWB-oWB: Normal Non-cacheable-Sys bufferable */
        *axcache = SMMU_AXCACHE_M | SMMU_AXCACHE_B;
        *axdomain = SMMU_AXDOMAIN_SYS;
        return;
    }
    unsigned c = SMMU_AXCACHE_M | SMMU_AXCACHE_B;
    if (outer & 2) c |= SMMU_AXCACHE_RA;
    if (outer & 1) c |= SMMU_AXCACHE_WA;
    if (!(c & (SMMU_AXCACHE_RA | SMMU_AXCACHE_WA))) /* No-allocate: the other channel's hint */
        c |= write ? SMMU_AXCACHE_RA : SMMU_AXCACHE_WA;
    *axcache = (uint8_t)c;
    /* 13.1.7 / 16.7.5.2: a cacheable type keeps its domain (Non-shareable is legal with WB) */
    *axdomain = sh == SMMU_SH_ISH   ? SMMU_AXDOMAIN_ISH
                : sh == SMMU_SH_OSH ? SMMU_AXDOMAIN_OSH
                                    : SMMU_AXDOMAIN_NSH;
}
