/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The register file as the rest of the core sees it (regs.c; spec 6.3): the register state the
 * instance holds (smmu_regs_t, with the three queues), the effective enables, the ID register
 * values features are checked against, output address sizes, and the activation of global
 * errors (GERROR). Register accesses themselves are the public smmu_reg_read / smmu_reg_write
 * of <smmu/smmu.h>; the offsets and fields are <smmu/regs.h> and <smmu/arch.h>. */
#ifndef SMMU_CORE_REGFILE_H
#define SMMU_CORE_REGFILE_H

#include <smmu/smmu.h>

#include "queue.h"

/* The MPAM registers of one Security state's programming interface (6.3.42, 6.3.43; S_ and R_
   variants are further instances of the same): the values written with Update == 1, the bits
   above the PARTID/PMG widths of SMMU_MPAMIDR cleared (RES0). */
typedef struct smmu_mpam_regs {
    uint32_t gmpam;   /* SO_PARTID, SO_PMG: SMMU-originated accesses (17.4) */
    uint32_t gbpmpam; /* GBP_PARTID, GBP_PMG: client transactions in global bypass (17.2) */
} smmu_mpam_regs_t;

typedef struct smmu_regs {
    uint32_t cr0, cr0ack, cr1, cr2;
    uint32_t gbpa, agbpa;
    uint32_t irq_ctrl, irq_ctrlack;
    uint32_t gerror, gerrorn;
    uint64_t gerror_irq_cfg0;
    uint32_t gerror_irq_cfg1, gerror_irq_cfg2;
    uint64_t strtab_base;
    uint32_t strtab_base_cfg;
    smmu_queue_t cmdq, eventq, priq;
    smmu_mpam_regs_t mpam;       /* (S_)GMPAM, (S_)GBPMPAM (present with IDR3.MPAM) */
    uint32_t idr[6], iidr, aidr; /* computed once from params; the Secure bank: S_IDR0-4 */
    uint32_t mpamidr;            /* SMMU_MPAMIDR (6.3.41), from params; 0 without MPAM */
} smmu_regs_t;

/* A 64-bit register accessed as two 32-bit halves (6.2: 32-bit accesses to either half): the
   half at byte offset off (bit 2 selects it) read, or replaced by v. */
static inline uint32_t smmu_reg_half(uint64_t reg, uint64_t off) {
    return (uint32_t)(reg >> (8 * (off & 4)));
}
static inline uint64_t smmu_reg_half_put(uint64_t reg, uint64_t off, uint32_t v) {
    const unsigned sh = 8 * (unsigned)(off & 4);
    return (reg & ~(0xFFFFFFFFull << sh)) | ((uint64_t)v << sh);
}
/* The two programming interfaces (3.10.2.1): struct smmu holds a bank of each, r and sr. */
smmu_regs_t *smmu_bank(smmu_t *s, bool secure);
const smmu_regs_t *smmu_bank_c(const smmu_t *s, bool secure);
/* The acknowledged enables of a world's bank (SMMU_(S_)CR0ACK). */
bool smmu_w_smmuen(const smmu_t *s, bool secure);
bool smmu_w_eventqen(const smmu_t *s, bool secure);
bool smmu_w_cmdqen(const smmu_t *s, bool secure);
/* smmu_gerror_raise for a world's SMMU_(S_)GERROR and its interrupt. */
void smmu_gerror_raise_w(smmu_t *s, bool secure, uint32_t bits);

void smmu_regs_reset(smmu_t *s);
void smmu_regs_compute_idr(smmu_t *s);
/* Raise a global error: toggles GERROR bit(s) (3.18, 6.3.17) and signals the GERROR irq/MSI. */
void smmu_gerror_raise(smmu_t *s, uint32_t bits);
bool smmu_smmuen(const smmu_t *s);
bool smmu_eventqen(const smmu_t *s);
bool smmu_cmdqen(const smmu_t *s);
/* Output size in bits for an IPS/PS encoding, capped to IDR5.OAS (3.4). */
unsigned smmu_ps_bits(const smmu_t *s, unsigned ps);
unsigned smmu_oas_bits(const smmu_t *s);
/* IDR value of a register, for internal feature checks; IDR0.STALL_MODEL as the Non-secure
   side sees it (smmu_stall_model) */
uint32_t smmu_idr(const smmu_t *s, unsigned n);
/* The stall model (SMMU_STALL_MODEL_*) of the Secure (S_IDR0) or Non-secure (IDR0) programming
   interface: S_CR0.NSSTALLD turns the Non-secure 0b00 into 0b01 (3.12, 6.3.57). */
unsigned smmu_stall_model(const smmu_t *s, bool secure);

#endif
