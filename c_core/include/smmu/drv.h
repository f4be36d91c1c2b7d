/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The small SMMUv3 driver: host software on top of the core API, as a real OS driver would be.
 *
 * It reaches the SMMU only through smmu_drv_ops_t (register reads/writes and memory accesses),
 * so it can drive the core directly (smmu_drv_new_direct) or an SMMU on a bus. It allocates its
 * stream table, context descriptors, page tables and queues from a pool of simulated physical
 * memory, writes real STEs, CDs and descriptors, and issues CMD_CFGI_* / CMD_TLBI_* / CMD_SYNC
 * after every change, waiting for the SYNC to complete.
 *
 * Typical use:
 *   smmu_drv_t *d = smmu_drv_new_direct(smmu, mem, 0x80000000, 64 << 20);
 *   smmu_drv_init(d);
 *   smmu_domain_t *dom;
 *   smmu_domain_cfg_t dc = {.stage = 1, .id = 1, .granule = 4096, .ias = 48};
 *   smmu_drv_domain_new(d, &dc, &dom);
 *   smmu_drv_map(d, dom, 0x1000, 0x2000, 0x1000, SMMU_PROT_R | SMMU_PROT_W);
 *   smmu_drv_attach_s1(d, 1, dom, 0, SMMU_DRV_S1DSS_TERMINATE);
 *   smmu_drv_translate(d, 1, SMMU_DRV_NO_SSID, 0x1000, SMMU_DRV_READ, &res);
 */
#ifndef SMMU_DRV_H
#define SMMU_DRV_H

#include <smmu/mem.h>
#include <smmu/smmu.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error returns: 0 is success, negative values are these. */
enum {
    SMMU_DRV_OK = 0,
    SMMU_DRV_ENOMEM = -1,    /* the table pool (or host memory) is exhausted */
    SMMU_DRV_EINVAL = -2,    /* bad argument: alignment, range, unknown domain ... */
    SMMU_DRV_ETIMEDOUT = -3, /* CR0ACK / CMDQ_CONS did not follow within the poll limit */
    SMMU_DRV_ECERROR = -4,   /* the command queue stopped with a CERROR (see smmu_drv_cerror) */
    SMMU_DRV_EEXIST = -5,    /* the range is (partly) mapped already */
    SMMU_DRV_ENOTSUP = -6,   /* the SMMU does not implement what was asked (ID registers) */
    SMMU_DRV_ENOENT = -7,    /* nothing there: stream not attached, no event pending ... */
    SMMU_DRV_EIO = -8,       /* a memory access of the driver failed */
};
const char *smmu_drv_strerror(int err);

/* How the driver reaches the SMMU. reg_* take architectural offsets (<smmu/regs.h>), size 4/8.
   mem_* access system memory; they return 0 on success. */
typedef struct smmu_drv_ops {
    void *ctx;
    uint64_t (*reg_read)(void *ctx, uint64_t off, unsigned size);
    void (*reg_write)(void *ctx, uint64_t off, uint64_t val, unsigned size);
    int (*mem_read)(void *ctx, uint64_t pa, void *buf, size_t len);
    int (*mem_write)(void *ctx, uint64_t pa, const void *buf, size_t len);
} smmu_drv_ops_t;

typedef struct smmu_drv_config {
    uint64_t pool_base; /* physical memory the driver may use for its tables and queues */
    uint64_t pool_size;
    unsigned cmdq_log2;   /* command queue entries (log2); 0: 8, capped at IDR1.CMDQS */
    unsigned eventq_log2; /* event queue entries (log2); 0: 7, capped at IDR1.EVENTQS */
    unsigned sid_bits;    /* StreamID bits covered by the stream table; 0: IDR1.SIDSIZE, capped
                             at 16 for a linear table */
    bool force_linear;    /* linear stream table even when a 2-level one would be used */
    unsigned poll_limit;  /* register polls before giving up; 0: 100000 */
    unsigned priq_log2;   /* PRI queue entries (log2) when IDR0.PRI; 0: 7, capped at IDR1.PRIQS */
} smmu_drv_config_t;

typedef struct smmu_drv smmu_drv_t;
typedef struct smmu_domain smmu_domain_t;

/* NULL on bad config or out of host memory. Nothing is written until smmu_drv_init. */
smmu_drv_t *smmu_drv_new(const smmu_drv_ops_t *ops, const smmu_drv_config_t *cfg);
/* Driver for a core instance on a sparse memory; translate/stats wrappers work only with this
   one. pool: [pool_base, pool_base + pool_size) of m. */
