/* SPDX-License-Identifier: Apache-2.0 */
/* The one way the core reads and writes architectural fields.
 *
 * A field is named by a macro expanding to "lsb, width", where lsb is the bit index counted from
 * bit 0 of the first 64-bit word of the structure (STE bit 64 is DW1 bit 0, as the spec numbers
 * them). Fields never straddle a 64-bit word in the structures the core decodes.
 *   #define STE_CONFIG 1, 3
 *   uint64_t c = FGET(ste, STE_CONFIG);      // ste is const uint64_t[8]
 *   FSET(rec, EVT_STREAMID, sid);            // rec is uint64_t[4]
 * For a single 64-bit value (a register, a descriptor) use VGET/VSET. */
#ifndef SMMU_BITS_H
#define SMMU_BITS_H

#include <stdint.h>

static inline uint64_t bits_mask(unsigned width) {
    return width >= 64 ? ~0ull : ((1ull << width) - 1);
}
static inline uint64_t bits_get(const uint64_t *dw, unsigned lsb, unsigned width) {
    return (dw[lsb / 64] >> (lsb % 64)) & bits_mask(width);
}
static inline void bits_set(uint64_t *dw, unsigned lsb, unsigned width, uint64_t v) {
    uint64_t m = bits_mask(width) << (lsb % 64);
    dw[lsb / 64] = (dw[lsb / 64] & ~m) | ((v << (lsb % 64)) & m);
}
static inline uint64_t val_get(uint64_t v, unsigned lsb, unsigned width) {
    return (v >> lsb) & bits_mask(width);
}
static inline uint64_t val_set(uint64_t v, unsigned lsb, unsigned width, uint64_t f) {
    uint64_t m = bits_mask(width) << lsb;
    return (v & ~m) | ((f << lsb) & m);
}
/* Address field occupying bits [hi:lsb] of the value, returned in place (low bits zero). */
static inline uint64_t val_addr(uint64_t v, unsigned lsb, unsigned width) {
    return v & (bits_mask(width) << lsb);
}

/* Address field of a multi-dword structure, in place: the SMMU's layouts put address bit n at
   bit n of its dword (e.g. CD.TTB0 bits [119:68] hold address bits [55:4]). */
static inline uint64_t bits_addr(const uint64_t *dw, unsigned lsb, unsigned width) {
    return dw[lsb / 64] & (bits_mask(width) << (lsb % 64));
}

#define FGET_(dw, lsb, w)    bits_get((dw), (lsb), (w))
#define FSET_(dw, lsb, w, v) bits_set((dw), (lsb), (w), (v))
#define VGET_(v, lsb, w)     val_get((v), (lsb), (w))
#define VSET_(v, lsb, w, f)  val_set((v), (lsb), (w), (f))
#define VADDR_(v, lsb, w)    val_addr((v), (lsb), (w))
#define FADDR_(dw, lsb, w)   bits_addr((dw), (lsb), (w))
#define FGET(dw, F)          FGET_(dw, F)
#define FSET(dw, F, v)       FSET_(dw, F, v)
#define VGET(v, F)           VGET_(v, F)
#define VSET(v, F, f)        VSET_(v, F, f)
#define VADDR(v, F)          VADDR_(v, F)
#define FADDR(dw, F)         FADDR_(dw, F)
/* All-ones mask of a one-word field, in place. */
#define VMASK_(lsb, w) (bits_mask(w) << (lsb))
#define VMASK(F)       VMASK_(F)

#endif
