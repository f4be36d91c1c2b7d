/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* VMSAv8-64 translation table walks (Arm ARM D8.2-D8.6) for stage 1, stage 2 and nested stage 1
 * (table addresses translated through stage 2), with the SMMU's fault reporting (spec 7.3).
 *
 * One generic loop (walk_tables) finds the leaf descriptor for either stage; the stage-specific
 * leaf functions then apply the Access flag, permissions and attributes, and the hardware updates
 * of the Access flag and dirty state (HTTU, spec 3.13, Arm ARM D8.5), also of the Access flag
 * in Table descriptors (HAFT, 3.13.6, Arm ARM D8.5.1.3), through the host's atomic
 * compare-and-swap. Not implemented here: FEAT_TTST, permission indirection and overlays. A
 * leaf with the Contiguous bit reports the contiguous range as its span (cont_span): the TLB
 * caches it as one entry (Arm ARM D8.7.1). */
#include "walk.h"

#include "attr.h"
#include "cd.h"
#include "dsan.h"
#include "fault.h"
#include "hostmem.h"
#include "instance.h"
#include "mpam.h"
#include "strtab.h"
#include "tlb.h"
#include "tp.h"
#include "xctx.h"

/* A table descriptor followed by a walk with HAFT (3.13.6) whose Access flag is updated, or
   whose walk cache entry is made, only once the leaf is known to be used (haft_note). */
typedef struct haft_tbl {
    uint64_t desc;       /* as read */
    uint64_t ia, pa;     /* its table address (an IPA when nested) and PA */
    uint64_t next, hier; /* where it leads and the hierarchical controls down to it */
    int level;
    bool ns; /* the walk's NS state after it (NSTable) */
} haft_tbl_t;

/* State of one walk. */
typedef struct walk {
    smmu_t *s;
    const smmu_tt_t *tt;
    const smmu_s2cfg_t *s2; /* nested stage 1: table addresses are IPAs */
    uint64_t ia;            /* input address of this stage (VA or IPA) */
    uint8_t oas;            /* effective output size of this stage, in bits */
    uint8_t cls;            /* stage 2: why the IPA is translated */
    bool stage2, endi;
    bool ns;          /* tables are read with NS == 1 (Non-secure PA space): from the start for a
                         Non-secure stream; a Secure walk from CD.NSCFGx, then NSTable (Arm ARM
                         D8.4: once Non-secure, the rest of the walk stays Non-secure) */
    bool ha, hd;      /* HTTU of this stage: Access flag, dirty state (hd implies ha) */
    bool haft;        /* HTTU of the Access flag in Table descriptors (implies ha) */
    int level;        /* -1..3 (-1: 4KB granule with DS) */
    uint64_t table;   /* current table address (IPA when nested) */
    uint64_t desc;    /* last descriptor read */
    uint64_t desc_ia; /* its table address (an IPA when nested) */
    uint64_t desc_pa; /* and the PA it was read from: where HTTU updates it */
    uint64_t oa;      /* leaf: output address of ia */
    uint64_t span;    /* leaf: page or block size, or its contiguous range (cont_span) */
    bool cont;        /* leaf: span is the contiguous range of a Contiguous == 1 descriptor */
    /* stage 1 hierarchical controls accumulated from table descriptors (D8.4.1.2) */
    bool apt_nounpriv, apt_ro, pxnt, uxnt;
    const smmu_tlbkey_t *key; /* walk cache tags of this walk */
    smmu_xctx_t *x;           /* the translation's cost and debug mode */
    uint64_t upd_pa;          /* PA of the last update whose compare-and-swap failed */
    unsigned npend;           /* HAFT: table descriptors in pend, top level first */
    haft_tbl_t *pend;         /* [4]: levels -1..2 at most; the caller's storage, left
                                 uninitialised (only [0, npend) is read): a walk does not zero
                                 192 bytes it almost never uses */
} walk_t;

/* Stage-1 permissions of a leaf (Arm ARM D8.4.1.2, Table D8-65). */
typedef struct s1perm {
    bool pr, pw, px, ur, uw, ux;
} s1perm_t;

static uint64_t bswap64(uint64_t v) {
    uint64_t r = 0;
    for (int i = 0; i < 8; i++)
        r = (r << 8) | ((v >> (8 * i)) & 0xff);
    return r;
}

static bool beyond(uint64_t addr, unsigned bits) {
    return bits < 64 && (addr >> bits) != 0;
}

static bool gran_ok(unsigned gran) {
    return gran == 12 || gran == 14 || gran == 16;
}

static int set_fault(smmu_fault_t *f, uint8_t type, bool s2, uint8_t cls, uint64_t ipa) {
    *f = (smmu_fault_t){0};
    f->type = type;
    f->s2 = s2;
    f->cls = cls;
    f->ipa = ipa;
    return -1;
}

/* A fault of this stage's walk: stage 1 reports CLASS IN (7.3.13), stage 2 the caller's class
   with the IPA. */
static int walk_fault(const walk_t *w, smmu_fault_t *f, uint8_t type) {
    if (w->stage2) return set_fault(f, type, true, w->cls, w->ia);
    return set_fault(f, type, false, SMMU_CLASS_IN, 0);
}

/* External abort on a descriptor read (7.3.12): a stage-1 descriptor (also nested, after its
   IPA translated) is S2 = 0, CLASS TT; a stage-2 descriptor is S2 = 1 with the caller's class. */
static int eabt_fault(const walk_t *w, smmu_fault_t *f, uint64_t pa) {
    if (w->stage2)
        set_fault(f, SMMU_EVT_F_WALK_EABT, true, w->cls, w->ia);
    else
        set_fault(f, SMMU_EVT_F_WALK_EABT, false, SMMU_CLASS_TT, 0);
    f->fetch_addr = pa;
    return -1;
}

/* Nested: the descriptor address is an IPA, translated by stage 2 as a data access with CLASS
   TT (7.3.13): a read, or the write of a stage-1 HTTU update (3.13.5). STE.S2PTW: a stage-1 walk
   to stage-2 Device memory is a stage-2 Permission fault (5.2). A stage-2 Permission fault
   reports TTRnW = 1 for a table read, 0 for a descriptor write (7.3.16). */
/* The leaf is a Block descriptor (level < 3) whose nT bit[16] asks not to be cached in a way
   that can conflict (3.21.1.2, Arm ARM D8.3.1.2 Block[16]). Only at BBML level 1: level 2
   ignores nT (3.21.1.3) and level 0 has it RES0 (treated as 0). Never a fault: bit[16] is not
   a RES0 check of the walk at any level (a Level 1 SMMU must not fault on nT, 3.21.1.2). */
