// SPDX-License-Identifier: Apache-2.0 OR MIT
// Direct read grants (smmu_host_t.mem_ptr, smmu_mem_grant_t in <smmu/smmu.h>): the core reads
// table descriptors, STEs and CDs through a host pointer while the grant's epoch is current, and
// through mem_read otherwise. Nothing observable may change: results, event records and
// counters are those of the mem_read path; an abort region or a revoked grant is honoured from
// the next read on. smmu_mem_host() grants allocated pages of the sparse memory.
#include <array>
#include <map>
#include <random>

#include "walk_fixture.h"

using namespace twalk;

namespace {

constexpr uint64_t PAGE = 0x1000;

// ------------------------------------------------------------------ smmu_mem_host's grants

class MemHostGrant : public ::testing::Test {
  protected:
    smmu_mem_t *m = nullptr;
    smmu_host_t h{};
    void SetUp() override {
        m = smmu_mem_new();
        ASSERT_NE(m, nullptr);
        smmu_mem_host(m, &h);
        ASSERT_NE(h.mem_ptr, nullptr);
    }
    void TearDown() override {
        smmu_mem_free(m);
    }
    bool grant(uint64_t pa, smmu_mem_grant_t &g) {
        g = smmu_mem_grant_t{};
        return h.mem_ptr(h.ctx, pa, &g);
    }
};

TEST_F(MemHostGrant, AllocatedPageIsGrantedWhole) {
    smmu_mem_grant_t g;
    EXPECT_FALSE(grant(0x5008, g)) << "an untouched page reads as zero and is not granted";
    smmu_mem_write64(m, 0x5008, 0x1122334455667788ull);
    ASSERT_TRUE(grant(0x5010, g));
    EXPECT_EQ(g.base, 0x5000u);
    EXPECT_EQ(g.size, PAGE);
    ASSERT_NE(g.ptr, nullptr);
    ASSERT_NE(g.epoch, nullptr);
    EXPECT_EQ(*g.epoch, g.epoch_val);
    // bytes as in memory: little-endian
    const uint8_t want[8] = {0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11};
    EXPECT_EQ(memcmp(g.ptr + 8, want, 8), 0);
    // the pointer sees later writes
    smmu_mem_write64(m, 0x5FF8, 0xA5);
    EXPECT_EQ(g.ptr[0xFF8], 0xA5);
}

TEST_F(MemHostGrant, PageTouchingAnAbortRegionIsNotGranted) {
    smmu_mem_write64(m, 0x7000, 1);
    smmu_mem_write64(m, 0x8000, 1);
    ASSERT_EQ(smmu_mem_add_abort(m, 0x8FFF, 2), 0); // last byte of 0x8000, first of 0x9000
    smmu_mem_grant_t g;
    EXPECT_TRUE(grant(0x7000, g));
    EXPECT_FALSE(grant(0x8000, g)) << "one aborting byte in the page";
    smmu_mem_clear_aborts(m);
    EXPECT_TRUE(grant(0x8000, g));
}

TEST_F(MemHostGrant, AbortRegionChangesRevokeEarlierGrants) {
    smmu_mem_write64(m, 0x7000, 1);
    smmu_mem_grant_t g;
    ASSERT_TRUE(grant(0x7000, g));
    ASSERT_EQ(smmu_mem_add_abort(m, 0x100000, 0x10), 0); // elsewhere
    EXPECT_NE(*g.epoch, g.epoch_val) << "smmu_mem_add_abort revokes";
    ASSERT_TRUE(grant(0x7000, g));
    smmu_mem_clear_aborts(m);
    EXPECT_NE(*g.epoch, g.epoch_val) << "smmu_mem_clear_aborts revokes";
}

TEST_F(MemHostGrant, PagesNeverMoveWhileMemoryGrows) {
    smmu_mem_write64(m, 0x3000, 0xC0FFEE);
    smmu_mem_grant_t g;
    ASSERT_TRUE(grant(0x3000, g));
    const uint8_t *p = g.ptr;
    for (uint64_t i = 0; i < 2000; i++) // grows the page index many times over
        smmu_mem_write64(m, 0x10000000 + i * PAGE, i);
    ASSERT_TRUE(grant(0x3000, g));
    EXPECT_EQ(g.ptr, p);
    EXPECT_EQ(smmu_mem_read64(m, 0x3000), 0xC0FFEEu);
    EXPECT_EQ(p[0], 0xEE);
}

// ------------------------------------------------------------------ the core through grants

// A host over the fixture's memory that counts its calls. grants: mem_ptr as smmu_mem_host()
// gives it (through the counting wrapper), otherwise NULL. Subclasses change the grants.
struct CountingHost {
    smmu_mem_t *mem = nullptr;
    smmu_host_t mh{}; // smmu_mem_host(mem): the memory's own mem_ptr
    unsigned reads = 0, ptr_calls = 0;
    std::vector<std::pair<uint64_t, size_t>> read_log; // mem_read calls (pa, len)
    virtual ~CountingHost() = default;
    virtual bool ptr(uint64_t pa, smmu_mem_grant_t *g) {
        return mh.mem_ptr(mh.ctx, pa, g);
    }
    virtual int read(uint64_t pa, void *buf, size_t len) {
        return smmu_mem_read(mem, pa, buf, len);
    }
    static int rd(void *c, uint64_t pa, void *buf, size_t len, bool) {
        auto *h = static_cast<CountingHost *>(c);
        h->reads++;
        h->read_log.emplace_back(pa, len);
        return h->read(pa, buf, len);
    }
    static int wr(void *c, uint64_t pa, const void *buf, size_t len, bool) {
        return smmu_mem_write(static_cast<CountingHost *>(c)->mem, pa, buf, len);
    }
    static bool ptr_cb(void *c, uint64_t pa, smmu_mem_grant_t *g) {
        auto *h = static_cast<CountingHost *>(c);
        h->ptr_calls++;
        return h->ptr(pa, g);
    }
    bool read_at(uint64_t pa) const {
        for (const auto &r : read_log)
            if (r.first == pa) return true;
        return false;
    }
};

class MemGrant : public WalkTest {
  protected:
    CountingHost plain_host;

