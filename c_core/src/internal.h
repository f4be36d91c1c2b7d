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
    uint64_t ttb;   /* table base, aligned as the walk uses it */
    uint8_t tsz;    /* TxSZ: input size is 64 - tsz */
    uint8_t gran;   /* granule shift: 12, 14 or 16 */
    uint8_t start;  /* start level 0..3 */
    uint8_t concat; /* stage 2: log2 of concatenated start-level tables (0..4) */
    bool epd;       /* walks on this half fault (stage 1 EPDx) */
    bool tbi;       /* top byte ignored (stage 1 TBIx) */
    bool had;       /* hierarchical attributes disabled (CD.HADx, when IDR3.HAD) */
    bool single_el; /* stage 1 regime of one EL (StreamWorld EL2/EL3): Arm ARM Table D8-66
                       permissions, all accesses privileged */
} smmu_tt_t;

typedef struct smmu_s1cfg { /* decoded, validated CD (5.4) */
    smmu_tt_t tt[2];
    uint8_t oas; /* effective output size in bits: min(CD.IPS, IDR5.OAS) */
    bool affd, wxn, uwxn, pan, endi;
    bool s, r, a; /* fault configuration (5.5) */
    bool aset;
    uint16_t asid;
    uint64_t mair;
} smmu_s1cfg_t;

typedef struct smmu_s2cfg { /* decoded, validated stage-2 half of the STE (5.2) */
    smmu_tt_t tt;
    uint8_t oas; /* effective S2PS in bits, capped at IDR5.OAS */
    bool affd, endi, ptw, s, r, fwb;
    uint16_t vmid;
} smmu_s2cfg_t;

typedef struct smmu_stecfg { /* decoded, validated STE (5.2) */
    uint8_t config;          /* STE.Config */
    bool s1, s2;             /* stage enables (Config[0], Config[1] with Config[2] = 1) */
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
    bool pnu, ind, rnw; /* post-override attributes of the input transaction */
    bool s2, ttrnw;
    uint8_t cls;
    uint8_t reason;
    uint64_t addr; /* InputAddr */
    uint64_t ipa;
    uint64_t fetch_addr;
} smmu_event_t;

/* ------------------------------------------------------------------------ walks */
typedef struct smmu_access {
    bool write, exec, priv;
} smmu_access_t;

typedef struct smmu_walk_out {
    uint64_t oa;   /* output address of the input address (not just the page) */
    uint64_t span; /* size of the page or block */
    uint8_t perm;  /* granted SMMU_PERM_* for this access's privilege */
    uint8_t attr;  /* MAIR-format byte: stage 1 from MAIR[AttrIndx]; stage 2 from MemAttr */
    uint8_t sh;
    uint8_t level;
    bool ng;
    bool ns;
} smmu_walk_out_t;

/* ---------------------------------------------------------------- stalls (stall.c) */
typedef struct smmu_stall {
    bool used;
    bool ev_pending; /* its event record waits for the queue to be writable (7.2.1) */
    uint32_t sid;
    uint32_t seq; /* order of the stalls, to write pending records in order */
    smmu_event_t ev;
} smmu_stall_t;

/* ---------------------------------------------------------------- the instance */
struct smmu {
    smmu_params_t p;
    smmu_host_t host;
    smmu_regs_t r;
    bool irq_level[SMMU_IRQ_COUNT];
    uint32_t gerror_pending_msi;
    smmu_stats_t st;
    smmu_stall_t *stalls; /* stall_max slots, allocated in smmu_new; STAG = slot index */
    unsigned stalls_used;
    bool atc_inv_failed; /* an ATC invalidation since the last CMD_SYNC did not complete */
    bool dbg; /* inside smmu_translate_dbg: no side effects (events, stalls, stats, fills) */
    uint32_t stall_seq;
    bool cmdq_busy; /* cmdq.c: consuming; a nested trigger (from a host callback) is ignored */
};

