/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Interrupts and MSIs (irq.c; spec 3.18): the level of each wired output as the host sees it,
 * the pulse of an edge-triggered notification, MSI writes, and the notification of a
 * register-configured source (GERROR, Event queue, PRI queue) by wire and MSI. */
#ifndef SMMU_CORE_IRQ_H
#define SMMU_CORE_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

/* The wired output line goes to level; host->irq learns each change. */
void smmu_set_irq(smmu_t *s, smmu_irq_t line, bool level);
/* Wired outputs are edge-triggered: a notification is a pulse, host->irq(line, true) then
   host->irq(line, false). */
void smmu_irq_pulse(smmu_t *s, smmu_irq_t line);
/* A pulse on an output beyond the SMMU's own (a PMCG's, SMMU_IRQ_PMCG(g)), which is low
   between pulses. */
void smmu_irq_pulse_line(smmu_t *s, int line);
/* A 32-bit MSI write of data to addr (truncated to OAS); returns non-zero on an abort. */
int smmu_msi_write(smmu_t *s, uint64_t addr, uint32_t data);
/* The same from a Secure source (secure): a Secure access to Secure PA space (3.18). */
int smmu_msi_write_w(smmu_t *s, uint64_t addr, uint32_t data, bool secure);
/* The same to the Secure (secure) or Non-secure PA space, with MPAM label m (17.5: a PMCG's
   MSI is labelled by SMMU_PMCG_GMPAM, not by the SMMU's GMPAM). */
int smmu_msi_write_as(smmu_t *s, uint64_t addr, uint32_t data, bool secure, smmu_mpam_t m);
/* Notifies a register-configured source (SMMU_IRQ_GERROR, _EVENTQ, _PRIQ) when its
   IRQ_CTRL(ACK) enable is set: wired pulse, and the MSI of its *_IRQ_CFG0/1 when MSIs are
   implemented and the address is non-zero; an MSI abort activates the matching MSI_*_ABT_ERR. */
void smmu_irq_notify(smmu_t *s, smmu_irq_t line);

#endif
