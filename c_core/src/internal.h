/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interfaces of the core: the instance struct, decoded configuration, faults and the
 * entry points of each concern (one .c file each). Nothing here is visible to integrators. */
#ifndef SMMU_INTERNAL_H
#define SMMU_INTERNAL_H

#include <smmu/smmu.h>
#include <smmu/regs.h>

#include "fields.h"

/* ---------------------------------------------------------------- register state (regs.c) */
typedef struct smmu_queue {
    uint64_t base; /* the *_BASE register as written (RES0 bits cleared) */
    uint32_t prod; /* PROD register value incl. wrap (and OVFLG for EVENTQ/PRIQ) */
    uint32_t cons; /* CONS register value incl. wrap (and ERR for CMDQ, OVACKFLG) */
    uint64_t irq_cfg0;
    uint32_t irq_cfg1, irq_cfg2;
} smmu_queue_t;

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
    uint32_t idr[6], iidr, aidr; /* computed once from params */
} smmu_regs_t;

/* -------------------------------------------------------------- decoded configuration */
/* One translation table of a stage: CD TTB0/TTB1 for stage 1, STE S2TTB for stage 2. */
typedef struct smmu_tt {
    uint64_t ttb;     /* table base, aligned as the walk uses it */
    uint8_t tsz;      /* TxSZ: input size is 64 - tsz */
    uint8_t gran;     /* granule shift: 12, 14 or 16 */
    uint8_t start;    /* start level 0..3 */
    uint8_t concat;   /* stage 2: log2 of concatenated start-level tables (0..4) */
    bool epd;         /* walks on this half fault (stage 1 EPDx) */
    bool tbi;         /* top byte ignored (stage 1 TBIx) */
    bool e0pd;
} smmu_tt_t;

typedef struct smmu_s1cfg { /* decoded, validated CD (5.4) */
    smmu_tt_t tt[2];
    uint8_t oas;      /* effective output size in bits: min(CD.IPS, IDR5.OAS) */
    bool affd, wxn, uwxn, pan, endi;
    bool s, r, a;     /* fault configuration (5.5) */
    bool aset;
    uint16_t asid;
    uint64_t mair;
} smmu_s1cfg_t;

typedef struct smmu_s2cfg { /* decoded, validated stage-2 half of the STE (5.2) */
    smmu_tt_t tt;
    uint8_t oas;      /* effective S2PS in bits, capped at IDR5.OAS */
    bool affd, endi, ptw, s, r, fwb;
    uint16_t vmid;
} smmu_s2cfg_t;

typedef struct smmu_stecfg { /* decoded, validated STE (5.2) */
    uint8_t config;   /* STE.Config */
    bool s1, s2;      /* stage enables (Config[0], Config[1] with Config[2] = 1) */
    uint8_t s1fmt, s1cdmax, s1dss;
    uint64_t s1ctxptr;
    bool s1stalld;
    uint8_t eats, strw;
    uint8_t memattr, mtcfg, alloccfg, shcfg, nscfg, privcfg, instcfg;
    smmu_s2cfg_t s2c;
} smmu_stecfg_t;

/* ------------------------------------------------------------------------ faults */
/* A fault found somewhere on the translation path, before it becomes an event record. */
typedef struct smmu_fault {
    uint8_t type;        /* SMMU_EVT_* */
    uint8_t cls;         /* SMMU_CLASS_* */
    bool s2;             /* the fault is at stage 2 */
    bool ttrnw;          /* F_PERMISSION, CLASS TT: 1 read, 0 write */
    uint8_t reason;      /* IMPLEMENTATION DEFINED cause (F_WALK_EABT ...) */
    uint64_t ipa;        /* S2 faults: the IPA */
    uint64_t fetch_addr; /* F_STE_FETCH, F_CD_FETCH, F_WALK_EABT */
} smmu_fault_t;

/* Everything an event record (7.3) can carry. */
typedef struct smmu_event {
    uint8_t type;
    uint32_t sid, ssid;
    bool ssv;
    bool stall;
    uint16_t stag;
    bool pnu, ind, rnw;  /* post-override attributes of the input transaction */
    bool s2, ttrnw;
    uint8_t cls;
    uint8_t reason;
    uint64_t addr;       /* InputAddr */
    uint64_t ipa;
    uint64_t fetch_addr;
} smmu_event_t;

/* ------------------------------------------------------------------------ walks */
typedef struct smmu_access {
    bool write, exec, priv;
} smmu_access_t;

