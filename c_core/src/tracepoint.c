/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Trace points as text (<smmu/tracepoint.h>): one line per record, for people reading a log
 * (smmu_vp --log), and the host's choice of kinds. The records themselves are built where the
 * core acts (smmu_tp_on / smmu_tp_emit, tp.h). */
#include <inttypes.h>

#include <smmu/regs.h>
#include <smmu/smmu.h>
#include <smmu/tracepoint.h>
#include <stdio.h>

#include "instance.h"
#include "lock.h"
#include "memo.h"

void smmu_set_trace(smmu_t *s, void (*fn)(void *ctx, const smmu_tp_t *tp), uint32_t mask) {
    SMMU_LOCKED(s);
    s->host.trace = fn;
    s->tp_mask = fn ? mask & SMMU_TP_ALL : 0;
    smmu_memo_gate(s);
}

static const char *const tp_names[SMMU_TP_COUNT] = {
    [SMMU_TP_REG_READ] = "REG_READ",
    [SMMU_TP_REG_WRITE] = "REG_WRITE",
    [SMMU_TP_CMD] = "CMD",
    [SMMU_TP_STE_FETCH] = "STE_FETCH",
    [SMMU_TP_CD_FETCH] = "CD_FETCH",
    [SMMU_TP_WALK_STEP] = "WALK_STEP",
    [SMMU_TP_CACHE_FILL] = "CACHE_FILL",
    [SMMU_TP_CACHE_EVICT] = "CACHE_EVICT",
    [SMMU_TP_CACHE_INVAL] = "CACHE_INVAL",
    [SMMU_TP_XLATE] = "XLATE",
    [SMMU_TP_EVENT] = "EVENT",
    [SMMU_TP_IRQ] = "IRQ",
    [SMMU_TP_MSI] = "MSI",
    [SMMU_TP_STALL] = "STALL",
    [SMMU_TP_STALL_END] = "STALL_END",
    [SMMU_TP_GERROR] = "GERROR",
};

const char *smmu_cmd_name(unsigned opcode) {
    switch (opcode) {
    case SMMU_CMD_PREFETCH_CONFIG:
        return "CMD_PREFETCH_CONFIG";
    case SMMU_CMD_PREFETCH_ADDR:
        return "CMD_PREFETCH_ADDR";
    case SMMU_CMD_CFGI_STE:
        return "CMD_CFGI_STE";
    case SMMU_CMD_CFGI_STE_RANGE:
        return "CMD_CFGI_STE_RANGE";
    case SMMU_CMD_CFGI_CD:
        return "CMD_CFGI_CD";
    case SMMU_CMD_CFGI_CD_ALL:
        return "CMD_CFGI_CD_ALL";
    case SMMU_CMD_TLBI_NH_ALL:
        return "CMD_TLBI_NH_ALL";
    case SMMU_CMD_TLBI_NH_ASID:
        return "CMD_TLBI_NH_ASID";
    case SMMU_CMD_TLBI_NH_VA:
        return "CMD_TLBI_NH_VA";
    case SMMU_CMD_TLBI_NH_VAA:
        return "CMD_TLBI_NH_VAA";
    case SMMU_CMD_TLBI_EL2_ALL:
        return "CMD_TLBI_EL2_ALL";
    case SMMU_CMD_TLBI_EL2_ASID:
        return "CMD_TLBI_EL2_ASID";
    case SMMU_CMD_TLBI_EL2_VA:
        return "CMD_TLBI_EL2_VA";
    case SMMU_CMD_TLBI_EL2_VAA:
        return "CMD_TLBI_EL2_VAA";
    case SMMU_CMD_TLBI_S12_VMALL:
        return "CMD_TLBI_S12_VMALL";
    case SMMU_CMD_TLBI_S2_IPA:
        return "CMD_TLBI_S2_IPA";
    case SMMU_CMD_TLBI_NSNH_ALL:
        return "CMD_TLBI_NSNH_ALL";
    case SMMU_CMD_ATC_INV:
        return "CMD_ATC_INV";
    case SMMU_CMD_PRI_RESP:
        return "CMD_PRI_RESP";
    case SMMU_CMD_RESUME:
        return "CMD_RESUME";
    case SMMU_CMD_STALL_TERM:
        return "CMD_STALL_TERM";
    case SMMU_CMD_SYNC:
        return "CMD_SYNC";
    default:
        return "UNKNOWN";
    }
}

