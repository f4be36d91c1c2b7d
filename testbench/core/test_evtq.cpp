// SPDX-License-Identifier: Apache-2.0 OR MIT
// The Event queue producer (spec 3.5, 7.2 - 7.4, 3.18): records provoked through
// smmu_translate, overflow, wrap, interrupts, MSIs and write aborts.
#include "cmdq_fixture.h"
#include "tenc_cfg.h"

using namespace tfx;

namespace {

constexpr uint64_t MSI_PA = 0x30000000;
constexpr uint32_t BAD_SID = 0x100; // >= 2^sid_bits: C_BAD_STREAMID (6.3.25)

struct Evtq : CmdqTest {
    // CR2 is writable only while SMMUEN == 0 (6.3.12): enable() writes RECINVSID first.
    void start(bool eventq = true) {
        cr2 = 1u << 1;
        enable(eventq);
    }
    void bad_sid(uint32_t n = 0) {
        auto r = xlate(BAD_SID + n, 0x1000);
        EXPECT_EQ(r.status, SMMU_FAULT);
    }
    std::vector<uint64_t> slot_words(unsigned i) {
        std::vector<uint64_t> w(4);
        for (unsigned k = 0; k < 4; k++)
            w[k] = get64(EVTQ + 32ull * i + 8 * k);
        return w;
    }
    uint32_t prod_reg() {
        return r32(SMMU_EVENTQ_PROD);
    }
    uint32_t ptr_mask() {
        return (2u << evtq_log2) - 1;
    } // WR and WR_WRAP
    uint32_t mem32(uint64_t pa) {
        uint32_t v = 0;
        EXPECT_EQ(smmu_mem_read(mem, pa, &v, 4), 0);
        return v;
    }
    smmu_stats_t stats() {
        smmu_stats_t st;
        smmu_get_stats(smmu, &st);
        return st;
    }
};

// ------------------------------------------------------------------ record contents

// 7.3.3: C_BAD_STREAMID carries the StreamID (and SSV/SubstreamID); all else is RES0.
TEST_F(Evtq, BadStreamIdRecordIsByteExact) {
    start();
    bad_sid(5);
    EXPECT_EQ(prod_reg(), 1u);
    std::vector<uint64_t> want = {0x02ull | (uint64_t)(BAD_SID + 5) << 32, 0, 0, 0};
    EXPECT_EQ(slot_words(0), want);

    auto r = xlate(BAD_SID + 6, 0x2000, false, false, false, true, 0xABCDE);
    EXPECT_EQ(r.status, SMMU_FAULT);
    want = {0x02ull | 1ull << 11 | 0xABCDEull << 12 | (uint64_t)(BAD_SID + 6) << 32, 0, 0, 0};
    EXPECT_EQ(slot_words(1), want);
}

// 6.3.12: without CR2.RECINVSID, C_BAD_STREAMID is not recorded.
TEST_F(Evtq, BadStreamIdNotRecordedWithoutRecinvsid) {
    enable();
    bad_sid();
    EXPECT_EQ(prod_reg(), 0u);
    EXPECT_TRUE(events().empty());
}

// 7.3.5: C_BAD_STE for an STE with V == 0, with the substream of the transaction.
TEST_F(Evtq, BadSteRecordIsByteExact) {
    start();
    auto r = xlate(7, 0x1000, true, false, false, true, 0x12345);
    EXPECT_EQ(r.status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    std::vector<uint64_t> want = {0x04ull | 1ull << 11 | 0x12345ull << 12 | 7ull << 32, 0, 0, 0};
    EXPECT_EQ(ev[0], want);
}

// 7.3.4: F_STE_FETCH reports the STE address in FetchAddr[55:3] (bits [247:195]).
TEST_F(Evtq, SteFetchAbortRecordCarriesFetchAddr) {
    start();
    ASSERT_EQ(smmu_mem_add_abort(mem, STRTAB + 64 * 3, 64), 0);
    auto r = xlate(3, 0x1000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    std::vector<uint64_t> want = {0x03ull | 3ull << 32, 0, 0, STRTAB + 64 * 3};
    EXPECT_EQ(ev[0], want);
}

// ------------------------------------------------------------------ queue mechanics

// Conformance note 1: a full queue sets EVENTQ_PROD.OVFLG and drops the record (7.4); it is
// not a global error.
TEST_F(Evtq, FullQueueSetsOvflgNotGerror) {
    evtq_log2 = 2;
    start();
    for (uint32_t i = 0; i < 6; i++)
        bad_sid(i);
    EXPECT_EQ(prod_reg(), (1u << 31) | 0x4u); // OVFLG; WR 0 with WR_WRAP: full
    EXPECT_EQ(r32(SMMU_GERROR), 0u);
    EXPECT_EQ(stats().events_written, 4u);
    EXPECT_EQ(stats().events_lost, 2u);
    auto ev = events();
    ASSERT_EQ(ev.size(), 4u);
    for (uint32_t i = 0; i < 4; i++)
        EXPECT_EQ(evt_sid(ev[i]), BAD_SID + i);
}

// 7.4: OVFLG toggles only when no overflow is pending (OVFLG == CONS.OVACKFLG).
TEST_F(Evtq, OverflowFlagTogglesOnlyAfterAcknowledgement) {
    evtq_log2 = 1;
    start();
    for (uint32_t i = 0; i < 3; i++)
        bad_sid(i);
    EXPECT_EQ(prod_reg() >> 31, 1u);
    events(); // consume, overflow left unacknowledged (OVACKFLG stays 0)
    for (uint32_t i = 0; i < 3; i++)
        bad_sid(i);
    EXPECT_EQ(prod_reg() >> 31, 1u); // a second overflow is not indicated
    events();
    w32(SMMU_EVENTQ_CONS, r32(SMMU_EVENTQ_CONS) | 1u << 31); // acknowledge
    for (uint32_t i = 0; i < 2; i++)
        bad_sid(i);
    EXPECT_EQ(prod_reg() >> 31, 1u); // full, not overflowed yet
    bad_sid(2);
    EXPECT_EQ(prod_reg() >> 31, 0u); // toggled: differs from OVACKFLG again
}

// Conformance note 7: PROD keeps its wrap bit; the queue works across many wraps.
TEST_F(Evtq, WrapBitKeptAcrossManyWraps) {
    evtq_log2 = 1;
    start();
    uint32_t expect = 0;
    for (uint32_t i = 0; i < 101; i++) {
        bad_sid(i % 64);
        if (i % 3 == 2) bad_sid(64); // sometimes two at once: fills the 2-entry queue
        auto ev = events();
        ASSERT_EQ(ev.size(), i % 3 == 2 ? 2u : 1u) << i;
        EXPECT_EQ(evt_sid(ev[0]), BAD_SID + i % 64) << i;
        expect = (expect + (uint32_t)ev.size()) & 3;
        EXPECT_EQ(prod_reg(), expect) << i;
    }
    EXPECT_EQ(stats().events_lost, 0u);
    EXPECT_EQ(r32(SMMU_EVENTQ_PROD) >> 31, 0u);
}

// 7.4, 7.2.1: a disabled queue drops events without an overflow condition.
TEST_F(Evtq, DisabledQueueDropsWithoutOverflow) {
    start(false);
    bad_sid();
    EXPECT_EQ(prod_reg(), 0u);
    EXPECT_EQ(stats().events_lost, 1u);
    EXPECT_EQ(get64(EVTQ), 0u);
}

// 6.3.29: LOG2SIZE above IDR1.EVENTQS behaves as EVENTQS; low ADDR bits are ignored.
TEST_F(Evtq, BaseAlignmentAndLog2SizeCap) {
    params.eventq_log2 = 2;
    create();
    start();
    evtq_log2 = 2;
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_SMMUEN);
    w64(SMMU_EVENTQ_BASE, (EVTQ + 0x60) | 17); // 4 entries of 32 bytes: base aligned to 128
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN);
    for (uint32_t i = 0; i < 5; i++)
        bad_sid(i);
    EXPECT_EQ(prod_reg() & 0x7FFFFFFFu, 4u); // full after 4: 1 << EVENTQS entries
    EXPECT_EQ(prod_reg() >> 31, 1u);
    for (unsigned i = 0; i < 4; i++)
        EXPECT_EQ(slot_words(i)[0] >> 32, BAD_SID + i);
}

// ------------------------------------------------------------------ interrupts

// 3.18.2: the Event queue interrupt fires when the queue goes from empty to non-empty.
TEST_F(Evtq, IrqOnEmptyToNonEmptyOnly) {
    start();
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    bad_sid(0);
    EXPECT_EQ(irq.edges[IRQ_EVENTQ], 1);
    EXPECT_FALSE(irq.level[IRQ_EVENTQ]); // edge-triggered: a pulse
    bad_sid(1);
    EXPECT_EQ(irq.edges[IRQ_EVENTQ], 1);
    events();
    bad_sid(2);
    EXPECT_EQ(irq.edges[IRQ_EVENTQ], 2);
}

TEST_F(Evtq, NoIrqWithoutIrqen) {
    start();
    w64(SMMU_EVENTQ_IRQ_CFG0, MSI_PA);
    w32(SMMU_EVENTQ_IRQ_CFG1, 0x1234);
    bad_sid();
    EXPECT_EQ(irq.edges[IRQ_EVENTQ], 0);
    EXPECT_EQ(mem32(MSI_PA), 0u);
}

// 3.18, 6.3.30: with an MSI address configured, EVENTQ_IRQ_CFG1 data is written there.
TEST_F(Evtq, MsiOnEmptyToNonEmpty) {
    start();
    w64(SMMU_EVENTQ_IRQ_CFG0, MSI_PA | 3); // ADDR[1:0] are RES0
    w32(SMMU_EVENTQ_IRQ_CFG1, 0xE0E0E0E0u);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    bad_sid();
    EXPECT_EQ(mem32(MSI_PA), 0xE0E0E0E0u);
    EXPECT_EQ(irq.edges[IRQ_EVENTQ], 1);
}

// 7.5: an aborted Event queue MSI activates MSI_EVTQ_ABT_ERR; the record itself is kept.
TEST_F(Evtq, MsiAbortSetsMsiEvtqAbtErr) {
    start();
    w64(SMMU_EVENTQ_IRQ_CFG0, MSI_PA);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN | SMMU_IRQ_CTRL_GERROR_IRQEN);
    ASSERT_EQ(smmu_mem_add_abort(mem, MSI_PA, 4), 0);
    bad_sid();
    EXPECT_EQ(gerror_active(), GERROR_MSI_EVTQ_ABT_ERR);
    EXPECT_EQ(irq.edges[IRQ_GERROR], 1);
    EXPECT_EQ(events().size(), 1u);
}