smmu_drv_t *smmu_drv_new_direct(smmu_t *s, smmu_mem_t *m, uint64_t pool_base, uint64_t pool_size);
/* Frees the driver and its domains (host memory only; the SMMU is left as it is). */
void smmu_drv_free(smmu_drv_t *d);

/* Spec 3.11: reads IDR0/1/5, disables the SMMU, builds the stream table, command and event
   queues (and the PRI queue when IDR0.PRI), enables CMDQ, invalidates everything (CFGI_ALL,
   TLBI_NSNH_ALL, SYNC), enables EVENTQ (and PRIQ) and then SMMUEN, each through the CR0/CR0ACK
   handshake. */
int smmu_drv_init(smmu_drv_t *d);
/* What init found: ID registers and the geometry chosen. */
typedef struct smmu_drv_info_s { /* tag differs from the function of that name (C++ -Wshadow) */
    uint32_t idr0, idr1, idr5;
    bool s1, s2, st_2lvl, cd_2lvl;
    unsigned sid_bits, ssid_bits, oas_bits, asid_bits, vmid_bits;
    bool gran4k, gran16k, gran64k;
    uint64_t strtab, cmdq, eventq; /* base addresses */
    unsigned cmdq_log2, eventq_log2;
    uint64_t pool_used; /* bytes of the pool in use */
    bool pri;           /* IDR0.PRI: the PRI queue below is set up and enabled */
    uint64_t priq;
    unsigned priq_log2;
} smmu_drv_info_t;
void smmu_drv_info(const smmu_drv_t *d, smmu_drv_info_t *info);

/* ---- commands (spec 4) ---- */
/* Queue one raw 16-byte command (two little-endian 64-bit words); waits while the queue is full. */
int smmu_drv_cmd(smmu_drv_t *d, const uint64_t cmd[2]);
/* Queue CMD_SYNC and wait until CMDQ_CONS has passed it. SMMU_DRV_ECERROR when the queue stopped
   on an error: the driver then skips the faulty command and acknowledges GERROR.CMDQ_ERR. */
int smmu_drv_sync(smmu_drv_t *d);
/* CERROR code (SMMU_CERROR_*) of the last command error seen, 0 if none. */
unsigned smmu_drv_cerror(const smmu_drv_t *d);

/* ---- address spaces (translation tables, Arm ARM D8) ---- */
enum { /* map permissions and attributes */
       SMMU_PROT_R = 1,
       SMMU_PROT_W = 2,
       SMMU_PROT_X = 4,
       SMMU_PROT_PRIV = 8,    /* stage 1: privileged accesses only */
       SMMU_PROT_DEVICE = 16, /* Device-nGnRE instead of Normal write-back memory */
       SMMU_PROT_NC = 32,     /* Normal non-cacheable */
};

typedef struct smmu_domain_cfg {
    uint8_t stage;    /* 1: VA -> (I)PA with an ASID; 2: IPA -> PA with a VMID */
    uint16_t id;      /* ASID (stage 1) or VMID (stage 2) */
    unsigned granule; /* 4096, 16384 or 65536 */
    unsigned ias;     /* input address bits: stage 1 25..48, stage 2 up to the OAS */
    unsigned oas;     /* output address bits (32, 36, 40, 42, 44, 48); 0: IDR5.OAS */
} smmu_domain_cfg_t;

int smmu_drv_domain_new(smmu_drv_t *d, const smmu_domain_cfg_t *cfg, smmu_domain_t **out);
/* Hardware-managed Access flag and dirty state for the domain (HTTU, spec 3.13): the CDs
   (stage 1: CD.HA/HD) or STEs (stage 2: STE.S2HA/S2HD) written from now on enable it; needs
   IDR0.HTTU == 0b10. Set before attaching. Leaves are still written with AF = 1 and writable
   ones writable-dirty. */
void smmu_drv_domain_httu(smmu_domain_t *dom, bool on);
/* The domain must not be attached to any stream any more; its tables go back to the pool. */
void smmu_drv_domain_free(smmu_drv_t *d, smmu_domain_t *dom);
/* Maps [iova, iova+size) to [pa, pa+size): both granule aligned. The largest block size the
   level allows is used wherever iova and pa are aligned to it. */
int smmu_drv_map(smmu_drv_t *d, smmu_domain_t *dom, uint64_t iova, uint64_t pa, uint64_t size,
                 unsigned prot);
