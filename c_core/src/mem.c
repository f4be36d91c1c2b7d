/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Sparse simulated physical memory (<smmu/mem.h>): 4 KiB pages allocated on first write, kept in
 * an open-addressing hash table keyed by page number. Untouched pages read as zero and allocate
 * nothing. A page never moves or goes away once allocated (only smmu_mem_free frees it), so
 * smmu_mem_host's mem_ptr can hand out allocated pages as direct read grants (<smmu/smmu.h>),
 * revoked by bumping the epoch whenever the abort regions change. This is host-side
 * infrastructure, not part of the architecture. */
#include <stdlib.h>

#include <smmu/mem.h>
#include <string.h>

#define MEM_PAGE_SHIFT    12
#define MEM_PAGE_SIZE     ((uint64_t)1 << MEM_PAGE_SHIFT)
#define MEM_MAX_ABORTS    16
#define MEM_INITIAL_SLOTS 64 /* power of two */

typedef struct mem_slot {
    uint64_t pn;   /* page number */
    uint8_t *data; /* NULL: empty slot */
} mem_slot_t;

typedef struct mem_abort {
    uint64_t first, last; /* inclusive byte range */
} mem_abort_t;

enum { MEM_RECENT = 4 }; /* pages remembered by the read path: the tables of one walk */

struct smmu_mem {
    mem_slot_t *slots;
    size_t nslots; /* power of two */
    size_t used;
    /* Pages read recently (data pointers stay valid: a page is never freed before the memory);
       a table walk reads a few pages over and over, and skips the hash probe. */
    uint64_t recent_pn[MEM_RECENT];
    const uint8_t *recent[MEM_RECENT];
    unsigned recent_next;
    mem_abort_t aborts[MEM_MAX_ABORTS];
    unsigned naborts;
    uint32_t epoch; /* of the grants handed out: bumped when the abort regions change */
    /* smmu_mem_set_write_observer: told of software's writes (not the SMMU's) */
    void (*observer)(void *ctx, uint64_t pa, const void *data, size_t len);
    void *observer_ctx;
};

/* 64-bit mix (splitmix64 finalizer) so that consecutive page numbers spread over the table. */
static size_t mem_hash(uint64_t pn, size_t nslots) {
    pn ^= pn >> 30;
    pn *= 0xbf58476d1ce4e5b9ull;
    pn ^= pn >> 27;
    pn *= 0x94d049bb133111ebull;
    pn ^= pn >> 31;
    return (size_t)(pn & (nslots - 1));
}

static mem_slot_t *mem_slot_find(mem_slot_t *slots, size_t nslots, uint64_t pn) {
    size_t i = mem_hash(pn, nslots);
    while (slots[i].data && slots[i].pn != pn)
        i = (i + 1) & (nslots - 1);
    return &slots[i];
}

smmu_mem_t *smmu_mem_new(void) {
    smmu_mem_t *m = calloc(1, sizeof(*m));
    if (!m) return NULL;
    m->slots = calloc(MEM_INITIAL_SLOTS, sizeof(*m->slots));
    if (!m->slots) {
        free(m);
        return NULL;
    }
    m->nslots = MEM_INITIAL_SLOTS;
    return m;
}

void smmu_mem_free(smmu_mem_t *m) {
    if (!m) return;
    for (size_t i = 0; i < m->nslots; i++)
        free(m->slots[i].data);
    free(m->slots);
    free(m);
}

void smmu_mem_zero(smmu_mem_t *m) {
    for (size_t i = 0; i < m->nslots; i++)
        if (m->slots[i].data) memset(m->slots[i].data, 0, MEM_PAGE_SIZE);
    m->naborts = 0;
    m->epoch++; /* contents changed wholesale: revoke what was granted */
}

