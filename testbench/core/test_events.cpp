// SPDX-License-Identifier: Apache-2.0 OR MIT
// Event records of the configuration-class events, byte for byte against the record layouts
// of spec 7.3 (the expected words are written out here from the layouts, not from the encoder).
// Translation-class records are checked byte-exact in test_walk_*.cpp / test_nested_walk.cpp.
#include "tpt.h"

using namespace tfx;
using tenc::Cd;
using tenc::Ste;

namespace {

class Events : public PtTest {
  protected:
    void SetUp() override {
        PtTest::SetUp();
        enable();
    }
    // The single record in the queue, as four 64-bit words.
    std::vector<uint64_t> only_record() {
        auto ev = events();
        EXPECT_EQ(ev.size(), 1u);
        return ev.empty() ? std::vector<uint64_t>(4, ~0ull) : ev[0];
    }
    static uint64_t dw0(uint64_t type, uint64_t sid, bool ssv = false, uint64_t ssid = 0) {
        return type | (uint64_t)ssv << 11 | ssid << 12 | sid << 32;
    }
};

// 7.3.9: [7:0] 0x08, [31:12] SubstreamID, [63:32] StreamID; no SSV bit, everything else RES0.
TEST_F(Events, BadSubstreamIdRecordIsByteExact) {
    put_ste(0x42, Ste::s1(CDTAB, 2).dw);
    xlate(0x42, 0x1000, false, false, false, true, 0xABCDE & 0xFFFFF);
    auto r = only_record();
    EXPECT_EQ(r[0], dw0(0x08, 0x42, false, 0xABCDE));
    EXPECT_EQ(r[1], 0u);
    EXPECT_EQ(r[2], 0u);
    EXPECT_EQ(r[3], 0u);
}

// 7.3.7: [7:0] 0x06, [63:32] StreamID, everything else RES0.
TEST_F(Events, StreamDisabledRecordIsByteExact) {
    put_ste(0x17, Ste::s1(CDTAB, 3).s1dss(0).dw);
    xlate(0x17, 0x1234, true);
    auto r = only_record();
    EXPECT_EQ(r[0], dw0(0x06, 0x17));
    EXPECT_EQ(r[1], 0u);
    EXPECT_EQ(r[2], 0u);
    EXPECT_EQ(r[3], 0u);
}

// 7.3.11: [7:0] 0x0A, [11] SSV, [31:12] SubstreamID, [63:32] StreamID, everything else RES0.
TEST_F(Events, BadCdRecordIsByteExact) {
    put_ste(0x99, Ste::s1(CDTAB, 4).dw);
    put_words(CDTAB + 64 * 5, Cd::s1(TABLES).valid(false).dw, 8);
    xlate(0x99, 0x1000, false, false, false, true, 5);
    auto r = only_record();
    EXPECT_EQ(r[0], dw0(0x0A, 0x99, true, 5));
    EXPECT_EQ(r[1], 0u);
    EXPECT_EQ(r[2], 0u);
    EXPECT_EQ(r[3], 0u);
}

// 7.3.10: [7:0] 0x09, SSV, SubstreamID, StreamID, FetchAddr in [255:195] (address [55:3]).
TEST_F(Events, CdFetchRecordIsByteExact) {
    put_ste(0x5, Ste::s1(CDTAB, 4).dw);
    smmu_mem_add_abort(mem, CDTAB + 64 * 3, 64);
    xlate(0x5, 0x1000, false, false, false, true, 3);
    auto r = only_record();
    EXPECT_EQ(r[0], dw0(0x09, 0x5, true, 3));
    EXPECT_EQ(r[1], 0u);
    EXPECT_EQ(r[2], 0u);
    EXPECT_EQ(r[3], CDTAB + 64 * 3);
}

// 7.3.8: [7:0] 0x07, StreamID, RnW [99], InputAddr [191:128]; an ATS Translated transaction
// on a stream that does not allow ATS, with CR0.ATSCHK = 1 (3.9.1, 6.3.9.2).
TEST_F(Events, TranslForbiddenRecordIsByteExact) {
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN | SMMU_CR0_ATSCHK);
    put_ste(0x3, Ste::s1(CDTAB).eats(0).dw);
    smmu_txn_t t{};
    t.sid = 3;
    t.addr = 0x87654000;
    t.len = 8;
    t.ats = SMMU_ATS_TRANSLATED;
    smmu_result_t res{};
    smmu_translate(smmu, &t, &res);
    EXPECT_EQ(res.status, SMMU_FAULT);
    EXPECT_TRUE(res.abort);
    auto r = only_record();
    EXPECT_EQ(r[0], dw0(0x07, 0x3));
    EXPECT_EQ(r[1], 1ull << (99 - 64)); // RnW = 1: a read
    EXPECT_EQ(r[2], 0x87654000u);
    EXPECT_EQ(r[3], 0u);
}

// ATS Translated traffic with ATSCHK = 0 bypasses without a stream table lookup (6.3.9.2).
TEST_F(Events, AtsTranslatedBypassesWithoutAtschk) {
    smmu_txn_t t{};
    t.sid = 200; // no valid STE there
    t.addr = 0x4000;
    t.len = 4;
    t.ats = SMMU_ATS_TRANSLATED;
    smmu_result_t res{};
    smmu_translate(smmu, &t, &res);
    EXPECT_EQ(res.status, SMMU_OK);
    EXPECT_EQ(res.pa, 0x4000u);
    EXPECT_TRUE(events().empty());
}

// 7.3.14 for full bypass: F_ADDR_SIZE at stage 1, CLASS IN, InputAddr; RnW/PnU/InD from the
// transaction (a privileged write here: RnW = 0, PnU = 1).
TEST_F(Events, BypassAddrSizeRecordIsByteExact) {
    params.oas_bits = 48; // the expectations below are those of a 48-bit OAS
    create();
    enable();
    put_ste(0x21, Ste::bypass().dw);
    xlate(0x21, 1ull << 49, true, true);
    auto r = only_record();
    EXPECT_EQ(r[0], dw0(0x11, 0x21));
    EXPECT_EQ(r[1], 1ull << (97 - 64) | 2ull << (104 - 64)); // PnU, CLASS = IN (0b10)
    EXPECT_EQ(r[2], 1ull << 49);
    EXPECT_EQ(r[3], 0u);
}

// Conformance note 12: after the driver changes an STE in memory and issues CMD_CFGI_STE +
// CMD_SYNC, the new configuration is used. (The model caches no configuration yet, so it is used
// at once, which the architecture permits.)
TEST_F(Events, SteChangeVisibleAfterCfgiAndSync) {
    put_ste(1, Ste::bypass().dw);
    EXPECT_EQ(xlate(1, 0x1000).status, SMMU_OK);
    put_ste(1, Ste::abort().dw);
    // CMD_CFGI_STE(sid 1, leaf) then CMD_SYNC: opcodes 0x03 and 0x46 (4.3.1, 4.7.3).
    put64(CMDQ + 0, 0x03 | 1ull << 32);
    put64(CMDQ + 8, 1);
    put64(CMDQ + 16, 0x46);
    put64(CMDQ + 24, 0);
    w32(SMMU_CMDQ_PROD, 2);
    ASSERT_EQ(r32(SMMU_CMDQ_CONS), 2u);
    EXPECT_EQ(xlate(1, 0x1000).status, SMMU_FAULT);
}

} // namespace
