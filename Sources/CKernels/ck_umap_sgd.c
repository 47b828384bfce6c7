#include "ck_umap_sgd.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define CK_SGD __attribute__((target("avx2,fma")))

static inline uint64_t ck_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t ck_xoshiro_next(uint64_t s[4]) {
    uint64_t result = ck_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ck_rotl(s[3], 45);
    return result;
}

// A uniform integer in [0, bound), bound > 0, without bias (Lemire 2019), as SeededRandom.nextInt(below:).
static inline int64_t ck_next_below(uint64_t s[4], uint64_t bound) {
    unsigned __int128 product = (unsigned __int128)ck_xoshiro_next(s) * bound;
    if ((uint64_t)product < bound) {
        uint64_t threshold = (0 - bound) % bound;
        while ((uint64_t)product < threshold) product = (unsigned __int128)ck_xoshiro_next(s) * bound;
    }
    return (int64_t)(product >> 64);
}

// x^y for 8 lanes: 2^(y log2 x). log2 of the mantissa m in [sqrt(1/2), sqrt(2)) by the series of
// (2 / ln 2) atanh((m - 1) / (m + 1)) to t^9 (truncation < 1e-9), 2^f for |f| <= 1/2 by Taylor to f^7 (< 2e-9).
CK_SGD static inline __m256 ck_pow8(__m256 x, __m256 y) {
    x = _mm256_max_ps(x, _mm256_set1_ps(1.17549435e-38f));
    __m256i bits = _mm256_castps_si256(x);
    __m256i e = _mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(127));
    __m256 m = _mm256_castsi256_ps(
        _mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x007FFFFF)), _mm256_set1_epi32(0x3F800000)));
    __m256 big = _mm256_cmp_ps(m, _mm256_set1_ps(1.41421356f), _CMP_GT_OQ);
    m = _mm256_blendv_ps(m, _mm256_mul_ps(m, _mm256_set1_ps(0.5f)), big);
    e = _mm256_sub_epi32(e, _mm256_castps_si256(big));  // big lanes are all ones = -1
    __m256 one = _mm256_set1_ps(1.0f);
    __m256 t = _mm256_div_ps(_mm256_sub_ps(m, one), _mm256_add_ps(m, one));
    __m256 t2 = _mm256_mul_ps(t, t);
    __m256 s = _mm256_set1_ps(0.32059889797532520f);
    s = _mm256_fmadd_ps(s, t2, _mm256_set1_ps(0.41219858311113244f));
    s = _mm256_fmadd_ps(s, t2, _mm256_set1_ps(0.57707801635558540f));
    s = _mm256_fmadd_ps(s, t2, _mm256_set1_ps(0.96179669392597560f));
    s = _mm256_fmadd_ps(s, t2, _mm256_set1_ps(2.88539008177792680f));
    __m256 z = _mm256_mul_ps(y, _mm256_fmadd_ps(s, t, _mm256_cvtepi32_ps(e)));
    z = _mm256_min_ps(_mm256_max_ps(z, _mm256_set1_ps(-126.0f)), _mm256_set1_ps(126.0f));
    __m256 zi = _mm256_round_ps(z, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 f = _mm256_sub_ps(z, zi);
    __m256 p = _mm256_set1_ps(1.5252733804059840e-5f);
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.5403530393381606e-4f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.3333558146428443e-3f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(9.6181291076284770e-3f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(5.5504108664821580e-2f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(0.24022650695910071f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(0.69314718055994531f));
    p = _mm256_fmadd_ps(p, f, one);
    __m256i scale = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(zi), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(scale));
}

CK_SGD static inline float ck_hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

CK_SGD static inline float ck_clip4(float v) { return v > 4.0f ? 4.0f : (v < -4.0f ? -4.0f : v); }

CK_SGD void ck_umap_pow_avx2(const float *x, float y, float *out, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, ck_pow8(_mm256_loadu_ps(x + i), _mm256_set1_ps(y)));
    if (i < n) {
        float bx[8] = {1, 1, 1, 1, 1, 1, 1, 1}, bo[8];
        for (size_t t = i; t < n; t++) bx[t - i] = x[t];
        _mm256_storeu_ps(bo, ck_pow8(_mm256_loadu_ps(bx), _mm256_set1_ps(y)));
        for (size_t t = i; t < n; t++) out[t] = bo[t - i];
    }
}

