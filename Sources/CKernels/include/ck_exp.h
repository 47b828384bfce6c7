// Exponentials of float32 values in double precision, as softmax needs them: exp(x[i] − shift), summed.
// ck_exp_shifted_f64_avx512 needs AVX-512F (ck_cpu_has_avx512f() == 1); it is compiled with a per-function target
// attribute, so callers choose at run time (with a portable fallback of their own).
#ifndef CK_EXP_H
#define CK_EXP_H

#include <stddef.h>

/// Returns Σ exp(x[i] − shift) over i < n, each term in double within 2 ulp of the correctly rounded exp (terms
/// below 2^−1022 — exponents under about −708 — count as 0, which leaves any sum holding a term ≥ 1 unchanged).
/// When `terms` is not NULL, terms[i] receives the i-th term. The sum is taken in eight interleaved partial sums.
double ck_exp_shifted_f64_avx512(const float *x, size_t n, double shift, double *terms);

#endif