/* Removes the leaves in [iova, iova+size) (unmapped holes are skipped; a block only partly in the
   range is SMMU_DRV_EINVAL) and invalidates them: TLBI_NH_VA or TLBI_S2_IPA, then SYNC. */
int smmu_drv_unmap(smmu_drv_t *d, smmu_domain_t *dom, uint64_t iova, uint64_t size);
/* Software walk of the domain's tables: 0 and *pa when iova is mapped, else SMMU_DRV_ENOENT. */
int smmu_drv_iova_to_phys(smmu_drv_t *d, const smmu_domain_t *dom, uint64_t iova, uint64_t *pa);
/* Root table address, start level and concatenated tables (log2) chosen for the domain. */
void smmu_drv_domain_geometry(const smmu_domain_t *dom, uint64_t *root, unsigned *start_level,
                              unsigned *concat_log2);

/* ---- streams (STEs, spec 5.2; CDs, spec 5.4) ---- */
enum { /* STE.S1DSS: what a transaction without SubstreamID does when ssid_bits > 0 */
       SMMU_DRV_S1DSS_TERMINATE = SMMU_STE_S1DSS_TERMINATE,
       SMMU_DRV_S1DSS_BYPASS = SMMU_STE_S1DSS_BYPASS,
       SMMU_DRV_S1DSS_SSID0 = SMMU_STE_S1DSS_SSID0,
};
/* Each attach replaces what the StreamID had, then CFGI_STE + SYNC. */
int smmu_drv_attach_abort(smmu_drv_t *d, uint32_t sid);
int smmu_drv_attach_bypass(smmu_drv_t *d, uint32_t sid);
/* Stage 1 with a CD table of 2^ssid_bits entries (linear, or 2-level when large and supported).
   dom (may be NULL) becomes the CD of SubstreamID 0 / of transactions without SubstreamID. */
int smmu_drv_attach_s1(smmu_drv_t *d, uint32_t sid, smmu_domain_t *dom, unsigned ssid_bits,
                       unsigned s1dss);
int smmu_drv_attach_s2(smmu_drv_t *d, uint32_t sid, smmu_domain_t *s2dom);
/* Nested: the CD table and the stage-1 tables are addressed by IPA; the driver makes the pool
   reachable by identity-mapping it in s2dom, so stage-2 mappings must not overlap the pool. */
int smmu_drv_attach_nested(smmu_drv_t *d, uint32_t sid, smmu_domain_t *s1dom, unsigned ssid_bits,
                           unsigned s1dss, smmu_domain_t *s2dom);
/* Back to V=0 (C_BAD_STE on traffic). */
int smmu_drv_detach(smmu_drv_t *d, uint32_t sid);
/* The CD of SubstreamID ssid (a PASID) points at stage-1 domain dom (NULL: CD.V=0); the stream
   must be attached stage 1 or nested. CFGI_CD + SYNC. */
int smmu_drv_set_pasid(smmu_drv_t *d, uint32_t sid, uint32_t ssid, smmu_domain_t *dom);

/* ---- events (spec 7.3) ---- */
typedef struct smmu_drv_event {
    uint8_t type; /* SMMU_EVT_* */
    const char *name;
    uint32_t sid, ssid;
    bool ssv, stall, s2, rnw, ind, pnu, ttrnw;
    uint8_t cls; /* SMMU_CLASS_* */
    uint16_t stag;
    uint64_t addr;       /* InputAddr */
    uint64_t ipa;        /* stage-2 faults: the IPA (page aligned) */
    uint64_t fetch_addr; /* F_STE_FETCH, F_CD_FETCH, F_WALK_EABT, F_VMS_FETCH */
    uint64_t raw[4];
} smmu_drv_event_t;
/* The next event: records set aside by smmu_drv_stalls() first, then the queue (EVENTQ_CONS
   advanced): 0 with *ev filled, SMMU_DRV_ENOENT if empty. A record with Stall == 1 read here also
   joins the list of stalled transactions. */
int smmu_drv_next_event(smmu_drv_t *d, smmu_drv_event_t *ev);
/* True when EVENTQ_PROD.OVFLG says records were lost (acknowledged by the next CONS update). */
bool smmu_drv_event_overflow(smmu_drv_t *d);
/* After the SMMU's state was replaced underneath an initialised driver (smmu_restore of a state
   saved while this driver's software state was the same, e.g. a platform checkpoint): re-reads
   the queue indices the driver keeps (CMDQ_PROD, EVENTQ_CONS, PRIQ_CONS). 0, or
   SMMU_DRV_EINVAL before smmu_drv_init. */
