/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Ports: one translating thread's context (port.h, <smmu/smmu.h> "Concurrent use"). Creation
 * and freeing, the statistics shards added up, and the translation through a port: the memo's
 * probe without the lock, else the full path under it. */
#include "port.h"

#include <stdlib.h>

#include "cache.h"
#include "instance.h"
#include "lock.h"

int smmu_port_init(smmu_t *s, smmu_port_t *p) {
    p->s = s;
    p->next = NULL;
    for (unsigned k = 0; k < SMMU_MEMO_KINDS; k++)
        atomic_init(&p->memo_hits[k], 0);
    p->memo_sok = smmu_table_alloc(((size_t)s->p.stream_stats_entries + 1) * sizeof(*p->memo_sok));
    return p->memo_sok ? 0 : -1;
}

void smmu_port_fini(smmu_port_t *p) {
    free((void *)p->memo_sok);
    p->memo_sok = NULL;
}

smmu_port_t *smmu_port_new(smmu_t *s) {
    smmu_port_t *p = smmu_table_alloc(sizeof(*p));
    if (!p) return NULL;
    if (smmu_port_init(s, p)) {
        free(p);
        return NULL;
    }
    SMMU_LOCKED(s);
    p->next = s->ports->next; /* after the instance's own, which stays first */
    s->ports->next = p;
    return p;
}

void smmu_port_free(smmu_port_t *p) {
    if (!p) return;
    smmu_t *s = p->s;
    {
        SMMU_LOCKED(s);
        for (unsigned k = 0; k < SMMU_MEMO_KINDS; k++)
            s->retired_hits[k] += smmu_port_count(&p->memo_hits[k]);
        for (uint32_t i = 0; i <= s->p.stream_stats_entries; i++)
            s->retired_sok[i] += smmu_port_count(&p->memo_sok[i]);
        for (smmu_port_t *q = s->ports; q; q = q->next)
            if (q->next == p) q->next = p->next;
    }
    smmu_port_fini(p);
    free(p);
}

uint64_t smmu_ports_hits(const smmu_t *s, unsigned kind) {
    uint64_t n = s->retired_hits[kind];
    for (const smmu_port_t *p = s->ports; p; p = p->next)
        n += smmu_port_count(&p->memo_hits[kind]);
    return n;
}

uint64_t smmu_ports_sok(const smmu_t *s, uint32_t slot) {
    uint64_t n = s->retired_sok[slot];
    for (const smmu_port_t *p = s->ports; p; p = p->next)
        n += smmu_port_count(&p->memo_sok[slot]);
    return n;
}

void smmu_ports_clear(smmu_t *s) {
    for (unsigned k = 0; k < SMMU_MEMO_KINDS; k++)
        s->retired_hits[k] = 0;
    for (uint32_t i = 0; i <= s->p.stream_stats_entries; i++)
        s->retired_sok[i] = 0;
    for (smmu_port_t *p = s->ports; p; p = p->next) {
        for (unsigned k = 0; k < SMMU_MEMO_KINDS; k++)
            atomic_store_explicit(&p->memo_hits[k], 0, memory_order_relaxed);
        for (uint32_t i = 0; i <= s->p.stream_stats_entries; i++)
            atomic_store_explicit(&p->memo_sok[i], 0, memory_order_relaxed);
    }
}
