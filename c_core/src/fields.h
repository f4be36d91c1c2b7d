/* SPDX-License-Identifier: Apache-2.0 */
/* Every architectural field the core decodes or encodes, defined once, as "lsb, width" with lsb
 * counted from bit 0 of the structure (see bits.h). Section numbers are of IHI 0070 (SMMUv3) and
 * of the Arm ARM chapter D8 (VMSAv8-64 translation table format). */
#ifndef SMMU_FIELDS_H
#define SMMU_FIELDS_H

#include "bits.h"

/* ---- 5.1 L1STD, Level 1 Stream Table Descriptor (64 bits) ---- */
#define L1STD_SPAN  0, 5
#define L1STD_L2PTR 6, 50 /* address bits [55:6] */

/* ---- 5.2 STE, Stream Table Entry (512 bits) ---- */
#define STE_V            0, 1
#define STE_CONFIG       1, 3
#define STE_S1FMT        4, 2
#define STE_S1CONTEXTPTR 6, 50 /* address bits [55:6] */
#define STE_S1CDMAX      59, 5
#define STE_S1DSS        64, 2
#define STE_S1CIR        66, 2
#define STE_S1COR        68, 2
#define STE_S1CSH        70, 2
#define STE_DRE          76, 1
#define STE_CONT         77, 4
#define STE_DCP          81, 1
#define STE_PPAR         82, 1
#define STE_MEV          83, 1
#define STE_S1PIE        88, 1
#define STE_S2FWB        89, 1
#define STE_S1MPAM       90, 1
#define STE_S1STALLD     91, 1
#define STE_EATS         92, 2
#define STE_STRW         94, 2
#define STE_MEMATTR      96, 4
#define STE_MTCFG        100, 1
#define STE_ALLOCCFG     101, 4
#define STE_SHCFG        108, 2
#define STE_NSCFG        110, 2
#define STE_PRIVCFG      112, 2
#define STE_INSTCFG      114, 2
#define STE_S2VMID       128, 16
#define STE_S2T0SZ       160, 6
#define STE_S2SL0        166, 2
#define STE_S2IR0        168, 2
#define STE_S2OR0        170, 2
#define STE_S2SH0        172, 2
#define STE_S2TG         174, 2
#define STE_S2PS         176, 3
#define STE_S2AA64       179, 1
#define STE_S2ENDI       180, 1
#define STE_S2AFFD       181, 1
#define STE_S2PTW        182, 1
#define STE_S2HD         183, 1
#define STE_S2HA         184, 1
#define STE_S2S          185, 1
#define STE_S2R          186, 1
#define STE_S2HAFT       187, 1
#define STE_S2PIE        188, 1
#define STE_S2POE        189, 1
#define STE_S2NSW        192, 1
#define STE_S2NSA        193, 1
#define STE_S2SL0_2      194, 1
#define STE_S2DS         195, 1
#define STE_S2TTB        196, 52 /* bits [247:196]: address bits [55:4] (the dword holds it in place) */

/* ---- 5.3 L1CD, Level 1 Context Descriptor (64 bits) ---- */
#define L1CD_V     0, 1
#define L1CD_L2PTR 12, 44 /* address bits [55:12] */

/* ---- 5.4 CD, Context Descriptor (512 bits) ---- */
#define CD_T0SZ   0, 6
#define CD_TG0    6, 2
#define CD_IR0    8, 2
#define CD_OR0    10, 2
#define CD_SH0    12, 2
#define CD_EPD0   14, 1
#define CD_ENDI   15, 1
#define CD_T1SZ   16, 6
#define CD_TG1    22, 2
#define CD_IR1    24, 2
#define CD_OR1    26, 2
#define CD_SH1    28, 2
#define CD_EPD1   30, 1
#define CD_V      31, 1
#define CD_IPS    32, 3
#define CD_AFFD   35, 1
#define CD_WXN    36, 1
#define CD_UWXN   37, 1
#define CD_TBI0   38, 1
#define CD_TBI1   39, 1
#define CD_PAN    40, 1
#define CD_AA64   41, 1
#define CD_HD     42, 1
#define CD_HA     43, 1
#define CD_S      44, 1
#define CD_R      45, 1
#define CD_A      46, 1
#define CD_ASET   47, 1
#define CD_ASID   48, 16
#define CD_NSCFG0 64, 1
#define CD_HAD0   65, 1
#define CD_E0PD0  66, 1
#define CD_TTB0   68, 52 /* bits [119:68]: address bits [55:4] */
#define CD_NSCFG1 128, 1
#define CD_HAD1   129, 1
#define CD_E0PD1  130, 1
#define CD_TTB1   132, 52 /* bits [183:132]: address bits [55:4] */
#define CD_DS     186, 1
#define CD_MAIR   192, 64 /* MAIR0 [223:192], MAIR1 [255:224] */

