/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* smmu_trace: reader and writer of the smmu transaction trace format (traces/FORMAT.md).
 *
 *   smmu_trace_t *t;
 *   smmu_trace_error_t err;
 *   if (smmu_trace_load("nic.trace", &t, &err)) { fprintf(stderr, "%s\n", err.msg); ... }
 *   for (size_t i = 0; i < smmu_trace_count(t); i++) use(smmu_trace_get(t, i));
 *   smmu_trace_free(t);
 *
 * Parsing never crashes on any input bytes: a malformed trace gives an error naming the file,
 * the line and the problem. C11; no global state. */
#ifndef SMMU_TRACE_H
#define SMMU_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SMMU_TRACE_VERSION 1

/* Flags column */
enum {
    SMMU_TRACE_PRIV = 1u << 0,      /* "priv": privileged */
    SMMU_TRACE_INSTR = 1u << 1,     /* "instr": instruction fetch */
    SMMU_TRACE_SECURE = 1u << 2,    /* "secure": SEC_SID Secure */
    SMMU_TRACE_ATS_REQ = 1u << 3,   /* "ats-req": ATS Translation Request */
    SMMU_TRACE_ATS_TRANS = 1u << 4, /* "ats-trans": ATS Translated transaction */
};

/* status= result field */
typedef enum {
    SMMU_TRACE_ST_NONE = 0, /* no status field */
    SMMU_TRACE_ST_OK,
    SMMU_TRACE_ST_FAULT,
    SMMU_TRACE_ST_RAZWI,
    SMMU_TRACE_ST_STALL,
} smmu_trace_status_t;

/* Which result fields a transaction carries (smmu_trace_txn_t::has) */
enum {
    SMMU_TRACE_HAS_STATUS = 1u << 0,
    SMMU_TRACE_HAS_PA = 1u << 1,
    SMMU_TRACE_HAS_EVENT = 1u << 2,
    SMMU_TRACE_HAS_LAT = 1u << 3,
    SMMU_TRACE_HAS_HIT = 1u << 4,
    SMMU_TRACE_HAS_MISS = 1u << 5,
    SMMU_TRACE_HAS_READS = 1u << 6,
};

typedef struct smmu_trace_txn {
    uint64_t time_ns; /* issue time */
    uint32_t sid;
    uint32_t ssid; /* when ssv */
    bool ssv;
    bool write;
    uint32_t flags; /* SMMU_TRACE_PRIV ... */
    uint64_t addr;
    uint32_t size; /* >= 1 */
    /* result fields, valid when the matching SMMU_TRACE_HAS_* bit is set in has */
    uint32_t has;
    uint8_t status; /* smmu_trace_status_t */
    uint64_t pa;
    uint32_t event;     /* architectural event number (smmu_event_name) */
    uint64_t lat_ns;    /* translation latency */
    uint32_t hit, miss; /* bit (1 << SMMU_CACHE_*) per cache */
    uint32_t reads;     /* table reads */
    uint32_t line;      /* line number in the file it was read from (0: not read) */
} smmu_trace_txn_t;

typedef struct smmu_trace_error {
    unsigned line; /* 0 when not about one line (file cannot be opened, out of memory) */
    char msg[512]; /* "<file>:<line>: <problem>" */
} smmu_trace_error_t;

typedef struct smmu_trace smmu_trace_t; /* a parsed trace, in memory */

/* Parses a whole trace held in memory (need not be NUL-terminated; may contain any bytes).
   name is used in error messages (the file name). Returns 0 and *out, or -1 with *err filled
   (err may be NULL) and *out NULL. */
int smmu_trace_parse_buffer(const char *buf, size_t len, const char *name, smmu_trace_t **out,
                            smmu_trace_error_t *err);
/* Reads and parses a file. */
int smmu_trace_load(const char *path, smmu_trace_t **out, smmu_trace_error_t *err);
void smmu_trace_free(smmu_trace_t *t);

unsigned smmu_trace_version(const smmu_trace_t *t);
const char *smmu_trace_name(const smmu_trace_t *t);     /* "" when no name line */
const char *smmu_trace_scenario(const smmu_trace_t *t); /* as written; "" when none */
size_t smmu_trace_count(const smmu_trace_t *t);
const smmu_trace_txn_t *smmu_trace_get(const smmu_trace_t *t, size_t i); /* NULL past the end */

/* The scenario path resolved against the directory of trace_path (a relative scenario path is
   relative to the trace file). Writes at most len bytes including the NUL; returns 0, or -1 when
   there is no scenario line or the result does not fit. */
int smmu_trace_scenario_path(const smmu_trace_t *t, const char *trace_path, char *buf, size_t len);

/* ---- writing ---- */

/* Writes the version line and the name / scenario header lines (either may be NULL or "").
   Returns 0, or -1 on an I/O error or a name/scenario with a newline in it. */
int smmu_trace_write_header(FILE *f, const char *name, const char *scenario);
/* Formats one transaction line (without the newline) into buf; returns the length it needs
   (snprintf-like: the line is complete when the return value < len), or -1 on a transaction
   that cannot be written (size 0, ssid >= 2^20, unknown flag bits). */
int smmu_trace_format_txn(char *buf, size_t len, const smmu_trace_txn_t *t);
/* Writes one transaction line; 0 or -1. */
int smmu_trace_write_txn(FILE *f, const smmu_trace_txn_t *t);

/* Names used in the format. */
const char *smmu_trace_status_name(unsigned status); /* "ok", ...; "" for NONE */
const char *smmu_trace_cache_name(unsigned cache);   /* "tlb", "walk", ...; NULL past the end */

#ifdef __cplusplus
}
#endif

#endif
