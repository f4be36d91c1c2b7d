// SPDX-License-Identifier: Apache-2.0 OR MIT
// ATS (spec 3.9.1, 13.6, 13.7): Translation Completions for Translation Requests (success,
// Split-stage, each error answer), F_BAD_ATS_TREQ (7.3.6), CMD_ATC_INV round trips with their
// completion in CMD_SYNC (4.5.1, 3.9.1.4), and the device reports F_UUT (7.3.2) and
// E_PAGE_REQUEST (7.3.19).
#include "cmdq_fixture.h"
#include "tenc_pri.h"
#include "tpt.h"

using namespace tfx;
using namespace tenc;

namespace {

constexpr uint64_t VA = 0x40000000, PA = 0x80000000;
constexpr uint64_t MB2 = 2ull << 20;

class Ats : public PtTest {
  protected:
    uint64_t root = 0;
    void SetUp() override {
        PtTest::SetUp();
        enable();
        root = new_table(12);
    }
    void atschk(bool on) {
        uint32_t cr0 = r32(SMMU_CR0) & ~SMMU_CR0_ATSCHK;
        set_cr0(cr0 | (on ? SMMU_CR0_ATSCHK : 0u));
    }
    // Stage 1 stream sid with EATS and one CD (or 2^cdmax CDs all using root) at CDTAB.
    void s1(uint32_t sid, unsigned eats, unsigned cdmax = 0, Ste ste = Ste()) {
        for (unsigned i = 0; i < (1u << cdmax); i++)
            put_words(CDTAB + 64ull * i, Cd::s1(root).dw, 8);
        Ste st = Ste::s1(CDTAB, cdmax).eats(eats);
        for (int i = 0; i < 8; i++)
            st.dw[i] |= ste.dw[i];
        put_ste(sid, st.dw);
    }
    static smmu_ats_req_t req(uint32_t sid, uint64_t addr, bool nw = false) {
        smmu_ats_req_t q{};
        q.sid = sid;
        q.addr = addr;
        q.nw = nw;
        q.stus = 1;
        return q;
    }
    smmu_ats_resp_t ask(const smmu_ats_req_t &q) {
        smmu_ats_resp_t a{};
        smmu_ats_translate(smmu, &q, &a);
        return a;
    }
    void expect_no_access(const smmu_ats_resp_t &a, uint32_t event) {
        EXPECT_EQ(a.status, SMMU_ATS_SC);
        EXPECT_FALSE(a.r);
        EXPECT_FALSE(a.w);
        EXPECT_FALSE(a.exe);
        EXPECT_EQ(a.size, 0x1000u); // the STU
        EXPECT_EQ(a.event, event);
        EXPECT_TRUE(events().empty());
    }
    void expect_ca(const smmu_ats_resp_t &a, uint32_t event) {
        EXPECT_EQ(a.status, SMMU_ATS_CA);
        EXPECT_EQ(a.event, event);
        EXPECT_FALSE(a.recorded);
        EXPECT_TRUE(events().empty());
    }
    // 7.3.6: one F_BAD_ATS_TREQ record, compared with its full encoding.
    void expect_bad_treq(uint32_t sid, bool ssv, uint32_t ssid, uint64_t addr, unsigned span,
                         bool w, bool x, bool priv) {
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u);
        uint64_t want[4] = {};
        put(want, 0, 8, 0x05);
        put(want, 11, 1, ssv);
        put(want, 12, 20, ssv ? ssid : 0);
        put(want, 32, 32, sid);
        put(want, EVT_SPAN_LSB, EVT_SPAN_W, span);
        put(want, EVT_TREQ_R, 1, 1); // R is always requested
        put(want, EVT_TREQ_W, 1, w);
        put(want, EVT_TREQ_X, 1, x);
        put(want, EVT_TREQ_PRIV, 1, priv);
        put(want, 140, 52, addr >> 12); // InputAddr[63:12]
        for (int i = 0; i < 4; i++)
            EXPECT_EQ(ev[0][i], want[i]) << "dword " << i;
    }
};

