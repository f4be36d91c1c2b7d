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

/* STE.S2FWB == 1 (spec 13.1.6; Arm ARM D8.6.6, Tables D8-100, D8-101; no FEAT_MTE_PERM, so
   MemAttr[3] is RES0). The stage-2 assignment as a byte smmu_attr_combine_s2 combines:
   MemAttr[2] == 0: Device<MemAttr[1:0]>, combined with stage 1 as without FWB (R GSDKZ);
   0b101: Normal Non-cacheable unless stage 1 is Device (combining with 0x44 gives exactly that);
   0b111: the stage-1 attribute (combining with 0xFF leaves stage 1 unchanged);
   0b110: Normal Write-Back whatever stage 1 says: *force_wb (the byte alone cannot say it);
   0b100: Reserved, CONSTRAINED UNPREDICTABLE: the model makes it Device-nGnRnE, as the SMMU does
   for Reserved STE.MemAttr encodings (5.2 MemAttr). */
uint8_t smmu_attr_from_s2memattr_fwb(unsigned memattr, bool *force_wb) {
    unsigned low = memattr & 3;
    *force_wb = false;
    if (!(memattr & 4)) return (uint8_t)(low << 2); /* Device-nGnRnE .. Device-GRE */
    switch (low) {
    case 1:
        return 0x44;
    case 2:
        *force_wb = true;
        return 0xFF;
    case 3:
        return 0xFF;
    default:
        return 0x00;
    }
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

/* S2FWB MemAttr[2:0] == 0b110 (Arm ARM Table D8-101): Normal Write-Back at both levels; a level
   stage 1 makes cacheable keeps stage 1's allocation hints (R THYXB), any other becomes
   Read-Allocate, Write-Allocate (R TBQKG). */
static uint8_t forced_wb(uint8_t s1) {
    uint8_t out = 0;
    for (int shift = 0; shift <= 4; shift += 4) {
        unsigned nib = smmu_attr_is_device(s1) ? 0 : (s1 >> shift) & 0xF;
        unsigned hints = rank(nib) > 0 ? nib & 3 : 3;
        out |= (uint8_t)((0xC | hints) << shift);
    }
    return out;
}

/* The final attribute and shareability of a translation whose stage 2 assigned attr2/sh2
   (force_wb: S2FWB MemAttr[2:0] == 0b110) to what stage 1, or the incoming attributes with the
   STE overrides when stage 1 bypasses (13.4, 13.5), gave in attr and sh. Shareability combines
   as without FWB (Arm ARM D8.6.7.1). A forced Write-Back over a stage-1 Device or Normal iNC-oNC
   takes that stage 1 as Outer Shareable: whether its configured shareability or Outer Shareable
   is input to stage 2 is IMPLEMENTATION DEFINED (R NSCNC); the model inputs Outer Shareable. */
void smmu_attr_combine_s2(uint8_t *attr, uint8_t *sh, uint8_t attr2, uint8_t sh2, bool force_wb) {
    uint8_t s1 = *attr;
    *attr = force_wb ? forced_wb(s1) : smmu_attr_combine(s1, attr2);
    uint8_t sh1 = force_wb ? smmu_sh_combine(s1, *sh, *sh) : *sh;
    *sh = smmu_sh_combine(*attr, sh1, sh2);
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
