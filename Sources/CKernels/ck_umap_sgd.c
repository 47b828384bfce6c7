#include "ck_umap_sgd.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define CK_SGD __attribute__((target("avx2,fma")))
#define CK_MAXVEC 2
#define CK_GROUP 2
#define CK_BLOCK 1024

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

// One due edge's reads: its head and tail points and its negative samples (lane 0 = the tail, lanes 1.. = the
// negative samples; `nvec` vectors of 8 lanes, masked where unused or where a sample was the head itself).
typedef struct {
    int64_t j, k;
    float cx, cy;
    __m256 px[CK_MAXVEC], py[CK_MAXVEC], live[CK_MAXVEC];
    int nvec;
} ck_edge_reads;

#define CK_INLINE static inline __attribute__((always_inline))

CK_SGD CK_INLINE void ck_read_edge(const ck_umap_layout2d *L, size_t i, int64_t negatives, uint64_t s[4],
                                   ck_edge_reads *r) {
    const float *head = L->head, *tail = L->tail;
    r->j = L->heads[i];
    r->k = L->tails[i];
    r->cx = head[2 * r->j];
    r->cy = head[2 * r->j + 1];
    int64_t total = 1 + (negatives > 0 ? negatives : 0);
    if (total > 8 * CK_MAXVEC) total = 8 * CK_MAXVEC;  // callers split longer runs (never reached in practice)
    r->nvec = (int)((total + 7) / 8);
    for (int v = 0; v < r->nvec; v++) {
        int32_t idx[8];
        for (int l = 0; l < 8; l++) {
            int64_t lane = 8 * v + l;
            int32_t kk = -1;
            if (lane == 0) {
                kk = (int32_t)r->k;
            } else if (lane < total) {
                int64_t drawn = ck_next_below(s, (uint64_t)L->tail_count);
                if (!(L->move_other && drawn == r->j)) kk = (int32_t)drawn;
            }
            idx[l] = kk;
        }
#define CK_X(l) (idx[l] >= 0 ? tail[2 * idx[l]] : 0.0f)
#define CK_Y(l) (idx[l] >= 0 ? tail[2 * idx[l] + 1] : 0.0f)
        r->px[v] = _mm256_setr_ps(CK_X(0), CK_X(1), CK_X(2), CK_X(3), CK_X(4), CK_X(5), CK_X(6), CK_X(7));
        r->py[v] = _mm256_setr_ps(CK_Y(0), CK_Y(1), CK_Y(2), CK_Y(3), CK_Y(4), CK_Y(5), CK_Y(6), CK_Y(7));
#undef CK_X
#undef CK_Y
        __m256i vidx = _mm256_setr_epi32(idx[0], idx[1], idx[2], idx[3], idx[4], idx[5], idx[6], idx[7]);
        r->live[v] = _mm256_castsi256_ps(_mm256_cmpgt_epi32(vidx, _mm256_set1_epi32(-1)));
    }
}

// The clipped gradient steps of one edge: the attraction (lane 0) and the summed repulsions, both unscaled by alpha.
CK_SGD CK_INLINE void ck_edge_steps(const ck_umap_layout2d *L, const ck_edge_reads *r, float *gpx, float *gpy,
                                    float *gnx, float *gny) {
    const __m256 va = _mm256_set1_ps(L->a), vb = _mm256_set1_ps(L->b), vone = _mm256_set1_ps(1.0f);
    const __m256 vzero = _mm256_setzero_ps(), vhi = _mm256_set1_ps(4.0f), vlo = _mm256_set1_ps(-4.0f);
    const __m256 rep = _mm256_set1_ps(2 * L->gamma * L->b), att = _mm256_set1_ps(-2 * L->a * L->b);
    const __m256 first = _mm256_castsi256_ps(_mm256_setr_epi32(-1, 0, 0, 0, 0, 0, 0, 0));
    const __m256 vcx = _mm256_set1_ps(r->cx), vcy = _mm256_set1_ps(r->cy);
    __m256 sx = vzero, sy = vzero, px0 = vzero, py0 = vzero;
    for (int v = 0; v < r->nvec; v++) {
        __m256 nx = _mm256_sub_ps(vcx, r->px[v]);
        __m256 ny = _mm256_sub_ps(vcy, r->py[v]);
        __m256 e2 = _mm256_fmadd_ps(nx, nx, _mm256_mul_ps(ny, ny));
        __m256 live = _mm256_and_ps(r->live[v], _mm256_cmp_ps(e2, vzero, _CMP_GT_OQ));
        __m256 pb = ck_pow8(e2, vb);
        __m256 t = _mm256_fmadd_ps(va, pb, vone);
        // Attraction (lane 0 of the first vector): -2ab d^(2b-2) / (1 + a d^2b);
        // repulsion: 2 gamma b / ((0.001 + d^2)(1 + a d^2b)).
        __m256 num = rep, den = _mm256_add_ps(_mm256_set1_ps(0.001f), e2);
        if (v == 0) {
            num = _mm256_blendv_ps(rep, _mm256_mul_ps(att, pb), first);
            den = _mm256_blendv_ps(den, e2, first);
        }
        __m256 c = _mm256_div_ps(num, _mm256_mul_ps(den, t));
        __m256 gx = _mm256_and_ps(_mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(c, nx), vlo), vhi), live);
        __m256 gy = _mm256_and_ps(_mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(c, ny), vlo), vhi), live);
        if (v == 0) {
            px0 = _mm256_and_ps(gx, first);
            py0 = _mm256_and_ps(gy, first);
            gx = _mm256_andnot_ps(first, gx);
            gy = _mm256_andnot_ps(first, gy);
        }
        sx = _mm256_add_ps(sx, gx);
        sy = _mm256_add_ps(sy, gy);
    }
    *gpx = _mm256_cvtss_f32(px0);
    *gpy = _mm256_cvtss_f32(py0);
    *gnx = ck_hsum8(sx);
    *gny = ck_hsum8(sy);
}

