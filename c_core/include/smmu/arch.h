/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The SMMUv3 architecture's encodings, defined once: register fields, in-memory structures
 * (STE, CD, L1STD, L1CD, VMSAv8-64 descriptors), commands, event records and PRI records, with
 * the enumerated values the model compares against. The core, the driver, the TLM wrapper and
 * host software all decode through this header. Section numbers are of IHI 0070 (SMMUv3) and of
 * the Arm ARM chapter D8 (VMSAv8-64 translation table format).
 *
 * Naming:
 *   SMMU_F_<STRUCT>_<FIELD>   a field, as the pair "lsb, width". lsb counts from bit 0 of the
 *                             structure, as the spec numbers it (STE bit 64 is DW1 bit 0). STRUCT
 *                             is STE, CD, L1STD, L1CD, DESC (translation table descriptor), CMD,
 *                             EVT (event record), PRI (PRI queue record) or a register's name
 *                             without "SMMU_" (CR0, GBPA, STRTAB_BASE_CFG, ...); Q_BASE, Q (PROD
 *                             / CONS), IRQ_CFG0/1/2 name the layouts the three queues and the
 *                             three interrupt sources share. No field straddles a 64-bit word.
 *   SMMU_<STRUCT>_<FIELD>_<VALUE>   an enumerated value of a field, unshifted (compare it with
 *                             SMMU_FGET / SMMU_VGET, store it with SMMU_FSET / SMMU_VSET).
 *   SMMU_CMD_<OP>, SMMU_EVT_<EVENT>, SMMU_CERROR_<ERR>   command opcodes, event numbers and
 *                             command errors.
 * The masks of <smmu/regs.h> (SMMU_CR0_SMMUEN, SMMU_GERROR_CMDQ_ERR, ...) are defined from
 * these fields.
 *
 * Accessors, for an array of 64-bit words (a structure) and for one register value:
 *   uint64_t cfg = SMMU_FGET(ste, SMMU_F_STE_CONFIG);       // ste: const uint64_t[8]
 *   SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_SYNC);       // cmd: uint64_t[2]
 *   uint64_t n = SMMU_VGET(idr1, SMMU_F_IDR1_SIDSIZE);      // a 32- or 64-bit register value
 *   uint32_t m = SMMU_FMASK32(SMMU_F_CR0_SMMUEN);           // the field's mask, in place
 * Address fields hold address bit n at bit n of their word: SMMU_FADDR / SMMU_VADDR read the
 * address in place, SMMU_FSET_ADDR / SMMU_VSET_ADDR store one (bits outside the field dropped).
 * The macros expand the pair into the static inline functions below (shifts and masks). */
#ifndef SMMU_ARCH_H
#define SMMU_ARCH_H

#include <stdbool.h>
#include <stdint.h>

/* ------------------------------------------------------------------------------ accessors */

/* The low width bits set (all 64 for width >= 64). */
static inline uint64_t smmu_bits_mask(unsigned width) {
    return width >= 64 ? ~0ull : ((1ull << width) - 1);
}
/* Field [lsb + width - 1 : lsb] of a structure of 64-bit words. */
static inline uint64_t smmu_field_get(const uint64_t *dw, unsigned lsb, unsigned width) {
    return (dw[lsb / 64] >> (lsb % 64)) & smmu_bits_mask(width);
}
static inline void smmu_field_set(uint64_t *dw, unsigned lsb, unsigned width, uint64_t v) {
    uint64_t m = smmu_bits_mask(width) << (lsb % 64);
    dw[lsb / 64] = (dw[lsb / 64] & ~m) | ((v << (lsb % 64)) & m);
}
/* An address field of a structure, in place: the SMMU's layouts put address bit n at bit n of
   its word (e.g. CD.TTB0 bits [119:68] hold address bits [55:4]). */
static inline uint64_t smmu_field_addr(const uint64_t *dw, unsigned lsb, unsigned width) {
    return dw[lsb / 64] & (smmu_bits_mask(width) << (lsb % 64));
}
static inline void smmu_field_set_addr(uint64_t *dw, unsigned lsb, unsigned width, uint64_t addr) {
    smmu_field_set(dw, lsb, width, addr >> (lsb % 64));
}
/* The same for one 64-bit value (a register, a descriptor). */
static inline uint64_t smmu_val_get(uint64_t v, unsigned lsb, unsigned width) {
    return (v >> lsb) & smmu_bits_mask(width);
}
static inline uint64_t smmu_val_set(uint64_t v, unsigned lsb, unsigned width, uint64_t f) {
    uint64_t m = smmu_bits_mask(width) << lsb;
    return (v & ~m) | ((f << lsb) & m);
}
static inline uint64_t smmu_val_addr(uint64_t v, unsigned lsb, unsigned width) {
    return v & (smmu_bits_mask(width) << lsb);
}
static inline uint64_t smmu_val_set_addr(uint64_t v, unsigned lsb, unsigned width, uint64_t addr) {
    return smmu_val_set(v, lsb, width, addr >> lsb);
}

/* The macro forms take a field name (F expands to "lsb, width"); the *_ forms take the pair. */
#define SMMU_FGET_(dw, lsb, w)         smmu_field_get((dw), (lsb), (w))
#define SMMU_FSET_(dw, lsb, w, v)      smmu_field_set((dw), (lsb), (w), (v))
#define SMMU_FADDR_(dw, lsb, w)        smmu_field_addr((dw), (lsb), (w))
#define SMMU_FSET_ADDR_(dw, lsb, w, a) smmu_field_set_addr((dw), (lsb), (w), (a))
#define SMMU_VGET_(v, lsb, w)          smmu_val_get((v), (lsb), (w))
#define SMMU_VSET_(v, lsb, w, f)       smmu_val_set((v), (lsb), (w), (f))
#define SMMU_VADDR_(v, lsb, w)         smmu_val_addr((v), (lsb), (w))
#define SMMU_VSET_ADDR_(v, lsb, w, a)  smmu_val_set_addr((v), (lsb), (w), (a))
#define SMMU_FGET(dw, F)               SMMU_FGET_(dw, F)
#define SMMU_FSET(dw, F, v)            SMMU_FSET_(dw, F, v)
#define SMMU_FADDR(dw, F)              SMMU_FADDR_(dw, F)
#define SMMU_FSET_ADDR(dw, F, a)       SMMU_FSET_ADDR_(dw, F, a)
#define SMMU_VGET(v, F)                SMMU_VGET_(v, F)
#define SMMU_VSET(v, F, f)             SMMU_VSET_(v, F, f)
#define SMMU_VADDR(v, F)               SMMU_VADDR_(v, F)
#define SMMU_VSET_ADDR(v, F, a)        SMMU_VSET_ADDR_(v, F, a)
/* Constant expressions: the field's lsb, its width, and its all-ones mask in place, as an
   unsigned int for a field of a 32-bit register and as a uint64_t within its 64-bit word. */
