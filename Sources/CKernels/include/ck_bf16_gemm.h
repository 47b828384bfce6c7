// A bf16 matrix product for CPUs with AVX-512 BF16 (VDPBF16PS): C[m×n] (float32, row-major) = A[m×k] · Bᵀ, with the
// float32 activations A rounded to bf16 (round to nearest even) while they are packed and B[n×k] a weight matrix
// packed once into the micro-kernel's layout. Products are accumulated in float32.
//
// Call ck_bf16_gemm_* only when ck_cpu_has_avx512_bf16() returned 1. Threading is left to the caller: the packing of
// A is split over row panels and the product over column panels, each range independent of the others.
#ifndef CK_BF16_GEMM_H
#define CK_BF16_GEMM_H

#include <stddef.h>
#include <stdint.h>

/// Rows of A (and C) per micro-tile; A is packed in panels of this many rows.
#ifndef CK_BF16_MR
#define CK_BF16_MR 6
#endif
/// Columns of B (and C) per micro-tile; B is packed in panels of this many columns.
#ifndef CK_BF16_NR
#define CK_BF16_NR 64
#endif

/// k pairs per depth block: every output accumulates this many pairs in registers before it is added to C, the same in
/// every bf16 kernel, so a product computes the same bits whichever kernel runs it.
#ifndef CK_BF16_KC
#define CK_BF16_KC 1024
#endif

/// Number of k pairs: (k + 1) / 2 (an odd k is padded with a zero).
size_t ck_bf16_pairs(size_t k);

/// Elements (uint32: one bf16 pair each) of B packed for n columns (rows of the weight) and depth k.
size_t ck_bf16_packed_b_count(size_t n, size_t k);

/// Elements (uint32) of A packed for m rows and depth k.
size_t ck_bf16_packed_a_count(size_t m, size_t k);

/// Packs column panels [panel_begin, panel_end) of B (n×k float32, row stride ldb) into `packed`
/// (ck_bf16_packed_b_count(n, k) elements), rounding to bf16 with round-to-nearest-even.
/// Layout: panel j, pair p, column c (0..<CK_BF16_NR) → packed[(j·pairs + p)·NR + c] = bf16(B[jNR+c][2p]) |
/// bf16(B[jNR+c][2p+1]) << 16; columns past n and the pad of an odd k are zero.
void ck_bf16_pack_b(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed, size_t panel_begin,
                    size_t panel_end);

/// Packs column panels [panel_begin, panel_end) of B given in bf16 (n×k, row stride ldb) into the layout of
/// ck_bf16_pack_b, the values as they are. Equal to ck_bf16_pack_b on the same values widened to float32, except that
/// a denormal or NaN keeps its own bits (the product, which treats denormal inputs as zero, computes the same).
/// Portable C: runs on any CPU.
void ck_bf16_pack_b_bf16(const uint16_t *b, size_t ldb, size_t n, size_t k, uint32_t *packed, size_t panel_begin,
                         size_t panel_end);

/// Packs row panels [panel_begin, panel_end) of A (m×k float32, row stride lda) into `packed`
/// (ck_bf16_packed_a_count(m, k) elements), rounding to bf16 with round-to-nearest-even (AVX-512 BF16 conversion;
/// input denormals count as zero). Layout: panel i, pair p, row r → packed[(i·pairs + p)·MR + r].
void ck_bf16_pack_a(const float *a, size_t lda, size_t m, size_t k, uint32_t *packed, size_t panel_begin,
                    size_t panel_end);

/// C[:, columns of panels [panel_begin, panel_end)] = packed A · packed Bᵀ, for m rows and depth k; C is m×n with
/// row stride ldc. Overwrites C (no beta).
void ck_bf16_gemm_panels(const uint32_t *packed_a, const uint32_t *packed_b, float *c, size_t ldc, size_t m,
                         size_t n, size_t k, size_t panel_begin, size_t panel_end);

/// Packs panels [panel_begin, panel_end) of `width`-row panels of `src` (rows×k float32, row stride ld), rounding to
/// bf16 as ck_bf16_pack_a does: panel i, pair p, row r → packed[(i·pairs + p)·width + r]; rows past `rows` are zero.
/// ck_bf16_pack_a is this with width CK_BF16_MR.
void ck_bf16_pack_panels(const float *src, size_t ld, size_t rows, size_t k, uint32_t *packed, size_t width,
                         size_t panel_begin, size_t panel_end);

/// Round-to-nearest-even float32 → bf16 bits (NaN stays NaN), the rounding the packers use.
uint16_t ck_bf16_from_float(float value);

#endif