/* Doubles the table; on allocation failure the old table stays valid. */
static int mem_grow(smmu_mem_t *m) {
    if (m->nslots > SIZE_MAX / 2 / sizeof(mem_slot_t)) return -1;
    size_t n = m->nslots * 2;
    mem_slot_t *s = calloc(n, sizeof(*s));
    if (!s) return -1;
    for (size_t i = 0; i < m->nslots; i++) {
        if (m->slots[i].data) *mem_slot_find(s, n, m->slots[i].pn) = m->slots[i];
    }
    free(m->slots);
    m->slots = s;
    m->nslots = n;
    return 0;
}

/* The page's data, or NULL if it was never written. */
static const uint8_t *mem_page_peek(smmu_mem_t *m, uint64_t pn) {
    for (unsigned i = 0; i < MEM_RECENT; i++)
        if (m->recent[i] && m->recent_pn[i] == pn) return m->recent[i];
    const uint8_t *d = mem_slot_find(m->slots, m->nslots, pn)->data;
    if (d) { /* only pages that exist: an unwritten one may be allocated later */
        m->recent_pn[m->recent_next] = pn;
        m->recent[m->recent_next] = d;
        m->recent_next = (m->recent_next + 1) % MEM_RECENT;
    }
    return d;
}

/* The page's data, allocating a zeroed page if needed; NULL when memory can't be had. */
static uint8_t *mem_page_get(smmu_mem_t *m, uint64_t pn) {
    mem_slot_t *sl = mem_slot_find(m->slots, m->nslots, pn);
    if (sl->data) return sl->data;
    /* Keep the load factor at or below 1/2 so probe sequences stay short. */
    if ((m->used + 1) * 2 > m->nslots) {
        if (mem_grow(m)) return NULL;
        sl = mem_slot_find(m->slots, m->nslots, pn);
    }
    uint8_t *d = calloc(1, MEM_PAGE_SIZE);
    if (!d) return NULL;
    sl->pn = pn;
    sl->data = d;
    m->used++;
    return d;
}

/* Valid range (no wrap-around past 2^64) that touches no abort region. */
static int mem_check(const smmu_mem_t *m, uint64_t pa, size_t len) {
    if (len == 0) return 0;
    uint64_t last = pa + (uint64_t)(len - 1);
    if (last < pa) return -1;
    for (unsigned i = 0; i < m->naborts; i++) {
        if (pa <= m->aborts[i].last && last >= m->aborts[i].first) return -1;
    }
    return 0;
}

int smmu_mem_read(smmu_mem_t *m, uint64_t pa, void *buf, size_t len) {
    if (!m || (!buf && len) || mem_check(m, pa, len)) return -1;
    uint8_t *out = buf;
    while (len) {
        uint64_t off = pa & (MEM_PAGE_SIZE - 1);
        size_t n = (size_t)(MEM_PAGE_SIZE - off);
        if (n > len) n = len;
        const uint8_t *d = mem_page_peek(m, pa >> MEM_PAGE_SHIFT);
        if (d)
            memcpy(out, d + off, n);
        else
            memset(out, 0, n);
        out += n;
        pa += n;
        len -= n;
    }
    return 0;
}

/* A write, without telling the observer: the SMMU's own writes (host callbacks) and CAS. */
static int mem_write_raw(smmu_mem_t *m, uint64_t pa, const void *buf, size_t len) {
    if (!m || (!buf && len) || mem_check(m, pa, len)) return -1;
    if (len == 0) return 0;
    /* Allocate every page first so that a failure transfers nothing. */
    uint64_t first = pa >> MEM_PAGE_SHIFT, last = (pa + (len - 1)) >> MEM_PAGE_SHIFT;
    for (uint64_t pn = first;; pn++) {
        if (!mem_page_get(m, pn)) return -1;
        if (pn == last) break;
    }
    const uint8_t *in = buf;
    while (len) {
        uint64_t off = pa & (MEM_PAGE_SIZE - 1);
        size_t n = (size_t)(MEM_PAGE_SIZE - off);
        if (n > len) n = len;
        memcpy(mem_page_get(m, pa >> MEM_PAGE_SHIFT) + off, in, n);
        in += n;
        pa += n;
        len -= n;
    }
    return 0;
}

