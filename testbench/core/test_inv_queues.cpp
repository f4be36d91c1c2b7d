// SPDX-License-Identifier: Apache-2.0 OR MIT
// Invariant (issue 6): queues under random interleavings of producer and consumer pointer
// updates never lose or duplicate a record, and overflow is reported as the spec says.
//  - Event queue (spec 3.5, 7.2, 7.4): every fault is recorded in order while there is room;
//    a record that finds the queue full is lost and toggles EVENTQ_PROD.OVFLG only if no
//    overflow condition is present (OVFLG == CONS.OVACKFLG); an unacknowledged overflow does
//    not stop new records.
//  - PRI queue (8.1, 8.2): a page request is queued while there is room and no overflow
//    condition; one finding the queue full is discarded and toggles PRIQ_PROD.OVFLG; while the
//    condition is active (until OVACKFLG := OVFLG) every request is discarded; a discarded
//    request with Last == 1 gets an automatic PRG Response, one with Last == 0 none.
//  - Command queue (3.5, 4.7, 7.1) with deferred consumption: the SMMU consumes exactly the
//    published commands, in order, once each (CMD_SYNC MSIs as witnesses), CONS never passes
//    PROD, and an illegal command stops the queue at that command with CERROR_ILL and
//    GERROR.CMDQ_ERR until software fixes it and acknowledges.
// Fixed seeds; a failure prints the seed and the step.
#include <deque>
#include <sstream>
#include <string>

#include "cmdq_fixture.h"
#include "inv_ref.h"

using namespace inv;