#define SMMU_FLSB_(lsb, w)    (lsb)
#define SMMU_FWIDTH_(lsb, w)  (w)
#define SMMU_FMASK32_(lsb, w) ((0xFFFFFFFFu >> (32u - (w))) << (lsb))
#define SMMU_FMASK64_(lsb, w) ((UINT64_C(0xFFFFFFFFFFFFFFFF) >> (64u - (w))) << ((lsb) % 64u))
#define SMMU_FLSB(F)          SMMU_FLSB_(F)
#define SMMU_FWIDTH(F)        SMMU_FWIDTH_(F)
#define SMMU_FMASK32(F)       SMMU_FMASK32_(F)
#define SMMU_FMASK64(F)       SMMU_FMASK64_(F)

/* Shareability (the SH fields of descriptors, CD.SH0/1, STE.S1CSH/S2SH0, CR1.*_SH, IRQ_CFG2.SH)
   and cacheability (CD.IR0/OR0, STE.S1CIR/S1COR/S2IR0/S2OR0, CR1.*_IC/OC) encodings. */
enum { SMMU_SH_NSH = 0, SMMU_SH_OSH = 2, SMMU_SH_ISH = 3 };
#define SMMU_RGN_NC 0x0u /* Normal Non-cacheable */
#define SMMU_RGN_WB 0x1u /* Normal Write-Back cacheable */

/* Physical address sizes (IDR5.OAS, CD.IPS, STE.S2PS: 0b000 32 bits .. 0b110 52 bits; 0b111 is
   Reserved): the size an encoding gives (0 for the Reserved one), and the encoding of a size
   (-1 for none). */
static inline unsigned smmu_pa_size_bits(unsigned enc) {
    static const unsigned char bits[8] = {32, 36, 40, 42, 44, 48, 52, 0};
    return bits[enc & 7];
}
static inline int smmu_pa_size_enc(unsigned bits) {
    for (unsigned e = 0; e < 7; e++)
        if (smmu_pa_size_bits(e) == bits) return (int)e;
    return -1;
}

/* ---- 5.1 L1STD, Level 1 Stream Table Descriptor (64 bits) ---- */
#define SMMU_F_L1STD_SPAN   0, 5
#define SMMU_F_L1STD_L2PTR  6, 50 /* address bits [55:6] */
#define SMMU_L1STD_SPAN_MAX 11u   /* larger Span values are Reserved (invalid) */
#define SMMU_L1STD_BYTES    8u

/* ---- 5.2 STE, Stream Table Entry (512 bits) ---- */
#define SMMU_F_STE_V            0, 1
#define SMMU_F_STE_CONFIG       1, 3
#define SMMU_F_STE_S1FMT        4, 2
#define SMMU_F_STE_S1CONTEXTPTR 6, 50 /* address bits [55:6] */
#define SMMU_F_STE_S1CDMAX      59, 5
#define SMMU_F_STE_S1DSS        64, 2
#define SMMU_F_STE_S1CIR        66, 2
#define SMMU_F_STE_S1COR        68, 2
#define SMMU_F_STE_S1CSH        70, 2
#define SMMU_F_STE_DRE          76, 1
#define SMMU_F_STE_CONT         77, 4
#define SMMU_F_STE_DCP          81, 1
#define SMMU_F_STE_PPAR         82, 1
#define SMMU_F_STE_MEV          83, 1
#define SMMU_F_STE_S1PIE        88, 1
#define SMMU_F_STE_S2FWB        89, 1
#define SMMU_F_STE_S1MPAM       90, 1
#define SMMU_F_STE_S1STALLD     91, 1
#define SMMU_F_STE_EATS         92, 2
#define SMMU_F_STE_STRW         94, 2
#define SMMU_F_STE_MEMATTR      96, 4
#define SMMU_F_STE_MTCFG        100, 1
#define SMMU_F_STE_ALLOCCFG     101, 4
#define SMMU_F_STE_SHCFG        108, 2
#define SMMU_F_STE_NSCFG        110, 2
#define SMMU_F_STE_PRIVCFG      112, 2
#define SMMU_F_STE_INSTCFG      114, 2
#define SMMU_F_STE_S2VMID       128, 16
#define SMMU_F_STE_S2T0SZ       160, 6
#define SMMU_F_STE_S2SL0        166, 2
#define SMMU_F_STE_S2IR0        168, 2
#define SMMU_F_STE_S2OR0        170, 2
#define SMMU_F_STE_S2SH0        172, 2
#define SMMU_F_STE_S2TG         174, 2
#define SMMU_F_STE_S2PS         176, 3
#define SMMU_F_STE_S2AA64       179, 1
#define SMMU_F_STE_S2ENDI       180, 1
#define SMMU_F_STE_S2AFFD       181, 1
#define SMMU_F_STE_S2PTW        182, 1
#define SMMU_F_STE_S2HD         183, 1
#define SMMU_F_STE_S2HA         184, 1
#define SMMU_F_STE_S2S          185, 1
#define SMMU_F_STE_S2R          186, 1
#define SMMU_F_STE_S2HAFT       187, 1
#define SMMU_F_STE_S2PIE        188, 1
#define SMMU_F_STE_S2POE        189, 1
#define SMMU_F_STE_S2NSW        192, 1
#define SMMU_F_STE_S2NSA        193, 1
#define SMMU_F_STE_S2SL0_2      194, 1
#define SMMU_F_STE_S2DS         195, 1
#define SMMU_F_STE_S2TTB        196, 52 /* bits [247:196]: address bits [55:4] (in place) */
#define SMMU_F_STE_PARTID       272, 16 /* MPAM (17.2); RES0 without MPAM */
#define SMMU_F_STE_PMG          320, 8
#define SMMU_F_STE_MPAM_NS      328, 1  /* Secure STE with S_MPAMIDR.HAS_MPAM_NS (17.7) */
#define SMMU_F_STE_VMSPTR       332, 44 /* bits [375:332]: VMS address bits [55:12] (5.6) */
#define SMMU_STE_BYTES          64u

/* STE.Config: 0b0xx aborts (0b000, the others Reserved and behaving as it); 0b1xx lets traffic
   pass, with stage 1 translating when Config[0] is set and stage 2 when Config[1] is. */
