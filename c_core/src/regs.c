/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The register file, pages 0 and 1 (spec 6.2, 6.3), in two banks with params.secure_impl: the
 * Non-secure registers and the SMMU_S_* ones (6.3.52-6.3.82), decoded by the same code on the
 * bank of the access (3.10.2.1: the interfaces are intentionally similar). ID registers computed
 * from the parameters, control registers with their acknowledgement (updates complete at once, so
 * every *ACK register follows its control register immediately), queue base and pointer registers
 * with their Guard rules, and the global error registers (7.5).
 *
 * CONSTRAINED UNPREDICTABLE choices made here (spec 6.2):
 *  - accesses of a size other than 4 or 8, or misaligned, are RAZ/WI;
 *  - an 8-byte access to two 32-bit registers behaves as two 4-byte accesses (low half first);
 *  - page 1 offsets other than the queue pointers, and the page 0 alias offsets of page 1
 *    registers, are RAZ/WI;
 *  - writes to Guarded registers while their guard is set are ignored (the SMMUv3.2 rule);
 *  - the Secure bank has no PRI queue and no ATS check: its page-0 offsets of those registers
 *    are RES0; it has MSIs when the Non-secure bank has them (S_IDR0.MSI == IDR0.MSI); S_CR0.VMW is
 * RES0 (see docs/compliance.md); S_CR0.NSSTALLD is writable when both stall models are implemented
 * (6.3.57). UNKNOWN reset values are zero; SMMU_GBPA resets to bypass with SHCFG = "use incoming".
 */
#include "regfile.h"

#include <smmu/regs.h>

#include "atos.h"
#include "cache.h"
#include "choice.h"
#include "cmdq.h"
#include "dsan.h"
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

/* S_IDR0 (6.3.52): the stall model is SMMU_IDR0's (its NSSTALLD view: smmu_stall_model); Secure
   MSIs with the Non-secure ones (params.msi; 3.18 recommends none without these); no ECMDQ.
   S_IDR1 (6.3.53): SECURE_IMPL, no Secure EL2 (SEL2 == 0), Secure StreamIDs as wide as the
   Non-secure ones. S_IDR2-4 are RES0 (no Secure VATOS, 6.3.54-6.3.56). */
static void compute_sidr(smmu_t *s) {
    const smmu_params_t *p = &s->p;
    smmu_regs_t *b = &s->sr;
    memset(b->idr, 0, sizeof(b->idr));
    b->mpamidr = 0;
    if (!p->secure_impl) return;
    /* S_MPAMIDR (6.3.87): present with MPAM */
    if (p->mpam)
        b->mpamidr = (uint32_t)(SMMU_VSET(0ull, SMMU_F_MPAMIDR_PARTID_MAX, p->mpam_s_partid_max) |
                                SMMU_VSET(0ull, SMMU_F_MPAMIDR_PMG_MAX, p->mpam_s_pmg_max) |
                                SMMU_VSET(0ull, SMMU_F_MPAMIDR_HAS_MPAM_NS, p->mpam_ns));
    b->idr[0] = (uint32_t)(SMMU_VSET(0ull, SMMU_F_S_IDR0_STALL_MODEL, p->stall_model) |
                           SMMU_VSET(0ull, SMMU_F_S_IDR0_MSI, p->msi));
    b->idr[1] = (uint32_t)(SMMU_VSET(0ull, SMMU_F_S_IDR1_SECURE_IMPL, 1u) |
                           SMMU_VSET(0ull, SMMU_F_S_IDR1_S_SIDSIZE, p->sidsize));
}

void smmu_regs_compute_idr(smmu_t *s) {
    const smmu_params_t *p = &s->p;
    smmu_regs_t *b = &s->r;
    compute_sidr(s);
    b->idr[0] = idr0(p);
    b->idr[1] = idr1(p);
    b->idr[2] = 0; /* no VATOS */
    /* Hierarchical attribute disables are implemented for stage 1 (mandatory from v3.1). */
    b->idr[3] = (uint32_t)(SMMU_VSET(0ull, SMMU_F_IDR3_RIL, p->ril) |
                           SMMU_VSET(0ull, SMMU_F_IDR3_HAD, p->s1) |
                           SMMU_VSET(0ull, SMMU_F_IDR3_BBML, p->bbml) |
                           SMMU_VSET(0ull, SMMU_F_IDR3_FWB, p->fwb) |
                           SMMU_VSET(0ull, SMMU_F_IDR3_E0PD, p->e0pd) |
                           SMMU_VSET(0ull, SMMU_F_IDR3_XNX, p->xnx) |
                           SMMU_VSET(0ull, SMMU_F_IDR3_PTWNNC, p->ptwnnc) |
                           SMMU_VSET(0ull, SMMU_F_IDR3_MPAM, p->mpam));
    b->mpamidr = p->mpam
                     ? (uint32_t)(SMMU_VSET(0ull, SMMU_F_MPAMIDR_PARTID_MAX, p->mpam_partid_max) |
                                  SMMU_VSET(0ull, SMMU_F_MPAMIDR_PMG_MAX, p->mpam_pmg_max))
                     : 0;
    b->idr[4] = 0;
    b->idr[5] = idr5(p);
    b->iidr = p->iidr;
    b->aidr = (uint32_t)SMMU_VSET(0ull, SMMU_F_AIDR_ARCHMINORREV, p->arch_minor);
}

/* Only with both models may Secure software take stalls away from the Non-secure side; otherwise
   NSSTALLD is RES0 and both interfaces report the physical model (3.12, 6.3.57). */
unsigned smmu_stall_model(const smmu_t *s, bool secure) {
    const unsigned m = s->p.stall_model;
    if (secure || m != SMMU_STALL_MODEL_BOTH || !SMMU_VGET(s->sr.cr0, SMMU_F_S_CR0_NSSTALLD))
        return m;
    return SMMU_STALL_MODEL_TERMINATE;
}

uint32_t smmu_idr(const smmu_t *s, unsigned n) {
    if (n == 0)
        return (uint32_t)SMMU_VSET(s->r.idr[0], SMMU_F_IDR0_STALL_MODEL,
                                   smmu_stall_model(s, false));
    return n < 6 ? s->r.idr[n] : 0;
}

