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
 * hint, 4.2).
 *
 * The Secure Command queue (SMMU_S_CMDQ_*, 3.10.2.1) is consumed the same way from Secure memory,
 * with its own CONS.ERR, S_GERROR and CMD_SYNC interrupt. There SSec may be 1 and the Secure-only
 * CMD_TLBI_EL3_* are legal (4.1.6, 4.4.2.5); the commands Secure stage 2 would add (S_EL2_*,
 * S_S12_VMALL, S_S2_IPA, SNH_ALL) are Reserved with S_IDR1.SEL2 == 0. Its CFGI_* and TLBI_*
 * go to cache.c with the queue's Security state, which selects what they reach: CFGI_* with
 * SSec == 1 the Secure streams' configuration (4.3), TLBI_NH_* the StreamWorld Secure entries
 * and TLBI_EL3_* the EL3 ones (4.4.2); CFGI_* with SSec == 0, TLBI_EL2_*, TLBI_S12_VMALL,
 * TLBI_S2_IPA and TLBI_NSNH_ALL act as on the Non-secure queue ("the same effect whether issued
 * from the Secure or Non-secure command queues", 4.4). ATC_INV and PRI_RESP, whose StreamID is
 * Non-secure (4.5), also act as there; CMD_RESUME / CMD_STALL_TERM with SSec == 1 act on the
 * Secure streams' stalls (stall.c); the other commands aimed at Secure streams (SSec == 1:
 * PREFETCH_*, which may do nothing, 4.2) have nothing to act on. */
#include "cmdq.h"

#include <smmu/regs.h>

#include "ats.h"
#include "cache.h"
#include "choice.h"
#include "dsan.h"
#include "hostmem.h"
#include "instance.h"
#include "irq.h"
#include "lock.h"
#include "mpam.h"
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

/* Reserved fields are RES0; an implementation either checks them (CERROR_ILL) or ignores them
   entirely (4.1.5): choice cmd_res0, decided at each command that has one set. Ignored, they
   are cleared so that nothing downstream sees them. */
static bool reserved_ok(smmu_t *s, cmd_t *c) {
    if (!(c->dw[0] & ~c->allowed[0]) && !(c->dw[1] & ~c->allowed[1])) return true;
    if (smmu_choice(s, SMMU_CHOICE_CMD_RES0) != SMMU_CMD_RES0_IGNORE) return false;
    c->dw[0] &= c->allowed[0];
    c->dw[1] &= c->allowed[1];
    return true;
}

/* SSec must be 0 on the Non-secure Command queue (4.1.6); the Secure queue may set it. */
static bool ssec_ok(const cmd_t *c, bool sec) {
    return sec || GET(c, SMMU_F_CMD_SSEC) == 0;
}

/* ------------------------------------------------------------------ per opcode */

static bool prefetch(const smmu_t *s, cmd_t *c, unsigned op, bool sec) {
    ALLOW(c, SMMU_F_CMD_SSEC);
    ALLOW(c, SMMU_F_CMD_SSV);
    ALLOW(c, SMMU_F_CMD_SSID);
    ALLOW(c, SMMU_F_CMD_SID);
    if (op == SMMU_CMD_PREFETCH_ADDR) {
        ALLOW(c, SMMU_F_CMD_PF_SIZE);
        ALLOW(c, SMMU_F_CMD_PF_ADDR);
        if (s->p.arch_minor >= 1) ALLOW(c, SMMU_F_CMD_PF_STRIDE); /* RES0 in SMMUv3.0 (4.2.2) */
    }
    return ssec_ok(c, sec);
}

static bool cfgi(const smmu_t *s, cmd_t *c, unsigned op, bool sec) {
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
    return ssec_ok(c, sec);
}

/* CMD_CFGI_VMS_PIDM (4.3.5): CERROR_ILL unless MPAM and the VMS are supported (5.6.1); the
   VMID as for CMD_TLBI_* (upper byte RES0 with 8-bit VMIDs, 4.4.2, not required to be
   checked: accepted). */
