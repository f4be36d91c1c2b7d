/* SPDX-License-Identifier: Apache-2.0 OR MIT */
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

#include <smmu/arch.h>
#include <smmu/choice.h>
#include <smmu/dsan.h>
#include <smmu/tracepoint.h>

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
    /* The Secure programming interface's sources (3.10.2.1: configured and enabled separately;
       wired only, SMMU_S_IDR0.MSI == 0), with params.secure_impl. */
    SMMU_IRQ_S_EVENTQ = 4,
    SMMU_IRQ_S_CMD_SYNC = 5,
    SMMU_IRQ_S_GERROR = 6,
    SMMU_IRQ_COUNT
} smmu_irq_t;
/* The wired interrupt of Performance Monitor Counter Group g (spec 10.2.1: edge-triggered, one
   per group): host->irq lines after the SMMU's own, SMMU_IRQ_COUNT + g. */
#define SMMU_IRQ_PMCG(g) ((int)SMMU_IRQ_COUNT + (int)(g))

/* A direct read grant (optional host->mem_ptr): physical range [base, base + size) is RAM the
   core may read at ptr (bytes as in memory: structures stay little-endian) for as long as
   *epoch == epoch_val. The host bumps its epoch word whenever it revokes any grant (TLM DMI
   invalidation, memory remapped, an abort region added), so a stale grant is never used. */
typedef struct smmu_mem_grant {
    const uint8_t *ptr; /* host address of physical address base */
    uint64_t base, size;
    const uint32_t *epoch;
    uint32_t epoch_val;
} smmu_mem_grant_t;

/* ---- invalidation scopes (host->invalidate_scope, smmu_inv_covers) ---- */
/* What made earlier translations possibly stale. */
enum {
    SMMU_INV_ALL = 0, /* everything: SMMUEN or GBPA changed, or smmu_reset() */
    SMMU_INV_CFG = 1, /* CMD_CFGI_* (spec 4.3): configuration of StreamIDs [sid_lo, sid_hi] */
    SMMU_INV_TLB = 2, /* CMD_TLBI_* (spec 4.4): TLB, walk-cache and IPA-cache entries */
};
/* Translation regimes ("StreamWorlds", spec 3.17) as bits of smmu_inv_scope_t.worlds and
   values of smmu_xlate_tags_t.world: NS-EL1 stage 1 (and nested), EL2, EL2-E2H, stage 2 only;
   the Secure ones of Secure streams (3.10, 3.17.2): Secure (Secure EL1 stage 1, STE.STRW 0b00)
   and EL3 (STRW 0b01). */
enum {
    SMMU_INV_W_EL1 = 1,
    SMMU_INV_W_EL2 = 2,
    SMMU_INV_W_EL2E2H = 4,
    SMMU_INV_W_S2 = 8,
    SMMU_INV_W_SEL1 = 16,
    SMMU_INV_W_EL3 = 32,
};
/* Which ASIDs a TLB invalidation reaches (spec 3.17.1, 4.4.2): any; only non-global entries of
   asid (TLBI_NH_ASID, TLBI_EL2_ASID); entries of asid and global ones (TLBI_NH_VA, EL2_VA). */
enum { SMMU_INV_ASID_ANY = 0, SMMU_INV_ASID_NONGLOBAL = 1, SMMU_INV_ASID_OR_GLOBAL = 2 };

/* The scope of one invalidation, decoded from the command exactly as the core applies it to
   its own caches. */
typedef struct smmu_inv_scope {
    uint8_t kind;   /* SMMU_INV_* */
    uint8_t opcode; /* the command's opcode (SMMU_CMD_* of <smmu/arch.h>); 0 for SMMU_INV_ALL */
    bool leaf;      /* the command's Leaf bit (CFGI_STE, CFGI_CD, TLBI by address) */
    /* SMMU_INV_CFG */
    uint32_t sid_lo, sid_hi; /* StreamIDs, inclusive (CFGI_ALL: 0 .. UINT32_MAX) */
    bool ste;                /* STEs too (CFGI_STE, _STE_RANGE, _ALL); false: CDs only */
    bool l1std;              /* L1 stream table descriptors too */
    bool ssid_all;           /* CDs of every SubstreamID; false: only CD number ssid (CFGI_CD) */
    uint32_t ssid;
    /* SMMU_INV_TLB */
    uint8_t worlds; /* SMMU_INV_W_* bits of the entries in scope */
    bool ipa_cache; /* stage-2 scope: IPA-cache entries (nested walks) too */
    bool vmid_any;  /* every VMID; false: only vmid */
    uint16_t vmid;
    uint8_t asid_mode; /* SMMU_INV_ASID_* */
    uint16_t asid;
    bool by_addr;              /* only input addresses [addr_lo, addr_hi]; false: every address */
    bool addr_ipa;             /* the range is of IPAs (TLBI_S2_IPA); otherwise canonical VAs */
    uint64_t addr_lo, addr_hi; /* inclusive */
    uint8_t tg;  /* range forms: granule shift of the entries in scope (12, 14, 16), 0: any */
    uint8_t ttl; /* range forms: leaf level hint, 0: any */
    /* A broadcast TLB invalidation (smmu_dvm_tlbi; opcode is the equivalent CMD_TLBI_*)... */
    bool broadcast;
    /* ...of a form that matches by ASID (VA{L}E1, ASIDE1, and their EL2-E2H forms), which leaves
       the entries of CDs with ASET == 1, non-shared address spaces (spec 3.17) */
    bool shared_only;
    /* SMMU_INV_CFG: the StreamIDs are Secure ones (a CMD_CFGI_* with SSec == 1 from the Secure
       Command queue, 4.1.6, 4.3); false (the default): Non-secure StreamIDs. A TLB scope says
       its Security state with its worlds. */
    bool secure;
} smmu_inv_scope_t;