/* A feature of the bank's IDR0: S_IDR0 has MSI where IDR0 has it, and none of PRI, ATS, HYP,
   BTM, ST_LEVEL (RES0), so that the Secure bank's fields of those features are RES0. */
static bool has(const smmu_regs_t *b, unsigned lsb, unsigned width) {
    return smmu_val_get(b->idr[0], lsb, width) != 0;
}
#define HAS(b, F) has(b, F)

smmu_regs_t *smmu_bank(smmu_t *s, bool secure) {
    return secure ? &s->sr : &s->r;
}

const smmu_regs_t *smmu_bank_c(const smmu_t *s, bool secure) {
    return secure ? &s->sr : &s->r;
}

static bool is_secure(const smmu_t *s, const smmu_regs_t *b) {
    return b == &s->sr;
}

/* The SMMU_GATOS_* group (6.3.37-6.3.40) and, in the Secure bank at the same bank offset, the
   SMMU_S_GATOS_* group (6.3.83-6.3.86), present when IDR0.ATOS (S_IDR0 has no ATOS field):
   atos.c. */
static bool gatos_at(const smmu_t *s, uint64_t off) {
    return off - SMMU_GATOS_CTRL < SMMU_ATOS_GROUP_BYTES &&
           SMMU_VGET(s->r.idr[0], SMMU_F_IDR0_ATOS);
}