static bool leaf_nt(const walk_t *w) {
    return w->s->p.bbml == 1 && w->level < 3 && SMMU_VGET(w->desc, SMMU_F_DESC_NT);
}

/* Shareability of the leaf: descriptor SH[1:0], or with DS (4KB/16KB) CD.SHx / STE.S2SH0, the
   descriptor's bits [9:8] holding OA[51:50] (spec 5.4 DS, 5.2 S2DS; Arm ARM D8.3.2). */
static uint8_t leaf_sh(const walk_t *w) {
    return w->tt->ds ? w->tt->sh : (uint8_t)SMMU_VGET(w->desc, SMMU_F_DESC_SH);
}

static int table_ipa_to_pa(walk_t *w, uint64_t ipa, bool write, uint64_t *pa, smmu_fault_t *f) {
    smmu_access_t acc = {.write = write, .exec = false, .priv = true};
    smmu_walk_out_t o;
    if (smmu_walk_s2(w->s, w->x, w->s2, ipa, &acc, SMMU_CLASS_TT, &o, f)) {
        f->ttrnw = f->type == SMMU_EVT_F_PERMISSION && !write;
        return -1;
    }
    if (w->s2->ptw && smmu_attr_is_device(o.attr)) {
        set_fault(f, SMMU_EVT_F_PERMISSION, true, SMMU_CLASS_TT, ipa);
        f->ttrnw = !write;
        return -1;
    }
    *pa = o.oa;
    return 0;
}

/* The sanitizer tracks a descriptor read with the input addresses it translates: the range of
   one entry of a level-`level` table (Arm ARM D8.2). */
static void desc_dsan(const walk_t *w, int level, uint64_t pa, uint64_t d) {
    const unsigned g = w->tt->gran;
    const unsigned shift = g + (unsigned)(3 - level) * (g - 3);
    const uint64_t span = shift < 64 ? 1ull << shift : 0;
    const uint64_t lo = span ? w->ia & ~(span - 1) : 0;
    smmu_dsan_fetch_desc(w->s, !w->ns, pa, d, w->stage2 ? 2 : 1, level, lo,
                         span ? lo + span - 1 : UINT64_MAX);
}

/* Reads the descriptor at table address addr into *d; big-endian tables when ENDI (5.4, 5.2
   S2ENDI). nested: w->s2 is set (a constant where walk_tables is specialised). */
static inline __attribute__((always_inline)) int
read_desc(walk_t *w, bool nested, int level, uint64_t addr, uint64_t *d, smmu_fault_t *f) {
    uint64_t pa = addr;
    if (nested && table_ipa_to_pa(w, addr, false, &pa, f)) return -1;
    w->desc_ia = addr;
    w->desc_pa = pa;
    w->x->reads++;
    w->x->walk_reads++;
    smmu_mpam_io(w->s, w->stage2 ? w->x->mpam_ste : w->x->mpam_s1); /* 17.4 */
    const bool abort = smmu_mem_rd64_w(w->s, pa, d, 1, !w->ns) != 0;
    if (!abort && w->endi) *d = bswap64(*d);
    if (smmu_tp_on(w->s, SMMU_TP_WALK_STEP)) {
        smmu_tp_t tp = {.kind = SMMU_TP_WALK_STEP,
                        .u.walk = {.ia = w->ia,
                                   .pa = pa,
                                   .desc = abort ? 0 : *d,
                                   .stage = w->stage2 ? 2 : 1,
                                   .level = (uint8_t)level}}; /* -1 reads 255 */
        smmu_tp_emit(w->s, &tp);
    }
    if (!abort && smmu_dsan_on(w->s) && !w->x->dbg) desc_dsan(w, level, pa, *d);
    return abort ? eabt_fault(w, f, pa) : 0;
}

/* Levels (0..2) where block descriptors are legal, as a bit mask (Arm ARM D8.2.8-D8.2.10,
   Tables D8-17, D8-27, D8-36): 4KB L1/L2 and with DS (FEAT_LPA2) L0; 16KB L2 and with DS L1;
   64KB L2 and, with FEAT_LPA (a 52-bit PA implementation), L1. Never at level -1. */
static unsigned block_levels(unsigned gran, bool lpa, bool ds) {
    if (gran == 12) return 1u << 1 | 1u << 2 | (ds ? 1u : 0);
    if (gran == 14) return 1u << 2 | (ds ? 1u << 1 : 0);
    return 1u << 2 | (lpa ? 1u << 1 : 0);
}

/* Output or next-level table address bits [51:gran] of descriptor d (Arm ARM D8.3.1): [47:12]
   in place, and OA[51:48] from bits [15:12] for the 64KB granule with FEAT_LPA (lpa); for 4KB
   and 16KB with DS, [49:12] in place and OA[51:50] from bits [9:8]. */
static inline uint64_t desc_addr(uint64_t d, bool lpa, bool ds) {
    if (ds) return SMMU_VADDR(d, SMMU_F_DESC_OA_DS) | SMMU_VGET(d, SMMU_F_DESC_OA_DS_HI) << 50;
    uint64_t a = SMMU_VADDR(d, SMMU_F_DESC_OA);
    return lpa ? a | SMMU_VGET(d, SMMU_F_DESC_OA_HI) << 48 : a;
}

/* APTable/UXNTable/PXNTable limit subsequent levels at stage 1 unless CD.HADx (D8.4.1.2); the
   bits are RES0 at stage 2. The walk ORs the table descriptors it follows into h; these are the
   controls h holds, and back. */
static void hier_set(walk_t *w, uint64_t h) {
    unsigned apt = (unsigned)SMMU_VGET(h, SMMU_F_DESC_APTABLE);
    w->apt_nounpriv = (apt & SMMU_DESC_APTABLE_NO_EL0) != 0;
    w->apt_ro = (apt & SMMU_DESC_APTABLE_RO) != 0;
    w->pxnt = SMMU_VGET(h, SMMU_F_DESC_PXNTABLE) != 0;
    w->uxnt = SMMU_VGET(h, SMMU_F_DESC_UXNTABLE) != 0;
}
static uint64_t hier_get(const walk_t *w) {
    uint64_t h = SMMU_VSET(0, SMMU_F_DESC_APTABLE,
                           (w->apt_nounpriv ? SMMU_DESC_APTABLE_NO_EL0 : 0u) |
                               (w->apt_ro ? SMMU_DESC_APTABLE_RO : 0u));
    h = SMMU_VSET(h, SMMU_F_DESC_PXNTABLE, w->pxnt);
    return SMMU_VSET(h, SMMU_F_DESC_UXNTABLE, w->uxnt);
}