int smmu_drv_resync(smmu_drv_t *d);

/* ---- stalled transactions (spec 3.12.2, 4.7.1, 4.7.2) ---- */
/* Stall fault model for an attached stream: STE.S2S (stage 2) and CD.S of every valid CD
   (stage 1), then CFGI + SYNC. SMMU_DRV_ENOTSUP when IDR0.STALL_MODEL forbids stalling,
   SMMU_DRV_ENOENT when sid is not attached with translation. A later smmu_drv_set_pasid writes a
   CD without S. */
int smmu_drv_set_stall(smmu_drv_t *d, uint32_t sid, bool stall);
/* Drains the Event queue: records with Stall == 1 join the list of stalled transactions, others
   are kept for smmu_drv_next_event. Copies up to max entries of the list (oldest first) to out
   (may be NULL) and returns how many transactions are listed, or a negative error. */
int smmu_drv_stalls(smmu_drv_t *d, smmu_drv_event_t *out, unsigned max);
/* CMD_RESUME (retry: translate again; otherwise terminate with an abort) + SYNC, and the
   transaction leaves the list. SMMU_DRV_ENOENT when (sid, stag) is not listed. */
int smmu_drv_resume(smmu_drv_t *d, uint32_t sid, uint16_t stag, bool retry);
/* CMD_STALL_TERM + SYNC: every stalled transaction of sid is aborted and leaves the list. */
int smmu_drv_stall_term(smmu_drv_t *d, uint32_t sid);

/* ---- page requests (spec chapter 8, 4.5.2) ---- */
typedef struct smmu_drv_ppr {
    uint32_t sid, ssid;
    bool ssv, read, write, exec, priv, last;
    bool stop; /* a Stop Marker (Last, no R/W, with PASID) */
    uint16_t prgi;
    uint64_t addr; /* page address */
    uint64_t raw[2];
} smmu_drv_ppr_t;
/* Reads the next PRI queue record and advances PRIQ_CONS (acknowledging an overflow): 0 with *p
   filled, SMMU_DRV_ENOENT if empty, SMMU_DRV_ENOTSUP without PRI. */
int smmu_drv_next_ppr(smmu_drv_t *d, smmu_drv_ppr_t *p);
/* True when PRIQ_PROD.OVFLG says page requests were lost (auto-responded by the SMMU). */
bool smmu_drv_pri_overflow(smmu_drv_t *d);
enum { /* CMD_PRI_RESP Resp (spec 4.5.2) */
       SMMU_DRV_PRI_FAILURE = SMMU_CMD_PRI_RESP_FAILURE,
       SMMU_DRV_PRI_INVALID = SMMU_CMD_PRI_RESP_INVALID,
       SMMU_DRV_PRI_SUCCESS = SMMU_CMD_PRI_RESP_SUCCESS,
};
/* Answers page request group prgi of sid (and ssid, or SMMU_DRV_NO_SSID): CMD_PRI_RESP + SYNC. */
int smmu_drv_pri_respond(smmu_drv_t *d, uint32_t sid, uint32_t ssid, uint16_t prgi, unsigned resp);

/* ---- traffic and statistics (direct drivers only, else SMMU_DRV_ENOTSUP) ---- */
#define SMMU_DRV_NO_SSID 0xFFFFFFFFu
enum { SMMU_DRV_READ = 0, SMMU_DRV_WRITE = 1, SMMU_DRV_EXEC = 2, SMMU_DRV_PRIV = 4 };
int smmu_drv_translate(smmu_drv_t *d, uint32_t sid, uint32_t ssid, uint64_t iova, unsigned access,
                       smmu_result_t *r);
int smmu_drv_stats(smmu_drv_t *d, smmu_stats_t *st);

/* ---- address translation operations (chapter 9: the SMMU_GATOS_* group) ---- */
/* What is looked up (ATOS_ADDR.TYPE, 9.1.3). */
enum { SMMU_DRV_ATOS_S1 = 1, SMMU_DRV_ATOS_S2 = 2, SMMU_DRV_ATOS_S12 = 3 };
/* ATOS_PAR decoded (6.3.40): fault == false: pa (aligned to size), size in bytes, attr (MAIR
   format), sh; fault == true: faultcode (SMMU_EVT_* or SMMU_ATOS_INV_REQ / _INV_STAGE /
   _INTERNAL_ERR), reason (SMMU_ATOS_REASON_*), faddr (the IPA of a stage-2 fault, or 0). */
