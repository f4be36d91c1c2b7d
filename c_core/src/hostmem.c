/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The core's own memory accesses (Non-secure, and Secure ones for Secure streams): reads that no
 * held grant answers, which look for another held grant or ask host->mem_ptr for a new one before
 * host->mem_read, writes through host->mem_write, and little-endian 64-bit structure words
 * (spec 3.3). The fast path of a read is inline in hostmem.h. */
#include "hostmem.h"

#include <string.h>

#include "instance.h"

/* A grant the host handed out for pa: usable (it covers pa, does not wrap past 2^64, and its
   epoch is current). Whether it covers pa first: a held slot of another page fails there (and
   a size of 0 covers nothing). */
static bool grant_ok(const smmu_mem_grant_t *g, uint64_t pa) {
    return pa - g->base < g->size && g->ptr && g->epoch && g->base + (g->size - 1) >= g->base &&
           *g->epoch == g->epoch_val;
}

/* A copy out of a grant: a descriptor (8 bytes, the walks' reads) as one fixed-size load, not
   a library call with a variable length. */
static inline void grant_copy(void *buf, const uint8_t *p, size_t len) {
    if (len == 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        memcpy(buf, &v, 8);
    } else {
        memcpy(buf, p, len);
    }
}

/* The grant for pa that its slot does not hold: a current grant held in another slot (one
   wider than a page: only looked for once such a grant was seen) or a new one from
   host->mem_ptr, then kept in pa's slot. False: no grant covers pa. */
static bool grant_take(smmu_t *s, uint64_t pa, smmu_mem_grant_t *g) {
    smmu_mem_grant_t *slot = smmu_grant_slot(s, pa);
    bool held = grant_ok(slot, pa); /* then the access straddles its end */
    if (held) *g = *slot;
    for (unsigned i = 0; i < SMMU_GRANTS && !held && s->grants_wide; i++)
        if (grant_ok(&s->grants[i], pa)) {
            *g = s->grants[i];
            held = true;
        }
    if (!held && !(s->host.mem_ptr(s->host.ctx, pa, g) && grant_ok(g, pa))) return false;
    if ((g->base >> 12) != ((g->base + (g->size - 1)) >> 12)) s->grants_wide = true;
    *slot = *g;
    return true;
}

/* A read the grant of its slot does not answer (smmu_mem_rd): copied from the grant
   grant_take() finds when it lies inside, else (it straddles the grant's end, or no grant) it
   goes to host->mem_read. */
int smmu_mem_rd_host(smmu_t *s, uint64_t pa, void *buf, size_t len) {
    smmu_mem_grant_t g = {0};
    if (s->host.mem_ptr && len && grant_take(s, pa, &g) && len <= g.size - (pa - g.base)) {
        grant_copy(buf, g.ptr + (pa - g.base), len);
        return 0;
    }
    return s->host.mem_read(s->host.ctx, pa, buf, len, false);
}

const uint8_t *smmu_mem_ahead(smmu_t *s, uint64_t pa) {
    const uint8_t *p = smmu_grant_find(s, pa, 8);
    smmu_mem_grant_t g = {0};
    if (p || !s->host.mem_ptr || !grant_take(s, pa, &g) || g.size - (pa - g.base) < 8) return p;
    return g.ptr + (pa - g.base);
}

int smmu_mem_wr(smmu_t *s, uint64_t pa, const void *buf, size_t len) {
    return smmu_mem_wr_w(s, pa, buf, len, false);
}

int smmu_mem_wr_w(smmu_t *s, uint64_t pa, const void *buf, size_t len, bool secure) {
    return s->host.mem_write(s->host.ctx, pa, buf, len, secure);
}

static void host_to_le64(uint8_t *b, uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(b, &v, sizeof(v));
}

int smmu_mem_rd64_host(smmu_t *s, uint64_t pa, uint64_t *dw, unsigned n) {
    uint8_t buf[64];
    if (n == 1) { /* a descriptor: one fixed-size word */
        if (smmu_mem_rd_host(s, pa, buf, 8)) return -1;
        *dw = smmu_le64(buf);
        return 0;
    }
    if (n > 8) return -1;
    if (smmu_mem_rd_host(s, pa, buf, 8u * n)) return -1;
    for (unsigned i = 0; i < n; i++)
        dw[i] = smmu_le64(buf + 8 * i);
    return 0;
}

int smmu_mem_wr64_w(smmu_t *s, uint64_t pa, const uint64_t *dw, unsigned n, bool secure) {
    uint8_t buf[64];
    if (n > 8) return -1;
    for (unsigned i = 0; i < n; i++)
        host_to_le64(buf + 8 * i, dw[i]);
    return s->host.mem_write(s->host.ctx, pa, buf, 8u * n, secure);
}

int smmu_mem_wr64(smmu_t *s, uint64_t pa, const uint64_t *dw, unsigned n) {
    return smmu_mem_wr64_w(s, pa, dw, n, false);
}

int smmu_mem_rd64_sec(smmu_t *s, uint64_t pa, uint64_t *dw, unsigned n) {
    uint8_t buf[64];
    if (n > 8) return -1;
    if (s->host.mem_read(s->host.ctx, pa, buf, 8u * n, true)) return -1;
    for (unsigned i = 0; i < n; i++)
        dw[i] = smmu_le64(buf + 8 * i);
    return 0;
}

int smmu_mem_cas_w(smmu_t *s, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *observed,
                   bool secure) {
    if (!s->host.mem_cas64) return -1;
    return s->host.mem_cas64(s->host.ctx, pa, expected, desired, observed, secure);
}

int smmu_mem_cas(smmu_t *s, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *observed) {
    return smmu_mem_cas_w(s, pa, expected, desired, observed, false);
}