/* Bits resolved by the initial lookup (concatenated start tables included at stage 2):
   between 1 and gran - 3 + 4 (Arm ARM D8.2.2), otherwise the configuration is inconsistent. */
static inline int start_bits(const smmu_tt_t *tt) {
    unsigned ia_bits = 64u - tt->tsz;
    if (!gran_ok(tt->gran) || tt->start > 3 || tt->start < -1 || tt->tsz > 63) return -1;
    unsigned shift = smmu_lvl_shift(tt->gran, tt->start);
    if (ia_bits <= shift || ia_bits - shift > tt->gran - 3u + 4u) return -1;
    return (int)(ia_bits - shift);
}

/* log2 of the number of adjacent entries a Contiguous == 1 Block or Page descriptor of this
   granule and level stands for (Arm ARM D8.7.1, Table D8-104, VMSAv8-64): 4KB: 16 at levels
   1-3; 16KB: 32 at level 2, 128 at level 3; 64KB: 32 at levels 2 and 3. 0 where the bit is
   RES0 with an Effective value of 0 (the 64KB level 1 block of FEAT_LPA), and where the model
   does not take the hint (DS's 4KB level 0 and 16KB level 1 blocks: one entry per block, which
   D8.7.1 always permits). */
static unsigned cont_entries_log2(unsigned gran, unsigned level) {
    if (gran == 12) return level >= 1 && level <= 3 ? 4 : 0;
    if (gran == 14) return level == 3 ? 7 : level == 2 ? 5 : 0;
    return level == 2 || level == 3 ? 5 : 0;
}

/* The span (log2) of leaf d at level, whose block or page is 2^shift at OA base: with the
   Contiguous bit (bit[52]) the whole contiguous range, which the TLB may cache as one entry
   (Arm ARM D8.7.1 R CBXXM, Table D8-104); otherwise shift. The hint is not taken (the entry
   stays one page or block, which D8.7.1 always permits: caching as one entry is not required)
   when the range would exceed the stage's input size (D8.7.1.3 R WMNPV) or its output size
   oas (an OA beyond it must still be an Address Size fault: D8.7.1.2 R XFDVL, I JHQPP), or when
   the descriptor's OA is not where an aligned contiguous OA range (Table D8-104, last column)
   puts its IA: so the walked address always gets its own descriptor's OA, and the other pages
   of the range get that OA range (consistent with this descriptor, D8.7.1.1 R JQQTC). */
static unsigned cont_span(const smmu_tt_t *tt, unsigned oas, uint64_t d, unsigned level,
                          unsigned shift, uint64_t base, uint64_t ia) {
    if (!SMMU_VGET(d, SMMU_F_DESC_CONT)) return shift;
    const unsigned n = cont_entries_log2(tt->gran, level), log2 = shift + n;
    if (!n || log2 > 64u - tt->tsz || log2 > oas) return shift;
    const uint64_t pos = (ia ^ base) & smmu_bits_mask(log2) & ~smmu_bits_mask(shift);
    return pos ? shift : log2;
}

/* Walk cache (spec 3.21.1): continue below the deepest cached table descriptor for the IA. */
static bool walk_resume(walk_t *w) {
    smmu_walke_t e;
    /* level -1 table descriptors are not cached (walk_remember): look from level 0 */
    const unsigned start = w->tt->start < 0 ? 0u : (unsigned)w->tt->start;
    if (!smmu_walkc_lookup(w->s, w->x, w->key, w->tt->gran, start, &e)) return false;
    w->table = e.table;
    w->level = e.level + 1;
    w->apt_nounpriv = e.apt_nounpriv;
    w->apt_ro = e.apt_ro;
    w->pxnt = e.pxnt;
    w->uxnt = e.uxnt;
    w->ns = e.ns;
    return true;
}

/* A valid table descriptor was followed at level: remember where it leads (table) and the
   hierarchical controls down to it (h, as hier_set reads it). A level -1 descriptor (4KB with
   DS) is not cached: it would save one read of a 16-entry table. */
static void walk_remember(const walk_t *w, int level, uint64_t table, uint64_t h, bool ns) {
    if (level < 0) return;
    unsigned apt = (unsigned)SMMU_VGET(h, SMMU_F_DESC_APTABLE);
    smmu_walke_t e = {.gran = w->tt->gran,
                      .level = (uint8_t)level,
                      .apt_nounpriv = (apt & SMMU_DESC_APTABLE_NO_EL0) != 0,
                      .apt_ro = (apt & SMMU_DESC_APTABLE_RO) != 0,
                      .pxnt = SMMU_VGET(h, SMMU_F_DESC_PXNTABLE) != 0,
                      .uxnt = SMMU_VGET(h, SMMU_F_DESC_UXNTABLE) != 0,
                      .ns = ns,
                      .table = table};
    smmu_walkc_fill(w->s, w->x, w->key, &e);
}

/* HAFT (3.13.6; Arm ARM D8.5.1.3): a Table descriptor with AF == 0 is not cached (R JFCYB) and
   its AF is set only when the walk's leaf is used (haft_update): the model sets it for the
   accesses the architecture requires it for (R CGKWB) and not for faulting ones, as it does
   the leaf's AF. From the first such descriptor down, the walk's table descriptors are kept in
   w->pend and put in the walk cache only after the update (a deeper entry would let a later walk
   skip the one with AF == 0, R XYNNS). true: kept, not cached now. */
static bool haft_note(walk_t *w, int level, uint64_t d, uint64_t next, uint64_t h) {
    if (!w->npend && SMMU_VGET(d, SMMU_F_DESC_AF)) return false;
    w->pend[w->npend++] = (haft_tbl_t){.desc = d,
                                       .ia = w->desc_ia,
                                       .pa = w->desc_pa,
                                       .next = next,
                                       .hier = h,
                                       .level = level,
                                       .ns = w->ns};
    return true;
}

/* The table walk proper (Arm ARM D8.2.1): from the start level (or below a cached table
   descriptor) down to a leaf descriptor, left in w->desc and w->level with its output address
   (checked against the stage's output size: F_ADDR_SIZE, 3.4) and size in w->oa and w->span.
   Everything that does not change from level to level is worked out once before the loop, and
   the loop is compiled twice: for nested stage 1 (nested: table addresses are IPAs) and for
   the others. */
