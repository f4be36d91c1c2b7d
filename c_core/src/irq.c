/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Interrupt sources and MSIs (spec 3.18). The conditions that trigger an interrupt are transient
 * events, so wired outputs are edge-triggered: each notification is a pulse on the source's
 * output. A source enabled in IRQ_CTRL also sends an MSI when MSIs are implemented and its
 * *_IRQ_CFG0 address is not zero; both may happen for the same notification (3.18.2). */
#include "irq.h"

#include <smmu/regs.h>

#include "hostmem.h"
#include "instance.h"
#include "regfile.h"
#include "tp.h"

void smmu_set_irq(smmu_t *s, smmu_irq_t line, bool level) {
    if (s->irq_level[line] == level) return;
    s->irq_level[line] = level;
    if (smmu_tp_on(s, SMMU_TP_IRQ)) {
        smmu_tp_t tp = {.kind = SMMU_TP_IRQ, .u.irq = {.line = (int)line, .level = level}};
        smmu_tp_emit(s, &tp);
    }
    if (s->host.irq) s->host.irq(s->host.ctx, (int)line, level);
}

void smmu_irq_pulse(smmu_t *s, smmu_irq_t line) {
    smmu_set_irq(s, line, true);
    smmu_set_irq(s, line, false);
}

/* An MSI is a 32-bit little-endian write of the data to a word-aligned address (3.18); the
   address is truncated to the physical address size (3.4.3). */
int smmu_msi_write(smmu_t *s, uint64_t addr, uint32_t data) {
    uint8_t b[4] = {(uint8_t)data, (uint8_t)(data >> 8), (uint8_t)(data >> 16),
                    (uint8_t)(data >> 24)};
    addr &= smmu_bits_mask(smmu_oas_bits(s)) & ~3ull;
    const int rc = smmu_mem_wr(s, addr, b, sizeof(b));
    if (smmu_tp_on(s, SMMU_TP_MSI)) {
        smmu_tp_t tp = {.kind = SMMU_TP_MSI,
                        .u.msi = {.addr = addr, .data = data, .abort = rc != 0}};
        smmu_tp_emit(s, &tp);
    }
    return rc;
}

typedef struct {
    uint32_t enable;  /* IRQ_CTRL bit */
    uint64_t cfg0;    /* MSI address register */
    uint32_t cfg1;    /* MSI data */
    uint32_t abt_err; /* GERROR bit for an aborted MSI */
} irq_source_t;

static bool source_of(const smmu_t *s, smmu_irq_t line, irq_source_t *src) {
    switch (line) {
    case SMMU_IRQ_GERROR:
        *src = (irq_source_t){SMMU_IRQ_CTRL_GERROR_IRQEN, s->r.gerror_irq_cfg0,
                              s->r.gerror_irq_cfg1, SMMU_GERROR_MSI_GERROR_ABT_ERR};
        return true;
    case SMMU_IRQ_EVENTQ:
        *src = (irq_source_t){SMMU_IRQ_CTRL_EVENTQ_IRQEN, s->r.eventq.irq_cfg0,
                              s->r.eventq.irq_cfg1, SMMU_GERROR_MSI_EVTQ_ABT_ERR};
        return true;
    case SMMU_IRQ_PRIQ:
        *src = (irq_source_t){SMMU_IRQ_CTRL_PRIQ_IRQEN, s->r.priq.irq_cfg0, s->r.priq.irq_cfg1,
                              SMMU_GERROR_MSI_PRIQ_ABT_ERR};
        return true;
    default:
        return false;
    }
}

void smmu_irq_notify(smmu_t *s, smmu_irq_t line) {
    irq_source_t src;
    if (!source_of(s, line, &src) || !(s->r.irq_ctrlack & src.enable)) return;
    smmu_irq_pulse(s, line);
    uint64_t addr = SMMU_VADDR(src.cfg0, SMMU_F_IRQ_CFG0_ADDR);
    if (!SMMU_VGET(s->r.idr[0], SMMU_F_IDR0_MSI) || addr == 0) return;
    /* An aborted MSI is recorded in GERROR (7.5); an aborted GERROR MSI raises no further
       interrupt, so this cannot recurse more than once. */
    if (smmu_msi_write(s, addr, src.cfg1)) smmu_gerror_raise(s, src.abt_err);
}