CK_SGD void ck_umap_epoch2d_avx2(const ck_umap_layout2d *L, double epoch, float alpha, size_t lo, size_t hi,
                                 uint64_t rng[4]) {
    const float a = L->a, b = L->b;
    const float two_gamma_b = 2 * L->gamma * b;
    const float minus_two_ab = -2 * a * b;
    float *head = L->head, *tail = L->tail;
    const uint64_t bound = (uint64_t)L->tail_count;
    const int move_other = L->move_other;
    uint64_t s[4] = {rng[0], rng[1], rng[2], rng[3]};
    const __m256 vb = _mm256_set1_ps(b), va = _mm256_set1_ps(a), vone = _mm256_set1_ps(1.0f);
    const __m256 vmin = _mm256_set1_ps(0.001f), vc = _mm256_set1_ps(two_gamma_b);
    const __m256 vhi = _mm256_set1_ps(4.0f), vlo = _mm256_set1_ps(-4.0f), vzero = _mm256_setzero_ps();
    for (size_t i = lo; i < hi; i++) {
        if (!(L->next_sample[i] <= epoch) || !(L->eps[i] > 0)) continue;
        int64_t j = L->heads[i], k = L->tails[i];
        float cx = head[2 * j], cy = head[2 * j + 1];
        float ox = tail[2 * k], oy = tail[2 * k + 1];
        float dx = cx - ox, dy = cy - oy;
        float d2 = dx * dx + dy * dy;
        if (d2 > 0) {
            float pb = powf(d2, b);
            float coeff = minus_two_ab * (pb / d2) / (a * pb + 1);
            float gx = ck_clip4(coeff * dx) * alpha, gy = ck_clip4(coeff * dy) * alpha;
            cx += gx;
            cy += gy;
            if (move_other) {
                tail[2 * k] = ox - gx;
                tail[2 * k + 1] = oy - gy;
            }
        }
        // Stored before the negative samples read `tail`, which may be the same buffer.
        head[2 * j] = cx;
        head[2 * j + 1] = cy;
        L->next_sample[i] += L->eps[i];
        int64_t negatives = (int64_t)((epoch - L->next_negative[i]) / L->epn[i]);
        if (negatives > 0) {
            // As the Swift kernel: all negative samples at the same head position, clipped steps summed.
            __m256 sx = vzero, sy = vzero;
            const __m256 vcx = _mm256_set1_ps(cx), vcy = _mm256_set1_ps(cy);
            for (int64_t done = 0; done < negatives; done += 8) {
                int count = negatives - done < 8 ? (int)(negatives - done) : 8;
                // Sample indices into lanes (lanes past `count`, and the head itself, are masked off); the points
                // are then loaded lane by lane (a hardware gather was slower here).
                int32_t idx[8];
                for (int l = 0; l < 8; l++) {
                    int32_t kk = -1;
                    if (l < count) {
                        int64_t drawn = ck_next_below(s, bound);
                        if (!(move_other && drawn == j)) kk = (int32_t)drawn;
                    }
                    idx[l] = kk;
                }
                __m256i vidx = _mm256_setr_epi32(idx[0], idx[1], idx[2], idx[3], idx[4], idx[5], idx[6], idx[7]);
                __m256i valid = _mm256_cmpgt_epi32(vidx, _mm256_set1_epi32(-1));
#define CK_X(l) (idx[l] >= 0 ? tail[2 * idx[l]] : 0.0f)
#define CK_Y(l) (idx[l] >= 0 ? tail[2 * idx[l] + 1] : 0.0f)
                __m256 px = _mm256_setr_ps(CK_X(0), CK_X(1), CK_X(2), CK_X(3), CK_X(4), CK_X(5), CK_X(6), CK_X(7));
                __m256 py = _mm256_setr_ps(CK_Y(0), CK_Y(1), CK_Y(2), CK_Y(3), CK_Y(4), CK_Y(5), CK_Y(6), CK_Y(7));
#undef CK_X
#undef CK_Y
                __m256 nx = _mm256_sub_ps(vcx, px);
                __m256 ny = _mm256_sub_ps(vcy, py);
                __m256 e2 = _mm256_fmadd_ps(nx, nx, _mm256_mul_ps(ny, ny));
                __m256 live = _mm256_and_ps(_mm256_castsi256_ps(valid), _mm256_cmp_ps(e2, vzero, _CMP_GT_OQ));
                __m256 denom = _mm256_mul_ps(_mm256_add_ps(vmin, e2), _mm256_fmadd_ps(va, ck_pow8(e2, vb), vone));
                __m256 c = _mm256_div_ps(vc, denom);
                __m256 gx = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(c, nx), vlo), vhi);
                __m256 gy = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(c, ny), vlo), vhi);
                sx = _mm256_add_ps(sx, _mm256_and_ps(gx, live));
                sy = _mm256_add_ps(sy, _mm256_and_ps(gy, live));
            }
            head[2 * j] = cx + ck_hsum8(sx) * alpha;
            head[2 * j + 1] = cy + ck_hsum8(sy) * alpha;
        }
        L->next_negative[i] += (double)negatives * L->epn[i];
    }
    rng[0] = s[0];
    rng[1] = s[1];
    rng[2] = s[2];
    rng[3] = s[3];
}

#else  // not x86-64: never called (ck_cpu_has_avx2_fma() returns 0); defined so that the symbols exist.

void ck_umap_epoch2d_avx2(const ck_umap_layout2d *layout, double epoch, float alpha, size_t lo, size_t hi,
                          uint64_t rng[4]) {
    (void)layout; (void)epoch; (void)alpha; (void)lo; (void)hi; (void)rng;
}

void ck_umap_pow_avx2(const float *x, float y, float *out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = powf(x[i], y);
}

#endif