    void configure(smmu_params_t &p) override {
        // every translation walks: no TLB, walk cache, IPA cache or memo in front of the reads
        p.cache[SMMU_CACHE_TLB].enable = false;
        p.cache[SMMU_CACHE_WALK].enable = false;
        p.cache[SMMU_CACHE_IPA].enable = false;
        p.memo_off = true;
    }
    // Replaces the fixture's SMMU by one on host h (with mem_ptr when grants).
    void use_host(CountingHost &h, bool grants) {
        h.mem = mem;
        smmu_mem_host(mem, &h.mh);
        smmu_host_t hs{};
        hs.ctx = &h;
        hs.mem_read = CountingHost::rd;
        hs.mem_write = CountingHost::wr;
        hs.mem_ptr = grants ? CountingHost::ptr_cb : nullptr;
        smmu_free(smmu);
        smmu = smmu_new(&params, &hs);
        ASSERT_NE(smmu, nullptr);
    }
    static Desc upage(uint64_t oa) {
        return Desc::page(oa).ap(0b01); // EL0 and EL1 read/write
    }
};

// ---- the same results, events and counters with and without mem_ptr

// Stage 2 of the nested stream: IPA [0, 4GB) identity-mapped with 1GB blocks (4KB granule,
// T0SZ 25, start level 1), so the stage-1 tables and outputs below 4GB translate to themselves.
constexpr uint64_t GB = 1ull << 30, MB2 = 1ull << 21;

struct Txn {
    uint32_t sid;
    uint64_t va;
    bool write, priv;
};
struct Outcome {
    smmu_result_t r;
    std::vector<std::vector<uint64_t>> events;
};

class MemGrantSame : public MemGrant, public ::testing::WithParamInterface<bool> {
  protected:
    void configure(smmu_params_t &p) override {
        if (!GetParam()) MemGrant::configure(p); // true: the default caches
    }
};

TEST_P(MemGrantSame, WalkThroughGrantSameResultAsCallbacks) {
    std::mt19937_64 rng(0x5eed0005);
    // Stage-1 tree: 48 2MB regions spread over several level-1 and level-2 tables, each with
    // one leaf kind. Expected outcome from the descriptor encoding (Arm ARM D8.3, D8.4, D8.5).
    Tree s1 = tree(12, 0, 48);
    enum Kind { PAGE_RW, BLOCK_RW, INVALID, NO_AF, PAGE_RO, UNMAPPED, KINDS };
    struct Region {
        uint64_t va, oa;
        Kind kind;
    };
    std::vector<Region> regions;
    uint64_t va = 0x0000004000000000ull;
    for (int i = 0; i < 48; i++) {
        va += MB2 * (1 + rng() % 700); // sometimes a new level-2 or level-1 table
        Kind k = static_cast<Kind>(rng() % KINDS);
        uint64_t off = (rng() % 512) * PAGE;
        uint64_t oa = k == BLOCK_RW ? (1 + rng() % 1500) * MB2 : (1 + rng() % 900000) * PAGE;
        switch (k) {
        case PAGE_RW:
            map(s1, va + off, 3, upage(oa));
            break;
        case BLOCK_RW:
            map(s1, va, 2, Desc::block(oa).ap(0b01));
            break;
        case INVALID:
            map(s1, va + off, 3, Desc::invalid());
            break;
        case NO_AF:
            map(s1, va + off, 3, upage(oa).af(false));
            break;
        case PAGE_RO:
            map(s1, va + off, 3, Desc::page(oa).ap(0b11)); // read-only at EL0 and EL1
            break;
        default:
            break;
        }
        regions.push_back({k == BLOCK_RW ? va : va + off, oa, k});
    }
    Tree s2 = tree(12, 1, 39);
    for (uint64_t i = 0; i < 4; i++)
        map(s2, i * GB, 1, Desc::block(i * GB).memattr(0xF).s2ap(3).sh(3));
    put_ste(1, Ste::s1(tfx::CDTAB).dw);
    Ste n = Ste::s1(tfx::CDTAB);
    n.config(tenc::CFG_NESTED).s2_4k_l1(s2.root, 5);
    put_ste(2, n.dw);
    put_words(tfx::CDTAB, Cd::s1(s1.root).dw, 8);

    std::vector<Txn> txns;
    for (int rep = 0; rep < 3; rep++)
        for (const Region &g : regions)
            for (uint32_t sid : {1u, 2u})
                txns.push_back(
                    {sid, g.va + (rng() % PAGE & ~7ull), (rng() & 1) != 0, (rng() & 1) != 0});

    CountingHost host_a, host_b; // outlive their SMMUs
    auto run = [&](CountingHost &h, bool grants) {
        use_host(h, grants);
        enable();
        std::vector<Outcome> out;
        for (const Txn &t : txns) {
            Outcome o;
            o.r = xlate(t.sid, t.va, t.write, t.priv);
            o.events = events();
            out.push_back(o);
        }
        smmu_stats_t st;
        smmu_get_stats(smmu, &st);
        std::vector<smmu_cache_stats_t> cs(SMMU_CACHE_COUNT);
        for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++)
            smmu_cache_stats(smmu, c, &cs[c]);
        return std::make_tuple(out, st, cs, h.reads, h.ptr_calls);
    };
    auto [a, sa, ca, reads_a, ptr_a] = run(host_a, false);
    auto [b, sb, cb, reads_b, ptr_b] = run(host_b, true);