#define SMMU_STE_CONFIG_ABORT    0x0u /* 0b000 */
#define SMMU_STE_CONFIG_BYPASS   0x4u /* 0b100 */
#define SMMU_STE_CONFIG_S1       0x5u /* 0b101: stage 1 translates, stage 2 bypassed */
#define SMMU_STE_CONFIG_S2       0x6u /* 0b110: stage 1 bypassed, stage 2 translates */
#define SMMU_STE_CONFIG_NESTED   0x7u /* 0b111: both stages translate */
#define SMMU_STE_CONFIG_PASS_BIT 0x4u /* Config[2] */
#define SMMU_STE_CONFIG_S1_BIT   0x1u /* Config[0] */
#define SMMU_STE_CONFIG_S2_BIT   0x2u /* Config[1] */
/* Config 0b1xx: traffic can pass (bypassed or translated); 0b0xx aborts. */
static inline bool smmu_ste_config_passes(unsigned config) {
    return (config & SMMU_STE_CONFIG_PASS_BIT) != 0;
}
/* STE.S1Fmt (0b11 is Reserved and behaves as 0b00) */
#define SMMU_STE_S1FMT_LINEAR   0x0u
#define SMMU_STE_S1FMT_2LVL_4K  0x1u /* 2-level, 4KB leaf tables of 64 CDs */
#define SMMU_STE_S1FMT_2LVL_64K 0x2u /* 2-level, 64KB leaf tables of 1024 CDs */
#define SMMU_STE_S1FMT_RESERVED 0x3u
/* STE.S1DSS: a transaction without SubstreamID (0b11 is Reserved and behaves as 0b00) */
#define SMMU_STE_S1DSS_TERMINATE 0x0u
#define SMMU_STE_S1DSS_BYPASS    0x1u
#define SMMU_STE_S1DSS_SSID0     0x2u
/* STE.EATS */
#define SMMU_STE_EATS_OFF   0x0u /* ATS Translation Requests fail, Translated traffic checked */
#define SMMU_STE_EATS_FULL  0x1u
#define SMMU_STE_EATS_SPLIT 0x2u /* split-stage: the device receives IPAs */
/* STE.STRW (StreamWorld; 0bx1 is Reserved and ILLEGAL) */
#define SMMU_STE_STRW_EL1          0x0u /* NS-EL1 */
#define SMMU_STE_STRW_EL2          0x2u /* NS-EL2, or NS-EL2-E2H with CR2.E2H */
#define SMMU_STE_STRW_RESERVED_BIT 0x1u
#define SMMU_STE_STRW_EL3          0x1u /* in a Secure STE: EL3 (5.2 STRW) */
/* STE.SHCFG (GBPA.SHCFG alike): 0b01 uses the incoming shareability; the others are SMMU_SH_* */
#define SMMU_STE_SHCFG_INCOMING 0x1u
/* STE.PRIVCFG, INSTCFG (GBPA alike): 0b0x use the incoming attribute, 0b1x override it with
   bit 0 */
#define SMMU_STE_PRIVCFG_UNPRIV    0x2u
#define SMMU_STE_PRIVCFG_PRIV      0x3u
#define SMMU_STE_INSTCFG_DATA      0x2u
#define SMMU_STE_INSTCFG_INSTR     0x3u
#define SMMU_STE_XCFG_OVERRIDE_BIT 0x2u
#define SMMU_STE_XCFG_VALUE_BIT    0x1u
/* STE.ALLOCCFG (GBPA alike): 0b1RWT replaces the allocation hints, 0b0xxx uses the incoming */
#define SMMU_STE_ALLOCCFG_REPLACE_BIT 0x8u

/* ---- 5.3 L1CD, Level 1 Context Descriptor (64 bits) ---- */
#define SMMU_F_L1CD_V     0, 1
#define SMMU_F_L1CD_L2PTR 12, 44 /* address bits [55:12] */
#define SMMU_L1CD_BYTES   8u

/* ---- 5.4 CD, Context Descriptor (512 bits) ---- */
#define SMMU_F_CD_T0SZ   0, 6
#define SMMU_F_CD_TG0    6, 2
#define SMMU_F_CD_IR0    8, 2
#define SMMU_F_CD_OR0    10, 2
#define SMMU_F_CD_SH0    12, 2
#define SMMU_F_CD_EPD0   14, 1
#define SMMU_F_CD_ENDI   15, 1
#define SMMU_F_CD_T1SZ   16, 6
#define SMMU_F_CD_TG1    22, 2
#define SMMU_F_CD_IR1    24, 2
#define SMMU_F_CD_OR1    26, 2
#define SMMU_F_CD_SH1    28, 2
#define SMMU_F_CD_EPD1   30, 1
#define SMMU_F_CD_V      31, 1
#define SMMU_F_CD_IPS    32, 3
#define SMMU_F_CD_AFFD   35, 1
#define SMMU_F_CD_WXN    36, 1
#define SMMU_F_CD_UWXN   37, 1
#define SMMU_F_CD_TBI0   38, 1
#define SMMU_F_CD_TBI1   39, 1
#define SMMU_F_CD_PAN    40, 1
#define SMMU_F_CD_AA64   41, 1
#define SMMU_F_CD_HD     42, 1
#define SMMU_F_CD_HA     43, 1
#define SMMU_F_CD_S      44, 1
#define SMMU_F_CD_R      45, 1
#define SMMU_F_CD_A      46, 1
#define SMMU_F_CD_ASET   47, 1
#define SMMU_F_CD_ASID   48, 16
#define SMMU_F_CD_NSCFG0 64, 1
#define SMMU_F_CD_HAD0   65, 1
#define SMMU_F_CD_E0PD0  66, 1
#define SMMU_F_CD_HAFT   67, 1  /* RES0 unless IDR0.HTTU == 0b11 */
#define SMMU_F_CD_TTB0   68, 52 /* bits [119:68]: address bits [55:4] */
#define SMMU_F_CD_NSCFG1 128, 1
#define SMMU_F_CD_HAD1   129, 1
#define SMMU_F_CD_E0PD1  130, 1
#define SMMU_F_CD_TTB1   132, 52 /* bits [183:132]: address bits [55:4] */
#define SMMU_F_CD_DS     186, 1
#define SMMU_F_CD_MAIR   192, 64 /* MAIR0 [223:192], MAIR1 [255:224] */
#define SMMU_F_CD_PARTID 352, 16 /* MPAM with STE.S1MPAM (17.2); nested: virtual, [4:0] */
#define SMMU_F_CD_PMG    368, 8
#define SMMU_CD_BYTES    64u
/* CD.TG0, and STE.S2TG which shares its encoding (0b11 Reserved); CD.TG1 (0b00 Reserved) */
#define SMMU_CD_TG0_4K  0x0u
#define SMMU_CD_TG0_64K 0x1u
#define SMMU_CD_TG0_16K 0x2u
#define SMMU_CD_TG1_16K 0x1u
#define SMMU_CD_TG1_4K  0x2u
#define SMMU_CD_TG1_64K 0x3u

