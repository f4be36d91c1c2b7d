// SPDX-License-Identifier: Apache-2.0 OR MIT
// Test-only encoders of the architecture's in-memory structures, written from the spec text
// (IHI 0070 chapter 5 and 7, Arm ARM D8), independently of <smmu/arch.h>, so that a test
// and the core cannot be wrong together. Each helper owns one section below.
#pragma once
#include <cstdint>

namespace tenc {

// Sets bits [lsb+width-1 : lsb] of a multi-dword structure (bit numbering as in the spec:
// bit 64 is bit 0 of dword 1).
inline void put(uint64_t *dw, unsigned lsb, unsigned width, uint64_t v) {
    uint64_t m = (width >= 64 ? ~0ull : ((1ull << width) - 1));
    dw[lsb / 64] &= ~(m << (lsb % 64));
    dw[lsb / 64] |= (v & m) << (lsb % 64);
}
inline uint64_t get(const uint64_t *dw, unsigned lsb, unsigned width) {
    uint64_t m = (width >= 64 ? ~0ull : ((1ull << width) - 1));
    return (dw[lsb / 64] >> (lsb % 64)) & m;
}

} // namespace tenc
