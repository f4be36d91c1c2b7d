/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* smmuv3: the driver sanitizer (issue 22; c_core/src/dsan.c; "Driver sanitizer" in
 * docs/architecture.md). Off by default (params.dsan.on). When on, the core reports, one line
 * each with the spec rule and the addresses involved, software that breaks the architecture's
 * software rules: non-zero Reserved fields in commands, misaligned queue and table bases,
 * register writes forbidden in the current state, and (when the platform notifies the core of
 * software's memory writes through smmu_dsan_write) table entries changed while the SMMU may
 * hold them cached: translation table descriptors changed without break-before-make (3.21.1.1)
 * and STEs / CDs / L1 descriptors changed and then used after a CMD_SYNC that no covering
 * CMD_CFGI_* preceded (3.21.3.1). A report never changes what the SMMU does: the architectural
 * answer (CERROR, ignored write, cached or new value) is the same with the sanitizer off. */
#ifndef SMMU_DSAN_H
#define SMMU_DSAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct smmu smmu_t;

/* The sanitizer's settings: params.dsan (kept apart from the architectural params). */
typedef struct smmu_dsan_params {
    bool on;    /* the one switch; false (the default): nothing is checked or tracked */
    bool fatal; /* every report is fatal: report.fatal is set and smmu_dsan_fatal() becomes
                   true, for a host that stops (CI); the core itself goes on as before */
    /* The platform calls smmu_dsan_write() for every write software makes to memory (not the
       SMMU's own): the table-write checks (SMMU_DSAN_BBM, SMMU_DSAN_CFG_STALE) are on. false:
       they are off, and smmu_dsan_checks() says so. */
    bool writes_notified;
    /* Table entries (STE, CD, L1STD, L1CD, translation table descriptors) the SMMU may hold
       cached that are tracked: a power of two, 0: 4096 (176 bytes each, allocated by
       smmu_new). When full, further entries are not tracked and SMMU_DSAN_DEGRADED is reported
       once. */
    uint32_t track_entries;
} smmu_dsan_params_t;

/* The rules (one report kind each), with the spec section a report names. */
typedef enum {
    SMMU_DSAN_CMD_RES0 = 0,    /* 4.1.5: a command with a non-zero Reserved field */
    SMMU_DSAN_CMD_ILLEGAL = 1, /* 4.1.3, 7.1: any other CERROR_ILL command */
    SMMU_DSAN_QUEUE_ALIGN = 2, /* 6.3.26, 6.3.29, 6.3.33: queue base not aligned to its size */
    SMMU_DSAN_TABLE_ALIGN = 3, /* 6.3.24, 5.1.1, 5.2, 5.3.1: table base or pointer misaligned */
    SMMU_DSAN_REG_GUARDED = 4, /* 6.3.x: a register written while its enable guards it */
    SMMU_DSAN_BBM = 5,         /* 3.21.1.1: valid descriptor changed without break-before-make */
    SMMU_DSAN_CFG_STALE = 6,   /* 3.21.3.1: structure changed, synced without CFGI, then used */
    SMMU_DSAN_DEGRADED = 7,    /* the tracking structure is full: checks degraded */
    SMMU_DSAN_STRUCT_RES0 = 8, /* 5.2, 5.4: a valid STE / CD with a Reserved field non-zero */
    SMMU_DSAN_TLB_STALE = 9,   /* 3.21.1: descriptor changed, synced without TLBI, then used */
    SMMU_DSAN_RULE_COUNT
} smmu_dsan_rule_t;

/* One report (host->dsan_report). */
typedef struct smmu_dsan_report {
    uint8_t rule;        /* SMMU_DSAN_* */
    const char *section; /* the spec section of the rule, "3.21.1.1" */
    const char *name;    /* "BBM", "CMD_RES0", ... */
    /* The addresses involved: addr[0] the structure, command or register (a PA, or a register
       offset for SMMU_DSAN_REG_GUARDED), addr[1] a second one or 0 */
    uint64_t addr[2];
    uint64_t value[2]; /* rule-specific: offending bits, old / new contents, written value */
    uint32_t sid, ssid;
    bool secure;
    bool fatal;     /* params.dsan.fatal */
    char line[256]; /* the report as one line of text, without newline */
} smmu_dsan_report_t;

typedef struct smmu_dsan_stats_s { /* tag differs from the function of that name (C++ -Wshadow) */
    uint64_t reports;                       /* every report */
    uint64_t by_rule[SMMU_DSAN_RULE_COUNT]; /* by SMMU_DSAN_* */
    uint32_t tracked;                       /* table entries tracked now */
    uint32_t untracked;                     /* entries that found no room (degraded) */
} smmu_dsan_stats_t;

/* The platform's notice of a write of len bytes at pa by software (a PE or another master, not
   the SMMU): data are the bytes written (as they land in memory), secure the PA space. Cheap
   when nothing tracked is touched; a no-op with the sanitizer off. */
void smmu_dsan_write(smmu_t *s, uint64_t pa, const void *data, size_t len, bool secure);
/* smmu_dsan_write(ctx, pa, data, len, false) with ctx the smmu_t: the shape of
   smmu_mem_set_write_observer()'s observer (<smmu/mem.h>). */
void smmu_dsan_write_observer(void *ctx, uint64_t pa, const void *data, size_t len);
/* Counts since smmu_new() or smmu_clear_stats(). */
void smmu_dsan_stats(const smmu_t *s, smmu_dsan_stats_t *st);
/* A fatal report was made (params.dsan.fatal). */
bool smmu_dsan_fatal(const smmu_t *s);
/* Which checks are on, as one line ("off" with the sanitizer off; the table-write checks named
   as off when params.dsan.writes_notified is false). */
const char *smmu_dsan_checks(const smmu_t *s);
/* "CMD_RES0", ... or "UNKNOWN". */
const char *smmu_dsan_rule_name(unsigned rule);

#ifdef __cplusplus
}
#endif
#endif