/* ---- 4 Commands (128 bits) ---- */
#define SMMU_F_CMD_OPCODE       0, 8
#define SMMU_F_CMD_SSEC         10, 1
#define SMMU_F_CMD_SSID         12, 20 /* CMD_CFGI_CD */
#define SMMU_F_CMD_SID          32, 32 /* CMD_CFGI_STE, CMD_CFGI_CD */
#define SMMU_F_CMD_VMID         32, 16 /* CMD_TLBI_* */
#define SMMU_F_CMD_ASID         48, 16 /* CMD_TLBI_NH_ASID, CMD_TLBI_NH_VA */
#define SMMU_F_CMD_LEAF         64, 1
#define SMMU_F_CMD_RANGE        64, 5 /* CMD_CFGI_STE_RANGE / CMD_CFGI_ALL (31) */
#define SMMU_F_CMD_TLBI_NUM     12, 5
#define SMMU_F_CMD_TLBI_SCALE   20, 6
#define SMMU_F_CMD_TLBI_TTL     72, 2
#define SMMU_F_CMD_TLBI_TG      74, 2
#define SMMU_F_CMD_TLBI_ADDR    76, 52 /* VA[63:12] (CMD_TLBI_NH_VA*) */
#define SMMU_F_CMD_TLBI_IPA     76, 40 /* IPA[51:12] (CMD_TLBI_S2_IPA) */
#define SMMU_F_CMD_SYNC_CS      12, 2
#define SMMU_F_CMD_SYNC_MSH     22, 2
#define SMMU_F_CMD_SYNC_MSIATTR 24, 4
#define SMMU_F_CMD_SYNC_MSIDATA 32, 32
#define SMMU_F_CMD_SYNC_MSIADDR 66, 50 /* address bits [51:2] */
/* more command fields (4.2 - 4.7); bit 64 is DW1 bit 0 */
#define SMMU_F_CMD_ATC_GLOBAL      9, 1   /* CMD_ATC_INV */
#define SMMU_F_CMD_SSV             11, 1  /* PREFETCH_*, ATC_INV, PRI_RESP */
#define SMMU_F_CMD_RESUME_AC       12, 1  /* CMD_RESUME Action: 1 retry, 0 terminate */
#define SMMU_F_CMD_RESUME_AB       13, 1  /* CMD_RESUME Abort (when terminating) */
#define SMMU_F_CMD_TLBI_SCALE_DS   25, 1  /* SCALE[5]: RES0 unless IDR5.DS */
#define SMMU_F_CMD_TLBI_TTL128     71, 1  /* RES0 without 128-bit descriptors */
#define SMMU_F_CMD_PF_SIZE         64, 5  /* CMD_PREFETCH_ADDR */
#define SMMU_F_CMD_PF_STRIDE       69, 5  /* CMD_PREFETCH_ADDR, RES0 in SMMUv3.0 */
#define SMMU_F_CMD_PF_ADDR         76, 52 /* VA[63:12] */
#define SMMU_F_CMD_ATC_SIZE        64, 6  /* CMD_ATC_INV */
#define SMMU_F_CMD_ATC_ADDR        76, 52 /* Address[63:12] */
#define SMMU_F_CMD_PRI_GRPID       64, 9  /* CMD_PRI_RESP PRGIndex */
#define SMMU_F_CMD_PRI_RESP        76, 2
#define SMMU_F_CMD_RESUME_STAG     64, 16
#define SMMU_F_CMD_SYNC_MSIADDR_HI 116, 4 /* address bits [55:52] */
#define SMMU_CMD_BYTES             16u

/* Command opcodes (4.1.2), for host software building commands. */
#define SMMU_CMD_PREFETCH_CONFIG 0x01u
#define SMMU_CMD_PREFETCH_ADDR   0x02u
#define SMMU_CMD_CFGI_STE        0x03u
#define SMMU_CMD_CFGI_STE_RANGE  0x04u /* CMD_CFGI_ALL is this with Range == 31 */
#define SMMU_CMD_CFGI_ALL        0x04u
#define SMMU_CMD_CFGI_CD         0x05u
#define SMMU_CMD_CFGI_CD_ALL     0x06u
#define SMMU_CMD_CFGI_VMS_PIDM   0x07u /* 4.3.5: VMID in SMMU_F_CMD_VMID */
#define SMMU_CMD_TLBI_NH_ALL     0x10u
#define SMMU_CMD_TLBI_NH_ASID    0x11u
#define SMMU_CMD_TLBI_NH_VA      0x12u
#define SMMU_CMD_TLBI_NH_VAA     0x13u
#define SMMU_CMD_TLBI_EL3_ALL    0x18u /* Secure Command queue only (4.4.2.5) */
#define SMMU_CMD_TLBI_EL3_VA     0x1Au /* Secure Command queue only (4.4.2.6) */
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
/* CMD_CFGI_STE_RANGE Range that makes it CMD_CFGI_ALL (4.3.2) */
#define SMMU_CMD_RANGE_ALL 31u
/* CMD_TLBI_* TG (4.4.1.1): 0b00 no range and no TTL hint */
#define SMMU_CMD_TLBI_TG_NONE 0x0u
#define SMMU_CMD_TLBI_TG_4K   0x1u
#define SMMU_CMD_TLBI_TG_16K  0x2u
#define SMMU_CMD_TLBI_TG_64K  0x3u
/* CMD_PRI_RESP Resp (4.5.2; 0b11 is Reserved and ILLEGAL) */
#define SMMU_CMD_PRI_RESP_FAILURE  0x0u
#define SMMU_CMD_PRI_RESP_INVALID  0x1u
#define SMMU_CMD_PRI_RESP_SUCCESS  0x2u
#define SMMU_CMD_PRI_RESP_RESERVED 0x3u
/* CMD_SYNC ComplSignal (4.7.3; 0b11 is Reserved and ILLEGAL) */
#define SMMU_CMD_SYNC_CS_NONE     0x0u
#define SMMU_CMD_SYNC_CS_IRQ      0x1u
#define SMMU_CMD_SYNC_CS_SEV      0x2u
#define SMMU_CMD_SYNC_CS_RESERVED 0x3u

/* ---- 7.1 Command queue errors: SMMU_CMDQ_CONS.ERR ---- */
#define SMMU_CERROR_NONE         0u
#define SMMU_CERROR_ILL          1u
#define SMMU_CERROR_ABT          2u
#define SMMU_CERROR_ATC_INV_SYNC 3u

/* ---- 7.3 Event records (256 bits) ---- */
#define SMMU_F_EVT_TYPE      0, 8
#define SMMU_F_EVT_SSV       11, 1
#define SMMU_F_EVT_SSID      12, 20
#define SMMU_F_EVT_SID       32, 32
#define SMMU_F_EVT_STAG      64, 16
#define SMMU_F_EVT_STALL     95, 1
#define SMMU_F_EVT_PNU       97, 1
#define SMMU_F_EVT_IND       98, 1
#define SMMU_F_EVT_RNW       99, 1
#define SMMU_F_EVT_S2        103, 1
#define SMMU_F_EVT_CLASS     104, 2
#define SMMU_F_EVT_TTRNW     108, 1
#define SMMU_F_EVT_INPUTADDR 128, 64
#define SMMU_F_EVT_IPA       204, 44 /* IPA bits [55:12] in place in DW3 */
#define SMMU_F_EVT_FETCHADDR 195, 53 /* FetchAddr bits [55:3] in place in DW3 */
/* 7.3.6 F_BAD_ATS_TREQ and 7.3.19 E_PAGE_REQUEST (InputAddr[63:12] at [191:140]). The
   F_BAD_ATS_TREQ figure is missing from the Markdown spec: Span as in E_PAGE_REQUEST, and the
   requested R/W/X/Priv at [103:100] in the order the text lists them. */
