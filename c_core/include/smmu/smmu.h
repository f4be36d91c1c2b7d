/* SPDX-License-Identifier: Apache-2.0 */
/* smmuv3: an Arm SMMUv3 (IHI 0070) model. Public C API of the translation core.
 *
 * The core is programmed as hardware is: through the register frame (smmu_reg_read/write, offsets
 * in <smmu/regs.h>) and through stream tables, context descriptors, page tables and queues in
 * system memory, which it reads and writes through the smmu_host_t callbacks. */
#ifndef SMMU_SMMU_H
#define SMMU_SMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct smmu smmu_t; /* one SMMU instance; no global state anywhere */

/* Wired interrupt outputs (spec 3.18). */
typedef enum {
    SMMU_IRQ_EVENTQ = 0,
    SMMU_IRQ_PRIQ = 1,
    SMMU_IRQ_CMD_SYNC = 2,
    SMMU_IRQ_GERROR = 3,
    SMMU_IRQ_COUNT
} smmu_irq_t;

typedef struct smmu_host { /* what the integrator provides */
    void *ctx;
    /* The SMMU's own accesses to system memory: table walks, STE/CD fetches, queue reads and
       writes, MSI writes. Return 0 on success, non-zero for an external abort, which the core
       turns into the architectural fault (F_WALK_EABT, F_STE_FETCH, GERROR ..._ABT_ERR ...). */
    int (*mem_read)(void *ctx, uint64_t pa, void *buf, size_t len, bool secure);
    int (*mem_write)(void *ctx, uint64_t pa, const void *buf, size_t len, bool secure);
    /* A wired interrupt output changes level (see smmu_irq_t). May be NULL. */
    void (*irq)(void *ctx, int line, bool level);
    /* A stalled transaction (result SMMU_STALLED, tag stag) was resumed or terminated by
       CMD_RESUME / CMD_STALL_TERM / SMMUEN going to 0: outcome is SMMU_STALL_RETRY (translate it
       again), SMMU_STALL_ABORT (answer with an abort) or SMMU_STALL_RAZWI (complete it with
       reads as zero, writes ignored). May be NULL. */
    void (*stall_done)(void *ctx, uint32_t sid, uint16_t stag, int outcome);
    /* Translations handed out before may no longer be valid: an invalidation command (CFGI_*,
       TLBI_*), a change of SMMUEN or GBPA. A bus wrapper revokes DMI here. May be NULL. */
    void (*invalidated)(void *ctx);
    /* CMD_ATC_INV for the ATC of device sid (spec 4.5.1): invalidate [addr, addr + 2^(12+size))
       of substream ssid (when ssv), or every address when global. Returns 0 when done, non-zero
       when the device did not complete it (the next CMD_SYNC then fails with
       CERROR_ATC_INV_SYNC). May be NULL (no ATC to invalidate). */
    int (*atc_inv)(void *ctx, uint32_t sid, uint32_t ssid, bool ssv, uint64_t addr, unsigned size,
                   bool global);
    /* CMD_PRI_RESP for device sid (spec 4.5.2): the response resp (SMMU_PRI_RESP_*) to page
       request group grpid of substream ssid (when ssv). May be NULL. */
    void (*pri_resp)(void *ctx, uint32_t sid, uint32_t ssid, bool ssv, uint16_t grpid,
                     unsigned resp);
} smmu_host_t;

/* What became of a stalled transaction (spec 4.7.1 CMD_RESUME Action/Abort, 4.7.2). */
enum { SMMU_STALL_RETRY = 0, SMMU_STALL_ABORT = 1, SMMU_STALL_RAZWI = 2 };

/* IDR0.STALL_MODEL encodings (spec 6.3.1). */
enum { SMMU_STALL_MODEL_BOTH = 0, SMMU_STALL_MODEL_TERMINATE = 1, SMMU_STALL_MODEL_STALL = 2 };

