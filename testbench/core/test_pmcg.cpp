// SPDX-License-Identifier: Apache-2.0 OR MIT
// Performance Monitor Counter Groups (IHI 0070 chapter 10): the register page(s) of a group
// (10.5), the architected events counted by the core as it works (10.3), the StreamID filters
// (10.4), overflow, interrupt, MSI and capture (10.2.1), and what the Linux arm_smmuv3_pmu
// driver expects of a PMCG (written down below as facts). Offsets and fields come from
// tenc_pmcg.h, written from the spec.
#include <cstring>
#include <string>
#include <vector>

#include <smmu/drv.h>

#include "cache_fixture.h"
#include "tenc_pmcg.h"

using namespace tfx;
namespace pm = tenc::pmcg;

namespace {

constexpr uint64_t VA = 0x40000000, PA = 0x80000000;
constexpr uint64_t MSI_ADDR = 0x30000040;
constexpr int PMCG_LINE0 =
    7; // host->irq line of group 0: after the SMMU's seven (4 Non-secure, 3 Secure; smmu.h)

class Pmcg : public CacheTest {
  protected:
    unsigned group = 0;
    uint64_t rd(uint64_t off, unsigned size = 4) {
        return smmu_pmcg_reg_read(smmu, group, off, size);
    }
    void wr(uint64_t off, uint64_t v, unsigned size = 4) {
        smmu_pmcg_reg_write(smmu, group, off, v, size);
    }
    uint32_t cfgr() {
        return (uint32_t)rd(pm::CFGR);
    }
    // Page of the counters, SVRs, OVS and CAPR: Page 1 with RELOC_CTRS (10.5.1).
    uint64_t reloc() {
        return pm::cfgr_reloc(cfgr()) ? pm::PAGE1 : 0;
    }
    // EVCNTRn / SVRn stride: 8 bytes for counters wider than 32 bits (10.5.1).
    uint64_t stride() {
        return pm::cfgr_size(cfgr()) > 31 ? 8 : 4;
    }
    uint64_t ctr(unsigned n) {
        return stride() == 8 ? rd(reloc() + pm::EVCNTR0 + 8 * n, 8)
                             : rd(reloc() + pm::EVCNTR0 + 4 * n, 4);
    }
    void set_ctr(unsigned n, uint64_t v) {
        if (stride() == 8)
            wr(reloc() + pm::EVCNTR0 + 8 * n, v, 8);
        else
            wr(reloc() + pm::EVCNTR0 + 4 * n, v, 4);
    }
    uint64_t svr(unsigned n) {
        return stride() == 8 ? rd(reloc() + pm::SVR0 + 8 * n, 8) : rd(reloc() + pm::SVR0 + 4 * n);
    }
    // Counter n counts event with StreamID filter smr (span: FILTER_SID_SPAN), enabled.
    void program(unsigned n, uint32_t event, uint32_t smr = 0xFFFFFFFF, bool span = true,
                 bool ovfcap = false) {
        wr(pm::EVTYPER0 + 4 * n, pm::evtyper(event, span, ovfcap));
        wr(pm::SMR0 + 4 * n, smr);
        set_ctr(n, 0);
        wr(pm::CNTENSET0, 1ull << n, 8);
        wr(pm::CR, pm::CR_E);
    }
    // A stage-1 stream with pages VA + i * 4KB -> PA + i * 4KB, i < pages.
    void stream(uint32_t sid, unsigned asid, unsigned pages = 4) {
        uint64_t root = s1_stream(sid, asid);
        for (unsigned i = 0; i < pages; i++)
            page(root, VA + 0x1000ull * i, PA + 0x1000ull * i);
    }
    // Group 0 signals through its wired line and an MSI to MSI_ADDR with data.
    void irq_on(uint32_t data = 0xC0FFEE) {
        wr(pm::IRQ_CFG0, MSI_ADDR, 8);
        wr(pm::IRQ_CFG1, data);
        wr(pm::IRQ_CFG2, 0x1); // Device-nGnRE, as Linux writes it
        wr(pm::IRQ_CTRL, pm::IRQ_CTRL_IRQEN);
    }
};

// ------------------------------------------------------------------ identification

// The default configuration reports one PMCG with at least 4 counters (SBSA level 7), 64-bit
// counters, Page 1, MSIs, capture and a filter per counter (10.5.2.13).
TEST_F(Pmcg, DefaultCfgr_10_5_2_13) {
    EXPECT_EQ(smmu_params(smmu)->pmcg_groups, 1u);
    uint32_t c = cfgr();
    EXPECT_GE(pm::cfgr_nctr(c) + 1, 4u);
    EXPECT_EQ(pm::cfgr_nctr(c) + 1, 8u);
    EXPECT_EQ(pm::cfgr_size(c), 63u); // 0b111111: 64-bit counters
    EXPECT_TRUE(pm::cfgr_reloc(c));
    EXPECT_TRUE(pm::cfgr_msi(c));
    EXPECT_TRUE(pm::cfgr_capture(c));
    EXPECT_FALSE(pm::cfgr_sid_global(c));
    EXPECT_TRUE(pm::cfgr_mpam(c)); // the SMMU has MPAM and the group MSIs (17.5)
    EXPECT_FALSE(pm::cfgr_partid_pmg(c));
    EXPECT_EQ(c >> 26, 0u); // RES0
    // CFGR is RO (10.5.2.13)
    wr(pm::CFGR, 0);
    EXPECT_EQ(cfgr(), c);
}

class PmcgSmall : public Pmcg {
    void configure(smmu_params_t &p) override {
        p.pmcg_groups = 2;
        p.pmcg_counters = 4;
        p.pmcg_counter_bits = 32;
        p.pmcg_reloc = false;
        p.pmcg_msi = false;
        p.pmcg_capture = false;
        p.pmcg_sid_global = true;
    }
};

// CFGR reports each parameter: NCTR = counters - 1, SIZE = bits - 1 (0b011111 for 32-bit),
// RELOC_CTRS, MSI, CAPTURE, SID_FILTER_TYPE (10.5.2.13); both groups alike.
TEST_F(PmcgSmall, CfgrFromParams_10_5_2_13) {
    for (group = 0; group < 2; group++) {
        uint32_t c = cfgr();
        EXPECT_EQ(pm::cfgr_nctr(c), 3u);
        EXPECT_EQ(pm::cfgr_size(c), 31u);
        EXPECT_FALSE(pm::cfgr_reloc(c));
        EXPECT_FALSE(pm::cfgr_msi(c));
        EXPECT_FALSE(pm::cfgr_capture(c));
        EXPECT_TRUE(pm::cfgr_sid_global(c));
    }
    group = 2; // no third group: RAZ
    EXPECT_EQ(cfgr(), 0u);
}

// Reset: counting and interrupts disabled (UNKNOWN values chosen as 0), AIDR the version of the
// SMMU (10.5.2.26), IIDR the SMMU's (10.5.2.15), SCR RAZ/WI to a Non-secure access (10.5.2.12),
// ROOTCR RAZ/WI without Realm state (10.5.2.18), GMPAM 0 and a write without Update IGNORED.
TEST_F(Pmcg, ResetValues_10_5_2) {
    EXPECT_EQ(rd(pm::CR), 0u);
    EXPECT_EQ(rd(pm::CNTENSET0, 8), 0u);
    EXPECT_EQ(rd(pm::INTENSET0, 8), 0u);
    EXPECT_EQ(rd(reloc() + pm::OVSSET0, 8), 0u);
    EXPECT_EQ(rd(pm::IRQ_CTRL), 0u);
    EXPECT_EQ(rd(pm::IRQ_CTRLACK), 0u);
    EXPECT_EQ(rd(pm::AIDR), (uint64_t)smmu_params(smmu)->arch_minor);
    EXPECT_EQ(rd(pm::IIDR), (uint64_t)smmu_params(smmu)->iidr);
    wr(pm::SCR, 0xFFFFFFFF);
    EXPECT_EQ(rd(pm::SCR), 0u);
    wr(pm::ROOTCR, 0xFFFFFFFF);
    EXPECT_EQ(rd(pm::ROOTCR), 0u);
    wr(pm::GMPAM, 0xFFFF); // no Update (10.5.2.25)
    EXPECT_EQ(rd(pm::GMPAM), 0u);
}

// CEID0 advertises exactly the events the group counts: 0 - 7 with ATS (10.3: 6 and 7 "if ATS
// supported"); CEID1 (events 64 - 127) none; both RO (10.5.2.16, 10.5.2.17).
TEST_F(Pmcg, CeidExactlyCountedEvents_10_5_2_16) {
    EXPECT_EQ(rd(pm::CEID0, 8), 0xFFu);
    EXPECT_EQ(rd(pm::CEID1, 8), 0u);
    wr(pm::CEID0, 0, 8);
    EXPECT_EQ(rd(pm::CEID0, 8), 0xFFu);
    EXPECT_EQ(rd(pm::CEID0 + 4), 0u); // upper half
}

class PmcgNoAts : public Pmcg {
    void configure(smmu_params_t &p) override {
        p.ats = false;
        p.pri = false;
    }
};

TEST_F(PmcgNoAts, CeidWithoutAts_10_3) {
    EXPECT_EQ(rd(pm::CEID0, 8), 0x3Fu);
}

// EVTYPERn: EVENT, FILTER_SID_SPAN, OVFCAP and (the PMCG supports Secure state) FILTER_SEC_SID
// read back, bits [27:20] RES0 (10.5.2.2). SMRn.STREAMID implements SIDSIZE bits (10.4.1).
// Registers of unimplemented counters are RES0 (10.5.2.1 - 10.5.2.4).
TEST_F(Pmcg, EvtyperSmrReadBack_10_5_2_2) {
    wr(pm::EVTYPER0 + 4, 0xFFFFFFFF);
    EXPECT_EQ(rd(pm::EVTYPER0 + 4),
              (uint64_t)(pm::evtyper(0xFFFF, true, true) | pm::EVTYPER_SEC_SID));
    wr(pm::SMR0 + 4, 0xFFFFFFFF);
    EXPECT_EQ(rd(pm::SMR0 + 4), (1ull << smmu_params(smmu)->sidsize) - 1);
    // counter 8 does not exist (8 counters)
    wr(pm::EVTYPER0 + 4 * 8, 1);
    wr(pm::SMR0 + 4 * 8, 1);
    wr(reloc() + pm::EVCNTR0 + 8 * 8, 5, 8);
    EXPECT_EQ(rd(pm::EVTYPER0 + 4 * 8), 0u);
    EXPECT_EQ(rd(pm::SMR0 + 4 * 8), 0u);
    EXPECT_EQ(rd(reloc() + pm::EVCNTR0 + 8 * 8, 8), 0u);
    // CNTEN / INTEN / OVS: bits beyond the implemented counters are RES0 (10.5.2.5)
    wr(pm::CNTENSET0, ~0ull, 8);
    EXPECT_EQ(rd(pm::CNTENSET0, 8), 0xFFu);
    EXPECT_EQ(rd(pm::CNTENCLR0, 8), 0xFFu);
    wr(pm::CNTENCLR0, 0x0F, 8);
    EXPECT_EQ(rd(pm::CNTENSET0, 8), 0xF0u);
    wr(pm::INTENSET0, ~0ull, 8);
    wr(pm::INTENCLR0, 0xF0, 8);
    EXPECT_EQ(rd(pm::INTENSET0, 8), 0x0Fu);
    wr(reloc() + pm::OVSSET0, ~0ull, 8);
    EXPECT_EQ(rd(reloc() + pm::OVSSET0, 8), 0xFFu);
    wr(reloc() + pm::OVSCLR0, 0x81, 8);
    EXPECT_EQ(rd(reloc() + pm::OVSCLR0, 8), 0x7Eu);
}

// With RELOC_CTRS the counters, SVRs, OVSCLR0 / OVSSET0 and CAPR are on Page 1 and their Page 0
// locations are RES0 (10.5.1, 10.5.2.13); the rest of Page 1 is RES0 too.
TEST_F(Pmcg, RelocCtrsMovesCountersToPage1_10_5_1) {
    ASSERT_TRUE(pm::cfgr_reloc(cfgr()));
    wr(pm::EVCNTR0, 0x1234, 8);
    EXPECT_EQ(rd(pm::EVCNTR0, 8), 0u);
    EXPECT_EQ(rd(pm::PAGE1 + pm::EVCNTR0, 8), 0u);
    wr(pm::PAGE1 + pm::EVCNTR0, 0x1234, 8);
    EXPECT_EQ(rd(pm::PAGE1 + pm::EVCNTR0, 8), 0x1234u);
    EXPECT_EQ(rd(pm::EVCNTR0, 8), 0u);
    wr(pm::OVSSET0, 1, 8);
    EXPECT_EQ(rd(pm::PAGE1 + pm::OVSSET0, 8), 0u);
    wr(pm::PAGE1 + pm::OVSSET0, 1, 8);
    EXPECT_EQ(rd(pm::PAGE1 + pm::OVSSET0, 8), 1u);
    EXPECT_EQ(rd(pm::OVSSET0, 8), 0u);
    // Page 0 registers do not appear on Page 1
    wr(pm::PAGE1 + pm::CR, pm::CR_E);
    EXPECT_EQ(rd(pm::CR), 0u);
    EXPECT_EQ(rd(pm::PAGE1 + pm::CFGR), 0u);
}

TEST_F(PmcgSmall, NoRelocCountersOnPage0_10_5_1) {
    wr(pm::EVCNTR0 + 4, 0x55);
    EXPECT_EQ(rd(pm::EVCNTR0 + 4), 0x55u); // 4-byte stride: counter 1
    EXPECT_EQ(rd(pm::PAGE1 + pm::EVCNTR0 + 4), 0u);
    wr(pm::PAGE1 + pm::EVCNTR0 + 4, 0x66);
    EXPECT_EQ(rd(pm::EVCNTR0 + 4), 0x55u);
    // no capture: SVRn and CAPR RES0; no MSI: IRQ_CFG0..2, IRQ_STATUS RES0 (10.5.2.21 - 24)
    wr(pm::CAPR, 1);
    EXPECT_EQ(rd(pm::SVR0 + 4), 0u);
    wr(pm::IRQ_CFG0, MSI_ADDR, 8);
    wr(pm::IRQ_CFG1, 7);
    EXPECT_EQ(rd(pm::IRQ_CFG0, 8), 0u);
    EXPECT_EQ(rd(pm::IRQ_CFG1), 0u);
    // the groups are independent (10.2)
    group = 1;
    EXPECT_EQ(rd(pm::EVCNTR0 + 4), 0u);
}

// Aligned 32- and 64-bit accesses only (10.5 / 6.2); others read zero and are ignored.
TEST_F(Pmcg, BadAccessesRazWi_10_5) {
    wr(pm::CR, pm::CR_E, 2);
    EXPECT_EQ(rd(pm::CR), 0u);
    wr(pm::CR + 2, pm::CR_E, 4);
    EXPECT_EQ(rd(pm::CR), 0u);
    EXPECT_EQ(rd(pm::CFGR, 2), 0u);
    EXPECT_EQ(rd(pm::CEID0 + 4, 8), 0u); // misaligned 64-bit
    EXPECT_EQ(rd(2 * pm::PAGE1 + pm::CFGR), 0u);
    EXPECT_EQ(smmu_pmcg_reg_read(smmu, 7, pm::CFGR, 4), 0u);
}

// ------------------------------------------------------------------ 64-bit registers as halves

// A 64-bit counter is accessible as aligned 32-bit halves (10.5); a 64-bit access sees both.
TEST_F(Pmcg, CounterHalves_10_5_2_1) {
    const uint64_t c2 = pm::PAGE1 + pm::EVCNTR0 + 8 * 2;
    wr(c2, 0x89ABCDEF);
    wr(c2 + 4, 0x01234567);
    EXPECT_EQ(rd(c2, 8), 0x0123456789ABCDEFull);
    EXPECT_EQ(rd(c2), 0x89ABCDEFu);
    EXPECT_EQ(rd(c2 + 4), 0x01234567u);
    wr(c2 + 4, 0);
    EXPECT_EQ(rd(c2, 8), 0x89ABCDEFull);
}

class Pmcg36 : public Pmcg {
    void configure(smmu_params_t &p) override {
        p.pmcg_counter_bits = 36;
    }
};

// A 36-bit counter (SIZE 0b100011) is a 64-bit register with bits [63:36] RES0 and wraps at
// 2^36 (10.5.2.1, 10.5.2.13).
TEST_F(Pmcg36, CounterWidth_10_5_2_1) {
    EXPECT_EQ(pm::cfgr_size(cfgr()), 35u);
    set_ctr(0, ~0ull);
    EXPECT_EQ(ctr(0), (1ull << 36) - 1);
    program(0, pm::EV_TRANSACTION);
    set_ctr(0, (1ull << 36) - 1);
    stream(1, 1);
    xlate(1, VA);
    EXPECT_EQ(ctr(0), 0u);
    EXPECT_EQ(rd(reloc() + pm::OVSSET0, 8), 1u);
}

class PmcgParams : public ::testing::Test {};

// Out-of-range parameters are refused: 1 - 64 counters (10.2), the SIZE values of 10.5.2.13.
TEST_F(PmcgParams, ArchitectedRanges_10_5_2_13) {
    smmu_mem_t *m = smmu_mem_new();
    smmu_host_t h{};
    smmu_mem_host(m, &h);
    smmu_params_t p;
    auto ok = [&](void (*f)(smmu_params_t &)) {
        smmu_params_init(&p);
        f(p);
        smmu_t *s = smmu_new(&p, &h);
        smmu_free(s);
        return s != nullptr;
    };
    EXPECT_TRUE(ok([](smmu_params_t &) {}));
    EXPECT_FALSE(ok([](smmu_params_t &q) { q.pmcg_counters = 0; }));
    EXPECT_FALSE(ok([](smmu_params_t &q) { q.pmcg_counters = 65; }));
    EXPECT_TRUE(ok([](smmu_params_t &q) { q.pmcg_counters = 64; }));
    EXPECT_FALSE(ok([](smmu_params_t &q) { q.pmcg_counter_bits = 33; }));
    EXPECT_TRUE(ok([](smmu_params_t &q) { q.pmcg_counter_bits = 48; }));
    EXPECT_TRUE(ok([](smmu_params_t &q) { q.pmcg_groups = 0; }));
    EXPECT_FALSE(ok([](smmu_params_t &q) { q.pmcg_groups = SMMU_PMCG_MAX_GROUPS + 1; }));
    smmu_mem_free(m);
}

// ------------------------------------------------------------------ events (10.3)

// Event 1 counts every transaction, whether the memo, the TLB or a walk answered it.
TEST_F(Pmcg, TransactionsCountExactly_10_3) {
    program(0, pm::EV_TRANSACTION);
    stream(1, 1);
    for (int i = 0; i < 10; i++)
        EXPECT_EQ(xlate(1, VA + 0x1000ull * (i % 4)).status, SMMU_OK);
    EXPECT_EQ(ctr(0), 10u);
    // a terminated transaction counts too (10.3 note 1: the model includes them in 1, 2, 3, 7)
    EXPECT_EQ(xlate(1, VA + 0x100000).status, SMMU_FAULT);
    EXPECT_EQ(ctr(0), 11u);
    // debug translations are not transactions
    smmu_txn_t t = txn_of(1, VA);
    smmu_result_t r{};
    smmu_translate_dbg(smmu, &t, &r);
    EXPECT_EQ(ctr(0), 11u);
}

// A transaction served by a host's micro-TLB (smmu_count_transaction) is counted as event 1 and
// as a translation (OK) of its stream, without a lookup: TLB misses and lookups are unchanged.
TEST_F(Pmcg, CountTransactionCountsEventOneOnly_10_3) {
    program(0, pm::EV_TRANSACTION);
    program(1, pm::EV_TLB_MISS);
    stream(1, 1);
    EXPECT_EQ(xlate(1, VA).status, SMMU_OK);
    EXPECT_EQ(ctr(0), 1u);
    smmu_stats_t st0, st1;
    smmu_get_stats(smmu, &st0);
    const uint64_t miss0 = ctr(1);
    smmu_txn_t t = txn_of(1, VA);
    for (int i = 0; i < 5; i++)
        smmu_count_transaction(smmu, &t);
    EXPECT_EQ(ctr(0), 6u);
    EXPECT_EQ(ctr(1), miss0);
    smmu_get_stats(smmu, &st1);
    EXPECT_EQ(st1.translations, st0.translations + 5) << "translations, as the SMMU's";
    EXPECT_EQ(st1.ok, st0.ok + 5);
    smmu_stream_stats_t ss;
    ASSERT_EQ(smmu_stream_stats(smmu, 1, &ss), 0);
    EXPECT_EQ(ss.translations, 6u);
    smmu_cache_stats_t tlb;
    smmu_cache_stats(smmu, SMMU_CACHE_TLB, &tlb);
    EXPECT_EQ(tlb.lookups, 1u) << "nothing looked up";
}

// smmu_count_transactions(t, n) leaves the statistics and PMCG event 1 as n calls of
// smmu_count_transaction(t) would (smmu.h); n = 0 changes nothing.
TEST_F(Pmcg, CountTransactionsIsCountTransactionNTimes_10_3) {
    program(0, pm::EV_TRANSACTION);
    program(1, pm::EV_TLB_MISS);
    stream(1, 1);
    EXPECT_EQ(xlate(1, VA).status, SMMU_OK);
    smmu_stats_t st0, st1;
    smmu_get_stats(smmu, &st0);
    const uint64_t miss0 = ctr(1);
    smmu_txn_t t = txn_of(1, VA);
    smmu_count_transactions(smmu, &t, 0);
    EXPECT_EQ(ctr(0), 1u);
    smmu_count_transactions(smmu, &t, 5);
    smmu_count_transaction(smmu, &t);
    EXPECT_EQ(ctr(0), 7u);
    EXPECT_EQ(ctr(1), miss0);
    smmu_get_stats(smmu, &st1);
    EXPECT_EQ(st1.translations, st0.translations + 6);
    EXPECT_EQ(st1.ok, st0.ok + 6);
    smmu_stream_stats_t ss;
    ASSERT_EQ(smmu_stream_stats(smmu, 1, &ss), 0);
    EXPECT_EQ(ss.translations, 7u);
    EXPECT_EQ(ss.ok, 7u);
}

// A host that holds transaction counts (host->sync_counts, smmu.h) is asked for them first by
// every reader of the counters, so each reads them all: smmu_get_stats, smmu_stream_stats,
// smmu_stream_stats_other, PMCG counter reads, smmu_save_size / smmu_save; smmu_clear_stats
// clears what was held before it; smmu_restore replaces the statistics after taking them.
namespace {
struct holder {
    smmu_t *s = nullptr;
    smmu_txn_t t{};
    uint64_t held = 0;
    unsigned calls = 0;
    static void sync(void *ctx) {
        holder &h = *static_cast<holder *>(ctx);
        h.calls++;
        smmu_count_transactions(h.s, &h.t, h.held);
        h.held = 0;
    }
};
int no_mem(void *, uint64_t, void *buf, size_t len, bool) {
    std::memset(buf, 0, len);
    return 0;
}
int no_mem_wr(void *, uint64_t, const void *, size_t, bool) {
    return 0;
}
} // namespace

TEST(Stats, HostSyncCountsBeforeEveryReader) {
    smmu_params_t p;
    smmu_params_init(&p);
    p.stream_stats_entries = 1;
    holder h;
    smmu_host_t host{};
    host.ctx = &h;
    host.mem_read = no_mem;
    host.mem_write = no_mem_wr;
    host.sync_counts = holder::sync;
    h.s = smmu_new(&p, &host);
    ASSERT_NE(h.s, nullptr);
    h.t.sid = 4;
    smmu_stats_t st;
    smmu_stream_stats_t ss;
    h.held = 7;
    smmu_get_stats(h.s, &st);
    EXPECT_EQ(st.translations, 7u);
    EXPECT_EQ(st.ok, 7u);
    h.held = 3;
    ASSERT_EQ(smmu_stream_stats(h.s, 4, &ss), 0);
    EXPECT_EQ(ss.ok, 10u);
    h.t.sid = 5; /* no slot left: the other bucket */
    h.held = 2;
    smmu_stream_stats_other(h.s, &ss);
    EXPECT_EQ(ss.ok, 2u);
    /* PMCG counter 0 counts event 1 of every stream from here */
    smmu_pmcg_reg_write(h.s, 0, pm::EVTYPER0, pm::evtyper(pm::EV_TRANSACTION, true), 4);
    smmu_pmcg_reg_write(h.s, 0, pm::SMR0, 0xFFFFFFFF, 4);
    smmu_pmcg_reg_write(h.s, 0, pm::CNTENSET0, 1, 8);
    h.held = 4; /* held before the counter counts: not events of it */
    smmu_pmcg_reg_write(h.s, 0, pm::CR, pm::CR_E, 4);
    EXPECT_EQ(smmu_pmcg_reg_read(h.s, 0, pm::PAGE1 + pm::EVCNTR0, 8), 0u);
    h.held = 6;
    EXPECT_EQ(smmu_pmcg_reg_read(h.s, 0, pm::PAGE1 + pm::EVCNTR0, 8), 6u);
    smmu_get_stats(h.s, &st);
    EXPECT_EQ(st.translations, 7u + 3u + 2u + 4u + 6u);
    h.held = 5;
    smmu_clear_stats(h.s);
    smmu_get_stats(h.s, &st);
    EXPECT_EQ(st.translations, 0u) << "held before the clear: cleared";
    h.held = 1;
    const size_t n = smmu_save_size(h.s);
    EXPECT_EQ(h.held, 0u);
    std::vector<uint8_t> blob(n);
    size_t len = 0;
    h.held = 2;
    ASSERT_EQ(smmu_save(h.s, blob.data(), blob.size(), &len), SMMU_STATE_OK);
    EXPECT_EQ(h.held, 0u) << "taken before the state is saved";
    h.held = 9;
    ASSERT_EQ(smmu_restore(h.s, blob.data(), len), SMMU_STATE_OK);
    EXPECT_EQ(h.held, 0u);
    smmu_get_stats(h.s, &st);
    EXPECT_EQ(st.translations, 3u) << "the saved statistics; the 9 held went with the old ones";
    EXPECT_GE(h.calls, 12u);
    smmu_free(h.s);
}

// Event 2 counts each translation the TLB could not satisfy: equal to the TLB's own miss count;
// event 3 each one the configuration caches could not (one per new stream here).
TEST_F(Pmcg, TlbAndConfigMissesMatchCacheStats_10_3) {
    program(0, pm::EV_TLB_MISS);
    program(1, pm::EV_CFG_MISS);
    smmu_clear_stats(smmu);
    for (uint32_t sid = 1; sid <= 3; sid++)
        stream(sid, sid);
    for (int rep = 0; rep < 3; rep++)
        for (uint32_t sid = 1; sid <= 3; sid++)
            for (unsigned p = 0; p < 4; p++)
                EXPECT_EQ(xlate(sid, VA + 0x1000ull * p).status, SMMU_OK);
    EXPECT_EQ(ctr(0), 12u); // each page of each stream once
    EXPECT_EQ(ctr(0), cstats(SMMU_CACHE_TLB).misses);
    EXPECT_EQ(ctr(1), 3u);
    EXPECT_EQ(ctr(1), cstats(SMMU_CACHE_STE).misses);
}

// Event 4 counts descriptor reads of walks, event 5 configuration structure reads: the first
// translation of a stage-1 stream reads the STE and the CD and walks 4 levels of a 4KB tree;
// a neighbouring page then reads one descriptor below the cached table (walk cache).
TEST_F(Pmcg, WalkAndConfigAccesses_10_3) {
    program(0, pm::EV_WALK);
    program(1, pm::EV_CFG_ACCESS);
    stream(1, 1);
    xlate(1, VA);
    EXPECT_EQ(ctr(0), 4u);
    EXPECT_EQ(ctr(1), 2u);
    xlate(1, VA + 0x1000);
    EXPECT_EQ(ctr(0), 5u);
    EXPECT_EQ(ctr(1), 2u);
    xlate(1, VA + 0x1000);
    EXPECT_EQ(ctr(0), 5u);
}

// Event 6 counts ATS Translation Requests (whatever their outcome), event 7 ATS Translated
// transactions; both are also event 1 (10.3: "translation request" includes ATS requests).
TEST_F(Pmcg, AtsEvents_10_3) {
    program(0, pm::EV_ATS_TREQ);
    program(1, pm::EV_ATS_TRANSLATED);
    program(2, pm::EV_TRANSACTION);
    uint64_t root = new_table(12);
    page(root, VA, PA);
    uint64_t cd = alloc(64, 64);
    put_words(cd, tenc::Cd::s1(root, 16, tenc::TG0_4K, 1).dw, 8);
    put_ste(1, tenc::Ste::s1(cd).eats(1).dw);
    smmu_ats_req_t q{};
    q.sid = 1;
    q.addr = VA;
    q.stus = 1;
    smmu_ats_resp_t a{};
    smmu_ats_translate(smmu, &q, &a);
    EXPECT_EQ(a.status, SMMU_ATS_SC);
    q.addr = VA + 0x200000; // unmapped: still a request
    smmu_ats_translate(smmu, &q, &a);
    smmu_txn_t t = txn_of(1, VA);
    t.ats = SMMU_ATS_REQUEST;
    smmu_result_t r{};
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(ctr(0), 3u);
    t.ats = SMMU_ATS_TRANSLATED;
    t.addr = PA;
    smmu_translate(smmu, &t, &r);
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(ctr(1), 2u);
    EXPECT_EQ(ctr(0), 3u);
    EXPECT_EQ(ctr(2), 5u);
}

// Event 0 counts the clock cycles the host reports, without StreamID filtering (10.3 "Can
// filter on StreamID: N").
TEST_F(Pmcg, CyclesFromHostTicks_10_3) {
    program(0, pm::EV_CYCLES, 0x7, false); // an exact filter it ignores
    smmu_pmcg_tick(smmu, 100);
    smmu_pmcg_tick(smmu, 23);
    EXPECT_EQ(ctr(0), 123u);
    wr(pm::CR, 0);
    smmu_pmcg_tick(smmu, 100);
    EXPECT_EQ(ctr(0), 123u);
}

// ------------------------------------------------------------------ filtering (10.4)

// ExactSID: FILTER_SID_SPAN == 0 counts only the StreamID in SMRn (per counter with
// SID_FILTER_TYPE 0).
TEST_F(Pmcg, SidFilterExact_10_4) {
    program(0, pm::EV_TRANSACTION, 1, false);
    program(1, pm::EV_TRANSACTION, 2, false);
    program(2, pm::EV_TRANSACTION, 3, false);
    stream(1, 1);
    stream(2, 2);
    for (int i = 0; i < 3; i++)
        xlate(1, VA);
    for (int i = 0; i < 2; i++)
        xlate(2, VA);
    EXPECT_EQ(ctr(0), 3u);
    EXPECT_EQ(ctr(1), 2u);
    EXPECT_EQ(ctr(2), 0u);
}

// PartialSID: STREAMID[Y-1] == 0 and STREAMID[Y-2:0] all ones ignore StreamID[Y-1:0]; all
// ones in the implemented bits match every StreamID (AllSIDManySECSID), and so does 0 in the
// top implemented bit with ones below (AllSIDOneSECSID, Non-secure only here) (10.4).
TEST_F(Pmcg, SidFilterSpan_10_4) {
    const unsigned sidsize = smmu_params(smmu)->sidsize;
    program(0, pm::EV_TRANSACTION, 0x5, true);  // 0b101: Y = 2, matches 0b1xx = 4..7
    program(1, pm::EV_TRANSACTION, 0x42, true); // Y = 1: 0x42, 0x43 (Linux's example)
    program(2, pm::EV_TRANSACTION, 0xFFFFFFFF, true);
    program(3, pm::EV_TRANSACTION, (uint32_t)((1ull << (sidsize - 1)) - 1), true);
    std::vector<uint32_t> sids = {1, 3, 4, 5, 6, 7, 8, 0x42, 0x43, 0x44};
    for (uint32_t sid : sids) {
        stream(sid, sid, 1);
        ASSERT_EQ(xlate(sid, VA).status, SMMU_OK);
    }
    EXPECT_EQ(ctr(0), 4u);
    EXPECT_EQ(ctr(1), 2u);
    EXPECT_EQ(ctr(2), sids.size());
    EXPECT_EQ(ctr(3), sids.size());
}

// SID_FILTER_TYPE == 1: SMR0 and EVTYPER0.FILTER_SID_SPAN filter every counter; SMRx and the
// filter fields of EVTYPERx (x >= 1) are RES0 (10.4, 10.5.2.2, 10.5.2.4).
TEST_F(PmcgSmall, SidFilterGlobal_10_4) {
    wr(pm::SMR0 + 4, 2);
    EXPECT_EQ(rd(pm::SMR0 + 4), 0u);
    wr(pm::EVTYPER0 + 4, pm::evtyper(pm::EV_TRANSACTION, true));
    EXPECT_EQ(rd(pm::EVTYPER0 + 4), (uint64_t)pm::EV_TRANSACTION);
    program(0, pm::EV_TLB_MISS, 2, false); // the filter of all: exactly StreamID 2
    program(1, pm::EV_TRANSACTION, 0xFFFFFFFF, true);
    EXPECT_EQ(rd(pm::SMR0), 2u); // counter 1's SMR write went nowhere
    stream(1, 1);
    stream(2, 2);
    xlate(1, VA);
    xlate(2, VA);
    xlate(2, VA);
    EXPECT_EQ(ctr(0), 1u); // the TLB miss of StreamID 2
    EXPECT_EQ(ctr(1), 2u); // the transactions of StreamID 2
}

// ------------------------------------------------------------------ enables (10.5.2.5, .14)

// A counter counts only with CR.E == 1 and its CNTEN bit set; CNTENCLR0 stops it.
TEST_F(Pmcg, CounterEnables_10_5_2_5) {
    program(0, pm::EV_TRANSACTION);
    program(1, pm::EV_TRANSACTION);
    wr(pm::CNTENCLR0, 2, 8);
    stream(1, 1);
    xlate(1, VA);
    EXPECT_EQ(ctr(0), 1u);
    EXPECT_EQ(ctr(1), 0u);
    wr(pm::CR, 0);
    xlate(1, VA);
    EXPECT_EQ(ctr(0), 1u);
    wr(pm::CR, pm::CR_E);
    wr(pm::CNTENSET0, 2, 8);
    xlate(1, VA);
    EXPECT_EQ(ctr(0), 2u);
    EXPECT_EQ(ctr(1), 1u);
    // a counter of an event that is not counted (or an IMPLEMENTATION DEFINED one) stays put
    program(2, 0x80);
    xlate(1, VA);
    EXPECT_EQ(ctr(2), 0u);
}

// ------------------------------------------------------------------ overflow (10.2.1)

// A carry out sets OVS[n]; with INTEN[n] and IRQ_CTRL.IRQEN the group's wired interrupt pulses
// and its MSI (IRQ_CFG0/1) is written; the counter keeps counting (10.2.1, 10.5.2.19).
TEST_F(Pmcg, OverflowSetsOvsAndRaisesIrq_10_2_1) {
    irq_on(0xC0FFEE);
    program(3, pm::EV_TRANSACTION);
    set_ctr(3, ~0ull - 1);
    wr(pm::INTENSET0, 1ull << 3, 8);
    stream(1, 1);
    xlate(1, VA);
    EXPECT_EQ(rd(reloc() + pm::OVSSET0, 8), 0u);
    EXPECT_EQ(irq.edges[PMCG_LINE0], 0);
    xlate(1, VA);
    EXPECT_EQ(ctr(3), 0u);
    EXPECT_EQ(rd(reloc() + pm::OVSSET0, 8), 1ull << 3);
    EXPECT_EQ(irq.edges[PMCG_LINE0], 1);
    EXPECT_FALSE(irq.level[PMCG_LINE0]); // edge-triggered: a pulse
    EXPECT_EQ(smmu_mem_read64(mem, MSI_ADDR) & 0xFFFFFFFF, 0xC0FFEEu);
    xlate(1, VA);
    EXPECT_EQ(ctr(3), 1u);
    EXPECT_EQ(irq.edges[PMCG_LINE0], 1);
    EXPECT_EQ(irq.edges[0] + irq.edges[1] + irq.edges[2] + irq.edges[3], 0);
}

// Without INTEN[n], or with IRQEN == 0, an overflow sets OVS only (10.5.2.19).
TEST_F(Pmcg, OverflowWithoutInterruptEnable_10_5_2_19) {
    irq_on();
    program(0, pm::EV_CYCLES);
    set_ctr(0, ~0ull);
    smmu_pmcg_tick(smmu, 1);
    EXPECT_EQ(rd(reloc() + pm::OVSSET0, 8), 1u);
    EXPECT_EQ(irq.edges[PMCG_LINE0], 0);
    wr(pm::INTENSET0, 1, 8);
    wr(pm::IRQ_CTRL, 0);
    set_ctr(0, ~0ull);
    smmu_pmcg_tick(smmu, 1);
    EXPECT_EQ(irq.edges[PMCG_LINE0], 0);
    EXPECT_EQ(smmu_mem_read64(mem, MSI_ADDR), 0u);
    // OVS does not prevent another interrupt (10.2.1)
    wr(pm::IRQ_CTRL, pm::IRQ_CTRL_IRQEN);
    set_ctr(0, ~0ull);
    smmu_pmcg_tick(smmu, 1);
    EXPECT_EQ(irq.edges[PMCG_LINE0], 1);
}

// IRQ_CFG0..2 are Guarded by IRQEN (read-only while set); IRQ_CFG0 keeps ADDR[55:2] (10.5.2.21).
TEST_F(Pmcg, IrqCfgGuardedByIrqen_10_5_2_21) {
    wr(pm::IRQ_CFG0, 0xFFFFFFFFFFFFFFFFull, 8);
    EXPECT_EQ(rd(pm::IRQ_CFG0, 8), 0x00FFFFFFFFFFFFFCull);
    wr(pm::IRQ_CFG2, 0xFFFFFFFF);
    EXPECT_EQ(rd(pm::IRQ_CFG2), 0x3Fu);
    irq_on(5);
    EXPECT_EQ(rd(pm::IRQ_CTRLACK), (uint64_t)pm::IRQ_CTRL_IRQEN);
    wr(pm::IRQ_CFG0, 0x1000, 8);
    wr(pm::IRQ_CFG1, 6);
    EXPECT_EQ(rd(pm::IRQ_CFG0, 8), MSI_ADDR);
    EXPECT_EQ(rd(pm::IRQ_CFG1), 5u);
}

// An MSI that aborts sets IRQ_STATUS.IRQ_ABT, cleared when IRQEN goes 0 -> 1 (10.5.2.24).
TEST_F(Pmcg, MsiAbortSetsIrqAbt_10_5_2_24) {
    ASSERT_EQ(smmu_mem_add_abort(mem, MSI_ADDR & ~0xFFFull, 0x1000), 0);
    irq_on();
    program(0, pm::EV_CYCLES);
    wr(pm::INTENSET0, 1, 8);
    set_ctr(0, ~0ull);
    smmu_pmcg_tick(smmu, 1);
    EXPECT_EQ(irq.edges[PMCG_LINE0], 1); // the wired line still signals
    EXPECT_EQ(rd(pm::IRQ_STATUS), (uint64_t)pm::IRQ_STATUS_ABT);
    wr(pm::IRQ_CTRL, 0);
    EXPECT_EQ(rd(pm::IRQ_STATUS), (uint64_t)pm::IRQ_STATUS_ABT); // 1 -> 0 keeps it
    wr(pm::IRQ_CTRL, pm::IRQ_CTRL_IRQEN);
    EXPECT_EQ(rd(pm::IRQ_STATUS), 0u);
}

// ------------------------------------------------------------------ capture (10.2.1)

// A write of 1 to CAPR.CAPTURE copies every counter to its SVR (10.5.2.11).
TEST_F(Pmcg, CaptureByCapr_10_2_1) {
    program(0, pm::EV_TRANSACTION);
    program(1, pm::EV_CYCLES);
    stream(1, 1);
    xlate(1, VA);
    xlate(1, VA);
    smmu_pmcg_tick(smmu, 7);
    EXPECT_EQ(svr(0), 0u);
    wr(reloc() + pm::CAPR, pm::CAPR_CAPTURE);
    EXPECT_EQ(svr(0), 2u);
    EXPECT_EQ(svr(1), 7u);
    EXPECT_EQ(rd(reloc() + pm::CAPR), 0u); // write-only, reads zero
    xlate(1, VA);
    EXPECT_EQ(svr(0), 2u);
    wr(reloc() + pm::SVR0, 99, 8); // RO
    EXPECT_EQ(svr(0), 2u);
}

// An overflow of a counter with EVTYPERn.OVFCAP captures all counters, itself with its
// post-overflow value, before the interrupt (10.2.1).
TEST_F(Pmcg, CaptureOnOverflow_10_2_1) {
    program(0, pm::EV_TRANSACTION);
    program(1, pm::EV_CYCLES, 0xFFFFFFFF, true, true);
    set_ctr(1, ~0ull - 1);
    stream(1, 1);
    xlate(1, VA);
    smmu_pmcg_tick(smmu, 3); // wraps to 1
    EXPECT_EQ(svr(0), 1u);
    EXPECT_EQ(svr(1), 1u);
    EXPECT_EQ(rd(reloc() + pm::OVSSET0, 8), 2u);
    // an overflow without OVFCAP does not capture
    program(0, pm::EV_TRANSACTION); // counter 0 back to 0
    set_ctr(0, ~0ull);
    xlate(1, VA);
    EXPECT_EQ(svr(0), 1u);
}

// ------------------------------------------------------------------ Linux arm_smmuv3_pmu facts

// What the Linux driver (drivers/perf/arm_smmuv3_pmu.c) reads and writes, as facts:
//  - CFGR at 0xE00: NCTR [5:0] (+1 counters), SIZE [13:8] (counter mask GENMASK(SIZE, 0)),
//    RELOC_CTRS bit 20 (then counters and OVS through the second resource, Page 1), MSI bit 21,
//    SID_FILTER_TYPE bit 23 ("Global(Counter0)" filtering).
//  - counters: with counter mask bit 32 set, 64-bit accesses at EVCNTR0 + 8n, else 32-bit at
//    EVCNTR0 + 4n; a started counter is set to half its maximum (counter_mask >> 1).
//  - EVTYPERn at 0x400 + 4n: event [15:0], span at bit 29; SMRn at 0xA00 + 4n: the StreamID.
//    Without a filter it programs span 1 and StreamID 0xFFFFFFFF (count all).
//  - CNTENSET0 0xC00, CNTENCLR0 0xC20, INTENSET0 0xC40, INTENCLR0 0xC60: 64-bit writes of BIT(n).
//  - the interrupt handler reads OVSSET0 (0xCC0) and writes what it read to OVSCLR0 (0xC80),
//    both 64-bit, through the Page 1 base.
//  - CR 0xE04 bit 0 enable; IRQ_CTRL 0xE50 bit 0 IRQEN, written before CR.E.
//  - CEID0 / CEID1 at 0xE20 / 0xE28 read as 64-bit: the supported events of 0 - 127 (events
//    0 - 7: cycles, transaction, tlb_miss, config_cache_miss, trans_table_walk_access,
//    config_struct_access, pcie_ats_trans_rq, pcie_ats_trans_passed).
//  - IIDR 0xE08 (ProductID [31:20], Variant [19:16], Revision [15:12], Implementer [11:0]).
//  - MSI: IRQ_CFG0 0xE58 64-bit with address bits [51:2], IRQ_CFG1 0xE60 the data, IRQ_CFG2
//    0xE64 = 1 (Device-nGnRE); IRQ_CFG0 written 0 first.
// The test runs that sequence: probe, reset, MSI set-up, one counter of transactions started at
// half its range, overflow handled as the driver's handler does.
TEST_F(Pmcg, LinuxDriverSequence_10_5) {
    const uint32_t c = (uint32_t)rd(0xE00);
    const unsigned ctrs = (c & 0x3F) + 1;
    const uint64_t mask = ((c >> 8) & 0x3F) == 63 ? ~0ull : (1ull << (((c >> 8) & 0x3F) + 1)) - 1;
    ASSERT_TRUE(c & (1u << 20));
    ASSERT_TRUE(c & (1u << 21));
    ASSERT_FALSE(c & (1u << 23));
    ASSERT_TRUE(mask & (1ull << 32)); // 64-bit access path
    const uint64_t page1 = pm::PAGE1;
    // reset: PMU disabled, counters / interrupts off, OVS cleared
    wr(0xE04, 0);
    wr(0xE50, 0);
    const uint64_t present = (ctrs == 64) ? ~0ull : (1ull << ctrs) - 1;
    wr(0xC20, present, 8);
    wr(0xC60, present, 8);
    wr(page1 + 0xC80, present, 8);
    // MSI set-up
    wr(0xE58, 0, 8);
    wr(0xE58, MSI_ADDR & 0x000FFFFFFFFFFFFCull, 8);
    wr(0xE60, 0xAB);
    wr(0xE64, 0x1);
    // CEID: events 1 and 2 supported
    const uint64_t ceid0 = rd(0xE20, 8);
    EXPECT_TRUE(ceid0 & 2);
    EXPECT_TRUE(ceid0 & 4);
    EXPECT_EQ(rd(0xE28, 8), 0u);
    // event add/start on counter 0: transaction, no filter
    const unsigned idx = 0;
    wr(0x400 + 4 * idx, 1u | 1u << 29);
    wr(0xA00 + 4 * idx, 0xFFFFFFFF);
    wr(0xC40, 1ull << idx, 8);
    wr(page1 + 0x000 + 8 * idx, mask >> 1, 8);
    wr(0xC00, 1ull << idx, 8);
    // pmu enable
    wr(0xE50, 1);
    wr(0xE04, 1);
    stream(5, 5);
    for (int i = 0; i < 3; i++)
        xlate(5, VA);
    EXPECT_EQ(rd(page1 + 8 * idx, 8), (mask >> 1) + 3);
    // drive it to overflow: the handler sees OVS and clears it
    wr(page1 + 8 * idx, mask, 8);
    xlate(5, VA);
    EXPECT_EQ(irq.edges[PMCG_LINE0], 1);
    EXPECT_EQ(smmu_mem_read64(mem, MSI_ADDR) & 0xFFFFFFFF, 0xABu);
    const uint64_t ovs = rd(page1 + 0xCC0, 8);
    EXPECT_EQ(ovs, 1ull << idx);
    wr(page1 + 0xC80, ovs, 8);
    EXPECT_EQ(rd(page1 + 0xCC0, 8), 0u);
    EXPECT_EQ(rd(page1 + 8 * idx, 8), 0u);
}

// With SID_FILTER_TYPE == 1 the driver programs the filter only through counter 0 and writes
// only the event to the EVTYPERn of other counters (its "global filter" path).
TEST_F(PmcgSmall, LinuxGlobalFilter_10_4) {
    ASSERT_TRUE(rd(0xE00) & (1u << 23));
    wr(0x400, 1u | 0u << 29); // counter 0: transaction, exact StreamID
    wr(0xA00, 3);
    wr(0x404, 2u); // counter 1: tlb_miss, filter from counter 0
    wr(0xC00, 3, 8);
    wr(0xE04, 1);
    stream(3, 3);
    stream(4, 4);
    xlate(3, VA);
    xlate(4, VA);
    xlate(3, VA + 0x1000);
    EXPECT_EQ(rd(0x000), 2u); // 32-bit counters, 4-byte stride, Page 0 (no RELOC_CTRS)
    EXPECT_EQ(rd(0x004), 2u);
}

// No group: every PMCG access reads zero and nothing counts.
class PmcgNone : public Pmcg {
    void configure(smmu_params_t &p) override {
        p.pmcg_groups = 0;
    }
};

TEST_F(PmcgNone, NoGroupRaz_10_1) {
    EXPECT_EQ(cfgr(), 0u);
    wr(pm::CR, pm::CR_E);
    EXPECT_EQ(rd(pm::CR), 0u);
    smmu_pmcg_tick(smmu, 5);
    stream(1, 1);
    EXPECT_EQ(xlate(1, VA).status, SMMU_OK);
}

} // namespace

