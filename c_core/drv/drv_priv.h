/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Private state of the small driver (<smmu/drv.h>), shared by the drv sources. */
#ifndef SMMU_DRV_PRIV_H
#define SMMU_DRV_PRIV_H

#include <smmu/drv.h>
#include <smmu/regs.h>

/* A freed pool block, kept for reuse by an allocation of the same size and alignment. */
typedef struct drv_free_blk {
    uint64_t pa, size;
} drv_free_blk_t;

/* What the driver remembers of an attached StreamID (the STE itself lives in memory). */
typedef struct drv_stream {
    uint32_t sid;
    uint8_t config;     /* STE.Config written */
    unsigned ssid_bits; /* S1CDMax */
    bool cd_2lvl;
    uint64_t cd_table; /* linear CD table or L1 CD table (a PA; an IPA too when nested) */
    uint64_t *cd_l2;   /* 2-level: L2 table PA per L1 entry, 0 when not allocated */
    size_t cd_l1_n;
    smmu_domain_t *s2dom;
} drv_stream_t;

struct smmu_domain {
    smmu_domain_cfg_t cfg;
    unsigned gshift;  /* granule shift: 12, 14, 16 */
    unsigned start;   /* start level */
    unsigned concat;  /* log2 of concatenated start-level tables (stage 2) */
    uint64_t root;    /* PA of the start-level table(s) */
    uint64_t *tables; /* every table page allocated (for freeing) */
    size_t ntables, captables;
    uint16_t tlbi_vmid; /* VMID tagging stage-1 entries (nested), for TLBI_NH_VA */
    bool pool_mapped;   /* stage 2: pool identity-mapped for nested use */
    bool httu;          /* CD.HA/HD or STE.S2HA/S2HD (smmu_drv_domain_httu) */
    smmu_domain_t *next;
};

struct smmu_drv {
    smmu_drv_ops_t ops;
    smmu_drv_config_t cfg;
    smmu_t *smmu; /* direct drivers only */
    smmu_mem_t *mem;
    /* pool allocator */
    uint64_t pool_next;
    drv_free_blk_t *free_blks;
    size_t nfree, capfree;
    /* geometry found by init */
    smmu_drv_info_t info;
    bool ready;
    /* queues */
    uint32_t cmdq_prod; /* index with wrap bit */
    uint32_t evtq_cons;
    uint32_t priq_cons;
    unsigned cerror;
    /* events drained by smmu_drv_stalls, kept for smmu_drv_next_event (FIFO) */
    smmu_drv_event_t *evbuf;
    size_t evbuf_head, evbuf_n, evbuf_cap;
    /* stalled transactions seen in the Event queue and not yet resumed or terminated */
    smmu_drv_event_t *stalls;
    size_t nstalls, capstalls;
    /* streams */
    uint64_t *l2_strtab; /* 2-level: L2 table PA per L1 entry, 0 when not allocated */
    size_t l1_n;
    drv_stream_t *streams;
    size_t nstreams, capstreams;
    smmu_domain_t *domains;
};

/* drv_core.c */
uint64_t drv_rd(smmu_drv_t *d, uint64_t off, unsigned size);
void drv_wr(smmu_drv_t *d, uint64_t off, uint64_t v, unsigned size);
int drv_mem_rd64(smmu_drv_t *d, uint64_t pa, uint64_t *dw, unsigned n);
int drv_mem_wr64(smmu_drv_t *d, uint64_t pa, const uint64_t *dw, unsigned n);
/* Zeroed block of the pool, aligned; 0 when the pool is exhausted (the pool never starts at 0
   for an allocation: pool_base 0 is rejected). */
uint64_t drv_alloc(smmu_drv_t *d, uint64_t size, uint64_t align);
void drv_free(smmu_drv_t *d, uint64_t pa, uint64_t size);
int drv_cmd_cfgi_ste(smmu_drv_t *d, uint32_t sid);
int drv_cmd_cfgi_cd(smmu_drv_t *d, uint32_t sid, uint32_t ssid);

/* Reads the next record from the Event queue itself (not the set-aside ones): 0, ENOENT. */
/* An output queue of the SMMU (event queue, PRI queue) as the driver consumes it. */
typedef struct drv_outq {
    uint32_t prod_reg, cons_reg; /* register offsets */
    uint64_t base;
    unsigned log2;  /* entries */
    unsigned words; /* 64-bit words per record */
} drv_outq_t;
/* Takes the record at *cons (advancing *cons and CONS, acknowledging an overflow);
   SMMU_DRV_ENOENT when the queue is empty. */
int drv_q_pop(smmu_drv_t *d, const drv_outq_t *q, uint32_t *cons, uint64_t *rec);
int drv_read_event(smmu_drv_t *d, smmu_drv_event_t *ev);
uint32_t drv_q_mask(unsigned log2);

/* drv_fault.c: stall list and set-aside events */
int drv_stall_add(smmu_drv_t *d, const smmu_drv_event_t *ev);
bool drv_evbuf_pop(smmu_drv_t *d, smmu_drv_event_t *ev);
void drv_fault_free(smmu_drv_t *d);

/* drv_domain.c */
/* Identity-maps the pool in a stage-2 domain (once). */
int drv_domain_map_pool(smmu_drv_t *d, smmu_domain_t *dom);
/* TG0 (CD) and S2TG (STE) encodings of the domain's granule. */
unsigned drv_tg0(const smmu_domain_t *dom);

#endif
