/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The Command queue consumer (spec 3.5, chapter 4, 7.1). Commands are consumed in order from
 * CMDQ_CONS to CMDQ_PROD while CMDQEN == 1 and no CMDQ_ERR is active. Each command is decoded
 * and validated completely: a Reserved opcode, a command for a feature the ID registers do not
 * report, a non-zero Reserved field or an illegal parameter is CERROR_ILL; a read abort is
 * CERROR_ABT. On an error CONS stays at the command, CONS.ERR holds the reason and
 * GERROR.CMDQ_ERR is activated; consumption restarts from that command once software
 * acknowledges the error in GERRORN (7.1).
 *
 * Consumption is synchronous and bounded: a PROD write (or smmu_cmdq_run) consumes every
 * available command before returning, so a driver polling CONS always sees progress.
 *
 * A valid CFGI_* / TLBI_* command is carried out by cache.c (configuration cache, TLB, walk
 * and IPA caches), CMD_ATC_INV / CMD_PRI_RESP by ats.c, CMD_RESUME / CMD_STALL_TERM by stall.c.
 * PREFETCH_* commands are validated and complete without filling a cache (a prefetch is only a
 * hint, 4.2). */
#include "cmdq.h"

#include <smmu/regs.h>

#include "ats.h"
#include "cache.h"
#include "hostmem.h"
#include "instance.h"
#include "irq.h"
#include "lock.h"
#include "queue.h"
#include "regfile.h"
#include "stall.h"
#include "tp.h"

/* A command: its two dwords and the mask of the fields its opcode defines. */
typedef struct {
    uint64_t dw[2];
    uint64_t allowed[2];
} cmd_t;

/* Field macros taking an <smmu/arch.h> field name (which expands to "lsb, width"). */
#define ALLOW(c, F) SMMU_FSET_((c)->allowed, F, ~0ull)
#define GET(c, F)   SMMU_FGET_((c)->dw, F)

static bool idr0_has(const smmu_t *s, unsigned lsb, unsigned width) {
    return smmu_val_get(smmu_idr(s, 0), lsb, width) != 0;
}
#define IDR0(s, F) idr0_has(s, F) /* F expands to "lsb, width" */

/* Reserved fields are RES0 and this implementation checks them (4.1.5). */
static bool reserved_clear(const cmd_t *c) {
    return !(c->dw[0] & ~c->allowed[0]) && !(c->dw[1] & ~c->allowed[1]);
}

/* SSec must be 0 on the Non-secure Command queue (4.1.6). */
static bool ssec_ok(const cmd_t *c) {
    return GET(c, SMMU_F_CMD_SSEC) == 0;
}

/* ------------------------------------------------------------------ per opcode */

static bool prefetch(const smmu_t *s, cmd_t *c, unsigned op) {
    ALLOW(c, SMMU_F_CMD_SSEC);
    ALLOW(c, SMMU_F_CMD_SSV);
    ALLOW(c, SMMU_F_CMD_SSID);
    ALLOW(c, SMMU_F_CMD_SID);
    if (op == SMMU_CMD_PREFETCH_ADDR) {
        ALLOW(c, SMMU_F_CMD_PF_SIZE);
        ALLOW(c, SMMU_F_CMD_PF_ADDR);
        if (s->p.arch_minor >= 1) ALLOW(c, SMMU_F_CMD_PF_STRIDE); /* RES0 in SMMUv3.0 (4.2.2) */
    }
    return ssec_ok(c);
}

static bool cfgi(const smmu_t *s, cmd_t *c, unsigned op) {
    bool s1 = IDR0(s, SMMU_F_IDR0_S1P);
    ALLOW(c, SMMU_F_CMD_SSEC);
    ALLOW(c, SMMU_F_CMD_SID);
    switch (op) {
    case SMMU_CMD_CFGI_STE:
        ALLOW(c, SMMU_F_CMD_LEAF);
        break;
    case SMMU_CMD_CFGI_STE_RANGE:
        ALLOW(c, SMMU_F_CMD_RANGE);
        break;
    case SMMU_CMD_CFGI_CD:
        ALLOW(c, SMMU_F_CMD_SSID);
        ALLOW(c, SMMU_F_CMD_LEAF);
        break;
    default:
        break;
    }
    /* CD invalidations need stage 1 (4.3.3, 4.3.4). */
    if ((op == SMMU_CMD_CFGI_CD || op == SMMU_CMD_CFGI_CD_ALL) && !s1) return false;
    return ssec_ok(c);
}