static inline __attribute__((always_inline)) int walk_tables_as(walk_t *w, const bool nested,
                                                                smmu_fault_t *f) {
    const smmu_tt_t *tt = w->tt;
    int bits = start_bits(tt);
    if (bits < 0) return walk_fault(w, f, SMMU_EVT_F_TRANSLATION);
    smmu_t *s = w->s;
    const unsigned gran = tt->gran, stride = gran - 3u;
    const bool lpa = gran == 16 && s->p.oas_bits == 52, ds = tt->ds;
    const unsigned blocks = block_levels(gran, lpa, ds);
    const uint64_t oa_over = w->oas >= 64 ? 0 : ~smmu_bits_mask(w->oas); /* bits beyond the OAS */
    const uint64_t table_type = SMMU_FMASK64(SMMU_F_DESC_VALID) | SMMU_FMASK64(SMMU_F_DESC_TABLE);
    const uint64_t table_low = smmu_bits_mask(gran); /* NLTA[gran-1:0] are zero */
    const bool hier = !w->stage2 && !tt->had;
    /* the walk cache is looked up when it exists (a debug walk too), filled outside debug */
    const bool walkc = s->cache[SMMU_CACHE_WALK].sets != 0, fill = walkc && !w->x->dbg;
    const uint64_t ia = w->ia;
    uint64_t table = tt->ttb, h = 0; /* h: table descriptors followed, ORed (hierarchical) */
    int level = tt->start;
    w->npend = 0;
    if (walkc && walk_resume(w)) {
        table = w->table;
        level = w->level;
        bits = (int)stride;
        h = hier_get(w);
    }
    unsigned shift = smmu_lvl_shift(gran, level);
    uint64_t mask = smmu_bits_mask((unsigned)bits);
    for (;; level++, shift -= stride, mask = smmu_bits_mask(stride)) {
        uint64_t d;
        if (read_desc(w, nested, level, table + 8 * ((ia >> shift) & mask), &d, f)) return -1;
        /* Descriptor type from bits [1:0] (Arm ARM D8.3, Table D8-48): x0 invalid; 11 table
           below level 3, page at level 3; 01 block below level 3 (where legal), invalid at
           level 3. */
        if ((d & table_type) == table_type && level < 3) {
            table = desc_addr(d, lpa, ds) & ~table_low;
            if (table & oa_over) return walk_fault(w, f, SMMU_EVT_F_ADDR_SIZE);
            /* NSTable of a Secure walk's table read from Secure memory (Arm ARM D8.4.1) */
            if (!w->ns && SMMU_VGET(d, SMMU_F_DESC_NSTABLE)) w->ns = true;
            if (hier) h |= d;
            /* with HAFT, bit[10] is the table's AF (Arm ARM D8.3.1, Table D8-50/D8-51);
               without it IGNORED */
            if (w->haft && haft_note(w, level, d, table, h)) continue;
            if (fill) walk_remember(w, level, table, h, w->ns); /* where this leads */
            continue;
        }
        w->desc = d;
        w->level = level;
        hier_set(w, h);
        bool leaf = SMMU_VGET(d, SMMU_F_DESC_VALID) &&
                    (level == 3 ? SMMU_VGET(d, SMMU_F_DESC_TABLE) != 0
                                : level >= 0 && ((blocks >> level) & 1) != 0);
        if (!leaf) return walk_fault(w, f, SMMU_EVT_F_TRANSLATION);
        /* Output address: bits [51:shift] (desc_addr; Arm ARM D8.3.1) */
        uint64_t base = desc_addr(d, lpa, ds) & ~smmu_bits_mask(shift);
        if (base & oa_over) return walk_fault(w, f, SMMU_EVT_F_ADDR_SIZE);
        const unsigned span = cont_span(tt, w->oas, d, (unsigned)level, shift, base, ia);
        w->cont = span != shift;
        w->span = 1ull << span;
        w->oa = base | (ia & smmu_bits_mask(shift));
        return 0;
    }
}

static int walk_tables(walk_t *w, smmu_fault_t *f) {
    return w->s2 ? walk_tables_as(w, true, f) : walk_tables_as(w, false, f);
}

/* smmu_translate_batch's look-ahead: the walk_tables_as loop without side effects. */
void smmu_walk_prefetch(smmu_t *s, const smmu_tt_t *tt, const smmu_tlbkey_t *key, uint64_t ia,
                        bool endi, uint8_t oas) {
    int bits = start_bits(tt);
    if (bits < 0) return;
    const unsigned gran = tt->gran, stride = gran - 3u;
    const bool lpa = gran == 16 && s->p.oas_bits == 52, ds = tt->ds;
    const uint64_t oa_over = oas >= 64 ? 0 : ~smmu_bits_mask(oas);
    const uint64_t table_type = SMMU_FMASK64(SMMU_F_DESC_VALID) | SMMU_FMASK64(SMMU_F_DESC_TABLE);
    uint64_t table = tt->ttb;
    int level = tt->start;
    bool ns = tt->ns;
    smmu_walke_t e;
    if (smmu_walkc_peek(s, key, gran, tt->start < 0 ? 0u : (unsigned)tt->start, &e)) {
        table = e.table;
        level = e.level + 1;
        bits = (int)stride;
        ns = e.ns;
    }
    if (!ns) return; /* Secure tables: read through host->mem_read, nothing to prefetch */
    unsigned shift = smmu_lvl_shift(gran, level);
    uint64_t mask = smmu_bits_mask((unsigned)bits);
    for (;; level++, shift -= stride, mask = smmu_bits_mask(stride)) {
        const uint8_t *p = smmu_mem_ahead(s, table + 8 * ((ia >> shift) & mask));
        if (!p) return;
        if (level == 3) { /* the leaf: its read is the walk's likely host cache miss */
            __builtin_prefetch(p);
            return;
        }
        uint64_t d = smmu_le64(p);
        if (endi) d = bswap64(d);
        if ((d & table_type) != table_type) return; /* a block or a fault: read when walked */
        table = desc_addr(d, lpa, ds) & ~smmu_bits_mask(gran);
        if (table & oa_over) return;
    }
}

/* ------------------------------------------------------------------------------ stage 1 */