typedef struct smmu_drv_atos_res {
    bool fault;
    uint64_t pa, size;
    uint8_t attr, sh;
    uint8_t faultcode, reason;
    uint64_t faddr;
} smmu_drv_atos_res_t;
/* One lookup of addr for sid (and ssid, or SMMU_DRV_NO_SSID) with access SMMU_DRV_READ / WRITE,
   EXEC, PRIV; httui inhibits HTTU. The procedure of chapter 9: SID, ADDR, RUN = 1, poll RUN, read
   PAR. SMMU_DRV_ENOTSUP without IDR0.ATOS, SMMU_DRV_ETIMEDOUT when RUN stays 1. Works with any
   ops (registers only). */
int smmu_drv_atos(smmu_drv_t *d, uint32_t sid, uint32_t ssid, uint64_t addr, unsigned type,
                  unsigned access, bool httui, smmu_drv_atos_res_t *res);
/* ---- Performance Monitor Counter Groups (spec chapter 10) ----
   One group, reached through ops->reg_read/reg_write with offsets in its Page 0, and
   SMMU_PMCG_PAGE1 + offset in its Page 1 (<smmu/regs.h>); mem_* are not used. It programs
   counters as Linux's arm_smmuv3_pmu does: EVTYPERn (event, FILTER_SID_SPAN), SMRn, the counter,
   CNTENSET0, CR.E; with CFGR.SID_FILTER_TYPE the filter is counter 0's and applies to all. */
typedef struct smmu_drv_pmcg smmu_drv_pmcg_t;
/* Reads CFGR and CEID0/1 and resets the group (CR, IRQ_CTRL, every CNTEN, INTEN and OVS bit
   cleared). NULL out of host memory, or when CFGR reads 0 (no group there). */
smmu_drv_pmcg_t *smmu_drv_pmcg_new(const smmu_drv_ops_t *ops);
/* Group `group` of a core instance. */
smmu_drv_pmcg_t *smmu_drv_pmcg_new_direct(smmu_t *s, unsigned group);
void smmu_drv_pmcg_free(smmu_drv_pmcg_t *p);
typedef struct smmu_drv_pmcg_info_s {
    unsigned counters, counter_bits;
    bool reloc, msi, capture, sid_global; /* CFGR.RELOC_CTRS, MSI, CAPTURE, SID_FILTER_TYPE */
    uint64_t events[2];                   /* CEID0, CEID1: the events the group counts */
} smmu_drv_pmcg_info_t;
void smmu_drv_pmcg_info(const smmu_drv_pmcg_t *p, smmu_drv_pmcg_info_t *info);
/* The StreamID filter of a counter (10.4): enable false counts every StreamID; span: sid is a
   pattern whose bits up to its lowest 0 are ignored. */
typedef struct smmu_drv_pmcg_filter_s {
    bool enable, span;
    uint32_t sid;
} smmu_drv_pmcg_filter_t;
/* Counter ctr counts event (SMMU_PMCG_EV_*) from zero with filter f (NULL: all StreamIDs), and
   the group counts. SMMU_DRV_EINVAL for a counter that does not exist, SMMU_DRV_ENOTSUP for an
   architected event CEID does not list. */
int smmu_drv_pmcg_start(smmu_drv_pmcg_t *p, unsigned ctr, uint16_t event,
                        const smmu_drv_pmcg_filter_t *f);
/* Counter ctr's value (0 for one that does not exist). */
uint64_t smmu_drv_pmcg_read(smmu_drv_pmcg_t *p, unsigned ctr);
/* Counter ctr stops counting (CNTENCLR0); its value stays. */
int smmu_drv_pmcg_stop(smmu_drv_pmcg_t *p, unsigned ctr);
/* The interrupt handler's part: the overflowed counters (OVSSET0), cleared (OVSCLR0). */
uint64_t smmu_drv_pmcg_overflows(smmu_drv_pmcg_t *p);
/* Overflows of the counters in mask interrupt: MSI to msi_addr with data (msi_addr 0: wired
   only), INTENSET0 and IRQ_CTRL.IRQEN (IRQ_CFG0..2 written while IRQEN is 0, 10.5.2.21). */
int smmu_drv_pmcg_irq(smmu_drv_pmcg_t *p, uint64_t mask, uint64_t msi_addr, uint32_t data);

#ifdef __cplusplus
}
#endif
#endif