typedef struct smmu_host { /* what the integrator provides */
    void *ctx;
    /* The SMMU's own accesses to system memory: table walks, STE/CD fetches, queue reads and
       writes, MSI writes. Return 0 on success, non-zero for an external abort, which the core
       turns into the architectural fault (F_WALK_EABT, F_STE_FETCH, GERROR ..._ABT_ERR ...). */
    int (*mem_read)(void *ctx, uint64_t pa, void *buf, size_t len, bool secure);
    int (*mem_write)(void *ctx, uint64_t pa, const void *buf, size_t len, bool secure);
    /* A wired interrupt output changes level (see smmu_irq_t; a PMCG group g signals on line
       SMMU_IRQ_PMCG(g), after the SMMU's own). May be NULL. */
    void (*irq)(void *ctx, int line, bool level);
    /* A stalled transaction (result SMMU_STALLED, tag stag) was resumed or terminated by
       CMD_RESUME / CMD_STALL_TERM / SMMUEN going to 0 / smmu_reset(): outcome is SMMU_STALL_RETRY
       (translate it again), SMMU_STALL_ABORT (answer with an abort) or SMMU_STALL_RAZWI (complete
       it with reads as zero, writes ignored). May be NULL. */
    void (*stall_done)(void *ctx, uint32_t sid, uint16_t stag, int outcome);
    /* Translations handed out before may no longer be valid: an invalidation command (CFGI_*,
       TLBI_*), a change of SMMUEN or GBPA. A bus wrapper revokes DMI here. May be NULL. */
    void (*invalidated)(void *ctx);
    /* CMD_ATC_INV for the ATC of device sid (spec 4.5.1): invalidate the 2^(12+size)-byte span
       starting at addr (the command's Address with bits below 12 + size cleared, spec 4.5.1;
       size 52: everything) of substream ssid (when ssv); global (only with ssv): the PCIe
       Global Invalidate flag. Not called while SMMUEN == 0 (IGNORED). Returns 0 when done,
       non-zero when the device did not complete it (the next CMD_SYNC then fails with
       CERROR_ATC_INV_SYNC). May be NULL (no ATC to invalidate). */
    int (*atc_inv)(void *ctx, uint32_t sid, uint32_t ssid, bool ssv, uint64_t addr, unsigned size,
                   bool global);
    /* A PRG Response to device sid (spec 4.5.2, 8.3): resp (SMMU_PRI_RESP_*, the PCIe Response
       Code) for page request group grpid, with PASID ssid when ssv. From CMD_PRI_RESP, or
       generated by the SMMU for a discarded page request (8.1, 8.2). May be NULL. */
    void (*pri_resp)(void *ctx, uint32_t sid, uint32_t ssid, bool ssv, uint16_t grpid,
                     unsigned resp);
    /* Optional (NULL: every read goes through mem_read): direct access for the SMMU's own
       non-secure reads (descriptors, STEs, CDs, L1 tables, commands), like TLM DMI. Asked for
       an address pa the core is about to read: returns true and fills *g (a range containing
       pa) when that memory is plain RAM, false otherwise (the read then goes through mem_read).
       A grant never covers memory whose reads abort. The core keeps a few grants and reads
       through one, without asking again, while its epoch is current; a read not entirely
       inside one grant goes through mem_read. Reads through a grant are counted and seen by
       the core exactly like mem_read ones. */
    bool (*mem_ptr)(void *ctx, uint64_t pa, smmu_mem_grant_t *g);
    /* Optional: what exactly an invalidation covers, for a host that keeps translations of its
       own (TLM DMI grants, a device-side cache): called once per CMD_CFGI_* / CMD_TLBI_* the
       core executes, and with SMMU_INV_ALL when SMMUEN or GBPA changes or on smmu_reset(),
       just before invalidated(). smmu_inv_covers() tells whether a translation is in scope.
       May be NULL. */
    void (*invalidate_scope)(void *ctx, const smmu_inv_scope_t *scope);
    /* Optional: trace points (<smmu/tracepoint.h>), every register access, command, structure
       fetch, walk step, cache fill / eviction / invalidation, translation outcome, event
       record, interrupt, MSI, stall and global error as a typed record. NULL: off, one branch
       per point. */
    void (*trace)(void *ctx, const smmu_tp_t *tp);
    /* Optional: an atomic 64-bit compare-and-swap on system memory, for hardware updates of
       the Access flag and dirty state of translation table descriptors (HTTU, spec 3.13; Arm
       ARM D8.5: "an atomic read-modify-write of that descriptor"). Atomically with respect to
       every other agent: *observed = the 8 bytes at pa (8-byte aligned) as a little-endian
       value; if *observed == expected, desired is stored there (little-endian), else memory
       is left as it is. Returns 0 when the access completed (whether or not it stored),
       non-zero for an external abort (nothing stored; the core reports F_WALK_EABT, 7.3.12).
       NULL: the system cannot update tables atomically, so the SMMU has no HTTU: SMMU_IDR0.HTTU
       reads 0 whatever params.httu says and the core behaves as before HTTU existed (6.3.1:
       "An SMMU that internally supports HTTU but does not have requisite system support must
       mark HTTU as 0b00"). */
    int (*mem_cas64)(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
                     uint64_t *observed, bool secure);
    /* Optional: for a host that holds counts of transactions its own translation cache
       answered (a TBU micro-TLB, docs/tlm.md) and hands them over in batches with
       smmu_count_transactions(). The core calls it first in every function that reads, clears,
       saves or replaces what they are counted in: smmu_get_stats, smmu_stream_stats,
       smmu_stream_stats_other, smmu_clear_stats, smmu_save_size, smmu_save, smmu_restore,
       smmu_reset and the PMCG register accesses (smmu_pmcg_reg_read / _write and their _sec
       forms), so that each of those sees every transaction counted. The callback may call
       smmu_count_transactions() and nothing else of the core. NULL: nothing is held. */
    void (*sync_counts)(void *ctx);
    /* Optional: the driver sanitizer's reports (params.dsan, <smmu/dsan.h>), one call each, from
       inside the register write, command or smmu_dsan_write() that found it. The callback must
       not call back into the core. NULL: reports are only counted (smmu_dsan_stats). */
    void (*dsan_report)(void *ctx, const smmu_dsan_report_t *r);
} smmu_host_t;

/* An MPAM label (chapter 17): PARTID, PMG and PARTID space (MPAM_NS, 17.7: 1 Non-secure). */
typedef struct smmu_mpam {
    uint16_t partid;
    uint8_t pmg;
    bool ns;
} smmu_mpam_t;

/* For a host memory callback (mem_read, mem_write, mem_ptr, mem_cas64) that labels the SMMU's
   own accesses: the MPAM label of the access in progress (17.4): SMMU_GMPAM's SO_PARTID/SO_PMG
   for L1STD/STE and VMS fetches, queue accesses and MSIs (SMMU_S_GMPAM's for those of the
   Secure interface, in the PARTID space its MPAM_NS selects, 17.7); the STE's PARTID/PMG for
   L1CD/CD fetches and stage-2 descriptors; the transaction's own label for stage-1 descriptors;
   SMMU_PMCG_GMPAM's for a PMCG's MSI (17.5). Outside a callback: the GMPAM label. Returns false
   (and a zero label) without params.mpam. */
bool smmu_mem_mpam(const smmu_t *s, smmu_mpam_t *m);

/* What became of a stalled transaction (spec 4.7.1 CMD_RESUME Action/Abort, 4.7.2). */
enum { SMMU_STALL_RETRY = 0, SMMU_STALL_ABORT = 1, SMMU_STALL_RAZWI = 2 };

/* The IDR0.STALL_MODEL encodings SMMU_STALL_MODEL_* are in <smmu/arch.h>. */

/* Caches of the model (spec 3.17, 3.21, 16.2): translation lookaside buffer of final
   translations, walk cache of table descriptors, IPA cache of stage-2 translations (nested),
   configuration caches of decoded STEs, decoded CDs, and L1STD / L1CD descriptors. */
enum {
    SMMU_CACHE_TLB = 0,
    SMMU_CACHE_WALK = 1,
    SMMU_CACHE_IPA = 2,
    SMMU_CACHE_STE = 3,
    SMMU_CACHE_CD = 4,
    SMMU_CACHE_L1 = 5,
    SMMU_CACHE_COUNT
};
/* Replacement policy of a cache set. LRU: at the granularity of fills (the LRU time advances
   when a line is filled; the lines hit since the last fill are equally recent; the first way
   among the oldest is the victim). */
enum { SMMU_REPL_LRU = 0, SMMU_REPL_RR = 1, SMMU_REPL_RANDOM = 2 };
/* Geometry of one cache: entries / ways sets (entries a multiple of ways, at most 2^24);
   disabled or 0 entries: nothing is cached. */
typedef struct smmu_cache_geom {
    uint32_t entries;
    uint8_t ways; /* 1 .. 64 */
    uint8_t repl; /* SMMU_REPL_* */
    bool enable;
} smmu_cache_geom_t;

/* Implementation choices. Everything the ID registers report comes from here, and the core
   honours exactly what they report. smmu_params_init() gives a fully featured SMMUv3. */