    EXPECT_EQ(ptr_a, 0u);
    EXPECT_GT(ptr_b, 0u) << "the grants were asked for";
    EXPECT_LT(reads_b, reads_a / 4) << "most reads went through the grants";
    ASSERT_EQ(a.size(), b.size());
    unsigned ok = 0;
    for (size_t i = 0; i < a.size(); i++) {
        const Txn &t = txns[i];
        const Region &g = regions[(i / 2) % regions.size()];
        SCOPED_TRACE(testing::Message() << "txn " << i << " sid " << t.sid << " va " << std::hex
                                        << t.va << " kind " << g.kind);
        const smmu_result_t &x = a[i].r, &y = b[i].r;
        // the expected outcome (stage 2 is an identity map below 4GB)
        uint8_t want = 0;
        uint64_t pa = 0;
        if (g.kind == INVALID || g.kind == UNMAPPED) want = F_TRANSLATION;
        if (g.kind == NO_AF) want = F_ACCESS;
        if (g.kind == PAGE_RO && t.write) want = F_PERMISSION;
        if (g.kind == BLOCK_RW) pa = g.oa | (t.va & (MB2 - 1));
        if (g.kind == PAGE_RW || g.kind == PAGE_RO) pa = g.oa | (t.va & (PAGE - 1));
        if (!want && t.sid == 2 && pa >= 4 * GB) want = F_TRANSLATION; // beyond stage 2's map
        if (want) {
            EXPECT_EQ(x.status, SMMU_FAULT);
            EXPECT_EQ(x.event, want);
            ASSERT_EQ(a[i].events.size(), 1u);
            EXPECT_EQ(tfx::evt_type(a[i].events[0]), want);
        } else {
            EXPECT_EQ(x.status, SMMU_OK);
            EXPECT_EQ(x.pa, pa);
            ok++;
        }
        // and exactly the same through the grants
        EXPECT_EQ(y.status, x.status);
        EXPECT_EQ(y.pa, x.pa);
        EXPECT_EQ(y.span, x.span);
        EXPECT_EQ(y.event, x.event);
        EXPECT_EQ(y.perm, x.perm);
        EXPECT_EQ(y.attr, x.attr);
        EXPECT_EQ(y.sh, x.sh);
        EXPECT_EQ(y.abort, x.abort);
        EXPECT_EQ(y.recorded, x.recorded);
        EXPECT_EQ(y.tlb_hit, x.tlb_hit);
        EXPECT_EQ(y.cfg_hit, x.cfg_hit);
        EXPECT_EQ(y.mem_reads, x.mem_reads);
        EXPECT_EQ(y.walk_reads, x.walk_reads);
        for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
            EXPECT_EQ(y.lookups[c], x.lookups[c]);
            EXPECT_EQ(y.hits[c], x.hits[c]);
        }
        EXPECT_EQ(b[i].events, a[i].events);
    }
    EXPECT_GT(ok, 20u);
    EXPECT_EQ(sb.translations, sa.translations);
    EXPECT_EQ(sb.ok, sa.ok);
    EXPECT_EQ(sb.faults, sa.faults);
    EXPECT_EQ(sb.events_written, sa.events_written);
    EXPECT_EQ(sb.walk_reads, sa.walk_reads);
    EXPECT_EQ(sb.cfg_reads, sa.cfg_reads);
    EXPECT_GT(sa.walk_reads, 0u);
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
        EXPECT_EQ(cb[c].lookups, ca[c].lookups) << "cache " << c;
        EXPECT_EQ(cb[c].hits, ca[c].hits) << "cache " << c;
        EXPECT_EQ(cb[c].fills, ca[c].fills) << "cache " << c;
    }
}
INSTANTIATE_TEST_SUITE_P(Caches, MemGrantSame, ::testing::Values(false, true),
                         [](const auto &i) { return i.param ? "Default" : "Off"; });