static bool cfgi_vms_pidm(const smmu_t *s, cmd_t *c, bool sec) {
    ALLOW(c, SMMU_F_CMD_SSEC);
    ALLOW(c, SMMU_F_CMD_VMID);
    return smmu_mpam_vms_supported(s) && ssec_ok(c, sec);
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

/* CMD_TLBI_EL3_ALL / EL3_VA(Addr, Leaf) (4.4.2.5, 4.4.2.6): only on the Secure Command queue
   (CERROR_ILL elsewhere); the VA form takes the range and level hint fields of the other VA
   forms. */
static bool tlbi_el3(const smmu_t *s, cmd_t *c, unsigned op, bool sec) {
    if (op == SMMU_CMD_TLBI_EL3_VA) {
        allow_range(s, c);
        ALLOW(c, SMMU_F_CMD_TLBI_ADDR);
        if (!range_ok(s, c)) return false;
    }
    return sec && IDR0(s, SMMU_F_IDR0_S1P);
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

/* The stall model of the queue's Security state: NSSTALLD takes it away from the Non-secure
   queue only (4.7.1). */
static bool stall_supported(const smmu_t *s, bool sec) {
    return smmu_stall_model(s, sec) != SMMU_STALL_MODEL_TERMINATE;
}

/* CMD_RESUME / CMD_STALL_TERM (4.7.1, 4.7.2): ILLEGAL when the stall model is not supported. */
static bool stall_cmd(const smmu_t *s, cmd_t *c, unsigned op, bool sec) {
    ALLOW(c, SMMU_F_CMD_SSEC);
    ALLOW(c, SMMU_F_CMD_SID);
    if (op == SMMU_CMD_RESUME) {
        ALLOW(c, SMMU_F_CMD_RESUME_AC);
        ALLOW(c, SMMU_F_CMD_RESUME_AB);
        ALLOW(c, SMMU_F_CMD_RESUME_STAG);
    }
    return stall_supported(s, sec) && ssec_ok(c, sec);
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

/* Decodes and validates a command of the Non-secure or Secure (sec) queue; returns false for
   CERROR_ILL. Opcodes this SMMU does not implement (CFGI_VMS_PIDM without MPAM or the VMS, EL3
   commands on the Non-secure queue, Secure stage-2 commands without SEL2, DPTI without DPT,
   IMPLEMENTATION DEFINED and Reserved ones) are all illegal (4.1.3, 7.1). */
static bool validate(smmu_t *s, cmd_t *c, bool sec) {
    unsigned op = (unsigned)GET(c, SMMU_F_CMD_OPCODE);
    bool ok;
    ALLOW(c, SMMU_F_CMD_OPCODE);
    switch (op) {
    case SMMU_CMD_PREFETCH_CONFIG:
    case SMMU_CMD_PREFETCH_ADDR:
        ok = prefetch(s, c, op, sec);
        break;
    case SMMU_CMD_CFGI_STE:
    case SMMU_CMD_CFGI_STE_RANGE:
    case SMMU_CMD_CFGI_CD:
    case SMMU_CMD_CFGI_CD_ALL:
        ok = cfgi(s, c, op, sec);
        break;
    case SMMU_CMD_CFGI_VMS_PIDM:
        ok = cfgi_vms_pidm(s, c, sec);
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
    case SMMU_CMD_TLBI_EL3_ALL:
    case SMMU_CMD_TLBI_EL3_VA:
        ok = tlbi_el3(s, c, op, sec);
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
        ok = stall_cmd(s, c, op, sec);
        break;
    case SMMU_CMD_SYNC:
        ok = sync_cmd(c);
        break;
    default:
        return false;
    }
    return ok && reserved_ok(s, c);
}

/* ------------------------------------------------------------------ execution */

/* Completion signal of a CMD_SYNC, after CONS has moved past it (4.7.3: the consumption is
   observable before the interrupt or MSI). SIG_SEV has no observable effect in this model. The
   Secure queue's interrupt and MSI are its own: the MSI to Secure PA space, its abort in
   S_GERROR (3.18; S_IDR0.MSI == IDR0.MSI here). */
static void sync_complete(smmu_t *s, const cmd_t *c, bool sec) {
    if (GET(c, SMMU_F_CMD_SYNC_CS) != SMMU_CMD_SYNC_CS_IRQ) return;
    smmu_irq_pulse(s, sec ? SMMU_IRQ_S_CMD_SYNC : SMMU_IRQ_CMD_SYNC);
    if (!IDR0(s, SMMU_F_IDR0_MSI)) return; /* MSIAddress and MSIData are IGNORED */
    uint64_t addr = (GET(c, SMMU_F_CMD_SYNC_MSIADDR) | GET(c, SMMU_F_CMD_SYNC_MSIADDR_HI) << 50)
                    << 2;
    if (addr && smmu_msi_write_w(s, addr, (uint32_t)GET(c, SMMU_F_CMD_SYNC_MSIDATA), sec))
        smmu_gerror_raise_w(s, sec, SMMU_GERROR_MSI_CMDQ_ABT_ERR);
}

/* A Secure queue's command for a Secure stream that nothing here holds (file comment): it
   completes with no effect. CFGI_* / TLBI_* are not among them (cache.c applies them to the
   Secure entries), nor CMD_RESUME / CMD_STALL_TERM (Secure streams stall: stall.c). */
static bool secure_only_target(const cmd_t *c) {
    const unsigned op = (unsigned)GET(c, SMMU_F_CMD_OPCODE);
    if (op >= SMMU_CMD_CFGI_STE && op <= SMMU_CMD_CFGI_CD_ALL) return false;
    if (op == SMMU_CMD_RESUME || op == SMMU_CMD_STALL_TERM) return false;
    return GET(c, SMMU_F_CMD_SSEC) != 0;
}

/* CMD_ATC_INV from the Secure queue: its failure is reported by that queue's CMD_SYNC. */
static void secure_atc_command(smmu_t *s, const cmd_t *c) {
    const bool ns_failed = s->atc_inv_failed;
    s->atc_inv_failed = false;
    smmu_ats_command(s, c->dw);
    s->s_atc_inv_failed |= s->atc_inv_failed;
    s->atc_inv_failed = ns_failed;
}

/* Effects of a valid command that take place on consumption. */
static void execute(smmu_t *s, const cmd_t *c, bool sec) {
    uint32_t sid = (uint32_t)GET(c, SMMU_F_CMD_SID);
    const bool ssec = GET(c, SMMU_F_CMD_SSEC) != 0; /* 0 on the Non-secure queue (4.1.6) */
    if (sec && secure_only_target(c)) return;
    switch (GET(c, SMMU_F_CMD_OPCODE)) {
    case SMMU_CMD_RESUME:
        /* Action 1 retries; Action 0 terminates, with an abort when Abort = 1 and RAZ/WI
           otherwise (4.7.1). */
        smmu_stall_resume(s, sid, ssec, (uint16_t)GET(c, SMMU_F_CMD_RESUME_STAG),
                          GET(c, SMMU_F_CMD_RESUME_AC)   ? SMMU_STALL_RETRY
                          : GET(c, SMMU_F_CMD_RESUME_AB) ? SMMU_STALL_ABORT
                                                         : SMMU_STALL_RAZWI);
        break;
    case SMMU_CMD_STALL_TERM:
        smmu_stall_terminate(s, sid, ssec);
        break;
    case SMMU_CMD_ATC_INV:
    case SMMU_CMD_PRI_RESP:
        if (sec)
            secure_atc_command(s, c);
        else
            smmu_ats_command(s, c->dw);
        break;
    case SMMU_CMD_PREFETCH_CONFIG:
    case SMMU_CMD_PREFETCH_ADDR:
    case SMMU_CMD_SYNC:
        break;
    case SMMU_CMD_CFGI_VMS_PIDM:
        /* No separate PARTID_MAP cache (mpam.c reads the map on each full translation; what
           the memo keeps of it goes with the STE's line, which CMD_CFGI_STE* invalidates as
           4.3.5.1 prescribes): nothing to invalidate. */
        break;
    default: /* CFGI_* and TLBI_* */
        smmu_cache_command(s, c->dw, sec);
        break;
    }
}

static bool cmdq_can_run(const smmu_t *s, bool sec) {
    const smmu_regs_t *b = smmu_bank_c(s, sec);
    bool err = (b->gerror ^ b->gerrorn) & SMMU_GERROR_CMDQ_ERR;
    return smmu_w_cmdqen(s, sec) && !err;
}

/* The command at CONS consumed (cerror NONE) or stopping the queue, as a trace point. */
static void trace_cmd(smmu_t *s, const cmd_t *c, const smmu_queue_t *q, unsigned log2,
                      uint32_t cerror) {
    if (!smmu_tp_on(s, SMMU_TP_CMD)) return;
    smmu_tp_t tp = {.kind = SMMU_TP_CMD,
                    .u.cmd = {.dw = {c->dw[0], c->dw[1]},
                              .index = smmu_q_index(q->cons, log2),
                              .opcode = (uint8_t)GET(c, SMMU_F_CMD_OPCODE),
                              .cerror = (uint8_t)cerror}};
    smmu_tp_emit(s, &tp);
}

/* A command error: CONS stays at the command, ERR is set before (S_)GERROR.CMDQ_ERR (7.1). */
static void cmdq_error(smmu_t *s, const cmd_t *c, bool sec, unsigned log2, uint32_t cerror) {
    smmu_queue_t *q = &smmu_bank(s, sec)->cmdq;
    trace_cmd(s, c, q, log2, cerror);
    q->cons = (uint32_t)SMMU_VSET(q->cons, SMMU_F_CMDQ_CONS_ERR, cerror);
    smmu_gerror_raise_w(s, sec, SMMU_GERROR_CMDQ_ERR);
}

/* A CMD_SYNC that cannot complete an earlier CMD_ATC_INV of its queue. */
static bool sync_atc_failed(smmu_t *s, bool sec) {
    bool *failed = sec ? &s->s_atc_inv_failed : &s->atc_inv_failed;
    const bool f = *failed;
    *failed = false;
    return f;
}

/* Consumes one command of the world's queue (read from its PA space, 3.10.2); false when it
   raised an error. */
static bool consume_one(smmu_t *s, bool sec, unsigned log2) {
    smmu_queue_t *q = &smmu_bank(s, sec)->cmdq;
    cmd_t c = {{0, 0}, {0, 0}};
    smmu_mpam_io_end(s, sec); /* the world's (S_)GMPAM label (17.4) */
    if (smmu_mem_rd64_w(s, smmu_q_entry_s(s, q, log2, SMMU_CMD_BYTES, q->cons), c.dw, 2, sec)) {
        cmdq_error(s, &c, sec, log2, SMMU_CERROR_ABT);
        return false;
    }
    if (!validate(s, &c, sec)) {
        if (smmu_dsan_on(s))
            smmu_dsan_cmd_illegal(s, sec, smmu_q_entry(q, log2, SMMU_CMD_BYTES, q->cons), c.dw,
                                  c.allowed);
        cmdq_error(s, &c, sec, log2, SMMU_CERROR_ILL);
        return false;
    }
    /* A CMD_SYNC that cannot complete an earlier CMD_ATC_INV stops with CERROR_ATC_INV_SYNC
       (4.7.3, 7.1). */
    if (GET(&c, SMMU_F_CMD_OPCODE) == SMMU_CMD_SYNC && sync_atc_failed(s, sec)) {
        cmdq_error(s, &c, sec, log2, SMMU_CERROR_ATC_INV_SYNC);
        return false;
    }
    trace_cmd(s, &c, q, log2, SMMU_CERROR_NONE);
    execute(s, &c, sec);
    q->cons = smmu_q_inc(q->cons, log2);
    s->st.commands++;
    if (GET(&c, SMMU_F_CMD_OPCODE) == SMMU_CMD_SYNC) {
        if (smmu_dsan_on(s)) smmu_dsan_sync(s, sec);
        sync_complete(s, &c, sec);
    }
    return true;
}

unsigned smmu_cmdq_run_sec(smmu_t *s, unsigned max, bool secure) {
    SMMU_LOCKED(s);
    unsigned n = 0;
    bool *busy = secure ? &s->s_cmdq_busy : &s->cmdq_busy;
    const smmu_queue_t *q = &smmu_bank(s, secure)->cmdq;
    if (*busy || (secure && !s->p.secure_impl)) return 0;
    *busy = true;
    while (cmdq_can_run(s, secure) && (max == 0 || n < max)) {
        unsigned log2 = smmu_q_log2(q, s->p.cmdq_log2);
        if (smmu_q_empty(q->prod, q->cons, log2) || !consume_one(s, secure, log2)) break;
        n++;
    }
    *busy = false;
    return n;
}

unsigned smmu_cmdq_run(smmu_t *s, unsigned max) {
    return smmu_cmdq_run_sec(s, max, false);
}

void smmu_cmdq_prod_written(smmu_t *s) {
    if (!s->p.defer_cmdq) smmu_cmdq_run(s, 0);
}

void smmu_cmdq_prod_written_w(smmu_t *s, bool secure) {
    if (!s->p.defer_cmdq) smmu_cmdq_run_sec(s, 0, secure);
}
