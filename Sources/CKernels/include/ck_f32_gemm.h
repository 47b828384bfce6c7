// A float32 matrix product with a pre-packed weight, for CPUs with AVX-512F: C[m×n] (row-major) = A[m×k] · Bᵀ, with
// B[n×k] a weight matrix packed once into the micro-kernel's layout and A packed per call. Meant for products with few
// rows (a Mixture-of-Experts expert sees ~30 rows of a batch), where a BLAS library packs the whole weight on every
// call and that packing costs as much as the arithmetic.
//
// Every element of C is the sum over k in increasing order of a[i][k]·b[j][k] (fused multiply-adds in float32), in
// blocks of CK_F32_KC, whatever the threading; the result does not depend on how the caller splits the work.
// Call ck_f32_gemm_* only when ck_cpu_has_avx512f() returned 1. Threading is left to the caller: the packing of A is
// split over row panels and the product over column panels, each range independent of the others.
#ifndef CK_F32_GEMM_H
#define CK_F32_GEMM_H

#include <stddef.h>
#include <stdint.h>

/// Rows of A (and C) per micro-tile; A is packed in panels of this many rows.
#ifndef CK_F32_MR
#define CK_F32_MR 4
#endif
/// Depth per block: each element of C is summed over CK_F32_KC values of k at a time, the blocks added in turn.
#ifndef CK_F32_KC
#define CK_F32_KC 512
#endif
/// Columns of B (and C) per micro-tile; B is packed in panels of this many columns (rows of the weight).
#ifndef CK_F32_NR
#define CK_F32_NR 64
#endif

/// Floats of B packed for n columns (rows of the weight) and depth k: whole panels of CK_F32_NR columns.
size_t ck_f32_packed_b_count(size_t n, size_t k);

/// Floats of A packed for m rows and depth k: whole panels of CK_F32_MR rows.
size_t ck_f32_packed_a_count(size_t m, size_t k);

/// Packs column panels [panel_begin, panel_end) of B (n×k, row stride ldb) into `packed`
/// (ck_f32_packed_b_count(n, k) floats). Layout: panel j, depth p, column c → packed[(j·k + p)·NR + c] =
/// B[j·NR + c][p]; columns past n are zero.
void ck_f32_pack_b(const float *b, size_t ldb, size_t n, size_t k, float *packed, size_t panel_begin,
                   size_t panel_end);

/// Packs row panels [panel_begin, panel_end) of A (m×k, row stride lda) into `packed` (ck_f32_packed_a_count(m, k)
/// floats). Layout: panel i, depth p, row r → packed[(i·k + p)·MR + r]; rows past m are zero.
void ck_f32_pack_a(const float *a, size_t lda, size_t m, size_t k, float *packed, size_t panel_begin,
                   size_t panel_end);

/// C[:, columns of panels [panel_begin, panel_end)] = packed A · packed Bᵀ, for m rows and depth k; C is m×n with
/// row stride ldc. Overwrites C (no beta).
void ck_f32_gemm_panels(const float *packed_a, const float *packed_b, float *c, size_t ldc, size_t m, size_t n,
                        size_t k, size_t panel_begin, size_t panel_end);

/// Packs column panels [panel_begin, panel_end) of a bf16 B (n×k, row stride ldb) into `packed`
/// (ck_f32_packed_b_count(n, k) values) for ck_f32_gemm_panels_bf16: the product computed in float32 from the bf16
/// values widened exactly, the same bits as ck_f32_gemm_panels on the float32 packing of the widened B. Layout: panel
/// j, depth p → 64 values at packed[(j·k + p)·NR], column c at ((c / 32)·16 + c % 16)·2 + (c / 16) % 2; columns
/// past n are zero.
void ck_f32_pack_b_bf16(const uint16_t *b, size_t ldb, size_t n, size_t k, uint16_t *packed, size_t panel_begin,
                        size_t panel_end);

/// ck_f32_pack_b_bf16 from a float32 B whose values are all bf16 numbers (see ck_f32_values_are_bf16): their upper
/// 16 bits.
void ck_f32_pack_b_bf16_from_f32(const float *b, size_t ldb, size_t n, size_t k, uint16_t *packed,
                                 size_t panel_begin, size_t panel_end);

/// 1 when every one of the `count` float32 values is a bf16 number (its lower 16 bits zero), else 0.
int ck_f32_values_are_bf16(const float *values, size_t count);

/// ck_f32_gemm_panels with B packed by ck_f32_pack_b_bf16 or ck_f32_pack_b_bf16_from_f32.
void ck_f32_gemm_panels_bf16(const float *packed_a, const uint16_t *packed_b, float *c, size_t ldc, size_t m,
                             size_t n, size_t k, size_t panel_begin, size_t panel_end);

/// Packs panels [begin, end) of `width`-row panels of `src` (rows×k, row stride ld): panel i, depth p, row r →
/// packed[(i·k + p)·width + r]; rows past `rows` are zero (the layout of ck_f32_pack_a and ck_f32_pack_b).
void ck_f32_pack_panels(const float *src, size_t ld, size_t rows, size_t k, float *packed, size_t width, size_t begin,
                        size_t end);

#endif