/* Range invalidation and level hint fields (4.4.1.1): RES0 without IDR3.RIL; with it, TG == 0
   needs NUM, SCALE and TTL zero, and TG != 0 with NUM == SCALE == 0 needs a TTL hint. */
static void allow_range(const smmu_t *s, cmd_t *c) {
    ALLOW(c, SMMU_F_CMD_LEAF);
    if (!SMMU_VGET(smmu_idr(s, 3), SMMU_F_IDR3_RIL)) return;
    ALLOW(c, SMMU_F_CMD_TLBI_NUM);
    ALLOW(c, SMMU_F_CMD_TLBI_SCALE);
    /* SCALE is 6 bits wide with IDR5.DS, bits [24:20] and bit [25] RES0 without (4.4.1) */
    if (!SMMU_VGET(smmu_idr(s, 5), SMMU_F_IDR5_DS))
        SMMU_FSET(c->allowed, SMMU_F_CMD_TLBI_SCALE_DS, 0);
    ALLOW(c, SMMU_F_CMD_TLBI_TTL);
    ALLOW(c, SMMU_F_CMD_TLBI_TG);
}

static bool range_ok(const smmu_t *s, const cmd_t *c) {
    uint64_t tg = GET(c, SMMU_F_CMD_TLBI_TG), ttl = GET(c, SMMU_F_CMD_TLBI_TTL);
    bool no_range = GET(c, SMMU_F_CMD_TLBI_NUM) == 0 && GET(c, SMMU_F_CMD_TLBI_SCALE) == 0;
    if (tg == SMMU_CMD_TLBI_TG_NONE) return no_range && ttl == 0;
    if (tg == SMMU_CMD_TLBI_TG_16K && ttl == 1 && !SMMU_VGET(smmu_idr(s, 5), SMMU_F_IDR5_DS))
        ttl = 0; /* 16KB level 1 is Reserved without DS: behaves as 0 */
    return !(no_range && ttl == 0);
}

static bool tlbi_s1(const smmu_t *s, cmd_t *c, unsigned op) {
    ALLOW(c, SMMU_F_CMD_VMID); /* RES0 without stage 2, but not required to be checked (4.4.2) */
    if (op == SMMU_CMD_TLBI_NH_ASID || op == SMMU_CMD_TLBI_NH_VA) ALLOW(c, SMMU_F_CMD_ASID);
    if (op == SMMU_CMD_TLBI_NH_VA || op == SMMU_CMD_TLBI_NH_VAA) {
        allow_range(s, c);
        ALLOW(c, SMMU_F_CMD_TLBI_ADDR);
        if (!range_ok(s, c)) return false;
    }
    return IDR0(s, SMMU_F_IDR0_S1P);
}

static bool tlbi_el2(const smmu_t *s, cmd_t *c, unsigned op) {
    if (op == SMMU_CMD_TLBI_EL2_ASID || op == SMMU_CMD_TLBI_EL2_VA) ALLOW(c, SMMU_F_CMD_ASID);
    if (op == SMMU_CMD_TLBI_EL2_VA || op == SMMU_CMD_TLBI_EL2_VAA) {
        allow_range(s, c);
        ALLOW(c, SMMU_F_CMD_TLBI_ADDR);
        if (!range_ok(s, c)) return false;
    }
    return IDR0(s, SMMU_F_IDR0_HYP); /* CERROR_ILL when Hyp == 0 (4.4.2.7 - 4.4.2.10) */
}

