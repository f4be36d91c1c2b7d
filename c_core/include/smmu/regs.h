/* SPDX-License-Identifier: Apache-2.0 */
/* SMMUv3 register offsets (spec 6.2). Page 1 registers are at SMMU_PAGE1 + offset. */
#ifndef SMMU_REGS_H
#define SMMU_REGS_H

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
#define SMMU_IDR6            0x0190u
/* Page 1 (spec 6.2.2) */
#define SMMU_EVENTQ_PROD (SMMU_PAGE1 + 0x00A8u)
#define SMMU_EVENTQ_CONS (SMMU_PAGE1 + 0x00ACu)
#define SMMU_PRIQ_PROD   (SMMU_PAGE1 + 0x00C8u)
#define SMMU_PRIQ_CONS   (SMMU_PAGE1 + 0x00CCu)

/* Frequently used register bits, for host software (spec 6.3). */
#define SMMU_CR0_SMMUEN                (1u << 0)
#define SMMU_CR0_PRIQEN                (1u << 1)
#define SMMU_CR0_EVENTQEN              (1u << 2)
#define SMMU_CR0_CMDQEN                (1u << 3)
#define SMMU_CR0_ATSCHK                (1u << 4)
#define SMMU_GBPA_UPDATE               (1u << 31)
#define SMMU_GBPA_ABORT                (1u << 20)
#define SMMU_IRQ_CTRL_GERROR_IRQEN     (1u << 0)
#define SMMU_IRQ_CTRL_PRIQ_IRQEN       (1u << 1)
#define SMMU_IRQ_CTRL_EVENTQ_IRQEN     (1u << 2)
#define SMMU_GERROR_CMDQ_ERR           (1u << 0)
#define SMMU_GERROR_EVTQ_ABT_ERR       (1u << 2)
#define SMMU_GERROR_PRIQ_ABT_ERR       (1u << 3)
#define SMMU_GERROR_MSI_CMDQ_ABT_ERR   (1u << 4)
#define SMMU_GERROR_MSI_EVTQ_ABT_ERR   (1u << 5)
#define SMMU_GERROR_MSI_PRIQ_ABT_ERR   (1u << 6)
#define SMMU_GERROR_MSI_GERROR_ABT_ERR (1u << 7)
#define SMMU_GERROR_SFM_ERR            (1u << 8)
#define SMMU_Q_WRAP(log2)              (1u << (log2))
#define SMMU_Q_OVFLG                   (1u << 31)
#define SMMU_CMDQ_CONS_ERR_SHIFT       24
#define SMMU_CERROR_NONE               0u
#define SMMU_CERROR_ILL                1u
#define SMMU_CERROR_ABT                2u
#define SMMU_CERROR_ATC_INV_SYNC       3u

/* Command opcodes (spec 4.1.2), for host software building commands. */
#define SMMU_CMD_PREFETCH_CONFIG 0x01u
#define SMMU_CMD_PREFETCH_ADDR   0x02u
#define SMMU_CMD_CFGI_STE        0x03u
#define SMMU_CMD_CFGI_STE_RANGE  0x04u /* CMD_CFGI_ALL is this with Range == 31 */
#define SMMU_CMD_CFGI_ALL        0x04u
#define SMMU_CMD_CFGI_CD         0x05u
#define SMMU_CMD_CFGI_CD_ALL     0x06u
#define SMMU_CMD_TLBI_NH_ALL     0x10u
#define SMMU_CMD_TLBI_NH_ASID    0x11u
#define SMMU_CMD_TLBI_NH_VA      0x12u
#define SMMU_CMD_TLBI_NH_VAA     0x13u
#define SMMU_CMD_TLBI_EL2_ALL    0x20u
#define SMMU_CMD_TLBI_EL2_ASID   0x21u
#define SMMU_CMD_TLBI_EL2_VA     0x22u
#define SMMU_CMD_TLBI_EL2_VAA    0x23u
#define SMMU_CMD_TLBI_S12_VMALL  0x28u
#define SMMU_CMD_TLBI_S2_IPA     0x2Au
#define SMMU_CMD_TLBI_NSNH_ALL   0x30u
#define SMMU_CMD_ATC_INV         0x40u
#define SMMU_CMD_PRI_RESP        0x41u
#define SMMU_CMD_RESUME          0x44u
#define SMMU_CMD_STALL_TERM      0x45u
#define SMMU_CMD_SYNC            0x46u

#endif