typedef struct smmu_params_s { /* tag differs from the function of that name (C++ -Wshadow) */
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
    uint8_t bbml; /* IDR3.BBML (3.21.1.1-3.21.1.3), 0..2, default 2: 2 ignores nT and resolves
                     TLB multi-hits (never F_TLB_CONFLICT); 1 does not cache Block descriptors
                     with nT == 1 and reports F_TLB_CONFLICT for TLB entries of two sizes that
                     cover one address, unless they differ only by the Contiguous hint; 0 like 1
                     with nT RES0 (treated as 0), and every such multi-hit reported */
    /* IDR5 */
    uint8_t oas_bits; /* 32, 36, 40, 42, 44, 48 or 52 (the default; 52 needs gran64k or lpa2) */
    bool gran4k, gran16k, gran64k;
    uint16_t stall_max; /* IDR5.STALL_MAX: outstanding stalled transactions supported */
    /* IIDR / AIDR */
    uint32_t iidr;
    /* AIDR.ArchMinorRev (6.3.8): 0 = SMMUv3.0, 1 = v3.1, 2 = v3.2, 3 = v3.3 (the default);
       4 or more is refused by smmu_new (the core lacks v3.4's mandatory features, 2.8). It
       selects the version: smmu_new turns off, in the instance's effective parameters
       (smmu_params()), every feature that version cannot have (spec 2.9): one introduced in
       v3.(N+1) as Mandatory, and any introduced in v3.(N+2) or later; one introduced in v3.(N+1)
       as Optional stays as given (2.9 lets a v3.N have any subset of v3.(N+1)). A feature
       turned off behaves exactly as its parameter set off: ID field 0, its STE/CD/command
       fields ILLEGAL or RES0. With the defaults: v3.2 has no E0PD, PTWNNC; v3.1 neither, nor
       RIL, BBML (Level 0), FWB; v3.0 neither, nor XNX. smmu_params_init_version() gives a pure
       v3.N. The integrator keeps what the version makes mandatory (spec 6.3: e.g. v3.3 E0PD,
       PTWNNC with stage 2; v3.2 RIL, BBML 1 or 2, FWB, Hyp with both stages; v3.1 XNX with
       stage 2): smmu_params_init()'s defaults do. */
    uint8_t arch_minor;
    /* Behaviour of the model, not the architecture */
    bool defer_cmdq; /* commands are consumed only by smmu_cmdq_run(), not in the PROD write */
    smmu_cache_geom_t cache[SMMU_CACHE_COUNT]; /* indexed by SMMU_CACHE_* */
    uint64_t cache_seed;           /* seed of the SMMU_REPL_RANDOM generator (per instance) */
    uint32_t stream_stats_entries; /* streams with their own statistics (smmu_stream_stats),
                                      at most 65536 */
    /* The translation memo: a model-internal, architecturally invisible cache of final results
       in front of the configuration caches and the TLB. A translation whose STE, CD and TLB
       lookups would all hit is answered from it with the same result and the same side effects
       (statistics, LRU ages) as the full path. 64 bytes per entry. 0: sized from the TLB (the
       power of two >= its entries, at least 256; none when that exceeds 2^17, where the memo no
       longer fits the host's caches); otherwise a power of two <= 2^24 (for a footprint beyond
       the host's caches, a memo hit with no fill or invalidation since its entry's last hit
       reads one host cache line of it: docs/performance.md, issue 18). */
    uint32_t memo_entries;
    bool memo_off; /* no memo: every translation takes the full path (A/B measurements) */
    /* Several threads use the instance at once (see "Concurrent use" below): the core locks
       internally. false (the default): the caller serialises every call, nothing is locked. */
    bool concurrent;
    /* IDR0.HTTU (6.3.1, 3.13): 0 no hardware table updates; 1 Access flag (CD.HA, STE.S2HA);
       2 Access flag and dirty state (also CD.HD, STE.S2HD); 3 also the Access flag in Table
       descriptors (HAFT: CD.HAFT, STE.S2HAFT; 3.13.6; the default). Takes effect only with
       host->mem_cas64 (otherwise 0: smmu_params() of the instance shows the value in effect);
       3 needs arch_minor >= 3 (HAFT is a v3.4 feature, 2.8, 2.9; otherwise 2 in effect). */
    uint8_t httu;
    /* IDR3.FWB (6.3.4, 13.1.6): stage-2 forced write-back, STE.S2FWB honoured (Arm ARM D8.6.6;
       mandatory from SMMUv3.2, the default). false: IDR3.FWB = 0 and STE.S2FWB is RES0. Reported
       without stage 2 too (6.3.4: "FWB is 1 in an implementation of SMMUv3.2 or later"), where
       there is no stage-2 STE field for it to act on. */
    bool fwb;
    /* IDR3.E0PD (6.3.4; SMMUv3.3-E0PD, 2.5): CD.E0PD0/E0PD1 honoured, so an unprivileged access
       to a TTBx half with E0PDx == 1 is a stage-1 Translation fault, without a walk or a TLB
       lookup (5.4; Arm ARM FEAT_E0PD, D8.2). Mandatory from SMMUv3.3; the default. false:
       IDR3.E0PD = 0 and CD.E0PDx are RES0. */
    bool e0pd;
    /* IDR3.PTWNNC (6.3.4; SMMUv3.3-PTWNNC, 2.5): with STE.S2PTW == 0, stage-1 table walks and CD
       fetches that stage 2 maps as Device are made as Normal Non-cacheable (5.2 S2PTW). The
       core's table reads carry no memory type, so both values describe it; true (the default,
       mandatory from SMMUv3.3 with stage 2) reports 1. Takes effect only with stage 2 (s2;
       otherwise false in smmu_params() of the instance: the field is RES0). */
    bool ptwnnc;
    /* IDR3.XNX (6.3.4; mandatory from SMMUv3.1 with stage 2, 2.7): stage-2 Block and Page
       descriptors' XN[1:0] (bits [54:53]) control execution separately for privileged (EL1) and
       unprivileged (EL0) instruction fetches, and a transaction's PRIV attribute is used in the
       stage-2 permission check (13.4; Arm ARM D8.4.2.1, Table D8-78). The default. false:
       IDR3.XNX = 0, only bit [54] counts (Table D8-77) and bit [53] is ignored. Takes effect
       only with stage 2 (s2; otherwise false in smmu_params() of the instance). */
    bool xnx;
    /* IDR5.VAX (6.3.6; SMMUv3.1-VAX, 2.3): 0b01, CD.TTBx translate VAs of up to 52 bits: CD.TxSZ
       down to 12 with the 64KB granule, or with CD.DS == 1 and a 4KB/16KB granule (5.4 T0SZ,
       CdIllegal). The default. false: IDR5.VAX = 0b00, TxSZ < 16 makes the CD ILLEGAL. Takes
       effect only from SMMUv3.1 (arch_minor >= 1) with a granule that can use it (GRAN64K, or
       lpa2): otherwise false in smmu_params() of the instance. */
    bool vax;
    /* IDR5.DS (6.3.6; SMMUv3.4-LPA2, 2.8, FEAT_LPA2): CD.DS and STE.S2DS give the 4KB and 16KB
       granules 52-bit input and output addresses (Arm ARM D8.2.8, D8.2.9, D8.3: OA[51:50] in
       descriptor bits [9:8], level -1 for 4KB, 16KB stage-2 level 0, 4KB level 0 and 16KB level
       1 blocks, STE.S2SL0_2), and the range TLBI SCALE is 6 bits (4.4.1). The default. false:
       IDR5.DS = 0, CD.DS / STE.S2DS / S2SL0_2 / SCALE[5] are RES0. Needs VAX (6.3.6 DS), a 4KB
       or 16KB granule and arch_minor >= 3 (an SMMUv3.3 may include v3.4 features, 2.9; the
       default arch_minor 2 may not): otherwise false in smmu_params() of the instance. */
    bool lpa2;
    /* IDR0.ATOS (6.3.1; chapter 9): the Non-secure ATOS register group SMMU_GATOS_CTRL, _SID,
       _ADDR, _PAR (6.3.37-6.3.40), whose lookup completes within the write of RUN (RUN reads
       0 afterwards). The default. false: IDR0.ATOS = 0 and the group is RAZ/WI. No VATOS page
       (IDR0.VATOS = 0). */
    bool atos;
    /* Performance Monitor Counter Groups (chapter 10): each group is a register page (and Page
       1 with pmcg_reloc) reached through smmu_pmcg_reg_read/write, counting the architected
       events 0 - 7 (10.3; 6 and 7 only with ats) of every StreamID. With secure_impl each group
       supports Secure state (10.6: SMMU_PMCG_SCR through smmu_pmcg_reg_read_sec/_write_sec,
       Secure events counted with SCR.SO and EVTYPERn.FILTER_SEC_SID, Secure MSIs with
       SCR.NSMSI == NSRA == 0); with mpam its MSIs carry SMMU_PMCG_GMPAM's label (17.5;
       CFGR.MPAM, PMCG_MPAMIDR / S_MPAMIDR report the SMMU's maxima). pmcg_groups: 0 -
       SMMU_PMCG_MAX_GROUPS, default 1 (SBSA asks for a PMCG). pmcg_counters: 1 - 64 per group,
       default 8 (SBSA level 7: at least 4). pmcg_counter_bits: 32, 36, 40, 44, 48 or 64 (10.5.2.13
       SIZE), default 64: the largest architected size; Linux arm_smmuv3_pmu then takes the 64-bit
       path (8-byte EVCNTR stride, 64-bit accesses) and overflows are practically never seen. */
    uint8_t pmcg_groups;
    uint8_t pmcg_counters;
    uint8_t pmcg_counter_bits;
    bool pmcg_reloc;      /* CFGR.RELOC_CTRS: Page 1 holds the counters (recommended, 10.5);
                             default true */
    bool pmcg_msi;        /* CFGR.MSI: the groups send MSIs (recommended, 10.2.1); default true */
    bool pmcg_capture;    /* CFGR.CAPTURE: CAPR and SVRn (10.2.1); default true */
    bool pmcg_sid_global; /* CFGR.SID_FILTER_TYPE: one StreamID filter (SMR0, EVTYPER0) for all
                             counters (10.4); default false: one filter per counter */
    /* SMMU_S_IDR1.SECURE_IMPL (6.3.53; 3.10): the Secure programming interface (the SMMU_S_*
       bank, smmu_reg_read_sec / smmu_reg_write_sec), Secure streams (smmu_txn_t.secure) through
       the Secure Stream table, the Secure Command and Event queues and their wired interrupts
       (SMMU_IRQ_S_*). S_IDR1.SEL2 = 0: no Secure EL2 / stage 2. The default. Needs stage 1 (s1;
       otherwise false in smmu_params() of the instance). false: the SMMU_S_* registers are RES0
       and Secure transactions are refused as before. */
    bool secure_impl;
    /* IDR3.MPAM (6.3.4, chapter 17; SMMUv3.2-MPAM, optional, 2.4): output transactions and the
       SMMU's own accesses carry a PARTID and PMG (smmu_result_t.partid/pmg, smmu_mem_mpam()),
       SMMU_MPAMIDR / GMPAM / GBPMPAM (6.3.41-6.3.43) are present, STE.PARTID/PMG/S1MPAM/VMSPtr
       and CD.PARTID/PMG are honoured, and nested streams with STE.S1MPAM map CD.PARTID through
       the VMS (5.6); with secure_impl also SMMU_S_MPAMIDR / S_GMPAM / S_GBPMPAM (6.3.87-6.3.89)
       and Secure streams' labels in Secure PARTID space (17.7; mpam_s_*, mpam_ns below). The
       default (with mpam_partid_max 255, mpam_pmg_max 3). false: IDR3.MPAM
       = 0, those registers and fields RES0, every output's partid/pmg/mpam_ns 0. Needs
       arch_minor >= 1 (a v3.1 may include this v3.2 option, 2.9): otherwise false in
       smmu_params() of the instance. */
    bool mpam;
    uint16_t mpam_partid_max; /* SMMU_MPAMIDR.PARTID_MAX (6.3.41) */
    uint8_t mpam_pmg_max;     /* SMMU_MPAMIDR.PMG_MAX */
    /* SMMU_S_MPAMIDR (6.3.87; with mpam and secure_impl, otherwise RES0): the maxima of the
       Secure PARTID space, which Secure streams, S_GBPMPAM and S_GMPAM use (17.7). Both 0:
       MPAM is not supported for Secure state (17.1; Secure labels all 0). Defaults 255 and 3
       (the Non-secure ones: the pseudocode's effective_MPAM_PARTID_MAX lets them differ). */
    uint16_t mpam_s_partid_max;
    uint8_t mpam_s_pmg_max;
    /* SMMU_S_MPAMIDR.HAS_MPAM_NS (6.3.87; SMMUv3.3-MPAM_NS, optional, 2.5): S_GBPMPAM.MPAM_NS,
       S_GMPAM.MPAM_NS and STE.MPAM_NS of Secure STEs put the labels they govern in Non-secure
       PARTID space (with SMMU_MPAMIDR's maxima), and SMMU_PMCG_SCR.MSI_MPAM_NS does so for
       Secure PMCG MSIs (PMCG_S_MPAMIDR.HAS_MPAM_NS, 17.5). The default. Needs mpam,
       secure_impl and arch_minor >= 2 (a v3.2 may include this v3.3 option): otherwise false
       in smmu_params() of the instance. false: those bits RES0, every Secure label in Secure
       PARTID space. */
    bool mpam_ns;
    /* ---- Open choices (issue 22; <smmu/choice.h>, docs/choices.md) ----
       What the model does where the architecture permits several behaviours: a profile
       (SMMU_PROFILE_DEFAULT, the model's behaviour before choices existed; _STRICT, _LENIENT,
       _RANDOM with choices.seed) and per-choice overrides (choices.set[SMMU_CHOICE_*]: 0 from
       the profile, 1 + behaviour). smmu_new refuses an unknown profile or behaviour.
       smmu_choices_parse() reads the same from text ("profile=strict,cmd_res0=ignore"). */
    smmu_choices_t choices;
    /* ---- Driver sanitizer (issue 22, <smmu/dsan.h>): not architecture, not in the saved
       state's params digest. Off by default. ---- */
    smmu_dsan_params_t dsan;
} smmu_params_t;