CK_SGD CK_INLINE void ck_write_edge(const ck_umap_layout2d *L, const ck_edge_reads *r, float alpha, float gpx,
                                    float gpy, float gnx, float gny) {
    float ax = gpx * alpha, ay = gpy * alpha;
    if (L->move_other) {
        L->tail[2 * r->k] = r->px[0][0] - ax;
        L->tail[2 * r->k + 1] = r->py[0][0] - ay;
    }
    float cx = r->cx + ax, cy = r->cy + ay;
    L->head[2 * r->j] = cx + gnx * alpha;
    L->head[2 * r->j + 1] = cy + gny * alpha;
}

// All lanes but the first (the attraction), for the later runs of an edge with many negative samples.
CK_SGD CK_INLINE __m256 ck_not_first(void) {
    return _mm256_castsi256_ps(_mm256_setr_epi32(0, -1, -1, -1, -1, -1, -1, -1));
}

// Edge i with `negatives` negative samples on its own, in runs of at most 8 · CK_MAXVEC − 1 samples (the attraction
// only in the first run).
CK_SGD CK_INLINE void ck_edge_in_runs(const ck_umap_layout2d *L, size_t i, int64_t negatives, uint64_t s[4],
                                      float alpha) {
    int64_t left = negatives;
    int first = 1;
    do {
        int64_t run = left > 8 * CK_MAXVEC - 1 ? 8 * CK_MAXVEC - 1 : left;
        ck_edge_reads r;
        ck_read_edge(L, i, run, s, &r);
        if (!first) r.live[0] = _mm256_and_ps(r.live[0], ck_not_first());
        float gpx, gpy, gnx, gny;
        ck_edge_steps(L, &r, &gpx, &gpy, &gnx, &gny);
        ck_write_edge(L, &r, alpha, gpx, gpy, gnx, gny);
        left -= run;
        first = 0;
    } while (left > 0);
}

// The number of negative samples edge i takes this epoch, its schedules advanced.
static inline int64_t ck_take_schedule(const ck_umap_layout2d *L, size_t i, double epoch) {
    L->next_sample[i] += L->eps[i];
    int64_t negatives = (int64_t)((epoch - L->next_negative[i]) / L->epn[i]);
    L->next_negative[i] += (double)negatives * L->epn[i];
    return negatives;
}

CK_SGD void ck_umap_epoch2d_avx2(const ck_umap_layout2d *L, double epoch, float alpha, size_t lo, size_t hi,
                                 uint64_t rng[4]) {
    uint64_t s[4] = {rng[0], rng[1], rng[2], rng[3]};
    for (size_t block = lo; block < hi; block += CK_BLOCK) {
        size_t end = block + CK_BLOCK < hi ? block + CK_BLOCK : hi;
        uint32_t due[CK_BLOCK];
        size_t ndue = 0;
        for (size_t i = block; i < end; i++) {
            due[ndue] = (uint32_t)(i - block);
            ndue += (L->next_sample[i] <= epoch) & (L->eps[i] > 0);
        }
        size_t q = 0;
        for (; q + CK_GROUP <= ndue; q += CK_GROUP) {
            size_t ids[CK_GROUP];
            int64_t counts[CK_GROUP];
            int fits = 1;
            for (int e = 0; e < CK_GROUP; e++) {
                ids[e] = block + due[q + e];
                counts[e] = ck_take_schedule(L, ids[e], epoch);
                fits &= counts[e] <= 8 * CK_MAXVEC - 1;
            }
            if (!fits) {
                // More negative samples than the lanes hold (negative_sample_rate above 15): one edge at a time, in
                // runs of at most 8 · CK_MAXVEC − 1 samples.
                for (int e = 0; e < CK_GROUP; e++) ck_edge_in_runs(L, ids[e], counts[e], s, alpha);
                continue;
            }
            // CK_GROUP edges at once: all read before any writes (their computations overlap in the processor).
            ck_edge_reads r[CK_GROUP];
            float g[CK_GROUP][4];
            for (int e = 0; e < CK_GROUP; e++) ck_read_edge(L, ids[e], counts[e], s, &r[e]);
            for (int e = 0; e < CK_GROUP; e++) ck_edge_steps(L, &r[e], &g[e][0], &g[e][1], &g[e][2], &g[e][3]);
            for (int e = 0; e < CK_GROUP; e++) ck_write_edge(L, &r[e], alpha, g[e][0], g[e][1], g[e][2], g[e][3]);
        }
        if (q < ndue) {
            size_t i1 = block + due[q];
            ck_edge_in_runs(L, i1, ck_take_schedule(L, i1, epoch), s, alpha);
        }
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