/* ---- 4 Commands (128 bits) ---- */
#define CMD_OPCODE       0, 8
#define CMD_SSEC         10, 1
#define CMD_SSID         12, 20 /* CMD_CFGI_CD */
#define CMD_SID          32, 32 /* CMD_CFGI_STE, CMD_CFGI_CD */
#define CMD_VMID         32, 16 /* CMD_TLBI_* */
#define CMD_ASID         48, 16 /* CMD_TLBI_NH_ASID, CMD_TLBI_NH_VA */
#define CMD_LEAF         64, 1
#define CMD_RANGE        64, 5 /* CMD_CFGI_STE_RANGE / CMD_CFGI_ALL (31) */
#define CMD_TLBI_NUM     12, 5
#define CMD_TLBI_SCALE   20, 6
#define CMD_TLBI_TTL     72, 2
#define CMD_TLBI_TG      74, 2
#define CMD_TLBI_ADDR    76, 52 /* VA[63:12] (CMD_TLBI_NH_VA*) */
#define CMD_TLBI_IPA     76, 40 /* IPA[51:12] (CMD_TLBI_S2_IPA) */
#define CMD_SYNC_CS      12, 2
#define CMD_SYNC_MSH     22, 2
#define CMD_SYNC_MSIATTR 24, 4
#define CMD_SYNC_MSIDATA 32, 32
#define CMD_SYNC_MSIADDR 66, 50 /* address bits [51:2] */
/* more command fields (4.2 - 4.7); bit 64 is DW1 bit 0 */
#define CMD_ATC_GLOBAL      9, 1   /* CMD_ATC_INV */
#define CMD_SSV             11, 1  /* PREFETCH_*, ATC_INV, PRI_RESP */
#define CMD_RESUME_AC       12, 1  /* CMD_RESUME Action: 1 retry, 0 terminate */
#define CMD_RESUME_AB       13, 1  /* CMD_RESUME Abort (when terminating) */
#define CMD_TLBI_SCALE_DS   25, 1  /* SCALE[5]: RES0 unless IDR5.DS */
#define CMD_TLBI_TTL128     71, 1  /* RES0 without 128-bit descriptors */
#define CMD_PF_SIZE         64, 5  /* CMD_PREFETCH_ADDR */
#define CMD_PF_STRIDE       69, 5  /* CMD_PREFETCH_ADDR, RES0 in SMMUv3.0 */
#define CMD_PF_ADDR         76, 52 /* VA[63:12] */
#define CMD_ATC_SIZE        64, 6  /* CMD_ATC_INV */
#define CMD_ATC_ADDR        76, 52 /* Address[63:12] */
#define CMD_PRI_GRPID       64, 9  /* CMD_PRI_RESP PRGIndex */
#define CMD_PRI_RESP        76, 2
#define CMD_RESUME_STAG     64, 16
#define CMD_SYNC_MSIADDR_HI 116, 4 /* address bits [55:52] */