// 3.9.1, 13.7 (NW == 0, page RW at EL0): Success with the PA of the page, R == W == 1, the STU
// as size; no event.
TEST_F(Ats, RequestSuccessGrantsPagePermissions) {
    map4k(root, VA, PA);
    s1(1, 1);
    auto a = ask(req(1, VA + 0x123));
    EXPECT_EQ(a.status, SMMU_ATS_SC);
    EXPECT_EQ(a.addr, PA);
    EXPECT_EQ(a.size, 0x1000u);
    EXPECT_TRUE(a.r);
    EXPECT_TRUE(a.w);
    EXPECT_FALSE(a.exe);
    EXPECT_FALSE(a.priv);
    EXPECT_FALSE(a.u);
    EXPECT_FALSE(a.global);
    EXPECT_TRUE(events().empty());
}

// 13.7 (NW == 0 on a read-only page): R == 1, W == 0.
TEST_F(Ats, ReadOnlyPageGrantsReadOnly) {
    map4k(root, VA, PA, Desc().ap(3)); // RO at both levels
    s1(1, 1);
    auto a = ask(req(1, VA));
    EXPECT_EQ(a.status, SMMU_ATS_SC);
    EXPECT_TRUE(a.r);
    EXPECT_FALSE(a.w);
}

// 13.6.3: the largest translation that holds: a 2MB block gives a 2MB completion, aligned.
TEST_F(Ats, BlockMappingReturnsBlockSize) {
    map(root, 12, 0, VA, Desc::block(PA).ap(1), 2);
    s1(1, 1);
    auto a = ask(req(1, VA + 0x12345));
    EXPECT_EQ(a.status, SMMU_ATS_SC);
    EXPECT_EQ(a.size, MB2);
    EXPECT_EQ(a.addr, PA);
}

// 13.7.1: with a PASID, Exe is granted when requested and the page is executable at the
// requested privilege; never when not requested; Priv is echoed.
TEST_F(Ats, ExecGrantedOnlyWhenRequestedAndExecutable) {
    map4k(root, VA, PA);                               // EL0 RW, executable
    map4k(root, VA + 0x1000, PA, Desc().ap(1).uxn(1)); // EL0 RW, not executable
    s1(1, 1, 1);
    smmu_ats_req_t q = req(1, VA);
    q.ssv = true;
    q.ssid = 1;
    q.exec = true;
    auto a = ask(q);
    EXPECT_EQ(a.status, SMMU_ATS_SC);
    EXPECT_TRUE(a.exe);
    EXPECT_TRUE(a.r);
    q.addr = VA + 0x1000;
    a = ask(q);
    EXPECT_FALSE(a.exe);
    EXPECT_TRUE(a.r);
    q.addr = VA;
    q.exec = false;
    q.priv = true;
    a = ask(q);
    EXPECT_FALSE(a.exe);
    EXPECT_TRUE(a.priv);
}

// 13.7.1: without a PASID, Exe and Priv are not requested and not granted.
TEST_F(Ats, NoPasidRequestHasNoExeOrPriv) {
    map4k(root, VA, PA);
    s1(1, 1);
    smmu_ats_req_t q = req(1, VA);
    q.exec = q.priv = true;
    auto a = ask(q);
    EXPECT_EQ(a.status, SMMU_ATS_SC);
    EXPECT_FALSE(a.exe);
    EXPECT_FALSE(a.priv);
}

// 13.7.1: permissions are those of the effective privilege (PRIVCFG), Priv is the request's.
TEST_F(Ats, PrivcfgSelectsPermissionsPrivIsEchoed) {
    map4k(root, VA, PA, Desc().ap(0).uxn(true)); // EL1 RW, EL0 no access at all
    s1(1, 1);
    auto a = ask(req(1, VA)); // unprivileged: nothing -> R == W == 0, no event
    expect_no_access(a, SMMU_EVT_F_PERMISSION);
    s1(1, 1, 0, Ste().privcfg(3));
    a = ask(req(1, VA));
    EXPECT_TRUE(a.r);
    EXPECT_TRUE(a.w);
    EXPECT_FALSE(a.priv);
}

