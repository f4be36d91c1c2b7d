// SPDX-License-Identifier: Apache-2.0 OR MIT
// Invariant (issue 17): isolation of the Secure state on random sequences with both worlds
// active (spec 3.10.2, 3.10.2.1, 4.1.6, 6.2). Secure streams translate through Secure tables in
// Secure memory while the Non-secure side does anything it can: register writes of any offset
// (the Secure bank included) and value, random commands on its queue (SSec == 1, EL3 and Secure
// stage-2 opcodes included), writes to Non-secure memory at the very addresses the Secure
// structures use, Non-secure broadcast TLB invalidations, Non-secure translations of the same
// StreamIDs. The Secure side meanwhile remaps its pages in Secure memory without invalidating
// them, and now and then invalidates them with its own commands or Secure broadcast TLBIs. Secure
// translations are cached (3.17, 3.21), so a remapped page keeps its old translation until the
// Secure side invalidates it: the stale entry must stay after anything the Non-secure side does
// (4.1.6, 4.3, 4.4: its commands reach Non-secure entries only). Checked after every operation:
//  - every Secure translation gives exactly its expected PA (the stale one while its entry is
//    cached and not invalidated by the Secure side) and NS attribute;
//  - the Secure register bank reads back unchanged;
//  - no operation of the Non-secure side made the SMMU touch Secure memory (the host records the
//    security of every access) and no Non-secure stream's output is Secure.
// Fixed seeds; a failure prints the seed and the operation number.
#include <random>
#include <sstream>
#include <string>

#include "secure_fixture.h"
#include "tenc_cfg.h"
#include "tenc_cmd.h"
#include "tenc_desc.h"

using namespace sfx;
using namespace tenc;

namespace {

constexpr unsigned NSEC = 4; // Secure StreamIDs 0..3
constexpr uint64_t VA = 0x40200000;

// The Secure bank registers compared (6.3.57-6.3.79), as a Secure access reads them.
constexpr uint64_t S_REGS[] = {S_CR0,
                               S_CR0ACK,
                               0x8028,
                               S_CR2,
                               S_GBPA,
                               S_IRQ_CTRL,
                               S_GERROR,
                               S_GERRORN,
                               S_STRTAB_BASE,
                               S_STRTAB_BASE + 4,
                               S_STRTAB_BASE_CFG,
                               S_CMDQ_BASE,
                               S_CMDQ_PROD,
                               S_CMDQ_CONS,
                               S_EVENTQ_BASE,
                               S_EVENTQ_PROD,
                               S_EVENTQ_CONS};

class SecureIsolation : public SecureTest, public ::testing::WithParamInterface<uint64_t> {
  protected:
    std::mt19937_64 rng;
    uint64_t op = 0;
    uint32_t sprod = 0, nprod = 0;
    std::vector<uint32_t> sbank;
    unsigned n_checked = 0; // Secure translations checked
    unsigned n_stale = 0;   // of which answered by a stale (remapped, not invalidated) entry
    // Stage-1 streams 1 and 2: each page's PA in Secure memory, and the one its cached entry
    // holds while stale (remapped without a Secure invalidation).
    uint64_t mem_pa[3][16] = {}, held_pa[3][16] = {};
    bool stale[3][16] = {};
    unsigned remaps = 0;
    unsigned n_ns_cmds = 0; // legal Non-secure commands executed

    uint64_t below(uint64_t n) {
        return rng() % n;
    }
    std::string where() const {
        std::ostringstream o;
        o << "seed " << GetParam() << " op " << op;
        return o.str();
    }