// 7.2.2: an aborted record write activates EVENTQ_ABT_ERR; PROD does not move; the queue is
// unwritable until the error is acknowledged (7.2.1).
TEST_F(Evtq, WriteAbortSetsEventqAbtErr) {
    start();
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    ASSERT_EQ(smmu_mem_add_abort(mem, EVTQ, 32), 0);
    bad_sid(0);
    EXPECT_EQ(gerror_active(), GERROR_EVTQ_ABT_ERR);
    EXPECT_EQ(prod_reg(), 0u);
    EXPECT_EQ(irq.edges[IRQ_EVENTQ], 0);
    smmu_mem_clear_aborts(mem);
    bad_sid(1); // dropped: the abort is not acknowledged
    EXPECT_EQ(prod_reg(), 0u);
    ack(GERROR_EVTQ_ABT_ERR);
    bad_sid(2);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_sid(ev[0]), BAD_SID + 2);
    EXPECT_EQ(stats().events_lost, 2u);
    EXPECT_EQ(irq.edges[IRQ_EVENTQ], 1);
}

} // namespace

namespace {

// 7.3.13: a stalled stage-2 translation fault records Stall, STAG, S2, CLASS, RnW, InputAddr
// and IPA; everything else is zero.
TEST_F(Evtq, StallRecordIsByteExact) {
    start();
    uint16_t stag = stall_one(9, 0x7654321);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    std::vector<uint64_t> want(4, 0);
    tenc::put(want.data(), 0, 8, 0x10);   // F_TRANSLATION
    tenc::put(want.data(), 32, 32, 9);    // StreamID
    tenc::put(want.data(), 64, 16, stag); // STAG
    tenc::put(want.data(), 95, 1, 1);     // Stall
    tenc::put(want.data(), 99, 1, 1);     // RnW: read
    tenc::put(want.data(), 103, 1, 1);    // S2
    tenc::put(want.data(), 104, 2, 2);    // CLASS IN
    want[2] = 0x7654321;                  // InputAddr
    want[3] = 0x7654000;                  // IPA[55:12]
    EXPECT_EQ(ev[0], want);
}

// 7.2.1, 7.4: a stall record is never discarded for a full queue, and causes no overflow.
TEST_F(Evtq, StallRecordNotDiscardedOnFullQueue) {
    evtq_log2 = 1;
    start();
    bad_sid(0);
    bad_sid(1);
    stall_one(9, 0x1000);
    EXPECT_EQ(r32(SMMU_EVENTQ_PROD) >> 31, 0u); // no overflow
    EXPECT_EQ(stats().events_lost, 0u);
}

} // namespace
