// A bf16 matrix product whose weight is read where it lies: C[m×n] (float32, row-major) = bf16(A[m×k]) · Bᵀ with
// B[n×k] bf16 rows in memory as a model file stores them (PyTorch's out × in), no packing. Computes the same bits as
// ck_bf16_gemm_panels on the same weight packed: every output accumulates the same bf16 pairs in the same order, in
// blocks of CK_BF16_KC pairs.
//
// Call only when ck_cpu_has_avx512_bf16() returned 1. Threading is left to the caller: the packing of A is split over
// its panels and the product over ranges of B's rows, each range independent of the others.
#ifndef CK_BF16_ROWS_H
#define CK_BF16_ROWS_H

#include <stddef.h>
#include <stdint.h>

/// B rows a caller's ranges are multiples of (every tile shape divides it).
#define CK_BF16_ROWS_STEP 12

/// Rows of A per packed panel for a product of m rows: 64, or 32 / 16 when m is that small (fewer padded rows).
size_t ck_bf16_rows_panel_width(size_t m);

/// Elements (uint32: one bf16 pair each) of A packed for m rows and an even depth k.
size_t ck_bf16_rows_packed_a_count(size_t m, size_t k);

/// Packs panels [panel_begin, panel_end) of A (m×k float32, row stride lda) into `packed`
/// (ck_bf16_rows_packed_a_count(m, k) elements), rounding to bf16 as ck_bf16_pack_a does, in panels of
/// ck_bf16_rows_panel_width(m) rows.
void ck_bf16_rows_pack_a(const float *a, size_t lda, size_t m, size_t k, uint32_t *packed, size_t panel_begin,
                         size_t panel_end);

/// C[:, row_begin ..< row_end] = packed A · B[row_begin ..< row_end]ᵀ for m rows and depth k; overwrites those columns
/// of C (row stride ldc). B holds bf16 rows with a row stride of ldb elements; k and ldb must be even and b aligned
/// to 4 bytes (a pair is read as one 32-bit word). row_begin must be a multiple of CK_BF16_ROWS_STEP.
void ck_bf16_rows_gemm(const uint32_t *packed_a, const uint16_t *b, size_t ldb, float *c, size_t ldc, size_t m,
                       size_t k, size_t row_begin, size_t row_end);

#endif
