/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Open choices inside the core (choice.c; public part: <smmu/choice.h>). */
#ifndef SMMU_CORE_CHOICE_H
#define SMMU_CORE_CHOICE_H

#include <smmu/smmu.h>

/* The behaviour choice id (SMMU_CHOICE_*) takes at this event: the override, else the
   profile's, else (random) a fresh draw from the instance's generator. */
unsigned smmu_choice(smmu_t *s, unsigned id);
bool smmu_choices_ok(const smmu_choices_t *c); /* params check of smmu_new */
void smmu_choice_reseed(smmu_t *s);            /* smmu_new, smmu_reset */

#endif