enum { SMMU_PMCG_MAX_GROUPS = 16 };

void smmu_params_init(smmu_params_t *p); /* defaults: a fully featured SMMUv3.3 */
/* smmu_params_init(), then every feature introduced after SMMUv3.<arch_minor> off (a pure
   SMMUv3.N, without the optional features of v3.(N+1) that smmu_new would keep), and
   p->arch_minor = arch_minor. */
void smmu_params_init_version(smmu_params_t *p, unsigned arch_minor);
/* Returns NULL when params are out of their architected ranges or host has no mem_read/mem_write.
 */
smmu_t *smmu_new(const smmu_params_t *p, const smmu_host_t *host);
void smmu_free(smmu_t *s);
/* Reset: registers, caches, queues' state and statistics as in a new instance; every stalled
   transaction is terminated first (stall_done with SMMU_STALL_ABORT). */
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
/* ---- Performance Monitor Counter Groups (spec chapter 10, params.pmcg_*) ----
   Group g's registers: offset in Page 0 (10.5.1), or SMMU_PMCG_PAGE1 + offset in Page 1 when
   CFGR.RELOC_CTRS (<smmu/regs.h>). size 4 or 8 (64-bit registers also as aligned 32-bit halves,
   10.5 / 6.2); another size, a misaligned access, a group that does not exist or a location
   that is RES0 reads as zero and ignores writes. An overflow raises host->irq line
   SMMU_IRQ_PMCG(g) (a pulse) and the group's MSI (IRQ_CFG0..2). */
uint64_t smmu_pmcg_reg_read(smmu_t *s, unsigned group, uint64_t offset, unsigned size);
void smmu_pmcg_reg_write(smmu_t *s, unsigned group, uint64_t offset, uint64_t value, unsigned size);
/* The same with the access's security (10.6; with params.secure_impl each group supports Secure
   state): smmu_pmcg_reg_read/write are the Non-secure access. SMMU_PMCG_SCR and
   SMMU_PMCG_S_MPAMIDR are RAZ/WI to a Non-secure access, and with SCR.NSRA == 0 so is every
   register of the group; a Secure access reaches them all. */
uint64_t smmu_pmcg_reg_read_sec(smmu_t *s, unsigned group, uint64_t offset, unsigned size,
                                bool secure);
void smmu_pmcg_reg_write_sec(smmu_t *s, unsigned group, uint64_t offset, uint64_t value,
                             unsigned size, bool secure);
/* The core has no clock: the host advances event 0 (clock cycle, 10.3) of every group by
   cycles SMMU clock cycles (the TLM wrapper from its time annotations). */
void smmu_pmcg_tick(smmu_t *s, uint64_t cycles);

/* A register access with its security (spec 6.2): secure == false is smmu_reg_read/write (the
   SMMU_S_* bank, page 0 0x8000-0x80FF, is RAZ/WI to it); a Secure access reaches the SMMU_S_*
   bank (with params.secure_impl; RES0 otherwise) and every Non-secure register. */
uint64_t smmu_reg_read_sec(smmu_t *s, uint64_t offset, unsigned size, bool secure);
void smmu_reg_write_sec(smmu_t *s, uint64_t offset, uint64_t value, unsigned size, bool secure);
/* Consume up to max commands (max 0: until the queue is empty or stops on an error). Returns the
   number consumed. With defer_cmdq the host calls this; otherwise CMDQ_PROD writes do. */
