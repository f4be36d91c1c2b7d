// SPDX-License-Identifier: Apache-2.0 OR MIT
// Trace points (<smmu/tracepoint.h>): what the core does reaches the host as typed records, each
// with the fields a reader needs, only for the kinds asked for, and nothing at all when off.
// Expected values come from the spec's structures as the tests build them (tenc), not from the
// core's own field macros.
#include <string>
#include <vector>

#include "cache_fixture.h"

using namespace tfx;
using tenc::Cd;
using tenc::Desc;
using tenc::Ste;

namespace {

struct seen {
    smmu_tp_t tp;
    smmu_txn_t txn{};     // XLATE: the transaction, copied (the record points to it)
    smmu_result_t res{};  // XLATE: the result
    uint64_t rec[4] = {}; // EVENT: the record words
    std::string text;     // smmu_tp_format()
};

class Tp : public CacheTest {
  protected:
    std::vector<seen> log;
    static void on_tp(void *ctx, const smmu_tp_t *tp) {
        auto *self = static_cast<Tp *>(static_cast<Ctx *>(ctx)->dev->user);
        seen e;
        e.tp = *tp;
        if (tp->kind == SMMU_TP_XLATE) {
            e.txn = *tp->u.xlate.txn;
            e.res = *tp->u.xlate.res;
        }
        if (tp->kind == SMMU_TP_EVENT && tp->u.event.rec)
            for (int i = 0; i < 4; i++)
                e.rec[i] = tp->u.event.rec[i];
        char b[320];
        const int n = smmu_tp_format(tp, b, sizeof b);
        EXPECT_GT(n, 0);
        e.text = b;
        self->log.push_back(e);
    }
    void trace(uint32_t mask = SMMU_TP_ALL) {
        dev.user = this;
        smmu_set_trace(smmu, &Tp::on_tp, mask);
        log.clear();
    }
    std::vector<seen> of(unsigned kind) const {
        std::vector<seen> v;
        for (const seen &e : log)
            if (e.tp.kind == kind) v.push_back(e);
        return v;
    }
};

// Off: no callback at all (the default without host->trace), whatever the core does.
TEST_F(Tp, NothingWhenOff) {
    dev.user = this;
    uint64_t root = s1_stream(1, 1);
    page(root, 0x40000000, 0x80000000);
    smmu_set_trace(smmu, &Tp::on_tp, 0);
    xlate(1, 0x40000000);
    cmds({tenc::tlbi_nh_all(0)});
    smmu_set_trace(smmu, nullptr, SMMU_TP_ALL);
    xlate(1, 0x40000000);
    EXPECT_TRUE(log.empty());
}

// 4.1.2 / 6.3.26-28: a consumed command is traced with its words, opcode and queue index; an
// illegal one with CERROR_ILL (4.1.3), followed by GERROR.CMDQ_ERR (6.3.17, 7.1).
TEST_F(Tp, CommandsWithWordsAndCerror_4_1) {
    trace();
    tenc::Cmd c = tenc::tlbi_nh_va(3, 9, 0x40001000);
    cmds({c});
    auto cmd = of(SMMU_TP_CMD);
    ASSERT_GE(cmd.size(), 2u); // the TLBI and the SYNC run_cmds adds
    EXPECT_EQ(cmd[0].tp.u.cmd.opcode, 0x12);
    EXPECT_EQ(cmd[0].tp.u.cmd.dw[0], c.dw[0]);
    EXPECT_EQ(cmd[0].tp.u.cmd.dw[1], c.dw[1]);
    EXPECT_EQ(cmd[0].tp.u.cmd.cerror, 0);
    EXPECT_EQ(cmd[1].tp.u.cmd.index, (cmd[0].tp.u.cmd.index + 1) % 256);
    EXPECT_NE(cmd[0].text.find("CMD_TLBI_NH_VA"), std::string::npos) << cmd[0].text;
    log.clear();
    tenc::Cmd bad(0x7F);
    run_cmds(smmu, mem, {bad}); // stops at the illegal command
    cmd = of(SMMU_TP_CMD);
    ASSERT_EQ(cmd.size(), 1u);
    EXPECT_EQ(cmd[0].tp.u.cmd.opcode, 0x7F);
    EXPECT_EQ(cmd[0].tp.u.cmd.cerror, 1); // CERROR_ILL
    auto g = of(SMMU_TP_GERROR);
    ASSERT_EQ(g.size(), 1u);
    EXPECT_EQ(g[0].tp.u.gerror.active, 1u); // GERROR.CMDQ_ERR, bit 0
    EXPECT_EQ(g[0].tp.u.gerror.cerror, 1u);
}

// 3.3.2, 5.2, D8.2: a miss fetches the STE at STRTAB_BASE + 64 * StreamID, the CD, and walks the
// four 4KB levels; the translation is traced with its result; the second one is a memo hit.
TEST_F(Tp, FetchesWalkStepsAndTranslation_3_3) {
    uint64_t root = s1_stream(5, 1);
    page(root, 0x40001000, 0x80002000);
    trace();
    smmu_result_t r = xlate(5, 0x40001234);
    ASSERT_EQ(r.status, SMMU_OK);
    auto ste = of(SMMU_TP_STE_FETCH);
    ASSERT_EQ(ste.size(), 1u);
    EXPECT_EQ(ste[0].tp.u.fetch.pa, STRTAB + 64 * 5);
    EXPECT_EQ(ste[0].tp.u.fetch.sid, 5u);
    EXPECT_EQ(of(SMMU_TP_CD_FETCH).size(), 1u);
    auto walk = of(SMMU_TP_WALK_STEP);
    ASSERT_EQ(walk.size(), 4u);
    for (unsigned l = 0; l < 4; l++) {
        EXPECT_EQ(walk[l].tp.u.walk.level, l);
        EXPECT_EQ(walk[l].tp.u.walk.stage, 1);
        EXPECT_EQ(walk[l].tp.u.walk.ia, 0x40001234u);
    }
    EXPECT_EQ(walk[0].tp.u.walk.pa, root + 8 * ((0x40001234ull >> 39) & 511));
    EXPECT_EQ(walk[3].tp.u.walk.desc & ~0xFFFull & 0x0000FFFFFFFFF000ull, 0x80002000u);
    auto x = of(SMMU_TP_XLATE);
    ASSERT_EQ(x.size(), 1u);
    EXPECT_EQ(x[0].txn.addr, 0x40001234u);
    EXPECT_EQ(x[0].res.pa, 0x80002234u);
    EXPECT_FALSE(x[0].tp.u.xlate.memo);
    EXPECT_GE(of(SMMU_TP_CACHE_FILL).size(), 3u); // STE, CD, TLB at least
    // The memo takes the page at its first reuse (a TLB hit of the full path, no walk) and
    // answers from the next one.
    for (bool memo : {false, true}) {
        log.clear();
        xlate(5, 0x40001238);
        x = of(SMMU_TP_XLATE);
        ASSERT_EQ(x.size(), 1u);
        EXPECT_EQ(x[0].tp.u.xlate.memo, memo) << "answered by the memo";
        EXPECT_TRUE(of(SMMU_TP_WALK_STEP).empty());
    }
}

// 7.3.12 / 7.2: a fault's event record is traced with its words as written; a disabled queue
// loses it (traced as lost); invalidations trace the lines they remove (4.4).
TEST_F(Tp, EventRecordsAndInvalidations_7_2) {
    uint64_t root = s1_stream(2, 1);
    page(root, 0x40000000, 0x80000000);
    xlate(2, 0x40000000); // TLB filled
    trace();
    smmu_result_t r = xlate(2, 0x50000000); // unmapped
    ASSERT_EQ(r.status, SMMU_FAULT);
    auto ev = of(SMMU_TP_EVENT);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_FALSE(ev[0].tp.u.event.lost);
    EXPECT_EQ(ev[0].tp.u.event.type, (uint32_t)SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(ev[0].rec[0] & 0xFF, (uint64_t)SMMU_EVT_F_TRANSLATION); // EVT type [7:0]
    EXPECT_EQ(ev[0].rec[0] >> 32, 2u);                                // StreamID [63:32]
    EXPECT_EQ(ev[0].rec[2], 0x50000000u);                             // InputAddr
    log.clear();
    cmds({tenc::tlbi_nh_all(0)});
    auto inv = of(SMMU_TP_CACHE_INVAL);
    ASSERT_FALSE(inv.empty());
    bool tlb = false;
    for (const seen &e : inv)
        tlb = tlb || e.tp.u.cache.cache == SMMU_CACHE_TLB;
    EXPECT_TRUE(tlb);
}

// The mask: only the kinds asked for are traced (a host that needs commands pays nothing for
// walk steps); register accesses are traced with their value.
TEST_F(Tp, OnlyTheKindsAskedFor) {
    uint64_t root = s1_stream(3, 1);
    page(root, 0x40000000, 0x80000000);
    trace(1u << SMMU_TP_CMD | 1u << SMMU_TP_REG_READ);
    xlate(3, 0x40000000);
    cmds({tenc::tlbi_nh_all(0)});
    const uint32_t idr0 = r32(SMMU_IDR0);
    for (const seen &e : log)
        EXPECT_TRUE(e.tp.kind == SMMU_TP_CMD || e.tp.kind == SMMU_TP_REG_READ) << e.text;
    EXPECT_FALSE(of(SMMU_TP_CMD).empty());
    auto rd = of(SMMU_TP_REG_READ);
    ASSERT_FALSE(rd.empty());
    EXPECT_EQ(rd.back().tp.u.reg.offset, (uint64_t)SMMU_IDR0);
    EXPECT_EQ(rd.back().tp.u.reg.value, idr0);
    EXPECT_EQ(rd.back().tp.u.reg.size, 4);
}

// Every kind has a name and a line of text; the line is cut to the buffer like snprintf.
TEST_F(Tp, EveryKindFormats) {
    for (unsigned k = 0; k < SMMU_TP_COUNT; k++)
        EXPECT_STRNE(smmu_tp_name(k), "?") << k;
    EXPECT_STREQ(smmu_tp_name(SMMU_TP_COUNT), "?");
    smmu_tp_t tp{};
    tp.kind = SMMU_TP_MSI;
    tp.u.msi.addr = 0x1000;
    tp.u.msi.data = 0xABCD;
    char small[8];
    const int n = smmu_tp_format(&tp, small, sizeof small);
    EXPECT_GT(n, 7);
    EXPECT_EQ(std::string(small).size(), 7u);
    EXPECT_STREQ(smmu_cmd_name(0x46), "CMD_SYNC");
    EXPECT_STREQ(smmu_cmd_name(0x7F), "UNKNOWN");
}

} // namespace