// 13.7.1: an execute-only translation grants nothing to ATS, unless INSTCFG == Instruction,
// which makes R follow X.
TEST_F(Ats, ExecuteOnlyPageNeedsInstcfgInstruction) {
    map4k(root, VA, PA, Desc().ap(0)); // EL0: no data access, executable (UXN == 0)
    s1(1, 1);
    expect_no_access(ask(req(1, VA)), 0); // a translation, but nothing ATS can use
    s1(1, 1, 0, Ste().instcfg(3));
    auto a = ask(req(1, VA));
    EXPECT_EQ(a.status, SMMU_ATS_SC);
    EXPECT_TRUE(a.r);
    EXPECT_FALSE(a.w);
    EXPECT_FALSE(a.exe); // not requested (no PASID)
}

// 3.9.1.2: Translation, Access and Address Size faults answer Success with R == W == 0, record
// nothing and never stall (CD.S = 1 here).
TEST_F(Ats, TranslationFaultsAnswerNoAccessWithoutEvent) {
    map(root, 12, 0, VA + 0x1000, Desc::page(PA).ap(1).af(false));
    put_words(CDTAB, Cd::s1(root).s(true).dw, 8);
    put_ste(1, Ste::s1(CDTAB).eats(1).dw);
    expect_no_access(ask(req(1, VA)), SMMU_EVT_F_TRANSLATION);
    expect_no_access(ask(req(1, VA + 0x1000)), SMMU_EVT_F_ACCESS);
    expect_no_access(ask(req(1, 1ull << 50)), SMMU_EVT_F_TRANSLATION); // beyond T0SZ 16
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
}

// AMBA PRI flow (IHI 0022 A13.6.4; smmu_txn_t.pri) on a stream with ATS enabled (EATS 0b01):
// a translation fault and an Access flag fault of an ordinary read or write are what an ATS
// Translation Request answers with no access (3.9.1.2): the transaction is terminated
// (TRANSFAULT), nothing is recorded and nothing stalls, though CD.S = 1 and CD.R = 1.
TEST_F(Ats, PriFlowTranslationFaultIsTransfaultWithoutEventOrStall_A13_6_4) {
    map(root, 12, 0, VA + 0x1000, Desc::page(PA).ap(1).af(false));
    put_words(CDTAB, Cd::s1(root).s(true).r(true).dw, 8);
    put_ste(1, Ste::s1(CDTAB).eats(1).dw);
    for (uint64_t addr : {VA, VA + 0x1000}) {
        for (bool write : {false, true}) {
            smmu_txn_t t = txn_of(1, addr, write);
            t.pri = true;
            smmu_result_t r{};
            smmu_translate(smmu, &t, &r);
            EXPECT_EQ(r.status, SMMU_FAULT);
            EXPECT_TRUE(r.abort);
            EXPECT_TRUE(r.transfault);
            EXPECT_FALSE(r.recorded);
            EXPECT_EQ(r.event,
                      addr == VA ? (uint32_t)SMMU_EVT_F_TRANSLATION : (uint32_t)SMMU_EVT_F_ACCESS);
        }
    }
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
    // the same fault outside the PRI flow stalls (CD.S = 1): TRANSFAULT is the flow's answer
    smmu_txn_t t = txn_of(1, VA);
    smmu_result_t r{};
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_STALLED);
    EXPECT_FALSE(r.transfault);
}

