/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Ports (port.c; <smmu/smmu.h> smmu_port_*, "Concurrent use"): the context of one translating
 * thread, like a TBU in front of the shared SMMU. A port's memo hits are answered without the
 * instance's lock: they count in the port's own statistics shard (only its thread writes it,
 * with relaxed atomics; readers add the shards under the lock). Everything else a translation does
 * happens on the full path, under the lock. The instance embeds its own port (smmu_translate);
 * smmu_port_new adds more. */
#ifndef SMMU_CORE_PORT_H
#define SMMU_CORE_PORT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "memo.h"

struct smmu_port {
    /* memo hits: per kind of entry, and per stream statistics slot (stream_stats_entries + 1,
       the last is "other"); written by the port's thread only, in host cache lines of the
       port's own (the struct and memo_sok are 64-byte aligned and padded): hits of two ports
       never write one line */
    _Alignas(64) _Atomic uint64_t memo_hits[SMMU_MEMO_KINDS];
    _Atomic uint64_t *memo_sok;
    smmu_t *s;
    struct smmu_port *next; /* the instance's ports (the list is changed under the lock) */
};

/* Owner-only counter: a plain add that other threads may read whole. */
static inline void smmu_port_bump(_Atomic uint64_t *c) {
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
                          memory_order_relaxed);
}
static inline void smmu_port_add(_Atomic uint64_t *c, uint64_t n) {
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
                          memory_order_relaxed);
}
static inline uint64_t smmu_port_count(const _Atomic uint64_t *c) {
    return atomic_load_explicit(c, memory_order_relaxed);
}

/* The instance's own port (smmu_new): its statistics shard; -1 on allocation failure. */
int smmu_port_init(smmu_t *s, smmu_port_t *p);
void smmu_port_fini(smmu_port_t *p);
/* The statistics of memo hits of every port (and of freed ports), under the lock. */
uint64_t smmu_ports_hits(const smmu_t *s, unsigned kind);
uint64_t smmu_ports_sok(const smmu_t *s, uint32_t slot);
void smmu_ports_clear(smmu_t *s);

#endif
