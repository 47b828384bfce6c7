// float32 matrix product reading the weight's rows where they lie; see include/ck_f32_rows.h for the contract.
//
// The roles of ck_f32_gemm.c turned around, as ck_bf16_rows.c does for the bf16 kernels: the activations are packed
// into panels of up to 64 rows and each weight value is broadcast straight from its row. The tile is R weight rows ×
// NV zmm of 16 activation rows (6 × 4 = 24 accumulators; 12 × 2 / 12 × 1 for products of 32 / 16 rows or fewer),
// stored transposed into C. Blocking: k in CK_F32_KC (so each output's sums are the packed kernel's), weight rows in
// blocks of BLOCK_ROWS (their KC slice, 192 KiB, stays in L2 while every activation panel passes), then each activation
// panel (≤ 128 KiB, reused by every tile of the block). While a block's first panel passes, the next block's slice is
// brought into L2 (the first pass streams the rows from memory; the prefetch hides that).
#include "ck_f32_rows.h"
#include "ck_row_panels.h"

#include "ck_f32_gemm.h"

enum { KC = CK_F32_KC, BLOCK_ROWS = 96 };

size_t ck_f32_rows_panel_width(size_t m) { return ck_row_panel_width(m); }

size_t ck_f32_rows_packed_a_count(size_t m, size_t k) {
    const size_t width = ck_f32_rows_panel_width(m);
    return (m + width - 1) / width * k * width;
}

void ck_f32_rows_pack_a(const float *a, size_t lda, size_t m, size_t k, float *packed, size_t panel_begin,
                        size_t panel_end) {
    ck_f32_pack_panels(a, lda, m, k, packed, ck_f32_rows_panel_width(m), panel_begin, panel_end);
}

#if defined(__x86_64__)
#include <immintrin.h>

#include "ck_tile.h"

#define CK_ROWS_TARGET __attribute__((target("avx512f")))

enum { MAX_R = 12, MAX_NV = 4 };

/// Weight rows a tile brings into L2 while it computes: `rows` rows from `first`, `stride` bytes apart, `lines` cache
/// lines of each, issued evenly over the tile's depths.
typedef struct {
    const char *first;
    size_t stride, rows, lines;
} prefetch_rows;

/// One tile: columns [0, rows) of C's rows [0, lanes) (=|+=) Σ over kc depths of the weight rows `w` (each already at
/// the block's first depth) · the activation panel `a`. Rows past `rows` repeat the last one and are not stored.
CK_ROWS_TARGET
__attribute__((always_inline)) static inline void tile(const int R, const int NV, size_t kc, const float *const *w,
                                                        const float *a, float *c, size_t ldc, size_t lanes,
                                                        size_t rows, int accumulate, prefetch_rows next) {
    __m512 acc[MAX_R][MAX_NV];
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    }
    const size_t total = next.rows * next.lines;
    size_t credit = 0, issued = 0;
    for (size_t p = 0; p < kc; p++) {
        credit += total;
        while (credit >= kc) {
            _mm_prefetch(next.first + issued / next.lines * next.stride + issued % next.lines * 64, _MM_HINT_T1);
            issued++;
            credit -= kc;
        }
        __m512 av[MAX_NV];
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) av[v] = _mm512_loadu_ps(a + 16 * v);
#pragma clang loop unroll(full)
        for (int r = 0; r < R; r++) {
            const __m512 bw = _mm512_set1_ps(w[r][p]);
#pragma clang loop unroll(full)
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(av[v], bw, acc[r][v]);
        }
        a += 16 * NV;
    }
    ck_store_tile_transposed(acc, R, NV, c, ldc, lanes, rows, accumulate);
}