// A13.6.4: "might still be terminated ... with an SLVERR, if the translation failed for a reason
// which cannot be resolved by a PRI request, for example because the SMMU is incorrectly
// configured": a configuration error (C_BAD_SUBSTREAMID, 7.3.9) of a PRI-flow transaction is
// no TRANSFAULT and is recorded as usual. And where software has not enabled ATS (EATS 0b00,
// 3.9.1), the PRI flow is the NoStall flow: the stalling CD's fault is terminated and recorded
// with Stall == 0 (3.12), no TRANSFAULT.
TEST_F(Ats, PriFlowWithoutAtsOrWithConfigErrorIsNoTransfault_A13_6_4) {
    put_words(CDTAB, Cd::s1(root).s(true).r(true).dw, 8);
    put_ste(1, Ste::s1(CDTAB).eats(1).dw);
    smmu_txn_t t = txn_of(1, VA);
    t.pri = true;
    t.ssv = true;
    t.ssid = 1; // S1CDMax 0: no SubstreamIDs
    smmu_result_t r{};
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_FALSE(r.transfault);
    EXPECT_TRUE(r.recorded);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), (uint64_t)SMMU_EVT_C_BAD_SUBSTREAMID);

    put_ste(2, Ste::s1(CDTAB).eats(0).dw);
    t = txn_of(2, VA);
    t.pri = true;
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_FALSE(r.transfault);
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
    ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), (uint64_t)SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(evt_stall(ev[0]), 0u);
}

// 3.9.1.2, 7.3.6: effective EATS == 0b00 -> UR and F_BAD_ATS_TREQ with the requested
// permissions before overrides, the Span and InputAddr[63:12].
TEST_F(Ats, EatsZeroIsUrWithBadAtsTreqByteExact) {
    map4k(root, VA, PA);
    s1(7, 0, 2, Ste().privcfg(2)); // the override must not show in the record
    smmu_ats_req_t q = req(7, 0xFFFF0000ABCDE123ull);
    q.ssv = true;
    q.ssid = 3;
    q.exec = true;
    q.priv = true;
    q.stus = 4;
    auto a = ask(q);
    EXPECT_EQ(a.status, SMMU_ATS_UR);
    EXPECT_EQ(a.event, (uint32_t)SMMU_EVT_F_BAD_ATS_TREQ);
    EXPECT_TRUE(a.recorded);
    expect_bad_treq(7, true, 3, 0xFFFF0000ABCDE123ull, 4, true, true, true);
}

// 7.3.6: a read-only request (NW == 1) without PASID: W, X, Priv are 0, SSV is 0.
TEST_F(Ats, BadAtsTreqReadOnlyRequestWithoutPasid) {
    s1(2, 0);
    smmu_ats_req_t q = req(2, 0x5000, true);
    q.stus = 0; // counts as 1
    EXPECT_EQ(ask(q).status, SMMU_ATS_UR);
    expect_bad_treq(2, false, 0, 0x5000, 1, false, false, false);
}

// 3.9.1.2: STE.Config == 0b100 (bypass) -> UR + F_BAD_ATS_TREQ; Config == 0b000 -> UR, no event.
TEST_F(Ats, StreamBypassIsUrWithEventAbortIsUrWithout) {
    put_ste(1, Ste::bypass().eats(1).dw);
    EXPECT_EQ(ask(req(1, 0x1000)).status, SMMU_ATS_UR);
    expect_bad_treq(1, false, 0, 0x1000, 1, true, false, false);
    put_ste(2, Ste::abort().dw);
    auto a = ask(req(2, 0x1000));
    EXPECT_EQ(a.status, SMMU_ATS_UR);
    EXPECT_FALSE(a.recorded);
    EXPECT_TRUE(events().empty());
}

// 3.9.1.2: SMMUEN == 0 and Secure StreamIDs -> UR + F_BAD_ATS_TREQ (before any STE lookup).
TEST_F(Ats, SmmuDisabledAndSecureAreUrWithBadAtsTreq) {
    smmu_ats_req_t q = req(300, 0x2000); // beyond the stream table: not looked up
    q.secure = true;
    EXPECT_EQ(ask(q).status, SMMU_ATS_UR);
    expect_bad_treq(300, false, 0, 0x2000, 1, true, false, false);
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    EXPECT_EQ(ask(req(300, 0x3000)).status, SMMU_ATS_UR);
    expect_bad_treq(300, false, 0, 0x3000, 1, true, false, false);
}

