/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Trace points: what the core does, as typed records handed to an optional host callback
 * (smmu_host_t::trace), in the spirit of QEMU's trace-events. With no callback set, each point
 * costs one predictable branch. The record lives for the duration of the call only.
 *
 *   static void on_tp(void *ctx, const smmu_tp_t *tp) {
 *       char line[256];
 *       smmu_tp_format(tp, line, sizeof line);   // one line of text, for people
 *       fprintf(ctx, "%s\n", line);
 *   }
 *   host.trace = on_tp;
 *
 * The callback may read the core's registers and statistics (smmu_reg_read, smmu_get_stats)
 * but must not change its state (no register write, no translation, no command). */
#ifndef SMMU_TRACEPOINT_H
#define SMMU_TRACEPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct smmu_txn;
struct smmu_result;

/* What happened (smmu_tp_t.kind). */
typedef enum {
    SMMU_TP_REG_READ = 0,  /* a register read (smmu_reg_read): u.reg */
    SMMU_TP_REG_WRITE,     /* a register write (smmu_reg_write): u.reg */
    SMMU_TP_CMD,           /* a command consumed from the command queue (4): u.cmd */
    SMMU_TP_STE_FETCH,     /* an STE read from the stream table (5.2): u.fetch */
    SMMU_TP_CD_FETCH,      /* a CD read from a CD table (5.4): u.fetch */
    SMMU_TP_WALK_STEP,     /* a translation table descriptor read (Arm ARM D8): u.walk */
    SMMU_TP_CACHE_FILL,    /* an entry filled into a cache (3.21): u.cache */
    SMMU_TP_CACHE_EVICT,   /* a valid entry replaced by a fill: u.cache */
    SMMU_TP_CACHE_INVAL,   /* an entry removed by an invalidation or a flush: u.cache */
    SMMU_TP_XLATE,         /* a translation's outcome (smmu_translate and the debug forms): u.xlate */
    SMMU_TP_EVENT,         /* an event record written to the Event queue, or lost (7): u.event */
    SMMU_TP_IRQ,           /* a wired interrupt output changed level (3.18): u.irq */
    SMMU_TP_MSI,           /* an MSI written (3.18): u.msi */
    SMMU_TP_STALL,         /* a transaction stalled (3.12.2): u.stall */
    SMMU_TP_STALL_END,     /* a stalled transaction resumed or terminated (4.7): u.stall */
    SMMU_TP_GERROR,        /* global errors became active (6.3.17): u.gerror */
    SMMU_TP_COUNT
} smmu_tp_kind_t;

typedef struct smmu_tp {
    uint8_t kind; /* smmu_tp_kind_t */
    union {
        struct { /* REG_READ, REG_WRITE */
            uint64_t offset, value;
            uint8_t size;
        } reg;
        struct { /* CMD */
            uint64_t dw[2];    /* the command as read from the queue */
            uint32_t index;    /* its CMDQ_CONS read index */
            uint8_t opcode;    /* SMMU_CMD_* */
            uint8_t cerror;    /* SMMU_CERROR_*: NONE when consumed, else why the queue stopped */
        } cmd;
        struct {            /* STE_FETCH, CD_FETCH */
            uint64_t pa;    /* where it was read (a PA; for a nested CD, after stage 2) */
            uint32_t sid, ssid;
            bool abort;     /* the read aborted */
        } fetch;
        struct {              /* WALK_STEP */
            uint64_t ia;      /* the stage's input address */
            uint64_t pa;      /* the descriptor's address */
            uint64_t desc;    /* the descriptor read (0 when the read aborted) */
            uint8_t stage;    /* 1 or 2 */
            uint8_t level;    /* 0 .. 3; 255: -1 */
        } walk;
        struct {             /* CACHE_FILL, CACHE_EVICT, CACHE_INVAL */
            uint32_t line;   /* index of the line in its cache */
            uint8_t cache;   /* SMMU_CACHE_* */
        } cache;
        struct { /* XLATE */
            const struct smmu_txn *txn;
            const struct smmu_result *res;
            bool dbg;  /* a debug translation (no side effects) */
            bool memo; /* answered by the translation memo */
        } xlate;
        struct {                 /* EVENT */
            const uint64_t *rec; /* the 32-byte record (4 words), NULL when lost */
            uint32_t type, sid;
            bool lost;
        } event;
        struct { /* IRQ */
            int line; /* SMMU_IRQ_* */
            bool level;
        } irq;
        struct { /* MSI */
            uint64_t addr;
            uint32_t data;
            bool abort; /* the write aborted */
        } msi;
        struct { /* STALL, STALL_END */
            uint32_t sid;
            uint16_t stag;
            int outcome; /* STALL_END: SMMU_STALL_RETRY, _ABORT, _RAZWI */
        } stall;
        struct {              /* GERROR */
            uint32_t active;  /* GERROR bits that became active (GERROR != GERRORN) */
            uint32_t cerror;  /* with CMDQ_ERR: CMDQ_CONS.ERR */
        } gerror;
    } u;
} smmu_tp_t;

/* Name of a kind ("XLATE"), or "?". */
const char *smmu_tp_name(unsigned kind);
/* One line of text (no newline) describing tp, into buf of n bytes (always terminated when
   n > 0). Returns the length the whole line needs, like snprintf. */
int smmu_tp_format(const smmu_tp_t *tp, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