CK_ROWS_TARGET
__attribute__((always_inline)) static inline void gemm_rows(const int R, const int NV, const float *packed_a,
                                                             const float *b, size_t ldb, float *c, size_t ldc,
                                                             size_t m, size_t k, size_t row_begin, size_t row_end) {
    const size_t width = 16 * (size_t)NV;
    const size_t panels = (m + width - 1) / width;
    for (size_t pc = 0; pc < k; pc += KC) {
        const size_t kc = k - pc < KC ? k - pc : KC;
        for (size_t jc = row_begin; jc < row_end; jc += BLOCK_ROWS) {
            const size_t jc_end = jc + BLOCK_ROWS < row_end ? jc + BLOCK_ROWS : row_end;
            // The next block's rows at this depth, spread over the first panel's tiles.
            const size_t next_rows =
                jc_end < row_end ? (row_end - jc_end < BLOCK_ROWS ? row_end - jc_end : BLOCK_ROWS) : 0;
            const size_t tiles = (jc_end - jc + (size_t)R - 1) / (size_t)R;
            for (size_t ip = 0; ip < panels; ip++) {
                const float *a = packed_a + (ip * k + pc) * width;
                const size_t lanes = m - ip * width < width ? m - ip * width : width;
                for (size_t j = jc, t = 0; j < jc_end; j += (size_t)R, t++) {
                    const size_t rows = jc_end - j < (size_t)R ? jc_end - j : (size_t)R;
                    const float *w[MAX_R];
                    for (int r = 0; r < R; r++) {
                        const size_t row = j + ((size_t)r < rows ? (size_t)r : rows - 1);
                        w[r] = b + row * ldb + pc;
                    }
                    // Tile t of the first panel fetches next-block rows [t·share, (t+1)·share) at this depth.
                    prefetch_rows next = {NULL, ldb * sizeof(float), 0, kc * sizeof(float) / 64 + 1};
                    if (ip == 0 && next_rows > 0) {
                        const size_t share = (next_rows + tiles - 1) / tiles;
                        const size_t first = t * share;
                        if (first < next_rows) {
                            next.first = (const char *)(b + (jc_end + first) * ldb + pc);
                            next.rows = next_rows - first < share ? next_rows - first : share;
                        }
                    }
                    tile(R, NV, kc, w, a, c + ip * width * ldc + j, ldc, lanes, rows, pc > 0, next);
                }
            }
        }
    }
}

CK_ROWS_TARGET static void gemm_rows_64(const float *packed_a, const float *b, size_t ldb, float *c, size_t ldc,
                                        size_t m, size_t k, size_t row_begin, size_t row_end) {
    gemm_rows(6, 4, packed_a, b, ldb, c, ldc, m, k, row_begin, row_end);
}

CK_ROWS_TARGET static void gemm_rows_32(const float *packed_a, const float *b, size_t ldb, float *c, size_t ldc,
                                        size_t m, size_t k, size_t row_begin, size_t row_end) {
    gemm_rows(12, 2, packed_a, b, ldb, c, ldc, m, k, row_begin, row_end);
}

CK_ROWS_TARGET static void gemm_rows_16(const float *packed_a, const float *b, size_t ldb, float *c, size_t ldc,
                                        size_t m, size_t k, size_t row_begin, size_t row_end) {
    gemm_rows(12, 1, packed_a, b, ldb, c, ldc, m, k, row_begin, row_end);
}

void ck_f32_rows_gemm(const float *packed_a, const float *b, size_t ldb, float *c, size_t ldc, size_t m, size_t k,
                      size_t row_begin, size_t row_end) {
    if (k == 0) {
        ck_zero_output_columns(c, ldc, m, row_begin, row_end);
        return;
    }
    switch (ck_f32_rows_panel_width(m)) {
    case 16: gemm_rows_16(packed_a, b, ldb, c, ldc, m, k, row_begin, row_end); break;
    case 32: gemm_rows_32(packed_a, b, ldb, c, ldc, m, k, row_begin, row_end); break;
    default: gemm_rows_64(packed_a, b, ldb, c, ldc, m, k, row_begin, row_end); break;
    }
}

#else  // Not x86_64: never called (CPUFeatures.hasAVX512F is false); defined so the target links everywhere.

void ck_f32_rows_gemm(const float *packed_a, const float *b, size_t ldb, float *c, size_t ldc, size_t m, size_t k,
                      size_t row_begin, size_t row_end) {
    (void)packed_a; (void)b; (void)ldb; (void)c; (void)ldc; (void)m; (void)k; (void)row_begin; (void)row_end;
}

#endif