namespace {

constexpr uint64_t PRIQ_PA = 0x14000000ull;
constexpr uint64_t MSI_PA = 0x15000000ull;

bool q_full(uint32_t prod, uint32_t cons, unsigned log2) {
    uint32_t idx = (1u << log2) - 1, wrap = 1u << log2;
    return (prod & idx) == (cons & idx) && (prod & wrap) != (cons & wrap);
}
bool q_empty(uint32_t prod, uint32_t cons, unsigned log2) {
    uint32_t m = (2u << log2) - 1;
    return (prod & m) == (cons & m);
}
uint32_t q_count(uint32_t prod, uint32_t cons, unsigned log2) {
    uint32_t m = (2u << log2) - 1;
    return (prod - cons) & m;
}

class Queues : public tfx::CmdqTest, public ::testing::WithParamInterface<uint64_t> {
  protected:
    uint64_t seed = 0;
    unsigned step = 0;
    std::string where() const {
        std::ostringstream o;
        o << "seed " << seed << " step " << step;
        return o.str();
    }
};

// ---------------------------------------------------------------- event queue

class EventQueue : public Queues {
  protected:
    void configure(smmu_params_t &) override {
        evtq_log2 = 3; // 8 records: full and overflowing often
    }
};

TEST_P(EventQueue, RandomInterleavingLosesOnlyOnOverflowAndNeverDuplicates) {
    seed = GetParam();
    Rng rng(seed);
    enable();
    // A stage-2 stream whose empty level-1 table faults every access (F_TRANSLATION with the
    // InputAddr, 7.3.13): each record is identified by its address.
    put_ste(1, tenc::Ste::s2(alloc(0x1000), 0, 25, 1).dw);
    const unsigned L = evtq_log2;
    uint32_t mprod = 0, cons = 0; // model PROD (index + wrap), software CONS (with OVACKFLG)
    bool movflg = false;
    std::deque<uint64_t> expect; // addresses recorded, not yet consumed
    uint64_t seq = 0;
    unsigned lost = 0, consumed = 0, overflows = 0;
    for (step = 0; step < 4000; step++) {
        SCOPED_TRACE(where());
        unsigned k = (unsigned)rng.below(100);
        if (k < 50) { // device traffic: a burst of faults
            for (unsigned n = 1 + (unsigned)rng.below(4); n; n--) {
                uint64_t addr = 0x1000 * (++seq & 0x3FFFFFF);
                smmu_result_t r = xlate(1, addr);
                ASSERT_EQ(r.status, SMMU_FAULT);
                if (q_full(mprod, cons, L)) { // lost; OVFLG toggles if no overflow present
                    lost++;
                    bool ovack = (cons & SMMU_Q_OVFLG) != 0;
                    if (movflg == ovack) {
                        movflg = !movflg;
                        overflows++;
                    }
                } else {
                    expect.push_back(addr);
                    mprod = qinc(mprod, L);
                }
            }
        } else if (k < 90) { // software consumes some records, maybe acknowledging overflow
            uint32_t prod = r32(SMMU_EVENTQ_PROD);
            unsigned avail = q_count(prod, cons, L), n = (unsigned)rng.below(avail + 1);
            for (unsigned i = 0; i < n; i++) {
                uint64_t at = tfx::EVTQ + 32ull * (cons & ((1u << L) - 1));
                ASSERT_FALSE(expect.empty()) << "a record nobody produced";
                EXPECT_EQ(get64(at) & 0xFF, (uint64_t)SMMU_EVT_F_TRANSLATION);
                ASSERT_EQ(get64(at + 16), expect.front()) << "lost, reordered or duplicated";
                expect.pop_front();
                cons = (cons & SMMU_Q_OVFLG) | qinc(cons & ~SMMU_Q_OVFLG, L);
                consumed++;
            }
            if (rng.pct(50)) cons = (cons & ~SMMU_Q_OVFLG) | (prod & SMMU_Q_OVFLG);
            w32(SMMU_EVENTQ_CONS, cons);
        }
        // The SMMU's pointers are the model's after every step.
        uint32_t prod = r32(SMMU_EVENTQ_PROD);
        ASSERT_EQ(prod & ((2u << L) - 1), mprod) << "PROD index/wrap";
        ASSERT_EQ((prod & SMMU_Q_OVFLG) != 0, movflg) << "PROD.OVFLG";
        ASSERT_EQ(q_count(prod, cons, L), expect.size());
    }
    EXPECT_EQ(r32(SMMU_GERROR) ^ r32(SMMU_GERRORN), 0u) << "overflow is not a global error";
    EXPECT_GT(lost, 0u);
    EXPECT_GT(overflows, 1u);
    EXPECT_GT(consumed, 500u);
}

INSTANTIATE_TEST_SUITE_P(Inv, EventQueue, ::testing::Values(3ull, 0xE7E7ull, 0x600DF00Dull),
                         [](const ::testing::TestParamInfo<uint64_t> &i) {
                             return "Seed" + std::to_string(i.param);
                         });

// ---------------------------------------------------------------- PRI queue

class PriQueue : public Queues {};

TEST_P(PriQueue, RandomInterleavingDiscardsOnlyInOverflowWithAutoResponses) {
    seed = GetParam();
    Rng rng(seed);
    enable();
    const unsigned L = 2; // 4 records
    set_cr0(r32(SMMU_CR0) & ~SMMU_CR0_PRIQEN);
    w64(SMMU_PRIQ_BASE, PRIQ_PA | L);
    w32(SMMU_PRIQ_PROD, 0);
    w32(SMMU_PRIQ_CONS, 0);
    set_cr0(r32(SMMU_CR0) | SMMU_CR0_PRIQEN);
    uint32_t mprod = 0, cons = 0;
    bool movflg = false;
    struct Req {
        uint64_t addr;
        unsigned prgi;
        bool last;
    };
    std::deque<Req> expect;
    uint64_t seq = 0;
    unsigned discarded = 0, auto_resp = 0, consumed = 0;
    for (step = 0; step < 4000; step++) {
        SCOPED_TRACE(where());
        unsigned k = (unsigned)rng.below(100);
        if (k < 50) {
            smmu_pri_req_t q{};
            q.sid = 1 + (uint32_t)rng.below(4);
            q.addr = 0x1000 * (++seq & 0xFFFFFF);
            q.prgi = (uint16_t)(seq & 0x1FF);
            q.last = rng.pct(60);
            q.read = true;
            size_t resp_before = dev.pri.size();
            smmu_pri_status_t st = smmu_pri_request(smmu, &q);
            bool ovack = (cons & SMMU_Q_OVFLG) != 0;
            bool in_overflow = movflg != ovack;
            if (!in_overflow && !q_full(mprod, cons, L)) {
                ASSERT_EQ(st, SMMU_PRI_QUEUED);
                expect.push_back({q.addr, q.prgi, q.last});
                mprod = qinc(mprod, L);
                ASSERT_EQ(dev.pri.size(), resp_before);
            } else {
                if (!in_overflow) movflg = !movflg; // the condition becomes active
                discarded++;
                ASSERT_EQ(st, q.last ? SMMU_PRI_AUTO_RESP : SMMU_PRI_DISCARDED);
                ASSERT_EQ(dev.pri.size(), resp_before + (q.last ? 1 : 0));
                if (q.last) {
                    auto_resp++;
                    EXPECT_EQ(dev.pri.back().sid, q.sid);
                    EXPECT_EQ(dev.pri.back().grpid, q.prgi);
                }
            }
        } else if (k < 90) {
            uint32_t prod = r32(SMMU_PRIQ_PROD);
            unsigned avail = q_count(prod, cons, L), n = (unsigned)rng.below(avail + 1);
            for (unsigned i = 0; i < n; i++) {
                uint64_t at = PRIQ_PA + 16ull * (cons & ((1u << L) - 1));
                uint64_t dw[2] = {get64(at), get64(at + 8)};
                ASSERT_FALSE(expect.empty()) << "a record nobody produced";
                // Page address [127:76] (shifted by 12), PRGI [72:64], Last [62] (chapter 8).
                ASSERT_EQ(tenc::get(dw, 76, 52) << 12, expect.front().addr)
                    << "lost, reordered or duplicated";
                EXPECT_EQ(tenc::get(dw, 64, 9), expect.front().prgi);
                EXPECT_EQ(tenc::get(dw, 62, 1), expect.front().last);
                expect.pop_front();
                cons = (cons & SMMU_Q_OVFLG) | qinc(cons & ~SMMU_Q_OVFLG, L);
                consumed++;
            }
            if (rng.pct(40)) cons = (cons & ~SMMU_Q_OVFLG) | (prod & SMMU_Q_OVFLG);
            w32(SMMU_PRIQ_CONS, cons);
        }
        uint32_t prod = r32(SMMU_PRIQ_PROD);
        ASSERT_EQ(prod & ((2u << L) - 1), mprod) << "PROD index/wrap";
        ASSERT_EQ((prod & SMMU_Q_OVFLG) != 0, movflg) << "PROD.OVFLG";
        ASSERT_EQ(q_count(prod, cons, L), expect.size());
    }
    EXPECT_EQ(r32(SMMU_GERROR) ^ r32(SMMU_GERRORN), 0u);
    EXPECT_GT(discarded, 10u);
    EXPECT_GT(auto_resp, 5u);
    EXPECT_GT(consumed, 500u);
}

INSTANTIATE_TEST_SUITE_P(Inv, PriQueue, ::testing::Values(5ull, 0xBEEFull, 0x9E3779B9ull),
                         [](const ::testing::TestParamInfo<uint64_t> &i) {
                             return "Seed" + std::to_string(i.param);
                         });

// ---------------------------------------------------------------- command queue

class CommandQueue : public Queues {
  protected:
    void configure(smmu_params_t &p) override {
        p.defer_cmdq = true; // the test decides when the SMMU consumes (smmu_cmdq_run)
    }
};

TEST_P(CommandQueue, RandomInterleavingConsumesEachPublishedCommandOnceInOrder) {
    seed = GetParam();
    Rng rng(seed);
    enable();
    cmdq_log2 = 3; // 8 entries: the producer meets a full queue often
    set_cr0(SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN);
    w64(SMMU_CMDQ_BASE, tfx::CMDQ | cmdq_log2);
    w32(SMMU_CMDQ_PROD, 0);
    w32(SMMU_CMDQ_CONS, 0);
    set_cr0(SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN);
    const unsigned L = cmdq_log2;
    prod = 0;               // written entries (CmdqTest::push advances it)
    uint32_t published = 0; // last PROD value written to the register
    // What sits at each queue position since it was written: a SYNC's sequence number or -1.
    std::vector<long> slot_sync(1u << L, -1);
    std::vector<bool> slot_bad(1u << L, false);
    uint32_t seen_cons = 0;
    long next_sync = 0, next_done = 0; // SYNCs written / whose MSI was seen
    unsigned errors = 0, runs = 0;
    auto msi_at = [](long n) { return MSI_PA + 8ull * (uint64_t)n; };
    for (step = 0; step < 4000; step++) {
        SCOPED_TRACE(where());
        unsigned k = (unsigned)rng.below(100);
        uint32_t c = cons_rd();
        if (k < 35) { // producer writes commands into free slots (without publishing)
            for (unsigned n = 1 + (unsigned)rng.below(4); n; n--) {
                if (q_full(prod, seen_cons, L)) break;
                unsigned s = prod & ((1u << L) - 1);
                unsigned kind = (unsigned)rng.below(10);
                slot_bad[s] = false;
                slot_sync[s] = -1;
                if (kind < 5) {
                    slot_sync[s] = next_sync;
                    push(tenc::cmd_sync_msi(msi_at(next_sync), 0x80000000u | (uint32_t)next_sync));
                    next_sync++;
                } else if (kind < 9) {
                    push(rng.pct(50) ? tenc::prefetch_config(1) : tenc::tlbi_nh_all());
                } else { // an opcode the spec does not define (4.1.2): CERROR_ILL
                    slot_bad[s] = true;
                    tenc::Cmd bad(0x7E);
                    push(bad);
                }
            }
        } else if (k < 55) { // publish what was written
            publish();
            published = prod;
        } else if (k < 90) { // the SMMU consumes a few
            smmu_cmdq_run(smmu, 1 + (unsigned)rng.below(4));
            runs++;
        } else if (cmdq_err()) { // software fixes the faulty command and acknowledges (7.1)
            unsigned s = c & ((1u << L) - 1);
            ASSERT_TRUE(slot_bad[s]) << "stopped on a legal command";
            EXPECT_EQ(cerror(), SMMU_CERROR_ILL);
            put_cmd(c, tenc::prefetch_config(2));
            slot_bad[s] = false;
            ack(tfx::GERROR_CMDQ_ERR);
            errors++;
        }
        // CONS moves forward only over published commands; every SYNC it passed signalled
        // exactly once, in order; none beyond it did.
        c = cons_rd();
        ASSERT_LE(q_count(c, seen_cons, L), q_count(published, seen_cons, L)) << "CONS passed PROD";
        while (!q_empty(c, seen_cons, L)) {
            unsigned s = seen_cons & ((1u << L) - 1);
            ASSERT_FALSE(slot_bad[s]) << "an illegal command was consumed";
            if (slot_sync[s] >= 0) {
                ASSERT_EQ(slot_sync[s], next_done) << "SYNC out of order";
                ASSERT_EQ(smmu_mem_read64(mem, msi_at(next_done)) & 0xFFFFFFFF,
                          0x80000000u | (uint64_t)next_done)
                    << "SYNC consumed without its MSI";
                smmu_mem_write64(mem, msi_at(next_done), 0); // a second MSI would show again
                next_done++;
            }
            seen_cons = qinc(seen_cons, L);
        }
        for (long n = 0; n < next_sync; n++) {
            uint64_t v = smmu_mem_read64(mem, msi_at(n));
            ASSERT_EQ(v, 0u) << "SYNC " << n
                             << (n < next_done ? " signalled twice" : " signalled early");
        }
        if (cmdq_err()) {
            ASSERT_TRUE(slot_bad[c & ((1u << L) - 1)]);
        }
    }
    EXPECT_GT(next_done, 300);
    EXPECT_GT(errors, 5u);
    EXPECT_GT(runs, 500u);
}

INSTANTIATE_TEST_SUITE_P(Inv, CommandQueue, ::testing::Values(7ull, 0xC0DEull, 0x12345678ull),
                         [](const ::testing::TestParamInfo<uint64_t> &i) {
                             return "Seed" + std::to_string(i.param);
                         });

} // namespace