const char *smmu_tp_name(unsigned kind) {
    return kind < SMMU_TP_COUNT && tp_names[kind] ? tp_names[kind] : "?";
}

static const char *cache_name(unsigned c) {
    static const char *const n[SMMU_CACHE_COUNT] = {"TLB", "WALK", "IPA", "STE", "CD", "L1"};
    return c < SMMU_CACHE_COUNT ? n[c] : "?";
}

static const char *cerror_name(unsigned e) {
    static const char *const n[] = {"CERROR_NONE", "CERROR_ILL", "CERROR_ABT",
                                    "CERROR_ATC_INV_SYNC"};
    return e < sizeof(n) / sizeof(n[0]) ? n[e] : "CERROR_?";
}

/* The outcome of a translation: "R 0x...+4 sid 0x1 ssid 0x2 -> 0x... span 0x1000 perm rw-". */
static int format_xlate(const smmu_tp_t *tp, char *b, size_t n) {
    const smmu_txn_t *t = tp->u.xlate.txn;
    const smmu_result_t *r = tp->u.xlate.res;
    char ids[48];
    if (t->ssv)
        snprintf(ids, sizeof ids, "sid 0x%" PRIx32 " ssid 0x%" PRIx32, t->sid, t->ssid);
    else
        snprintf(ids, sizeof ids, "sid 0x%" PRIx32, t->sid);
    const char rw = t->write ? 'W' : t->exec ? 'X' : 'R';
    const char *how = tp->u.xlate.dbg ? " (debug)" : tp->u.xlate.memo ? " (memo)" : "";
    if (r->status == SMMU_OK)
        return snprintf(b, n,
                        "XLATE %c 0x%" PRIx64 "+%" PRIu32 " %s -> 0x%" PRIx64 " span 0x%" PRIx64
                        " perm %c%c%c%s%s",
                        rw, t->addr, t->len, ids, r->pa, r->span, r->perm & SMMU_PERM_R ? 'r' : '-',
                        r->perm & SMMU_PERM_W ? 'w' : '-', r->perm & SMMU_PERM_X ? 'x' : '-',
                        r->tlb_hit ? " tlb-hit" : "", how);
    if (r->status == SMMU_STALLED)
        return snprintf(b, n, "XLATE %c 0x%" PRIx64 "+%" PRIu32 " %s stalled %s stag 0x%x%s", rw,
                        t->addr, t->len, ids, smmu_event_name(r->event), (unsigned)r->stag, how);
    return snprintf(b, n, "XLATE %c 0x%" PRIx64 "+%" PRIu32 " %s fault %s %s%s%s", rw, t->addr,
                    t->len, ids, r->event ? smmu_event_name(r->event) : "(no event)",
                    r->abort ? "abort" : "razwi", r->recorded ? " recorded" : "", how);
}

