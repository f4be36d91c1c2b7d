/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Saved state (state.c; smmu_save / smmu_restore of <smmu/smmu.h>, format docs/state.md): what
 * the rest of the core and its tests need of it. */
#ifndef SMMU_CORE_STATE_H
#define SMMU_CORE_STATE_H

#include <stdint.h>

#include <smmu/smmu.h>

/* sizeof(struct smmu) on x86-64 Linux when state.c's classification of its fields was last
   made: a new field fails state.c's static assertion until it is classified. */
/* noted victim and live-line counts (cache: flushed); params.choices, choice_rng, params.dsan,
   host.dsan_report, dsan (issue 22) */
enum { SMMU_STATE_STRUCT_BYTES = 3520 };

/* The header's digest of the params the state depends on (docs/state.md). */
uint64_t smmu_state_params_digest(const smmu_params_t *p);

#endif
