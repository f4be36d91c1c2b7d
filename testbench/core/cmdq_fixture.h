// SPDX-License-Identifier: Apache-2.0 OR MIT
// Command queue helpers on top of the shared fixture: a driver-side producer that writes
// commands (tenc_cmd.h) at its PROD copy and publishes them with a CMDQ_PROD write, plus the
// register views the command, event queue and global error tests share.
#pragma once
#include "fixture.h"
#include "tenc_cfg.h"
#include "tenc_cmd.h"

namespace tfx {

constexpr unsigned CMDQ_LOG2 = 8; // the fixture's enable() programs CMDQ_BASE with LOG2SIZE 8
constexpr uint32_t GERROR_CMDQ_ERR = 1u << 0;
constexpr uint32_t GERROR_EVTQ_ABT_ERR = 1u << 2;
constexpr uint32_t GERROR_MSI_CMDQ_ABT_ERR = 1u << 4;
constexpr uint32_t GERROR_MSI_EVTQ_ABT_ERR = 1u << 5;
constexpr uint32_t GERROR_MSI_GERROR_ABT_ERR = 1u << 7;
enum { IRQ_EVENTQ = 0, IRQ_PRIQ = 1, IRQ_CMD_SYNC = 2, IRQ_GERROR = 3 }; // smmu_irq_t

class CmdqTest : public SmmuTest {
  protected:
    unsigned cmdq_log2 = CMDQ_LOG2;
    uint32_t prod = 0; // the driver's copy of CMDQ_PROD

    // Next queue position: index wraps to 0 and toggles the wrap bit above it (3.5.1).
    static uint32_t qinc(uint32_t p, unsigned log2) {
        uint32_t m = (2u << log2) - 1;
        return (p & ~m) | ((p + 1) & m);
    }
    uint64_t slot(uint32_t p) const {
        return CMDQ + 16ull * (p & ((1u << cmdq_log2) - 1));
    }
    void put_cmd(uint32_t p, const tenc::Cmd &c) {
        put64(slot(p), c.dw[0]);
        put64(slot(p) + 8, c.dw[1]);
    }
    void push(const tenc::Cmd &c) {
        put_cmd(prod, c);
        prod = qinc(prod, cmdq_log2);
    }
    void publish() {
        w32(SMMU_CMDQ_PROD, prod);
    }
    void issue(const tenc::Cmd &c) {
        push(c);
        publish();
    }

    uint32_t cons() {
        return r32(SMMU_CMDQ_CONS);
    }
    uint32_t cons_rd() {
        return cons() & ((2u << cmdq_log2) - 1);
    } // RD and RD_WRAP
    uint32_t cerror() {
        return (cons() >> 24) & 0x7F;
    }
    uint32_t gerror_active() {
        return r32(SMMU_GERROR) ^ r32(SMMU_GERRORN);
    }
    bool cmdq_err() {
        return gerror_active() & GERROR_CMDQ_ERR;
    }
    // Acknowledges active errors by copying GERROR bits into GERRORN (6.3.20).
    void ack(uint32_t bits) {
        uint32_t n = r32(SMMU_GERRORN);
        w32(SMMU_GERRORN, (n & ~bits) | (r32(SMMU_GERROR) & bits));
    }
    // Expects the queue stopped at position p with a CERROR code and CMDQ_ERR active (7.1).
    void expect_stopped_at(uint32_t p, uint32_t code) {
        EXPECT_TRUE(cmdq_err());
        EXPECT_EQ(cerror(), code);
        EXPECT_EQ(cons_rd(), p & ((2u << cmdq_log2) - 1));
    }
    bool drained() {
        return !cmdq_err() && cons_rd() == (prod & ((2u << cmdq_log2) - 1));
    }

    // A stage-2 stream whose empty translation table faults every access, with STE.S2S = 1:
    // accesses stall (3.12.2). Returns the STAG of a stalled read of addr (IPA < 2^39).
    uint16_t stall_one(uint32_t sid, uint64_t addr) {
        uint64_t ttb = alloc(0x1000); // level-1 table of a 4KB, T0SZ 25 stage 2: all invalid
        put_ste(sid, tenc::Ste::s2(ttb, 0, 25, 1).s2s(true).dw);
        smmu_result_t r = xlate(sid, addr);
        EXPECT_EQ(r.status, SMMU_STALLED);
        return r.stag;
    }
};

} // namespace tfx