static bool tlbi_s2(const smmu_t *s, cmd_t *c, unsigned op) {
    ALLOW(c, SMMU_F_CMD_VMID);
    if (op == SMMU_CMD_TLBI_S2_IPA) {
        allow_range(s, c);
        ALLOW(c, SMMU_F_CMD_TLBI_IPA);
        if (!range_ok(s, c)) return false;
    }
    return IDR0(s, SMMU_F_IDR0_S2P); /* 4.4.3 */
}

/* CMD_ATC_INV (4.5.1): ILLEGAL without ATS; a Size above 52 is treated as ILLEGAL. */
static bool atc_inv(const smmu_t *s, cmd_t *c) {
    ALLOW(c, SMMU_F_CMD_ATC_GLOBAL);
    ALLOW(c, SMMU_F_CMD_SSV);
    ALLOW(c, SMMU_F_CMD_SSID);
    ALLOW(c, SMMU_F_CMD_SID);
    ALLOW(c, SMMU_F_CMD_ATC_SIZE);
    ALLOW(c, SMMU_F_CMD_ATC_ADDR);
    return IDR0(s, SMMU_F_IDR0_ATS) && GET(c, SMMU_F_CMD_ATC_SIZE) <= 52;
}

/* CMD_PRI_RESP (4.5.2): ILLEGAL without PRI or with Resp == 0b11. */
static bool pri_resp(const smmu_t *s, cmd_t *c) {
    ALLOW(c, SMMU_F_CMD_SSV);
    ALLOW(c, SMMU_F_CMD_SSID);
    ALLOW(c, SMMU_F_CMD_SID);
    ALLOW(c, SMMU_F_CMD_PRI_GRPID);
    ALLOW(c, SMMU_F_CMD_PRI_RESP);
    return IDR0(s, SMMU_F_IDR0_PRI) && GET(c, SMMU_F_CMD_PRI_RESP) != SMMU_CMD_PRI_RESP_RESERVED;
}

static bool stall_supported(const smmu_t *s) {
    return SMMU_VGET(smmu_idr(s, 0), SMMU_F_IDR0_STALL_MODEL) != SMMU_STALL_MODEL_TERMINATE;
}

/* CMD_RESUME / CMD_STALL_TERM (4.7.1, 4.7.2): ILLEGAL when the stall model is not supported. */
static bool stall_cmd(const smmu_t *s, cmd_t *c, unsigned op) {
    ALLOW(c, SMMU_F_CMD_SSEC);
    ALLOW(c, SMMU_F_CMD_SID);
    if (op == SMMU_CMD_RESUME) {
        ALLOW(c, SMMU_F_CMD_RESUME_AC);
        ALLOW(c, SMMU_F_CMD_RESUME_AB);
        ALLOW(c, SMMU_F_CMD_RESUME_STAG);
    }
    return stall_supported(s) && ssec_ok(c);
}

/* CMD_SYNC (4.7.3): ComplSignal 0b11 is Reserved and ILLEGAL. */
static bool sync_cmd(cmd_t *c) {
    ALLOW(c, SMMU_F_CMD_SYNC_CS);
    ALLOW(c, SMMU_F_CMD_SYNC_MSH);
    ALLOW(c, SMMU_F_CMD_SYNC_MSIATTR);
    ALLOW(c, SMMU_F_CMD_SYNC_MSIDATA);
    ALLOW(c, SMMU_F_CMD_SYNC_MSIADDR);
    ALLOW(c, SMMU_F_CMD_SYNC_MSIADDR_HI);
    return GET(c, SMMU_F_CMD_SYNC_CS) != SMMU_CMD_SYNC_CS_RESERVED;
}

/* Decodes and validates; returns false for CERROR_ILL. Opcodes this SMMU does not implement
   (CFGI_VMS_PIDM without MPAM, EL3 and Secure commands on the Non-secure queue, DPTI without
   DPT, IMPLEMENTATION DEFINED and Reserved ones) are all illegal (4.1.3, 7.1). */
