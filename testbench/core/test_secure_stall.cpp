// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stalls of Secure streams and S_CR0.NSSTALLD (spec 3.12, 3.12.2, 4.1.6, 4.7.1, 4.7.2, 5.2
// S1STALLD, 5.4 S, 6.3.52 S_IDR0.STALL_MODEL, 6.3.57 S_CR0.NSSTALLD, 7.2.1): a Secure stream's
// stall record goes to the Secure Event queue with a STAG; only the Secure Command queue (SSec ==
// 1) or S_CR0.SMMUEN ends it; NSSTALLD takes the Stall model away from the Non-secure side only.
#include "secure_fixture.h"
#include "tenc_cfg.h"
#include "tenc_cmd.h"

using namespace sfx;
using namespace tenc;

namespace {

// 6.3.57: S_CR0.NSSTALLD is bit [9]; 6.3.1 / 6.3.52: (S_)IDR0.STALL_MODEL is bits [25:24]
constexpr uint32_t NSSTALLD = 1u << 9;
constexpr uint64_t IDR0 = 0x0, S_IDR0 = 0x8000;
constexpr uint32_t CERROR_ILL = 1; // 7.1
constexpr uint64_t C_BAD_CD = 0x0A;

struct Done {
    uint32_t sid;
    uint16_t stag;
    int outcome;
};

struct SecureStall : SecureTest {
    std::vector<Done> done;
    uint32_t prod[2] = {0, 0};

    static void stall_done(void *c, uint32_t sid, uint16_t stag, int outcome) {
        static_cast<SecureStall *>(of(c))->done.push_back({sid, stag, outcome});
    }
    // SecureTest's host also hears the ends of stalls.
    void more_host(smmu_host_t &h) override {
        h.stall_done = stall_done;
    }

    // A stage-1 stream sid of one world whose CD stalls faults (5.4 S); its level-1 table at
    // TABLES is empty, so every access is an F_TRANSLATION.
    void stalling_stream(bool secure, uint32_t sid, bool s1stalld = false, bool cd_s = true) {
        put_ste(secure, sid, Ste::s1(CDTAB).s1stalld(s1stalld).dw);
        put_words(secure, CDTAB, Cd::s1(TABLES, 25).s(cd_s).dw, 8);
    }
    uint16_t stall(bool secure, uint32_t sid, uint64_t va) {
        smmu_result_t r = xlate(secure, sid, va);
        EXPECT_EQ(r.status, SMMU_STALLED);
        return r.stag;
    }

    // Commands: written at the queue's PROD in its PA space, then published.
    void issue(bool secure, const Cmd &c) {
        uint32_t idx = prod[secure] & ((1u << CMDQ_LOG2) - 1);
        put64(secure, CMDQ + 16ull * idx, c.dw[0]);
        put64(secure, CMDQ + 16ull * idx + 8, c.dw[1]);
        prod[secure] = (prod[secure] + 1) & ((2u << CMDQ_LOG2) - 1);
        smmu_reg_write_sec(smmu, secure ? S_CMDQ_PROD : CMDQ_PROD, prod[secure], 4, secure);
    }
    // (S_)CMDQ_CONS.ERR, bits [30:24] (6.3.27)
    uint32_t cmdq_err(bool secure) {
        return (smmu_reg_read_sec(smmu, secure ? S_CMDQ_CONS : CMDQ_CONS, 4, secure) >> 24) & 0x7F;
    }
    unsigned stall_model(bool secure) {
        return (smmu_reg_read_sec(smmu, secure ? S_IDR0 : IDR0, 4, secure) >> 24) & 3;
    }
};

inline uint64_t evt_stag(const std::vector<uint64_t> &r) { // STAG [79:64], Stall [95] (7.3.10)
    return tenc::get(r.data(), 64, 16);
}
inline uint64_t evt_stall(const std::vector<uint64_t> &r) {
    return tenc::get(r.data(), 95, 1);
}

// A Secure stream's stalling fault holds the transaction and writes a stall record (Stall = 1,
// its STAG) to the Secure Event queue, in Secure memory; nothing reaches the Non-secure queue
// (3.12.2, 3.10.2.1).
TEST_F(SecureStall, StallRecordGoesToSecureEventQueue_3_12_2) {
    enable(false);
    enable(true);
    stalling_stream(true, 5);
    smmu_result_t r = xlate(true, 5, 0x40001000);
    ASSERT_EQ(r.status, SMMU_STALLED);
    auto ev = events(true);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), F_TRANSLATION);
    EXPECT_EQ(evt_sid(ev[0]), 5u);
    EXPECT_EQ(evt_stall(ev[0]), 1u);
    EXPECT_EQ(evt_stag(ev[0]), r.stag);
    EXPECT_TRUE(events(false).empty());
    EXPECT_EQ(smmu_stalls_pending(smmu), 1u);
}

