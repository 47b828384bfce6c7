// bf16 matrix product reading the weight's rows where they lie; see include/ck_bf16_rows.h for the contract.
//
// The roles of ck_bf16_gemm.c turned around: there the weight is packed into 64-column panels and the activations'
// pairs are broadcast; here the activations are packed into panels of up to 64 rows and each weight pair is broadcast
// straight from its row (a bf16 pair is one 32-bit word in memory order, as VDPBF16PS reads it). The tile is R weight
// rows × NV zmm of 16 activation rows (6 × 4 = 24 accumulators, as the packed kernel), or 12 × 2 / 12 × 1 for
// products of 32 / 16 rows or fewer; it is stored transposed into C. Blocking: k in CK_BF16_KC pairs (so each
// output's sums are the packed kernel's), weight rows in blocks of BLOCK_ROWS (their KC slice, 768 KiB, stays in L2
// while every activation panel passes), then each activation panel (≤ 256 KiB, reused by every tile of the block).
#include "ck_bf16_rows.h"
#include "ck_row_panels.h"

#include <string.h>

#include "ck_bf16_gemm.h"

enum { KC_PAIRS = CK_BF16_KC, BLOCK_ROWS = 16 * CK_BF16_ROWS_STEP };

size_t ck_bf16_rows_panel_width(size_t m) { return ck_row_panel_width(m); }

size_t ck_bf16_rows_packed_a_count(size_t m, size_t k) {
    const size_t width = ck_bf16_rows_panel_width(m);
    return (m + width - 1) / width * ck_bf16_pairs(k) * width;
}

void ck_bf16_rows_pack_a(const float *a, size_t lda, size_t m, size_t k, uint32_t *packed, size_t panel_begin,
                         size_t panel_end) {
    ck_bf16_pack_panels(a, lda, m, k, packed, ck_bf16_rows_panel_width(m), panel_begin, panel_end);
}

#if defined(__x86_64__)
#include <immintrin.h>

#include "ck_tile.h"

#define CK_ROWS_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

enum { MAX_R = 12, MAX_NV = 4 };

/// The pair at `pair` of a weight row, as the 32-bit word it is in memory.
static inline uint32_t pair_at(const uint16_t *row, size_t pair) {
    uint32_t word;
    memcpy(&word, row + 2 * pair, sizeof word);
    return word;
}

/// One tile: columns [0, rows) of C's rows [0, lanes) (=|+=) Σ over kc pairs of the weight rows `w` (each already at
/// the block's first pair) · the activation panel `a`. Rows past `rows` repeat the last one and are not stored.
CK_ROWS_TARGET
__attribute__((always_inline)) static inline void tile(const int R, const int NV, size_t kc, const uint16_t *const *w,
                                                        const uint32_t *a, float *c, size_t ldc, size_t lanes,
                                                        size_t rows, int accumulate) {
    __m512 acc[MAX_R][MAX_NV];
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    }
    for (size_t p = 0; p < kc; p++) {
        __m512bh av[MAX_NV];
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) av[v] = (__m512bh)_mm512_loadu_si512((const void *)(a + 16 * v));
#pragma clang loop unroll(full)
        for (int r = 0; r < R; r++) {
            const __m512bh bw = (__m512bh)_mm512_set1_epi32((int)pair_at(w[r], p));
#pragma clang loop unroll(full)
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_dpbf16_ps(acc[r][v], av[v], bw);
        }
        a += 16 * NV;
    }
    ck_store_tile_transposed(acc, R, NV, c, ldc, lanes, rows, accumulate);
}

CK_ROWS_TARGET
__attribute__((always_inline)) static inline void gemm_rows(const int R, const int NV, const uint32_t *packed_a, const uint16_t *b, size_t ldb, float *c,
                      size_t ldc, size_t m, size_t k, size_t row_begin, size_t row_end) {
    const size_t width = 16 * (size_t)NV;
    const size_t pairs = k / 2;
    const size_t panels = (m + width - 1) / width;
    for (size_t pc = 0; pc < pairs; pc += KC_PAIRS) {
        const size_t kc = pairs - pc < KC_PAIRS ? pairs - pc : KC_PAIRS;
        for (size_t jc = row_begin; jc < row_end; jc += BLOCK_ROWS) {
            const size_t jc_end = jc + BLOCK_ROWS < row_end ? jc + BLOCK_ROWS : row_end;
            for (size_t ip = 0; ip < panels; ip++) {
                const uint32_t *a = packed_a + (ip * pairs + pc) * width;
                const size_t lanes = m - ip * width < width ? m - ip * width : width;
                for (size_t j = jc; j < jc_end; j += (size_t)R) {
                    const size_t rows = jc_end - j < (size_t)R ? jc_end - j : (size_t)R;
                    const uint16_t *w[MAX_R];
                    for (int r = 0; r < R; r++) {
                        const size_t row = j + ((size_t)r < rows ? (size_t)r : rows - 1);
                        w[r] = b + row * ldb + 2 * pc;
                    }
                    tile(R, NV, kc, w, a, c + ip * width * ldc + j, ldc, lanes, rows, pc > 0);
                }
            }
        }
    }
}

CK_ROWS_TARGET static void gemm_rows_64(const uint32_t *packed_a, const uint16_t *b, size_t ldb, float *c,
                                        size_t ldc, size_t m, size_t k, size_t row_begin, size_t row_end) {
    gemm_rows(6, 4, packed_a, b, ldb, c, ldc, m, k, row_begin, row_end);
}

CK_ROWS_TARGET static void gemm_rows_32(const uint32_t *packed_a, const uint16_t *b, size_t ldb, float *c,
                                        size_t ldc, size_t m, size_t k, size_t row_begin, size_t row_end) {
    gemm_rows(12, 2, packed_a, b, ldb, c, ldc, m, k, row_begin, row_end);
}

CK_ROWS_TARGET static void gemm_rows_16(const uint32_t *packed_a, const uint16_t *b, size_t ldb, float *c,
                                        size_t ldc, size_t m, size_t k, size_t row_begin, size_t row_end) {
    gemm_rows(12, 1, packed_a, b, ldb, c, ldc, m, k, row_begin, row_end);
}

void ck_bf16_rows_gemm(const uint32_t *packed_a, const uint16_t *b, size_t ldb, float *c, size_t ldc, size_t m,
                       size_t k, size_t row_begin, size_t row_end) {
    if (k == 0) {
        ck_zero_output_columns(c, ldc, m, row_begin, row_end);
        return;
    }
    switch (ck_bf16_rows_panel_width(m)) {
    case 16: gemm_rows_16(packed_a, b, ldb, c, ldc, m, k, row_begin, row_end); break;
    case 32: gemm_rows_32(packed_a, b, ldb, c, ldc, m, k, row_begin, row_end); break;
    default: gemm_rows_64(packed_a, b, ldb, c, ldc, m, k, row_begin, row_end); break;
    }
}

#else  // Not x86_64: never called (CPUFeatures.hasAVX512BF16 is false); defined so the target links everywhere.

void ck_bf16_rows_gemm(const uint32_t *packed_a, const uint16_t *b, size_t ldb, float *c, size_t ldc, size_t m,
                       size_t k, size_t row_begin, size_t row_end) {
    (void)packed_a; (void)b; (void)ldb; (void)c; (void)ldc; (void)m; (void)k; (void)row_begin; (void)row_end;
}

#endif