namespace {

// The memo is invisible: a PMCG counts the same events with it and without it (every event
// the workload causes: transactions, TLB and configuration misses, walk and structure reads).
TEST_F(Pmcg, SameCountsWithoutMemo_10_3) {
    std::vector<uint64_t> counts[2];
    for (int off = 0; off < 2; off++) {
        params.memo_off = off != 0;
        next_table = TABLES;
        smmu_mem_free(mem);
        mem = smmu_mem_new();
        create();
        enable();
        const uint32_t evs[] = {pm::EV_TRANSACTION, pm::EV_TLB_MISS, pm::EV_CFG_MISS, pm::EV_WALK,
                                pm::EV_CFG_ACCESS};
        for (unsigned n = 0; n < 5; n++)
            program(n, evs[n]);
        for (uint32_t sid = 1; sid <= 4; sid++)
            stream(sid, sid, 8);
        for (unsigned i = 0; i < 400; i++)
            xlate(1 + (i * 7) % 4, VA + 0x1000ull * ((i * 13) % 9)); // page 8 is unmapped
        for (unsigned n = 0; n < 5; n++)
            counts[off].push_back(ctr(n));
    }
    EXPECT_EQ(counts[0], counts[1]);
    EXPECT_EQ(counts[0][0], 400u);
}

} // namespace

