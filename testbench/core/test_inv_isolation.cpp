// SPDX-License-Identifier: Apache-2.0 OR MIT
// Invariant (issue 6): isolation on random workloads set up through c_core/drv. Random
// StreamIDs are attached to stage-1 domains (with SubstreamIDs pointing at other domains), to a
// stage-2 domain, to bypass, or detached; domains of every granule map random pages to PAs that
// only they use. Every successful translation must return exactly the PA and permissions that
// the stream's domain maps for the address (so never another stream's page); anything not
// mapped, or not permitted, must fault. After an unmap (the driver's TLBI + CMD_SYNC) every
// stream that reached the page through warm caches must fault. Fixed seeds; a failure prints
// the seed and the operation number.
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "drv_fixture.h"
#include "inv_ref.h"
#include "inv_shadow.h"

using namespace inv;

namespace {

constexpr uint64_t IOVA_BASE = 0x40000000ull; // below every domain's input range
constexpr unsigned NPAGE = 48;                // IOVA pages per domain
constexpr unsigned NSSID_BITS = 4;            // CD table of 16 SubstreamIDs per S1 stream

struct Dom {
    smmu_domain_t *d = nullptr;
    unsigned stage = 1, granule = 4096;
    uint64_t pa_base = 0; // PAs of this domain: [pa_base, pa_base + 4GB)
};

class Isolation : public tfx::DrvTest, public ::testing::WithParamInterface<uint64_t> {
  protected:
    std::vector<Dom> doms;
    std::vector<uint32_t> sids;
    Shadow sh;
    uint64_t seed = 0, op = 0;
    unsigned n_ok = 0, n_fault = 0, n_unmap_checked = 0;

    uint64_t iova(const Dom &d, unsigned page) const {
        return IOVA_BASE + (uint64_t)page * d.granule;
    }
    std::string where() const {
        std::ostringstream o;
        o << "seed " << seed << " op " << op;
        return o.str();
    }

    void setup_domains() {
        // Four stage-1 domains (4KB, 4KB, 16KB, 64KB granules, ASIDs 1-4) and two stage-2
        // domains (4KB and 64KB, VMIDs 7, 8); PA ranges 4GB apart.
        const unsigned s1g[] = {4096, 4096, 16384, 65536};
        for (unsigned i = 0; i < 4; i++) {
            Dom d;
            d.granule = s1g[i];
            d.d = domain(1, (uint16_t)(i + 1), d.granule, 48);
            d.pa_base = (uint64_t)(i + 1) << 32;
            doms.push_back(d);
        }
        const unsigned s2g[] = {4096, 65536};
        for (unsigned i = 0; i < 2; i++) {
            Dom d;
            d.stage = 2;
            d.granule = s2g[i];
            d.d = domain(2, (uint16_t)(7 + i), d.granule, 40);
            d.pa_base = (uint64_t)(5 + i) << 32;
            doms.push_back(d);
        }
        for (auto &d : doms)
            ASSERT_NE(d.d, nullptr);
    }

    void translate_check(uint32_t sid, long ssid, unsigned di, unsigned page, unsigned access) {
        const Dom &dom = doms[di];
        uint64_t off = (op * 8) & (dom.granule - 8) & 0xFF8;
        uint64_t a = iova(dom, page) + off;
        smmu_result_t r{};
        ASSERT_EQ(smmu_drv_translate(drv, sid, ssid < 0 ? SMMU_DRV_NO_SSID : (uint32_t)ssid, a,
                                     access, &r),
                  0);
        int want = sh.domain_of(sid, ssid);
        if (want == -2) { // bypass: the address unchanged
            ASSERT_EQ(r.status, SMMU_OK) << where();
            EXPECT_EQ(r.pa, a) << where();
            return;
        }
        const Mapping *m =
            want >= 0 ? sh.lookup(want, a & ~(uint64_t)(doms[want].granule - 1)) : nullptr;
        bool write = access & SMMU_DRV_WRITE;
        bool allowed = m && (!write || (m->prot & SMMU_PROT_W));
        if (!allowed) {
            ASSERT_EQ(r.status, SMMU_FAULT)
                << where() << std::hex << ": sid 0x" << sid << " addr 0x" << a
                << " translated to 0x" << r.pa << " without a mapping that allows it";
            n_fault++;
            return;
        }
        ASSERT_EQ(r.status, SMMU_OK) << where() << std::hex << ": sid 0x" << sid << " addr 0x" << a
                                     << " event 0x" << r.event;
        uint64_t g = doms[want].granule;
        EXPECT_EQ(r.pa, m->pa + (a & (g - 1))) << where();
        uint8_t perm = SMMU_PERM_R | ((m->prot & SMMU_PROT_W) ? SMMU_PERM_W : 0);
        EXPECT_EQ(r.perm & (SMMU_PERM_R | SMMU_PERM_W), perm) << where();
        // Never another domain's page: the PA lies in the stream's own domain's range.
        EXPECT_EQ(r.pa >> 32, doms[want].pa_base >> 32) << where();
        n_ok++;
    }

    void drain() {
        smmu_drv_event_t ev;
        for (int i = 0; i < 1024 && smmu_drv_next_event(drv, &ev) == 0; i++) {}
    }

