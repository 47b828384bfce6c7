// float32 matrix product with a pre-packed weight on AVX-512F; see include/ck_f32_gemm.h for the contract and layouts.
//
// Blocking (GotoBLAS order): k in blocks of KC, m in blocks of MC_PANELS row panels (the packed A block stays in L2),
// then every column panel of the caller's range (its KC·NR slice of B, 128 KiB, is reused by every A panel of the
// block), then the MR×NR micro-tile: 4 rows × 4 zmm of 16 float32 accumulators, one FMA per accumulator and depth
// with the A value broadcast from memory. MR = 4 wastes little on the ~30-row products of experts (31 rows: 32
// computed), and NR = 64 divides the usual widths (1536, 2048, 768…), so a packed weight is exactly as large as the
// matrix and can take its place in memory. Measured single-threaded on the 2-core Zen 5 EPYC at 31×2048 · 2048×1536:
// 8×48 tiles 147 GFLOP/s, 4×64 149, 5×64 143, 6×64 141; OpenBLAS's sgemm (Haswell kernels, packing the weight per
// call) 56.
#include "ck_f32_gemm.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

#include "ck_tile.h"
#define CK_F32_TARGET __attribute__((target("avx512f")))
#endif

#ifndef CK_F32_KC
#define CK_F32_KC 512
#endif
#ifndef CK_F32_MCP
#define CK_F32_MCP 16
#endif
enum { MR = CK_F32_MR, NR = CK_F32_NR, KC = CK_F32_KC, MC_PANELS = CK_F32_MCP };

size_t ck_f32_packed_b_count(size_t n, size_t k) { return (n + NR - 1) / NR * k * NR; }

size_t ck_f32_packed_a_count(size_t m, size_t k) { return (m + MR - 1) / MR * k * MR; }

/// Packs panels [begin, end) of `width`-row panels of `src` (rows×k): panel i, depth p, row r →
/// packed[(i·k + p)·width + r]; rows past `rows` are zero. Depth goes in blocks of 16 (one cache line of each source
/// row), so the block's destination (16 · width floats) stays in L1 while every row of the panel writes into it.
static void pack_panels(const float *src, size_t ld, size_t rows, size_t k, float *packed, size_t width,
                        size_t begin, size_t end) {
    enum { DEPTH_BLOCK = 16 };
    for (size_t panel = begin; panel < end; panel++) {
        float *base = packed + panel * k * width;
        for (size_t p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
            const size_t depth = k - p0 < DEPTH_BLOCK ? k - p0 : DEPTH_BLOCK;
            float *block = base + p0 * width;
            for (size_t r = 0; r < width; r++) {
                const size_t row = panel * width + r;
                if (row >= rows) {
                    for (size_t q = 0; q < depth; q++) block[q * width + r] = 0;
                    continue;
                }
                const float *x = src + row * ld + p0;
                for (size_t q = 0; q < depth; q++) block[q * width + r] = x[q];
            }
        }
    }
}

#if defined(__x86_64__)

/// One MR×NR tile: C[rows × cols] (=|+=) Σ over kc depths of A panel · B panel.
CK_F32_TARGET
static inline void micro_kernel(size_t kc, const float *a, const float *b, float *c, size_t ldc, size_t rows,
                                size_t cols, int accumulate) {
    enum { NV = NR / 16 };
    __m512 acc[MR][NV];
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    }
    for (size_t p = 0; p < kc; p++) {
        __m512 bv[NV];
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) bv[v] = _mm512_loadu_ps(b + 16 * v);
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            const __m512 av = _mm512_set1_ps(a[r]);
#pragma clang loop unroll(full)
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
        }
        a += MR;
        b += NR;
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        if ((size_t)r < rows) {
            float *row = c + (size_t)r * ldc;
#pragma clang loop unroll(full)
            for (int v = 0; v < NV; v++) ck_store_tile_vector(row, acc[r][v], 16 * (size_t)v, cols, accumulate);
        }
    }
}

CK_F32_TARGET
static void gemm_panels(const float *packed_a, const float *packed_b, float *c, size_t ldc, size_t m, size_t n,
                        size_t k, size_t panel_begin, size_t panel_end) {
    const size_t row_panels = (m + MR - 1) / MR;
    if (k == 0) {
        for (size_t i = 0; i < m; i++) {
            for (size_t j = panel_begin * NR; j < panel_end * NR && j < n; j++) c[i * ldc + j] = 0;
        }
        return;
    }
    for (size_t pc = 0; pc < k; pc += KC) {
        const size_t kc = k - pc < KC ? k - pc : KC;
        for (size_t ic = 0; ic < row_panels; ic += MC_PANELS) {
            const size_t ic_end = ic + MC_PANELS < row_panels ? ic + MC_PANELS : row_panels;
            for (size_t jp = panel_begin; jp < panel_end; jp++) {
                const float *b = packed_b + (jp * k + pc) * NR;
                const size_t col = jp * NR;
                const size_t cols = n - col < NR ? n - col : NR;
                for (size_t ip = ic; ip < ic_end; ip++) {
                    const size_t row = ip * MR;
                    const size_t rows = m - row < MR ? m - row : MR;
                    micro_kernel(kc, packed_a + (ip * k + pc) * MR, b, c + row * ldc + col, ldc, rows, cols, pc > 0);
                }
            }
        }
    }
}

void ck_f32_gemm_panels(const float *packed_a, const float *packed_b, float *c, size_t ldc, size_t m, size_t n,
                        size_t k, size_t panel_begin, size_t panel_end) {
    gemm_panels(packed_a, packed_b, c, ldc, m, n, k, panel_begin, panel_end);
}

#else  // Not x86_64: never called (CPUFeatures.hasAVX512F is false); defined so the target links everywhere.

void ck_f32_gemm_panels(const float *packed_a, const float *packed_b, float *c, size_t ldc, size_t m, size_t n,
                        size_t k, size_t panel_begin, size_t panel_end) {
    (void)packed_a; (void)packed_b; (void)c; (void)ldc; (void)m; (void)n; (void)k; (void)panel_begin;
    (void)panel_end;
}

#endif

void ck_f32_pack_b(const float *b, size_t ldb, size_t n, size_t k, float *packed, size_t panel_begin,
                   size_t panel_end) {
    pack_panels(b, ldb, n, k, packed, NR, panel_begin, panel_end);
}

void ck_f32_pack_a(const float *a, size_t lda, size_t m, size_t k, float *packed, size_t panel_begin,
                   size_t panel_end) {
    pack_panels(a, lda, m, k, packed, MR, panel_begin, panel_end);
}
