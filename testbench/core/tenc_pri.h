// SPDX-License-Identifier: Apache-2.0 OR MIT
// Test-only encoder of PRI queue records (spec chapter 8; the record figure is missing from the
// Markdown spec: positions as the Linux arm-smmu-v3 PRIQ_0/PRIQ_1 definitions give them) and the
// ATS-related event record fields (7.3.6 F_BAD_ATS_TREQ, 7.3.19 E_PAGE_REQUEST), written
// independently of <smmu/arch.h>. Bit numbers count from bit 0 of the first dword.
#pragma once
#include "tenc.h"

namespace tenc {

// One 16-byte PRI queue record (chapter 8).
struct PriRec {
    uint64_t dw[2] = {};
    PriRec &f(unsigned lsb, unsigned w, uint64_t v) {
        put(dw, lsb, w, v);
        return *this;
    }
    PriRec &sid(uint32_t v) {
        return f(0, 32, v);
    }
    PriRec &ssid(uint32_t v) {
        return f(32, 20, v);
    }
    PriRec &priv(bool v) {
        return f(58, 1, v);
    }
    PriRec &exec(bool v) {
        return f(59, 1, v);
    }
    PriRec &read(bool v) {
        return f(60, 1, v);
    }
    PriRec &write(bool v) {
        return f(61, 1, v);
    }
    PriRec &last(bool v) {
        return f(62, 1, v);
    }
    PriRec &ssv(bool v) {
        return f(63, 1, v);
    }
    PriRec &prgi(unsigned v) {
        return f(64, 9, v);
    }
    PriRec &addr(uint64_t a) {
        return f(76, 52, a >> 12);
    } // page address [63:12]
};

// F_BAD_ATS_TREQ (7.3.6) and E_PAGE_REQUEST (7.3.19) fields.
enum : unsigned {
    EVT_SPAN_LSB = 108, // Span [115:108]
    EVT_SPAN_W = 8,
    EVT_TREQ_R = 103, // F_BAD_ATS_TREQ requested R, W, X, Priv
    EVT_TREQ_W = 102,
    EVT_TREQ_X = 101,
    EVT_TREQ_PRIV = 100,
    EVT_PG_PR = 103, // E_PAGE_REQUEST
    EVT_PG_PW = 102,
    EVT_PG_PX = 101,
    EVT_PG_UR = 99,
    EVT_PG_UW = 98,
    EVT_PG_UX = 97,
};

} // namespace tenc