// ---- an abort region added after a grant was used (7.3.12 F_WALK_EABT: CLASS TT, FetchAddr)

TEST_F(MemGrant, AbortRegionAddedLaterRevokesGrant) {
    use_host(plain_host, true);
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    const uint64_t va = 0x0000123456789000ull, oa = 0x0000000ABCDE0000ull;
    map(t, va, 3, upage(oa));
    expect_ok(xlate(sid, va), oa);
    const unsigned reads0 = plain_host.reads;
    expect_ok(xlate(sid, va), oa);
    EXPECT_EQ(plain_host.reads, reads0) << "the walk read its tables through the grants";
    const uint64_t desc_pa = slot(t, va, 2);
    ASSERT_EQ(smmu_mem_add_abort(mem, desc_pa & ~(PAGE - 1), PAGE), 0);
    expect_fault(xlate(sid, va),
                 Ev{.type = F_WALK_EABT, .addr = va, .cls = CLASS_TT, .fetch = desc_pa});
    EXPECT_TRUE(plain_host.read_at(desc_pa)) << "the aborting read went to mem_read";
    smmu_mem_clear_aborts(mem);
    expect_ok(xlate(sid, va), oa);
}

// ---- a read that straddles the end of a grant goes to mem_read

// Grants of smmu_mem_host() cut short to the first 0x804 bytes of the page.
struct NarrowHost : CountingHost {
    static constexpr uint64_t SIZE = 0x804;
    bool ptr(uint64_t pa, smmu_mem_grant_t *g) override {
        if ((pa & (PAGE - 1)) >= SIZE || !mh.mem_ptr(mh.ctx, pa, g)) return false;
        g->size = SIZE;
        return true;
    }
};

TEST_F(MemGrant, ReadStraddlingGrantEndUsesCallback) {
    NarrowHost h;
    use_host(h, true);
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    // level-3 index 256: the descriptor is at 0x800 of its table, bytes 0x800..0x807, across
    // the grant's end; index 255 (0x7F8..0x7FF) lies inside
    const uint64_t va_across = 0x0000000040100000ull, va_inside = va_across - PAGE;
    const uint64_t oa1 = 0x0000000ABCD00000ull, oa2 = 0x0000000ABCE00000ull;
    map(t, va_across, 3, upage(oa1));
    map(t, va_inside, 3, upage(oa2));
    const uint64_t across = slot(t, va_across, 3), inside = slot(t, va_inside, 3);
    ASSERT_EQ(across & (PAGE - 1), 0x800u);
    ASSERT_EQ(inside & (PAGE - 1), 0x7F8u);
    for (unsigned l = 0; l < 3; l++)
        ASSERT_LT(slot(t, va_across, l) & (PAGE - 1), NarrowHost::SIZE) << "level " << l;
    for (int rep = 0; rep < 2; rep++) {
        h.read_log.clear();
        expect_ok(xlate(sid, va_across + 0x10), oa1 | 0x10);
        EXPECT_TRUE(h.read_at(across));
        EXPECT_EQ(h.read_log.size(), 1u) << "only the straddling read";
        h.read_log.clear();
        expect_ok(xlate(sid, va_inside + 0x20), oa2 | 0x20);
        EXPECT_TRUE(h.read_log.empty()) << "the whole walk through the grants";
    }
}