// CMD_RESUME with SSec = 1 on the Secure Command queue resumes the Secure stall it names
// (4.7.1, 4.1.6); the host hears the outcome.
TEST_F(SecureStall, SecureResumeEndsSecureStall_4_7_1) {
    enable(true);
    stalling_stream(true, 5);
    uint16_t a = stall(true, 5, 0x40001000), b = stall(true, 5, 0x40002000);
    issue(true, resume(5, a, true).ssec(true));
    issue(true, resume(5, b, false, true).ssec(true));
    EXPECT_EQ(cmdq_err(true), 0u);
    ASSERT_EQ(done.size(), 2u);
    EXPECT_EQ(done[0].sid, 5u);
    EXPECT_EQ(done[0].stag, a);
    EXPECT_EQ(done[0].outcome, SMMU_STALL_RETRY);
    EXPECT_EQ(done[1].stag, b);
    EXPECT_EQ(done[1].outcome, SMMU_STALL_ABORT);
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
}

// A CMD_RESUME or CMD_STALL_TERM from the Non-secure Command queue does not affect a stalled
// transaction of a Secure StreamID (4.7.1 note, 4.1.6), nor does one from the Secure queue with
// SSec = 0, which names the Non-secure stream of that number.
TEST_F(SecureStall, NonSecureResumeCannotResumeSecureStall_4_7_1) {
    enable(false);
    enable(true);
    stalling_stream(true, 5);
    uint16_t stag = stall(true, 5, 0x40001000);
    issue(false, resume(5, stag, true));
    issue(false, stall_term(5));
    issue(true, resume(5, stag, true));
    issue(true, stall_term(5));
    EXPECT_EQ(cmdq_err(false), 0u);
    EXPECT_EQ(cmdq_err(true), 0u);
    EXPECT_TRUE(done.empty());
    EXPECT_EQ(smmu_stalls_pending(smmu), 1u);
}

// The Secure and Non-secure StreamID spaces are independent (4.7.1): with stalls of StreamID 5 in
// both worlds, SSec selects the stream; the Secure queue may end the Non-secure one with SSec = 0
// (4.1.6), the Non-secure queue never the Secure one.
TEST_F(SecureStall, SsecSelectsTheWorldOfTheStall_4_1_6) {
    enable(false);
    enable(true);
    stalling_stream(true, 5);
    stalling_stream(false, 5);
    uint16_t s = stall(true, 5, 0x40001000), n = stall(false, 5, 0x40001000);
    issue(true, resume(5, s, false, true)); // SSec 0: the Non-secure stream 5, STAG s
    issue(false, resume(5, s, false, true));
    EXPECT_TRUE(done.empty());
    issue(true, resume(5, n, false, true)); // SSec 0, the Non-secure stall's STAG
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].stag, n);
    issue(true, resume(5, s, false, true).ssec(true));
    ASSERT_EQ(done.size(), 2u);
    EXPECT_EQ(done[1].stag, s);
}