#define SMMU_F_EVT_SPAN     108, 8
#define SMMU_F_EVT_ATS_R    103, 1
#define SMMU_F_EVT_ATS_W    102, 1
#define SMMU_F_EVT_ATS_X    101, 1
#define SMMU_F_EVT_ATS_PRIV 100, 1
#define SMMU_F_EVT_PG_PR    103, 1 /* E_PAGE_REQUEST pR, pW, pX, uR, uW, uX */
#define SMMU_F_EVT_PG_PW    102, 1
#define SMMU_F_EVT_PG_PX    101, 1
#define SMMU_F_EVT_PG_UR    99, 1
#define SMMU_F_EVT_PG_UW    98, 1
#define SMMU_F_EVT_PG_UX    97, 1
#define SMMU_EVT_BYTES      32u

/* Event numbers (7.3), the record's TYPE. */
enum {
    SMMU_EVT_F_UUT = 0x01,
    SMMU_EVT_C_BAD_STREAMID = 0x02,
    SMMU_EVT_F_STE_FETCH = 0x03,
    SMMU_EVT_C_BAD_STE = 0x04,
    SMMU_EVT_F_BAD_ATS_TREQ = 0x05,
    SMMU_EVT_F_STREAM_DISABLED = 0x06,
    SMMU_EVT_F_TRANSL_FORBIDDEN = 0x07,
    SMMU_EVT_C_BAD_SUBSTREAMID = 0x08,
    SMMU_EVT_F_CD_FETCH = 0x09,
    SMMU_EVT_C_BAD_CD = 0x0A,
    SMMU_EVT_F_WALK_EABT = 0x0B,
    SMMU_EVT_F_TRANSLATION = 0x10,
    SMMU_EVT_F_ADDR_SIZE = 0x11,
    SMMU_EVT_F_ACCESS = 0x12,
    SMMU_EVT_F_PERMISSION = 0x13,
    SMMU_EVT_F_TLB_CONFLICT = 0x20,
    SMMU_EVT_F_CFG_CONFLICT = 0x21,
    SMMU_EVT_E_PAGE_REQUEST = 0x24,
    SMMU_EVT_F_VMS_FETCH = 0x25,
};

/* Fault CLASS (7.3): what the access that faulted was doing. */
enum { SMMU_CLASS_CD = 0, SMMU_CLASS_TT = 1, SMMU_CLASS_IN = 2 };

/* ---- 9.1, 6.3.37-6.3.40 ATOS register groups (SMMU_GATOS_*; the other ATOS_ groups alike) */
#define SMMU_F_ATOS_CTRL_RUN        0, 1
#define SMMU_F_ATOS_SID_STREAMID    0, 32
#define SMMU_F_ATOS_SID_SUBSTREAMID 32, 20
#define SMMU_F_ATOS_SID_SSID_VALID  52, 1
#define SMMU_F_ATOS_ADDR_HTTUI      6, 1
#define SMMU_F_ATOS_ADDR_IND        7, 1
#define SMMU_F_ATOS_ADDR_RNW        8, 1
#define SMMU_F_ATOS_ADDR_PNU        9, 1
#define SMMU_F_ATOS_ADDR_TYPE       10, 2
#define SMMU_F_ATOS_ADDR_ADDR       12, 52
/* ATOS_PAR with FAULT == 0 */
#define SMMU_F_ATOS_PAR_FAULT 0, 1
#define SMMU_F_ATOS_PAR_SH    8, 2
#define SMMU_F_ATOS_PAR_SIZE  11, 1
#define SMMU_F_ATOS_PAR_ADDR  12, 44
#define SMMU_F_ATOS_PAR_ATTR  56, 8
/* ATOS_PAR with FAULT == 1 */
#define SMMU_F_ATOS_PAR_REASON    1, 2
#define SMMU_F_ATOS_PAR_FAULTCODE 4, 8
#define SMMU_F_ATOS_PAR_FADDR     12, 44
/* ATOS_ADDR.TYPE (9.1.3): 0b00 Reserved (INV_REQ) */
enum { SMMU_ATOS_TYPE_S1 = 1, SMMU_ATOS_TYPE_S2 = 2, SMMU_ATOS_TYPE_S12 = 3 };
/* ATOS_PAR.REASON (6.3.40): stage 1 / misc, stage 2 because of a CD fetch, a stage-1 table
   walk, the input address */
enum {
    SMMU_ATOS_REASON_S1 = 0,
    SMMU_ATOS_REASON_CD = 1,
    SMMU_ATOS_REASON_TT = 2,
    SMMU_ATOS_REASON_IN = 3
};
/* ATOS_PAR.FAULTCODE (9.1.5): the event numbers above, and the ATOS-only errors */
enum { SMMU_ATOS_INV_REQ = 0xFF, SMMU_ATOS_INV_STAGE = 0xFE, SMMU_ATOS_INTERNAL_ERR = 0xFD };
/* 6.3.84 SMMU_S_GATOS_SID.SSEC, 6.3.86 SMMU_S_GATOS_PAR.NS (RES0 in SMMU_GATOS_PAR) */
#define SMMU_F_S_GATOS_SID_SSEC 53, 1
#define SMMU_F_S_GATOS_PAR_NS   10, 1

/* ---- 8 PRI queue records (128 bits) ---- */
#define SMMU_F_PRI_SID    0, 32
#define SMMU_F_PRI_SSID   32, 20
#define SMMU_F_PRI_PRIV   58, 1
#define SMMU_F_PRI_EXEC   59, 1
#define SMMU_F_PRI_READ   60, 1
#define SMMU_F_PRI_WRITE  61, 1
#define SMMU_F_PRI_LAST   62, 1
#define SMMU_F_PRI_SSV    63, 1
#define SMMU_F_PRI_PRGIDX 64, 9
#define SMMU_F_PRI_ADDR   76, 52 /* page address [63:12] in place in DW1 */
#define SMMU_PRI_BYTES    16u

