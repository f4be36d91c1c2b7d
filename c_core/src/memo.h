/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The translation memo (memo.c; see smmu_params_t.memo_entries and docs/architecture.md): a
 * model-internal cache of final translation results in front of the STE, CD and TLB lookups,
 * invisible to software. Its entries are private to memo.c; the instance holds its table and
 * the ports (port.h) the statistics of its hits. */
#ifndef SMMU_CORE_MEMO_H
#define SMMU_CORE_MEMO_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

/* A memo entry records the cache lines it came from, by cache: STE, CD, TLB; a hit of an entry
   of kind k (bit SMMU_MEMO_* per line) counts as a hit in each of those caches. */
enum { SMMU_MEMO_STE, SMMU_MEMO_CD, SMMU_MEMO_TLB, SMMU_MEMO_LINES };
enum { SMMU_MEMO_KINDS = 1 << SMMU_MEMO_LINES };
typedef struct smmu_memo smmu_memo_t;

int smmu_memo_new(smmu_t *s); /* -1 on allocation failure */
void smmu_memo_free(smmu_t *s);
/* Every entry becomes invalid: state the entries do not track changed (SMMUEN, GBPA, stream
   statistics slots, wrap of the fill identities). */
void smmu_memo_flush(smmu_t *s);
/* A translation through port p (smmu_translate, smmu_port_translate): answered from the memo
   without a lock, with the full path's side effects (counted in p), or handed to
   smmu_translate_miss (xlate.h) when the memo misses or the XLATE trace point is on. The hand-over
   is a tail call, so that a hit costs one function. */
void smmu_memo_translate(smmu_t *s, smmu_port_t *p, const smmu_txn_t *t, smmu_result_t *r);
/* smmu_translate_fast's gate (s->fast_off): set while it must take the full entry point for
   everything (params.concurrent, a PMCG counting, the XLATE trace point); called where those
   change. */
void smmu_memo_gate(smmu_t *s);
/* Remembers the result r of t. lines: the line of each cache the translation consulted, which
   hit or was filled by it, so that the same translation would now hit in each (NULL: that cache
   was not consulted). */
void smmu_memo_record(smmu_t *s, const smmu_txn_t *t, const smmu_result_t *r,
                      const void *const lines[SMMU_MEMO_LINES]);
/* Folded statistics: the counters of memo hits added to what the full path counted. */
void smmu_memo_clear_stats(smmu_t *s);
void smmu_memo_fold_stats(const smmu_t *s, smmu_stats_t *st);
uint64_t smmu_memo_cache_hits(const smmu_t *s, unsigned which);
/* slot: index in s->sstats, UINT32_MAX for the "other" bucket. */
void smmu_memo_fold_stream(const smmu_t *s, uint32_t slot, smmu_stream_stats_t *st);

#endif