unsigned smmu_cmdq_run(smmu_t *s, unsigned max);
/* The same for the Secure Command queue (secure; SMMU_S_CMDQ_*, params.secure_impl) or the
   Non-secure one. */
unsigned smmu_cmdq_run_sec(smmu_t *s, unsigned max, bool secure);

/* ---- Broadcast TLB maintenance (params.btm, SMMU_IDR0.BTM; spec 3.17) ----
   A PE's TLBI ...IS / ...OS instruction as the interconnect delivers it to the SMMU (a DVM TLB
   invalidate message), Non-secure or (secure) Secure EL1. */
enum {
    SMMU_DVM_VA,       /* TLBI VA{L}E1, RVA{L}E1: asid (and global entries), vmid, address */
    SMMU_DVM_VAA,      /* VAA{L}E1, RVAA{L}E1: every ASID, vmid, address */
    SMMU_DVM_ASID,     /* ASIDE1: non-global entries of asid, vmid */
    SMMU_DVM_VMALL,    /* VMALLE1: every stage-1 entry of vmid */
    SMMU_DVM_IPA,      /* IPAS2{L}E1, RIPAS2{L}E1: stage-2 entries of vmid, address an IPA */
    SMMU_DVM_VMALLS12, /* VMALLS12E1: every entry of vmid, both stages */
    SMMU_DVM_ALLE1,    /* ALLE1: every EL1&0 entry, every VMID */
    SMMU_DVM_VA_EL2,   /* VA{L}E2, RVA{L}E2: EL2 entries; from EL2-E2H (e2h) of asid and global */
    SMMU_DVM_VAA_EL2,  /* VAA{L}E2, RVAA{L}E2 (sent from EL2-E2H): every ASID */
    SMMU_DVM_ASID_EL2, /* ASIDE2 (sent from EL2-E2H): non-global EL2-E2H entries of asid */
    SMMU_DVM_ALLE2,    /* ALLE2: every EL2 and EL2-E2H entry */
    SMMU_DVM_VA_EL3,   /* VA{L}E3, RVA{L}E3: EL3 entries by address (3.17.2; secure implied) */
    SMMU_DVM_ALLE3,    /* ALLE3: every EL3 entry (3.17.2; secure implied) */
};
typedef struct smmu_dvm_tlbi_s {
    uint8_t op;    /* SMMU_DVM_* */
    bool secure;   /* a Secure EL1 operation (3.17.2): reaches StreamWorld Secure entries */
    bool e2h;      /* EL2 forms: sent by a PE in EL2-E2H (HCR_EL2.E2H == 1), with an ASID */
    bool leaf;     /* the L forms (VALE1, ...): only leaf entries */
    uint16_t asid; /* zero-extended from an 8-bit ASID (3.17.4) */
    uint16_t vmid; /* the PE's VMID; 0 from a PE without EL2 (3.17) */
    uint64_t addr; /* by-address forms: the VA or IPA, in bytes */
    uint8_t tg;    /* SMMU_CMD_TLBI_TG_* of the PE's TTL or range granule; 0: none */
    uint8_t ttl;   /* leaf level hint (FEAT_TTL), with tg; 0: none */
    bool range;    /* the R forms (FEAT_TLBIRANGE): (num + 1) * 2^(5 * scale + 1) pages of tg */
    uint8_t num;   /* 0..31 */
    uint8_t scale; /* 0..3 */
} smmu_dvm_tlbi_t;
/* Delivers one broadcast TLB invalidation. Ignored (false) when broadcast TLB maintenance is not
   implemented (params.btm false), when SMMU_(S_)CR2.PTM == 1 for the operation's Security state
   (3.17: Arm strongly recommends ignoring then), and for forms of a stage or regime the SMMU
   does not implement (3.17: silently ignored; a form with a combined effect affects the
   implemented stage; Secure EL2 and Secure stage 2 are not implemented, so a Secure operation's
   EL2 and IPA forms are ignored and its VMALLS12E1 acts as VMALLE1, 3.17.2.1). Otherwise (true) it
   removes what the PE's TLBI removes from the SMMU's TLB, walk cache and IPA cache, as the
   equivalent CMD_TLBI_* would, except that the ASID-matching forms leave entries of CDs with ASET
   == 1 (3.17), and notifies the host (invalidate_scope, with broadcast set, then invalidated). It
   completes on return, as the PE's DSB would wait for. */
bool smmu_dvm_tlbi(smmu_t *s, const smmu_dvm_tlbi_t *op);

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
    /* Incoming memory type and shareability (13.1; from AMBA AxCACHE / AxDOMAIN: smmu_amba_in,
       <smmu/amba.h>), which translations that bypass stage 1 output and the STE / GBPA MTCFG,
       MemAttr, ALLOCCFG and SHCFG overrides act on. in_attr_valid false: Normal inner and outer
       Write-back, read/write-allocate (0xFF), Inner Shareable. */
    bool in_attr_valid;
    uint8_t in_attr; /* MAIR-format attribute byte, as smmu_result_t.attr */
    uint8_t in_sh;   /* SMMU_SH_* */
    /* The client cannot be stalled (AMBA AXI untranslated transactions' NoStall and PRI flows,
       IHI 0022 A13.6.3, A13.6.4): a fault the configuration would stall is instead terminated
       with an abort and recorded with Stall == 0 (3.12). */
    bool nostall;
    /* The client uses the AMBA PRI flow (IHI 0022 A13.6.4: a PCIe integrated endpoint for which
       software enables ATS, that answers a translation fault with a PRI Page Request and a
       retry). Implies nostall. Where the stream's effective STE.EATS is not 0b00 (software has
       enabled ATS, 3.9.1), a translation-related fault (F_TRANSLATION, F_ADDR_SIZE, F_ACCESS,
       F_PERMISSION of an enabled stage) is answered as an ATS Translation Request answers it
       (3.9.1.2, 3.13: no access, no event, which the device resolves with a Page Request): the
       transaction is terminated with smmu_result_t.transfault set, neither stalled nor recorded,
       whatever CD.{A,R,S} / STE.{S2R,S2S} say. Any other fault, and every fault of a stream
       without ATS enabled, is handled as for nostall. */
    bool pri;
} smmu_txn_t;

typedef enum { SMMU_OK, SMMU_FAULT, SMMU_STALLED } smmu_status_t;

/* The event numbers SMMU_EVT_* and fault classes SMMU_CLASS_* are in <smmu/arch.h>. */

typedef struct smmu_result {
    smmu_status_t status;
    uint64_t pa;    /* output address when OK */
    uint64_t span;  /* size of the aligned region that translates the same way (page, block
                       or the range of a Contiguous == 1 descriptor, a power of two of at least
                       4 KB), for DMI/ATS; never 0 when status is SMMU_OK */
    uint32_t event; /* architectural event number of the fault, or 0 */
    uint16_t stag;  /* when STALLED */
    bool ns;        /* output address space */
    uint8_t perm;   /* granted SMMU_PERM_R | _W | _X */
    /* memory attributes and shareability of the output, for the downstream payload */
    uint8_t attr;  /* MAIR-format attribute byte (0x00 Device-nGnRnE .. 0xFF WB RW-alloc) */
    uint8_t sh;    /* 0 non-shareable, 2 outer, 3 inner */
    bool abort;    /* FAULT: true -> abort the access (bus error); false -> RAZ/WI */
    bool recorded; /* an event record was written (or lost to overflow) for this access */
    /* FAULT of a PRI-flow transaction (smmu_txn_t.pri) that a PRI Page Request may resolve: the
       client gets the AMBA TRANSFAULT response (IHI 0022 A13.6.4, xRESP 0b101); abort is true,
       recorded false. Only smmu_translate() and smmu_translate_batch() report it. */
    bool transfault;
    /* cost of this translation, for timing models */
    bool tlb_hit, cfg_hit;
    uint16_t mem_reads; /* descriptor / STE / CD reads performed */
    /* lookups and hits of each cache (SMMU_CACHE_* order) and translation table descriptor
       reads made by this translation: what smmu_cost_counters() differences give, without
       reading the counters around the call (0 for a debug translation) */
    uint16_t lookups[SMMU_CACHE_COUNT], hits[SMMU_CACHE_COUNT];
    uint16_t walk_reads;
    /* MPAM label of the output transaction (chapter 17; all 0 without params.mpam): PARTID and
       PMG from GBPMPAM in global bypass and for ATS Translated traffic with ATSCHK == 0, else
       from the STE, or the CD (STE.S1MPAM, through the VMS PARTID_MAP when nested: 17.2, 17.3);
       mpam_ns: the PARTID space, 1 Non-secure (MPAM_NS, 17.7): always for a Non-secure stream;
       for a Secure one 0, or 1 with STE.MPAM_NS / S_GBPMPAM.MPAM_NS (params.mpam_ns) */
    uint16_t partid;
    uint8_t pmg;
    bool mpam_ns;
} smmu_result_t;

