// Exponentials and logarithms in double precision, as softmax and the divergences of two distributions need them.
// Every function needs AVX-512F (ck_cpu_has_avx512f() == 1); each is compiled with a per-function target attribute,
// so callers choose at run time (with a portable fallback of their own).
#ifndef CK_SOFTMAX_H
#define CK_SOFTMAX_H

#include <stddef.h>

/// Returns Σ exp(x[i] − shift) over i < n, each term in double within 2 ulp of the correctly rounded exp (terms
/// below 2^−1022 — exponents under about −708 — count as 0, which leaves any sum holding a term ≥ 1 unchanged).
/// When `terms` is not NULL, terms[i] receives the i-th term. The sum is taken in eight interleaved partial sums.
double ck_exp_shifted_f64_avx512(const float *x, size_t n, double shift, double *terms);

/// out[i] = log(x[i]) for i < n, every x[i] > 0 (subnormals too), within 1 ulp (fdlibm's method).
void ck_log_f64_avx512(const double *x, size_t n, double *out);

/// The sums behind two next-token distributions' divergences, from their logits `a`, `b` (n values each), their
/// maxima, the logarithms of their softmax normalisers, and the unnormalised terms ea[i] = exp(a[i] − maxA) (eb
/// likewise) with their totals. With p = e / total and log p = x − max − logTotal, writes
/// out[0] = Σ pa (log pa − log pb), out[1] = Σ pb (log pb − log pa), out[2] = −Σ pa log pa, out[3] = −Σ pb log pb and
/// out[4] = Σ ½ pa (log pa − log m) + ½ pb (log pb − log m) over m = ½ (pa + pb) > 0 (a term whose p is 0 adds
/// nothing). Logarithms within 1 ulp (fdlibm's method); sums in eight interleaved partial sums.
void ck_divergence_sums_avx512(
    const float *a, const float *b, const double *ea, const double *eb, size_t n, double maxA, double maxB,
    double logTotalA, double logTotalB, double totalA, double totalB, double out[5]);

#endif
