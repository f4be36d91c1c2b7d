// SPDX-License-Identifier: Apache-2.0 OR MIT
// Scoped DMI revocation (docs/tlm.md, "DMI"): no stale DMI access is ever possible. Three
// devices (stage 1 with ASID 1, stage 1 with ASID 2, stage 2 with VMID 3) hold DMI regions the
// way a real initiator does (it drops every region an invalidate_direct_mem_ptr touches) while
// a random program maps, unmaps and remaps pages, issues ASID-wide and global TLBIs, re-attaches
// streams and has the memory revoke ranges. After each step (its commands completed by
// CMD_SYNC), every region a device still holds must translate, at each of its ends and in the
// middle, to exactly the memory its pointer reaches, with at least the access it allows.
#include "tlm_fixture.h"

#include <random>

#include "tenc_cmd.h"

using namespace ttlm;

namespace {

constexpr uint64_t WIN = 0x40000000, WIN_SIZE = 0x100000; // DMI window of the data memory
constexpr unsigned PAGES = 24;                            // IOVA pages 0x10000 + 0x1000 * i

// An initiator that keeps its DMI regions and drops those an invalidation touches.
struct dmi_master : basic_test_master<32> {
    struct region {
        uint64_t start, end;
        unsigned char *ptr;
        bool rd, wr;
    };
    std::vector<region> regions;
    using basic_test_master<32>::basic_test_master;
    void invalidate_direct_mem_ptr(sc_dt::uint64 s, sc_dt::uint64 e) override {
        basic_test_master<32>::invalidate_direct_mem_ptr(s, e);
        for (size_t i = regions.size(); i-- > 0;)
            if (regions[i].start <= e && regions[i].end >= s)
                regions.erase(regions.begin() + (long)i);
    }
    bool request(uint64_t a, bool write) {
        tlm::tlm_generic_payload gp;
        uint32_t v = 0;
        setup(gp, write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, a, &v, 4);
        tlm::tlm_dmi d;
        if (!socket->get_direct_mem_ptr(gp, d)) return false;
        regions.push_back({d.get_start_address(), d.get_end_address(), d.get_dmi_ptr(),
                           d.is_read_allowed(), d.is_write_allowed()});
        return true;
    }
};

smmu_tlm::smmu_tlm_params scope_params() {
    smmu_tlm::smmu_tlm_params p;
    p.core.sidsize = 8;
    p.n_upstream = 3;
    p.default_sid = {1, 2, 3};
    return p;
}

struct platform {
    smmu_mem_t *mem = smmu_mem_new();
    test_memory table_mem{"table_mem", mem, sc_time(10, SC_NS)};
    test_memory data_mem{"data_mem", mem, sc_time(10, SC_NS)};
    smmu_tlm::smmu dut{"smmu", scope_params()};
    dmi_master m0{"m0"}, m1{"m1"}, m2{"m2"};
    dmi_master *m[3] = {&m0, &m1, &m2};
    reg_host host{"host", mem};
    smmu_drv_t *drv = nullptr;
    smmu_domain_t *dom[3] = {};
    platform() {
        for (unsigned i = 0; i < 3; i++)
            checked_bind(m[i]->socket, dut.upstream[i]);
        checked_bind(dut.downstream, data_mem.socket);
        checked_bind(dut.table, table_mem.socket);
        checked_bind(host.socket, dut.regs);
        data_mem.dmi_base = WIN;
        data_mem.dmi_buf.assign(WIN_SIZE, 0);
        data_mem.dmi_grain = 0x1000;
    }
};

platform *P = nullptr;

// What device i's region must still be: each probe translates (now, without side effects) to
// the memory behind the pointer, with the access the region allows.
void expect_valid(unsigned i, const dmi_master::region &r, int step) {
    const uint64_t probes[3] = {r.start, r.start + (r.end - r.start) / 2, r.end};
    for (uint64_t a : probes) {
        for (int w = 0; w < 2; w++) {
            if (w ? !r.wr : !r.rd) continue;
            smmu_txn_t t{};
            t.sid = i + 1;
            t.addr = a;
            t.len = 1;
            t.write = w;
            smmu_result_t res;
            smmu_translate_dbg(P->dut.core(), &t, &res);
            const uint64_t pa =
                WIN + (uint64_t)(r.ptr + (a - r.start) - P->data_mem.dmi_buf.data());
            EXPECT_EQ(res.status, SMMU_OK)
                << "step " << step << ": device " << i << " holds a stale region at 0x" << std::hex
                << a << (w ? " (write)" : " (read)");
            if (res.status == SMMU_OK) {
                EXPECT_EQ(res.pa, pa) << "step " << step << ": device " << i << " region at 0x"
                                      << std::hex << a << " reaches the old page";
            }
        }
    }
}

TEST(TlmDmiScope, NoStaleDmiAccessAfterRandomMapUnmapAndInvalidations) {
    P = new platform;
    uint64_t grants = 0, held = 0, checks = 0;
    ASSERT_TRUE(run([&] {
        P->drv = P->host.new_driver(0x80000000, 16 << 20);
        ASSERT_NE(P->drv, nullptr);
        ASSERT_EQ(smmu_drv_init(P->drv), 0);
        smmu_domain_cfg_t c0{1, 1, 4096, 48, 0}, c1{1, 2, 4096, 48, 0}, c2{2, 3, 4096, 39, 48};
        ASSERT_EQ(smmu_drv_domain_new(P->drv, &c0, &P->dom[0]), 0);
        ASSERT_EQ(smmu_drv_domain_new(P->drv, &c1, &P->dom[1]), 0);
        ASSERT_EQ(smmu_drv_domain_new(P->drv, &c2, &P->dom[2]), 0);
        ASSERT_EQ(smmu_drv_attach_s1(P->drv, 1, P->dom[0], 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        ASSERT_EQ(smmu_drv_attach_s1(P->drv, 2, P->dom[1], 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        ASSERT_EQ(smmu_drv_attach_s2(P->drv, 3, P->dom[2]), 0);
        std::mt19937_64 rng(0xD317);
        std::vector<int> where[3]; // page -> output page index, -1: unmapped
        for (auto &w : where)
            w.assign(PAGES, -1);
        auto page_iova = [](unsigned p) { return 0x10000 + 0x1000 * (uint64_t)p; };
        for (int step = 0; step < 4000; step++) {
            const unsigned dev = (unsigned)(rng() % 3), pg = (unsigned)(rng() % PAGES);
            const uint64_t iova = page_iova(pg);
            switch (rng() % 9) {
            case 0:
            case 1: // map an unmapped page, read-only or read-write
                if (where[dev][pg] < 0) {
                    const int out = (int)(rng() % (WIN_SIZE / 0x1000));
                    const unsigned prot = SMMU_PROT_R | (rng() % 2 ? SMMU_PROT_W : 0);
                    ASSERT_EQ(smmu_drv_map(P->drv, P->dom[dev], iova, WIN + 0x1000 * (uint64_t)out,
                                           0x1000, prot),
                              0);
                    where[dev][pg] = out;
                }
                break;
            case 2: // unmap (TLBI by VA or IPA + SYNC)
                if (where[dev][pg] >= 0) {
                    ASSERT_EQ(smmu_drv_unmap(P->drv, P->dom[dev], iova, 0x1000), 0);
                    where[dev][pg] = -1;
                }
                break;
            case 3:
            case 4:
            case 5: // DMI requests (read or write) on any page
                grants += P->m[dev]->request(iova + (rng() % 0x1000), rng() % 2);
                break;
            case 6: { // an ASID-wide or VMID-wide invalidation, or the global one
                const unsigned k = (unsigned)(rng() % 4);
                tenc::Cmd cmd = k == 0   ? tenc::tlbi_nh_asid(0, 1 + (unsigned)(rng() % 2))
                                : k == 1 ? tenc::tlbi_s12_vmall(3)
                                : k == 2 ? tenc::tlbi_nsnh_all()
                                         : tenc::cfgi_ste(1 + (uint32_t)(rng() % 3));
                ASSERT_EQ(smmu_drv_cmd(P->drv, cmd.dw), 0);
                ASSERT_EQ(smmu_drv_sync(P->drv), 0);
                break;
            }
            case 7: { // the memory revokes a random range of its window
                const uint64_t lo = WIN + (rng() % WIN_SIZE), len = 1 + rng() % 0x3000;
                P->data_mem.socket->invalidate_direct_mem_ptr(lo, lo + len - 1);
                break;
            }
            default: // remap a mapped page elsewhere: unmap (TLBI + SYNC), then map
                if (where[dev][pg] >= 0) {
                    ASSERT_EQ(smmu_drv_unmap(P->drv, P->dom[dev], iova, 0x1000), 0);
                    const int out = (int)(rng() % (WIN_SIZE / 0x1000));
                    ASSERT_EQ(smmu_drv_map(P->drv, P->dom[dev], iova, WIN + 0x1000 * (uint64_t)out,
                                           0x1000, SMMU_PROT_R | SMMU_PROT_W),
                              0);
                    where[dev][pg] = out;
                }
                break;
            }
            for (unsigned i = 0; i < 3; i++) {
                for (const auto &r : P->m[i]->regions) {
                    expect_valid(i, r, step);
                    checks++;
                }
                held += P->m[i]->regions.size();
            }
            if (::testing::Test::HasFailure()) return;
        }
    }));
    // the program exercised what it claims: grants, and grants that survived other devices'
    // and other pages' invalidations
    EXPECT_GT(grants, 500u);
    EXPECT_GT(checks, 3000u);
    EXPECT_GT(P->dut.stats().dmi_revocations, 200u);
    EXPECT_GT(held, 1000u); // region-steps: regions outlived other invalidations
}

// A nested stream's grant covers a whole 2 MiB translation (stage-1 and stage-2 blocks, 2 MiB
// downstream DMI grains) but was asked for in its middle. An IPA-scoped invalidation of the
// block's first page (CMD_TLBI_S2_IPA, 4.4.3.1: it reaches every entry whose IPA range holds
// the address; the core drops the nested entry through its IPA cache) revokes the grant too:
// the grant's tags hold the IPA of its first byte, as smmu_inv_covers() takes them.
TEST(TlmDmiScope, NestedGrantAskedMidBlockRevokedByIpaInvalidationOfItsFirstPage_4_4_3) {
    constexpr uint64_t WIN2 = 0x40000000, BLOCK = 0x200000, VA = 0x200000, IPA = 0x40000000;
    struct nested_platform {
        smmu_mem_t *mem = smmu_mem_new();
        test_memory table_mem{"table_mem", mem, sc_time(10, SC_NS)};
        test_memory data_mem{"data_mem", mem, sc_time(10, SC_NS)};
        smmu_tlm::smmu dut{"smmu", scope_params()};
        dmi_master m0{"m0"}, m1{"m1"}, m2{"m2"};
        reg_host host{"host", mem};
        nested_platform() {
            checked_bind(m0.socket, dut.upstream[0]);
            checked_bind(m1.socket, dut.upstream[1]);
            checked_bind(m2.socket, dut.upstream[2]);
            checked_bind(dut.downstream, data_mem.socket);
            checked_bind(dut.table, table_mem.socket);
            checked_bind(host.socket, dut.regs);
            data_mem.dmi_base = WIN2;
            data_mem.dmi_buf.assign(2 * BLOCK, 0);
            data_mem.dmi_grain = BLOCK;
        }
    };
    static nested_platform *N = new nested_platform; // kept, as the SystemC modules are
    ASSERT_TRUE(run([&] {
        static smmu_drv_t *drv = N->host.new_driver(0x80000000, 16 << 20); // as P->drv
        ASSERT_NE(drv, nullptr);
        ASSERT_EQ(smmu_drv_init(drv), 0);
        smmu_domain_cfg_t c1{1, 1, 4096, 48, 0}, c2{2, 3, 4096, 39, 48};
        smmu_domain_t *s1 = nullptr, *s2 = nullptr;
        ASSERT_EQ(smmu_drv_domain_new(drv, &c1, &s1), 0);
        ASSERT_EQ(smmu_drv_domain_new(drv, &c2, &s2), 0);
        ASSERT_EQ(smmu_drv_map(drv, s2, IPA, WIN2, BLOCK, SMMU_PROT_R | SMMU_PROT_W), 0);
        ASSERT_EQ(smmu_drv_map(drv, s1, VA, IPA, BLOCK, SMMU_PROT_R | SMMU_PROT_W), 0);
        ASSERT_EQ(smmu_drv_attach_nested(drv, 1, s1, 0, SMMU_DRV_S1DSS_TERMINATE, s2), 0);
        ASSERT_TRUE(N->m0.request(VA + BLOCK / 2, false));
        ASSERT_EQ(N->m0.regions.size(), 1u);
        EXPECT_EQ(N->m0.regions[0].start, VA); // the whole block
        EXPECT_EQ(N->m0.regions[0].end, VA + BLOCK - 1);
        const tenc::Cmd c = tenc::tlbi_s2_ipa(3, IPA);
        ASSERT_EQ(smmu_drv_cmd(drv, c.dw), 0);
        ASSERT_EQ(smmu_drv_sync(drv), 0);
        EXPECT_TRUE(N->m0.regions.empty()) << "the grant outlived the invalidation of its IPA";
    }));
}

} // namespace