static smmu_atos_t *gatos_of(smmu_t *s, const smmu_regs_t *b) {
    return is_secure(s, b) ? &s->s_gatos : &s->gatos;
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

static void bank_reset(smmu_regs_t *b) {
    smmu_regs_t keep = *b;
    *b = (smmu_regs_t){0};
    memcpy(b->idr, keep.idr, sizeof(b->idr));
    b->iidr = keep.iidr;
    b->aidr = keep.aidr;
    b->mpamidr = keep.mpamidr; /* (S_)GMPAM, (S_)GBPMPAM reset to 0 (6.3.42, 6.3.43) */
    /* bypass, attributes as incoming (S_GBPA alike, 6.3.63: NSCFG 0b00 uses the incoming NS) */
    b->gbpa = (uint32_t)SMMU_VSET(0ull, SMMU_F_GBPA_SHCFG, SMMU_STE_SHCFG_INCOMING);
}

void smmu_regs_reset(smmu_t *s) {
    bank_reset(&s->r);
    bank_reset(&s->sr);
    s->gatos = s->s_gatos = (smmu_atos_t){0};
    s->cmdq_busy = s->s_cmdq_busy = false;
}

static bool b_smmuen(const smmu_regs_t *b) {
    return SMMU_VGET(b->cr0ack, SMMU_F_CR0_SMMUEN);
}

static bool b_eventqen(const smmu_regs_t *b) {
    return SMMU_VGET(b->cr0ack, SMMU_F_CR0_EVENTQEN);
}

static bool b_cmdqen(const smmu_regs_t *b) {
    return SMMU_VGET(b->cr0ack, SMMU_F_CR0_CMDQEN);
}

bool smmu_w_smmuen(const smmu_t *s, bool secure) {
    return b_smmuen(smmu_bank_c(s, secure));
}

bool smmu_w_eventqen(const smmu_t *s, bool secure) {
    return b_eventqen(smmu_bank_c(s, secure));
}

bool smmu_w_cmdqen(const smmu_t *s, bool secure) {
    return b_cmdqen(smmu_bank_c(s, secure));
}

bool smmu_smmuen(const smmu_t *s) {
    return b_smmuen(&s->r);
}

bool smmu_eventqen(const smmu_t *s) {
    return b_eventqen(&s->r);
}

bool smmu_cmdqen(const smmu_t *s) {
    return b_cmdqen(&s->r);
}

static bool priqen(const smmu_regs_t *b) {
    return SMMU_VGET(b->cr0ack, SMMU_F_CR0_PRIQEN);
}

static bool irqen(const smmu_regs_t *b, uint32_t bit) {
    return (b->irq_ctrl | b->irq_ctrlack) & bit;
}

/* ------------------------------------------------------------------------- queues */

/* PROD/CONS read back: index and wrap of the configured size; the bits above are RAZ for the
   pointer the SMMU maintains (6.3.28, 6.3.95). */
static uint32_t q_ptr_read(uint32_t v, const smmu_queue_t *q, unsigned max_log2) {
    uint32_t keep = (uint32_t)smmu_bits_mask(smmu_q_log2(q, max_log2) + 1);
    return (v & ~(uint32_t)SMMU_FMASK64(SMMU_F_Q_IDX)) | (v & keep);
}

/* ------------------------------------------------------------------ global errors */

static uint32_t gerror_impl(const smmu_regs_t *b) {
    uint32_t m = SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVTQ_ABT_ERR | SMMU_GERROR_SFM_ERR;
    bool msi = HAS(b, SMMU_F_IDR0_MSI), pri = HAS(b, SMMU_F_IDR0_PRI);
    if (pri) m |= SMMU_GERROR_PRIQ_ABT_ERR;
    if (msi)
        m |= SMMU_GERROR_MSI_CMDQ_ABT_ERR | SMMU_GERROR_MSI_EVTQ_ABT_ERR |
             SMMU_GERROR_MSI_GERROR_ABT_ERR;
    if (msi && pri) m |= SMMU_GERROR_MSI_PRIQ_ABT_ERR;
    return m;
}

/* An error is activated by toggling its GERROR bit, only when it is not already active; the
   GERROR interrupt is triggered for every activation except MSI_GERROR_ABT_ERR (7.5, 7.5.1). */
void smmu_gerror_raise_w(smmu_t *s, bool secure, uint32_t bits) {
    smmu_regs_t *b = smmu_bank(s, secure);
    uint32_t active = b->gerror ^ b->gerrorn;
    bits &= gerror_impl(b) & ~active;
    if (!bits) return;
    b->gerror ^= bits;
    if (smmu_tp_on(s, SMMU_TP_GERROR)) {
        smmu_tp_t tp = {
            .kind = SMMU_TP_GERROR,
            .u.gerror = {.active = bits,
                         .cerror = (uint32_t)SMMU_VGET(b->cmdq.cons, SMMU_F_CMDQ_CONS_ERR)}};
        smmu_tp_emit(s, &tp);
    }
    if (bits & ~(uint32_t)SMMU_GERROR_MSI_GERROR_ABT_ERR)
        smmu_irq_notify(s, secure ? SMMU_IRQ_S_GERROR : SMMU_IRQ_GERROR);
}

void smmu_gerror_raise(smmu_t *s, uint32_t bits) {
    smmu_gerror_raise_w(s, false, bits);
}

/* Command consumption of the bank's queue restarts (CMDQ_PROD written, CMDQEN set, CMDQ_ERR
   acknowledged). */
static void cmdq_kick(smmu_t *s, const smmu_regs_t *b) {
    smmu_cmdq_prod_written_w(s, is_secure(s, b));
}

/* GERRORN: software acknowledges by making the bits equal (6.3.20); acknowledging CMDQ_ERR
   restarts command consumption (7.1). */
static void write_gerrorn(smmu_t *s, smmu_regs_t *b, uint32_t v) {
    uint32_t was_active = b->gerror ^ b->gerrorn;
    v &= gerror_impl(b);
    /* Toggles of inactive errors: whether they activate the error is CONSTRAINED UNPREDICTABLE
       (6.3.20, 6.3.68; choice gerrorn_inactive): kept (the error reads as active, without an
       interrupt) or ignored. */
    const uint32_t spurious = (v ^ b->gerrorn) & ~was_active;
    if (spurious && smmu_choice(s, SMMU_CHOICE_GERRORN_INACTIVE) == SMMU_GERRORN_INACTIVE_IGNORE)
        v ^= spurious;
    b->gerrorn = v;
    uint32_t acked = was_active & ~(b->gerror ^ b->gerrorn);
    if (acked & SMMU_GERROR_CMDQ_ERR) cmdq_kick(s, b);
    if (acked & SMMU_GERROR_EVTQ_ABT_ERR)
        smmu_stall_flush_events(s, is_secure(s, b)); /* writable again */
}

/* ---------------------------------------------------------------- control registers */

static uint32_t cr0_mask(const smmu_t *s, const smmu_regs_t *b) {
    uint64_t m = SMMU_FMASK64(SMMU_F_CR0_SMMUEN) | SMMU_FMASK64(SMMU_F_CR0_EVENTQEN) |
                 SMMU_FMASK64(SMMU_F_CR0_CMDQEN);
    if (HAS(b, SMMU_F_IDR0_PRI)) m |= SMMU_FMASK64(SMMU_F_CR0_PRIQEN);
    if (HAS(b, SMMU_F_IDR0_ATS)) m |= SMMU_FMASK64(SMMU_F_CR0_ATSCHK);
    if (is_secure(s, b)) m |= SMMU_FMASK64(SMMU_F_S_CR0_SIF); /* 6.3.57 */
    /* NSSTALLD is RES0 unless both stall models are implemented (6.3.57) */
    if (is_secure(s, b) && s->p.stall_model == SMMU_STALL_MODEL_BOTH)
        m |= SMMU_FMASK64(SMMU_F_S_CR0_NSSTALLD);
    return (uint32_t)m;
}

/* A write the register's enable guards (ignored): the sanitizer's REG_GUARDED (6.3.x). */
static void guarded(smmu_t *s, const smmu_regs_t *b, uint64_t off, uint64_t v, const char *sec,
                    const char *reg) {
    const bool secure = is_secure(s, b);
    if (smmu_dsan_on(s))
        smmu_dsan_reg_guarded(s, secure, off + (secure ? SMMU_S_BANK : 0), v, sec, reg);
}

/* CR0: every field Updates at once, so CR0ACK follows the write (6.3.9, 6.3.10). */
/* The Secure bank's S_CR0 Updates the same way, with the same side effects on its own world's
   stalls (6.3.57); its NSSTALLD has no Update side effect (6.3.57.1) and is reflected in
   S_CR0ACK: it is read where used (smmu_stall_model), cached configuration may keep the old
   value (6.3.57.1). */
static void write_cr0(smmu_t *s, smmu_regs_t *b, uint32_t v) {
    uint32_t old = b->cr0ack;
    bool ns = !is_secure(s, b);
    b->cr0 = b->cr0ack = v & cr0_mask(s, b);
    /* Transactions stalled under SMMUEN == 1 are terminated when it is cleared (6.3.9.6). */
    if (SMMU_VGET(old, SMMU_F_CR0_SMMUEN) && !b_smmuen(b)) smmu_stall_terminate_all(s, !ns);
    if (!SMMU_VGET(old, SMMU_F_CR0_CMDQEN) && b_cmdqen(b)) cmdq_kick(s, b);
    if (!SMMU_VGET(old, SMMU_F_CR0_EVENTQEN) && b_eventqen(b)) smmu_stall_flush_events(s, !ns);
    if ((old ^ b->cr0ack) &
        (SMMU_FMASK32(SMMU_F_CR0_SMMUEN) | (ns ? 0u : SMMU_FMASK32(SMMU_F_S_CR0_SIF))))
        smmu_cache_changed_sec(s, !ns);
    if (smmu_dsan_on(s)) smmu_dsan_cr0(s, !ns, old, b->cr0ack);
}

/* CR1: TABLE_* are Guarded by SMMUEN, QUEUE_* by all queue enables (6.3.11). */
static void write_cr1(smmu_t *s, smmu_regs_t *b, uint32_t v) {
    uint32_t table =
        (uint32_t)(SMMU_FMASK64(SMMU_F_CR1_TABLE_IC) | SMMU_FMASK64(SMMU_F_CR1_TABLE_OC) |
                   SMMU_FMASK64(SMMU_F_CR1_TABLE_SH));
    uint32_t queue =
        (uint32_t)(SMMU_FMASK64(SMMU_F_CR1_QUEUE_IC) | SMMU_FMASK64(SMMU_F_CR1_QUEUE_OC) |
                   SMMU_FMASK64(SMMU_F_CR1_QUEUE_SH));
    uint32_t m = 0;
    if (!b_smmuen(b)) m |= table;
    if (!b_cmdqen(b) && !b_eventqen(b) && !priqen(b)) m |= queue;
    if ((b->cr1 ^ v) & (table | queue) & ~m) guarded(s, b, SMMU_CR1, v, "6.3.11", "CR1");
    b->cr1 = (b->cr1 & ~m) | (v & m);
}

/* CR2 is read-only while SMMUEN == 1 (6.3.12); E2H needs Hyp, PTM needs BTM. S_CR2 (6.3.60)
   alike: PTM with SMMU_IDR0.BTM, E2H needs S_IDR1.SEL2 (0 here). */
static void write_cr2(smmu_t *s, smmu_regs_t *b, uint32_t v) {
    if (b_smmuen(b)) {
        if (v != b->cr2) guarded(s, b, SMMU_CR2, v, "6.3.12", "CR2");
        return;
    }
    uint64_t m = SMMU_FMASK64(SMMU_F_CR2_RECINVSID);
    if (HAS(b, SMMU_F_IDR0_HYP)) m |= SMMU_FMASK64(SMMU_F_CR2_E2H);
    if (HAS(&s->r, SMMU_F_IDR0_BTM)) m |= SMMU_FMASK64(SMMU_F_CR2_PTM);
    b->cr2 = v & (uint32_t)m;
}

/* GBPA: only a write with Update == 1 takes effect; the update completes at once, so Update
   reads as 0 again (6.3.14.1). */
/* S_GBPA (6.3.63) also has NSCFG, which needs ATTR_PERMS_OVR (else fixed as "use incoming",
   read as zero here). */
static void write_gbpa(smmu_t *s, smmu_regs_t *b, uint32_t v) {
    if (!SMMU_VGET(v, SMMU_F_GBPA_UPDATE)) return;
    uint64_t m = SMMU_FMASK64(SMMU_F_GBPA_MEMATTR) | SMMU_FMASK64(SMMU_F_GBPA_MTCFG) |
                 SMMU_FMASK64(SMMU_F_GBPA_ALLOCCFG) | SMMU_FMASK64(SMMU_F_GBPA_SHCFG) |
                 SMMU_FMASK64(SMMU_F_GBPA_PRIVCFG) | SMMU_FMASK64(SMMU_F_GBPA_INSTCFG) |
                 SMMU_FMASK64(SMMU_F_GBPA_ABORT);
    if (is_secure(s, b) && s->p.attr_perms_ovr) m |= SMMU_FMASK64(SMMU_F_GBPA_NSCFG);
    b->gbpa = v & (uint32_t)m;
    if (!b_smmuen(b)) smmu_cache_changed_sec(s, is_secure(s, b)); /* bypass translations changed */
}

/* Bits [n-1:0] where n is the bit width of max (6.3.41: position of its most significant 1,
   plus one); the bits above are RES0 in GMPAM and GBPMPAM (6.3.42, 6.3.43). */
static uint32_t width_mask(unsigned max) {
    uint32_t m = 0;
    while (m < max)
        m = m << 1 | 1;
    return m;
}

/* (S_)GMPAM / (S_)GBPMPAM (6.3.42, 6.3.43, 6.3.88, 6.3.89): the Update protocol of GBPA (a
   write without Update == 1 is IGNORED; the update completes at once, so Update reads 0), the
   PARTID and PMG fields (bits [15:0] and [23:16] of all four) kept to the widths of the PARTID
   space's MPAMIDR: SMMU_S_MPAMIDR's for the Secure registers unless HAS_MPAM_NS and the
   written MPAM_NS choose the Non-secure space (MPAM_NS RES0 otherwise). RES0 (all writes
   ignored) without MPAM. */
static void write_mpam(smmu_t *s, smmu_regs_t *b, uint32_t *reg, uint32_t v) {
    if (!s->p.mpam || !SMMU_VGET(v, SMMU_F_GMPAM_UPDATE)) return;
    const bool sec = is_secure(s, b),
               to_ns = sec && s->p.mpam_ns && SMMU_VGET(v, SMMU_F_GMPAM_MPAM_NS);
    const bool ns_max = !sec || to_ns;
    const uint64_t partid = SMMU_VGET(v, SMMU_F_GMPAM_SO_PARTID) &
                            width_mask(ns_max ? s->p.mpam_partid_max : s->p.mpam_s_partid_max);
    const uint64_t pmg = SMMU_VGET(v, SMMU_F_GMPAM_SO_PMG) &
                         width_mask(ns_max ? s->p.mpam_pmg_max : s->p.mpam_s_pmg_max);
    *reg = (uint32_t)(SMMU_VSET(0ull, SMMU_F_GMPAM_SO_PARTID, partid) |
                      SMMU_VSET(0ull, SMMU_F_GMPAM_SO_PMG, pmg) |
                      SMMU_VSET(0ull, SMMU_F_GMPAM_MPAM_NS, to_ns));
    /* bypass translations carry GBPMPAM's label: those handed out change */
    if (reg == &b->mpam.gbpmpam && !b_smmuen(b)) smmu_cache_changed_sec(s, is_secure(s, b));
}

static void write_irq_ctrl(smmu_regs_t *b, uint32_t v) {
    uint64_t m =
        SMMU_FMASK64(SMMU_F_IRQ_CTRL_GERROR_IRQEN) | SMMU_FMASK64(SMMU_F_IRQ_CTRL_EVENTQ_IRQEN);
    if (HAS(b, SMMU_F_IDR0_PRI)) m |= SMMU_FMASK64(SMMU_F_IRQ_CTRL_PRIQ_IRQEN);
    b->irq_ctrl = b->irq_ctrlack = v & (uint32_t)m;
}

/* The Secure Stream table's format options are SMMU_IDR0.ST_LEVEL's (6.3.73). */
static void write_strtab_cfg(smmu_t *s, smmu_regs_t *b, uint32_t v) {
    if (b_smmuen(b)) {
        guarded(s, b, SMMU_STRTAB_BASE_CFG, v, "6.3.25", "STRTAB_BASE_CFG");
        return;
    }
    uint64_t m = SMMU_FMASK64(SMMU_F_STRTAB_BASE_CFG_LOG2SIZE);
    if (SMMU_VGET(s->r.idr[0], SMMU_F_IDR0_ST_LEVEL))
        m |= SMMU_FMASK64(SMMU_F_STRTAB_BASE_CFG_SPLIT) | SMMU_FMASK64(SMMU_F_STRTAB_BASE_CFG_FMT);
    b->strtab_base_cfg = v & (uint32_t)m;
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

/* Which 64-bit register (if any, and present) starts at an 8-aligned offset of the bank. */
static reg64_t reg64_at(const smmu_regs_t *b, uint64_t off) {
    bool msi = HAS(b, SMMU_F_IDR0_MSI), pri = HAS(b, SMMU_F_IDR0_PRI);
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

static uint64_t read64(const smmu_regs_t *b, reg64_t r) {
    switch (r) {
    case R64_GERROR_IRQ_CFG0:
        return b->gerror_irq_cfg0;
    case R64_STRTAB_BASE:
        return b->strtab_base;
    case R64_CMDQ_BASE:
        return b->cmdq.base;
    case R64_EVENTQ_BASE:
        return b->eventq.base;
    case R64_EVENTQ_IRQ_CFG0:
        return b->eventq.irq_cfg0;
    case R64_PRIQ_BASE:
        return b->priq.base;
    case R64_PRIQ_IRQ_CFG0:
        return b->priq.irq_cfg0;
    default:
        return 0;
    }
}

/* The offset of an *_IRQ_CFG0 register of b (for the sanitizer's report). */
static uint64_t irq_cfg_off(const smmu_regs_t *b, const uint64_t *reg) {
    return reg == &b->gerror_irq_cfg0   ? SMMU_GERROR_IRQ_CFG0
           : reg == &b->eventq.irq_cfg0 ? SMMU_EVENTQ_IRQ_CFG0
                                        : SMMU_PRIQ_IRQ_CFG0;
}

/* *_IRQ_CFG0 are Guarded by their IRQ enable (6.3.21). */
static void write_irq_cfg0(smmu_t *s, smmu_regs_t *b, uint64_t *reg, uint32_t enable_bit,
                           uint64_t v) {
    const uint64_t m = addr_mask(s, SMMU_FLSB(SMMU_F_IRQ_CFG0_ADDR));
    if (!irqen(b, enable_bit))
        *reg = v & m;
    else if ((v ^ *reg) & m)
        guarded(s, b, irq_cfg_off(b, reg), v, "6.3.21, 6.3.30, 6.3.34", "*_IRQ_CFG0");
}

/* *_BASE: RA/WA hint, ADDR (bits above OAS not stored) and LOG2SIZE, Guarded by the queue
   enable (6.3.26, 6.3.29, 6.3.33). */
static void write_q_base(smmu_t *s, smmu_regs_t *b, smmu_queue_t *q, bool enabled, uint64_t v) {
    static const struct {
        uint64_t off;
        const char *sec, *name;
    } reg[3] = {{SMMU_CMDQ_BASE, "6.3.26", "CMDQ_BASE"},
                {SMMU_EVENTQ_BASE, "6.3.29", "EVENTQ_BASE"},
                {SMMU_PRIQ_BASE, "6.3.33", "PRIQ_BASE"}};
    const unsigned i = q == &b->cmdq ? 0 : q == &b->eventq ? 1 : 2;
    if (enabled) guarded(s, b, reg[i].off, v, reg[i].sec, reg[i].name);
    if (!enabled)
        q->base =
            v & (SMMU_FMASK64(SMMU_F_CMDQ_BASE_RA) | addr_mask(s, SMMU_FLSB(SMMU_F_Q_BASE_ADDR)) |
                 SMMU_FMASK64(SMMU_F_Q_BASE_LOG2SIZE));
}

static void write64(smmu_t *s, smmu_regs_t *b, reg64_t r, uint64_t v) {
    switch (r) {
    case R64_GERROR_IRQ_CFG0:
        write_irq_cfg0(s, b, &b->gerror_irq_cfg0, SMMU_IRQ_CTRL_GERROR_IRQEN, v);
        break;
    case R64_STRTAB_BASE:
        if (b_smmuen(b)) guarded(s, b, SMMU_STRTAB_BASE, v, "6.3.24", "STRTAB_BASE");
        if (!b_smmuen(b))
            b->strtab_base = v & (SMMU_FMASK64(SMMU_F_STRTAB_BASE_RA) |
                                  addr_mask(s, SMMU_FLSB(SMMU_F_STRTAB_BASE_ADDR)));
        break;
    case R64_CMDQ_BASE:
        write_q_base(s, b, &b->cmdq, b_cmdqen(b), v);
        break;
    case R64_EVENTQ_BASE:
        write_q_base(s, b, &b->eventq, b_eventqen(b), v);
        break;
    case R64_EVENTQ_IRQ_CFG0:
        write_irq_cfg0(s, b, &b->eventq.irq_cfg0, SMMU_IRQ_CTRL_EVENTQ_IRQEN, v);
        break;
    case R64_PRIQ_BASE:
        write_q_base(s, b, &b->priq, priqen(b), v);
        break;
    case R64_PRIQ_IRQ_CFG0:
        write_irq_cfg0(s, b, &b->priq.irq_cfg0, SMMU_IRQ_CTRL_PRIQ_IRQEN, v);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------- 32-bit registers */

static uint32_t read_page1(const smmu_t *s, uint64_t off) {
    const smmu_params_t *p = &s->p;
    const smmu_regs_t *b = &s->r;
    bool pri = HAS(b, SMMU_F_IDR0_PRI);
    switch (off) {
    case SMMU_EVENTQ_PROD:
        return q_ptr_read(b->eventq.prod, &b->eventq, p->eventq_log2);
    case SMMU_EVENTQ_CONS:
        return b->eventq.cons;
    case SMMU_PRIQ_PROD:
        return pri ? q_ptr_read(b->priq.prod, &b->priq, p->priq_log2) : 0;
    case SMMU_PRIQ_CONS:
        return pri ? b->priq.cons : 0;
    default:
        return 0;
    }
}

/* Registers whose presence depends on MSI (and PRI): *_IRQ_CFG1/2 (6.3.22, 6.3.36). */
static uint32_t read_irq_cfg(const smmu_regs_t *b, uint64_t off) {
    bool msi = HAS(b, SMMU_F_IDR0_MSI), pri = HAS(b, SMMU_F_IDR0_PRI);
    if (!msi) return 0;
    switch (off) {
    case SMMU_GERROR_IRQ_CFG1:
        return b->gerror_irq_cfg1;
    case SMMU_GERROR_IRQ_CFG2:
        return b->gerror_irq_cfg2;
    case SMMU_EVENTQ_IRQ_CFG1:
        return b->eventq.irq_cfg1;
    case SMMU_EVENTQ_IRQ_CFG2:
        return b->eventq.irq_cfg2;
    case SMMU_PRIQ_IRQ_CFG1:
        return pri ? b->priq.irq_cfg1 : 0;
    case SMMU_PRIQ_IRQ_CFG2:
        return pri ? b->priq.irq_cfg2 : 0;
    default:
        return 0;
    }
}

/* The Secure bank's registers without a Non-secure twin at the same bank offset: the Secure
   Event queue pointers in page 0 (6.3.78, 6.3.79; the Non-secure bank's offsets are RAZ/WI
   aliases) and S_INIT (6.3.62: INV_ALL completes at once, so it reads 0). ID registers beyond
   S_IDR4, IIDR and AIDR are not in the Secure bank (RES0). true: off was one of them. */
static bool read_secure_only(const smmu_t *s, const smmu_regs_t *b, uint64_t off, uint32_t *v) {
    *v = 0;
    switch (off) {
    case SMMU_S_EVENTQ_PROD - SMMU_S_BANK:
        *v = q_ptr_read(b->eventq.prod, &b->eventq, s->p.eventq_log2);
        return true;
    case SMMU_S_EVENTQ_CONS - SMMU_S_BANK:
        *v = b->eventq.cons;
        return true;
    case SMMU_S_INIT - SMMU_S_BANK:
    case SMMU_IIDR:
    case SMMU_AIDR:
        return true;
    default:
        return false;
    }
}

static uint32_t read32(const smmu_t *s, const smmu_regs_t *b, uint64_t off) {
    uint32_t v;
    if (off >= SMMU_PAGE1) return read_page1(s, off);
    if (is_secure(s, b) && read_secure_only(s, b, off, &v)) return v;
    if (gatos_at(s, off))
        return smmu_atos_read32(is_secure(s, b) ? &s->s_gatos : &s->gatos,
                                (unsigned)(off - SMMU_GATOS_CTRL));
    reg64_t r = reg64_at(b, off & ~7ull);
    if (r != R64_NONE) return smmu_reg_half(read64(b, r), off);
    if (off <= SMMU_IDR5) return is_secure(s, b) ? b->idr[off / 4] : smmu_idr(s, (unsigned)off / 4);
    switch (off) {
    case SMMU_IIDR:
        return b->iidr;
    case SMMU_AIDR:
        return b->aidr;
    case SMMU_CR0:
        return b->cr0;
    case SMMU_CR0ACK:
        return b->cr0ack;
    case SMMU_CR1:
        return b->cr1;
    case SMMU_CR2:
        return b->cr2;
    case SMMU_GBPA:
        return b->gbpa;
    case SMMU_MPAMIDR:
        return b->mpamidr;
    case SMMU_GMPAM:
        return b->mpam.gmpam;
    case SMMU_GBPMPAM:
        return b->mpam.gbpmpam;
    case SMMU_IRQ_CTRL:
        return b->irq_ctrl;
    case SMMU_IRQ_CTRLACK:
        return b->irq_ctrlack;
    case SMMU_GERROR:
        return b->gerror;
    case SMMU_GERRORN:
        return b->gerrorn;
    case SMMU_STRTAB_BASE_CFG:
        return b->strtab_base_cfg;
    case SMMU_CMDQ_PROD:
        return b->cmdq.prod;
    case SMMU_CMDQ_CONS:
        return q_ptr_read(b->cmdq.cons, &b->cmdq, s->p.cmdq_log2);
    default:
        return read_irq_cfg(b, off);
    }
}

/* EVENTQ_PROD is Guarded by EVENTQEN, EVENTQ_CONS is software's (6.3.95, 6.3.96; S_EVENTQ_PROD
   and S_EVENTQ_CONS alike, 6.3.78, 6.3.79). */
static void write_evq_ptr(smmu_t *s, smmu_regs_t *b, bool prod, uint32_t v) {
    uint32_t ptr = (uint32_t)(SMMU_FMASK64(SMMU_F_Q_IDX) | SMMU_FMASK64(SMMU_F_Q_OVFLG));
    if (prod) {
        if (!b_eventqen(b)) b->eventq.prod = v & ptr;
        return;
    }
    b->eventq.cons = v & ptr;
    smmu_stall_flush_events(s, is_secure(s, b)); /* space for pending stall records (7.2.1) */
}

/* The same for the PRI queue (6.3.97, 6.3.98). */
static void write_page1(smmu_t *s, uint64_t off, uint32_t v) {
    uint32_t ptr = (uint32_t)(SMMU_FMASK64(SMMU_F_Q_IDX) | SMMU_FMASK64(SMMU_F_Q_OVFLG));
    smmu_regs_t *b = &s->r;
    bool pri = HAS(b, SMMU_F_IDR0_PRI);
    switch (off) {
    case SMMU_EVENTQ_PROD:
    case SMMU_EVENTQ_CONS:
        write_evq_ptr(s, b, off == SMMU_EVENTQ_PROD, v);
        break;
    case SMMU_PRIQ_PROD:
        if (pri && !priqen(b)) b->priq.prod = v & ptr;
        break;
    case SMMU_PRIQ_CONS:
        if (pri) b->priq.cons = v & ptr;
        break;
    default:
        break;
    }
}

static void write_cfg12(smmu_t *s, smmu_regs_t *b, uint64_t off, uint32_t *reg, uint32_t enable_bit,
                        uint32_t mask, uint32_t v) {
    if (!irqen(b, enable_bit))
        *reg = v & mask;
    else if ((v ^ *reg) & mask)
        guarded(s, b, off, v, "6.3.22-23, 6.3.31-32, 6.3.35-36", "*_IRQ_CFG1/2");
}

static void write_irq_cfg(smmu_t *s, smmu_regs_t *b, uint64_t off, uint32_t v) {
    bool msi = HAS(b, SMMU_F_IDR0_MSI), pri = HAS(b, SMMU_F_IDR0_PRI);
    uint32_t data = (uint32_t)SMMU_FMASK64(SMMU_F_IRQ_CFG1_DATA);
    uint32_t attr =
        (uint32_t)(SMMU_FMASK64(SMMU_F_IRQ_CFG2_SH) | SMMU_FMASK64(SMMU_F_IRQ_CFG2_MEMATTR));
    if (!msi) return;
    switch (off) {
    case SMMU_GERROR_IRQ_CFG1:
        write_cfg12(s, b, off, &b->gerror_irq_cfg1, SMMU_IRQ_CTRL_GERROR_IRQEN, data, v);
        break;
    case SMMU_GERROR_IRQ_CFG2:
        write_cfg12(s, b, off, &b->gerror_irq_cfg2, SMMU_IRQ_CTRL_GERROR_IRQEN, attr, v);
        break;
    case SMMU_EVENTQ_IRQ_CFG1:
        write_cfg12(s, b, off, &b->eventq.irq_cfg1, SMMU_IRQ_CTRL_EVENTQ_IRQEN, data, v);
        break;
    case SMMU_EVENTQ_IRQ_CFG2:
        write_cfg12(s, b, off, &b->eventq.irq_cfg2, SMMU_IRQ_CTRL_EVENTQ_IRQEN, attr, v);
        break;
    case SMMU_PRIQ_IRQ_CFG1:
        if (pri) write_cfg12(s, b, off, &b->priq.irq_cfg1, SMMU_IRQ_CTRL_PRIQ_IRQEN, data, v);
        break;
    case SMMU_PRIQ_IRQ_CFG2:
        if (pri)
            write_cfg12(s, b, off, &b->priq.irq_cfg2, SMMU_IRQ_CTRL_PRIQ_IRQEN,
                        attr | (uint32_t)SMMU_FMASK64(SMMU_F_PRIQ_IRQ_CFG2_LO), v);
        break;
    default:
        break;
    }
}

/* CMDQ_PROD is software's and always writable; CMDQ_CONS is Guarded by CMDQEN and keeps its
   ERR field (a write may leave ERR unchanged, 6.3.28; S_CMDQ_* alike, 6.3.75, 6.3.76). */
static void write_cmdq_ptr(smmu_t *s, smmu_regs_t *b, uint64_t off, uint32_t v) {
    uint32_t idx = (uint32_t)SMMU_FMASK64(SMMU_F_Q_IDX);
    if (off == SMMU_CMDQ_PROD) {
        b->cmdq.prod = v & idx;
        cmdq_kick(s, b);
    } else if (!b_cmdqen(b)) {
        b->cmdq.cons = (b->cmdq.cons & (uint32_t)SMMU_FMASK64(SMMU_F_CMDQ_CONS_ERR)) | (v & idx);
    } else if ((v ^ b->cmdq.cons) & idx) {
        guarded(s, b, SMMU_CMDQ_CONS, v, "6.3.28", "CMDQ_CONS");
    }
}

/* S_INIT.INV_ALL (6.3.62): every configuration and translation cache of both Security states;
   it completes at once (reads 0). A write while an SMMUEN is 1 is CONSTRAINED UNPREDICTABLE:
   ignored here. */
static void write_s_init(smmu_t *s, uint32_t v) {
    if (!SMMU_VGET(v, SMMU_F_S_INIT_INV_ALL) || b_smmuen(&s->r) || b_smmuen(&s->sr)) return;
    smmu_caches_flush(s);
    smmu_cache_changed(s);
}

/* The Secure bank's own offsets (read_secure_only); true: off was one of them. */
static bool write_secure_only(smmu_t *s, smmu_regs_t *b, uint64_t off, uint32_t v) {
    switch (off) {
    case SMMU_S_EVENTQ_PROD - SMMU_S_BANK:
    case SMMU_S_EVENTQ_CONS - SMMU_S_BANK:
        write_evq_ptr(s, b, off == SMMU_S_EVENTQ_PROD - SMMU_S_BANK, v);
        return true;
    case SMMU_S_INIT - SMMU_S_BANK:
        write_s_init(s, v);
        return true;
    default:
        return false;
    }
}

static void write32(smmu_t *s, smmu_regs_t *b, uint64_t off, uint32_t v) {
    if (off >= SMMU_PAGE1) {
        write_page1(s, off, v);
        return;
    }
    if (is_secure(s, b) && write_secure_only(s, b, off, v)) return;
    if (gatos_at(s, off)) {
        smmu_atos_write32(s, gatos_of(s, b), (unsigned)(off - SMMU_GATOS_CTRL), v,
                          smmu_w_smmuen(s, is_secure(s, b)));
        return;
    }
    reg64_t r = reg64_at(b, off & ~7ull);
    if (r != R64_NONE) {
        write64(s, b, r, smmu_reg_half_put(read64(b, r), off, v));
        return;
    }
    switch (off) {
    case SMMU_CR0:
        write_cr0(s, b, v);
        break;
    case SMMU_CR1:
        write_cr1(s, b, v);
        break;
    case SMMU_CR2:
        write_cr2(s, b, v);
        break;
    case SMMU_GBPA:
        write_gbpa(s, b, v);
        break;
    case SMMU_GMPAM:
        write_mpam(s, b, &b->mpam.gmpam, v);
        break;
    case SMMU_GBPMPAM:
        write_mpam(s, b, &b->mpam.gbpmpam, v);
        break;
    case SMMU_IRQ_CTRL:
        write_irq_ctrl(b, v);
        break;
    case SMMU_GERRORN:
        write_gerrorn(s, b, v);
        break;
    case SMMU_STRTAB_BASE_CFG:
        write_strtab_cfg(s, b, v);
        break;
    case SMMU_CMDQ_PROD:
    case SMMU_CMDQ_CONS:
        write_cmdq_ptr(s, b, off, v);
        break;
    default:
        write_irq_cfg(s, b, off, v);
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

/* SMMU_S_MPAMIDR, S_GMPAM, S_GBPMPAM (6.3.87-6.3.89): the Secure bank's twins of 0x130,
   0x138, 0x13C, beyond SMMU_S_BANK_END. */
static bool s_mpam_at(uint64_t off) {
    return off == SMMU_S_MPAMIDR || off == SMMU_S_GMPAM || off == SMMU_S_GBPMPAM;
}

/* The bank an access reaches, with *off made relative to it: the Secure bank for a Secure access
   to [SMMU_S_BANK, SMMU_S_BANK_END) or S_MPAM* with SECURE_IMPL; NULL when the access is RAZ/WI
   (6.2: the SMMU_S_* registers to a Non-secure access, or without SECURE_IMPL). */
static smmu_regs_t *bank_of(smmu_t *s, uint64_t *off, bool secure) {
    const bool s_gatos = *off - SMMU_S_GATOS_CTRL < SMMU_ATOS_GROUP_BYTES; /* 6.3.83-6.3.86 */
    if (*off < SMMU_S_BANK || (*off >= SMMU_S_BANK_END && !s_mpam_at(*off) && !s_gatos))
        return &s->r;
    if (!secure || !s->p.secure_impl) return NULL;
    *off -= SMMU_S_BANK;
    return &s->sr;
}

/* A 64-bit access to two adjacent 32-bit registers (6.2): two 32-bit accesses, or RAZ/WI
   (choice reg64_pair). */
static bool pair_razwi(smmu_t *s) {
    return smmu_choice(s, SMMU_CHOICE_REG64_PAIR) == SMMU_REG64_PAIR_RAZWI;
}

/* The registers defined on Page 1, by their offset in the page (6.2; 6.3.30, 6.3.31, 6.3.34,
   6.3.35): the Event and PRI queue pointers. */
static bool page1_defined(uint64_t page_off) {
    return page_off == (SMMU_EVENTQ_PROD & 0xFFFF) || page_off == (SMMU_EVENTQ_CONS & 0xFFFF) ||
           page_off == (SMMU_PRIQ_PROD & 0xFFFF) || page_off == (SMMU_PRIQ_CONS & 0xFFFF);
}

/* The offset an access reaches after the aliasing choices of 6.2 (both CONSTRAINED
   UNPREDICTABLE): the Page 0 equivalents of Page 1 registers RAZ/WI or aliasing them (choice
   page0_alias); undefined Page 1 locations RES0 or aliasing Page 0 (choice page1_reserved). The
   alias is taken before the bank is chosen, so it never gives an access more than its own
   Security state reaches. A 64-bit access is judged by its first word. */
static uint64_t alias_of(smmu_t *s, uint64_t offset) {
    if (offset < SMMU_PAGE1 && page1_defined(offset))
        return smmu_choice(s, SMMU_CHOICE_PAGE0_ALIAS) == SMMU_PAGE0_ALIAS_ALIAS
                   ? offset + SMMU_PAGE1
                   : offset;
    if (offset >= SMMU_PAGE1 && !page1_defined(offset - SMMU_PAGE1) &&
        smmu_choice(s, SMMU_CHOICE_PAGE1_RESERVED) == SMMU_PAGE1_RESERVED_ALIAS)
        return offset - SMMU_PAGE1;
    return offset;
}

static uint64_t reg_read(smmu_t *s, uint64_t offset, unsigned size, bool secure) {
    if (!smmu_reg_access_ok(s, offset, size)) return 0;
    offset = alias_of(s, offset);
    smmu_regs_t *b = bank_of(s, &offset, secure);
    if (!b) return 0;
    if (size == 4) return read32(s, b, offset);
    reg64_t r = offset < SMMU_PAGE1 ? reg64_at(b, offset) : R64_NONE;
    if (r != R64_NONE) return read64(b, r);
    if (pair_razwi(s)) return 0;
    return read32(s, b, offset) | ((uint64_t)read32(s, b, offset + 4) << 32);
}

static void reg_write(smmu_t *s, uint64_t offset, uint64_t value, unsigned size, bool secure) {
    if (!smmu_reg_access_ok(s, offset, size)) return;
    offset = alias_of(s, offset);
    smmu_regs_t *b = bank_of(s, &offset, secure);
    if (!b) return;
    if (size == 4) {
        write32(s, b, offset, (uint32_t)value);
        return;
    }
    reg64_t r = offset < SMMU_PAGE1 ? reg64_at(b, offset) : R64_NONE;
    if (r != R64_NONE) {
        write64(s, b, r, value);
        return;
    }
    if (pair_razwi(s)) return;
    write32(s, b, offset, (uint32_t)value);
    write32(s, b, offset + 4, (uint32_t)(value >> 32));
}

static void trace_reg(smmu_t *s, unsigned kind, uint64_t offset, uint64_t value, unsigned size) {
    smmu_tp_t tp = {.kind = (uint8_t)kind,
                    .u.reg = {.offset = offset, .value = value, .size = (uint8_t)size}};
    smmu_tp_emit(s, &tp);
}

uint64_t smmu_reg_read_sec(smmu_t *s, uint64_t offset, unsigned size, bool secure) {
    SMMU_LOCKED(s);
    const uint64_t v = reg_read(s, offset, size, secure);
    if (smmu_tp_on(s, SMMU_TP_REG_READ)) trace_reg(s, SMMU_TP_REG_READ, offset, v, size);
    return v;
}

void smmu_reg_write_sec(smmu_t *s, uint64_t offset, uint64_t value, unsigned size, bool secure) {
    SMMU_LOCKED(s);
    if (smmu_tp_on(s, SMMU_TP_REG_WRITE)) trace_reg(s, SMMU_TP_REG_WRITE, offset, value, size);
    reg_write(s, offset, value, size, secure);
}

uint64_t smmu_reg_read(smmu_t *s, uint64_t offset, unsigned size) {
    return smmu_reg_read_sec(s, offset, size, false);
}

void smmu_reg_write(smmu_t *s, uint64_t offset, uint64_t value, unsigned size) {
    smmu_reg_write_sec(s, offset, value, size, false);
}