/* Implementation choices. Everything the ID registers report comes from here, and the core
   honours exactly what they report. smmu_params_init() gives a fully featured SMMUv3. */
typedef struct smmu_params {
    /* IDR0 */
    bool s1;             /* stage 1 translation (S1P) */
    bool s2;             /* stage 2 translation (S2P) */
    bool st_2lvl;        /* 2-level stream table (ST_LEVEL) */
    bool cd_2lvl;        /* 2-level CD tables (also ST_LEVEL encoding, spec 6.3.1) */
    bool ats;            /* ATS */
    bool pri;            /* PRI */
    bool msi;            /* MSI */
    bool hyp;            /* EL2 and EL2-E2H StreamWorlds (HYP) */
    bool asid16;         /* 16-bit ASIDs */
    bool vmid16;         /* 16-bit VMIDs */
    bool coherent;       /* COHACC: coherent table walks and queue accesses */
    bool btm;            /* broadcast TLB maintenance */
    bool sev;            /* SEV */
    bool ttendian_mixed; /* TTENDIAN=0b00 (mixed); false -> little-endian only */
    uint8_t stall_model; /* SMMU_STALL_MODEL_* */
    bool term_model;     /* TERM_MODEL: true -> terminated transactions always abort and a CD
                            with A = 0 is ILLEGAL; false -> CD.A selects abort or RAZ/WI */
    /* IDR1 */
    uint8_t sidsize;     /* StreamID bits, 0..32 */
    uint8_t ssidsize;    /* SubstreamID bits, 0..20 */
    uint8_t cmdq_log2;   /* CMDQS: max log2 entries of the command queue, <= 19 */
    uint8_t eventq_log2; /* EVENTQS, <= 19 */
    uint8_t priq_log2;   /* PRIQS, <= 19 */
    bool attr_types_ovr; /* ATTR_TYPES_OVR: STE/GBPA MTCFG, MemAttr, ALLOCCFG, SHCFG honoured */
    bool attr_perms_ovr; /* ATTR_PERMS_OVR: STE/GBPA PRIVCFG and INSTCFG honoured */
    /* IDR3 */
    bool ril;     /* range invalidation */
    uint8_t bbml; /* BBML: break-before-make level reported (0..2) */
    /* IDR5 */
    uint8_t oas_bits; /* 32, 36, 40, 42, 44, 48 or 52 */
    bool gran4k, gran16k, gran64k;
    uint16_t stall_max; /* IDR5.STALL_MAX: outstanding stalled transactions supported */
    /* IIDR / AIDR */
    uint32_t iidr;
    uint8_t arch_minor; /* AIDR.ArchMinorRev: 0 = SMMUv3.0, 1 = v3.1, 2 = v3.2 ... */
    /* Behaviour of the model, not the architecture */
    bool defer_cmdq; /* commands are consumed only by smmu_cmdq_run(), not in the PROD write */
} smmu_params_t;

void smmu_params_init(smmu_params_t *p); /* defaults: a fully featured SMMUv3 */
/* Returns NULL when params are out of their architected ranges or host has no mem_read/mem_write.
 */
smmu_t *smmu_new(const smmu_params_t *p, const smmu_host_t *host);
void smmu_free(smmu_t *s);
void smmu_reset(smmu_t *s);
const smmu_params_t *smmu_params(const smmu_t *s);

/* Register frame: offsets as in the architecture (page 0 at 0x0, page 1 at 0x10000). size is 4
   or 8; any other size, or a misaligned access, reads as zero and ignores writes (one of the
   CONSTRAINED UNPREDICTABLE choices of spec 6.2). */
uint64_t smmu_reg_read(smmu_t *s, uint64_t offset, unsigned size);
void smmu_reg_write(smmu_t *s, uint64_t offset, uint64_t value, unsigned size);
/* True when offset/size is an access the register file decodes (for a bus wrapper that wants to
   answer other accesses with an error instead of RAZ/WI). */