/* ---- D8.3 VMSAv8-64 translation table descriptors (64 bits) ---- */
#define SMMU_F_DESC_VALID     0, 1
#define SMMU_F_DESC_TABLE     1, 1 /* 1: table (levels 0-2) or page (level 3) */
#define SMMU_F_DESC_ATTRINDX  2, 3 /* stage 1 */
#define SMMU_F_DESC_S2MEMATTR 2, 4 /* stage 2 */
#define SMMU_F_DESC_NS        5, 1
#define SMMU_F_DESC_AP        6, 2 /* stage 1 AP[2:1] */
#define SMMU_F_DESC_S2AP      6, 2 /* stage 2 S2AP[1:0] */
#define SMMU_F_DESC_SH        8, 2
#define SMMU_F_DESC_AF        10, 1
#define SMMU_F_DESC_NG        11, 1
#define SMMU_F_DESC_NT        16, 1  /* Block descriptors (3.21.1; Arm ARM D8.3.1.2, D8.17.2) */
#define SMMU_F_DESC_OA        12, 36 /* output address bits [47:12] in place (48-bit OA) */
#define SMMU_F_DESC_OA_HI     12, 4  /* 64K granule, 52-bit OA: OA[51:48] in bits [15:12] */
#define SMMU_F_DESC_OA_DS     12, 38 /* 4K/16K with DS (FEAT_LPA2): OA[49:12] in place */
#define SMMU_F_DESC_OA_DS_HI  8, 2   /* 4K/16K with DS: OA[51:50] in bits [9:8] (not SH) */
#define SMMU_F_DESC_DBM       51, 1
#define SMMU_F_DESC_CONT      52, 1
#define SMMU_F_DESC_PXN       53, 1 /* stage 1 */
#define SMMU_F_DESC_UXN       54, 1 /* stage 1 UXN / XN */
#define SMMU_F_DESC_XN        53, 2 /* stage 2 XN[1:0] (FEAT_XNX) */
#define SMMU_F_DESC_S2XN      54, 1 /* stage 2 XN, FEAT_XNX not implemented (XN[1] only) */
#define SMMU_F_DESC_PXNTABLE  59, 1
#define SMMU_F_DESC_UXNTABLE  60, 1
#define SMMU_F_DESC_APTABLE   61, 2
#define SMMU_F_DESC_NSTABLE   63, 1
/* The bits of AP[2:1] (D8.4.1.2), APTable[1:0] and stage-2 S2AP[1:0] (D8.4.2.1) */
#define SMMU_DESC_AP_RO          0x2u /* AP[2]: read-only */
#define SMMU_DESC_AP_EL0         0x1u /* AP[1]: unprivileged (EL0) access */
#define SMMU_DESC_APTABLE_RO     0x2u /* APTable[1]: no write access below */
#define SMMU_DESC_APTABLE_NO_EL0 0x1u /* APTable[0]: no unprivileged access below */
#define SMMU_DESC_S2AP_W         0x2u
#define SMMU_DESC_S2AP_R         0x1u

/* ---- 6.3 Registers ---- */
/* 6.3.1 SMMU_IDR0 */
#define SMMU_F_IDR0_S2P           0, 1
#define SMMU_F_IDR0_S1P           1, 1
#define SMMU_F_IDR0_TTF           2, 2
#define SMMU_F_IDR0_COHACC        4, 1
#define SMMU_F_IDR0_BTM           5, 1
#define SMMU_F_IDR0_HTTU          6, 2
#define SMMU_F_IDR0_DORMHINT      8, 1
#define SMMU_F_IDR0_HYP           9, 1
#define SMMU_F_IDR0_ATS           10, 1
#define SMMU_F_IDR0_NS1ATS        11, 1
#define SMMU_F_IDR0_ASID16        12, 1
#define SMMU_F_IDR0_MSI           13, 1
#define SMMU_F_IDR0_SEV           14, 1
#define SMMU_F_IDR0_ATOS          15, 1
#define SMMU_F_IDR0_PRI           16, 1
#define SMMU_F_IDR0_VMW           17, 1
#define SMMU_F_IDR0_VMID16        18, 1
#define SMMU_F_IDR0_CD2L          19, 1
#define SMMU_F_IDR0_VATOS         20, 1
#define SMMU_F_IDR0_TTENDIAN      21, 2
#define SMMU_F_IDR0_STALL_MODEL   24, 2
#define SMMU_F_IDR0_TERM_MODEL    26, 1
#define SMMU_F_IDR0_ST_LEVEL      27, 2
#define SMMU_IDR0_TTF_AARCH64     0x2u /* TTF bit: VMSAv8-64 tables (0b10, 0b11) */
#define SMMU_IDR0_TTENDIAN_MIXED  0x0u
#define SMMU_IDR0_TTENDIAN_LE     0x2u
#define SMMU_IDR0_ST_LEVEL_LINEAR 0x0u
#define SMMU_IDR0_ST_LEVEL_2LVL   0x1u
/* IDR0.HTTU (3.13): no updates; Access flag; Access flag and dirty state; and Table AF (HAFT) */
#define SMMU_IDR0_HTTU_NONE     0x0u
#define SMMU_IDR0_HTTU_AF       0x1u
#define SMMU_IDR0_HTTU_AF_DIRTY 0x2u
#define SMMU_IDR0_HTTU_HAFT     0x3u
/* IDR0.STALL_MODEL */
enum { SMMU_STALL_MODEL_BOTH = 0, SMMU_STALL_MODEL_TERMINATE = 1, SMMU_STALL_MODEL_STALL = 2 };
/* 6.3.2 SMMU_IDR1 */
#define SMMU_F_IDR1_SIDSIZE        0, 6
#define SMMU_F_IDR1_SSIDSIZE       6, 5
#define SMMU_F_IDR1_PRIQS          11, 5
#define SMMU_F_IDR1_EVENTQS        16, 5
#define SMMU_F_IDR1_CMDQS          21, 5
#define SMMU_F_IDR1_ATTR_PERMS_OVR 26, 1
#define SMMU_F_IDR1_ATTR_TYPES_OVR 27, 1
#define SMMU_F_IDR1_REL            28, 1
#define SMMU_F_IDR1_QUEUES_PRESET  29, 1
#define SMMU_F_IDR1_TABLES_PRESET  30, 1
#define SMMU_Q_LOG2SIZE_MAX        19u /* CMDQS, EVENTQS, PRIQS: at most 2^19 entries */
/* 6.3.4 SMMU_IDR3 */
#define SMMU_F_IDR3_HAD    2, 1
#define SMMU_F_IDR3_PBHA   3, 1
#define SMMU_F_IDR3_XNX    4, 1
#define SMMU_F_IDR3_PPS    5, 1
#define SMMU_F_IDR3_MPAM   7, 1
#define SMMU_F_IDR3_FWB    8, 1
#define SMMU_F_IDR3_STT    9, 1
#define SMMU_F_IDR3_RIL    10, 1
#define SMMU_F_IDR3_BBML   11, 2
#define SMMU_F_IDR3_E0PD   13, 1
#define SMMU_F_IDR3_PTWNNC 14, 1
/* 6.3.6 SMMU_IDR5 */
#define SMMU_F_IDR5_OAS       0, 3
#define SMMU_F_IDR5_GRAN4K    4, 1
#define SMMU_F_IDR5_GRAN16K   5, 1
#define SMMU_F_IDR5_GRAN64K   6, 1
#define SMMU_F_IDR5_DS        7, 1 /* 52-bit sizes with 4KB/16KB granules (FEAT_LPA2) */
#define SMMU_F_IDR5_VAX       10, 2
#define SMMU_IDR5_VAX_48      0x0u /* VAs of up to 48 bits per CD.TTBx */
#define SMMU_IDR5_VAX_52      0x1u /* VAs of up to 52 bits per CD.TTBx (SMMUv3.1-VAX) */
#define SMMU_F_IDR5_STALL_MAX 16, 16
/* 6.3.8 SMMU_AIDR */
#define SMMU_F_AIDR_ARCHMINORREV 0, 4
#define SMMU_F_AIDR_ARCHMAJORREV 4, 4
/* AIDR.ArchMinorRev values (ArchMajorRev 0b0000 is SMMUv3.x) */
#define SMMU_AIDR_V3_0 0u
#define SMMU_AIDR_V3_1 1u
#define SMMU_AIDR_V3_2 2u
#define SMMU_AIDR_V3_3 3u
#define SMMU_AIDR_V3_4 4u
/* 6.3.9 SMMU_CR0 (6.3.10 CR0ACK alike) */
#define SMMU_F_CR0_SMMUEN   0, 1
#define SMMU_F_CR0_PRIQEN   1, 1
#define SMMU_F_CR0_EVENTQEN 2, 1
#define SMMU_F_CR0_CMDQEN   3, 1
#define SMMU_F_CR0_ATSCHK   4, 1
#define SMMU_F_CR0_VMW      6, 3
/* 6.3.11 SMMU_CR1 */
#define SMMU_F_CR1_QUEUE_IC 0, 2
#define SMMU_F_CR1_QUEUE_OC 2, 2
#define SMMU_F_CR1_QUEUE_SH 4, 2
#define SMMU_F_CR1_TABLE_IC 6, 2
#define SMMU_F_CR1_TABLE_OC 8, 2
#define SMMU_F_CR1_TABLE_SH 10, 2
/* 6.3.12 SMMU_CR2 */
#define SMMU_F_CR2_E2H       0, 1
#define SMMU_F_CR2_RECINVSID 1, 1
#define SMMU_F_CR2_PTM       2, 1
/* 6.3.14 SMMU_GBPA (encodings as the STE's MTCFG, ALLOCCFG, SHCFG, PRIVCFG, INSTCFG) */
#define SMMU_F_GBPA_MEMATTR  0, 4
#define SMMU_F_GBPA_MTCFG    4, 1
#define SMMU_F_GBPA_ALLOCCFG 8, 4
#define SMMU_F_GBPA_SHCFG    12, 2
#define SMMU_F_GBPA_PRIVCFG  16, 2
#define SMMU_F_GBPA_INSTCFG  18, 2
#define SMMU_F_GBPA_ABORT    20, 1
#define SMMU_F_GBPA_UPDATE   31, 1
#define SMMU_F_GBPA_NSCFG    14, 2 /* SMMU_S_GBPA only (6.3.63): as STE.NSCFG */
/* 6.3.52 SMMU_S_IDR0 (MSI and STALL_MODEL where SMMU_IDR0 has them) */
#define SMMU_F_S_IDR0_MSI         13, 1
#define SMMU_F_S_IDR0_STALL_MODEL 24, 2
#define SMMU_F_S_IDR0_ECMDQ       31, 1
/* 6.3.53 SMMU_S_IDR1 */
#define SMMU_F_S_IDR1_S_SIDSIZE   0, 6
#define SMMU_F_S_IDR1_SEL2        29, 1
#define SMMU_F_S_IDR1_SECURE_IMPL 31, 1
/* 6.3.57 SMMU_S_CR0 (6.3.58 S_CR0ACK alike): SMMUEN, EVENTQEN, CMDQEN as SMMU_CR0's */
#define SMMU_F_S_CR0_SIF      5, 1
#define SMMU_F_S_CR0_NSSTALLD 9, 1
/* 6.3.62 SMMU_S_INIT */
#define SMMU_F_S_INIT_INV_ALL 0, 1
/* 6.3.41 SMMU_MPAMIDR (RO) */
#define SMMU_F_MPAMIDR_PARTID_MAX  0, 16
#define SMMU_F_MPAMIDR_PMG_MAX     16, 8
#define SMMU_F_MPAMIDR_HAS_MPAM_NS 25, 1 /* 6.3.87 SMMU_S_MPAMIDR only (SMMUv3.3-MPAM_NS) */
/* 6.3.42 SMMU_GMPAM: SMMU-originated accesses (17.4); Update as GBPA's */
#define SMMU_F_GMPAM_SO_PARTID 0, 16
#define SMMU_F_GMPAM_SO_PMG    16, 8
#define SMMU_F_GMPAM_MPAM_NS   24, 1 /* 6.3.88, 6.3.89: S_GMPAM, S_GBPMPAM with HAS_MPAM_NS */
#define SMMU_F_GMPAM_UPDATE    31, 1
/* 6.3.43 SMMU_GBPMPAM: client transactions in global bypass (17.2); Update as GBPA's */
#define SMMU_F_GBPMPAM_GBP_PARTID 0, 16
#define SMMU_F_GBPMPAM_GBP_PMG    16, 8
#define SMMU_F_GBPMPAM_UPDATE     31, 1
/* 5.6 VMS: PARTID_MAP, 32 little-endian 16-bit physical PARTIDs at offset 0, indexed by the
   virtual PARTID CD.PARTID[4:0] */