// CMD_STALL_TERM(SSec = 1) aborts every stall of the Secure stream and none of the Non-secure
// stream with the same StreamID (4.7.2, 4.1.6).
TEST_F(SecureStall, SecureStallTermEndsOnlySecureStalls_4_7_2) {
    enable(false);
    enable(true);
    stalling_stream(true, 5);
    stalling_stream(false, 5);
    stall(true, 5, 0x40001000);
    stall(true, 5, 0x40002000);
    uint16_t n = stall(false, 5, 0x40001000);
    issue(true, stall_term(5).ssec(true));
    ASSERT_EQ(done.size(), 2u);
    for (const Done &d : done) {
        EXPECT_EQ(d.sid, 5u);
        EXPECT_NE(d.stag, n);
        EXPECT_EQ(d.outcome, SMMU_STALL_ABORT);
    }
    EXPECT_EQ(smmu_stalls_pending(smmu), 1u);
    issue(false, stall_term(5));
    ASSERT_EQ(done.size(), 3u);
    EXPECT_EQ(done[2].stag, n);
}

// Clearing S_CR0.SMMUEN terminates the Secure stalls as clearing SMMUEN terminates the
// Non-secure ones (6.3.9.6, 6.3.57); each interface's SMMUEN ends only its own world's stalls.
TEST_F(SecureStall, ClearingSSmmuenTerminatesOnlySecureStalls_6_3_57) {
    enable(false);
    enable(true);
    stalling_stream(true, 5);
    stalling_stream(false, 6);
    uint16_t s = stall(true, 5, 0x40001000), n = stall(false, 6, 0x40001000);
    ws32(S_CR0, EVENTQEN | CMDQEN);
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].stag, s);
    EXPECT_EQ(done[0].outcome, SMMU_STALL_ABORT);
    w32(CR0, EVENTQEN | CMDQEN);
    ASSERT_EQ(done.size(), 2u);
    EXPECT_EQ(done[1].stag, n);
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
}

// A stall record is never discarded (7.2.1): while the Secure Event queue is disabled it waits,
// and it is written to that queue (not the Non-secure one) when S_CR0.EVENTQEN is set.
TEST_F(SecureStall, SecureStallRecordWaitsForSecureEventQueue_7_2_1) {
    enable(false);
    enable(true);
    stalling_stream(true, 5);
    ws32(S_CR0, CMDQEN | SMMUEN);
    uint16_t stag = stall(true, 5, 0x40001000);
    ws32(S_CR0, EVENTQEN | CMDQEN | SMMUEN);
    auto ev = events(true);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_stall(ev[0]), 1u);
    EXPECT_EQ(evt_stag(ev[0]), stag);
    EXPECT_TRUE(events(false).empty());
}

// With both models implemented NSSTALLD is writable and acknowledged (S_CR0ACK bit [9]); set,
// SMMU_IDR0.STALL_MODEL reads 0b01 while S_IDR0.STALL_MODEL stays 0b00 (3.12, 6.3.57, 6.3.58).
TEST_F(SecureStall, NsstalldHidesStallFromNonSecure_6_3_57) {
    EXPECT_EQ(stall_model(false), 0u);
    EXPECT_EQ(stall_model(true), 0u);
    ws32(S_CR0, NSSTALLD);
    EXPECT_EQ(rs32(S_CR0) & NSSTALLD, NSSTALLD);
    EXPECT_EQ(rs32(S_CR0ACK) & NSSTALLD, NSSTALLD);
    EXPECT_EQ(stall_model(false), 1u);
    EXPECT_EQ(stall_model(true), 0u);
    EXPECT_EQ((rs32(IDR0) >> 24) & 3, 1u); // a Secure read of IDR0 sees the same
    ws32(S_CR0, 0);
    EXPECT_EQ(stall_model(false), 0u);
}