bool smmu_reg_access_ok(const smmu_t *s, uint64_t offset, unsigned size);
/* Consume up to max commands (max 0: until the queue is empty or stops on an error). Returns the
   number consumed. With defer_cmdq the host calls this; otherwise CMDQ_PROD writes do. */
unsigned smmu_cmdq_run(smmu_t *s, unsigned max);

enum { SMMU_ATS_NONE = 0, SMMU_ATS_REQUEST = 1, SMMU_ATS_TRANSLATED = 2 };
enum { SMMU_PERM_R = 1, SMMU_PERM_W = 2, SMMU_PERM_X = 4 };

typedef struct smmu_txn { /* one access from a client device */
    uint64_t addr;        /* input address */
    uint32_t sid;         /* StreamID */
    uint32_t ssid;        /* SubstreamID, when ssv */
    uint32_t len;         /* bytes, >= 1 */
    bool ssv;
    bool write;  /* false: read */
    bool exec;   /* instruction fetch */
    bool priv;   /* privileged */
    bool secure; /* SEC_SID = Secure */
    uint8_t ats; /* SMMU_ATS_NONE, _REQUEST, _TRANSLATED */
} smmu_txn_t;

typedef enum { SMMU_OK, SMMU_FAULT, SMMU_STALLED } smmu_status_t;

/* Architectural event numbers (spec 7.3). */
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

/* Fault CLASS (spec 7.3): what the access that faulted was doing. */
enum { SMMU_CLASS_CD = 0, SMMU_CLASS_TT = 1, SMMU_CLASS_IN = 2 };

typedef struct smmu_result {
    smmu_status_t status;
    uint64_t pa;    /* output address when OK */
    uint64_t span;  /* size of the aligned region that translates the same way (page or
                       block), for DMI/ATS */
    uint32_t event; /* architectural event number of the fault, or 0 */
    uint16_t stag;  /* when STALLED */
    bool ns;        /* output address space */
    uint8_t perm;   /* granted SMMU_PERM_R | _W | _X */
    /* memory attributes and shareability of the output, for the downstream payload */
    uint8_t attr;  /* MAIR-format attribute byte (0x00 Device-nGnRnE .. 0xFF WB RW-alloc) */
    uint8_t sh;    /* 0 non-shareable, 2 outer, 3 inner */
    bool abort;    /* FAULT: true -> abort the access (bus error); false -> RAZ/WI */
    bool recorded; /* an event record was written (or lost to overflow) for this access */
    /* cost of this translation, for timing models */
    bool tlb_hit, cfg_hit;
    uint16_t mem_reads; /* descriptor / STE / CD reads performed */
} smmu_result_t;

void smmu_translate(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r);
/* The same translation without side effects: no event record, no stall, no statistics, no
   cache fill (for debug accesses such as TLM transport_dbg). A fault is reported as SMMU_FAULT. */
void smmu_translate_dbg(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r);

/* Transactions currently stalled (waiting for CMD_RESUME / CMD_STALL_TERM). */
unsigned smmu_stalls_pending(const smmu_t *s);

/* Statistics (read-only snapshot). */
typedef struct smmu_stats {
    uint64_t translations;
    uint64_t ok;
    uint64_t faults;
    uint64_t stalls;
    uint64_t events_written;
    uint64_t events_lost; /* dropped on a full or disabled event queue */
    uint64_t walk_reads;  /* descriptor reads by the walkers */
    uint64_t cfg_reads;   /* STE / L1 / CD reads */
    uint64_t commands;
    uint64_t by_event[0x26]; /* faults by event number */
} smmu_stats_t;
void smmu_get_stats(const smmu_t *s, smmu_stats_t *st);
void smmu_clear_stats(smmu_t *s);

/* Event name ("F_TRANSLATION"), or "UNKNOWN". */
const char *smmu_event_name(uint32_t event);

#ifdef __cplusplus
}
#endif
#endif