    // Secure stream sid: 0 bypass with NSCFG Secure; 1 and 2 stage 1 through Secure tables (page
    // NS 0 and 1), 3 bypass with NSCFG Non-secure. Tables per stream at TABLES + sid * 0x10000.
    void setup_secure() {
        put_ste(true, 0, Ste::bypass().nscfg(2).dw);
        put_ste(true, 3, Ste::bypass().nscfg(3).dw);
        for (uint32_t sid = 1; sid <= 2; sid++) {
            const uint64_t t = TABLES + sid * 0x10000ull, cd = CDTAB + sid * 64ull;
            put64(true, t + 8 * ((VA >> 30) & 511), Desc::table(t + 0x1000).v);
            put64(true, t + 0x1000 + 8 * ((VA >> 21) & 511), Desc::table(t + 0x2000).v);
            for (unsigned p = 0; p < 16; p++)
                write_page(sid, p, expect_pa(sid, p));
            // own ASIDs: one ASID is one address space of the Secure StreamWorld (3.17)
            put_words(true, cd, Cd::s1(t, 25, TG0_4K, sid).dw, 8);
            put_ste(true, sid, Ste::s1(cd).dw);
        }
    }
    static uint64_t expect_pa(uint32_t sid, unsigned page) {
        return 0x800000000ull * (sid + 1) + 0x1000ull * page;
    }
    // The level-3 descriptor of page p of stage-1 stream sid, in Secure memory: non-global
    // (nG == 1), NS == 1 for stream 2.
    void write_page(uint32_t sid, unsigned p, uint64_t pa) {
        const uint64_t t = TABLES + sid * 0x10000ull;
        put64(true, t + 0x2000 + 8 * (((VA >> 12) + p) & 511),
              Desc::page(pa).ns(sid == 2).ng(true).v);
        mem_pa[sid][p] = pa;
    }
    uint64_t want_pa(uint32_t sid, unsigned p) const {
        return stale[sid][p] ? held_pa[sid][p] : mem_pa[sid][p];
    }
    // The Secure side remaps a page without invalidating it: translated first (so that its entry
    // is cached: the TLB is far from full), then rewritten in Secure memory.
    void secure_remap() {
        const uint32_t sid = 1 + (uint32_t)below(2);
        const unsigned p = (unsigned)below(16);
        smmu_result_t r = xlate(true, sid, VA + 0x1000ull * p);
        ASSERT_EQ(r.status, SMMU_OK) << where();
        ASSERT_EQ(r.pa, want_pa(sid, p)) << where();
        held_pa[sid][p] = r.pa;
        stale[sid][p] = true;
        write_page(sid, p, expect_pa(sid, p) + 0x40000000ull * (1 + remaps++ % 7));
    }
    // What a Secure invalidation removed: the StreamWorld Secure entries of ASID asid (or every
    // ASID: asid < 0) for page p (or every page: p < 0). The next translation walks again.
    void invalidated(int asid, int p) {
        for (uint32_t sid = 1; sid <= 2; sid++)
            for (unsigned q = 0; q < 16; q++)
                if ((asid < 0 || (uint32_t)asid == sid) && (p < 0 || (unsigned)p == q))
                    stale[sid][q] = false;
    }
    void check_secure() {
        for (uint32_t sid = 0; sid < NSEC; sid++) {
            unsigned page = (unsigned)below(16);
            uint64_t a = VA + 0x1000ull * page + 8 * below(512);
            smmu_result_t r = xlate(true, sid, a, below(2) != 0);
            ASSERT_EQ(r.status, SMMU_OK) << where() << " Secure sid " << sid;
            uint64_t want = (sid == 1 || sid == 2) ? want_pa(sid, page) + (a & 0xFFF) : a;
            ASSERT_EQ(r.pa, want) << where() << " Secure sid " << sid << " page " << page;
            if ((sid == 1 || sid == 2) && stale[sid][page]) n_stale++;
            ASSERT_EQ(r.ns, sid >= 2) << where() << " Secure sid " << sid;
            n_checked++;
        }
        for (size_t i = 0; i < sizeof(S_REGS) / sizeof(S_REGS[0]); i++)
            ASSERT_EQ(rs32(S_REGS[i]), sbank[i]) << where() << std::hex << " reg 0x" << S_REGS[i];
    }
    void snapshot_bank() {
        sbank.clear();
        for (uint64_t off : S_REGS)
            sbank.push_back(rs32(off));
    }

    // A Secure-queue command that is always legal here (4.4.2, 4.1.6): consumed at once. Only
    // CMD_TLBI_NH_* reach the StreamWorld Secure entries (4.4.2.1-4.4.2.4); EL3_ALL the EL3
    // ones, NSNH_ALL the Non-secure ones, CFGI_* configuration only (4.3).
    void secure_command() {
        const unsigned p = (unsigned)below(16);
        const uint32_t asid = 1 + (uint32_t)below(2);
        const uint64_t va = VA + 0x1000ull * p;
        const Cmd cmds[] = {Cmd(OP_TLBI_EL3_ALL),  tlbi_nh_all(),           cfgi_ste(1).ssec(true),
                            cfgi_all().ssec(true), tlbi_nsnh_all(),         cmd_sync(),
                            tlbi_nh_asid(0, asid), tlbi_nh_va(0, asid, va), tlbi_nh_vaa(0, va)};
        const unsigned k = (unsigned)below(sizeof(cmds) / sizeof(cmds[0]));
        const Cmd &c = cmds[k];
        if (k == 1) invalidated(-1, -1);
        if (k == 6) invalidated((int)asid, -1);
        if (k == 7) invalidated((int)asid, (int)p);
        if (k == 8) invalidated(-1, (int)p);
        uint32_t idx = sprod & ((1u << CMDQ_LOG2) - 1);
        put64(true, CMDQ + 16ull * idx, c.dw[0]);
        put64(true, CMDQ + 16ull * idx + 8, c.dw[1]);
        sprod = (sprod + 1) & ((2u << CMDQ_LOG2) - 1);
        ws32(S_CMDQ_PROD, sprod);
        snapshot_bank(); // PROD and CONS moved: the Secure side's own doing
        ASSERT_EQ(rs32(S_CMDQ_CONS), sprod) << where();
    }