/* ---------------------------------------------------------------- entry points */
/* memory (smmu.c): host accessors that count; non-zero on external abort */
int smmu_mem_rd(smmu_t *s, uint64_t pa, void *buf, size_t len);
int smmu_mem_wr(smmu_t *s, uint64_t pa, const void *buf, size_t len);
/* Reads n little-endian 64-bit words at pa into dw (host byte order). */
int smmu_mem_rd64(smmu_t *s, uint64_t pa, uint64_t *dw, unsigned n);
int smmu_mem_wr64(smmu_t *s, uint64_t pa, const uint64_t *dw, unsigned n);
void smmu_set_irq(smmu_t *s, smmu_irq_t line, bool level);

/* attr.c: output attributes as a MAIR-format byte (13.1) */
enum { SMMU_SH_NSH = 0, SMMU_SH_OSH = 2, SMMU_SH_ISH = 3 };
uint8_t smmu_attr_from_s2memattr(unsigned memattr);
bool smmu_attr_is_device(uint8_t attr);
uint8_t smmu_attr_combine(uint8_t s1, uint8_t s2);
uint8_t smmu_sh_combine(uint8_t attr, uint8_t sh1, uint8_t sh2);
uint8_t smmu_attr_alloc_override(uint8_t attr, unsigned alloccfg);

/* stall.c: stalled transactions (3.12.2) */
/* Stalls the transaction of event e (e->stall, e->stag are set here) and records the event, or
   keeps it pending while the Event queue is unwritable. Returns the STAG, -1 if no slot. */
int smmu_stall_fault(smmu_t *s, smmu_event_t *e);
/* CMD_RESUME (outcome SMMU_STALL_*); a STAG that is not stalled for sid is ignored. */
void smmu_stall_resume(smmu_t *s, uint32_t sid, uint16_t stag, int outcome);
/* CMD_STALL_TERM: every stall of sid ends with an abort; its pending record is dropped. */
void smmu_stall_terminate(smmu_t *s, uint32_t sid);
void smmu_stall_terminate_all(smmu_t *s);
/* The Event queue became writable: write the pending stall records, oldest first. */
void smmu_stall_flush_events(smmu_t *s);

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
/* Circular queues (3.5.1). PROD/CONS values are register values: index, wrap bit above it, and
   other bits (OVFLG, ERR) which these helpers keep. */
unsigned smmu_q_log2(const smmu_queue_t *q, unsigned max_log2); /* LOG2SIZE capped at IDR1 */
/* Address of entry idx: the base aligned to the larger of the queue size or 32 bytes (6.3.26). */
uint64_t smmu_q_entry(const smmu_queue_t *q, unsigned log2, unsigned entry_bytes, uint32_t ptr);
uint32_t smmu_q_inc(uint32_t ptr, unsigned log2); /* next entry, toggling the wrap bit */
bool smmu_q_empty(uint32_t prod, uint32_t cons, unsigned log2);
bool smmu_q_full(uint32_t prod, uint32_t cons, unsigned log2);

/* irq.c: interrupt sources (3.18). Wired outputs are edge-triggered: a notification is a pulse,
   host->irq(line, true) then host->irq(line, false). */
void smmu_irq_pulse(smmu_t *s, smmu_irq_t line);
/* A 32-bit MSI write of data to addr (truncated to OAS); returns non-zero on an abort. */
int smmu_msi_write(smmu_t *s, uint64_t addr, uint32_t data);
/* Notifies a register-configured source (SMMU_IRQ_GERROR, _EVENTQ, _PRIQ) when its
   IRQ_CTRL(ACK) enable is set: wired pulse, and the MSI of its *_IRQ_CFG0/1 when MSIs are
   implemented and the address is non-zero; an MSI abort activates the matching MSI_*_ABT_ERR. */
void smmu_irq_notify(smmu_t *s, smmu_irq_t line);