// NSSTALLD makes Non-secure stall configuration ILLEGAL: CD.S = 1 (C_BAD_CD), STE.S1STALLD = 1
// and STE.S2S = 1 (C_BAD_STE) (5.2 SteIllegal, 5.4 CdIllegal with the effective
// IDR0.STALL_MODEL; 6.3.57.1); Secure streams keep stalling (S_IDR0.STALL_MODEL).
TEST_F(SecureStall, NsstalldMakesNonSecureStallConfigIllegal_6_3_57_1) {
    enable(false);
    enable(true, NSSTALLD);
    stalling_stream(false, 5);
    smmu_result_t r = xlate(false, 5, 0x40001000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    stalling_stream(false, 6, true, false);
    EXPECT_EQ(xlate(false, 6, 0x40001000).status, SMMU_FAULT);
    put_ste(false, 7, Ste::s2(TABLES, 0, 25, 1).s2s(true).dw); // stage 2, 4KB, T0SZ 25, SL0 1
    EXPECT_EQ(xlate(false, 7, 0x40001000).status, SMMU_FAULT);
    auto ev = events(false);
    ASSERT_EQ(ev.size(), 3u);
    EXPECT_EQ(evt_type(ev[0]), C_BAD_CD);
    EXPECT_EQ(evt_type(ev[1]), C_BAD_STE);
    EXPECT_EQ(evt_type(ev[2]), C_BAD_STE);
    stalling_stream(true, 5);
    EXPECT_EQ(xlate(true, 5, 0x40001000).status, SMMU_STALLED);
    EXPECT_EQ(done.size(), 0u);
}

// With NSSTALLD the stall commands are CERROR_ILL on the Non-secure Command queue only: the
// model of "the Security state of the Command queue" decides (4.7.1, 4.7.2).
TEST_F(SecureStall, NsstalldMakesNonSecureStallCommandsIllegal_4_7_1) {
    enable(false);
    enable(true, NSSTALLD);
    issue(false, resume(5, 0, true));
    EXPECT_EQ(cmdq_err(false), CERROR_ILL);
    issue(true, resume(5, 0, true).ssec(true));
    issue(true, stall_term(5));
    EXPECT_EQ(cmdq_err(true), 0u);
    EXPECT_EQ(rs32(S_CMDQ_CONS) & 0x1FF, prod[true]);
}

// Without NSSTALLD a Non-secure stall configuration is legal and stalls (the default, 3.12).
TEST_F(SecureStall, WithoutNsstalldNonSecureStreamsStall_3_12) {
    enable(false);
    enable(true);
    stalling_stream(false, 5);
    EXPECT_EQ(xlate(false, 5, 0x40001000).status, SMMU_STALLED);
    put_ste(false, 7, Ste::s2(TABLES, 0, 25, 1).s2s(true).dw); // empty stage-2 tables
    EXPECT_EQ(xlate(false, 7, 0x40001000).status, SMMU_STALLED);
    auto ev = events(false);
    ASSERT_EQ(ev.size(), 2u);
    EXPECT_EQ(evt_stall(ev[0]), 1u);
    EXPECT_EQ(evt_stall(ev[1]), 1u);
}

// Terminate model only (S_IDR0.STALL_MODEL = 0b01): NSSTALLD is RES0, IDR0 reads 0b01, and a
// Secure CD with S = 1 is ILLEGAL (6.3.57, 5.4).
struct SecureStallTerminate : SecureStall {
    void configure(smmu_params_t &p) override {
        p.stall_model = 1;
    }
};
TEST_F(SecureStallTerminate, NsstalldIsRes0AndSecureStallIllegal_6_3_57) {
    ws32(S_CR0, NSSTALLD);
    EXPECT_EQ(rs32(S_CR0) & NSSTALLD, 0u);
    EXPECT_EQ(rs32(S_CR0ACK) & NSSTALLD, 0u);
    EXPECT_EQ(stall_model(false), 1u);
    EXPECT_EQ(stall_model(true), 1u);
    enable(true);
    stalling_stream(true, 5);
    EXPECT_EQ(xlate(true, 5, 0x40001000).status, SMMU_FAULT);
    auto ev = events(true);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), C_BAD_CD);
}

// Stall model only (0b10): NSSTALLD is RES0 (no alternative to stall), both IDR0s read 0b10
// (3.12 table, 6.3.57).
struct SecureStallOnly : SecureStall {
    void configure(smmu_params_t &p) override {
        p.stall_model = 2;
    }
};
TEST_F(SecureStallOnly, NsstalldIsRes0_3_12) {
    ws32(S_CR0, NSSTALLD);
    EXPECT_EQ(rs32(S_CR0) & NSSTALLD, 0u);
    EXPECT_EQ(stall_model(false), 2u);
    EXPECT_EQ(stall_model(true), 2u);
}

} // namespace
