/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * smmuv3-libsmmu: the SMMUv3 of QEMU's virt machine implemented by libsmmu, the translation core
 * of the smmuv3 project (integrations/qemu/ there: README.md, LICENSE).
 *
 * QEMU side: a subclass of smmu-common's TYPE_ARM_SMMU (which gives one IOMMU memory region per
 * PCI requester and the list of devices with IOMMU notifiers), the register frame as an MMIO
 * region, the four wired interrupts, and an IOMMU memory region type whose translate callback
 * asks the core. Core side: the register frame goes to smmu_reg_read/write, the core's own
 * memory accesses (stream table, CDs, page tables, queues) go to system memory, its interrupt
 * outputs to the board's SPIs, and every invalidation it executes comes back with its exact
 * scope (smmu_host_t::invalidate_scope), which becomes IOMMU notifier UNMAP events for the
 * translations handed out that it covers.
 *
 * Concurrency: translate is called from vCPU threads and I/O threads (virtio-blk with an
 * iothread), with or without the BQL; MMIO and reset run under the BQL. Every call into the core
 * is made with ls->lock held (ls_lock/ls_unlock, the only place that knows about the lock, so
 * that it can give way to a concurrency contract of the core later). Work that needs the BQL
 * (interrupt pulses, notifier events) is queued under the lock and done either at once (the
 * unlocking thread holds the BQL) or by a bottom half in the main loop.
 *
 * Written for the smmuv3 project; not derived from QEMU's smmuv3.c.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/rcu.h"
#include "qemu/thread.h"
#include "qemu/timer.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/arm/smmu-common.h"
#include "hw/irq.h"
#include "hw/pci/pci_bus.h"
#include "hw/qdev-properties.h"
#include "hw/sysbus.h"
#include "migration/vmstate.h"
#include "sysemu/runstate.h"
#include "sysemu/sysemu.h"

#include <smmu/regs.h>
#include <smmu/smmu.h>
#include <smmu/trace.h>

#define TYPE_SMMUV3_LIBSMMU "smmuv3-libsmmu"
#define TYPE_SMMUV3_LIBSMMU_IOMMU_MR "smmuv3-libsmmu-iommu-memory-region"

#define LS_PAGE 4096ull

/* The core's permission bits are QEMU's access flags. */
QEMU_BUILD_BUG_ON((int)SMMU_PERM_R != (int)IOMMU_RO || (int)SMMU_PERM_W != (int)IOMMU_WO);

typedef struct LsState LsState;
typedef struct LsClass LsClass;
DECLARE_OBJ_CHECKERS(LsState, LsClass, SMMUV3_LIBSMMU, TYPE_SMMUV3_LIBSMMU)

/* A translation handed out to a device whose memory region has IOMMU notifiers: kept until an
 * invalidation covers it (then an UNMAP event of its range goes to the notifiers). */
typedef struct LsRecord {
    uint64_t base, size; /* input range (naturally aligned: the page or block) */
    uint32_t sid;
    smmu_xlate_tags_t tags;
} LsRecord;

/* What notifier-check keeps: the last translation of each 4 KiB page, as a caching consumer
 * (vhost's IOTLB) would hold it until an UNMAP event removes it. */
typedef struct LsShadow {
    uint64_t pa;
    uint8_t perm;
} LsShadow;

typedef struct LsDev {
    LsState *ls;
    SMMUDevice *sdev;
    bool notified;        /* the memory region has IOMMU notifiers */
    bool announced;       /* the trace has its "# sid ..." comment line */
    GHashTable *records;  /* base -> LsRecord */
    IOMMUNotifier check_n; /* notifier-check's own notifier */
    GHashTable *shadow;   /* page -> LsShadow */
} LsDev;

typedef struct LsEvent { /* a queued UNMAP notification */
    LsDev *dev;
    uint64_t iova, size;
} LsEvent;

struct LsState {
    SMMUState smmu_state;
    smmu_t *core;
    qemu_irq irq[SMMU_IRQ_COUNT];
    QemuMutex lock;
    QEMUBH *bh;
    uint32_t pending_irqs; /* rising edges not yet pulsed (bit per smmu_irq_t); under lock */
    GArray *events;        /* LsEvent, under lock */
    GHashTable *devs;      /* SMMUDevice * -> LsDev *, under lock */
    unsigned n_notified;   /* devices with notifiers (or notifier-check) */
    MemoryRegion razwi_mr; /* target of RAZ/WI-terminated transactions */
    AddressSpace razwi_as;
    Notifier exit_notifier;
    VMChangeStateEntry *vmstate_entry;
    bool check_started;
    /* migration: the core's smmu_save blob, from pre_save to post_save / loaded to post_load */
    uint8_t *mig_blob;
    uint32_t mig_len;
    /* trace recording */
    FILE *trace;
    bool trace_started;
    uint64_t trace_t0, trace_last;
    /* properties */
    char *stage;
    uint8_t oas;
    uint8_t ssidsize;
    bool memo;
    bool hyp;
    uint8_t httu;
    char *trace_path;
    char *stats_path;
    bool notifier_check;
    uint32_t records_max;
    char *choices; /* the core's open choices (docs/choices.md), smmu_choices_parse text */
    bool dsan;       /* the core's driver sanitizer (params.dsan) */
    bool dsan_fatal; /* a report stops the machine (SHUTDOWN_CAUSE_HOST_ERROR) */
    /* adapter statistics (under lock) */
    struct {
        uint64_t scopes, unmap_events, unmap_bytes, records, record_bytes, records_evicted;
        uint64_t mem_refused;
        uint64_t cas, cas_stored, cas_refused; /* HTTU descriptor updates */
        uint64_t check_compared, check_stale, check_dropped;
        uint64_t irq_pulses, irq_deferred;
    } st;
};