/* ---- 7.3 Event records (256 bits) ---- */
#define EVT_TYPE      0, 8
#define EVT_SSV       11, 1
#define EVT_SSID      12, 20
#define EVT_SID       32, 32
#define EVT_STAG      64, 16
#define EVT_STALL     95, 1
#define EVT_PNU       97, 1
#define EVT_IND       98, 1
#define EVT_RNW       99, 1
#define EVT_S2        103, 1
#define EVT_CLASS     104, 2
#define EVT_TTRNW     108, 1
#define EVT_INPUTADDR 128, 64
#define EVT_IPA       204, 44 /* IPA bits [55:12] in place in DW3 */
#define EVT_FETCHADDR 195, 53 /* FetchAddr bits [55:3] in place in DW3 */
/* 7.3.6 F_BAD_ATS_TREQ and 7.3.19 E_PAGE_REQUEST (InputAddr[63:12] at [191:140]). The
   F_BAD_ATS_TREQ figure is missing from the Markdown spec: Span as in E_PAGE_REQUEST, and the
   requested R/W/X/Priv at [103:100] in the order the text lists them. */
#define EVT_SPAN     108, 8
#define EVT_ATS_R    103, 1
#define EVT_ATS_W    102, 1
#define EVT_ATS_X    101, 1
#define EVT_ATS_PRIV 100, 1
#define EVT_PG_PR    103, 1 /* E_PAGE_REQUEST pR, pW, pX, uR, uW, uX */
#define EVT_PG_PW    102, 1
#define EVT_PG_PX    101, 1
#define EVT_PG_UR    99, 1
#define EVT_PG_UW    98, 1
#define EVT_PG_UX    97, 1

/* ---- 8 PRI queue records (128 bits) ---- */
#define PRIQ_SID    0, 32
#define PRIQ_SSID   32, 20
#define PRIQ_PRIV   58, 1
#define PRIQ_EXEC   59, 1
#define PRIQ_READ   60, 1
#define PRIQ_WRITE  61, 1
#define PRIQ_LAST   62, 1
#define PRIQ_SSV    63, 1
#define PRIQ_PRGIDX 64, 9
#define PRIQ_ADDR   76, 52 /* page address [63:12] in place in DW1 */

/* ---- D8.3 VMSAv8-64 translation table descriptors (64 bits) ---- */
#define DESC_VALID     0, 1
#define DESC_TABLE     1, 1 /* 1: table (levels 0-2) or page (level 3) */
#define DESC_ATTRINDX  2, 3 /* stage 1 */
#define DESC_S2MEMATTR 2, 4 /* stage 2 */
#define DESC_NS        5, 1
#define DESC_AP        6, 2 /* stage 1 AP[2:1] */
#define DESC_S2AP      6, 2 /* stage 2 S2AP[1:0] */
#define DESC_SH        8, 2
#define DESC_AF        10, 1
#define DESC_NG        11, 1
#define DESC_OA        12, 36 /* output address bits [47:12] in place (48-bit OA) */
#define DESC_OA_HI     12, 4  /* 64K granule, 52-bit OA: OA[51:48] in bits [15:12] */
#define DESC_DBM       51, 1
#define DESC_CONT      52, 1
#define DESC_PXN       53, 1 /* stage 1 */
#define DESC_UXN       54, 1 /* stage 1 UXN / XN */
#define DESC_XN        53, 2 /* stage 2 XN[1:0] (FEAT_XNX) */
#define DESC_S2XN      54, 1 /* stage 2 XN, FEAT_XNX not implemented (XN[1] only) */
#define DESC_PXNTABLE  59, 1
#define DESC_UXNTABLE  60, 1
#define DESC_APTABLE   61, 2
#define DESC_NSTABLE   63, 1