int smmu_s1_select(const smmu_s1cfg_t *c, uint64_t va, bool priv) {
    /* TTB0 or TTB1 by VA[55] (spec 3.4.1, Arm ARM D8.2.4). */
    int half = (int)((va >> 55) & 1);
    const smmu_tt_t *tt = &c->tt[half];
    if (tt->epd || tt->tsz < 1 || tt->tsz > 63) return -1;
    /* E0PD (spec 5.4 E0PDx): an unprivileged access to the half is a Translation fault, level 0
       (Arm ARM D8.2 I RFRSQ, D8.15 R VZZSZ), taken without consulting the TLB (R DDFWH). */
    if (tt->e0pd && !priv) return -1;
    /* TTB0 covers [0, 2^n), TTB1 [2^64 - 2^n, 2^64) with n = 64 - TxSZ: VA[AddrTop:n] must all
       equal VA[55]; AddrTop is 55 with TBI, else 63 (spec 3.4.1). */
    unsigned n = 64u - tt->tsz;
    unsigned top = tt->tbi ? 55 : 63;
    if (n > top) return -1;
    uint64_t upper = (va >> n) & smmu_bits_mask(top - n + 1);
    uint64_t want = half ? smmu_bits_mask(top - n + 1) : 0;
    return upper == want ? half : -1;
}

int smmu_s1_start_level(unsigned gran, unsigned tsz) {
    /* Enough levels of gran - 3 bits each to resolve IA[63-tsz:gran] (Arm ARM D8.2, Tables
       D8-18/D8-28/D8-37): five (level -1) for the 4KB granule with a 49..52-bit IA (DS). */
    if (!gran_ok(gran) || tsz >= 64 || 64 - tsz <= gran) return 3;
    unsigned stride = gran - 3;
    unsigned levels = (64 - tsz - gran + stride - 1) / stride;
    return levels >= 5 ? -1 : 4 - (int)levels;
}

/* Stage-1 Direct permissions of the leaf for a regime of two ELs (Arm ARM D8.4.1.2, Tables
   D8-63, D8-64, D8-65): APTable/XNTable applied, implicit PXN for EL0-writable pages, WXN and
   UWXN (spec 5.4). */
static s1perm_t s1_perms_el10(const smmu_s1cfg_t *c, const walk_t *w, uint64_t d) {
    unsigned ap = (unsigned)SMMU_VGET(d, SMMU_F_DESC_AP); /* AP[2:1] */
    s1perm_t p = {.pr = true, .pw = !(ap & SMMU_DESC_AP_RO), .ur = (ap & SMMU_DESC_AP_EL0) != 0};
    p.uw = p.ur && p.pw;
    if (w->apt_nounpriv) p.ur = p.uw = false;
    if (w->apt_ro) p.pw = p.uw = false;
    p.ux = !(SMMU_VGET(d, SMMU_F_DESC_UXN) || w->uxnt);
    p.px = !(SMMU_VGET(d, SMMU_F_DESC_PXN) || w->pxnt) && !p.uw; /* R VWLLR */
    if (c->wxn && p.pw) p.px = false;                            /* PrivWXN */
    if (c->wxn && p.uw) p.ux = false;                            /* UnprivWXN */
    if (c->uwxn && p.uw) p.px = false;                           /* spec 5.4 UWXN */
    return p;
}

/* One EL (StreamWorld EL2/EL3, Arm ARM Table D8-66): AP[1], PXN, APTable[0] and PXNTable are
   not used; XN is bit 54 and XNTable bit 60. */
static s1perm_t s1_perms_single(const smmu_s1cfg_t *c, const walk_t *w, uint64_t d) {
    unsigned ap = (unsigned)SMMU_VGET(d, SMMU_F_DESC_AP);
    s1perm_t p = {.pr = true, .pw = !(ap & SMMU_DESC_AP_RO) && !w->apt_ro};
    p.px = !(SMMU_VGET(d, SMMU_F_DESC_UXN) || w->uxnt) && !(c->wxn && p.pw);
    return p;
}

/* Permissions p grant to an access of the given privilege. CD.PAN removes data access for a
   privileged access to a page with unprivileged data access (spec 5.4 PAN, EPAN == 0). */
static uint8_t s1_grant(const smmu_s1cfg_t *c, const s1perm_t *p, bool priv) {
    bool r = priv ? p->pr : p->ur, wr = priv ? p->pw : p->uw, x = priv ? p->px : p->ux;
    if (priv && c->pan && (p->ur || p->uw)) r = wr = false;
    return (uint8_t)((r ? SMMU_PERM_R : 0) | (wr ? SMMU_PERM_W : 0) | (x ? SMMU_PERM_X : 0));
}

/* What leaf descriptor d grants to privileged and to unprivileged accesses (in a one-EL regime
   every access is privileged). */
static void s1_grants(const smmu_s1cfg_t *c, const walk_t *w, uint64_t d, uint8_t *priv,
                      uint8_t *user) {
    if (w->tt->single_el) {
        s1perm_t p = s1_perms_single(c, w, d);
        *priv = *user = s1_grant(c, &p, true);
        return;
    }
    s1perm_t p = s1_perms_el10(c, w, d);
    *priv = s1_grant(c, &p, true);
    *user = s1_grant(c, &p, false);
}

/* Writes need W, instruction fetches X (an execute-only page is executable: spec 13.7), other
   reads R. */
static bool access_ok(uint8_t perm, const smmu_access_t *acc) {
    if (acc->write) return perm & SMMU_PERM_W;
    if (acc->exec) return perm & SMMU_PERM_X;
    return perm & SMMU_PERM_R;
}

/* Access flag without HTTU of it (D8.5.1.1; spec 3.13.2): AF == 0 faults unless AFFD. With HA
   the flag is set instead and AFFD is IGNORED (5.4 AFFD, 5.2 S2AFFD). */
static bool af_fault(const walk_t *w, bool affd) {
    return !w->ha && !affd && !SMMU_VGET(w->desc, SMMU_F_DESC_AF);
}

/* Compare-and-swap attempts of one HTTU update before it counts as failed (a model choice). */
enum { HTTU_TRIES = 8 };

/* The atomic update of the descriptor at table address ia (PA pa) from old to want: 0 done, 1
   it no longer holds old, -1 a fault (leaf_update). */
static int desc_update(walk_t *w, uint64_t ia, uint64_t pa, uint64_t old, uint64_t want,
                       smmu_fault_t *f) {
    /* Nested stage 1: the update writes the descriptor's IPA, which stage 2 must allow (3.13.5;
       Arm ARM R BDJJL, I VPNMG): its Permission fault is CLASS TT with TTRnW = 0 (7.3.16). */
    if (w->s2 && table_ipa_to_pa(w, ia, true, &pa, f)) return -1;
    const uint64_t expect = w->endi ? bswap64(old) : old;
    uint64_t seen;
    smmu_mpam_io(w->s, w->stage2 ? w->x->mpam_ste : w->x->mpam_s1); /* 17.4 */
    if (smmu_mem_cas_w(w->s, pa, expect, w->endi ? bswap64(want) : want, &seen, !w->ns))
        return eabt_fault(w, f, pa);
    if (seen == expect) return 0;
    w->upd_pa = pa;
    return 1;
}

