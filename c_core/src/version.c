/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Architecture versions: the version each modelled feature was introduced in (spec 2.2-2.8) and
 * the subset rule of spec 2.9 that masks the parameters for the version AIDR reports. */
#include "version.h"

#include <stddef.h>

/* How a feature stands in the version that introduced it (the feature tables of 2.3-2.8 and the
   "mandatory from SMMUv3.x" statements of 6.3). */
enum {
    OPTIONAL = 0,  /* a v3.(x-1) may keep it (2.9) */
    MANDATORY = 1, /* what makes a v3.x: a v3.(x-1) leaves it out */
    /* optional, but its ID field or encoding is Reserved / RES0 before v3.x, so an earlier
       version cannot report it whatever 2.9 permits (6.3.6: IDR5.OAS 0b110 and IDR5.VAX in
       SMMUv3.0) */
    FIELD_NEW = 2,
};

/* One modelled feature: its parameter (a bool or uint8_t member of smmu_params_t, at byte offset
   off), whose values above cap are the feature (cap: the value without it), introduced in
   SMMUv3.minor as OPTIONAL or MANDATORY (there; conditions such as "with stage 2" are in the
   comment: without that stage the feature is off anyway, smmu.c). */
typedef struct vfeat {
    size_t off;
    unsigned char cap, minor, kind;
} vfeat_t;

/* A compile error unless the parameter is one byte (bool or uint8_t), as feature_off() writes. */
#define PARAM_BYTE(field) (0 * sizeof(char[sizeof(((smmu_params_t *)0)->field) == 1 ? 1 : -1]))
#define VFEAT(field, cap, minor, kind)                                                             \
    { offsetof(smmu_params_t, field) + PARAM_BYTE(field), cap, minor, kind }

/* One row per modelled feature that is not in SMMUv3.0. A new feature is one row. */
static const vfeat_t features[] = {
    VFEAT(xnx, 0, 1, MANDATORY),       /* SMMUv3.1-XNX (2.3); 6.3.4 XNX: v3.1+ with stage 2 */
    VFEAT(oas_bits, 48, 1, FIELD_NEW), /* SMMUv3.1-LPA (2.3); 6.3.6: OAS 0b110 Reserved in v3.0 */
    VFEAT(ril, 0, 2, MANDATORY),       /* SMMUv3.2-RIL (2.4); 6.3.4: RIL is 1 in v3.2+ */
    VFEAT(bbml, 0, 2, MANDATORY),      /* SMMUv3.2-BBML1/2 (2.4); 6.3.4: 0b01 or 0b10 in v3.2+ */
    VFEAT(fwb, 0, 2, MANDATORY),       /* SMMUv3.2-S2FWB (2.4); 6.3.4: FWB is 1 in v3.2+ */
    VFEAT(e0pd, 0, 3, MANDATORY),      /* SMMUv3.3-E0PD (2.5 Mandatory); 6.3.4 E0PD */
    VFEAT(ptwnnc, 0, 3, MANDATORY),    /* SMMUv3.3-PTWNNC (2.5 Mandatory); 6.3.4: with stage 2 */
    VFEAT(vax, 0, 1, FIELD_NEW),       /* SMMUv3.1-VAX (2.3); 6.3.6: IDR5.VAX RES0 in v3.0 */
    VFEAT(httu, 2, 4, OPTIONAL),       /* SMMUv3.4-HAFT (2.8): IDR0.HTTU 0b11 -> 0b10 */
    VFEAT(lpa2, 0, 4, OPTIONAL),       /* SMMUv3.4-LPA2 (2.8): IDR5.DS */
    VFEAT(mpam, 0, 2, OPTIONAL),       /* SMMUv3.2-MPAM (2.4, optional): IDR3.MPAM */
    VFEAT(mpam_ns, 0, 3, OPTIONAL),    /* SMMUv3.3-MPAM_NS (2.5): S_MPAMIDR.HAS_MPAM_NS */
};

/* Spec 2.9: an SMMUv3.N may include any subset of SMMUv3.(N+1)'s features and none of
   SMMUv3.(N+2)'s or later. A feature Mandatory in v3.(N+1) is what makes a v3.(N+1), so a v3.N
   leaves it out; an Optional one it may keep, unless v3.N has no encoding for it. */
static bool kept(const vfeat_t *f, unsigned n) {
    return f->minor <= n || (f->minor == n + 1 && f->kind == OPTIONAL);
}

/* The parameter as without the feature; the existing "off" path does the rest (ID field 0, its
   configurations ILLEGAL or RES0). */
static void feature_off(smmu_params_t *p, const vfeat_t *f) {
    unsigned char *v = (unsigned char *)p + f->off;
    if (*v > f->cap) *v = f->cap;
}

void smmu_version_mask(smmu_params_t *p) {
    for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
        if (!kept(&features[i], p->arch_minor)) feature_off(p, &features[i]);
}

void smmu_params_init_version(smmu_params_t *p, unsigned arch_minor) {
    smmu_params_init(p);
    for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
        if (features[i].minor > arch_minor) feature_off(p, &features[i]);
    p->arch_minor = (uint8_t)(arch_minor > UINT8_MAX ? UINT8_MAX : arch_minor);
}
