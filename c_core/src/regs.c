/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The Non-secure register file, pages 0 and 1 (spec 6.2, 6.3): ID registers computed from the
 * parameters, control registers with their acknowledgement (updates complete at once, so every
 * *ACK register follows its control register immediately), queue base and pointer registers
 * with their Guard rules, and the global error registers (7.5).
 *
 * CONSTRAINED UNPREDICTABLE choices made here (spec 6.2):
 *  - accesses of a size other than 4 or 8, or misaligned, are RAZ/WI;
 *  - an 8-byte access to two 32-bit registers behaves as two 4-byte accesses (low half first);
 *  - page 1 offsets other than the queue pointers, and the page 0 alias offsets of page 1
 *    registers, are RAZ/WI;
 *  - writes to Guarded registers while their guard is set are ignored (the SMMUv3.2 rule).
 * UNKNOWN reset values are zero; SMMU_GBPA resets to bypass with SHCFG = "use incoming". */
#include "regfile.h"

#include <smmu/regs.h>

#include "atos.h"
#include "cache.h"
#include "cmdq.h"
#include "instance.h"
#include "irq.h"
#include "lock.h"
#include "queue.h"
#include "stall.h"
#include "tp.h"

/* ------------------------------------------------------------------ ID registers */

/* Hyp is RES0 unless both stages are implemented (6.3.1). */
static bool hyp_impl(const smmu_params_t *p) {
    return p->hyp && p->s1 && p->s2;
}

static uint32_t idr0(const smmu_params_t *p) {
    uint64_t v = 0;
    v = SMMU_VSET(v, SMMU_F_IDR0_S2P, p->s2);
    v = SMMU_VSET(v, SMMU_F_IDR0_S1P, p->s1);
    v = SMMU_VSET(v, SMMU_F_IDR0_TTF, SMMU_IDR0_TTF_AARCH64); /* VMSAv8-64 only */
    v = SMMU_VSET(v, SMMU_F_IDR0_COHACC, p->coherent);
    v = SMMU_VSET(v, SMMU_F_IDR0_BTM, p->btm);
    v = SMMU_VSET(v, SMMU_F_IDR0_HTTU, p->httu); /* 0 without host->mem_cas64 (smmu.c) */
    v = SMMU_VSET(v, SMMU_F_IDR0_HYP, hyp_impl(p));
    v = SMMU_VSET(v, SMMU_F_IDR0_ATS, p->ats);
    v = SMMU_VSET(v, SMMU_F_IDR0_ASID16, p->asid16);
    v = SMMU_VSET(v, SMMU_F_IDR0_MSI, p->msi);
    v = SMMU_VSET(v, SMMU_F_IDR0_SEV, p->sev);
    v = SMMU_VSET(v, SMMU_F_IDR0_ATOS, p->atos); /* SMMU_GATOS_* (atos.c); no VATOS */
    v = SMMU_VSET(v, SMMU_F_IDR0_PRI, p->pri && p->ats);
    v = SMMU_VSET(v, SMMU_F_IDR0_VMID16, p->vmid16);
    v = SMMU_VSET(v, SMMU_F_IDR0_CD2L, p->cd_2lvl);
    v = SMMU_VSET(v, SMMU_F_IDR0_TTENDIAN,
                  p->ttendian_mixed ? SMMU_IDR0_TTENDIAN_MIXED : SMMU_IDR0_TTENDIAN_LE);
    v = SMMU_VSET(v, SMMU_F_IDR0_STALL_MODEL, p->stall_model);
    /* TERM_MODEL 0: CD.A / CMD_RESUME Abort honoured */
    v = SMMU_VSET(v, SMMU_F_IDR0_TERM_MODEL, p->term_model);
    v = SMMU_VSET(v, SMMU_F_IDR0_ST_LEVEL,
                  p->st_2lvl ? SMMU_IDR0_ST_LEVEL_2LVL : SMMU_IDR0_ST_LEVEL_LINEAR);
    return (uint32_t)v;
}