static bool validate(const smmu_t *s, cmd_t *c) {
    unsigned op = (unsigned)GET(c, SMMU_F_CMD_OPCODE);
    bool ok;
    ALLOW(c, SMMU_F_CMD_OPCODE);
    switch (op) {
    case SMMU_CMD_PREFETCH_CONFIG:
    case SMMU_CMD_PREFETCH_ADDR:
        ok = prefetch(s, c, op);
        break;
    case SMMU_CMD_CFGI_STE:
    case SMMU_CMD_CFGI_STE_RANGE:
    case SMMU_CMD_CFGI_CD:
    case SMMU_CMD_CFGI_CD_ALL:
        ok = cfgi(s, c, op);
        break;
    case SMMU_CMD_TLBI_NH_ALL:
    case SMMU_CMD_TLBI_NH_ASID:
    case SMMU_CMD_TLBI_NH_VA:
    case SMMU_CMD_TLBI_NH_VAA:
        ok = tlbi_s1(s, c, op);
        break;
    case SMMU_CMD_TLBI_EL2_ALL:
    case SMMU_CMD_TLBI_EL2_ASID:
    case SMMU_CMD_TLBI_EL2_VA:
    case SMMU_CMD_TLBI_EL2_VAA:
        ok = tlbi_el2(s, c, op);
        break;
    case SMMU_CMD_TLBI_S12_VMALL:
    case SMMU_CMD_TLBI_S2_IPA:
        ok = tlbi_s2(s, c, op);
        break;
    case SMMU_CMD_TLBI_NSNH_ALL:
        ok = true;
        break;
    case SMMU_CMD_ATC_INV:
        ok = atc_inv(s, c);
        break;
    case SMMU_CMD_PRI_RESP:
        ok = pri_resp(s, c);
        break;
    case SMMU_CMD_RESUME:
    case SMMU_CMD_STALL_TERM:
        ok = stall_cmd(s, c, op);
        break;
    case SMMU_CMD_SYNC:
        ok = sync_cmd(c);
        break;
    default:
        return false;
    }
    return ok && reserved_clear(c);
}

/* ------------------------------------------------------------------ execution */

/* Completion signal of a CMD_SYNC, after CONS has moved past it (4.7.3: the consumption is
   observable before the interrupt or MSI). SIG_SEV has no observable effect in this model. */
static void sync_complete(smmu_t *s, const cmd_t *c) {
    if (GET(c, SMMU_F_CMD_SYNC_CS) != SMMU_CMD_SYNC_CS_IRQ) return;
    smmu_irq_pulse(s, SMMU_IRQ_CMD_SYNC);
    if (!IDR0(s, SMMU_F_IDR0_MSI)) return; /* MSIAddress and MSIData are IGNORED */
    uint64_t addr = (GET(c, SMMU_F_CMD_SYNC_MSIADDR) | GET(c, SMMU_F_CMD_SYNC_MSIADDR_HI) << 50)
                    << 2;
    if (addr && smmu_msi_write(s, addr, (uint32_t)GET(c, SMMU_F_CMD_SYNC_MSIDATA)))
        smmu_gerror_raise(s, SMMU_GERROR_MSI_CMDQ_ABT_ERR);
}

/* Effects of a valid command that take place on consumption. */
static void execute(smmu_t *s, const cmd_t *c) {
    uint32_t sid = (uint32_t)GET(c, SMMU_F_CMD_SID);
    switch (GET(c, SMMU_F_CMD_OPCODE)) {
    case SMMU_CMD_RESUME:
        /* Action 1 retries; Action 0 terminates, with an abort when Abort = 1 and RAZ/WI
           otherwise (4.7.1). */
        smmu_stall_resume(s, sid, (uint16_t)GET(c, SMMU_F_CMD_RESUME_STAG),
                          GET(c, SMMU_F_CMD_RESUME_AC)   ? SMMU_STALL_RETRY
                          : GET(c, SMMU_F_CMD_RESUME_AB) ? SMMU_STALL_ABORT
                                                         : SMMU_STALL_RAZWI);
        break;
    case SMMU_CMD_STALL_TERM:
        smmu_stall_terminate(s, sid);
        break;
    case SMMU_CMD_ATC_INV:
    case SMMU_CMD_PRI_RESP:
        smmu_ats_command(s, c->dw);
        break;
    case SMMU_CMD_PREFETCH_CONFIG:
    case SMMU_CMD_PREFETCH_ADDR:
    case SMMU_CMD_SYNC:
        break;
    default: /* CFGI_* and TLBI_* */
        smmu_cache_command(s, c->dw);
        break;
    }
}