/* ---- 6.3 Registers ---- */
#define IDR0_S2P            0, 1
#define IDR0_S1P            1, 1
#define IDR0_TTF            2, 2
#define IDR0_COHACC         4, 1
#define IDR0_BTM            5, 1
#define IDR0_HTTU           6, 2
#define IDR0_DORMHINT       8, 1
#define IDR0_HYP            9, 1
#define IDR0_ATS            10, 1
#define IDR0_NS1ATS         11, 1
#define IDR0_ASID16         12, 1
#define IDR0_MSI            13, 1
#define IDR0_SEV            14, 1
#define IDR0_ATOS           15, 1
#define IDR0_PRI            16, 1
#define IDR0_VMW            17, 1
#define IDR0_VMID16         18, 1
#define IDR0_CD2L           19, 1
#define IDR0_VATOS          20, 1
#define IDR0_TTENDIAN       21, 2
#define IDR0_STALL_MODEL    24, 2
#define IDR0_TERM_MODEL     26, 1
#define IDR0_ST_LEVEL       27, 2
#define IDR1_SIDSIZE        0, 6
#define IDR1_SSIDSIZE       6, 5
#define IDR1_PRIQS          11, 5
#define IDR1_EVENTQS        16, 5
#define IDR1_CMDQS          21, 5
#define IDR1_ATTR_PERMS_OVR 26, 1
#define IDR1_ATTR_TYPES_OVR 27, 1
#define IDR1_REL            28, 1
#define IDR1_QUEUES_PRESET  29, 1
#define IDR1_TABLES_PRESET  30, 1
#define IDR3_HAD            2, 1
#define IDR3_PBHA           3, 1
#define IDR3_XNX            4, 1
#define IDR3_PPS            5, 1
#define IDR3_MPAM           7, 1
#define IDR3_FWB            8, 1
#define IDR3_STT            9, 1
#define IDR3_RIL            10, 1
#define IDR3_BBML           11, 2
#define IDR5_OAS            0, 3
#define IDR5_GRAN4K         4, 1
#define IDR5_GRAN16K        5, 1
#define IDR5_GRAN64K        6, 1
#define IDR5_VAX            10, 2
#define IDR5_STALL_MAX      16, 16
#define AIDR_ARCHMINORREV   0, 4
#define AIDR_ARCHMAJORREV   4, 4

#define CR0_SMMUEN            0, 1
#define CR0_PRIQEN            1, 1
#define CR0_EVENTQEN          2, 1
#define CR0_CMDQEN            3, 1
#define CR0_ATSCHK            4, 1
#define CR0_VMW               6, 3
#define CR1_QUEUE_IC          0, 2
#define CR1_QUEUE_OC          2, 2
#define CR1_QUEUE_SH          4, 2
#define CR1_TABLE_IC          6, 2
#define CR1_TABLE_OC          8, 2
#define CR1_TABLE_SH          10, 2
#define CR2_E2H               0, 1
#define CR2_RECINVSID         1, 1
#define CR2_PTM               2, 1
#define GBPA_MEMATTR          0, 4
#define GBPA_MTCFG            4, 1
#define GBPA_ALLOCCFG         8, 4
#define GBPA_SHCFG            12, 2
#define GBPA_PRIVCFG          16, 2
#define GBPA_INSTCFG          18, 2
#define GBPA_ABORT            20, 1
#define GBPA_UPDATE           31, 1
#define IRQ_CTRL_GERROR_IRQEN 0, 1
#define IRQ_CTRL_PRIQ_IRQEN   1, 1
#define IRQ_CTRL_EVENTQ_IRQEN 2, 1
#define STRTAB_BASE_ADDR      6, 50 /* address bits [55:6] */
#define STRTAB_BASE_RA        62, 1
#define STRTAB_CFG_LOG2SIZE   0, 6
#define STRTAB_CFG_SPLIT      6, 5
#define STRTAB_CFG_FMT        16, 2
#define Q_BASE_LOG2SIZE       0, 5
#define Q_BASE_ADDR           5, 51 /* address bits [55:5] */
#define Q_BASE_WA             62, 1 /* EVENTQ/PRIQ */
#define Q_BASE_RA             62, 1 /* CMDQ */
#define CMDQ_CONS_ERR         24, 7
#define Q_OVFLG               31, 1
#define IRQ_CFG0_ADDR         2, 54 /* address bits [55:2] */
#define IRQ_CFG2_SH           4, 2
#define IRQ_CFG2_MEMATTR      0, 4
#define IRQ_CFG1_DATA         0, 32
#define PRIQ_IRQ_CFG2_LO      31, 1
#define Q_IDX                 0, 20 /* PROD.WR / CONS.RD including the wrap bit, bits [19:0] */
#define Q_OVACKFLG            31, 1

#endif