// 3.9.1.2: configuration errors answer CA and record nothing (REC_CFG_ATS not implemented):
// C_BAD_STREAMID, C_BAD_STE, F_STE_FETCH, C_BAD_SUBSTREAMID, F_STREAM_DISABLED, C_BAD_CD.
TEST_F(Ats, ConfigurationErrorsAreCompleterAbortWithoutEvent) {
    cr2 = 1u << 1; // RECINVSID: an ordinary transaction would record C_BAD_STREAMID
    enable();
    expect_ca(ask(req(1u << 20, 0)), SMMU_EVT_C_BAD_STREAMID);
    put_ste(1, Ste().dw); // V == 0
    expect_ca(ask(req(1, 0)), SMMU_EVT_C_BAD_STE);
    ASSERT_EQ(smmu_mem_add_abort(mem, STRTAB + 64 * 2, 64), 0);
    expect_ca(ask(req(2, 0)), SMMU_EVT_F_STE_FETCH);
    s1(3, 1, 1); // two CDs; S1DSS == 0b00
    smmu_ats_req_t q = req(3, VA);
    q.ssv = true;
    q.ssid = 2; // >= 2^S1CDMax
    expect_ca(ask(q), SMMU_EVT_C_BAD_SUBSTREAMID);
    expect_ca(ask(req(3, VA)), SMMU_EVT_F_STREAM_DISABLED);
    put_words(CDTAB + 64, Cd().dw, 8); // CD 1: V == 0
    q.ssid = 1;
    expect_ca(ask(q), SMMU_EVT_C_BAD_CD);
}

// 13.6.4: a request without PASID on a stage-1-only stream with S1DSS == 0b01 skips stage 1:
// Success, identity, R == W == 1, U == 0.
TEST_F(Ats, Stage1SkippedIsIdentityReadWrite) {
    s1(1, 1, 2, Ste().s1dss(1));
    auto a = ask(req(1, 0x12345678));
    EXPECT_EQ(a.status, SMMU_ATS_SC);
    EXPECT_EQ(a.addr, 0x12345000u);
    EXPECT_TRUE(a.r);
    EXPECT_TRUE(a.w);
    EXPECT_FALSE(a.u);
}

// A nested stream: stage 1 VA -> IPA through root, stage 2 (4KB, 39-bit IPA) identity for the
// CD and the stage-1 tables, IPA -> PA for the data page with the given S2AP.
class AtsNested : public Ats {
  protected:
    uint64_t s2root = 0;
    static constexpr uint64_t IPA = 0x50000000;
    // VA -> IPA (mapped at stage 2 with s2ap, xn); VA + 0x1000 -> an IPA stage 2 does not map.
    void build(unsigned eats, unsigned s2ap, bool xn = false) {
        s2root = new_table(12);
        map4k(root, VA, IPA);
        map4k(root, VA + 0x1000, IPA + 0x100000);
        put_words(CDTAB, Cd::s1(root).dw, 8);
        auto s2map = [&](uint64_t ipa, uint64_t pa, unsigned ap) {
            map(s2root, 12, 1, ipa, Desc::page(pa).s2ap(ap).memattr(0xF).sh(3));
        };
        s2map(CDTAB, CDTAB, 3);
        for (uint64_t t = TABLES; t < next_table; t += 0x1000) // every stage-1 table page
            if (t != s2root) s2map(t, t, 3);
        map(s2root, 12, 1, IPA, Desc::page(PA).s2ap(s2ap).xn(xn).memattr(0xF).sh(3));
        put_ste(1, Ste::s2(s2root, 0, 25, 1).config(CFG_NESTED).s1ctxptr(CDTAB).eats(eats).dw);
    }
};

// 13.6.3 Split-stage (EATS == 0b10, ATSCHK == 1): the completion carries the IPA; permissions
// combine both stages (stage 2 read-only -> W == 0).
TEST_F(AtsNested, SplitStageReturnsIpaWithBothStagesPermissions) {
    atschk(true);
    build(2, 1); // S2AP 0b01: read-only
    auto a = ask(req(1, VA + 0x10));
    EXPECT_EQ(a.status, SMMU_ATS_SC) << a.event;
    EXPECT_EQ(a.addr, IPA);
    EXPECT_TRUE(a.r);
    EXPECT_FALSE(a.w);
}