int smmu_tp_format(const smmu_tp_t *tp, char *b, size_t n) {
    switch (tp->kind) {
    case SMMU_TP_REG_READ:
    case SMMU_TP_REG_WRITE:
        return snprintf(b, n, "%s 0x%05" PRIx64 " = 0x%0*" PRIx64 " (%u bytes)",
                        smmu_tp_name(tp->kind), tp->u.reg.offset, tp->u.reg.size * 2,
                        tp->u.reg.value, (unsigned)tp->u.reg.size);
    case SMMU_TP_CMD:
        return snprintf(b, n, "CMD %s (0x%02x) [%" PRIu32 "] 0x%016" PRIx64 " 0x%016" PRIx64 "%s%s",
                        smmu_cmd_name(tp->u.cmd.opcode), (unsigned)tp->u.cmd.opcode,
                        tp->u.cmd.index, tp->u.cmd.dw[0], tp->u.cmd.dw[1],
                        tp->u.cmd.cerror ? " stopped: " : "",
                        tp->u.cmd.cerror ? cerror_name(tp->u.cmd.cerror) : "");
    case SMMU_TP_STE_FETCH:
    case SMMU_TP_CD_FETCH:
        return snprintf(b, n, "%s sid 0x%" PRIx32 " ssid 0x%" PRIx32 " at 0x%" PRIx64 "%s",
                        smmu_tp_name(tp->kind), tp->u.fetch.sid, tp->u.fetch.ssid, tp->u.fetch.pa,
                        tp->u.fetch.abort ? " aborted" : "");
    case SMMU_TP_WALK_STEP:
        return snprintf(b, n,
                        "WALK_STEP s%u l%d ia 0x%" PRIx64 " desc@0x%" PRIx64 " = 0x%016" PRIx64,
                        (unsigned)tp->u.walk.stage, (int)(int8_t)tp->u.walk.level, tp->u.walk.ia,
                        tp->u.walk.pa, tp->u.walk.desc);
    case SMMU_TP_CACHE_FILL:
    case SMMU_TP_CACHE_EVICT:
    case SMMU_TP_CACHE_INVAL:
        return snprintf(b, n, "%s %s line %" PRIu32, smmu_tp_name(tp->kind),
                        cache_name(tp->u.cache.cache), tp->u.cache.line);
    case SMMU_TP_XLATE:
        return format_xlate(tp, b, n);
    case SMMU_TP_EVENT:
        if (tp->u.event.lost)
            return snprintf(b, n, "EVENT %s sid 0x%" PRIx32 " lost",
                            smmu_event_name(tp->u.event.type), tp->u.event.sid);
        return snprintf(b, n,
                        "EVENT %s sid 0x%" PRIx32 " record 0x%016" PRIx64 " 0x%016" PRIx64
                        " 0x%016" PRIx64 " 0x%016" PRIx64,
                        smmu_event_name(tp->u.event.type), tp->u.event.sid, tp->u.event.rec[0],
                        tp->u.event.rec[1], tp->u.event.rec[2], tp->u.event.rec[3]);
    case SMMU_TP_IRQ: {
        static const char *const lines[SMMU_IRQ_COUNT] = {
            "eventq", "priq", "cmd_sync", "gerror", "s_eventq", "s_cmd_sync", "s_gerror"};
        const int l = tp->u.irq.line;
        const char *level = tp->u.irq.level ? "high" : "low";
        if (l >= SMMU_IRQ_PMCG(0)) /* a PMCG group's line (10.2.1) */
            return snprintf(b, n, "IRQ pmcg%d %s", l - SMMU_IRQ_PMCG(0), level);
        return snprintf(b, n, "IRQ %s %s", l >= 0 ? lines[l] : "?", level);
    }
    case SMMU_TP_MSI:
        return snprintf(b, n, "MSI 0x%08" PRIx32 " to 0x%" PRIx64 "%s", tp->u.msi.data,
                        tp->u.msi.addr, tp->u.msi.abort ? " aborted" : "");
    case SMMU_TP_STALL:
        return snprintf(b, n, "STALL sid 0x%" PRIx32 " stag 0x%x", tp->u.stall.sid,
                        (unsigned)tp->u.stall.stag);
    case SMMU_TP_STALL_END: {
        static const char *const how[] = {"retry", "abort", "razwi"};
        const int o = tp->u.stall.outcome;
        return snprintf(b, n, "STALL_END sid 0x%" PRIx32 " stag 0x%x %s", tp->u.stall.sid,
                        (unsigned)tp->u.stall.stag, o >= 0 && o <= 2 ? how[o] : "?");
    }
    case SMMU_TP_GERROR:
        return snprintf(
            b, n, "GERROR active 0x%03" PRIx32 "%s%s", tp->u.gerror.active,
            tp->u.gerror.active & SMMU_GERROR_CMDQ_ERR ? " " : "",
            tp->u.gerror.active & SMMU_GERROR_CMDQ_ERR ? cerror_name(tp->u.gerror.cerror) : "");
    default:
        return snprintf(b, n, "? kind %u", (unsigned)tp->kind);
    }
}
