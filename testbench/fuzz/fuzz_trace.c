/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Fuzz target 4 (issue 6): the transaction trace reader (traces/include/smmu/trace.h,
 * traces/FORMAT.md) on any bytes. Whatever the input, smmu_trace_parse_buffer must either
 * accept it (a trace whose every transaction is sane: size >= 1, SubstreamID < 2^20 when SSV,
 * time never decreasing) or refuse it with an error message that names the file and a line;
 * nothing crashes, leaks or reads out of bounds. An accepted trace must also survive a round
 * trip: written back with smmu_trace_format_txn and parsed again, it gives the same
 * transactions. */
#include <smmu/trace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char NAME[] = "fuzz.trace";

static int same_txn(const smmu_trace_txn_t *a, const smmu_trace_txn_t *b) {
    if (a->time_ns != b->time_ns || a->sid != b->sid || a->ssv != b->ssv) return 0;
    if (a->ssv && a->ssid != b->ssid) return 0;
    if (a->write != b->write || a->flags != b->flags || a->addr != b->addr) return 0;
    if (a->size != b->size || a->has != b->has) return 0;
    if ((a->has & SMMU_TRACE_HAS_STATUS) && a->status != b->status) return 0;
    if ((a->has & SMMU_TRACE_HAS_PA) && a->pa != b->pa) return 0;
    if ((a->has & SMMU_TRACE_HAS_EVENT) && a->event != b->event) return 0;
    if ((a->has & SMMU_TRACE_HAS_LAT) && a->lat_ns != b->lat_ns) return 0;
    if ((a->has & SMMU_TRACE_HAS_HIT) && a->hit != b->hit) return 0;
    if ((a->has & SMMU_TRACE_HAS_MISS) && a->miss != b->miss) return 0;
    if ((a->has & SMMU_TRACE_HAS_READS) && a->reads != b->reads) return 0;
    return 1;
}

static void round_trip(const smmu_trace_t *t) {
    size_t n = smmu_trace_count(t), cap = 64 + n * 320, len = 0;
    char *buf = malloc(cap);
    if (!buf) return;
    len += (size_t)snprintf(buf, cap, "smmu-trace 1\n");
    for (size_t i = 0; i < n; i++) {
        int k = smmu_trace_format_txn(buf + len, cap - len - 1, smmu_trace_get(t, i));
        if (k < 0 || (size_t)k >= cap - len - 1) abort(); /* an accepted transaction is writable */
        len += (size_t)k;
        buf[len++] = '\n';
    }
    smmu_trace_t *u = NULL;
    smmu_trace_error_t err;
    if (smmu_trace_parse_buffer(buf, len, NAME, &u, &err) != 0) {
        fprintf(stderr, "round trip refused: %s\n", err.msg);
        abort();
    }
    if (smmu_trace_count(u) != n) abort();
    for (size_t i = 0; i < n; i++)
        if (!same_txn(smmu_trace_get(t, i), smmu_trace_get(u, i))) abort();
    smmu_trace_free(u);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    smmu_trace_t *t = NULL;
    smmu_trace_error_t err;
    memset(&err, 0x5A, sizeof(err)); /* the reader must write a terminated message */
    if (smmu_trace_parse_buffer((const char *)data, size, NAME, &t, &err) != 0) {
        if (t) abort();
        if (!memchr(err.msg, 0, sizeof(err.msg))) abort();
        if (strncmp(err.msg, NAME, sizeof(NAME) - 1) != 0) abort(); /* "<file>:<line>: ..." */
        return 0;
    }
    if (!t || smmu_trace_version(t) != SMMU_TRACE_VERSION) abort();
    (void)strlen(smmu_trace_name(t));
    (void)strlen(smmu_trace_scenario(t));
    size_t n = smmu_trace_count(t);
    uint64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        const smmu_trace_txn_t *x = smmu_trace_get(t, i);
        if (!x || x->size == 0 || (x->ssv && x->ssid >= (1u << 20)) || x->time_ns < prev) abort();
        prev = x->time_ns;
    }
    if (smmu_trace_get(t, n) != NULL) abort();
    round_trip(t);
    smmu_trace_free(t);
    return 0;
}