static uint32_t idr1(const smmu_params_t *p) {
    uint64_t v = 0;
    v = SMMU_VSET(v, SMMU_F_IDR1_SIDSIZE, p->sidsize);
    v = SMMU_VSET(v, SMMU_F_IDR1_SSIDSIZE, p->ssidsize);
    v = SMMU_VSET(v, SMMU_F_IDR1_PRIQS, p->pri ? p->priq_log2 : 0);
    v = SMMU_VSET(v, SMMU_F_IDR1_EVENTQS, p->eventq_log2);
    v = SMMU_VSET(v, SMMU_F_IDR1_CMDQS, p->cmdq_log2);
    /* STE/GBPA MTCFG, SHCFG, ALLOCCFG / PRIVCFG, INSTCFG overrides (translate.c honours these). */
    v = SMMU_VSET(v, SMMU_F_IDR1_ATTR_TYPES_OVR, p->attr_types_ovr);
    v = SMMU_VSET(v, SMMU_F_IDR1_ATTR_PERMS_OVR, p->attr_perms_ovr);
    return (uint32_t)v;
}

static uint32_t idr5(const smmu_params_t *p) {
    uint64_t v = 0;
    /* oas_bits is one of the architected sizes: smmu.c checks the parameters */
    v = SMMU_VSET(v, SMMU_F_IDR5_OAS, (unsigned)smmu_pa_size_enc(p->oas_bits));
    v = SMMU_VSET(v, SMMU_F_IDR5_GRAN4K, p->gran4k);
    v = SMMU_VSET(v, SMMU_F_IDR5_GRAN16K, p->gran16k);
    v = SMMU_VSET(v, SMMU_F_IDR5_GRAN64K, p->gran64k);
    v = SMMU_VSET(v, SMMU_F_IDR5_DS, p->lpa2);
    v = SMMU_VSET(v, SMMU_F_IDR5_VAX, p->vax ? SMMU_IDR5_VAX_52 : SMMU_IDR5_VAX_48);
    /* STALL_MAX is RES0 when the stall model is not supported (6.3.6). */
    if (p->stall_model != SMMU_STALL_MODEL_TERMINATE)
        v = SMMU_VSET(v, SMMU_F_IDR5_STALL_MAX, p->stall_max);
    return (uint32_t)v;
}

void smmu_regs_compute_idr(smmu_t *s) {
    const smmu_params_t *p = &s->p;
    s->r.idr[0] = idr0(p);
    s->r.idr[1] = idr1(p);
    s->r.idr[2] = 0; /* no VATOS */
    /* Hierarchical attribute disables are implemented for stage 1 (mandatory from v3.1). */
    s->r.idr[3] = (uint32_t)(SMMU_VSET(0ull, SMMU_F_IDR3_RIL, p->ril) |
                             SMMU_VSET(0ull, SMMU_F_IDR3_HAD, p->s1) |
                             SMMU_VSET(0ull, SMMU_F_IDR3_BBML, p->bbml) |
                             SMMU_VSET(0ull, SMMU_F_IDR3_FWB, p->fwb) |
                             SMMU_VSET(0ull, SMMU_F_IDR3_E0PD, p->e0pd) |
                             SMMU_VSET(0ull, SMMU_F_IDR3_XNX, p->xnx) |
                             SMMU_VSET(0ull, SMMU_F_IDR3_PTWNNC, p->ptwnnc));
    s->r.idr[4] = 0;
    s->r.idr[5] = idr5(p);
    s->r.iidr = p->iidr;
    s->r.aidr = (uint32_t)SMMU_VSET(0ull, SMMU_F_AIDR_ARCHMINORREV, p->arch_minor);
}

uint32_t smmu_idr(const smmu_t *s, unsigned n) {
    return n < 6 ? s->r.idr[n] : 0;
}

static bool has(const smmu_t *s, unsigned lsb, unsigned width) {
    return smmu_val_get(s->r.idr[0], lsb, width) != 0;
}
#define HAS(s, F) has(s, F)

/* The SMMU_GATOS_* group (6.3.37-6.3.40), present when IDR0.ATOS: atos.c. */
static bool gatos_at(const smmu_t *s, uint64_t off) {
    return off - SMMU_GATOS_CTRL < SMMU_ATOS_GROUP_BYTES && HAS(s, SMMU_F_IDR0_ATOS);
}

unsigned smmu_oas_bits(const smmu_t *s) {
    return s->p.oas_bits;
}

/* IPS/PS encodings (3.4): reserved encodings behave as the largest, then capped at OAS. */
unsigned smmu_ps_bits(const smmu_t *s, unsigned ps) {
    unsigned b = smmu_pa_size_bits(ps);
    if (b == 0) b = 52;
    return b < smmu_oas_bits(s) ? b : smmu_oas_bits(s);
}