// 13.6.3: Full ATS (EATS == 0b01) on the same nested stream returns the PA.
TEST_F(AtsNested, FullAtsReturnsPa) {
    build(1, 3);
    auto a = ask(req(1, VA));
    EXPECT_EQ(a.status, SMMU_ATS_SC) << a.event;
    EXPECT_EQ(a.addr, PA);
    EXPECT_TRUE(a.w);
}

// 3.9.2: with ATSCHK == 0, EATS == 0b10 behaves as 0b00: UR + F_BAD_ATS_TREQ.
TEST_F(AtsNested, SplitStageWithoutAtschkIsUr) {
    build(2, 3);
    EXPECT_EQ(ask(req(1, VA)).status, SMMU_ATS_UR);
    expect_bad_treq(1, false, 0, VA, 1, true, false, false);
}

// 3.9.1.2: stage-2 faults (a permission fault: S2AP 0b00 and XN; the output IPA unmapped)
// answer Success with R == W == 0 and no event.
TEST_F(AtsNested, Stage2FaultsAnswerNoAccess) {
    build(1, 0, true);
    expect_no_access(ask(req(1, VA)), SMMU_EVT_F_PERMISSION);
    expect_no_access(ask(req(1, VA + 0x1000)), SMMU_EVT_F_TRANSLATION);
}

// 13.7: stage 2 execute-only (S2AP 0b00, XN 0) gives ATS nothing, without a fault.
TEST_F(AtsNested, Stage2ExecuteOnlyGrantsNothing) {
    build(1, 0);
    expect_no_access(ask(req(1, VA)), 0);
}

// The cost a timing model sees: a Translation Request through smmu_translate() reports the
// structure and descriptor reads it made (cold: STE, CD and a 4-level 4 KB walk, Arm ARM D8.2)
// in mem_reads, as every other translation does.
TEST_F(Ats, TranslationRequestResultCountsItsReads) {
    map4k(root, VA, PA, Desc().ap(3));
    s1(1, 1);
    smmu_txn_t t{};
    t.sid = 1;
    t.addr = VA;
    t.len = 4;
    t.ats = SMMU_ATS_REQUEST;
    smmu_stats_t a, b;
    smmu_get_stats(smmu, &a);
    smmu_result_t r{};
    smmu_translate(smmu, &t, &r);
    smmu_get_stats(smmu, &b);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_GE(r.mem_reads, 6u); // STE, CD, 4 descriptors
    EXPECT_EQ(r.mem_reads, (b.walk_reads - a.walk_reads) + (b.cfg_reads - a.cfg_reads));
}

// smmu_translate() with SMMU_ATS_REQUEST gives the same answer as a result: OK with the PA when
// the access is granted, RAZ/WI-style fault (abort == false) for R == W == 0, abort for UR.
TEST_F(Ats, TranslateWithAtsRequestMatchesCompletion) {
    map4k(root, VA, PA, Desc().ap(3));
    s1(1, 1);
    smmu_txn_t t{};
    t.sid = 1;
    t.addr = VA + 0x44;
    t.len = 4;
    t.ats = SMMU_ATS_REQUEST;
    smmu_result_t r{};
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, PA + 0x44);
    EXPECT_EQ(r.perm, SMMU_PERM_R);
    t.write = true; // not granted
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_FALSE(r.abort);
    t.addr = VA + 0x100000;
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_FALSE(r.abort);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_TRANSLATION);
    s1(1, 0);
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_BAD_ATS_TREQ);
    EXPECT_TRUE(r.recorded);
    EXPECT_EQ(events().size(), 1u);
}