void smmu_translate(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r);

/* The compact answer of smmu_translate_fast(): what a caller forwarding the transaction needs,
   24 bytes. Each field means what the smmu_result_t field of the same name does; event is the
   architectural event number (8 bits, 7.3). No span, costs or memory-read counts. */
typedef struct smmu_result_fast {
    uint64_t pa;     /* output address when OK */
    bool ns;         /* output address space */
    uint8_t perm;    /* granted SMMU_PERM_R | _W | _X */
    uint8_t attr;    /* MAIR-format attribute byte */
    uint8_t sh;      /* 0 non-shareable, 2 outer, 3 inner */
    uint16_t partid; /* MPAM label of the output transaction */
    uint8_t pmg;
    bool mpam_ns;
    uint16_t stag;  /* when STALLED */
    uint8_t event;  /* architectural event number of the fault, or 0 */
    uint8_t status; /* smmu_status_t */
    bool abort;     /* FAULT: abort the access (bus error); false: RAZ/WI */
    bool recorded;  /* an event record was written (or lost to overflow) */
    bool tlb_hit, cfg_hit;
} smmu_result_fast_t;

/* smmu_translate() with a compact result: the same translation, result fields, side effects
   (statistics, replacement state, events, stalls, PMCG, trace points, host callbacks) and
   invalidation behaviour, for callers that need no span or cost. A plain hit of the translation
   memo (smmu_params_t.memo_entries: its STE, CD and TLB lines all still hold what it was
   computed from) is answered in a short path that writes only this result; anything else
   (a memo miss, a fault, a stall, an ATS transaction, a PMCG counting, the XLATE trace point
   on, params.concurrent) goes through smmu_translate() and is copied into *r. Called as
   smmu_translate() is (one thread at a time on the instance's own port). */
void smmu_translate_fast(smmu_t *s, const smmu_txn_t *t, smmu_result_fast_t *r);

/* ---- Stream handles: a transaction's constant part prepared once ----
   A device's transactions differ by address and access kind only; its StreamID, SubstreamID,
   security state, privilege and the other smmu_txn_t fields stay the same. A stream handle holds
   those fields and, prepared from them once, the key and hash seed under which the translation
   memo files the device's results, so that a translation through the handle does not rebuild
   them from six fields on every call.

   A handle is a value computed from its template transaction only: it holds no translation,
   configuration, cache or statistics state and no pointer, so it can never answer with a stale
   translation. Every call validates the memo entry it finds exactly as smmu_translate() does (the
   fill identities of the STE, CD and TLB lines the entry came from, through the memo's validation
   clock; memo.c), so invalidations (CMD_CFGI_*, CMD_TLBI_*, DVM), STE / CD / table changes, SMMUEN
   or GBPA changes, smmu_reset(), smmu_restore() and statistics clears act on handle translations
   as on any other. Lifetime rules:
     - a handle stays valid for as long as the caller keeps it, across all of the above, and may
       be used with any instance (it names a transaction, not a stream's state);
     - it is only written by smmu_stream_handle_init(); a handle changed otherwise (or never
       prepared) gives an undefined key: its fields are private;
     - to change a field (another SubstreamID, privilege, a security state), prepare another
       handle; a handle is cheap (prepare one per (StreamID, SubstreamID, attributes) in use);
     - the entry points only read a handle: one handle may serve several instances, or several
       callers in turn (each calls as smmu_translate() is called, one at a time per instance).
   Cost: a memo hit through a handle is about 60 host instructions, against about 100 for
   smmu_translate_fast() and 140 for smmu_translate() (docs/performance.md, issue 18). */
typedef struct smmu_stream_handle {
    uint64_t ids;   /* private: the memo key's StreamID / SubstreamID word */
    uint64_t mix;   /* private: its contribution to the memo's set hash */
    uint64_t key;   /* private: the access attributes' key code, as the memo's tag word has it */
    smmu_txn_t txn; /* the template (addr, write and exec are ignored) */
} smmu_stream_handle_t;

/* Access kinds of smmu_translate_handle(): bit 0 write (else read), bit 1 instruction fetch
   (smmu_txn_t.write and .exec; both: an instruction fetch that writes, as smmu_txn_t allows);
   bits above [1:0] are ignored. */
enum { SMMU_ACCESS_READ = 0, SMMU_ACCESS_WRITE = 1, SMMU_ACCESS_EXEC = 2 };

/* Prepares h from the template t: every smmu_txn_t field but addr, write and exec (which each
   call gives). Any template is accepted: one the memo cannot answer (an ATS transaction, input
   attributes of its own) gives a handle whose calls all take smmu_translate(). */
void smmu_stream_handle_init(smmu_stream_handle_t *h, const smmu_txn_t *t);

/* smmu_translate_fast() of the transaction h's template with addr and the access kind access
   (SMMU_ACCESS_*): the same result, side effects (statistics, replacement state, events,
   stalls, PMCG, trace points, host callbacks) and invalidation behaviour, for any handle and
   any state of the instance; only faster on a plain memo hit (the key comes prepared). Called as
   smmu_translate() is (one thread at a time on the instance's own port). */
void smmu_translate_handle(smmu_t *s, const smmu_stream_handle_t *h, uint64_t addr, unsigned access,
                           smmu_result_fast_t *r);

/* n translations through one handle, all of access kind access: exactly
   smmu_translate_handle(s, h, addr[i], access, &r[i]) for i = 0 .. n-1 in order (the same results,
   events, stalls, statistics, cache and PMCG state, host callbacks), for a device issuing a burst
   (a scatter-gather list, a descriptor ring); memo hits cost less than n single calls (their
   statistics are counted once per run of hits). addr and r must not overlap; n == 0 does
   nothing; called as smmu_translate() is. */
void smmu_translate_handle_batch(smmu_t *s, const smmu_stream_handle_t *h, const uint64_t *addr,
                                 unsigned access, smmu_result_fast_t *r, size_t n);

/* n translations t[0..n-1] into r[0..n-1]: exactly n smmu_translate() calls in order (the same
   results, events, stalls, statistics, cache and PMCG state, host callbacks other than mem_ptr
   and trace points), made faster for TLB misses by overlapping their table reads: before
   translating a group of them the core looks ahead without side effects (no statistics, no
   replacement state, no trace point) at the cached configuration, TLB, walk cache and held
   table grants, and prefetches into the host's caches the TLB sets and the descriptors the
   walks will read. The look-ahead may ask host->mem_ptr for a table page a walk of the batch is
   about to read, earlier than smmu_translate() would (the only difference a host can see).
   The look-ahead runs only while the previous group's walks went below the walk cache (traffic
   scattered beyond its reach, whose table reads miss the host's caches); other traffic is
   translated without it. Allocation-free; r and t must not overlap; n == 0 does nothing; like
   smmu_translate(), called by one thread at a time. A stalled or faulting translation does not
   stop the batch: each r[i] is what smmu_translate gives it. */
void smmu_translate_batch(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r, size_t n);

