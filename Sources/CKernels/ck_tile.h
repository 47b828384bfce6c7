// What the AVX-512 micro-kernels share: storing a float32 tile into C. Private to this target.
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

/// Writes a tile of the kernels that read weight rows in place, transposed: accumulator `acc[r][v]` holds weight row
/// r's products with 16 activation rows, which go to column r of C's rows [16·v, 16·v + 16); only C's rows
/// [0, lanes) and columns [0, rows) are written, added to what C holds with `accumulate` (the k blocks after the
/// first).
__attribute__((target("avx512f"), always_inline)) static inline void ck_store_tile_transposed(
    const __m512 (*acc)[4], const int R, const int NV, float *c, size_t ldc, size_t lanes, size_t rows,
    int accumulate) {
    float out[12][64];
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) _mm512_storeu_ps(&out[r][16 * v], acc[r][v]);
    }
    for (size_t l = 0; l < lanes; l++) {
        float *row = c + l * ldc;
        if (accumulate) {
            for (size_t r = 0; r < rows; r++) row[r] += out[r][l];
        } else {
            for (size_t r = 0; r < rows; r++) row[r] = out[r][l];
        }
    }
}
#endif

#endif
