/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Address Translation Operations (atos.c; spec chapter 9, 6.3.37-6.3.40): the state of one ATOS
 * register group (ATOS_SID, ATOS_ADDR, ATOS_PAR) and its 32-bit register accesses, which the
 * register file (regs.c) forwards for the offsets of the group. The Non-secure SMMU_GATOS_*
 * group is one instance (struct smmu .gatos), the Secure SMMU_S_GATOS_* group (6.3.83-6.3.86)
 * another (.s_gatos), which atos.c recognises by its address. */
#ifndef SMMU_CORE_ATOS_H
#define SMMU_CORE_ATOS_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

/* Bytes of a group: CTRL (+0x0, 32-bit; +0x4 a hole), SID (+0x8), ADDR (+0x10), PAR (+0x18). */
enum { SMMU_ATOS_GROUP_BYTES = 0x20 };

/* One group. ATOS_CTRL.RUN has no state: the lookup completes within the write of RUN = 1, so
   RUN always reads 0 (9.1.1). UNKNOWN reset values are zero. */
typedef struct smmu_atos {
    uint64_t sid, addr, par;
} smmu_atos_t;

/* The 32-bit register at byte rel (4-aligned, < SMMU_ATOS_GROUP_BYTES) of group g. */
uint32_t smmu_atos_read32(const smmu_atos_t *g, unsigned rel);
/* A 32-bit write of v at byte rel of group g; smmuen: the SMMUEN that guards the group's RUN
   (SMMU_CR0.SMMUEN for SMMU_GATOS_*, 6.3.37; S_CR0.SMMUEN for SMMU_S_GATOS_*, 6.3.83). Writing
   RUN = 1 performs the lookup. */
void smmu_atos_write32(smmu_t *s, smmu_atos_t *g, unsigned rel, uint32_t v, bool smmuen);

#endif