/* HAFT (3.13.6; Arm ARM D8.5.1.3): the walk's leaf is used, so every Table descriptor it read
   with AF == 0 gets AF = 1 (R CGKWB) by an atomic update (R BCWSB), top level first and before
   any update of the leaf (R XYNNS), each one through stage 2 when nested (I VPNMG); then the
   walk cache may hold them (R JFCYB). Same answers as leaf_update. */
static int haft_update(walk_t *w, smmu_fault_t *f) {
    const bool fill = w->s->cache[SMMU_CACHE_WALK].sets && !w->x->dbg;
    for (unsigned i = 0; i < w->npend; i++) {
        const haft_tbl_t *t = &w->pend[i];
        if (!SMMU_VGET(t->desc, SMMU_F_DESC_AF) && !w->x->dbg) {
            int rc =
                desc_update(w, t->ia, t->pa, t->desc, SMMU_VSET(t->desc, SMMU_F_DESC_AF, 1), f);
            if (rc) return rc;
        }
        if (fill) walk_remember(w, t->level, t->next, t->hier, t->ns);
    }
    w->npend = 0;
    return 0;
}

/* HTTU of the leaf (spec 3.13.2, 3.13.3; Arm ARM D8.5): this access leaves the descriptor as
   want, with AF = 1 when HA (a dirty update sets it too, 3.13.2). It is written by an atomic
   compare-and-swap from the value the walk read (R LFTXR, R PQJJR), and not at all when it is so
   already. A debug translation writes nothing and answers as if written, as an address
   translation instruction may (R XQSMX, R RKMHW). 0: done, w->desc is the new value; 1: the
   descriptor changed since it was read, so walk again and use what memory holds now (R SGJBL,
   I YZSVV); -1: a fault: F_WALK_EABT for an abort on the update (7.3.12 "fetching (or
   updating)"), or the stage-2 fault of a nested stage-1 update. The Table descriptors of the walk
   are updated first (HAFT, haft_update). */
static int leaf_update(walk_t *w, uint64_t want, smmu_fault_t *f) {
    if (w->npend) {
        int rc = haft_update(w, f);
        if (rc) return rc;
    }
    if (w->ha) want = SMMU_VSET(want, SMMU_F_DESC_AF, 1);
    if (want == w->desc) return 0;
    if (w->x->dbg) {
        w->desc = want;
        return 0;
    }
    int rc = desc_update(w, w->desc_ia, w->desc_pa, w->desc, want, f);
    if (!rc) w->desc = want;
    return rc;
}

/* Writable-clean at stage 1 (Arm ARM R XZFQH, spec 3.13.3.1): dirty state managed by hardware
   (CD.HD), DBM == 1 and AP[2] == 1 the only reason writes are refused: not APTable, for which
   3.13.3.1 says dirty state update does not apply. */
static bool s1_clean(const walk_t *w) {
    return w->hd && SMMU_VGET(w->desc, SMMU_F_DESC_DBM) &&
           (SMMU_VGET(w->desc, SMMU_F_DESC_AP) & SMMU_DESC_AP_RO) && !w->apt_ro;
}

/* 0: out filled; 1: walk again (leaf_update); -1: a fault. */
static int s1_leaf(walk_t *w, const smmu_s1cfg_t *c, const smmu_access_t *acc, smmu_walk_out_t *out,
                   smmu_fault_t *f) {
    if (af_fault(w, c->affd)) return walk_fault(w, f, SMMU_EVT_F_ACCESS);
    /* A writable-clean descriptor has the permissions of its dirty form (AP[2] = 0): it counts
       as writable for execute permission (R TTLCV, I NSYYW, R NKLQN) and a write makes it dirty
       (3.13.3.1); until then it grants no write. */
    const bool clean = s1_clean(w);
    const unsigned ap = (unsigned)SMMU_VGET(w->desc, SMMU_F_DESC_AP);
    const uint64_t dirty =
        clean ? SMMU_VSET(w->desc, SMMU_F_DESC_AP, ap & ~SMMU_DESC_AP_RO) : w->desc;
    uint8_t perm_priv, perm_user;
    s1_grants(c, w, dirty, &perm_priv, &perm_user);
    uint8_t perm = acc->priv ? perm_priv : perm_user;
    if (!access_ok(perm, acc)) return walk_fault(w, f, SMMU_EVT_F_PERMISSION);
    int rc = leaf_update(w, clean && acc->write ? dirty : w->desc, f);
    if (rc) return rc;
    if (clean && !acc->write) {
        perm_priv &= (uint8_t)~SMMU_PERM_W;
        perm_user &= (uint8_t)~SMMU_PERM_W;
        perm &= (uint8_t)~SMMU_PERM_W;
    }
    *out = (smmu_walk_out_t){0};
    out->oa = w->oa;
    out->span = w->span;
    out->perm = perm;
    out->perm_priv = perm_priv;
    out->perm_user = perm_user;
    out->gran = w->tt->gran;
    out->attr = (uint8_t)(c->mair >> (8 * SMMU_VGET(w->desc, SMMU_F_DESC_ATTRINDX)));
    out->sh = leaf_sh(w);
    out->level = (uint8_t)w->level;
    /* A Secure stream's leaf read from Non-secure memory is non-global whatever its nG (3.17.1) */
    out->ng = SMMU_VGET(w->desc, SMMU_F_DESC_NG) != 0 || (w->x->sec && w->ns);
    out->nt = leaf_nt(w);
    out->cont = w->cont;
    /* Output NS (3.10.2, Arm ARM D8.4.1): the leaf's NS bit when it was read from Secure
       memory, Non-secure otherwise (and always for a Non-secure stream). */
    out->ns = w->ns || SMMU_VGET(w->desc, SMMU_F_DESC_NS);
    return 0;
}