/* ---- Concurrent use ----
   With params.concurrent, one instance may be used from several threads at once:
   - translations run concurrently, each thread through a port of its own: smmu_port_new()
     gives one (like a TBU in front of the shared SMMU), smmu_port_translate() translates
     through it; a port is used by one thread at a time. smmu_translate() translates through
     the instance's own port, so it too is called by one thread at a time. A translation that
     the memo answers (a TLB hit) takes no lock; any other takes the instance's lock;
   - every other function (registers, smmu_cmdq_run, smmu_reset, debug and ATS translations,
     PRI, statistics, smmu_set_trace, ...) may be called from any thread at any time: the core
     serialises them with the translations' misses. Host callbacks are called with that lock
     held, never two at once, from whichever thread is inside the core;
   - ordering: a translation that starts after the completion of a CMD_SYNC was observed (its
     CONS update read, its interrupt or MSI seen, or any synchronisation with a thread that
     observed it) uses no cached translation or configuration that the commands before that
     CMD_SYNC invalidated. A translation running while the invalidation is consumed may use
     either (as an in-flight transaction of real hardware may);
   - statistics are exact: each translation is counted once, by its port (smmu_clear_stats
     while other threads translate may leave a few of their counts in).
   Without params.concurrent the caller serialises everything (ports may still be used, one
   call at a time). smmu_free() is never concurrent with anything. */
typedef struct smmu_port smmu_port_t;
/* A port for one translating thread; NULL on allocation failure. */
smmu_port_t *smmu_port_new(smmu_t *s);
/* Frees a port; its translations stay counted in the statistics. */
void smmu_port_free(smmu_port_t *p);
/* smmu_translate() through port p. */
void smmu_port_translate(smmu_port_t *p, const smmu_txn_t *t, smmu_result_t *r);
/* The same translation without side effects: no event record, no stall, no statistics, no
   cache fill (for debug accesses such as TLM transport_dbg). A fault is reported as SMMU_FAULT. */
void smmu_translate_dbg(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r);

/* What a translation depends on besides its StreamID and SubstreamID: the tags of the TLB
   entries it uses (spec 3.17), so that a host keeping translations of its own can test them
   against an invalidation's scope with smmu_inv_covers(). */
typedef struct smmu_xlate_tags {
    bool via_ste;  /* the stream table was used (SMMUEN == 1); false: global bypass (GBPA) */
    bool s1, s2;   /* stages that translated (both false: the STE bypasses every stage) */
    uint8_t world; /* SMMU_INV_W_* of the TLB entries (s1 or s2) */
    bool global;   /* stage-1 leaf with nG == 0, or a regime without ASIDs */
    uint16_t asid, vmid;
    uint64_t ipa; /* s1 && s2: the IPA of the input address; s2 only: the input address */
    bool secure;  /* a Secure stream's (SEC_SID, 3.10.1): Secure configuration and worlds */
} smmu_xlate_tags_t;

/* smmu_translate_dbg() that also fills *tags (zeroed when the result is not SMMU_OK). */
void smmu_translate_dbg_tags(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r,
                             smmu_xlate_tags_t *tags);

/* True when an invalidation of scope sc may change the translation of input addresses [lo, hi]
   of stream sid (SubstreamID ssid when ssv) whose tags are tags (from smmu_translate_dbg_tags of
   an address in that range, which translates the same way), with tags->ipa the IPA of lo: tags
   made for another address a of the range need tags->ipa - (a - lo). Exact for the stream, ASID,
   VMID and address tests the core applies to its TLB; conservative (true) where the core's caches
   hold finer state (granule and level hints, walk-cache levels). */
bool smmu_inv_covers(const smmu_inv_scope_t *sc, uint32_t sid, uint32_t ssid, bool ssv, uint64_t lo,
                     uint64_t hi, const smmu_xlate_tags_t *tags);

/* Transactions currently stalled (waiting for CMD_RESUME / CMD_STALL_TERM). */
unsigned smmu_stalls_pending(const smmu_t *s);

/* smmu_translate() (with every side effect: statistics, cache fills, events, stalls, PMCG) that
   also fills *tags as smmu_translate_dbg_tags() does (zeroed when the result is not SMMU_OK),
   for a host that keeps the result in a translation cache of its own (a TBU micro-TLB: the TLM
   wrapper's, docs/tlm.md) and drops it on the invalidations smmu_inv_covers() says reach it.
   It takes the full path (the memo does not keep tags); results, costs and statistics are those
   of smmu_translate(). */
void smmu_translate_tags(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r, smmu_xlate_tags_t *tags);

/* Counts transaction t, translated successfully by a translation cache outside the core (a TBU
   micro-TLB in the host, holding a result of smmu_translate_tags), where the SMMU counts
   transactions: PMCG event 1 (10.3; with the groups' StreamID filters and Security state), and
   the statistics' translations and OK (smmu_get_stats, smmu_stream_stats), so that they add up
   to the transactions whether or not the host has such a cache. Nothing is looked up: the cache
   statistics (smmu_cache_stats) and the other PMCG events are unchanged. */
void smmu_count_transaction(smmu_t *s, const smmu_txn_t *t);
/* smmu_count_transaction() n times at once (n may be 0), for a host that holds the counts of
   such transactions and hands them over from host->sync_counts: the statistics as n calls
   would leave them; PMCG event 1 counts n while a group counts (10.3; a counter that
   overflows does so here, not at the transaction, so a host holding counts counts each
   transaction itself while a PMCG counts). */
void smmu_count_transactions(smmu_t *s, const smmu_txn_t *t, uint64_t n);

/* ---- PRI (spec 3.9, chapter 8) ---- */
/* PRG Response codes a device receives (spec 8.3), through host->pri_resp: from CMD_PRI_RESP
   (Resp 0b10 Success, 0b01 InvalidRequest, 0b00 ResponseFailure) or generated automatically. */
enum { SMMU_PRI_RESP_SUCCESS = 0x0, SMMU_PRI_RESP_INVALID = 0x1, SMMU_PRI_RESP_FAILURE = 0xF };

/* A PRI message from a device (PCIe Page Request, or Stop Marker: last && !read && !write with
   ssv). */
typedef struct smmu_pri_req {
    uint64_t addr; /* page address; bits [11:0] are ignored */
    uint32_t sid;
    uint32_t ssid;    /* PASID, when ssv */
    bool ssv;         /* PASID TLP prefix present (ignored when IDR1.SSIDSIZE == 0) */
    bool read, write; /* requested access */
    bool exec, priv;  /* Execute / Privileged requested (only with a PASID) */
    bool last;        /* last request of its Page Request Group */
    uint16_t prgi;    /* Page Request Group Index, 9 bits */
    bool secure;      /* SEC_SID = Secure: always refused (8.2) */
} smmu_pri_req_t;

/* What became of a PRI message. */
typedef enum {
    SMMU_PRI_QUEUED,      /* written to the PRI queue */
    SMMU_PRI_AUTO_RESP,   /* discarded; an automatic PRG Response went to the device */
    SMMU_PRI_DISCARDED,   /* discarded without a response (Last == 0 or Stop Marker) */
    SMMU_PRI_UNSUPPORTED, /* IDR0.PRI == 0: the SMMU has no PRI queue; nothing happens */
} smmu_pri_status_t;

/* A device's PRI message (spec 8, 8.1, 8.2): a 16-byte record at PRIQ_PROD when the PRI queue
   is enabled, writable and not in overflow; otherwise discarded with the automatic responses of
   8.1 / 8.2 through host->pri_resp. Raises the PRI queue interrupt (PRIQ_IRQ_CFG2.LO). */
smmu_pri_status_t smmu_pri_request(smmu_t *s, const smmu_pri_req_t *req);

/* ---- ATS (spec 3.9.1, 13.6, 13.7) ---- */
/* An ATS Translation Request from a device. */
typedef struct smmu_ats_req {
    uint64_t addr; /* Untranslated Address; bits below the STU are ignored */
    uint32_t sid;
    uint32_t ssid;   /* PASID, when ssv */
    bool ssv;        /* PASID TLP prefix present: exec and priv are meaningful */
    bool nw;         /* No Write: a read-only translation is requested */
    bool exec, priv; /* Execute_Requested, Privileged_Mode_Requested */
    bool secure;     /* SEC_SID = Secure: UR + F_BAD_ATS_TREQ (3.9.1) */
    uint8_t stus;    /* translations (STUs) requested, reported as Span; 0 counts as 1 */
} smmu_ats_req_t;

/* PCIe Completion Status of an ATS Translation Completion. */
enum { SMMU_ATS_SC = 0, SMMU_ATS_UR = 1, SMMU_ATS_CA = 4 };

