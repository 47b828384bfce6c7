#include "ck_softmax.h"

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


// log(x) for x > 0 (normal or subnormal), fdlibm's method: x = 2^k (1 + f) with √2/2 < 1 + f < √2, s = f / (2 + f),
// log(1 + f) = f − (½f² − s (½f² + R(s²))), R a degree-7 polynomial in s²; k ln 2 added in two parts.
CK_T512 static inline __attribute__((always_inline)) __m512d ck_log8(__m512d x) {
    __m512d m = _mm512_getmant_pd(x, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_zero);
    __m512d k = _mm512_getexp_pd(x);
    __mmask8 high = _mm512_cmp_pd_mask(m, _mm512_set1_pd(1.4142135623730951), _CMP_GT_OQ);
    m = _mm512_mask_mul_pd(m, high, m, _mm512_set1_pd(0.5));
    k = _mm512_mask_add_pd(k, high, k, _mm512_set1_pd(1.0));
    __m512d f = _mm512_sub_pd(m, _mm512_set1_pd(1.0));
    __m512d s = _mm512_div_pd(f, _mm512_add_pd(_mm512_set1_pd(2.0), f));
    __m512d z = _mm512_mul_pd(s, s);
    __m512d w = _mm512_mul_pd(z, z);
    __m512d t1 = _mm512_mul_pd(w, _mm512_fmadd_pd(w, _mm512_fmadd_pd(w, _mm512_set1_pd(1.531383769920937332e-01),
        _mm512_set1_pd(2.222219843214978396e-01)), _mm512_set1_pd(3.999999999940941908e-01)));
    __m512d t2 = _mm512_mul_pd(z, _mm512_fmadd_pd(w, _mm512_fmadd_pd(w, _mm512_fmadd_pd(w,
        _mm512_set1_pd(1.479819860511658591e-01), _mm512_set1_pd(1.818357216161805012e-01)),
        _mm512_set1_pd(2.857142874366239149e-01)), _mm512_set1_pd(6.666666666666735130e-01)));
    __m512d r = _mm512_add_pd(t2, t1);
    __m512d hfsq = _mm512_mul_pd(_mm512_set1_pd(0.5), _mm512_mul_pd(f, f));
    // k·LN2_HI − ((hfsq − (s·(hfsq + R) + k·LN2_LO)) − f)
    __m512d inner = _mm512_add_pd(_mm512_mul_pd(s, _mm512_add_pd(hfsq, r)), _mm512_mul_pd(k, _mm512_set1_pd(LN2_LO)));
    __m512d tail = _mm512_sub_pd(_mm512_sub_pd(hfsq, inner), f);
    return _mm512_sub_pd(_mm512_mul_pd(k, _mm512_set1_pd(LN2_HI)), tail);
}

CK_T512 void ck_log_f64_avx512(const double *x, size_t n, double *out) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm512_storeu_pd(out + i, ck_log8(_mm512_loadu_pd(x + i)));
    if (i < n) {
        __mmask8 m = (__mmask8)((1u << (n - i)) - 1u);
        _mm512_mask_storeu_pd(out + i, m, ck_log8(_mm512_mask_loadu_pd(_mm512_set1_pd(1.0), m, x + i)));
    }
}

CK_T512 void ck_divergence_sums_avx512(
    const float *a, const float *b, const double *ea, const double *eb, size_t n, double maxA, double maxB,
    double logTotalA, double logTotalB, double totalA, double totalB, double out[5]) {
    __m512d kl_ab = _mm512_setzero_pd(), kl_ba = _mm512_setzero_pd(), ent_a = _mm512_setzero_pd();
    __m512d ent_b = _mm512_setzero_pd(), js = _mm512_setzero_pd();
    const __m512d half = _mm512_set1_pd(0.5), zero = _mm512_setzero_pd();
    for (size_t i = 0; i < n; i += 8) {
        __mmask8 in = n - i >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (n - i)) - 1u);
        __m512d xa = _mm512_cvtps_pd(_mm512_castps512_ps256(_mm512_maskz_loadu_ps((__mmask16)in, a + i)));
        __m512d xb = _mm512_cvtps_pd(_mm512_castps512_ps256(_mm512_maskz_loadu_ps((__mmask16)in, b + i)));
        __m512d pa = _mm512_div_pd(_mm512_maskz_loadu_pd(in, ea + i), _mm512_set1_pd(totalA));
        __m512d pb = _mm512_div_pd(_mm512_maskz_loadu_pd(in, eb + i), _mm512_set1_pd(totalB));
        __m512d la = _mm512_sub_pd(_mm512_sub_pd(xa, _mm512_set1_pd(maxA)), _mm512_set1_pd(logTotalA));
        __m512d lb = _mm512_sub_pd(_mm512_sub_pd(xb, _mm512_set1_pd(maxB)), _mm512_set1_pd(logTotalB));
        kl_ab = _mm512_mask_add_pd(kl_ab, in, kl_ab, _mm512_mul_pd(pa, _mm512_sub_pd(la, lb)));
        kl_ba = _mm512_mask_add_pd(kl_ba, in, kl_ba, _mm512_mul_pd(pb, _mm512_sub_pd(lb, la)));
        ent_a = _mm512_mask_add_pd(ent_a, in, ent_a, _mm512_mul_pd(pa, la));
        ent_b = _mm512_mask_add_pd(ent_b, in, ent_b, _mm512_mul_pd(pb, lb));
        __m512d m = _mm512_mul_pd(half, _mm512_add_pd(pa, pb));
        __mmask8 positive = _mm512_mask_cmp_pd_mask(in, m, zero, _CMP_GT_OQ);
        __m512d lm = ck_log8(_mm512_mask_blend_pd(positive, _mm512_set1_pd(1.0), m));
        __mmask8 from_a = _mm512_mask_cmp_pd_mask(positive, pa, zero, _CMP_GT_OQ);
        __mmask8 from_b = _mm512_mask_cmp_pd_mask(positive, pb, zero, _CMP_GT_OQ);
        js = _mm512_mask_add_pd(js, from_a, js, _mm512_mul_pd(_mm512_mul_pd(half, pa), _mm512_sub_pd(la, lm)));
        js = _mm512_mask_add_pd(js, from_b, js, _mm512_mul_pd(_mm512_mul_pd(half, pb), _mm512_sub_pd(lb, lm)));
    }
    out[0] = _mm512_reduce_add_pd(kl_ab);
    out[1] = _mm512_reduce_add_pd(kl_ba);
    out[2] = -_mm512_reduce_add_pd(ent_a);
    out[3] = -_mm512_reduce_add_pd(ent_b);
    out[4] = _mm512_reduce_add_pd(js);
}

#else

double ck_exp_shifted_f64_avx512(const float *x, size_t n, double shift, double *terms) {
    (void)x; (void)n; (void)shift; (void)terms;
    return 0.0;  // never called: ck_cpu_has_avx512f() is 0 off x86_64
}

void ck_log_f64_avx512(const double *x, size_t n, double *out) {
    (void)x; (void)n; (void)out;  // never called off x86_64
}

void ck_divergence_sums_avx512(
    const float *a, const float *b, const double *ea, const double *eb, size_t n, double maxA, double maxB,
    double logTotalA, double logTotalB, double totalA, double totalB, double out[5]) {
    (void)a; (void)b; (void)ea; (void)eb; (void)n; (void)maxA; (void)maxB; (void)logTotalA; (void)logTotalB;
    (void)totalA; (void)totalB; (void)out;  // never called off x86_64
}

#endif