    // A legal Non-secure command of the same StreamIDs, ASIDs, VMID 0 and addresses as the
    // Secure side's: every invalidation that would reach the Secure entries if it crossed the
    // Security states (4.3, 4.4).
    Cmd valid_ns_command() {
        const uint32_t sid = (uint32_t)below(NSEC), asid = 1 + (uint32_t)below(2);
        const uint64_t va = VA + 0x1000ull * below(16);
        const Cmd cmds[] = {
            tlbi_nh_all(0),  tlbi_nh_asid(0, asid), tlbi_nh_va(0, asid, va), tlbi_nh_vaa(0, va),
            tlbi_nsnh_all(), tlbi_s12_vmall(0),     cfgi_ste(sid),           cfgi_all(),
            cfgi_cd(sid, 0), cfgi_cd_all(sid),      cfgi_ste_range(sid, 2),  cmd_sync()};
        return cmds[below(sizeof(cmds) / sizeof(cmds[0]))];
    }

    // One operation of the Non-secure side.
    void ns_op() {
        static const uint64_t regs[] = {0x20,   0x28,   0x2C,   0x44,   0x50,   0x64,   0x80,
                                        0x88,   0x90,   0x98,   0x9C,   0xA0,   0x8020, 0x803C,
                                        0x8044, 0x8050, 0x8064, 0x8080, 0x8088, 0x8090, 0x8098,
                                        0x809C, 0x80A0, 0x80A8, 0x80AC};
        static const unsigned ops[] = {OP_TLBI_EL3_ALL,     OP_TLBI_EL3_VA,  OP_TLBI_S_EL2_ALL,
                                       OP_TLBI_S_S12_VMALL, OP_TLBI_SNH_ALL, OP_CFGI_STE,
                                       OP_CFGI_STE_RANGE,   OP_CFGI_CD,      OP_TLBI_NH_ALL,
                                       OP_TLBI_NSNH_ALL,    OP_SYNC,         OP_STALL_TERM};
        switch (below(8)) {
        case 0: // an architected offset, either bank
            w32(regs[below(sizeof(regs) / sizeof(regs[0]))], (uint32_t)rng());
            break;
        case 1: // any offset and size
            smmu_reg_write(smmu, below(0x20000), rng(), (unsigned)below(9));
            break;
        case 2: { // a command on the Non-secure queue: Secure-only opcodes and SSec included
            Cmd c(ops[below(sizeof(ops) / sizeof(ops[0]))]);
            c.ssec(below(2)).sid((uint32_t)below(NSEC));
            if (below(4) == 0) c.dw[1] = rng();
            const bool valid = below(2) != 0; // often one that takes effect, on a queue
            if (valid) {                      // set up again after the random writes
                c = valid_ns_command();
                w32(CR0, 0);
                w64(CMDQ_BASE, CMDQ | CMDQ_LOG2);
                w32(CMDQ_PROD, 0);
                w32(CMDQ_CONS, 0);
                nprod = 0;
                w32(0x64, r32(0x60)); // GERRORN = GERROR
                w32(CR0, EVENTQEN | CMDQEN | SMMUEN);
            }
            uint32_t idx = nprod & ((1u << CMDQ_LOG2) - 1);
            put64(false, CMDQ + 16ull * idx, c.dw[0]);
            put64(false, CMDQ + 16ull * idx + 8, c.dw[1]);
            nprod = (nprod + 1) & ((2u << CMDQ_LOG2) - 1);
            w32(CMDQ_PROD, nprod);
            if (valid) {
                // CONS[8:0] past it (CONS.ERR keeps the last error's reason, 6.3.27) and no
                // active CMDQ_ERR (GERROR[0] == GERRORN[0], 7.1)
                ASSERT_EQ(r32(CMDQ_CONS) & 0x1FF, nprod) << where() << ": consumed";
                ASSERT_EQ((r32(0x60) ^ r32(0x64)) & 1, 0u) << where();
                n_ns_cmds++;
            }
            if (below(8) == 0) { // recover the queue now and then
                w32(0x64, r32(0x60));
                w32(CR0, EVENTQEN | CMDQEN | SMMUEN);
            }
            break;
        }
        case 3: { // Non-secure memory at the addresses of the Secure structures
            const uint64_t bases[] = {
                STRTAB, CDTAB, TABLES + 0x10000, TABLES + 0x21000, TABLES + 0x22000, CMDQ, EVTQ};
            put64(false, bases[below(7)] + 8 * below(512), rng());
            break;
        }
        case 4: { // a Non-secure broadcast TLB invalidation, every form (3.17)
            smmu_dvm_tlbi_t d{};
            d.op = (uint8_t)below(11);
            d.asid = 1;
            d.addr = VA + 0x1000 * below(16);
            smmu_dvm_tlbi(smmu, &d);
            break;
        }
        default: { // a Non-secure translation of the same StreamIDs: never Secure output
            smmu_result_t r = xlate(false, (uint32_t)below(NSEC), VA + 0x1000 * below(16));
            if (r.status == SMMU_OK) {
                ASSERT_TRUE(r.ns) << where();
            }
            break;
        }
        }
    }