typedef struct smmu_walk_out {
    uint64_t oa;      /* output address of the input address (not just the page) */
    uint64_t span;    /* size of the page or block */
    uint8_t perm;     /* granted SMMU_PERM_* for this access's privilege */
    uint8_t attr;     /* MAIR-format byte: stage 1 from MAIR[AttrIndx]; stage 2 from MemAttr */
    uint8_t sh;
    uint8_t level;
    bool ng;
    bool ns;
} smmu_walk_out_t;

/* ---------------------------------------------------------------- the instance */
struct smmu {
    smmu_params_t p;
    smmu_host_t host;
    smmu_regs_t r;
    bool irq_level[SMMU_IRQ_COUNT];
    uint32_t gerror_pending_msi;
    smmu_stats_t st;
};

/* ---------------------------------------------------------------- entry points */
/* memory (smmu.c): host accessors that count; non-zero on external abort */
int smmu_mem_rd(smmu_t *s, uint64_t pa, void *buf, size_t len);
int smmu_mem_wr(smmu_t *s, uint64_t pa, const void *buf, size_t len);
/* Reads n little-endian 64-bit words at pa into dw (host byte order). */
int smmu_mem_rd64(smmu_t *s, uint64_t pa, uint64_t *dw, unsigned n);
int smmu_mem_wr64(smmu_t *s, uint64_t pa, const uint64_t *dw, unsigned n);
void smmu_set_irq(smmu_t *s, smmu_irq_t line, bool level);

/* regs.c */
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
/* IDR value of a register, for internal feature checks */
uint32_t smmu_idr(const smmu_t *s, unsigned n);

/* cmdq.c */
void smmu_cmdq_prod_written(smmu_t *s);

/* evtq.c: appends a record if EVENTQEN; on a full queue sets OVFLG (7.4). Returns true if the
   record was written. */
bool smmu_evtq_record(smmu_t *s, const smmu_event_t *e);
void smmu_evtq_update_irq(smmu_t *s);

/* strtab.c: STE fetch (3.3.2, 5.1, 6.3.25) and decode/validation (5.2). */
/* Returns 0 and fills ste[8] on success; otherwise fills f (C_BAD_STREAMID, F_STE_FETCH). */
int smmu_ste_fetch(smmu_t *s, uint32_t sid, uint64_t ste[8], smmu_fault_t *f, uint16_t *reads);
/* Returns 0 for a valid STE; otherwise f->type = C_BAD_STE. */
int smmu_ste_decode(const smmu_t *s, const uint64_t ste[8], smmu_stecfg_t *c, smmu_fault_t *f);

/* cd.c: CD fetch (3.3.2, 5.3) through stage 2 when nested, and decode/validation (5.4). */
int smmu_cd_fetch(smmu_t *s, const smmu_stecfg_t *c, uint32_t ssid, uint64_t cd[8],
                  smmu_fault_t *f, uint16_t *reads);
int smmu_cd_decode(const smmu_t *s, const smmu_stecfg_t *c, const uint64_t cd[8],
                   smmu_s1cfg_t *s1, smmu_fault_t *f);

/* walk.c: VMSAv8-64 walks (Arm ARM D8). Return 0 and fill out, or fill f and return -1.
   Stage 2: cls says why the IPA is translated (CD fetch, stage-1 table walk, input). */
int smmu_walk_s2(smmu_t *s, const smmu_s2cfg_t *c, uint64_t ipa, const smmu_access_t *acc,
                 uint8_t cls, smmu_walk_out_t *out, smmu_fault_t *f, uint16_t *reads);
/* Stage 1; s2 non-NULL for nested (every table address is an IPA translated through it). */
int smmu_walk_s1(smmu_t *s, const smmu_s1cfg_t *c, const smmu_s2cfg_t *s2, uint64_t va,
                 const smmu_access_t *acc, smmu_walk_out_t *out, smmu_fault_t *f,
                 uint16_t *reads);
/* Stage-1 table selection and input-range check for va (TBI, TxSZ, EPDx): returns the half
   (0/1) or -1 when va is outside both (F_TRANSLATION). */
int smmu_s1_select(const smmu_s1cfg_t *c, uint64_t va);
/* Start level and concatenation of a stage-2 table from T0SZ/SL0/TG; -1 if inconsistent. */
int smmu_s2_start_level(unsigned gran, unsigned tsz, unsigned sl0, unsigned ps_bits,
                        uint8_t *start, uint8_t *concat);
/* Start level of a stage-1 table from TxSZ and granule (D8.2). */
unsigned smmu_s1_start_level(unsigned gran, unsigned tsz);

#endif
