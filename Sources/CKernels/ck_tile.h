// What the AVX-512 micro-kernels share: storing one row of a float32 tile into C. Private to this target.
#ifndef CK_TILE_H
#define CK_TILE_H

#include <stddef.h>

#if defined(__x86_64__)
#include <immintrin.h>

/// Writes the 16 accumulators `value` to row[first ..< first + 16], keeping only the columns before `cols` (a partial
/// tile at the right edge of C writes nothing past it); with `accumulate`, adds what the row already holds (the
/// k blocks after the first).
__attribute__((target("avx512f"))) static inline void ck_store_tile_vector(float *row, __m512 value, size_t first,
                                                                           size_t cols, int accumulate) {
    const __mmask16 mask = cols >= first + 16 ? (__mmask16)0xffff
                           : cols > first     ? (__mmask16)((1u << (cols - first)) - 1)
                                              : (__mmask16)0;
    if (accumulate) value = _mm512_add_ps(value, _mm512_maskz_loadu_ps(mask, row + first));
    _mm512_mask_storeu_ps(row + first, mask, value);
}
#endif

#endif