    // A Secure EL1 broadcast TLB invalidation (3.17.2: VA, VAA, ASID, VMALL, VMALLS12, ALLE1
    // reach the StreamWorld Secure entries; no VMID without Secure stage 2, 3.17.2.1), or an
    // EL3 one (EL3 entries only).
    void secure_dvm() {
        static const uint8_t ops[] = {SMMU_DVM_VA,     SMMU_DVM_VAA,      SMMU_DVM_ASID,
                                      SMMU_DVM_VMALL,  SMMU_DVM_VMALLS12, SMMU_DVM_ALLE1,
                                      SMMU_DVM_VA_EL3, SMMU_DVM_ALLE3};
        smmu_dvm_tlbi_t d{};
        d.op = ops[below(sizeof(ops) / sizeof(ops[0]))];
        d.secure = true;
        d.asid = (uint16_t)(1 + below(2));
        d.vmid = (uint16_t)below(3);
        const unsigned p = (unsigned)below(16);
        d.addr = VA + 0x1000ull * p;
        ASSERT_TRUE(smmu_dvm_tlbi(smmu, &d)) << where(); // S_CR2.PTM == 0
        if (d.op == SMMU_DVM_VA) invalidated(d.asid, (int)p);
        if (d.op == SMMU_DVM_VAA) invalidated(-1, (int)p);
        if (d.op == SMMU_DVM_ASID) invalidated(d.asid, -1);
        if (d.op == SMMU_DVM_VMALL || d.op == SMMU_DVM_VMALLS12 || d.op == SMMU_DVM_ALLE1)
            invalidated(-1, -1);
    }

    void run(unsigned nops) {
        rng.seed(GetParam());
        enable(false);
        enable(true);
        setup_secure();
        for (uint32_t sid = 0; sid < NSEC; sid++) // Non-secure STEs at the same StreamIDs
            put_ste(false, sid, Ste::bypass().dw);
        snapshot_bank();
        check_secure();
        for (op = 0; op < nops && !HasFatalFailure(); op++) {
            const unsigned side = (unsigned)below(20);
            if (side < 3) {
                secure_command();
            } else if (side < 5) {
                secure_remap();
            } else if (side == 5) {
                secure_dvm();
            } else {
                log.clear();
                ns_op();
                for (const Access &a : log)
                    ASSERT_FALSE(a.secure)
                        << where() << std::hex << ": a Non-secure operation reached Secure PA 0x"
                        << a.pa;
            }
            if (!HasFatalFailure()) check_secure();
        }
    }
};

// 3.10.2.1, 4.1.6, 6.2: no Non-secure register access, command, memory write, broadcast TLBI or
// stream changes a Secure translation or the Secure registers, or reaches Secure memory.
TEST_P(SecureIsolation, NonSecureSideNeverReachesSecureState_3_10_2_1) {
    run(3000);
    EXPECT_EQ(op, 3000u); // every operation ran
    EXPECT_GT(n_checked, 4 * 3000u);
    EXPECT_GT(n_stale, 100u); // stale Secure entries were in use, and kept, often
    EXPECT_GT(n_ns_cmds, 100u);
}

INSTANTIATE_TEST_SUITE_P(Seeds, SecureIsolation, ::testing::Values(1u, 17u, 4242u, 900913u));

} // namespace
