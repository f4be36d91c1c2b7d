/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Output memory attributes (attr.c; spec 13.1, Arm ARM D8.6), carried as one MAIR-format byte:
 * stage-2 MemAttr, combining stage 1 and stage 2, shareability, ALLOCCFG overrides. */
#ifndef SMMU_CORE_ATTR_H
#define SMMU_CORE_ATTR_H

#include <stdbool.h>
#include <stdint.h>

uint8_t smmu_attr_from_s2memattr(unsigned memattr);
uint8_t smmu_attr_from_s2memattr_fwb(unsigned memattr, bool *force_wb);
bool smmu_attr_is_device(uint8_t attr);
uint8_t smmu_attr_combine(uint8_t s1, uint8_t s2);
uint8_t smmu_sh_combine(uint8_t attr, uint8_t sh1, uint8_t sh2);
void smmu_attr_combine_s2(uint8_t *attr, uint8_t *sh, uint8_t attr2, uint8_t sh2, bool force_wb);
uint8_t smmu_attr_alloc_override(uint8_t attr, unsigned alloccfg);

#endif
