/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Architecture versions (spec 2.2-2.9, 6.3.8 SMMU_AIDR): which modelled features an SMMUv3.N has,
 * from one table of the version each feature was introduced in (version.c). */
#ifndef SMMU_CORE_VERSION_H
#define SMMU_CORE_VERSION_H

#include <smmu/smmu.h>

/* The latest version the core implements: it has none of SMMUv3.4's mandatory features. */
#define SMMU_ARCH_MINOR_MAX SMMU_AIDR_V3_3

/* Turns off, in p, every feature an SMMUv3.(p->arch_minor) cannot have (spec 2.9): what was
   introduced in v3.(N+1) as Mandatory and everything introduced in v3.(N+2) or later. */
void smmu_version_mask(smmu_params_t *p);

#endif
