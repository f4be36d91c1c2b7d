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
#define SMMU_MPAMIDR         0x0130u /* 6.3.41, present when IDR3.MPAM */
#define SMMU_GMPAM           0x0138u /* 6.3.42 */
#define SMMU_GBPMPAM         0x013Cu /* 6.3.43 */
#define SMMU_IDR6            0x0190u
/* Page 0, the Secure bank (spec 6.2.1, 6.3.52-6.3.82): RAZ/WI to Non-secure accesses. Each
   SMMU_S_x sits at SMMU_S_BANK + the offset of SMMU_x, except S_INIT (no Non-secure twin) and the
   Secure Event queue pointers, which are in page 0. */
#define SMMU_S_BANK            0x8000u
#define SMMU_S_IDR0            0x8000u
#define SMMU_S_IDR1            0x8004u
#define SMMU_S_IDR2            0x8008u
#define SMMU_S_IDR3            0x800Cu
#define SMMU_S_IDR4            0x8010u
#define SMMU_S_CR0             0x8020u
#define SMMU_S_CR0ACK          0x8024u
#define SMMU_S_CR1             0x8028u
#define SMMU_S_CR2             0x802Cu
#define SMMU_S_INIT            0x803Cu
#define SMMU_S_GBPA            0x8044u
#define SMMU_S_AGBPA           0x8048u
#define SMMU_S_IRQ_CTRL        0x8050u
#define SMMU_S_IRQ_CTRLACK     0x8054u
#define SMMU_S_GERROR          0x8060u
#define SMMU_S_GERRORN         0x8064u
#define SMMU_S_GERROR_IRQ_CFG0 0x8068u
#define SMMU_S_GERROR_IRQ_CFG1 0x8070u
#define SMMU_S_GERROR_IRQ_CFG2 0x8074u
#define SMMU_S_STRTAB_BASE     0x8080u
#define SMMU_S_STRTAB_BASE_CFG 0x8088u
#define SMMU_S_CMDQ_BASE       0x8090u
#define SMMU_S_CMDQ_PROD       0x8098u
#define SMMU_S_CMDQ_CONS       0x809Cu
#define SMMU_S_EVENTQ_BASE     0x80A0u
#define SMMU_S_EVENTQ_PROD     0x80A8u
#define SMMU_S_EVENTQ_CONS     0x80ACu
#define SMMU_S_EVENTQ_IRQ_CFG0 0x80B0u
#define SMMU_S_EVENTQ_IRQ_CFG1 0x80B8u
#define SMMU_S_EVENTQ_IRQ_CFG2 0x80BCu
#define SMMU_S_BANK_END        0x8100u /* the Secure bank decoded here: [SMMU_S_BANK, this) */
#define SMMU_S_GATOS_CTRL      0x8100u /* 6.3.83-6.3.86: with IDR0.ATOS, its own range */
#define SMMU_S_GATOS_SID       0x8108u
#define SMMU_S_GATOS_ADDR      0x8110u
#define SMMU_S_GATOS_PAR       0x8118u
#define SMMU_S_MPAMIDR         0x8130u /* 6.3.87; with SMMU_S_GMPAM, S_GBPMPAM also decoded */
#define SMMU_S_GMPAM           0x8138u /* 6.3.88 */
#define SMMU_S_GBPMPAM         0x813Cu /* 6.3.89 */
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

/* PMCG register pages (spec 10.5.1). The offsets are within one group's Page 0; with
   SMMU_PMCG_CFGR.RELOC_CTRS the counters, SVRs, OVSCLR0/OVSSET0 and CAPR are at the same offsets
   in Page 1, which smmu_pmcg_reg_read/write() take at SMMU_PMCG_PAGE1 + offset (the model's
   choice; the system places Page 1 where it likes, 10.5). EVCNTRn and SVRn have a stride of 4
   bytes with counters of 32 bits or fewer, 8 otherwise. */
#define SMMU_PMCG_PAGE1       0x1000u
#define SMMU_PMCG_EVCNTR0     0x000u
#define SMMU_PMCG_EVTYPER0    0x400u
#define SMMU_PMCG_SVR0        0x600u
#define SMMU_PMCG_SMR0        0xA00u
#define SMMU_PMCG_CNTENSET0   0xC00u
#define SMMU_PMCG_CNTENCLR0   0xC20u
#define SMMU_PMCG_INTENSET0   0xC40u
#define SMMU_PMCG_INTENCLR0   0xC60u
#define SMMU_PMCG_OVSCLR0     0xC80u
#define SMMU_PMCG_OVSSET0     0xCC0u
#define SMMU_PMCG_CAPR        0xD88u
#define SMMU_PMCG_SCR         0xDF8u
#define SMMU_PMCG_CFGR        0xE00u
#define SMMU_PMCG_CR          0xE04u
#define SMMU_PMCG_IIDR        0xE08u
#define SMMU_PMCG_CEID0       0xE20u
#define SMMU_PMCG_CEID1       0xE28u
#define SMMU_PMCG_SCR_ALIAS   0xE40u
#define SMMU_PMCG_ROOTCR      0xE48u
#define SMMU_PMCG_IRQ_CTRL    0xE50u
#define SMMU_PMCG_IRQ_CTRLACK 0xE54u
#define SMMU_PMCG_IRQ_CFG0    0xE58u
#define SMMU_PMCG_IRQ_CFG1    0xE60u
#define SMMU_PMCG_IRQ_CFG2    0xE64u
#define SMMU_PMCG_IRQ_STATUS  0xE68u
#define SMMU_PMCG_GMPAM       0xE6Cu
#define SMMU_PMCG_AIDR        0xE70u
#define SMMU_PMCG_MPAMIDR     0xE74u
#define SMMU_PMCG_S_MPAMIDR   0xE78u

#endif