// ---- a grant whose epoch moved on is not used

// Grants a copy of the page taken when asked: the core sees memory changes only through a new
// grant (revoke() bumps the epoch).
struct SnapshotHost : CountingHost {
    uint32_t epoch = 1;
    std::map<uint64_t, std::array<uint8_t, PAGE>> copies; // node-based: copies never move
    bool ptr(uint64_t pa, smmu_mem_grant_t *g) override {
        uint64_t base = pa & ~(PAGE - 1);
        auto &c = copies[base];
        if (smmu_mem_read(mem, base, c.data(), PAGE)) return false;
        *g = smmu_mem_grant_t{c.data(), base, PAGE, &epoch, epoch};
        return true;
    }
    void revoke() {
        epoch++;
    }
};

TEST_F(MemGrant, StaleEpochNotUsed) {
    SnapshotHost h;
    use_host(h, true);
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    const uint64_t va = 0x0000123456789000ull;
    const uint64_t oa1 = 0x0000000ABCD00000ull, oa2 = 0x0000000ABCE00000ull;
    map(t, va, 3, upage(oa1));
    expect_ok(xlate(sid, va), oa1);
    const unsigned calls = h.ptr_calls;
    map(t, va, 3, upage(oa2)); // behind the grant
    expect_ok(xlate(sid, va), oa1);
    EXPECT_EQ(h.ptr_calls, calls) << "a current grant is read, not asked for again";
    h.revoke();
    expect_ok(xlate(sid, va), oa2);
    EXPECT_GT(h.ptr_calls, calls) << "revoked grants are asked for again";
    EXPECT_EQ(h.reads, 0u) << "every walk read went through a grant";
}

// ---- one grant larger than a page serves every read inside it

// PA [TABLES, TABLES + 1MB) held in one host buffer (a copy of the memory made by load()),
// granted whole; everything else reads the memory.
struct FlatHost : CountingHost {
    static constexpr uint64_t BASE = tfx::TABLES, SIZE = 1 << 20;
    std::vector<uint8_t> flat = std::vector<uint8_t>(SIZE);
    uint32_t epoch = 7;
    unsigned flat_calls = 0;
    void load() {
        ASSERT_EQ(smmu_mem_read(mem, BASE, flat.data(), SIZE), 0);
    }
    static bool in(uint64_t pa) {
        return pa >= BASE && pa - BASE < SIZE;
    }
    bool ptr(uint64_t pa, smmu_mem_grant_t *g) override {
        if (!in(pa)) return false;
        flat_calls++;
        *g = smmu_mem_grant_t{flat.data(), BASE, SIZE, &epoch, epoch};
        return true;
    }
    int read(uint64_t pa, void *buf, size_t len) override {
        if (!in(pa)) return smmu_mem_read(mem, pa, buf, len);
        if (len > SIZE - (pa - BASE)) return -1;
        memcpy(buf, flat.data() + (pa - BASE), len);
        return 0;
    }
};

TEST_F(MemGrant, LargeGrantServesEverySlotFromOneCall) {
    FlatHost h;
    use_host(h, true);
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    std::vector<uint64_t> vas;
    for (uint64_t i = 0; i < 24; i++) // a level-3 table each: tables on 24 + 3 pages
        vas.push_back(0x0000000040000000ull + i * MB2 * 3 + i * PAGE);
    for (uint64_t i = 0; i < vas.size(); i++)
        map(t, vas[i], 3, upage(0x0000000080000000ull + i * PAGE));
    ASSERT_LT(next_table, FlatHost::BASE + FlatHost::SIZE);
    h.load();
    for (int rep = 0; rep < 2; rep++)
        for (uint64_t i = 0; i < vas.size(); i++)
            expect_ok(xlate(sid, vas[i] + 8 * i), 0x0000000080000000ull + i * PAGE + 8 * i);
    EXPECT_EQ(h.flat_calls, 1u) << "the one grant is copied to the other slots";
    EXPECT_FALSE(h.read_at(slot(t, vas[5], 3))) << "no table read through mem_read";
    h.epoch++; // revoked
    expect_ok(xlate(sid, vas[3]), 0x0000000080000000ull + 3 * PAGE);
    EXPECT_EQ(h.flat_calls, 2u);
}

} // namespace