/* cache.c: a valid CFGI_* or TLBI_* command (dw: its two words) takes effect (4.3, 4.4). */
void smmu_cache_command(smmu_t *s, const uint64_t dw[2]);
/* Everything cached may be stale (SMMUEN or GBPA changed, reset): tells the host. */
void smmu_cache_changed(smmu_t *s);
/* ats.c: a valid CMD_ATC_INV or CMD_PRI_RESP takes effect (4.5). */
void smmu_ats_command(smmu_t *s, const uint64_t dw[2]);

/* cmdq.c: a register write that can let the Command queue progress (CMDQ_PROD, CR0.CMDQEN to
   1, acknowledgement of GERROR.CMDQ_ERR): consumes the queue unless params.defer_cmdq. */
void smmu_cmdq_prod_written(smmu_t *s);

/* evtq.c: appends a record when the Event queue is writable (7.2.1). A full queue discards the
   record and sets the overflow condition (EVENTQ_PROD.OVFLG, 7.4); a disabled queue or an active
   EVENTQ_ABT_ERR discards it silently. A record with e->stall set is never discarded: false is
   returned and the caller keeps it. Returns true if the record was written. */
bool smmu_evtq_record(smmu_t *s, const smmu_event_t *e);
/* Signals the Event queue interrupt (smmu_irq_notify(SMMU_IRQ_EVENTQ)); called when the queue
   goes from empty to non-empty (3.18.2). */
void smmu_evtq_update_irq(smmu_t *s);

/* strtab.c: STE fetch (3.3.2, 5.1, 6.3.25) and decode/validation (5.2). */
/* Returns 0 and fills ste[8] on success; otherwise fills f (C_BAD_STREAMID, F_STE_FETCH). */
int smmu_ste_fetch(smmu_t *s, uint32_t sid, uint64_t ste[8], smmu_fault_t *f, uint16_t *reads);
/* Returns 0 for a valid STE; otherwise f->type = C_BAD_STE. */
int smmu_ste_decode(const smmu_t *s, const uint64_t ste[8], smmu_stecfg_t *c, smmu_fault_t *f);

/* cd.c: CD fetch (3.3.2, 5.3) through stage 2 when nested, and decode/validation (5.4). */
int smmu_cd_fetch(smmu_t *s, const smmu_stecfg_t *c, uint32_t ssid, uint64_t cd[8], smmu_fault_t *f,
                  uint16_t *reads);
int smmu_cd_decode(const smmu_t *s, const smmu_stecfg_t *c, const uint64_t cd[8], smmu_s1cfg_t *s1,
                   smmu_fault_t *f);

/* walk.c: VMSAv8-64 walks (Arm ARM D8). Return 0 and fill out, or fill f and return -1.
   Stage 2: cls says why the IPA is translated (CD fetch, stage-1 table walk, input). */
int smmu_walk_s2(smmu_t *s, const smmu_s2cfg_t *c, uint64_t ipa, const smmu_access_t *acc,
                 uint8_t cls, smmu_walk_out_t *out, smmu_fault_t *f, uint16_t *reads);
/* Stage 1; s2 non-NULL for nested (every table address is an IPA translated through it). */
int smmu_walk_s1(smmu_t *s, const smmu_s1cfg_t *c, const smmu_s2cfg_t *s2, uint64_t va,
                 const smmu_access_t *acc, smmu_walk_out_t *out, smmu_fault_t *f, uint16_t *reads);
/* Stage-1 table selection and input-range check for va (TBI, TxSZ, EPDx): returns the half
   (0/1) or -1 when va is outside both (F_TRANSLATION). */
int smmu_s1_select(const smmu_s1cfg_t *c, uint64_t va);
/* Start level and concatenation of a stage-2 table from T0SZ/SL0/TG; -1 if inconsistent. */
int smmu_s2_start_level(unsigned gran, unsigned tsz, unsigned sl0, unsigned ps_bits, uint8_t *start,
                        uint8_t *concat);
/* Start level of a stage-1 table from TxSZ and granule (D8.2). */
unsigned smmu_s1_start_level(unsigned gran, unsigned tsz);

#endif
