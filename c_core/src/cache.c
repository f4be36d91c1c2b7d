/* SPDX-License-Identifier: Apache-2.0 */
/* Configuration and TLB caching (spec 3.17, 3.21, 4.3, 4.4). The core does not cache STEs, CDs
 * or translations yet: every translation reads the structures from memory, which is always a
 * result hardware with the same (empty) caches could return. A CFGI_* / TLBI_* command therefore
 * has nothing to remove here; what it still must do is tell the host that translations it was
 * handed (for DMI, ATS) may be stale. */
#include "internal.h"

void smmu_cache_changed(smmu_t *s) {
    if (s->host.invalidated) s->host.invalidated(s->host.ctx);
}

void smmu_cache_command(smmu_t *s, const uint64_t dw[2]) {
    (void)dw;
    smmu_cache_changed(s);
}
