// SPDX-License-Identifier: Apache-2.0 OR MIT
// The sparse simulated memory (<smmu/mem.h>).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include <smmu/mem.h>

namespace {

struct Mem : ::testing::Test {
    smmu_mem_t *m = nullptr;
    void SetUp() override {
        m = smmu_mem_new();
        ASSERT_NE(m, nullptr);
    }
    void TearDown() override {
        smmu_mem_free(m);
    }
};

TEST_F(Mem, UntouchedReadsZeroAndAllocatesNothing) {
    uint8_t buf[64];
    memset(buf, 0xAA, sizeof(buf));
    EXPECT_EQ(smmu_mem_read(m, 0x123456789000ull, buf, sizeof(buf)), 0);
    for (uint8_t b : buf)
        EXPECT_EQ(b, 0);
    EXPECT_EQ(smmu_mem_read64(m, 0xFFFFFFFFFFFFFFF0ull), 0u);
    EXPECT_EQ(smmu_mem_pages(m), 0u);
}

// smmu_mem_zero: every byte reads zero and no region aborts, as in a new memory, while the
// pages stay allocated (a reused memory, fuzz_reuse.h).
TEST_F(Mem, ZeroReadsAsNewAndKeepsPages) {
    smmu_mem_write64(m, 0x1000, 0x1122334455667788ull);
    smmu_mem_write64(m, 0x7FF8, ~0ull);
    ASSERT_EQ(smmu_mem_add_abort(m, 0x1000, 0x10), 0);
    const size_t pages = smmu_mem_pages(m);
    ASSERT_EQ(pages, 2u);
    smmu_mem_zero(m);
    EXPECT_EQ(smmu_mem_pages(m), pages);
    uint64_t v = 1;
    EXPECT_EQ(smmu_mem_read(m, 0x1000, &v, 8), 0); // the abort region is gone
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(smmu_mem_read64(m, 0x7FF8), 0u);
    smmu_mem_write64(m, 0x1008, 5);
    EXPECT_EQ(smmu_mem_read64(m, 0x1008), 5u);
}

TEST_F(Mem, WriteThenReadBack) {
    const uint8_t data[5] = {1, 2, 3, 4, 5};
    ASSERT_EQ(smmu_mem_write(m, 0x1000, data, 5), 0);
    uint8_t out[7] = {};
    ASSERT_EQ(smmu_mem_read(m, 0xFFF, out, 7), 0);
    const uint8_t want[7] = {0, 1, 2, 3, 4, 5, 0};
    EXPECT_EQ(memcmp(out, want, 7), 0);
    EXPECT_EQ(smmu_mem_pages(m), 1u);
}

TEST_F(Mem, Read64Write64AreLittleEndian) {
    smmu_mem_write64(m, 0x2000, 0x0102030405060708ull);
    uint8_t b[8];
    ASSERT_EQ(smmu_mem_read(m, 0x2000, b, 8), 0);
    EXPECT_EQ(b[0], 0x08);
    EXPECT_EQ(b[7], 0x01);
    EXPECT_EQ(smmu_mem_read64(m, 0x2000), 0x0102030405060708ull);
}

// host->mem_cas64 (HTTU, spec 3.13): the word is replaced only when it holds the expected
// value; the value seen is returned either way; little-endian in memory.
TEST_F(Mem, Cas64SwapsOnlyWhenExpected) {
    const uint8_t le[8] = {0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01};
    ASSERT_EQ(smmu_mem_write(m, 0x3000, le, 8), 0);
    uint64_t seen = 0;
    EXPECT_EQ(smmu_mem_cas64(m, 0x3000, 0x1111, 0x2222, &seen), 0);
    EXPECT_EQ(seen, 0x0102030405060708ull);
    EXPECT_EQ(smmu_mem_read64(m, 0x3000), 0x0102030405060708ull) << "compare failed: kept";
    EXPECT_EQ(smmu_mem_cas64(m, 0x3000, 0x0102030405060708ull, 0x0A0B0C0D0E0F1011ull, &seen), 0);
    EXPECT_EQ(seen, 0x0102030405060708ull);
    uint8_t b[8];
    ASSERT_EQ(smmu_mem_read(m, 0x3000, b, 8), 0);
    EXPECT_EQ(b[0], 0x11);
    EXPECT_EQ(b[7], 0x0A);
}

TEST_F(Mem, Cas64AbortsInAbortRegionAndWhenMisaligned) {
    uint64_t seen = 0;
    EXPECT_NE(smmu_mem_cas64(m, 0x3004, 0, 1, &seen), 0);
    ASSERT_EQ(smmu_mem_add_abort(m, 0x4000, 0x1000), 0);
    EXPECT_NE(smmu_mem_cas64(m, 0x4008, 0, 1, &seen), 0);
    smmu_mem_clear_aborts(m);
    EXPECT_EQ(smmu_mem_read64(m, 0x4008), 0u) << "nothing stored by the aborted CAS";
    smmu_host_t h;
    smmu_mem_host(m, &h);
    ASSERT_NE(h.mem_cas64, nullptr);
    EXPECT_EQ(h.mem_cas64(h.ctx, 0x4008, 0, 5, &seen, false), 0);
    EXPECT_EQ(smmu_mem_read64(m, 0x4008), 5u);
}

TEST_F(Mem, AccessCrossesPages) {
    std::vector<uint8_t> in(3 * 4096 + 10);
    for (size_t i = 0; i < in.size(); i++)
        in[i] = static_cast<uint8_t>(i * 7 + 1);
    ASSERT_EQ(smmu_mem_write(m, 0x7FFB, in.data(), in.size()), 0);
    EXPECT_EQ(smmu_mem_pages(m), 5u); // 0x7000..0xB000 touched
    std::vector<uint8_t> out(in.size());
    ASSERT_EQ(smmu_mem_read(m, 0x7FFB, out.data(), out.size()), 0);
    EXPECT_EQ(in, out);
}

TEST_F(Mem, AnySixtyFourBitAddress) {
    smmu_mem_write64(m, 0xFFFFFFFFFFFFFFF8ull, 42);
    smmu_mem_write64(m, 0, 43);
    smmu_mem_write64(m, 0x8000000000000000ull, 44);
    EXPECT_EQ(smmu_mem_read64(m, 0xFFFFFFFFFFFFFFF8ull), 42u);
    EXPECT_EQ(smmu_mem_read64(m, 0), 43u);
    EXPECT_EQ(smmu_mem_read64(m, 0x8000000000000000ull), 44u);
    EXPECT_EQ(smmu_mem_pages(m), 3u);
}

TEST_F(Mem, WrapAroundIsAnError) {
    uint8_t b[16] = {};
    EXPECT_NE(smmu_mem_read(m, 0xFFFFFFFFFFFFFFF8ull, b, 16), 0);
    EXPECT_NE(smmu_mem_write(m, 0xFFFFFFFFFFFFFFF8ull, b, 16), 0);
    EXPECT_EQ(smmu_mem_pages(m), 0u);
}

TEST_F(Mem, ManyPagesGrowTheIndex) {
    for (uint64_t i = 0; i < 5000; i++)
        smmu_mem_write64(m, i * 0x10000 + 8, i ^ 0x5A5A);
    EXPECT_EQ(smmu_mem_pages(m), 5000u);
    for (uint64_t i = 0; i < 5000; i++)
        ASSERT_EQ(smmu_mem_read64(m, i * 0x10000 + 8), i ^ 0x5A5A);
}

TEST_F(Mem, AbortRegionFailsWholeAccessAndTransfersNothing) {
    smmu_mem_write64(m, 0x5000, 0x1111);
    ASSERT_EQ(smmu_mem_add_abort(m, 0x5008, 8), 0);
    uint64_t v = 0x2222;
    EXPECT_NE(smmu_mem_write(m, 0x5004, &v, 8), 0); // overlaps 0x5008
    EXPECT_NE(smmu_mem_read(m, 0x500F, &v, 1), 0);
    EXPECT_EQ(smmu_mem_read(m, 0x5000, &v, 8), 0); // just below
    EXPECT_EQ(v, 0x1111u);
    EXPECT_EQ(smmu_mem_read(m, 0x5010, &v, 8), 0); // just above
    smmu_mem_clear_aborts(m);
    EXPECT_EQ(smmu_mem_read(m, 0x5008, &v, 8), 0);
}

TEST_F(Mem, AtMostSixteenAbortRegions) {
    for (int i = 0; i < 16; i++)
        EXPECT_EQ(smmu_mem_add_abort(m, 0x1000u * i, 0x10), 0);
    EXPECT_NE(smmu_mem_add_abort(m, 0x100000, 0x10), 0);
    EXPECT_NE(smmu_mem_add_abort(m, 0, 0), 0) << "empty region";
}

TEST_F(Mem, HostCallbacksReachTheMemory) {
    smmu_host_t h{};
    smmu_mem_host(m, &h);
    EXPECT_EQ(h.ctx, m);
    EXPECT_EQ(h.irq, nullptr);
    uint32_t v = 0xCAFEF00D;
    ASSERT_EQ(h.mem_write(h.ctx, 0x9000, &v, 4, false), 0);
    uint32_t r = 0;
    ASSERT_EQ(h.mem_read(h.ctx, 0x9000, &r, 4, true), 0);
    EXPECT_EQ(r, v);
    smmu_mem_add_abort(m, 0x9000, 4);
    EXPECT_NE(h.mem_read(h.ctx, 0x9000, &r, 4, false), 0);
}

} // namespace