static bool cmdq_can_run(const smmu_t *s) {
    bool err = (s->r.gerror ^ s->r.gerrorn) & SMMU_GERROR_CMDQ_ERR;
    return smmu_cmdqen(s) && !err;
}

/* The command at CONS consumed (cerror NONE) or stopping the queue, as a trace point. */
static void trace_cmd(smmu_t *s, const cmd_t *c, unsigned log2, uint32_t cerror) {
    if (!smmu_tp_on(s, SMMU_TP_CMD)) return;
    smmu_tp_t tp = {.kind = SMMU_TP_CMD,
                    .u.cmd = {.dw = {c->dw[0], c->dw[1]},
                              .index = smmu_q_index(s->r.cmdq.cons, log2),
                              .opcode = (uint8_t)GET(c, SMMU_F_CMD_OPCODE),
                              .cerror = (uint8_t)cerror}};
    smmu_tp_emit(s, &tp);
}

/* A command error: CONS stays at the command, ERR is set before GERROR.CMDQ_ERR (7.1). */
static void cmdq_error(smmu_t *s, const cmd_t *c, unsigned log2, uint32_t cerror) {
    trace_cmd(s, c, log2, cerror);
    s->r.cmdq.cons = (uint32_t)SMMU_VSET(s->r.cmdq.cons, SMMU_F_CMDQ_CONS_ERR, cerror);
    smmu_gerror_raise(s, SMMU_GERROR_CMDQ_ERR);
}

/* Consumes one command; false when it raised an error. */
static bool consume_one(smmu_t *s, unsigned log2) {
    smmu_queue_t *q = &s->r.cmdq;
    cmd_t c = {{0, 0}, {0, 0}};
    if (smmu_mem_rd64(s, smmu_q_entry(q, log2, SMMU_CMD_BYTES, q->cons), c.dw, 2)) {
        cmdq_error(s, &c, log2, SMMU_CERROR_ABT);
        return false;
    }
    if (!validate(s, &c)) {
        cmdq_error(s, &c, log2, SMMU_CERROR_ILL);
        return false;
    }
    /* A CMD_SYNC that cannot complete an earlier CMD_ATC_INV stops with CERROR_ATC_INV_SYNC
       (4.7.3, 7.1). */
    if (GET(&c, SMMU_F_CMD_OPCODE) == SMMU_CMD_SYNC && s->atc_inv_failed) {
        s->atc_inv_failed = false;
        cmdq_error(s, &c, log2, SMMU_CERROR_ATC_INV_SYNC);
        return false;
    }
    trace_cmd(s, &c, log2, SMMU_CERROR_NONE);
    execute(s, &c);
    q->cons = smmu_q_inc(q->cons, log2);
    s->st.commands++;
    if (GET(&c, SMMU_F_CMD_OPCODE) == SMMU_CMD_SYNC) sync_complete(s, &c);
    return true;
}

unsigned smmu_cmdq_run(smmu_t *s, unsigned max) {
    SMMU_LOCKED(s);
    unsigned n = 0;
    if (s->cmdq_busy) return 0;
    s->cmdq_busy = true;
    while (cmdq_can_run(s) && (max == 0 || n < max)) {
        unsigned log2 = smmu_q_log2(&s->r.cmdq, s->p.cmdq_log2);
        if (smmu_q_empty(s->r.cmdq.prod, s->r.cmdq.cons, log2) || !consume_one(s, log2)) break;
        n++;
    }
    s->cmdq_busy = false;
    return n;
}

void smmu_cmdq_prod_written(smmu_t *s) {
    if (!s->p.defer_cmdq) smmu_cmdq_run(s, 0);
}
