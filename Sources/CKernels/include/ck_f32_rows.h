// A float32 matrix product reading the weight's rows where they lie, for CPUs with AVX-512F: C[m×n] (row-major) =
// A[m×k] · Bᵀ with B[n×k] any row-major float32 weight in memory (a mapped file's tensor, an array), A packed per call.
//
// Every element of C is the sum over k in increasing order of a[i][k]·b[j][k] (fused multiply-adds in float32), in
// blocks of CK_F32_KC added to C in turn: exactly what ck_f32_gemm_panels computes from the packed weight, bit for
// bit, so a weight read in place and the same weight packed give the same products. The result does not depend on m
// or on how the caller splits the work. Call ck_f32_rows_gemm only when ck_cpu_has_avx512f() returned 1.
#ifndef CK_F32_ROWS_H
#define CK_F32_ROWS_H

#include <stddef.h>

/// Rows of A per packed panel for a product of m rows: 16, 32 or 64.
size_t ck_f32_rows_panel_width(size_t m);

/// Floats of A packed for m rows and depth k: whole panels of ck_f32_rows_panel_width(m) rows.
size_t ck_f32_rows_packed_a_count(size_t m, size_t k);

/// Packs row panels [panel_begin, panel_end) of A (m×k, row stride lda) into `packed`: panel i, depth p, row r →
/// packed[(i·k + p)·width + r]; rows past m are zero.
void ck_f32_rows_pack_a(const float *a, size_t lda, size_t m, size_t k, float *packed, size_t panel_begin,
                        size_t panel_end);

/// C[:, row_begin ..< row_end] = packed A · B[row_begin ..< row_end]ᵀ for m rows and depth k; B's rows are `ldb`
/// floats apart; C is m × ldc. Overwrites those columns of C (no beta).
void ck_f32_rows_gemm(const float *packed_a, const float *b, size_t ldb, float *c, size_t ldc, size_t m, size_t k,
                      size_t row_begin, size_t row_end);

#endif