namespace {

// ------------------------------------------------------------------ the driver (<smmu/drv.h>)

// The driver probes CFGR / CEID, programs a counter as Linux does (EVTYPERn with the event and
// FILTER_SID_SPAN, SMRn, the counter from 0, CNTENSET0, CR.E) and reads it back (10.5.2).
TEST_F(Pmcg, DriverProgramsCounters_10_5_2) {
    smmu_drv_pmcg_t *d = smmu_drv_pmcg_new_direct(smmu, 0);
    ASSERT_NE(d, nullptr);
    smmu_drv_pmcg_info_t info{};
    smmu_drv_pmcg_info(d, &info);
    EXPECT_EQ(info.counters, 8u);
    EXPECT_EQ(info.counter_bits, 64u);
    EXPECT_TRUE(info.reloc);
    EXPECT_EQ(info.events[0], 0xFFu);
    smmu_drv_pmcg_filter_t exact{true, false, 2};
    ASSERT_EQ(smmu_drv_pmcg_start(d, 0, pm::EV_TRANSACTION, &exact), 0);
    ASSERT_EQ(smmu_drv_pmcg_start(d, 1, pm::EV_TLB_MISS, nullptr), 0);
    EXPECT_EQ(rd(pm::EVTYPER0), (uint64_t)pm::EV_TRANSACTION);
    EXPECT_EQ(rd(pm::SMR0), 2u);
    EXPECT_EQ(rd(pm::EVTYPER0 + 4), (uint64_t)pm::evtyper(pm::EV_TLB_MISS, true));
    EXPECT_EQ(rd(pm::SMR0 + 4), (1ull << smmu_params(smmu)->sidsize) - 1);
    EXPECT_EQ(rd(pm::CR), (uint64_t)pm::CR_E);
    EXPECT_EQ(rd(pm::CNTENSET0, 8), 3u);
    stream(1, 1);
    stream(2, 2);
    xlate(1, VA);
    xlate(2, VA);
    xlate(2, VA);
    EXPECT_EQ(smmu_drv_pmcg_read(d, 0), 2u);
    EXPECT_EQ(smmu_drv_pmcg_read(d, 1), 2u);
    ASSERT_EQ(smmu_drv_pmcg_stop(d, 0), 0);
    xlate(2, VA);
    EXPECT_EQ(smmu_drv_pmcg_read(d, 0), 2u);
    EXPECT_EQ(smmu_drv_pmcg_start(d, 8, pm::EV_TRANSACTION, nullptr), SMMU_DRV_EINVAL);
    EXPECT_EQ(smmu_drv_pmcg_start(d, 2, 8, nullptr), SMMU_DRV_ENOTSUP); // not in CEID0
    smmu_drv_pmcg_free(d);
    EXPECT_EQ(smmu_drv_pmcg_new_direct(smmu, 1), nullptr); // one group
}

// The driver's interrupt set-up (INTENSET0, IRQ_CFG0..2 while IRQEN is 0, then IRQEN) and its
// handler part (OVSSET0 read, OVSCLR0 written) (10.2.1, 10.5.2.19 - 10.5.2.23).
TEST_F(Pmcg, DriverOverflowInterrupt_10_2_1) {
    smmu_drv_pmcg_t *d = smmu_drv_pmcg_new_direct(smmu, 0);
    ASSERT_NE(d, nullptr);
    ASSERT_EQ(smmu_drv_pmcg_start(d, 4, pm::EV_CYCLES, nullptr), 0);
    ASSERT_EQ(smmu_drv_pmcg_irq(d, 1u << 4, MSI_ADDR, 0x77), 0);
    EXPECT_EQ(rd(pm::IRQ_CFG0, 8), MSI_ADDR);
    EXPECT_EQ(rd(pm::IRQ_CFG2), 0x1u); // Device-nGnRE
    EXPECT_EQ(rd(pm::IRQ_CTRLACK), (uint64_t)pm::IRQ_CTRL_IRQEN);
    set_ctr(4, ~0ull);
    smmu_pmcg_tick(smmu, 2);
    EXPECT_EQ(irq.edges[PMCG_LINE0], 1);
    EXPECT_EQ(smmu_mem_read64(mem, MSI_ADDR) & 0xFFFFFFFF, 0x77u);
    EXPECT_EQ(smmu_drv_pmcg_overflows(d), 1u << 4);
    EXPECT_EQ(smmu_drv_pmcg_overflows(d), 0u);
    EXPECT_EQ(smmu_drv_pmcg_read(d, 4), 1u);
    EXPECT_EQ(smmu_drv_pmcg_irq(d, 1u << 8, 0, 0), SMMU_DRV_EINVAL);
    smmu_drv_pmcg_free(d);
}

} // namespace

namespace {

std::vector<std::string> *g_lines = nullptr;

// The IRQ trace point names a PMCG group's line (10.2.1): "IRQ pmcg0 high" then "low".
TEST_F(Pmcg, IrqTracePointNamesGroup_10_2_1) {
    std::vector<std::string> lines;
    g_lines = &lines;
    smmu_set_trace(
        smmu,
        [](void *, const smmu_tp_t *tp) {
            char b[160];
            smmu_tp_format(tp, b, sizeof b);
            g_lines->push_back(b);
        },
        1u << SMMU_TP_IRQ);
    irq_on();
    program(0, pm::EV_CYCLES);
    wr(pm::INTENSET0, 1, 8);
    set_ctr(0, ~0ull);
    smmu_pmcg_tick(smmu, 1);
    smmu_set_trace(smmu, nullptr, 0);
    g_lines = nullptr;
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "IRQ pmcg0 high");
    EXPECT_EQ(lines[1], "IRQ pmcg0 low");
}

} // namespace