#define SMMU_VMS_PARTID_MAP_ENTRIES 32u
#define SMMU_VMS_BYTES              4096u
/* 6.3.16 SMMU_IRQ_CTRL (6.3.18 IRQ_CTRLACK alike) */
#define SMMU_F_IRQ_CTRL_GERROR_IRQEN 0, 1
#define SMMU_F_IRQ_CTRL_PRIQ_IRQEN   1, 1
#define SMMU_F_IRQ_CTRL_EVENTQ_IRQEN 2, 1
/* 6.3.19 SMMU_GERROR (6.3.20 GERRORN alike) */
#define SMMU_F_GERROR_CMDQ_ERR           0, 1
#define SMMU_F_GERROR_EVENTQ_ABT_ERR     2, 1
#define SMMU_F_GERROR_PRIQ_ABT_ERR       3, 1
#define SMMU_F_GERROR_MSI_CMDQ_ABT_ERR   4, 1
#define SMMU_F_GERROR_MSI_EVENTQ_ABT_ERR 5, 1
#define SMMU_F_GERROR_MSI_PRIQ_ABT_ERR   6, 1
#define SMMU_F_GERROR_MSI_GERROR_ABT_ERR 7, 1
#define SMMU_F_GERROR_SFM_ERR            8, 1
/* 6.3.21, 6.3.30, 6.3.34 SMMU_{GERROR,EVENTQ,PRIQ}_IRQ_CFG0; 6.3.22, 6.3.31, 6.3.35 *_IRQ_CFG1;
   6.3.23, 6.3.32, 6.3.36 *_IRQ_CFG2 */