/* Bits [oas-1:lsb] of an address field: the ADDR bits above OAS are RES0 (6.3.21, 6.3.24). */
static uint64_t addr_mask(const smmu_t *s, unsigned lsb) {
    unsigned oas = smmu_oas_bits(s);
    return oas > lsb ? smmu_bits_mask(oas - lsb) << lsb : 0;
}

/* -------------------------------------------------------------------------- state */

void smmu_regs_reset(smmu_t *s) {
    uint32_t idr[6];
    for (unsigned i = 0; i < 6; i++)
        idr[i] = s->r.idr[i];
    uint32_t iidr = s->r.iidr, aidr = s->r.aidr;
    s->r = (smmu_regs_t){0};
    for (unsigned i = 0; i < 6; i++)
        s->r.idr[i] = idr[i];
    s->r.iidr = iidr;
    s->r.aidr = aidr;
    s->gatos = (smmu_atos_t){0};
    /* bypass, attributes as incoming */
    s->r.gbpa = (uint32_t)SMMU_VSET(0ull, SMMU_F_GBPA_SHCFG, SMMU_STE_SHCFG_INCOMING);
    s->cmdq_busy = false;
}

bool smmu_smmuen(const smmu_t *s) {
    return SMMU_VGET(s->r.cr0ack, SMMU_F_CR0_SMMUEN);
}

bool smmu_eventqen(const smmu_t *s) {
    return SMMU_VGET(s->r.cr0ack, SMMU_F_CR0_EVENTQEN);
}

bool smmu_cmdqen(const smmu_t *s) {
    return SMMU_VGET(s->r.cr0ack, SMMU_F_CR0_CMDQEN);
}

static bool priqen(const smmu_t *s) {
    return SMMU_VGET(s->r.cr0ack, SMMU_F_CR0_PRIQEN);
}

static bool irqen(const smmu_t *s, uint32_t bit) {
    return (s->r.irq_ctrl | s->r.irq_ctrlack) & bit;
}

/* ------------------------------------------------------------------------- queues */

/* PROD/CONS read back: index and wrap of the configured size; the bits above are RAZ for the
   pointer the SMMU maintains (6.3.28, 6.3.95). */
static uint32_t q_ptr_read(uint32_t v, const smmu_queue_t *q, unsigned max_log2) {
    uint32_t keep = (uint32_t)smmu_bits_mask(smmu_q_log2(q, max_log2) + 1);
    return (v & ~(uint32_t)SMMU_FMASK64(SMMU_F_Q_IDX)) | (v & keep);
}

/* ------------------------------------------------------------------ global errors */

static uint32_t gerror_impl(const smmu_t *s) {
    uint32_t m = SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVTQ_ABT_ERR | SMMU_GERROR_SFM_ERR;
    bool msi = HAS(s, SMMU_F_IDR0_MSI), pri = HAS(s, SMMU_F_IDR0_PRI);
    if (pri) m |= SMMU_GERROR_PRIQ_ABT_ERR;
    if (msi)
        m |= SMMU_GERROR_MSI_CMDQ_ABT_ERR | SMMU_GERROR_MSI_EVTQ_ABT_ERR |
             SMMU_GERROR_MSI_GERROR_ABT_ERR;
    if (msi && pri) m |= SMMU_GERROR_MSI_PRIQ_ABT_ERR;
    return m;
}

/* An error is activated by toggling its GERROR bit, only when it is not already active; the
   GERROR interrupt is triggered for every activation except MSI_GERROR_ABT_ERR (7.5, 7.5.1). */
void smmu_gerror_raise(smmu_t *s, uint32_t bits) {
    uint32_t active = s->r.gerror ^ s->r.gerrorn;
    bits &= gerror_impl(s) & ~active;
    if (!bits) return;
    s->r.gerror ^= bits;
    if (smmu_tp_on(s, SMMU_TP_GERROR)) {
        smmu_tp_t tp = {
            .kind = SMMU_TP_GERROR,
            .u.gerror = {.active = bits,
                         .cerror = (uint32_t)SMMU_VGET(s->r.cmdq.cons, SMMU_F_CMDQ_CONS_ERR)}};
        smmu_tp_emit(s, &tp);
    }
    if (bits & ~(uint32_t)SMMU_GERROR_MSI_GERROR_ABT_ERR) smmu_irq_notify(s, SMMU_IRQ_GERROR);
}

/* GERRORN: software acknowledges by making the bits equal (6.3.20); acknowledging CMDQ_ERR
   restarts command consumption (7.1). */