// 3.9.1: the STU is the smallest implemented granule.
class AtsStu64k : public Ats {
    void configure(smmu_params_t &p) override {
        p.gran4k = p.gran16k = false;
    }
};
TEST_F(AtsStu64k, StuIsSmallestGranule) {
    EXPECT_EQ(smmu_ats_stu(smmu), 0x10000u);
    put_ste(1, Ste::abort().dw);
    EXPECT_EQ(ask(req(1, 0)).size, 0x10000u);
}

// ---------------------------------------------------------------- ATC invalidation (4.5.1)

class AtcInv : public CmdqTest {
  protected:
    void SetUp() override {
        CmdqTest::SetUp();
        enable();
    }
};

// 4.5.1 note: TLBI, SYNC, ATC_INV, SYNC: the device sees the invalidation, and the second SYNC
// completes only after it (CONS passes it with no error).
TEST_F(AtcInv, RoundTripCompletesInSync) {
    issue(tlbi_nh_va(1, 2, 0x40000000));
    issue(cmd_sync());
    issue(atc_inv(5, 0x40000000, 0).ssv(true).ssid(2));
    EXPECT_EQ(dev.atc.size(), 1u);
    issue(cmd_sync(CS_IRQ));
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 1);
    ASSERT_EQ(dev.atc.size(), 1u);
    EXPECT_EQ(dev.atc[0].sid, 5u);
    EXPECT_EQ(dev.atc[0].ssid, 2u);
    EXPECT_TRUE(dev.atc[0].ssv);
    EXPECT_EQ(dev.atc[0].addr, 0x40000000u);
    EXPECT_EQ(dev.atc[0].size, 0u);
}

// 3.9.1.4, 7.1: a failed ATC invalidation stops the next CMD_SYNC with CERROR_ATC_INV_SYNC; the
// commands after it wait; no CMD_SYNC interrupt; after acknowledgement the queue goes on, and a
// later successful round trip completes normally.
TEST_F(AtcInv, FailureStopsSyncUntilAcknowledged) {
    dev.atc_result = 1;
    issue(atc_inv(5, 0, 52));
    uint32_t at = prod;
    push(cmd_sync(CS_IRQ));
    push(atc_inv(6, 0x1000, 0));
    publish();
    expect_stopped_at(at, SMMU_CERROR_ATC_INV_SYNC);
    EXPECT_EQ(dev.atc.size(), 1u); // the ATC_INV after the SYNC is not consumed
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 0);
    dev.atc_result = 0;
    ack(GERROR_CMDQ_ERR);
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 1);
    ASSERT_EQ(dev.atc.size(), 2u);
    EXPECT_EQ(dev.atc[1].sid, 6u);
    issue(cmd_sync());
    EXPECT_TRUE(drained());
}

// 4.5.1: IGNORED while SMMUEN == 0; Global is IGNORED when SSV == 0; Size 52 is everything.
TEST_F(AtcInv, IgnoredWhileDisabledGlobalNeedsSsv) {
    issue(atc_inv(3, 0, 52).global(true));
    ASSERT_EQ(dev.atc.size(), 1u);
    EXPECT_FALSE(dev.atc[0].global);
    EXPECT_EQ(dev.atc[0].size, 52u);
    issue(atc_inv(3, 0, 0).global(true).ssv(true).ssid(1));
    ASSERT_EQ(dev.atc.size(), 2u);
    EXPECT_TRUE(dev.atc[1].global);
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    issue(atc_inv(3, 0, 0));
    issue(cmd_sync());
    EXPECT_TRUE(drained());
    EXPECT_EQ(dev.atc.size(), 2u);
}

// ---------------------------------------------------------------- device reports

class Reports : public CmdqTest {
  protected:
    void SetUp() override {
        CmdqTest::SetUp();
        enable();
    }
};

