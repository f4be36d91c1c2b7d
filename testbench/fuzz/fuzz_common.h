/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Shared helpers of the fuzz targets: a byte reader over the fuzzer's input. */
#ifndef SMMU_FUZZ_COMMON_H
#define SMMU_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct fz {
    const uint8_t *p;
    size_t n, i;
} fz_t;

static inline uint64_t fz_bytes(fz_t *f, unsigned k) {
    uint64_t v = 0;
    for (unsigned b = 0; b < k; b++)
        v |= (uint64_t)(f->i < f->n ? f->p[f->i++] : 0) << (8 * b);
    return v;
}
static inline uint8_t fz_u8(fz_t *f) {
    return (uint8_t)fz_bytes(f, 1);
}
static inline uint32_t fz_u32(fz_t *f) {
    return (uint32_t)fz_bytes(f, 4);
}
static inline uint64_t fz_u64(fz_t *f) {
    return fz_bytes(f, 8);
}
static inline int fz_done(const fz_t *f) {
    return f->i >= f->n;
}

#endif