static void write_gerrorn(smmu_t *s, uint32_t v) {
    uint32_t was_active = s->r.gerror ^ s->r.gerrorn;
    s->r.gerrorn = v & gerror_impl(s);
    uint32_t acked = was_active & ~(s->r.gerror ^ s->r.gerrorn);
    if (acked & SMMU_GERROR_CMDQ_ERR) smmu_cmdq_prod_written(s);
    if (acked & SMMU_GERROR_EVTQ_ABT_ERR) smmu_stall_flush_events(s); /* writable again */
}

/* ---------------------------------------------------------------- control registers */

static uint32_t cr0_mask(const smmu_t *s) {
    uint64_t m = SMMU_FMASK64(SMMU_F_CR0_SMMUEN) | SMMU_FMASK64(SMMU_F_CR0_EVENTQEN) |
                 SMMU_FMASK64(SMMU_F_CR0_CMDQEN);
    if (HAS(s, SMMU_F_IDR0_PRI)) m |= SMMU_FMASK64(SMMU_F_CR0_PRIQEN);
    if (HAS(s, SMMU_F_IDR0_ATS)) m |= SMMU_FMASK64(SMMU_F_CR0_ATSCHK);
    return (uint32_t)m;
}

/* CR0: every field Updates at once, so CR0ACK follows the write (6.3.9, 6.3.10). */
static void write_cr0(smmu_t *s, uint32_t v) {
    uint32_t old = s->r.cr0ack;
    s->r.cr0 = s->r.cr0ack = v & cr0_mask(s);
    /* Transactions stalled under SMMUEN == 1 are terminated when it is cleared (6.3.9.6). */
    if (SMMU_VGET(old, SMMU_F_CR0_SMMUEN) && !smmu_smmuen(s)) smmu_stall_terminate_all(s);
    if (!SMMU_VGET(old, SMMU_F_CR0_CMDQEN) && smmu_cmdqen(s)) smmu_cmdq_prod_written(s);
    if (!SMMU_VGET(old, SMMU_F_CR0_EVENTQEN) && smmu_eventqen(s)) smmu_stall_flush_events(s);
    if (SMMU_VGET(old, SMMU_F_CR0_SMMUEN) != SMMU_VGET(s->r.cr0ack, SMMU_F_CR0_SMMUEN))
        smmu_cache_changed(s);
}

/* CR1: TABLE_* are Guarded by SMMUEN, QUEUE_* by all queue enables (6.3.11). */
static void write_cr1(smmu_t *s, uint32_t v) {
    uint32_t table =
        (uint32_t)(SMMU_FMASK64(SMMU_F_CR1_TABLE_IC) | SMMU_FMASK64(SMMU_F_CR1_TABLE_OC) |
                   SMMU_FMASK64(SMMU_F_CR1_TABLE_SH));
    uint32_t queue =
        (uint32_t)(SMMU_FMASK64(SMMU_F_CR1_QUEUE_IC) | SMMU_FMASK64(SMMU_F_CR1_QUEUE_OC) |
                   SMMU_FMASK64(SMMU_F_CR1_QUEUE_SH));
    uint32_t m = 0;
    if (!smmu_smmuen(s)) m |= table;
    if (!smmu_cmdqen(s) && !smmu_eventqen(s) && !priqen(s)) m |= queue;
    s->r.cr1 = (s->r.cr1 & ~m) | (v & m);
}

/* CR2 is read-only while SMMUEN == 1 (6.3.12); E2H needs Hyp, PTM needs BTM. */
static void write_cr2(smmu_t *s, uint32_t v) {
    if (smmu_smmuen(s)) return;
    uint64_t m = SMMU_FMASK64(SMMU_F_CR2_RECINVSID);
    if (HAS(s, SMMU_F_IDR0_HYP)) m |= SMMU_FMASK64(SMMU_F_CR2_E2H);
    if (HAS(s, SMMU_F_IDR0_BTM)) m |= SMMU_FMASK64(SMMU_F_CR2_PTM);
    s->r.cr2 = v & (uint32_t)m;
}

/* GBPA: only a write with Update == 1 takes effect; the update completes at once, so Update
   reads as 0 again (6.3.14.1). */