int smmu_walk_s1(smmu_t *s, smmu_xctx_t *x, const smmu_s1cfg_t *c, int half, const smmu_s2cfg_t *s2,
                 uint64_t va, const smmu_access_t *acc, smmu_walk_out_t *out, smmu_fault_t *f) {
    if (half < 0) return set_fault(f, SMMU_EVT_F_TRANSLATION, false, SMMU_CLASS_IN, 0);
    smmu_tlbkey_t key = {0}; /* walk cache tags: only used with a walk cache */
    if (s->cache[SMMU_CACHE_WALK].sets)
        key = (smmu_tlbkey_t){.regime = c->regime,
                              .vmid = c->vmid,
                              .asid = smmu_rg_asid(c->regime) ? c->asid : 0,
                              .ia = smmu_va_canon(va)};
    haft_tbl_t pend[4];
    /* Only what a walk reads before it writes it (a miss does not clear the ~170-byte state):
       walk_tables sets the level, table, descriptor and npend, the leaf its output and
       controls; cls is a stage-2 walk's; upd_pa is read only after a failed update set it. */
    walk_t w;
    w.s = s;
    w.tt = &c->tt[half];
    w.s2 = s2;
    w.ia = va;
    w.oas = c->oas;
    w.cls = SMMU_CLASS_IN;
    w.stage2 = false;
    w.endi = c->endi;
    w.ha = c->ha;
    w.hd = c->hd;
    w.haft = c->haft;
    w.key = &key;
    w.x = x;
    w.upd_pa = 0;
    w.pend = pend;
    for (unsigned tries = 1;; tries++) {
        w.ns = c->tt[half].ns; /* a walk again starts again */
        if (walk_tables(&w, f)) return -1;
        int rc = s1_leaf(&w, c, acc, out, f);
        if (rc <= 0) return rc;
        if (tries == HTTU_TRIES) return eabt_fault(&w, f, w.upd_pa); /* the update failed */
    }
}

/* ------------------------------------------------------------------------------ stage 2 */

enum { SL_RESERVED = -2 };

/* Initial lookup level for STE.{S2SL0_2, S2SL0} by granule (Arm ARM Tables D8-19, D8-29,
   D8-38; spec 5.2 S2SL0): SL_RESERVED where the encoding is reserved or needs FEAT_TTST (4KB
   level 3), or needs DS (FEAT_LPA2): 4KB {1, 0b00} level -1, 16KB 0b11 level 0. S2SL0_2 is
   only given for the 4KB granule with DS (the STE decode). */
static int s2_sl0_level(unsigned gran, unsigned sl0, bool ds) {
    static const int8_t l4k[8] = {2, 1, 0, SL_RESERVED, -1, SL_RESERVED, SL_RESERVED, SL_RESERVED};
    static const int8_t l16k[4] = {3, 2, 1, 0};
    static const int8_t l64k[4] = {3, 2, 1, SL_RESERVED};
    if (gran == 12) return l4k[sl0 & 7];
    if (gran == 14) return sl0 < 3 || ds ? l16k[sl0 & 3] : SL_RESERVED;
    return l64k[sl0 & 3];
}

/* The S2T0SZ range itself (5.2 S2T0SZ) is checked by the STE decode. */
int smmu_s2_start_level(unsigned gran, unsigned tsz, unsigned sl0, bool ds, int8_t *start,
                        uint8_t *concat) {
    if (!gran_ok(gran) || tsz > 39 || tsz < 12) return -1;
    int level = s2_sl0_level(gran, sl0, ds);
    if (level == SL_RESERVED) return -1;
    unsigned stride = gran - 3, ia_bits = 64 - tsz, shift = smmu_lvl_shift(gran, level);
    /* The initial lookup resolves 1 .. stride + 4 bits; more than stride means 2^(excess)
       concatenated tables (Arm ARM D8.2.2, Tables D8-21..D8-41). */
    if (ia_bits <= shift || ia_bits - shift > stride + 4) return -1;
    unsigned bits = ia_bits - shift;
    *start = (int8_t)level;
    *concat = (uint8_t)(bits > stride ? bits - stride : 0);
    return 0;
}

/* Stage-2 execution of leaf d for a privileged (EL1) or unprivileged (EL0) fetch (Arm ARM
   D8.4.2.1). Without FEAT_XNX (IDR3.XNX == 0) XN (bit 54) forbids both and bit 53 is RES0,
   ignored (Table D8-77); with it XN[1:0] (bits [54:53], Table D8-78): 0b00 both execute, 0b01
   EL0 only, 0b10 neither, 0b11 EL1 only (spec 6.3.4 XNX, 13.4: PRIV then counts at stage 2). */
static bool s2_exec(uint64_t d, bool xnx, bool priv) {
    if (!xnx) return !SMMU_VGET(d, SMMU_F_DESC_S2XN);
    switch (SMMU_VGET(d, SMMU_F_DESC_XN)) {
    case 0:
        return true;
    case 1:
        return !priv;
    case 2:
        return false;
    default:
        return priv;
    }
}

/* Stage-2 Direct permissions of leaf d (Arm ARM D8.4.2.1, Tables D8-76..D8-78): S2AP[0] read,
   S2AP[1] write (the same at both privileges, I HXWLL), execution by privilege (s2_exec). */
static void s2_grants(uint64_t d, bool xnx, uint8_t *perm_priv, uint8_t *perm_user) {
    unsigned s2ap = (unsigned)SMMU_VGET(d, SMMU_F_DESC_S2AP);
    uint8_t rw = (uint8_t)((s2ap & SMMU_DESC_S2AP_R ? SMMU_PERM_R : 0) |
                           (s2ap & SMMU_DESC_S2AP_W ? SMMU_PERM_W : 0));
    *perm_priv = (uint8_t)(rw | (s2_exec(d, xnx, true) ? SMMU_PERM_X : 0));
    *perm_user = (uint8_t)(rw | (s2_exec(d, xnx, false) ? SMMU_PERM_X : 0));
}

/* Writable-clean at stage 2 (Arm ARM R XZFQH, spec 3.13.3.1): STE.S2HD, DBM == 1 and
   S2AP[1] == 0; never for the stage 2 of a CD or L1CD fetch, whose S2AP[1] the SMMU never sets
   (3.13.3.1, last line). */
static bool s2_clean(const walk_t *w) {
    return w->hd && w->cls != SMMU_CLASS_CD && SMMU_VGET(w->desc, SMMU_F_DESC_DBM) &&
           !(SMMU_VGET(w->desc, SMMU_F_DESC_S2AP) & SMMU_DESC_S2AP_W);
}