struct LsClass {
    SMMUBaseClass smmu_base_class;
    DeviceRealize parent_realize;
    DeviceReset parent_reset;
};

/* ------------------------------------------------------------------------------------------ */
/* The lock: every core call is bracketed by ls_lock / ls_unlock. */

static void ls_flush_locked(LsState *ls);

static inline void ls_lock(LsState *ls)
{
    qemu_mutex_lock(&ls->lock);
}

static inline void ls_unlock(LsState *ls)
{
    if (ls->pending_irqs || ls->events->len) {
        if (qemu_mutex_iothread_locked()) {
            ls_flush_locked(ls);
        } else {
            ls->st.irq_deferred += ls->pending_irqs != 0;
            qemu_bh_schedule(ls->bh);
        }
    }
    qemu_mutex_unlock(&ls->lock);
}

static void ls_bh(void *opaque)
{
    LsState *ls = opaque;

    ls_lock(ls);
    ls_flush_locked(ls);
    qemu_mutex_unlock(&ls->lock);
}

/* ------------------------------------------------------------------------------------------ */
/* Per-device state */

static LsDev *ls_dev(LsState *ls, SMMUDevice *sdev)
{
    LsDev *d = g_hash_table_lookup(ls->devs, sdev);

    if (!d) {
        d = g_new0(LsDev, 1);
        d->ls = ls;
        d->sdev = sdev;
        d->records = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
        g_hash_table_insert(ls->devs, sdev, d);
    }
    return d;
}

static PCIDevice *ls_pci_dev(SMMUDevice *sdev)
{
    return sdev->bus->devices[sdev->devfn];
}

/* ------------------------------------------------------------------------------------------ */
/* IOMMU notifier events */

static void ls_queue_unmap(LsState *ls, LsDev *d, uint64_t iova, uint64_t size)
{
    if (ls->events->len) {
        LsEvent *last = &g_array_index(ls->events, LsEvent, ls->events->len - 1);
        if (last->dev == d && last->iova + last->size == iova) {
            last->size += size;
            return;
        }
    }
    LsEvent e = {.dev = d, .iova = iova, .size = size};
    g_array_append_val(ls->events, e);
}

/* One UNMAP event per naturally aligned power-of-two piece of [iova, iova + size), cropped to
 * each notifier's range. */
static void ls_notify_range(LsDev *d, uint64_t iova, uint64_t size)
{
    IOMMUMemoryRegion *mr = &d->sdev->iommu;
    IOMMUNotifier *n;

    IOMMU_NOTIFIER_FOREACH(n, mr) {
        uint64_t lo = MAX(iova, n->start);
        uint64_t hi = MIN(iova + size - 1, n->end);

        while (lo <= hi) {
            uint64_t len = lo ? (lo & -lo) : (1ull << 63);
            while (len > 1 && lo + len - 1 > hi) {
                len >>= 1;
            }
            IOMMUTLBEvent ev = {
                .type = IOMMU_NOTIFIER_UNMAP,
                .entry = {
                    .target_as = &address_space_memory,
                    .iova = lo,
                    .translated_addr = 0,
                    .addr_mask = len - 1,
                    .perm = IOMMU_NONE,
                },
            };
            memory_region_notify_iommu_one(n, &ev);
            if (lo + len - 1 == hi) {
                break;
            }
            lo += len;
        }
    }
}