static void write_gbpa(smmu_t *s, uint32_t v) {
    if (!SMMU_VGET(v, SMMU_F_GBPA_UPDATE)) return;
    uint64_t m = SMMU_FMASK64(SMMU_F_GBPA_MEMATTR) | SMMU_FMASK64(SMMU_F_GBPA_MTCFG) |
                 SMMU_FMASK64(SMMU_F_GBPA_ALLOCCFG) | SMMU_FMASK64(SMMU_F_GBPA_SHCFG) |
                 SMMU_FMASK64(SMMU_F_GBPA_PRIVCFG) | SMMU_FMASK64(SMMU_F_GBPA_INSTCFG) |
                 SMMU_FMASK64(SMMU_F_GBPA_ABORT);
    s->r.gbpa = v & (uint32_t)m;
    if (!smmu_smmuen(s)) smmu_cache_changed(s); /* bypass translations changed */
}

static void write_irq_ctrl(smmu_t *s, uint32_t v) {
    uint64_t m =
        SMMU_FMASK64(SMMU_F_IRQ_CTRL_GERROR_IRQEN) | SMMU_FMASK64(SMMU_F_IRQ_CTRL_EVENTQ_IRQEN);
    if (HAS(s, SMMU_F_IDR0_PRI)) m |= SMMU_FMASK64(SMMU_F_IRQ_CTRL_PRIQ_IRQEN);
    s->r.irq_ctrl = s->r.irq_ctrlack = v & (uint32_t)m;
}

static void write_strtab_cfg(smmu_t *s, uint32_t v) {
    if (smmu_smmuen(s)) return;
    uint64_t m = SMMU_FMASK64(SMMU_F_STRTAB_BASE_CFG_LOG2SIZE);
    if (SMMU_VGET(s->r.idr[0], SMMU_F_IDR0_ST_LEVEL))
        m |= SMMU_FMASK64(SMMU_F_STRTAB_BASE_CFG_SPLIT) | SMMU_FMASK64(SMMU_F_STRTAB_BASE_CFG_FMT);
    s->r.strtab_base_cfg = v & (uint32_t)m;
}

/* ------------------------------------------------------------- 64-bit registers */

typedef enum {
    R64_NONE,
    R64_GERROR_IRQ_CFG0,
    R64_STRTAB_BASE,
    R64_CMDQ_BASE,
    R64_EVENTQ_BASE,
    R64_EVENTQ_IRQ_CFG0,
    R64_PRIQ_BASE,
    R64_PRIQ_IRQ_CFG0,
} reg64_t;

/* Which 64-bit register (if any, and present) starts at an 8-aligned page-0 offset. */
static reg64_t reg64_at(const smmu_t *s, uint64_t off) {
    bool msi = HAS(s, SMMU_F_IDR0_MSI), pri = HAS(s, SMMU_F_IDR0_PRI);
    switch (off) {
    case SMMU_GERROR_IRQ_CFG0:
        return msi ? R64_GERROR_IRQ_CFG0 : R64_NONE;
    case SMMU_STRTAB_BASE:
        return R64_STRTAB_BASE;
    case SMMU_CMDQ_BASE:
        return R64_CMDQ_BASE;
    case SMMU_EVENTQ_BASE:
        return R64_EVENTQ_BASE;
    case SMMU_EVENTQ_IRQ_CFG0:
        return msi ? R64_EVENTQ_IRQ_CFG0 : R64_NONE;
    case SMMU_PRIQ_BASE:
        return pri ? R64_PRIQ_BASE : R64_NONE;
    case SMMU_PRIQ_IRQ_CFG0:
        return msi && pri ? R64_PRIQ_IRQ_CFG0 : R64_NONE;
    default:
        return R64_NONE;
    }
}

static uint64_t read64(const smmu_t *s, reg64_t r) {
    switch (r) {
    case R64_GERROR_IRQ_CFG0:
        return s->r.gerror_irq_cfg0;
    case R64_STRTAB_BASE:
        return s->r.strtab_base;
    case R64_CMDQ_BASE:
        return s->r.cmdq.base;
    case R64_EVENTQ_BASE:
        return s->r.eventq.base;
    case R64_EVENTQ_IRQ_CFG0:
        return s->r.eventq.irq_cfg0;
    case R64_PRIQ_BASE:
        return s->r.priq.base;
    case R64_PRIQ_IRQ_CFG0:
        return s->r.priq.irq_cfg0;
    default:
        return 0;
    }
}

/* *_IRQ_CFG0 are Guarded by their IRQ enable (6.3.21). */
static void write_irq_cfg0(smmu_t *s, uint64_t *reg, uint32_t enable_bit, uint64_t v) {
    if (!irqen(s, enable_bit)) *reg = v & addr_mask(s, SMMU_FLSB(SMMU_F_IRQ_CFG0_ADDR));
}