#define SMMU_F_IRQ_CFG0_ADDR    2, 54 /* address bits [55:2] */
#define SMMU_F_IRQ_CFG1_DATA    0, 32
#define SMMU_F_IRQ_CFG2_MEMATTR 0, 4
#define SMMU_F_IRQ_CFG2_SH      4, 2
/* IRQ_CFG2.MEMATTR is encoded as STE.MemAttr (6.3.23): 0b0001 Device-nGnRE */
#define SMMU_MEMATTR_DEVICE_NGNRE 0x1u
#define SMMU_F_PRIQ_IRQ_CFG2_LO   31, 1
/* 6.3.24 SMMU_STRTAB_BASE */
#define SMMU_F_STRTAB_BASE_ADDR 6, 50 /* address bits [55:6] */
#define SMMU_F_STRTAB_BASE_RA   62, 1
/* 6.3.25 SMMU_STRTAB_BASE_CFG */
#define SMMU_F_STRTAB_BASE_CFG_LOG2SIZE 0, 6
#define SMMU_F_STRTAB_BASE_CFG_SPLIT    6, 5
#define SMMU_F_STRTAB_BASE_CFG_FMT      16, 2
#define SMMU_STRTAB_BASE_CFG_FMT_LINEAR 0x0u
#define SMMU_STRTAB_BASE_CFG_FMT_2LVL   0x1u
/* 6.3.26 SMMU_CMDQ_BASE, 6.3.29 SMMU_EVENTQ_BASE, 6.3.33 SMMU_PRIQ_BASE: one layout */
#define SMMU_F_Q_BASE_LOG2SIZE    0, 5
#define SMMU_F_Q_BASE_ADDR        5, 51 /* address bits [55:5] */
#define SMMU_F_CMDQ_BASE_LOG2SIZE SMMU_F_Q_BASE_LOG2SIZE
#define SMMU_F_CMDQ_BASE_ADDR     SMMU_F_Q_BASE_ADDR
#define SMMU_F_CMDQ_BASE_RA       62, 1
#define SMMU_F_EVENTQ_BASE_WA     62, 1
#define SMMU_F_PRIQ_BASE_WA       62, 1
/* 6.3.27, 6.3.28 SMMU_CMDQ_PROD / CONS, 6.3.95 - 6.3.98 SMMU_{EVENTQ,PRIQ}_PROD / CONS: the
   index WR / RD with its wrap bit (bit LOG2SIZE of the queue's *_BASE) */
#define SMMU_F_Q_IDX         0, 20
#define SMMU_F_Q_OVFLG       31, 1 /* EVENTQ_PROD, PRIQ_PROD */
#define SMMU_F_Q_OVACKFLG    31, 1 /* EVENTQ_CONS, PRIQ_CONS */
#define SMMU_F_CMDQ_CONS_ERR 24, 7 /* SMMU_CERROR_* */
/* The entry a PROD / CONS value points at in a queue of 2^log2size entries. */
static inline uint32_t smmu_q_index(uint32_t ptr, unsigned log2size) {
    return ptr & (uint32_t)smmu_bits_mask(log2size);
}

/* --------------------------------------- Performance Monitor Counter Groups (chapter 10) */
/* 10.3 architected event numbers (SMMU_PMCG_EVTYPERn.EVENT); 0x80 and up are IMPLEMENTATION
   DEFINED. Every event but the clock can be filtered by StreamID (10.3, 10.4). */
#define SMMU_PMCG_EV_CYCLES         0x0u /* clock cycle */
#define SMMU_PMCG_EV_TRANSACTION    0x1u /* transaction or translation request */
#define SMMU_PMCG_EV_TLB_MISS       0x2u /* TLB miss of a transaction or request */
#define SMMU_PMCG_EV_CFG_MISS       0x3u /* configuration cache miss */
#define SMMU_PMCG_EV_WALK_ACCESS    0x4u /* translation table walk access */
#define SMMU_PMCG_EV_CFG_ACCESS     0x5u /* configuration structure access */
#define SMMU_PMCG_EV_ATS_TREQ       0x6u /* PCIe ATS Translation Request received */
#define SMMU_PMCG_EV_ATS_TRANSLATED 0x7u /* PCIe ATS Translated transaction passed through */
/* 10.5.2.2 SMMU_PMCG_EVTYPERn */
#define SMMU_F_PMCG_EVTYPER_EVENT           0, 16
#define SMMU_F_PMCG_EVTYPER_FILTER_SID_SPAN 29, 1
#define SMMU_F_PMCG_EVTYPER_FILTER_SEC_SID  30, 1
#define SMMU_F_PMCG_EVTYPER_OVFCAP          31, 1
/* 10.5.2.4 SMMU_PMCG_SMRn (StreamID form) */
#define SMMU_F_PMCG_SMR_STREAMID 0, 32
/* 10.5.2.11 SMMU_PMCG_CAPR */
#define SMMU_F_PMCG_CAPR_CAPTURE 0, 1
/* 10.5.2.12 SMMU_PMCG_SCR */
#define SMMU_F_PMCG_SCR_SO           0, 1
#define SMMU_F_PMCG_SCR_NSRA         1, 1
#define SMMU_F_PMCG_SCR_NSMSI        2, 1
#define SMMU_F_PMCG_SCR_MSI_MPAM_NS  3, 1 /* with PMCG_S_MPAMIDR.HAS_MPAM_NS (17.5) */
#define SMMU_F_PMCG_SCR_READS_AS_ONE 31, 1
/* 10.5.2.13 SMMU_PMCG_CFGR */
#define SMMU_F_PMCG_CFGR_NCTR              0, 6 /* counters - 1 */
#define SMMU_F_PMCG_CFGR_SIZE              8, 6 /* counter bits - 1 */
#define SMMU_F_PMCG_CFGR_RELOC_CTRS        20, 1
#define SMMU_F_PMCG_CFGR_MSI               21, 1
#define SMMU_F_PMCG_CFGR_CAPTURE           22, 1
#define SMMU_F_PMCG_CFGR_SID_FILTER_TYPE   23, 1
#define SMMU_F_PMCG_CFGR_MPAM              24, 1
#define SMMU_F_PMCG_CFGR_FILTER_PARTID_PMG 25, 1
/* 10.5.2.14 SMMU_PMCG_CR */
#define SMMU_F_PMCG_CR_E 0, 1
/* 10.5.2.19 SMMU_PMCG_IRQ_CTRL, 10.5.2.20 IRQ_CTRLACK */
#define SMMU_F_PMCG_IRQ_CTRL_IRQEN 0, 1
/* 10.5.2.21 - 10.5.2.23 SMMU_PMCG_IRQ_CFG0/1/2: the layouts of SMMU_F_IRQ_CFG0_ADDR,
   SMMU_F_IRQ_CFG1_DATA, SMMU_F_IRQ_CFG2_MEMATTR / _SH (6.3.21 - 6.3.23) */
/* 10.5.2.24 SMMU_PMCG_IRQ_STATUS */
#define SMMU_F_PMCG_IRQ_STATUS_IRQ_ABT 0, 1
/* 10.5.2.25 SMMU_PMCG_GMPAM: PMCG MSIs (17.5); Update as SMMU_GMPAM's */
#define SMMU_F_PMCG_GMPAM_PO_PARTID 0, 16
#define SMMU_F_PMCG_GMPAM_PO_PMG    16, 8
#define SMMU_F_PMCG_GMPAM_UPDATE    31, 1
/* 10.5.2.26 SMMU_PMCG_AIDR: the layout of SMMU_F_AIDR_* (6.3.8) */
/* 10.5.2.27 SMMU_PMCG_MPAMIDR, 10.5.2.28 SMMU_PMCG_S_MPAMIDR: the layout of SMMU_F_MPAMIDR_* */

#endif
