/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Memory attributes and shareability of the output (spec 13.1; Arm ARM D8.6). The core carries
 * attributes as one MAIR-format byte: 0x00/0x04/0x08/0x0C Device-nGnRnE/nGnRE/nGRE/GRE, or
 * Normal with outer policy in [7:4] and inner in [3:0] (0x4 Non-cacheable, 0x8-0xB Write-through,
 * 0xC-0xF Write-back; bits [1:0] are the read/write-allocate hints). */
#include "attr.h"

#include <smmu/arch.h>

/* Normal-memory policy nibble from a 2-bit VMSA stage-2 cacheability encoding
   (0b01 NC, 0b10 WT, 0b11 WB); allocation hints: read+write allocate for cacheable. */
static uint8_t s2_policy(unsigned enc) {
    static const uint8_t nib[4] = {0x4, 0x4, 0xB, 0xF};
    return nib[enc & 3];
}

uint8_t smmu_attr_from_s2memattr(unsigned memattr) {
    unsigned outer = (memattr >> 2) & 3, inner = memattr & 3;
    if (outer == 0) return (uint8_t)(inner << 2); /* Device-nGnRnE .. Device-GRE */
    return (uint8_t)(s2_policy(outer) << 4 | s2_policy(inner));
}

bool smmu_attr_is_device(uint8_t attr) {
    return (attr & 0xF0) == 0;
}

/* Rank of a policy nibble: 0 NC (or anything else unusual), 1 WT, 2 WB. */
static unsigned rank(unsigned nib) {
    if (nib >= 0xC) return 2;
    if (nib >= 0x8) return 1;
    return 0;
}

static uint8_t weaker_nibble(unsigned a, unsigned b) {
    return (uint8_t)(rank(b) < rank(a) ? b : a);
}

/* Combining two stages: Device wins over Normal and the more restrictive Device type wins;
   for Normal, the less cacheable policy wins per inner/outer (Arm ARM D8.6 "combining"). */
uint8_t smmu_attr_combine(uint8_t s1, uint8_t s2) {
    bool d1 = smmu_attr_is_device(s1), d2 = smmu_attr_is_device(s2);
    if (d1 && d2) return s1 < s2 ? s1 : s2;
    if (d1) return s1;
    if (d2) return s2;
    return (uint8_t)(weaker_nibble(s1 >> 4, s2 >> 4) << 4 | weaker_nibble(s1 & 0xF, s2 & 0xF));
}

/* Device and Normal Non-cacheable memory are always Outer Shareable; otherwise the larger
   shareability domain wins (Outer > Inner > Non-shareable). */
uint8_t smmu_sh_combine(uint8_t attr, uint8_t sh1, uint8_t sh2) {
    if (smmu_attr_is_device(attr) || attr == 0x44) return SMMU_SH_OSH;
    if (sh1 == SMMU_SH_OSH || sh2 == SMMU_SH_OSH) return SMMU_SH_OSH;
    if (sh1 == SMMU_SH_ISH || sh2 == SMMU_SH_ISH) return SMMU_SH_ISH;
    return SMMU_SH_NSH;
}

/* STE/GBPA ALLOCCFG (5.2): 0b0xxx use incoming hints; 0b1RWT replaces the read/write-allocate
   hints (and transience, which this byte does not carry) of cacheable Normal memory. */
uint8_t smmu_attr_alloc_override(uint8_t attr, unsigned alloccfg) {
    if (!(alloccfg & SMMU_STE_ALLOCCFG_REPLACE_BIT) || smmu_attr_is_device(attr)) return attr;
    unsigned hints = ((alloccfg >> 2) & 1) << 1 | ((alloccfg >> 1) & 1);
    uint8_t out = attr;
    for (int shift = 0; shift <= 4; shift += 4) {
        unsigned nib = (attr >> shift) & 0xF;
        if (rank(nib) > 0) out = (uint8_t)((out & ~(0x3u << shift)) | (hints << shift));
    }
    return out;
}