/* 0: out filled; 1: walk again (leaf_update); -1: a fault. */
static int s2_leaf(walk_t *w, const smmu_s2cfg_t *c, const smmu_access_t *acc, smmu_walk_out_t *out,
                   smmu_fault_t *f) {
    if (af_fault(w, c->affd)) return walk_fault(w, f, SMMU_EVT_F_ACCESS);
    /* Writable-clean: a write sets S2AP[1] (3.13.3.1); until then no write is granted. */
    const bool clean = s2_clean(w);
    const unsigned s2ap = (unsigned)SMMU_VGET(w->desc, SMMU_F_DESC_S2AP);
    const uint64_t dirty =
        clean ? SMMU_VSET(w->desc, SMMU_F_DESC_S2AP, s2ap | SMMU_DESC_S2AP_W) : w->desc;
    uint8_t perm_priv, perm_user;
    s2_grants(dirty, w->s->p.xnx, &perm_priv, &perm_user);
    if (!access_ok(acc->priv ? perm_priv : perm_user, acc))
        return walk_fault(w, f, SMMU_EVT_F_PERMISSION);
    int rc = leaf_update(w, clean && acc->write ? dirty : w->desc, f);
    if (rc) return rc;
    if (clean && !acc->write) {
        perm_priv &= (uint8_t)~SMMU_PERM_W;
        perm_user &= (uint8_t)~SMMU_PERM_W;
    }
    *out = (smmu_walk_out_t){0};
    out->oa = w->oa;
    out->span = w->span;
    out->perm_priv = perm_priv;
    out->perm_user = perm_user;
    out->perm = acc->priv ? perm_priv : perm_user;
    out->gran = w->tt->gran;
    /* MemAttr[3:0] as a MAIR byte (attr.c): Arm ARM D8.6.5, Table D8-96 (FWB disabled): Device
       nGnRnE..GRE -> 0x00..0x0C; Normal outer/inner NC 0x4, WT 0xB, WB 0xF. STE.S2FWB: D8.6.6,
       Tables D8-100, D8-101 (spec 5.2 S2FWB, 13.1.6). */
    const unsigned memattr = (unsigned)SMMU_VGET(w->desc, SMMU_F_DESC_S2MEMATTR);
    out->attr = c->fwb ? smmu_attr_from_s2memattr_fwb(memattr, &out->force_wb)
                       : smmu_attr_from_s2memattr(memattr);
    out->sh = leaf_sh(w);
    out->level = (uint8_t)w->level;
    out->nt = leaf_nt(w);
    out->cont = w->cont;
    out->ns = true;
    return 0;
}

/* IPA cache (stage-2 translations by VMID): a hit gives the leaf's output without a walk. */
static bool s2_cached(walk_t *w, const smmu_access_t *acc, smmu_walk_out_t *out, smmu_fault_t *f,
                      int *rc) {
    if (!w->s->cache[SMMU_CACHE_IPA].sets) return false; /* no IPA cache: nothing counted */
    const smmu_tlbe_t *e = smmu_tlb_lookup(w->s, w->x, SMMU_CACHE_IPA, w->key);
    if (!e) return false;
    *rc = 0;
    const uint8_t perm = acc->priv ? e->perm2_p : e->perm2_u; /* IDR3.XNX: by PRIV (13.4) */
    if (!access_ok(perm, acc) && acc->write && w->hd) {
        /* Perhaps cached while writable-clean: the write walks again to make the descriptor
           dirty, or fault (Arm ARM R SGJBL, I HQBGN), and the walk's entry replaces this one. */
        if (!w->x->dbg) smmu_tlb_drop(w->s, SMMU_CACHE_IPA, e);
        return false;
    }
    if (!access_ok(perm, acc)) {
        *rc = walk_fault(w, f, SMMU_EVT_F_PERMISSION);
        return true;
    }
    *out = (smmu_walk_out_t){0};
    out->oa = e->oa | (w->ia & smmu_bits_mask(e->size_log2));
    out->span = 1ull << e->size_log2;
    out->perm = perm;
    out->perm_priv = e->perm2_p;
    out->perm_user = e->perm2_u;
    out->attr = e->attr2;
    out->force_wb = e->force_wb2;
    out->sh = e->sh2;
    out->cont = e->cont;
    out->level = e->level;
    out->gran = e->gran;
    out->ns = true;
    return true;
}

static void s2_remember(const walk_t *w, const smmu_walk_out_t *o) {
    if (!w->s->cache[SMMU_CACHE_IPA].sets || w->x->dbg) return; /* nothing would be filled */
    if (o->nt) return; /* BBML level 1: an nT block is not cached (3.21.1.2) */
    unsigned log2 = (unsigned)__builtin_ctzll(o->span);
    smmu_tlbe_t e = {.regime = SMMU_RG_S2,
                     .size_log2 = (uint8_t)log2,
                     .range_log2 = (uint8_t)log2,
                     .gran = o->gran,
                     .level = o->level,
                     .global = true,
                     .s2 = true,
                     .vmid = w->key->vmid,
                     .ia = w->ia & ~smmu_bits_mask(log2),
                     .oa = o->oa & ~smmu_bits_mask(log2),
                     .perm2_p = o->perm_priv,
                     .perm2_u = o->perm_user,
                     .attr2 = o->attr,
                     .force_wb2 = o->force_wb,
                     .sh2 = o->sh,
                     .cont = o->cont};
    smmu_tlb_fill(w->s, w->x, SMMU_CACHE_IPA, &e);
}

int smmu_walk_s2(smmu_t *s, smmu_xctx_t *x, const smmu_s2cfg_t *c, uint64_t ipa,
                 const smmu_access_t *acc, uint8_t cls, smmu_walk_out_t *out, smmu_fault_t *f) {
    smmu_tlbkey_t key = {.regime = SMMU_RG_S2, .vmid = c->vmid, .ia = ipa};
    haft_tbl_t pend[4];
    walk_t w = {.s = s,
                .tt = &c->tt,
                .ia = ipa,
                .oas = c->oas,
                .cls = cls,
                .stage2 = true,
                .endi = c->endi,
                .ns = true, /* stage 2 of Non-secure streams only (S_IDR1.SEL2 == 0) */
                .ha = c->ha,
                .hd = c->hd,
                .haft = c->haft,
                .key = &key,
                .x = x,
                .pend = pend};
    int rc;
    /* IPA beyond 2^(64 - S2T0SZ): stage-2 Translation fault (spec 3.4 stage 2 check 1). */
    if (c->tt.tsz < 1 || beyond(ipa, 64u - c->tt.tsz))
        return walk_fault(&w, f, SMMU_EVT_F_TRANSLATION);
    if (s2_cached(&w, acc, out, f, &rc)) return rc;
    for (unsigned tries = 1;; tries++) {
        if (walk_tables(&w, f)) return -1;
        rc = s2_leaf(&w, c, acc, out, f);
        if (rc < 0) return -1;
        if (rc == 0) break;
        if (tries == HTTU_TRIES) return eabt_fault(&w, f, w.upd_pa); /* the update failed */
    }
    s2_remember(&w, out);
    return 0;
}