/* The ATS Translation Completion the device receives. */
typedef struct smmu_ats_resp {
    uint8_t status; /* SMMU_ATS_SC (Success), _UR (Unsupported Request), _CA (Completer Abort) */
    uint64_t addr;  /* Translated Address, aligned to size: a PA, or the IPA when Split-stage
                       (STE.EATS == 0b10) */
    uint64_t size;  /* bytes translated the same way: a power of two, at least the STU */
    bool r, w, exe; /* permissions granted (R == W == 0: translation failed, no event) */
    bool priv;      /* Priv as requested (13.7.1) */
    bool u;         /* Untranslated access only: always 0 */
    bool global;    /* always 0 (3.9.1) */
    uint32_t event; /* the fault behind UR / CA / R == W == 0 (SMMU_EVT_*), 0 otherwise */
    bool recorded;  /* an event record (F_BAD_ATS_TREQ) was written for it */
} smmu_ats_resp_t;

/* Answers an ATS Translation Request (3.9.1.2, 13.6, 13.7.1). Translation faults give Success
   with R == W == 0 and no event; configuration errors give CA without an event; ATS disabled for
   the stream (SMMUEN == 0, Secure, STE.Config == 0b100, effective EATS == 0b00) gives UR and
   F_BAD_ATS_TREQ (STE.Config == 0b000: UR, no event). Never stalls. smmu_translate() with
   SMMU_ATS_REQUEST gives the same answer as an smmu_result_t. */
void smmu_ats_translate(smmu_t *s, const smmu_ats_req_t *req, smmu_ats_resp_t *resp);
/* The Smallest Translation Unit: the smallest granule in IDR5 (3.9.1). */
uint64_t smmu_ats_stu(const smmu_t *s);

/* ---- other device-originated reports ---- */
/* The host (bus wrapper) found that t is a transaction type the SMMU does not support (spec
   7.3.2, 16.7.1): the transaction is terminated with an abort (r filled) and F_UUT is recorded
   with the incoming attributes, also when SMMUEN == 0; never for an ATS Translated transaction
   (3.9.1.3). Reason is 0. */
void smmu_report_uut(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r);

/* A speculative page request hint from a client device (spec 7.3.19): recorded as
   E_PAGE_REQUEST; no response. span: bytes / 4096 (1..255). */
typedef struct smmu_page_hint_s { /* tag differs from the function of that name (C++ -Wshadow) */
    uint64_t addr;
    uint32_t sid, ssid;
    bool ssv;
    uint8_t span;
    bool pr, pw, px; /* privileged read / write / execute anticipated */
    bool ur, uw, ux; /* unprivileged read / write / execute anticipated */
} smmu_page_hint_t;
void smmu_page_hint(smmu_t *s, const smmu_page_hint_t *h);

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
/* Clears every statistic: these, the per-cache and the per-stream ones. */
void smmu_clear_stats(smmu_t *s);

/* Per-cache statistics. invalidations counts entries removed by invalidation commands and by
   the full flushes of reset and SMMUEN changes; evictions counts valid entries replaced by a
   fill. Debug translations (smmu_translate_dbg) change none of them. */
typedef struct smmu_cache_stats_s { /* tag differs from the function of that name (C++ -Wshadow) */
    uint64_t lookups, hits, misses, fills, evictions, invalidations;
} smmu_cache_stats_t;
/* Returns 0, or -1 (and zeroes *st) when which is not an SMMU_CACHE_*. */
int smmu_cache_stats(const smmu_t *s, unsigned which, smmu_cache_stats_t *st);
/* The running counters a timing model takes the difference of around one smmu_translate(): the
   lookups and hits of every cache (SMMU_CACHE_* order) and the translation table descriptor
   reads (smmu_stats_t.walk_reads). One cheap call instead of smmu_cache_stats() per cache and
   smmu_get_stats(). */
typedef struct smmu_cost_counters_s { /* tag differs from the function of that name (C++ -Wshadow)
                                       */
    uint64_t lookups[SMMU_CACHE_COUNT], hits[SMMU_CACHE_COUNT];
    uint64_t walk_reads;
} smmu_cost_counters_t;
void smmu_cost_counters(const smmu_t *s, smmu_cost_counters_t *c);

/* Per-stream statistics: the first params.stream_stats_entries distinct StreamIDs translated
   get their own counters; translations of any other StreamID are added to the "other" bucket
   (smmu_stream_stats_other). */
typedef struct smmu_stream_stats_s { /* tag differs from the function of that name (C++ -Wshadow) */
    uint64_t translations, ok, faults, stalls;
    uint64_t by_event[0x26]; /* faults by event number */
} smmu_stream_stats_t;
/* Returns 0 with the counters of sid, or -1 (and zeroes *st) when sid has none. */
int smmu_stream_stats(const smmu_t *s, uint32_t sid, smmu_stream_stats_t *st);
void smmu_stream_stats_other(const smmu_t *s, smmu_stream_stats_t *st);

/* Trace points (<smmu/tracepoint.h>): the kinds in mask (bit 1 << SMMU_TP_*) go to fn with
   host->ctx from now on; fn NULL or mask 0 turns them off. At smmu_new(), host->trace with
   every kind (SMMU_TP_ALL). Only the kinds asked for are built: a host that needs commands only
   pays nothing for walk steps. */
#define SMMU_TP_ALL ((1u << SMMU_TP_COUNT) - 1u)
void smmu_set_trace(smmu_t *s, void (*fn)(void *ctx, const smmu_tp_t *tp), uint32_t mask);

/* ---- Saved state (smmu_save / smmu_restore) ----
   The whole architectural state of an instance (both programming interfaces' registers, queue
   pointers and internal queue state, pending stall records, interrupt and MSI state, GERROR,
   PRI state, PMCG registers and counters, ATOS) as a byte blob in the documented, versioned,
   little-endian format of docs/state.md. The caches (TLB, walk, configuration, memo) are not
   saved: a restored instance starts with them empty, which is architecturally invisible (only
   hit statistics differ). Statistics are saved too, so they continue. Restoring needs an
   instance made with the same params (checked: the blob carries a digest of the effective
   params, without the model's cache and memo tuning); a blob that is truncated, corrupted
   (checksum, or a field outside its range), of another format version or of other params is
   refused and the instance is left unchanged. Neither works while a Command queue is being
   consumed (from a host callback of a command): SMMU_STATE_BUSY. */
typedef enum smmu_state_status {
    SMMU_STATE_OK = 0,
    SMMU_STATE_NO_SPACE,        /* smmu_save: cap is below smmu_save_size() */
    SMMU_STATE_TRUNCATED,       /* the blob is shorter than its header says */
    SMMU_STATE_BAD_MAGIC,       /* not a saved SMMU state */
    SMMU_STATE_BAD_VERSION,     /* a format version this build does not read */
    SMMU_STATE_PARAMS_MISMATCH, /* saved by an instance with other params */
    SMMU_STATE_CORRUPT,         /* checksum mismatch, or a field outside its architected range */
    SMMU_STATE_BUSY             /* a command queue is being consumed (smmu_cmdq_run in progress) */
} smmu_state_status_t;
/* Bytes smmu_save() writes for the instance in its current state. */
size_t smmu_save_size(smmu_t *s);
/* Writes the state to buf[0, cap); *len (if non-NULL) gets the bytes written. */
smmu_state_status_t smmu_save(smmu_t *s, void *buf, size_t cap, size_t *len);
/* Replaces the whole state of s by the blob's; on any error s is unchanged. No memory access
   and no MSI is made; host->irq is called for each wired line whose level the restore changes,
   so that the host's lines follow. Not concurrent with anything (params.concurrent). */
smmu_state_status_t smmu_restore(smmu_t *s, const void *buf, size_t len);
/* "OK", "NO_SPACE", ... */
const char *smmu_state_status_name(smmu_state_status_t st);

/* Event name ("F_TRANSLATION"), or "UNKNOWN". */
const char *smmu_event_name(uint32_t event);
/* Command name ("CMD_SYNC"), or "UNKNOWN" for an opcode the model does not implement. */
const char *smmu_cmd_name(unsigned opcode);

#ifdef __cplusplus
}
#endif
#endif
