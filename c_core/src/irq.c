/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Interrupt sources and MSIs (spec 3.18). The conditions that trigger an interrupt are transient
 * events, so wired outputs are edge-triggered: each notification is a pulse on the source's
 * output. A source enabled in IRQ_CTRL also sends an MSI when MSIs are implemented and its
 * *_IRQ_CFG0 address is not zero; both may happen for the same notification (3.18.2). */
#include "irq.h"

#include <smmu/regs.h>

#include "hostmem.h"
#include "instance.h"
#include "mpam.h"
#include "regfile.h"
#include "tp.h"

/* The host (and the trace) learn that wired output line is at level. */
static void line_changed(smmu_t *s, int line, bool level) {
    if (smmu_tp_on(s, SMMU_TP_IRQ)) {
        smmu_tp_t tp = {.kind = SMMU_TP_IRQ, .u.irq = {.line = line, .level = level}};
        smmu_tp_emit(s, &tp);
    }
    if (s->host.irq) s->host.irq(s->host.ctx, line, level);
}

void smmu_set_irq(smmu_t *s, smmu_irq_t line, bool level) {
    if (s->irq_level[line] == level) return;
    s->irq_level[line] = level;
    line_changed(s, (int)line, level);
}

void smmu_irq_pulse_line(smmu_t *s, int line) {
    line_changed(s, line, true);
    line_changed(s, line, false);
}

void smmu_irq_pulse(smmu_t *s, smmu_irq_t line) {
    smmu_set_irq(s, line, true);
    smmu_set_irq(s, line, false);
}

/* An MSI is a 32-bit little-endian write of the data to a word-aligned address (3.18); the
   address is truncated to the physical address size (3.4.3). */
static int msi_out(smmu_t *s, uint64_t addr, uint32_t data, bool secure) {
    uint8_t b[4] = {(uint8_t)data, (uint8_t)(data >> 8), (uint8_t)(data >> 16),
                    (uint8_t)(data >> 24)};
    addr &= smmu_bits_mask(smmu_oas_bits(s)) & ~3ull;
    const int rc = smmu_mem_wr_w(s, addr, b, sizeof(b), secure);
    if (smmu_tp_on(s, SMMU_TP_MSI)) {
        smmu_tp_t tp = {.kind = SMMU_TP_MSI,
                        .u.msi = {.addr = addr, .data = data, .abort = rc != 0}};
        smmu_tp_emit(s, &tp);
    }
    return rc;
}

int smmu_msi_write(smmu_t *s, uint64_t addr, uint32_t data) {
    return smmu_msi_write_w(s, addr, data, false);
}

int smmu_msi_write_w(smmu_t *s, uint64_t addr, uint32_t data, bool secure) {
    smmu_mpam_io_end(s, secure); /* (S_)GMPAM's label (17.4) */
    return msi_out(s, addr, data, secure);
}

int smmu_msi_write_as(smmu_t *s, uint64_t addr, uint32_t data, bool secure, smmu_mpam_t m) {
    smmu_mpam_io(s, m);
    const int rc = msi_out(s, addr, data, secure);
    smmu_mpam_io_end(s, false);
    return rc;
}

typedef struct {
    const smmu_regs_t *b; /* the programming interface's bank */
    uint32_t enable;      /* IRQ_CTRL bit */
    uint64_t cfg0;        /* MSI address register */
    uint32_t cfg1;        /* MSI data */
    uint32_t abt_err;     /* GERROR bit for an aborted MSI */
} irq_source_t;

static bool source_of(const smmu_t *s, smmu_irq_t line, irq_source_t *src) {
    switch (line) {
    case SMMU_IRQ_GERROR:
    case SMMU_IRQ_S_GERROR: {
        const smmu_regs_t *b = smmu_bank_c(s, line == SMMU_IRQ_S_GERROR);
        *src = (irq_source_t){b, SMMU_IRQ_CTRL_GERROR_IRQEN, b->gerror_irq_cfg0, b->gerror_irq_cfg1,
                              SMMU_GERROR_MSI_GERROR_ABT_ERR};
        return true;
    }
    case SMMU_IRQ_EVENTQ:
    case SMMU_IRQ_S_EVENTQ: {
        const smmu_regs_t *b = smmu_bank_c(s, line == SMMU_IRQ_S_EVENTQ);
        *src = (irq_source_t){b, SMMU_IRQ_CTRL_EVENTQ_IRQEN, b->eventq.irq_cfg0, b->eventq.irq_cfg1,
                              SMMU_GERROR_MSI_EVTQ_ABT_ERR};
        return true;
    }
    case SMMU_IRQ_PRIQ:
        *src = (irq_source_t){&s->r, SMMU_IRQ_CTRL_PRIQ_IRQEN, s->r.priq.irq_cfg0,
                              s->r.priq.irq_cfg1, SMMU_GERROR_MSI_PRIQ_ABT_ERR};
        return true;
    default:
        return false;
    }
}

void smmu_irq_notify(smmu_t *s, smmu_irq_t line) {
    irq_source_t src;
    if (!source_of(s, line, &src) || !(src.b->irq_ctrlack & src.enable)) return;
    smmu_irq_pulse(s, line);
    uint64_t addr = SMMU_VADDR(src.cfg0, SMMU_F_IRQ_CFG0_ADDR);
    /* (S_)IDR0.MSI (6.3.1, 6.3.52); a Secure source's MSI is a Secure write (3.18) */
    if (!SMMU_VGET(src.b->idr[0], SMMU_F_IDR0_MSI) || addr == 0) return;
    const bool sec = src.b == &s->sr;
    /* An aborted MSI is recorded in its interface's GERROR (7.5); an aborted GERROR MSI raises
       no further interrupt, so this cannot recurse more than once. */
    if (smmu_msi_write_w(s, addr, src.cfg1, sec)) smmu_gerror_raise_w(s, sec, src.abt_err);
}