int smmu_mem_write(smmu_mem_t *m, uint64_t pa, const void *buf, size_t len) {
    const int rc = mem_write_raw(m, pa, buf, len);
    if (!rc && len && m->observer) m->observer(m->observer_ctx, pa, buf, len);
    return rc;
}

void smmu_mem_set_write_observer(smmu_mem_t *m,
                                 void (*fn)(void *ctx, uint64_t pa, const void *data, size_t len),
                                 void *ctx) {
    if (!m) return;
    m->observer = fn;
    m->observer_ctx = ctx;
}

uint64_t smmu_mem_read64(smmu_mem_t *m, uint64_t pa) {
    uint8_t b[8];
    if (smmu_mem_read(m, pa, b, 8)) return 0;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | b[i];
    return v;
}

void smmu_mem_write64(smmu_mem_t *m, uint64_t pa, uint64_t v) {
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    (void)smmu_mem_write(m, pa, b, 8);
}

/* One read and one write with nothing in between: atomic against every other user of m, whose
   calls are serialised (smmu_mem is not thread-safe). */
int smmu_mem_cas64(smmu_mem_t *m, uint64_t pa, uint64_t expected, uint64_t desired,
                   uint64_t *observed) {
    uint8_t b[8];
    if (!m || !observed || (pa & 7) || smmu_mem_read(m, pa, b, 8)) return -1;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | b[i];
    *observed = v;
    if (v != expected) return 0;
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(desired >> (8 * i));
    return mem_write_raw(m, pa, b, 8);
}

int smmu_mem_add_abort(smmu_mem_t *m, uint64_t base, uint64_t size) {
    if (!m || size == 0 || m->naborts >= MEM_MAX_ABORTS) return -1;
    uint64_t last = base + (size - 1);
    if (last < base) return -1;
    m->aborts[m->naborts].first = base;
    m->aborts[m->naborts].last = last;
    m->naborts++;
    m->epoch++; /* a granted page may now abort */
    return 0;
}

void smmu_mem_clear_aborts(smmu_mem_t *m) {
    if (!m) return;
    m->naborts = 0;
    m->epoch++; /* nothing granted becomes wrong; revoke anyway so grants follow the regions */
}

size_t smmu_mem_pages(const smmu_mem_t *m) {
    return m ? m->used : 0;
}

static int mem_host_read(void *ctx, uint64_t pa, void *buf, size_t len, bool secure) {
    (void)secure; /* one memory for both PA spaces */
    return smmu_mem_read(ctx, pa, buf, len);
}

static int mem_host_write(void *ctx, uint64_t pa, const void *buf, size_t len, bool secure) {
    (void)secure;
    return mem_write_raw(ctx, pa, buf, len);
}

static int mem_host_cas64(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
                          uint64_t *observed, bool secure) {
    (void)secure;
    return smmu_mem_cas64(ctx, pa, expected, desired, observed);
}

/* A direct read grant of the allocated page holding pa when no abort region touches it; an
   untouched page (reads as zero, may be allocated later) is not granted. */
static bool mem_host_ptr(void *ctx, uint64_t pa, smmu_mem_grant_t *g) {
    smmu_mem_t *m = ctx;
    uint64_t base = pa & ~(MEM_PAGE_SIZE - 1);
    if (!m || mem_check(m, base, MEM_PAGE_SIZE)) return false;
    const uint8_t *d = mem_page_peek(m, pa >> MEM_PAGE_SHIFT);
    if (!d) return false;
    g->ptr = d;
    g->base = base;
    g->size = MEM_PAGE_SIZE;
    g->epoch = &m->epoch;
    g->epoch_val = m->epoch;
    return true;
}

void smmu_mem_host(smmu_mem_t *m, smmu_host_t *host) {
    memset(host, 0, sizeof(*host)); /* every optional callback NULL */
    host->ctx = m;
    host->mem_read = mem_host_read;
    host->mem_write = mem_host_write;
    host->mem_ptr = mem_host_ptr;
    host->mem_cas64 = mem_host_cas64;
    host->irq = NULL;
}
