/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* SMMUv3 register offsets (spec 6.2). Page 1 registers are at SMMU_PAGE1 + offset. The registers'
 * fields are in <smmu/arch.h>. */
#ifndef SMMU_REGS_H
#define SMMU_REGS_H

#include <smmu/arch.h>

#define SMMU_PAGE1 0x10000u

/* Page 0 (spec 6.2.1) */
#define SMMU_IDR0            0x0000u
#define SMMU_IDR1            0x0004u
#define SMMU_IDR2            0x0008u
#define SMMU_IDR3            0x000Cu
#define SMMU_IDR4            0x0010u
#define SMMU_IDR5            0x0014u
#define SMMU_IIDR            0x0018u
#define SMMU_AIDR            0x001Cu
#define SMMU_CR0             0x0020u
#define SMMU_CR0ACK          0x0024u
#define SMMU_CR1             0x0028u
#define SMMU_CR2             0x002Cu
#define SMMU_STATUSR         0x0040u
#define SMMU_GBPA            0x0044u
#define SMMU_AGBPA           0x0048u
#define SMMU_IRQ_CTRL        0x0050u
#define SMMU_IRQ_CTRLACK     0x0054u
#define SMMU_GERROR          0x0060u
#define SMMU_GERRORN         0x0064u
#define SMMU_GERROR_IRQ_CFG0 0x0068u
#define SMMU_GERROR_IRQ_CFG1 0x0070u
#define SMMU_GERROR_IRQ_CFG2 0x0074u
#define SMMU_STRTAB_BASE     0x0080u
#define SMMU_STRTAB_BASE_CFG 0x0088u
#define SMMU_CMDQ_BASE       0x0090u
#define SMMU_CMDQ_PROD       0x0098u
#define SMMU_CMDQ_CONS       0x009Cu
#define SMMU_EVENTQ_BASE     0x00A0u
#define SMMU_EVENTQ_IRQ_CFG0 0x00B0u
#define SMMU_EVENTQ_IRQ_CFG1 0x00B8u
#define SMMU_EVENTQ_IRQ_CFG2 0x00BCu
#define SMMU_PRIQ_BASE       0x00C0u
#define SMMU_PRIQ_IRQ_CFG0   0x00D0u
#define SMMU_PRIQ_IRQ_CFG1   0x00D8u
#define SMMU_PRIQ_IRQ_CFG2   0x00DCu
#define SMMU_GATOS_CTRL      0x0100u /* 6.3.37-6.3.40: present when IDR0.ATOS */
#define SMMU_GATOS_SID       0x0108u
#define SMMU_GATOS_ADDR      0x0110u
#define SMMU_GATOS_PAR       0x0118u
#define SMMU_IDR6            0x0190u
/* Page 1 (spec 6.2.2) */
#define SMMU_EVENTQ_PROD (SMMU_PAGE1 + 0x00A8u)
#define SMMU_EVENTQ_CONS (SMMU_PAGE1 + 0x00ACu)
#define SMMU_PRIQ_PROD   (SMMU_PAGE1 + 0x00C8u)
#define SMMU_PRIQ_CONS   (SMMU_PAGE1 + 0x00CCu)

/* Frequently used register bits, for host software (spec 6.3): masks of the <smmu/arch.h> fields,
   as unsigned int. */
#define SMMU_CR0_SMMUEN                SMMU_FMASK32(SMMU_F_CR0_SMMUEN)
#define SMMU_CR0_PRIQEN                SMMU_FMASK32(SMMU_F_CR0_PRIQEN)
#define SMMU_CR0_EVENTQEN              SMMU_FMASK32(SMMU_F_CR0_EVENTQEN)
#define SMMU_CR0_CMDQEN                SMMU_FMASK32(SMMU_F_CR0_CMDQEN)
#define SMMU_CR0_ATSCHK                SMMU_FMASK32(SMMU_F_CR0_ATSCHK)
#define SMMU_GBPA_UPDATE               SMMU_FMASK32(SMMU_F_GBPA_UPDATE)
#define SMMU_GBPA_ABORT                SMMU_FMASK32(SMMU_F_GBPA_ABORT)
#define SMMU_IRQ_CTRL_GERROR_IRQEN     SMMU_FMASK32(SMMU_F_IRQ_CTRL_GERROR_IRQEN)
#define SMMU_IRQ_CTRL_PRIQ_IRQEN       SMMU_FMASK32(SMMU_F_IRQ_CTRL_PRIQ_IRQEN)
#define SMMU_IRQ_CTRL_EVENTQ_IRQEN     SMMU_FMASK32(SMMU_F_IRQ_CTRL_EVENTQ_IRQEN)
#define SMMU_GERROR_CMDQ_ERR           SMMU_FMASK32(SMMU_F_GERROR_CMDQ_ERR)
#define SMMU_GERROR_EVTQ_ABT_ERR       SMMU_FMASK32(SMMU_F_GERROR_EVENTQ_ABT_ERR)
#define SMMU_GERROR_PRIQ_ABT_ERR       SMMU_FMASK32(SMMU_F_GERROR_PRIQ_ABT_ERR)
#define SMMU_GERROR_MSI_CMDQ_ABT_ERR   SMMU_FMASK32(SMMU_F_GERROR_MSI_CMDQ_ABT_ERR)
#define SMMU_GERROR_MSI_EVTQ_ABT_ERR   SMMU_FMASK32(SMMU_F_GERROR_MSI_EVENTQ_ABT_ERR)
#define SMMU_GERROR_MSI_PRIQ_ABT_ERR   SMMU_FMASK32(SMMU_F_GERROR_MSI_PRIQ_ABT_ERR)
#define SMMU_GERROR_MSI_GERROR_ABT_ERR SMMU_FMASK32(SMMU_F_GERROR_MSI_GERROR_ABT_ERR)
#define SMMU_GERROR_SFM_ERR            SMMU_FMASK32(SMMU_F_GERROR_SFM_ERR)
#define SMMU_Q_WRAP(log2)              (1u << (log2)) /* the wrap bit of PROD / CONS */
#define SMMU_Q_OVFLG                   SMMU_FMASK32(SMMU_F_Q_OVFLG)
#define SMMU_CMDQ_CONS_ERR_SHIFT       SMMU_FLSB(SMMU_F_CMDQ_CONS_ERR)
/* SMMU_CERROR_* and the command opcodes SMMU_CMD_* are in <smmu/arch.h>. */

#endif