    void run(unsigned nops) {
        Rng rng(seed);
        setup_domains();
        if (HasFatalFailure()) return;
        std::set<uint32_t> used;
        while (sids.size() < 10) { // random StreamIDs of the 16-bit space the driver covers
            uint32_t s = (uint32_t)rng.below(1u << 16);
            if (used.insert(s).second) sids.push_back(s);
        }
        std::vector<unsigned> s1doms = {0, 1, 2, 3}, s2doms = {4, 5};
        for (op = 0; op < nops; op++) {
            SCOPED_TRACE(where());
            unsigned k = (unsigned)rng.below(100);
            unsigned di = (unsigned)rng.below(doms.size());
            unsigned page = (unsigned)rng.below(NPAGE);
            uint32_t sid = sids[rng.below(sids.size())];
            Dom &dom = doms[di];
            uint64_t pg = iova(dom, page);
            if (k < 25) { // map (a PA only this domain uses)
                uint64_t pa = dom.pa_base + dom.granule * rng.below(1u << 16);
                unsigned prot = SMMU_PROT_R | (rng.pct(60) ? SMMU_PROT_W : 0);
                int e = smmu_drv_map(drv, dom.d, pg, pa, dom.granule, prot);
                if (sh.lookup((int)di, pg)) {
                    ASSERT_EQ(e, SMMU_DRV_EEXIST);
                } else {
                    ASSERT_EQ(e, 0);
                    sh.maps[{(int)di, pg}] = Mapping{pa, prot};
                }
            } else if (k < 40) { // unmap, after warming every stream that reaches the page
                std::vector<std::pair<uint32_t, long>> users;
                for (uint32_t s : sids) {
                    if (sh.domain_of(s, -1) == (int)di) users.push_back({s, -1});
                    for (auto &p : sh.streams[s].pasid)
                        if (p.second == (int)di) users.push_back({s, (long)p.first});
                }
                for (auto &u : users)
                    translate_check(u.first, u.second, di, page, SMMU_DRV_READ);
                ASSERT_EQ(smmu_drv_unmap(drv, dom.d, pg, dom.granule), 0);
                bool was_mapped = sh.maps.erase({(int)di, pg}) > 0;
                for (auto &u : users) { // the old mapping is gone (TLBI + SYNC done by unmap)
                    smmu_result_t r{};
                    ASSERT_EQ(
                        smmu_drv_translate(drv, u.first,
                                           u.second < 0 ? SMMU_DRV_NO_SSID : (uint32_t)u.second, pg,
                                           SMMU_DRV_READ, &r),
                        0);
                    EXPECT_EQ(r.status, SMMU_FAULT) << "still translated after unmap";
                    n_unmap_checked += was_mapped;
                }
            } else if (k < 50) { // (re)attach
                StreamShadow ns;
                unsigned how = (unsigned)rng.below(10);
                if (how < 5) {
                    unsigned d1 = s1doms[rng.below(s1doms.size())];
                    ASSERT_EQ(
                        smmu_drv_attach_s1(drv, sid, doms[d1].d, NSSID_BITS, SMMU_DRV_S1DSS_SSID0),
                        0);
                    ns.kind = StreamShadow::S1;
                    ns.cd0 = (int)d1;
                } else if (how < 7) {
                    unsigned d2 = s2doms[rng.below(s2doms.size())];
                    ASSERT_EQ(smmu_drv_attach_s2(drv, sid, doms[d2].d), 0);
                    ns.kind = StreamShadow::S2;
                    ns.s2 = (int)d2;
                } else if (how < 8) {
                    ASSERT_EQ(smmu_drv_attach_bypass(drv, sid), 0);
                    ns.kind = StreamShadow::BYPASS;
                } else {
                    ASSERT_EQ(smmu_drv_detach(drv, sid), 0);
                }
                sh.streams[sid] = ns;
            } else if (k < 58) { // a SubstreamID of a stage-1 stream points at another domain
                auto &st = sh.streams[sid];
                if (st.kind != StreamShadow::S1) continue;
                uint32_t ssid = 1 + (uint32_t)rng.below((1u << NSSID_BITS) - 1);
                if (rng.pct(20)) {
                    ASSERT_EQ(smmu_drv_set_pasid(drv, sid, ssid, nullptr), 0);
                    st.pasid.erase(ssid);
                } else {
                    unsigned d1 = s1doms[rng.below(s1doms.size())];
                    ASSERT_EQ(smmu_drv_set_pasid(drv, sid, ssid, doms[d1].d), 0);
                    st.pasid[ssid] = (int)d1;
                }
            } else { // translate: the stream, maybe a SubstreamID, any domain's address
                long ssid = -1;
                if (sh.streams[sid].kind == StreamShadow::S1 && rng.pct(50))
                    ssid = 1 + (long)rng.below((1u << NSSID_BITS) - 1);
                int want = sh.domain_of(sid, ssid);
                // Mostly addresses of the stream's own domain, sometimes another domain's.
                unsigned tdi = want >= 0 && rng.pct(75) ? (unsigned)want : di;
                unsigned access = rng.pct(40) ? SMMU_DRV_WRITE : SMMU_DRV_READ;
                translate_check(sid, ssid, tdi, page, access);
            }
            if (HasFatalFailure()) return;
            if ((op & 63) == 0) drain();
        }
        EXPECT_GT(n_ok, nops / 20);
        EXPECT_GT(n_fault, nops / 50);
        EXPECT_GT(n_unmap_checked, 10u);
        RecordProperty("translations_ok", (int)n_ok);
        RecordProperty("faults", (int)n_fault);
    }
};

TEST_P(Isolation, RandomWorkloadTranslatesOnlyOwnMappings) {
    seed = GetParam();
    run(10000);
}

INSTANTIATE_TEST_SUITE_P(Inv, Isolation, ::testing::Values(1ull, 0xD00Dull, 0x1507A7E5ull),
                         [](const ::testing::TestParamInfo<uint64_t> &i) {
                             return "Seed" + std::to_string(i.param);
                         });

} // namespace
