// Blocked dot products and squared distances between rows of one float32 matrix, chosen by index lists: the
// distance evaluations of UMAP's nearest-neighbour search (NN-descent local joins, random-projection leaves).
// The `_avx2` functions need AVX2 + FMA3 (ck_cpu_has_avx2_fma() == 1), the `_avx512` functions AVX-512F
// (ck_cpu_has_avx512f() == 1); each is compiled with a per-function target attribute, so the library itself
// builds for the baseline and callers choose at run time (with a portable fallback of their own).
#ifndef CK_ROWS_H
#define CK_ROWS_H

#include <stddef.h>
#include <stdint.h>

/// 1 when the CPU executes AVX-512 Foundation instructions (and the OS saves the ZMM state), else 0.
int ck_cpu_has_avx512f(void);

/// What ck_rows_* compute for a pair of rows.
enum ck_rows_kind {
    /// The dot product Σ x[t]·y[t].
    CK_ROWS_DOT = 0,
    /// The squared Euclidean distance Σ (x[t] − y[t])².
    CK_ROWS_SQUARED_DISTANCE = 1,
};

/// For every i < nrows and j < ncols: out[i * ldo + j] = f(row a[i], row b[j]) of the row-major matrix `base`
/// (rows of `dim` floats; a and b hold row numbers), f chosen by `kind`.
///
/// With `upper` != 0 only the entries with j > i are needed (the caller passes the same list prefix as a and b);
/// whole 4 × 4 (AVX-512) or 4 × 2 (AVX2) tiles with j ≤ i everywhere are skipped and their entries left unwritten,
/// entries with j ≤ i inside computed tiles are written too. `ldo` ≥ ncols.
void ck_rows_avx512(
    const float *base, size_t dim, const int32_t *a, size_t nrows, const int32_t *b, size_t ncols, int upper,
    int kind, float *out, size_t ldo);

/// The same as ck_rows_avx512 with AVX2 + FMA3 instructions.
void ck_rows_avx2(
    const float *base, size_t dim, const int32_t *a, size_t nrows, const int32_t *b, size_t ncols, int upper,
    int kind, float *out, size_t ldo);

#endif
