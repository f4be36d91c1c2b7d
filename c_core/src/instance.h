/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The instance: struct smmu, the smmu_t of <smmu/smmu.h>, created by smmu_new (smmu.c). All the
 * state of one SMMU and nothing else: parameters, host callbacks, direct read grants, register
 * file, interrupt levels, statistics, stall table, caches, the memo's table and counters. It
 * includes only what it embeds by value (the register file, the caches' storage, the memo's
 * sizes); the stall and per-stream statistics slots it points to are defined in stall.h and
 * cache.h. The functions of each concern take an smmu_t * and are declared in its header. */
#ifndef SMMU_CORE_INSTANCE_H
#define SMMU_CORE_INSTANCE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <pthread.h>

#include <smmu/smmu.h>

#include "atos.h"
#include "cline.h"
#include "memo.h"
#include "port.h"
#include "regfile.h"

typedef struct smmu_stall smmu_stall_t; /* stall.h */
typedef struct smmu_sstat smmu_sstat_t; /* cache.h */
typedef struct smmu_pmcg smmu_pmcg_t;   /* pmcg.h */

/* Direct read grants held, direct-mapped by address bits [15:12] (a nested walk touches ~8
   pages; a grant larger than a page is copied into each slot it is used from). */
enum { SMMU_GRANTS = 16 };
struct smmu {
    smmu_params_t p;
    smmu_host_t host;
    uint32_t tp_mask; /* trace points asked for (bit 1 << SMMU_TP_*), 0 without host.trace */
    /* Direct read grants from host->mem_ptr (hostmem.c), used while their epoch is current; size 0:
       an empty slot. */
    smmu_mem_grant_t grants[SMMU_GRANTS];
    bool grants_wide; /* a grant spanning more than one 4 KiB page was held (in several slots) */
    smmu_regs_t r;    /* the Non-secure programming interface */
    smmu_regs_t sr;   /* the Secure one, SMMU_S_* (3.10.2; params.secure_impl) */
    /* mpam.c: the label of the SMMU-originated access being made, when a translation set one
       (mpam_io); otherwise the access is GMPAM's (smmu_mem_mpam) */
    smmu_mpam_t mpam_cur;
    bool mpam_io;
    bool mpam_sec; /* outside a translation's accesses: S_GMPAM's label (else GMPAM's) */
    bool irq_level[SMMU_IRQ_COUNT];
    uint32_t gerror_pending_msi;
    smmu_stats_t st;
    smmu_stall_t *stalls; /* stall_max slots, allocated in smmu_new; STAG = slot index */
    unsigned stalls_used;
    bool atc_inv_failed;   /* an ATC invalidation since the last CMD_SYNC did not complete */
    bool s_atc_inv_failed; /* the same for the Secure Command queue's CMD_ATC_INV */
    uint32_t stall_seq;
    bool cmdq_busy;   /* cmdq.c: consuming; a nested trigger (from a host callback) is ignored */
    bool s_cmdq_busy; /* the same for the Secure Command queue */
    smmu_cache_t cache[SMMU_CACHE_COUNT]; /* cache.c */
    uint64_t rng;                         /* SMMU_REPL_RANDOM state (xorshift64) */
    uint64_t choice_rng;  /* choice.c: the random profile's generator (xorshift64) */
    uint64_t lru_clock;   /* LRU time of every cache (only the order within a cache matters) */
    smmu_sstat_t *sstats; /* params.stream_stats_entries slots */
    smmu_stream_stats_t sstat_other;
    uint32_t fill_seq; /* last fill identity handed out (smmu_cache_t.fill) */
    smmu_memo_t *memo; /* memo.c: memo_mask + 1 entries (2 that never match when off) */
    bool memo_on;
    uint32_t memo_mask;
    uint8_t memo_shift;           /* 64 - log2(entries): the index is the top bits of the hash */
    _Atomic uint32_t memo_gen;    /* entries of other generations are invalid */
    _Atomic uint32_t sstat_epoch; /* bumped when the statistics slots are cleared */
    _Atomic bool fast_off; /* smmu_translate_fast takes the full entry point (smmu_memo_gate) */
    /* memo.c: what the fast entry points compare an entry's generation and validation time
       with, as one word: memo_gen's low 16 bits | memo_clock's low 16 bits << 16; while fast_off
       the generation 0xFFFF, which no entry holds (smmu_memo_tick, smmu_memo_flush, gate) */
    uint32_t fast_gv;
    /* memo.c: advances on every cache fill and invalidation of a line and every statistics
       clear (smmu_memo_tick); a plain-mode entry validated at this time needs no line checks */
    uint32_t memo_clock;
    /* Ports (port.c): the instance's own (smmu_translate) heads the list of all; the memo hits
       of freed ports, per kind and per stream statistics slot. */
    smmu_port_t port0;
    smmu_port_t *ports;
    uint64_t retired_hits[SMMU_MEMO_KINDS];
    uint64_t *retired_sok;
    /* Performance Monitor Counter Groups (pmcg.c): params.pmcg_groups of them; pmcg_on: some
       counter of some group is enabled (CR.E and CNTEN), the one test the hit path pays. */
    smmu_pmcg_t *pmcg;
    _Atomic bool pmcg_on;
    /* params.concurrent: serialises everything but the ports' memo hits (lock.h) */
    pthread_mutex_t lock;
    /* SMMU_GATOS_* (atos.c; reset with the registers). Last: the fields above keep their
       placement, so the translation path's cache lines are as without ATOS. */
    smmu_atos_t gatos;
    smmu_atos_t s_gatos; /* SMMU_S_GATOS_* (6.3.83-6.3.86, with SECURE_IMPL) */
    /* batch.c: the last group smmu_translate_batch translated walked deep enough (below the
       walk cache) that its successor's table reads are worth prefetching. A hint only. */
    bool batch_ahead;
    /* dsan.c: the driver sanitizer's state and tracking table (params.dsan.on), else NULL */
    struct smmu_dsan *dsan;
};

#endif