/* *_BASE: RA/WA hint, ADDR (bits above OAS not stored) and LOG2SIZE, Guarded by the queue
   enable (6.3.26, 6.3.29, 6.3.33). */
static void write_q_base(smmu_t *s, smmu_queue_t *q, bool enabled, uint64_t v) {
    if (!enabled)
        q->base =
            v & (SMMU_FMASK64(SMMU_F_CMDQ_BASE_RA) | addr_mask(s, SMMU_FLSB(SMMU_F_Q_BASE_ADDR)) |
                 SMMU_FMASK64(SMMU_F_Q_BASE_LOG2SIZE));
}

static void write64(smmu_t *s, reg64_t r, uint64_t v) {
    switch (r) {
    case R64_GERROR_IRQ_CFG0:
        write_irq_cfg0(s, &s->r.gerror_irq_cfg0, SMMU_IRQ_CTRL_GERROR_IRQEN, v);
        break;
    case R64_STRTAB_BASE:
        if (!smmu_smmuen(s))
            s->r.strtab_base = v & (SMMU_FMASK64(SMMU_F_STRTAB_BASE_RA) |
                                    addr_mask(s, SMMU_FLSB(SMMU_F_STRTAB_BASE_ADDR)));
        break;
    case R64_CMDQ_BASE:
        write_q_base(s, &s->r.cmdq, smmu_cmdqen(s), v);
        break;
    case R64_EVENTQ_BASE:
        write_q_base(s, &s->r.eventq, smmu_eventqen(s), v);
        break;
    case R64_EVENTQ_IRQ_CFG0:
        write_irq_cfg0(s, &s->r.eventq.irq_cfg0, SMMU_IRQ_CTRL_EVENTQ_IRQEN, v);
        break;
    case R64_PRIQ_BASE:
        write_q_base(s, &s->r.priq, priqen(s), v);
        break;
    case R64_PRIQ_IRQ_CFG0:
        write_irq_cfg0(s, &s->r.priq.irq_cfg0, SMMU_IRQ_CTRL_PRIQ_IRQEN, v);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------- 32-bit registers */

static uint32_t read_page1(const smmu_t *s, uint64_t off) {
    const smmu_params_t *p = &s->p;
    bool pri = HAS(s, SMMU_F_IDR0_PRI);
    switch (off) {
    case SMMU_EVENTQ_PROD:
        return q_ptr_read(s->r.eventq.prod, &s->r.eventq, p->eventq_log2);
    case SMMU_EVENTQ_CONS:
        return s->r.eventq.cons;
    case SMMU_PRIQ_PROD:
        return pri ? q_ptr_read(s->r.priq.prod, &s->r.priq, p->priq_log2) : 0;
    case SMMU_PRIQ_CONS:
        return pri ? s->r.priq.cons : 0;
    default:
        return 0;
    }
}

/* Registers whose presence depends on MSI (and PRI): *_IRQ_CFG1/2 (6.3.22, 6.3.36). */
static uint32_t read_irq_cfg(const smmu_t *s, uint64_t off) {
    bool msi = HAS(s, SMMU_F_IDR0_MSI), pri = HAS(s, SMMU_F_IDR0_PRI);
    if (!msi) return 0;
    switch (off) {
    case SMMU_GERROR_IRQ_CFG1:
        return s->r.gerror_irq_cfg1;
    case SMMU_GERROR_IRQ_CFG2:
        return s->r.gerror_irq_cfg2;
    case SMMU_EVENTQ_IRQ_CFG1:
        return s->r.eventq.irq_cfg1;
    case SMMU_EVENTQ_IRQ_CFG2:
        return s->r.eventq.irq_cfg2;
    case SMMU_PRIQ_IRQ_CFG1:
        return pri ? s->r.priq.irq_cfg1 : 0;
    case SMMU_PRIQ_IRQ_CFG2:
        return pri ? s->r.priq.irq_cfg2 : 0;
    default:
        return 0;
    }
}

static uint32_t read32(const smmu_t *s, uint64_t off) {
    if (off >= SMMU_PAGE1) return read_page1(s, off);
    if (gatos_at(s, off)) return smmu_atos_read32(&s->gatos, (unsigned)(off - SMMU_GATOS_CTRL));
    reg64_t r = reg64_at(s, off & ~7ull);
    if (r != R64_NONE) return smmu_reg_half(read64(s, r), off);
    if (off <= SMMU_IDR5) return s->r.idr[off / 4];
    switch (off) {
    case SMMU_IIDR:
        return s->r.iidr;
    case SMMU_AIDR:
        return s->r.aidr;
    case SMMU_CR0:
        return s->r.cr0;
    case SMMU_CR0ACK:
        return s->r.cr0ack;
    case SMMU_CR1:
        return s->r.cr1;
    case SMMU_CR2:
        return s->r.cr2;
    case SMMU_GBPA:
        return s->r.gbpa;
    case SMMU_IRQ_CTRL:
        return s->r.irq_ctrl;
    case SMMU_IRQ_CTRLACK:
        return s->r.irq_ctrlack;
    case SMMU_GERROR:
        return s->r.gerror;
    case SMMU_GERRORN:
        return s->r.gerrorn;
    case SMMU_STRTAB_BASE_CFG:
        return s->r.strtab_base_cfg;
    case SMMU_CMDQ_PROD:
        return s->r.cmdq.prod;
    case SMMU_CMDQ_CONS:
        return q_ptr_read(s->r.cmdq.cons, &s->r.cmdq, s->p.cmdq_log2);
    default:
        return read_irq_cfg(s, off);
    }
}

/* EVENTQ_PROD is Guarded by EVENTQEN, EVENTQ_CONS is software's (6.3.95, 6.3.96); the same
   for the PRI queue (6.3.97, 6.3.98). */
static void write_page1(smmu_t *s, uint64_t off, uint32_t v) {
    uint32_t ptr = (uint32_t)(SMMU_FMASK64(SMMU_F_Q_IDX) | SMMU_FMASK64(SMMU_F_Q_OVFLG));
    bool pri = HAS(s, SMMU_F_IDR0_PRI);
    switch (off) {
    case SMMU_EVENTQ_PROD:
        if (!smmu_eventqen(s)) s->r.eventq.prod = v & ptr;
        break;
    case SMMU_EVENTQ_CONS:
        s->r.eventq.cons = v & ptr;
        smmu_stall_flush_events(s); /* space for pending stall records (7.2.1) */
        break;
    case SMMU_PRIQ_PROD:
        if (pri && !priqen(s)) s->r.priq.prod = v & ptr;
        break;
    case SMMU_PRIQ_CONS:
        if (pri) s->r.priq.cons = v & ptr;
        break;
    default:
        break;
    }
}

static void write_cfg12(smmu_t *s, uint32_t *reg, uint32_t enable_bit, uint32_t mask, uint32_t v) {
    if (!irqen(s, enable_bit)) *reg = v & mask;
}

static void write_irq_cfg(smmu_t *s, uint64_t off, uint32_t v) {
    bool msi = HAS(s, SMMU_F_IDR0_MSI), pri = HAS(s, SMMU_F_IDR0_PRI);
    uint32_t data = (uint32_t)SMMU_FMASK64(SMMU_F_IRQ_CFG1_DATA);
    uint32_t attr =
        (uint32_t)(SMMU_FMASK64(SMMU_F_IRQ_CFG2_SH) | SMMU_FMASK64(SMMU_F_IRQ_CFG2_MEMATTR));
    if (!msi) return;
    switch (off) {
    case SMMU_GERROR_IRQ_CFG1:
        write_cfg12(s, &s->r.gerror_irq_cfg1, SMMU_IRQ_CTRL_GERROR_IRQEN, data, v);
        break;
    case SMMU_GERROR_IRQ_CFG2:
        write_cfg12(s, &s->r.gerror_irq_cfg2, SMMU_IRQ_CTRL_GERROR_IRQEN, attr, v);
        break;
    case SMMU_EVENTQ_IRQ_CFG1:
        write_cfg12(s, &s->r.eventq.irq_cfg1, SMMU_IRQ_CTRL_EVENTQ_IRQEN, data, v);
        break;
    case SMMU_EVENTQ_IRQ_CFG2:
        write_cfg12(s, &s->r.eventq.irq_cfg2, SMMU_IRQ_CTRL_EVENTQ_IRQEN, attr, v);
        break;
    case SMMU_PRIQ_IRQ_CFG1:
        if (pri) write_cfg12(s, &s->r.priq.irq_cfg1, SMMU_IRQ_CTRL_PRIQ_IRQEN, data, v);
        break;
    case SMMU_PRIQ_IRQ_CFG2:
        if (pri)
            write_cfg12(s, &s->r.priq.irq_cfg2, SMMU_IRQ_CTRL_PRIQ_IRQEN,
                        attr | (uint32_t)SMMU_FMASK64(SMMU_F_PRIQ_IRQ_CFG2_LO), v);
        break;
    default:
        break;
    }
}

/* CMDQ_PROD is software's and always writable; CMDQ_CONS is Guarded by CMDQEN and keeps its
   ERR field (a write may leave ERR unchanged, 6.3.28). */
static void write_cmdq_ptr(smmu_t *s, uint64_t off, uint32_t v) {
    uint32_t idx = (uint32_t)SMMU_FMASK64(SMMU_F_Q_IDX);
    if (off == SMMU_CMDQ_PROD) {
        s->r.cmdq.prod = v & idx;
        smmu_cmdq_prod_written(s);
    } else if (!smmu_cmdqen(s)) {
        s->r.cmdq.cons =
            (s->r.cmdq.cons & (uint32_t)SMMU_FMASK64(SMMU_F_CMDQ_CONS_ERR)) | (v & idx);
    }
}

static void write32(smmu_t *s, uint64_t off, uint32_t v) {
    if (off >= SMMU_PAGE1) {
        write_page1(s, off, v);
        return;
    }
    if (gatos_at(s, off)) {
        smmu_atos_write32(s, &s->gatos, (unsigned)(off - SMMU_GATOS_CTRL), v, smmu_smmuen(s));
        return;
    }
    reg64_t r = reg64_at(s, off & ~7ull);
    if (r != R64_NONE) {
        write64(s, r, smmu_reg_half_put(read64(s, r), off, v));
        return;
    }
    switch (off) {
    case SMMU_CR0:
        write_cr0(s, v);
        break;
    case SMMU_CR1:
        write_cr1(s, v);
        break;
    case SMMU_CR2:
        write_cr2(s, v);
        break;
    case SMMU_GBPA:
        write_gbpa(s, v);
        break;
    case SMMU_IRQ_CTRL:
        write_irq_ctrl(s, v);
        break;
    case SMMU_GERRORN:
        write_gerrorn(s, v);
        break;
    case SMMU_STRTAB_BASE_CFG:
        write_strtab_cfg(s, v);
        break;
    case SMMU_CMDQ_PROD:
    case SMMU_CMDQ_CONS:
        write_cmdq_ptr(s, off, v);
        break;
    default:
        write_irq_cfg(s, off, v);
        break;
    }
}

/* ------------------------------------------------------------------- public API */

bool smmu_reg_access_ok(const smmu_t *s, uint64_t offset, unsigned size) {
    (void)s;
    if (size != 4 && size != 8) return false;
    if (offset & (size - 1)) return false;
    return offset < 2ull * SMMU_PAGE1;
}

static uint64_t reg_read(smmu_t *s, uint64_t offset, unsigned size) {
    if (!smmu_reg_access_ok(s, offset, size)) return 0;
    if (size == 4) return read32(s, offset);
    reg64_t r = offset < SMMU_PAGE1 ? reg64_at(s, offset) : R64_NONE;
    if (r != R64_NONE) return read64(s, r);
    return read32(s, offset) | ((uint64_t)read32(s, offset + 4) << 32);
}

static void trace_reg(smmu_t *s, unsigned kind, uint64_t offset, uint64_t value, unsigned size) {
    smmu_tp_t tp = {.kind = (uint8_t)kind,
                    .u.reg = {.offset = offset, .value = value, .size = (uint8_t)size}};
    smmu_tp_emit(s, &tp);
}

uint64_t smmu_reg_read(smmu_t *s, uint64_t offset, unsigned size) {
    SMMU_LOCKED(s);
    const uint64_t v = reg_read(s, offset, size);
    if (smmu_tp_on(s, SMMU_TP_REG_READ)) trace_reg(s, SMMU_TP_REG_READ, offset, v, size);
    return v;
}

void smmu_reg_write(smmu_t *s, uint64_t offset, uint64_t value, unsigned size) {
    SMMU_LOCKED(s);
    if (smmu_tp_on(s, SMMU_TP_REG_WRITE)) trace_reg(s, SMMU_TP_REG_WRITE, offset, value, size);
    if (!smmu_reg_access_ok(s, offset, size)) return;
    if (size == 4) {
        write32(s, offset, (uint32_t)value);
        return;
    }
    reg64_t r = offset < SMMU_PAGE1 ? reg64_at(s, offset) : R64_NONE;
    if (r != R64_NONE) {
        write64(s, r, value);
        return;
    }
    write32(s, offset, (uint32_t)value);
    write32(s, offset + 4, (uint32_t)(value >> 32));
}