/* Under the lock and the BQL: pulse the interrupts and deliver the queued notifier events. */
static void ls_flush_locked(LsState *ls)
{
    uint32_t irqs = ls->pending_irqs;

    ls->pending_irqs = 0;
    for (int i = 0; i < SMMU_IRQ_COUNT; i++) {
        if (irqs & (1u << i)) {
            qemu_irq_pulse(ls->irq[i]);
            ls->st.irq_pulses++;
        }
    }
    for (guint i = 0; i < ls->events->len; i++) {
        LsEvent *e = &g_array_index(ls->events, LsEvent, i);
        ls->st.unmap_events++;
        ls->st.unmap_bytes += e->size;
        ls_notify_range(e->dev, e->iova, e->size);
    }
    g_array_set_size(ls->events, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* The core's host callbacks (called with the lock held, from inside a core call) */

/* The core's own accesses go to system memory. A thread without the BQL only touches RAM: an
 * MMIO access would take the BQL while holding ls->lock, which an MMIO handler holding the BQL
 * may be waiting for. Such an access (tables in device memory, never done by Linux) is answered
 * with an external abort, which the core turns into the architectural fault. */
static bool ls_is_ram(uint64_t pa, size_t len, bool write)
{
    hwaddr xlat, l = len;
    MemoryRegion *mr;

    RCU_READ_LOCK_GUARD();
    mr = address_space_translate(&address_space_memory, pa, &xlat, &l, write,
                                 MEMTXATTRS_UNSPECIFIED);
    return l >= len && memory_access_is_direct(mr, write);
}

static int ls_mem_access(LsState *ls, uint64_t pa, void *buf, size_t len, bool write)
{
    if (!qemu_mutex_iothread_locked() && !ls_is_ram(pa, len, write)) {
        ls->st.mem_refused++;
        return -1;
    }
    return address_space_rw(&address_space_memory, pa, MEMTXATTRS_UNSPECIFIED, buf, len,
                            write) == MEMTX_OK ? 0 : -1;
}

static int ls_mem_read(void *ctx, uint64_t pa, void *buf, size_t len, bool secure)
{
    return ls_mem_access(ctx, pa, buf, len, false);
}

static int ls_mem_write(void *ctx, uint64_t pa, const void *buf, size_t len, bool secure)
{
    return ls_mem_access(ctx, pa, (void *)buf, len, true);
}

/* Hardware updates of the Access flag and dirty state (HTTU, spec 3.13): the core asks for an
 * atomic compare-and-swap of one 8-byte descriptor (smmu_host_t::mem_cas64). The guest's vCPUs
 * run in parallel (MTTCG) and their stores, exclusives and LSE atomics to RAM are host accesses
 * to the same host memory, so a host compare-exchange on the mapped RAM is atomic against them.
 * Only plain RAM can be updated that way: anything else (MMIO, ROM, a bounce buffer that
 * address_space_map substitutes for memory it cannot map directly) is answered with an external
 * abort, which the core reports as F_WALK_EABT (7.3.12). The SMMU's accesses are non-secure, as
 * for mem_read/mem_write (the model has no Secure state): secure is not used by those either. */
static int ls_mem_cas64(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
                        uint64_t *observed, bool secure)
{
    LsState *ls = ctx;
    hwaddr len = sizeof(uint64_t);
    uint64_t *p, old = cpu_to_le64(expected);
    ram_addr_t off;
    bool stored;

    if ((pa & 7) || !ls_is_ram(pa, sizeof(uint64_t), true)) {
        ls->st.cas_refused++;
        return -1;
    }
    p = address_space_map(&address_space_memory, pa, &len, true, MEMTXATTRS_UNSPECIFIED);
    if (!p) {
        ls->st.cas_refused++;
        return -1;
    }
    if (len < sizeof(uint64_t) || !memory_region_from_host(p, &off)) {
        /* the memory map changed since ls_is_ram: a bounce buffer, nothing written back */
        address_space_unmap(&address_space_memory, p, len, true, 0);
        ls->st.cas_refused++;
        return -1;
    }
    stored = __atomic_compare_exchange_n(p, &old, cpu_to_le64(desired), false, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST);
    *observed = le64_to_cpu(old);
    /* access_len: a store marks the page dirty (migration, TCG's code tracking) */
    address_space_unmap(&address_space_memory, p, len, true, stored ? sizeof(uint64_t) : 0);
    ls->st.cas++;
    ls->st.cas_stored += stored;
    return 0;
}

/* The core's wired outputs are edge-triggered (one pulse per notification); the device tree
 * declares the SPIs edge-triggered. A rising edge is pulsed when the lock is released. */
static void ls_irq(void *ctx, int line, bool level)
{
    LsState *ls = ctx;

    if (level && line >= 0 && line < SMMU_IRQ_COUNT) {
        ls->pending_irqs |= 1u << line;
    }
}

static gint ls_range_cmp(gconstpointer a, gconstpointer b)
{
    const uint64_t *x = a, *y = b;

    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* The exact scope of each invalidation: UNMAP events for the handed-out translations it covers
 * (smmu_inv_covers decides, exactly as for the core's own TLB), adjacent ones merged. */
static void ls_invalidate_scope(void *ctx, const smmu_inv_scope_t *sc)
{
    LsState *ls = ctx;
    SMMUDevice *sdev;
    GArray *ranges = NULL;

    ls->st.scopes++;
    QLIST_FOREACH(sdev, &ls->smmu_state.devices_with_notifiers, next) {
        LsDev *d = ls_dev(ls, sdev);
        GHashTableIter it;
        LsRecord *r;

        if (!g_hash_table_size(d->records)) {
            continue;
        }
        if (!ranges) {
            ranges = g_array_new(false, false, 2 * sizeof(uint64_t));
        }
        g_array_set_size(ranges, 0);
        g_hash_table_iter_init(&it, d->records);
        while (g_hash_table_iter_next(&it, NULL, (gpointer *)&r)) {
            if (smmu_inv_covers(sc, r->sid, 0, false, r->base, r->base + r->size - 1,
                                &r->tags)) {
                uint64_t range[2] = {r->base, r->size};
                g_array_append_val(ranges, range);
                g_hash_table_iter_remove(&it);
            }
        }
        g_array_sort(ranges, ls_range_cmp);
        for (guint i = 0; i < ranges->len; i++) {
            uint64_t *range = &g_array_index(ranges, uint64_t, 2 * i);
            ls_queue_unmap(ls, d, range[0], range[1]);
        }
    }
    if (ranges) {
        g_array_free(ranges, true);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Register frame */

static MemTxResult ls_mmio_read(void *opaque, hwaddr offset, uint64_t *data, unsigned size,
                                MemTxAttrs attrs)
{
    LsState *ls = opaque;

    ls_lock(ls);
    *data = smmu_reg_read(ls->core, offset, size);
    ls_unlock(ls);
    return MEMTX_OK;
}

static MemTxResult ls_mmio_write(void *opaque, hwaddr offset, uint64_t data, unsigned size,
                                 MemTxAttrs attrs)
{
    LsState *ls = opaque;

    ls_lock(ls);
    smmu_reg_write(ls->core, offset, data, size);
    ls_unlock(ls);
    return MEMTX_OK;
}

static const MemoryRegionOps ls_mmio_ops = {
    .read_with_attrs = ls_mmio_read,
    .write_with_attrs = ls_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 8},
    .impl = {.min_access_size = 4, .max_access_size = 8},
};

/* Reads as zero, ignores writes: where transactions go that the core terminates with RAZ/WI
 * rather than an abort (IDR0.TERM_MODEL == 0 and CD.A == 0, spec 3.12). */
static uint64_t ls_razwi_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void ls_razwi_write(void *opaque, hwaddr addr, uint64_t data, unsigned size)
{
}

static const MemoryRegionOps ls_razwi_ops = {
    .read = ls_razwi_read,
    .write = ls_razwi_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 8, .unaligned = true},
};

/* ------------------------------------------------------------------------------------------ */
/* Translation */

static void ls_trace_txn(LsState *ls, LsDev *d, const smmu_txn_t *t, const smmu_result_t *r)
{
    uint64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    smmu_trace_txn_t x = {0};

    if (!ls->trace_started) {
        ls->trace_started = true;
        ls->trace_t0 = now;
    }
    now = now > ls->trace_t0 ? now - ls->trace_t0 : 0;
    if (now < ls->trace_last) {
        now = ls->trace_last; /* threads: never decreasing */
    }
    ls->trace_last = now;
    if (!d->announced) {
        PCIDevice *pd = ls_pci_dev(d->sdev);
        d->announced = true;
        fprintf(ls->trace, "# sid 0x%x: %s at %02x:%02x.%x\n", t->sid,
                pd ? object_get_typename(OBJECT(pd)) : "?", pci_bus_num(d->sdev->bus),
                PCI_SLOT(d->sdev->devfn), PCI_FUNC(d->sdev->devfn));
    }
    x.time_ns = now;
    x.sid = t->sid;
    x.addr = t->addr;
    x.size = (uint32_t)(LS_PAGE - (t->addr & (LS_PAGE - 1)));
    x.write = t->write;
    x.has = SMMU_TRACE_HAS_STATUS | SMMU_TRACE_HAS_HIT | SMMU_TRACE_HAS_MISS |
            SMMU_TRACE_HAS_READS;
    if (r->status == SMMU_OK) {
        x.status = SMMU_TRACE_ST_OK;
        x.pa = r->pa;
        x.has |= SMMU_TRACE_HAS_PA;
    } else {
        x.status = r->status == SMMU_STALLED ? SMMU_TRACE_ST_STALL
                   : r->abort                ? SMMU_TRACE_ST_FAULT
                                             : SMMU_TRACE_ST_RAZWI;
        if (r->event) {
            x.event = r->event;
            x.has |= SMMU_TRACE_HAS_EVENT;
        }
    }
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
        if (r->hits[c]) {
            x.hit |= 1u << c;
        }
        if (r->lookups[c] > r->hits[c]) {
            x.miss |= 1u << c;
        }
    }
    x.reads = r->mem_reads;
    smmu_trace_write_txn(ls->trace, &x);
}

static void ls_record(LsState *ls, LsDev *d, const smmu_txn_t *t, uint64_t base,
                      uint64_t size)
{
    smmu_result_t r2;
    LsRecord *rec;

    if (g_hash_table_contains(d->records, &base)) {
        return;
    }
    if (g_hash_table_size(d->records) >= ls->records_max) {
        /* Untracked from now on: the consumer must drop it. */
        GHashTableIter it;
        LsRecord *old;
        g_hash_table_iter_init(&it, d->records);
        if (g_hash_table_iter_next(&it, NULL, (gpointer *)&old)) {
            ls_queue_unmap(ls, d, old->base, old->size);
            g_hash_table_iter_remove(&it);
            ls->st.records_evicted++;
        }
    }
    rec = g_new0(LsRecord, 1);
    rec->base = base;
    rec->size = size;
    rec->sid = t->sid;
    smmu_translate_dbg_tags(ls->core, t, &r2, &rec->tags);
    g_hash_table_insert(d->records, &rec->base, rec);
    ls->st.records++;
    ls->st.record_bytes += size;
}

/* notifier-check: a translation that differs from the one a caching consumer still holds is a
 * missed invalidation. */
static void ls_check(LsState *ls, LsDev *d, uint64_t addr, const IOMMUTLBEntry *e)
{
    uint64_t page = addr & ~(LS_PAGE - 1);
    LsShadow *sh = g_hash_table_lookup(d->shadow, &page);
    uint64_t pa = (e->translated_addr & ~e->addr_mask) | (addr & e->addr_mask & ~(LS_PAGE - 1));
    bool ok = e->perm != IOMMU_NONE && e->target_as == &address_space_memory;

    if (sh) {
        ls->st.check_compared++;
        if (!ok || sh->pa != pa || (sh->perm & ~e->perm)) {
            if (ls->st.check_stale++ < 8) {
                warn_report("smmuv3-libsmmu: notifier-check: sid 0x%x iova 0x%" PRIx64
                            " was 0x%" PRIx64 "/%u, now %s0x%" PRIx64 "/%u",
                            smmu_get_sid(d->sdev), page, sh->pa, sh->perm,
                            ok ? "" : "fault ", pa, e->perm);
            }
        }
    }
    if (ok) {
        if (!sh) {
            uint64_t *key = g_new(uint64_t, 1);
            *key = page;
            sh = g_new(LsShadow, 1);
            g_hash_table_insert(d->shadow, key, sh);
        }
        sh->pa = pa;
        sh->perm = e->perm;
    } else if (sh) {
        g_hash_table_remove(d->shadow, &page);
    }
}

static void ls_check_notify(IOMMUNotifier *n, IOMMUTLBEntry *e)
{
    LsDev *d = container_of(n, LsDev, check_n);
    uint64_t lo = e->iova, hi = e->iova + e->addr_mask;
    LsState *ls = d->ls;

    /* Called from ls_flush_locked, with the lock held. */
    if (hi - lo < 64 * LS_PAGE) {
        for (uint64_t p = lo & ~(LS_PAGE - 1); p <= hi; p += LS_PAGE) {
            ls->st.check_dropped += g_hash_table_remove(d->shadow, &p);
            if (p + LS_PAGE < p) {
                break;
            }
        }
    } else {
        GHashTableIter it;
        uint64_t *key;
        g_hash_table_iter_init(&it, d->shadow);
        while (g_hash_table_iter_next(&it, (gpointer *)&key, NULL)) {
            if (*key + LS_PAGE - 1 >= lo && *key <= hi) {
                g_hash_table_iter_remove(&it);
                ls->st.check_dropped++;
            }
        }
    }
}

static IOMMUTLBEntry ls_translate(IOMMUMemoryRegion *mr, hwaddr addr, IOMMUAccessFlags flag,
                                  int iommu_idx)
{
    SMMUDevice *sdev = container_of(mr, SMMUDevice, iommu);
    LsState *ls = (LsState *)sdev->smmu;
    smmu_txn_t t = {
        .addr = addr,
        .sid = smmu_get_sid(sdev),
        .len = 1,
        .write = (flag & IOMMU_WO) != 0,
    };
    IOMMUTLBEntry e = {
        .target_as = &address_space_memory,
        .iova = addr,
        .translated_addr = addr,
        .addr_mask = 0,
        .perm = IOMMU_NONE,
    };
    smmu_result_t r;

    ls_lock(ls);
    if (flag == IOMMU_NONE) {
        /* a probe (e.g. address_space_get_iotlb_entry): no event, no side effects */
        smmu_translate_dbg(ls->core, &t, &r);
    } else {
        smmu_translate(ls->core, &t, &r);
    }
    if (r.status == SMMU_OK) {
        uint64_t mask = r.span - 1;
        if (r.span < LS_PAGE || (r.span & mask)) {
            mask = LS_PAGE - 1;
        }
        e.iova = addr & ~mask;
        e.translated_addr = r.pa & ~mask;
        e.addr_mask = mask;
        e.perm = r.perm & IOMMU_RW; /* SMMU_PERM_R/_W are IOMMU_RO/_WO */
    } else if (r.status == SMMU_FAULT && !r.abort) {
        e.target_as = &ls->razwi_as;
        e.iova = addr & ~(LS_PAGE - 1);
        e.translated_addr = 0;
        e.addr_mask = LS_PAGE - 1;
        e.perm = IOMMU_RW;
    }
    if (flag != IOMMU_NONE && (ls->trace || ls->n_notified)) {
        LsDev *d = ls_dev(ls, sdev);
        if (ls->trace) {
            ls_trace_txn(ls, d, &t, &r);
        }
        if (d->notified && r.status == SMMU_OK) {
            ls_record(ls, d, &t, e.iova, e.addr_mask + 1);
        }
        if (d->shadow) {
            ls_check(ls, d, addr, &e);
        }
    }
    ls_unlock(ls);
    return e;
}

static int ls_notify_flag_changed(IOMMUMemoryRegion *iommu, IOMMUNotifierFlag old,
                                  IOMMUNotifierFlag new, Error **errp)
{
    SMMUDevice *sdev = container_of(iommu, SMMUDevice, iommu);
    LsState *ls = (LsState *)sdev->smmu;
    LsDev *d;

    if (new & IOMMU_NOTIFIER_DEVIOTLB_UNMAP) {
        error_setg(errp, "smmuv3-libsmmu: no device IOTLB (ATS) notifiers");
        return -EINVAL;
    }
    if (new & IOMMU_NOTIFIER_MAP) {
        error_setg(errp, "smmuv3-libsmmu: device %02x:%02x.%x needs IOMMU MAP notifiers, "
                   "which an SMMUv3 cannot give (no notice of new mappings)",
                   pci_bus_num(sdev->bus), PCI_SLOT(sdev->devfn), PCI_FUNC(sdev->devfn));
        return -EINVAL;
    }
    ls_lock(ls);
    d = ls_dev(ls, sdev);
    if (old == IOMMU_NOTIFIER_NONE && new != IOMMU_NOTIFIER_NONE) {
        QLIST_INSERT_HEAD(&ls->smmu_state.devices_with_notifiers, sdev, next);
        d->notified = true;
        ls->n_notified++;
    } else if (old != IOMMU_NOTIFIER_NONE && new == IOMMU_NOTIFIER_NONE) {
        QLIST_REMOVE(sdev, next);
        d->notified = false;
        ls->n_notified--;
        g_hash_table_remove_all(d->records);
    }
    ls_unlock(ls);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Statistics file (at exit) */

static void ls_write_stats(LsState *ls)
{
    static const char *const cache_names[SMMU_CACHE_COUNT] = {"tlb", "walk", "ipa", "ste", "cd",
                                                              "l1"};
    smmu_stats_t st;
    FILE *f;
    GHashTableIter it;
    LsDev *d;

    if (!ls->stats_path || !ls->core) {
        return;
    }
    f = fopen(ls->stats_path, "w");
    if (!f) {
        error_report("smmuv3-libsmmu: cannot write stats to %s: %s", ls->stats_path,
                     strerror(errno));
        return;
    }
    ls_lock(ls);
    smmu_get_stats(ls->core, &st);
    fprintf(f, "idr0 0x%08" PRIx64 "\n", smmu_reg_read(ls->core, SMMU_IDR0, 4));
    fprintf(f, "idr1 0x%08" PRIx64 "\n", smmu_reg_read(ls->core, SMMU_IDR1, 4));
    fprintf(f, "idr3 0x%08" PRIx64 "\n", smmu_reg_read(ls->core, SMMU_IDR3, 4));
    fprintf(f, "idr5 0x%08" PRIx64 "\n", smmu_reg_read(ls->core, SMMU_IDR5, 4));
    fprintf(f, "gerror 0x%08" PRIx64 "\n", smmu_reg_read(ls->core, SMMU_GERROR, 4));
    fprintf(f, "gerrorn 0x%08" PRIx64 "\n", smmu_reg_read(ls->core, SMMU_GERRORN, 4));
    fprintf(f, "translations %" PRIu64 "\n", st.translations);
    fprintf(f, "ok %" PRIu64 "\n", st.ok);
    fprintf(f, "faults %" PRIu64 "\n", st.faults);
    fprintf(f, "stalls %" PRIu64 "\n", st.stalls);
    fprintf(f, "events_written %" PRIu64 "\n", st.events_written);
    fprintf(f, "events_lost %" PRIu64 "\n", st.events_lost);
    fprintf(f, "walk_reads %" PRIu64 "\n", st.walk_reads);
    fprintf(f, "cfg_reads %" PRIu64 "\n", st.cfg_reads);
    fprintf(f, "commands %" PRIu64 "\n", st.commands);
    for (unsigned e = 0; e < G_N_ELEMENTS(st.by_event); e++) {
        if (st.by_event[e]) {
            fprintf(f, "event.%s %" PRIu64 "\n", smmu_event_name(e), st.by_event[e]);
        }
    }
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
        smmu_cache_stats_t cs;
        smmu_cache_stats(ls->core, c, &cs);
        fprintf(f, "cache.%s lookups %" PRIu64 " hits %" PRIu64 " fills %" PRIu64
                " invalidations %" PRIu64 "\n", cache_names[c], cs.lookups, cs.hits,
                cs.fills, cs.invalidations);
    }
    g_hash_table_iter_init(&it, ls->devs);
    while (g_hash_table_iter_next(&it, NULL, (gpointer *)&d)) {
        smmu_stream_stats_t ss;
        uint32_t sid = smmu_get_sid(d->sdev);
        PCIDevice *pd = ls_pci_dev(d->sdev);
        if (smmu_stream_stats(ls->core, sid, &ss) == 0) {
            fprintf(f, "stream 0x%x %s translations %" PRIu64 " ok %" PRIu64
                    " faults %" PRIu64 " notifiers %d records %u\n", sid,
                    pd ? object_get_typename(OBJECT(pd)) : "?", ss.translations, ss.ok,
                    ss.faults, d->notified, g_hash_table_size(d->records));
        }
    }
    fprintf(f, "notifier.scopes %" PRIu64 "\n", ls->st.scopes);
    fprintf(f, "notifier.unmap_events %" PRIu64 "\n", ls->st.unmap_events);
    fprintf(f, "notifier.unmap_bytes %" PRIu64 "\n", ls->st.unmap_bytes);
    fprintf(f, "notifier.records %" PRIu64 "\n", ls->st.records);
    fprintf(f, "notifier.record_bytes %" PRIu64 "\n", ls->st.record_bytes);
    fprintf(f, "notifier.records_evicted %" PRIu64 "\n", ls->st.records_evicted);
    fprintf(f, "check.compared %" PRIu64 "\n", ls->st.check_compared);
    fprintf(f, "check.stale %" PRIu64 "\n", ls->st.check_stale);
    fprintf(f, "check.dropped %" PRIu64 "\n", ls->st.check_dropped);
    fprintf(f, "mem_refused %" PRIu64 "\n", ls->st.mem_refused);
    fprintf(f, "cas %" PRIu64 "\n", ls->st.cas);
    fprintf(f, "cas_stored %" PRIu64 "\n", ls->st.cas_stored);
    fprintf(f, "cas_refused %" PRIu64 "\n", ls->st.cas_refused);
    fprintf(f, "irq_pulses %" PRIu64 "\n", ls->st.irq_pulses);
    fprintf(f, "irq_deferred %" PRIu64 "\n", ls->st.irq_deferred);
    if (ls->dsan) {
        smmu_dsan_stats_t ds;
        smmu_dsan_stats(ls->core, &ds);
        fprintf(f, "dsan.checks %s\n", smmu_dsan_checks(ls->core));
        fprintf(f, "dsan.reports %" PRIu64 "\n", ds.reports);
        fprintf(f, "dsan.fatal %d\n", smmu_dsan_fatal(ls->core) ? 1 : 0);
        for (unsigned i = 0; i < SMMU_DSAN_RULE_COUNT; i++) {
            if (ds.by_rule[i]) {
                fprintf(f, "dsan.%s %" PRIu64 "\n", smmu_dsan_rule_name(i), ds.by_rule[i]);
            }
        }
    }
    qemu_mutex_unlock(&ls->lock);
    fclose(f);
}

static void ls_exit(Notifier *n, void *data)
{
    LsState *ls = container_of(n, LsState, exit_notifier);

    ls_write_stats(ls);
    if (ls->trace) {
        ls_lock(ls);
        fclose(ls->trace);
        ls->trace = NULL;
        qemu_mutex_unlock(&ls->lock);
    }
}

/* notifier-check: a notifier of our own on every device, registered when the VM first runs
 * (the PCI buses create their devices' IOMMU address spaces in machine-init-done notifiers,
 * which may run after one of ours would). */
static void ls_vm_state(void *opaque, bool running, RunState state)
{
    LsState *ls = opaque;
    GHashTableIter it;
    SMMUPciBus *bus;

    if (!running || !ls->notifier_check || ls->check_started) {
        return;
    }
    ls->check_started = true;
    g_hash_table_iter_init(&it, ls->smmu_state.smmu_pcibus_by_busptr);
    while (g_hash_table_iter_next(&it, NULL, (gpointer *)&bus)) {
        for (int devfn = 0; devfn < SMMU_PCI_DEVFN_MAX; devfn++) {
            SMMUDevice *sdev = bus->pbdev[devfn];
            LsDev *d;
            if (!sdev) {
                continue;
            }
            ls_lock(ls);
            d = ls_dev(ls, sdev);
            d->shadow = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
            ls_unlock(ls);
            iommu_notifier_init(&d->check_n, ls_check_notify, IOMMU_NOTIFIER_UNMAP, 0,
                                memory_region_size(MEMORY_REGION(&sdev->iommu)) - 1, 0);
            memory_region_register_iommu_notifier(MEMORY_REGION(&sdev->iommu), &d->check_n,
                                                  &error_fatal);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Device */

static bool ls_params(LsState *ls, smmu_params_t *p, Error **errp)
{
    smmu_params_init(p);
    if (!ls->stage || !strcmp(ls->stage, "nested")) {
        p->s1 = p->s2 = true;
    } else if (!strcmp(ls->stage, "1")) {
        p->s1 = true;
        p->s2 = false;
    } else if (!strcmp(ls->stage, "2")) {
        p->s1 = false;
        p->s2 = true;
    } else {
        error_setg(errp, "smmuv3-libsmmu: stage=%s: expected 1, 2 or nested", ls->stage);
        return false;
    }
    /* What QEMU's PCI devices and the virt board can use: no ATS/PRI (no device-side ATC), no
     * MSIs (the device tree wires four SPIs), no stalls (translate must answer at once), no
     * SEV or broadcast TLB maintenance from the CPUs. */
    p->ats = p->pri = false;
    p->msi = false;
    p->stall_model = SMMU_STALL_MODEL_TERMINATE;
    p->sev = false;
    p->btm = false;
    p->hyp = ls->hyp;
    p->sidsize = 16; /* PCI requester IDs */
    p->ssidsize = ls->ssidsize;
    p->oas_bits = ls->oas;
    p->memo_off = !ls->memo;
    /* IDR0.HTTU (6.3.1): 0 none, 1 Access flag, 2 Access flag and dirty state (ls_mem_cas64) */
    if (ls->httu > 2) {
        error_setg(errp, "smmuv3-libsmmu: httu=%u: expected 0, 1 or 2", ls->httu);
        return false;
    }
    p->httu = ls->httu;
    p->stream_stats_entries = 256;
    /* Open choices (docs/choices.md): "profile=strict;cmd_res0=ignore" (items separated by ';'
     * or ',': -global takes the value verbatim, -device needs ',,' for a comma). */
    if (ls->choices) {
        char err[160];
        if (smmu_choices_parse(&p->choices, ls->choices, err, sizeof(err))) {
            error_setg(errp, "smmuv3-libsmmu: choices=%s: %s", ls->choices, err);
            return false;
        }
    }
    /* The driver sanitizer. QEMU gives a device no notice of the guest's stores to RAM (vCPUs
     * write it directly; dirty logging knows pages, not bytes), so writes_notified stays false:
     * the table-write checks (BBM, CFG_STALE) are off, the command, alignment and register
     * checks are on. */
    p->dsan.on = ls->dsan;
    p->dsan.fatal = ls->dsan_fatal;
    return true;
}

/* A driver sanitizer report (called with ls->lock held, from a register write or command). */
static void ls_dsan_report(void *ctx, const smmu_dsan_report_t *r)
{
    (void)ctx;
    if (!r->fatal) {
        warn_report("smmuv3-libsmmu: %s", r->line);
        return;
    }
    error_report("smmuv3-libsmmu: %s (fatal: stopping)", r->line);
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_ERROR);
}

static void ls_realize(DeviceState *dev, Error **errp)
{
    LsState *ls = SMMUV3_LIBSMMU(dev);
    LsClass *c = SMMUV3_LIBSMMU_GET_CLASS(dev);
    SMMUState *sys = ARM_SMMU(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    Error *local_err = NULL;
    smmu_params_t p;
    smmu_host_t host = {
        .ctx = ls,
        .mem_read = ls_mem_read,
        .mem_write = ls_mem_write,
        .mem_cas64 = ls_mem_cas64,
        .irq = ls_irq,
        .invalidate_scope = ls_invalidate_scope,
        .dsan_report = ls_dsan_report,
    };

    c->parent_realize(dev, &local_err);
    if (local_err) {
        error_propagate(errp, local_err);
        return;
    }
    if (!ls_params(ls, &p, errp)) {
        return;
    }
    ls->core = smmu_new(&p, &host);
    if (!ls->core) {
        error_setg(errp, "smmuv3-libsmmu: smmu_new refused the parameters (oas=%u, "
                   "ssidsize=%u)", ls->oas, ls->ssidsize);
        return;
    }
    if (ls->trace_path) {
        ls->trace = fopen(ls->trace_path, "w");
        if (!ls->trace) {
            error_setg_errno(errp, errno, "smmuv3-libsmmu: cannot write %s", ls->trace_path);
            return;
        }
        setvbuf(ls->trace, NULL, _IOFBF, 1 << 20);
        smmu_trace_write_header(ls->trace, "qemu-virt-linux", NULL);
        fprintf(ls->trace, "# recorded by QEMU's smmuv3-libsmmu: one line per translation "
                "QEMU asked for; size: to the end of the 4 KiB page (QEMU does not pass the "
                "access length); time: QEMU's virtual clock\n");
    }
    if (ls->records_max == 0) {
        ls->records_max = 1;
    }
    qemu_mutex_init(&ls->lock);
    ls->bh = qemu_bh_new(ls_bh, ls);
    ls->events = g_array_new(false, false, sizeof(LsEvent));
    ls->devs = g_hash_table_new_full(NULL, NULL, NULL, NULL);

    memory_region_init_io(&sys->iomem, OBJECT(ls), &ls_mmio_ops, ls, TYPE_SMMUV3_LIBSMMU,
                          0x20000);
    sys->mrtypename = TYPE_SMMUV3_LIBSMMU_IOMMU_MR;
    sysbus_init_mmio(sbd, &sys->iomem);
    for (int i = 0; i < SMMU_IRQ_COUNT; i++) {
        sysbus_init_irq(sbd, &ls->irq[i]);
    }
    memory_region_init_io(&ls->razwi_mr, OBJECT(ls), &ls_razwi_ops, ls,
                          "smmuv3-libsmmu-razwi", LS_PAGE);
    address_space_init(&ls->razwi_as, &ls->razwi_mr, "smmuv3-libsmmu-razwi");

    ls->exit_notifier.notify = ls_exit;
    qemu_add_exit_notifier(&ls->exit_notifier);
    ls->vmstate_entry = qemu_add_vm_change_state_handler(ls_vm_state, ls);
}

static void ls_reset(DeviceState *dev)
{
    LsState *ls = SMMUV3_LIBSMMU(dev);
    LsClass *c = SMMUV3_LIBSMMU_GET_CLASS(dev);

    c->parent_reset(dev);
    if (ls->core) {
        ls_lock(ls);
        smmu_reset(ls->core);
        ls_unlock(ls);
    }
}

/* Migration (savevm / loadvm, migrate): the core's whole architectural state as its
 * smmu_save blob (docs/state.md: versioned, little-endian, checked against the destination's
 * params), in one variable-size buffer. The adapter keeps nothing else that outlives a vCPU
 * stop: pending interrupt pulses and notifier events are delivered when the lock is released,
 * the devices' notifier registrations belong to the devices, and the core's caches are not
 * saved (the restore drops them and reports SMMU_INV_ALL, which becomes UNMAP events for every
 * notified device). */
static int ls_pre_save(void *opaque)
{
    LsState *ls = opaque;
    size_t len = 0;
    smmu_state_status_t st;

    ls_lock(ls);
    g_free(ls->mig_blob);
    ls->mig_len = 0;
    ls->mig_blob = g_malloc(smmu_save_size(ls->core));
    st = smmu_save(ls->core, ls->mig_blob, smmu_save_size(ls->core), &len);
    ls_unlock(ls);
    if (st != SMMU_STATE_OK || len > UINT32_MAX) {
        error_report("smmuv3-libsmmu: smmu_save: %s", smmu_state_status_name(st));
        g_free(ls->mig_blob);
        ls->mig_blob = NULL;
        return -EINVAL;
    }
    ls->mig_len = (uint32_t)len;
    return 0;
}

static int ls_post_save(void *opaque)
{
    LsState *ls = opaque;

    g_free(ls->mig_blob);
    ls->mig_blob = NULL;
    ls->mig_len = 0;
    return 0;
}

static int ls_post_load(void *opaque, int version_id)
{
    LsState *ls = opaque;
    smmu_state_status_t st;

    ls_lock(ls);
    st = smmu_restore(ls->core, ls->mig_blob, ls->mig_len);
    /* the lines' levels came with the interrupt controller's own state: no pulse for them */
    ls->pending_irqs = 0;
    ls_unlock(ls);
    g_free(ls->mig_blob);
    ls->mig_blob = NULL;
    ls->mig_len = 0;
    if (st != SMMU_STATE_OK) {
        error_report("smmuv3-libsmmu: smmu_restore refused the migrated state: %s (the "
                     "source's properties must equal the destination's)",
                     smmu_state_status_name(st));
        return -EINVAL;
    }
    return 0;
}

static const VMStateDescription ls_vmstate = {
    .name = TYPE_SMMUV3_LIBSMMU,
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = ls_pre_save,
    .post_save = ls_post_save,
    .post_load = ls_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(mig_len, LsState),
        VMSTATE_VBUFFER_ALLOC_UINT32(mig_blob, LsState, 0, NULL, mig_len),
        VMSTATE_END_OF_LIST()
    },
};

static Property ls_properties[] = {
    DEFINE_PROP_STRING("stage", LsState, stage),
    DEFINE_PROP_UINT8("oas", LsState, oas, 48),
    DEFINE_PROP_UINT8("ssidsize", LsState, ssidsize, 20),
    DEFINE_PROP_BOOL("hyp", LsState, hyp, true),
    DEFINE_PROP_BOOL("memo", LsState, memo, true),
    DEFINE_PROP_UINT8("httu", LsState, httu, 2),
    DEFINE_PROP_STRING("trace", LsState, trace_path),
    DEFINE_PROP_STRING("stats", LsState, stats_path),
    DEFINE_PROP_BOOL("notifier-check", LsState, notifier_check, false),
    DEFINE_PROP_UINT32("notifier-records", LsState, records_max, 8192),
    DEFINE_PROP_STRING("choices", LsState, choices),
    DEFINE_PROP_BOOL("dsan", LsState, dsan, false),
    DEFINE_PROP_BOOL("dsan-fatal", LsState, dsan_fatal, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void ls_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    LsClass *c = SMMUV3_LIBSMMU_CLASS(klass);

    dc->vmsd = &ls_vmstate;
    dc->desc = "Arm SMMUv3 implemented by libsmmu (smmuv3 project)";
    device_class_set_props(dc, ls_properties);
    device_class_set_parent_reset(dc, ls_reset, &c->parent_reset);
    device_class_set_parent_realize(dc, ls_realize, &c->parent_realize);
}

static void ls_iommu_mr_class_init(ObjectClass *klass, void *data)
{
    IOMMUMemoryRegionClass *imrc = IOMMU_MEMORY_REGION_CLASS(klass);

    imrc->translate = ls_translate;
    imrc->notify_flag_changed = ls_notify_flag_changed;
}

static const TypeInfo ls_type_info = {
    .name = TYPE_SMMUV3_LIBSMMU,
    .parent = TYPE_ARM_SMMU,
    .instance_size = sizeof(LsState),
    .class_size = sizeof(LsClass),
    .class_init = ls_class_init,
};

static const TypeInfo ls_iommu_mr_info = {
    .name = TYPE_SMMUV3_LIBSMMU_IOMMU_MR,
    .parent = TYPE_IOMMU_MEMORY_REGION,
    .class_init = ls_iommu_mr_class_init,
};

static void ls_register_types(void)
{
    type_register_static(&ls_type_info);
    type_register_static(&ls_iommu_mr_info);
}

type_init(ls_register_types)