// 7.3.2: F_UUT with SSV/SubstreamID, StreamID, the incoming RnW/InD/PnU (not the STE overrides)
// and InputAddr; Reason 0; everything else zero. The transaction aborts.
TEST_F(Reports, UutByteExact) {
    put_ste(4, Ste::bypass().privcfg(2).instcfg(2).dw);
    smmu_txn_t t{};
    t.sid = 4;
    t.ssv = true;
    t.ssid = 0xABCDE;
    t.addr = 0x123456789ABCDEF0ull;
    t.priv = true;
    t.exec = true;
    smmu_result_t r{};
    smmu_report_uut(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_UUT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    uint64_t want[4] = {};
    put(want, 0, 8, 0x01);
    put(want, 11, 1, 1);
    put(want, 12, 20, 0xABCDE);
    put(want, 32, 32, 4);
    put(want, 97, 1, 1); // PnU
    put(want, 98, 1, 1); // InD
    put(want, 99, 1, 1); // RnW
    want[2] = 0x123456789ABCDEF0ull;
    for (int i = 0; i < 4; i++)
        EXPECT_EQ(ev[0][i], want[i]) << "dword " << i;
}

// 7.3.2: permitted with SMMUEN == 0 (recorded); 3.9.1.3: a Translated transaction is aborted
// without an event; a write has InD == 0.
TEST_F(Reports, UutWhenDisabledRecordedTranslatedNot) {
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    smmu_txn_t t{};
    t.sid = 1;
    t.write = true;
    t.exec = true;
    t.addr = 0x1000;
    smmu_result_t r{};
    smmu_report_uut(smmu, &t, &r);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 1u);
    EXPECT_EQ(evt_rnw(ev[0]), 0u);
    EXPECT_EQ(evt_ind(ev[0]), 0u);
    t.ats = SMMU_ATS_TRANSLATED;
    smmu_report_uut(smmu, &t, &r);
    EXPECT_TRUE(r.abort);
    EXPECT_FALSE(r.recorded);
    EXPECT_TRUE(events().empty());
}

// 7.3.19: E_PAGE_REQUEST: InputAddr[63:12], Span, pR/pW/pX/uR/uW/uX.
TEST_F(Reports, PageRequestHintByteExact) {
    smmu_page_hint_t h{};
    h.sid = 9;
    h.ssv = true;
    h.ssid = 3;
    h.addr = 0x7654321ABCull;
    h.span = 16;
    h.pr = h.px = true;
    h.uw = true;
    smmu_page_hint(smmu, &h);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    uint64_t want[4] = {};
    put(want, 0, 8, 0x24);
    put(want, 11, 1, 1);
    put(want, 12, 20, 3);
    put(want, 32, 32, 9);
    put(want, EVT_SPAN_LSB, EVT_SPAN_W, 16);
    put(want, EVT_PG_PR, 1, 1);
    put(want, EVT_PG_PX, 1, 1);
    put(want, EVT_PG_UW, 1, 1);
    put(want, 140, 52, 0x7654321ABCull >> 12);
    for (int i = 0; i < 4; i++)
        EXPECT_EQ(ev[0][i], want[i]) << "dword " << i;
}

} // namespace

namespace {

// 3.9.1.3: an ATS Translated transaction while SMMUEN == 0 is aborted with F_TRANSL_FORBIDDEN
// (StreamID, RnW, InputAddr), not bypassed through GBPA; a Secure one is aborted too.
TEST_F(Reports, TranslatedWhileDisabledIsForbidden) {
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    smmu_txn_t t{};
    t.sid = 6;
    t.addr = 0x4321000;
    t.len = 4;
    t.ats = SMMU_ATS_TRANSLATED;
    smmu_result_t r{};
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_TRANSL_FORBIDDEN);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    uint64_t want[4] = {};
    put(want, 0, 8, 0x07);
    put(want, 32, 32, 6);
    put(want, 99, 1, 1); // RnW
    want[2] = 0x4321000;
    for (int i = 0; i < 4; i++)
        EXPECT_EQ(ev[0][i], want[i]) << "dword " << i;
    t.ats = SMMU_ATS_NONE; // ordinary traffic still follows GBPA (bypass)
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_OK);
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    t.ats = SMMU_ATS_TRANSLATED;
    t.secure = true;
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_TRANSL_FORBIDDEN);
}

} // namespace
