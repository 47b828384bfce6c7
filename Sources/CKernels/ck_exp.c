#include "ck_exp.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define CK_T512 __attribute__((target("avx512f")))

// exp(t) = 2^n · exp(r), n = round(t / ln 2), r = t − n·ln 2 in [−0.347, 0.347] (ln 2 split Cody–Waite style:
// n·LN2_HI is exact for |n| < 2^21), exp(r) by its Taylor polynomial of degree 13 (truncation below 1e-17), 2^n
// applied by scalef, which rounds once and gives 0 far below the subnormals.
static const double LN2_HI = 6.93147180369123816490e-01;
static const double LN2_LO = 1.90821492927058770002e-10;
static const double LOG2_E = 1.44269504088896338700e+00;

CK_T512 static inline __attribute__((always_inline)) __m512d ck_exp8(__m512d t) {
    // Below −708.4 the result is under 2^−1022: 0 here (clamping first keeps n and r finite for any input).
    __mmask8 tiny = _mm512_cmp_pd_mask(t, _mm512_set1_pd(-708.3964185322641), _CMP_LT_OQ);
    t = _mm512_max_pd(t, _mm512_set1_pd(-745.0));
    __m512d n = _mm512_roundscale_pd(_mm512_mul_pd(t, _mm512_set1_pd(LOG2_E)), _MM_FROUND_TO_NEAREST_INT);
    __m512d r = _mm512_fnmadd_pd(n, _mm512_set1_pd(LN2_HI), t);
    r = _mm512_fnmadd_pd(n, _mm512_set1_pd(LN2_LO), r);
    static const double c[14] = {
        1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880,
        1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0,
    };
    __m512d p = _mm512_set1_pd(c[13]);
    for (int k = 12; k >= 0; k--) p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(c[k]));
    return _mm512_maskz_scalef_pd((__mmask8)~tiny, p, n);
}

CK_T512 double ck_exp_shifted_f64_avx512(const float *x, size_t n, double shift, double *terms) {
    __m512d sum = _mm512_setzero_pd();
    __m512d s = _mm512_set1_pd(shift);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512d e = ck_exp8(_mm512_sub_pd(_mm512_cvtps_pd(_mm256_loadu_ps(x + i)), s));
        if (terms) _mm512_storeu_pd(terms + i, e);
        sum = _mm512_add_pd(sum, e);
    }
    if (i < n) {
        __mmask8 m = (__mmask8)((1u << (n - i)) - 1u);
        __m512d e = ck_exp8(_mm512_sub_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(_mm512_maskz_loadu_ps((__mmask16)m, x + i))), s));
        e = _mm512_maskz_mov_pd(m, e);
        if (terms) _mm512_mask_storeu_pd(terms + i, m, e);
        sum = _mm512_add_pd(sum, e);
    }
    return _mm512_reduce_add_pd(sum);
}

#else

double ck_exp_shifted_f64_avx512(const float *x, size_t n, double shift, double *terms) {
    (void)x; (void)n; (void)shift; (void)terms;
    return 0.0;  // never called: ck_cpu_has_avx512f() is 0 off x86_64
}

#endif
