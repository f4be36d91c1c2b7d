/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Snippet context (testbench/docs/check_snippets.py): the instance that the README's stream-handle
   snippet translates through (created by the README's first core snippet). Declarations only. */
#ifndef SMMU_DOCS_CONTEXT_CORE_INSTANCE_H
#define SMMU_DOCS_CONTEXT_CORE_INSTANCE_H

#include <smmu/smmu.h>

extern smmu_t *smmu; /* an instance made by smmu_new() */

#endif
