// bf16 matrix product on AVX-512 BF16; see include/ck_bf16_gemm.h for the contract and the packed layouts.
//
// Blocking (GotoBLAS order): k in blocks of KC_PAIRS pairs, m in blocks of MC_PANELS row panels (the packed A block,
// MC_PANELS·MR·KC_PAIRS·4 bytes = 768 KiB, stays in L2), then every column panel of the caller's range (its
// KC_PAIRS·NR·4-byte slice of B is reused by every A panel of the block), then the MR×NR micro-tile: 6 rows × 4 zmm of
// 16 float32 accumulators = 24 registers, one VDPBF16PS per accumulator and k pair.
// Measured on the 2-core Zen 4/5 EPYC (GFLOP per CPU-second, one thread, 1600×2048×4096): 12×32 tiles with 128-pair
// k blocks 258; 6×64 with 128 pairs 314, 256 pairs 377, 1024 pairs 446–472 (long k blocks amortise the C tile's
// load/store); PyTorch/oneDNN's bf16 linear 461 on the same machine. KC/MC can be overridden with -DCK_BF16_KC /
// -DCK_MCP.
#include "ck_bf16_gemm.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

#include "ck_tile.h"
#define CK_BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
#endif

#ifndef CK_MCP
#define CK_MCP 32
#endif
enum { MR = CK_BF16_MR, NR = CK_BF16_NR, KC_PAIRS = CK_BF16_KC, MC_PANELS = CK_MCP };

size_t ck_bf16_pairs(size_t k) { return (k + 1) / 2; }

size_t ck_bf16_packed_b_count(size_t n, size_t k) { return (n + NR - 1) / NR * ck_bf16_pairs(k) * NR; }

size_t ck_bf16_packed_a_count(size_t m, size_t k) { return (m + MR - 1) / MR * ck_bf16_pairs(k) * MR; }

uint16_t ck_bf16_from_float(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40u);  // quiet NaN
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return (uint16_t)(bits >> 16);
}

void ck_bf16_pack_b_bf16(const uint16_t *b, size_t ldb, size_t n, size_t k, uint32_t *packed, size_t panel_begin,
                         size_t panel_end) {
    // A panel's NR rows × BLOCK pairs are read row by row (one 64-byte line of each row, used whole: rows lie a
    // power of two apart and would evict each other read one pair at a time) into a tile, then written pair by pair
    // (NR contiguous values each). 5.7 GB/s a core against 2.3 for the pair-by-pair loop.
    enum { BLOCK = 16 };
    const size_t pairs = ck_bf16_pairs(k);
    const size_t whole = k / 2;
    uint32_t tile[NR][BLOCK];
    for (size_t panel = panel_begin; panel < panel_end; panel++) {
        uint32_t *base = packed + panel * pairs * NR;
        for (size_t p0 = 0; p0 < pairs; p0 += BLOCK) {
            const size_t count = pairs - p0 < BLOCK ? pairs - p0 : BLOCK;
            for (size_t r = 0; r < NR; r++) {
                const size_t row = panel * NR + r;
                if (row >= n) {
                    memset(tile[r], 0, count * sizeof(uint32_t));
                    continue;
                }
                const uint16_t *x = b + row * ldb;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                if (p0 + count <= whole) {  // the pair's two bf16 are its low and high halves in memory order
                    memcpy(tile[r], x + 2 * p0, count * sizeof(uint32_t));
                    continue;
                }
#endif
                for (size_t q = 0; q < count; q++) {
                    const size_t p = p0 + q;
                    tile[r][q] = p < whole ? ((uint32_t)x[2 * p + 1] << 16) | x[2 * p] : x[2 * p];
                }
            }
            for (size_t q = 0; q < count; q++) {
                uint32_t *out = base + (p0 + q) * NR;
                for (size_t r = 0; r < NR; r++) out[r] = tile[r][q];
            }
        }
    }
}

#if defined(__x86_64__)

/// Packs panels [begin, end) of `width`-row panels of `src` (rows×k): panel i, pair p, row r →
/// packed[(i·pairs + p)·width + r]. Rows past `rows` and the pad of an odd k are zero.
CK_BF16_TARGET
static void pack_panels(const float *src, size_t ld, size_t rows, size_t k, uint32_t *packed, size_t width,
                        size_t begin, size_t end) {
    const size_t pairs = ck_bf16_pairs(k);
    uint32_t chunk[16];
    for (size_t panel = begin; panel < end; panel++) {
        uint32_t *base = packed + panel * pairs * width;
        for (size_t r = 0; r < width; r++) {
            const size_t row = panel * width + r;
            if (row >= rows) {
                for (size_t p = 0; p < pairs; p++) base[p * width + r] = 0;
                continue;
            }
            const float *x = src + row * ld;
            for (size_t kk = 0; kk < k; kk += 32) {
                const size_t left = k - kk;
                __m512 lo, hi;
                if (left >= 32) {
                    lo = _mm512_loadu_ps(x + kk);
                    hi = _mm512_loadu_ps(x + kk + 16);
                } else {
                    const __mmask16 mlo = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
                    const __mmask16 mhi = left > 16 ? (__mmask16)((1u << (left - 16)) - 1) : (__mmask16)0;
                    lo = _mm512_maskz_loadu_ps(mlo, x + kk);
                    hi = _mm512_maskz_loadu_ps(mhi, x + kk + 16);
                }
                // 32 bf16 in k order: element 2q | 2q+1 form the 32-bit pair q.
                _mm512_storeu_si512((void *)chunk, (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
                const size_t p0 = kk / 2;
                const size_t count = left >= 32 ? 16 : (left + 1) / 2;
                uint32_t *out = base + p0 * width + r;
                for (size_t q = 0; q < count; q++) out[q * width] = chunk[q];
            }
        }
    }
}

/// One MR×NR tile: C[rows × cols] (=|+=) Σ over kc pairs of A panel · B panel.
CK_BF16_TARGET
static inline void micro_kernel(size_t kc, const uint32_t *a, const uint32_t *b, float *c, size_t ldc, size_t rows,
                                size_t cols, int accumulate) {
    enum { NV = NR / 16 };
    __m512 acc[MR][NV];
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    }
    for (size_t p = 0; p < kc; p++) {
        __m512bh bv[NV];
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) bv[v] = (__m512bh)_mm512_loadu_si512((const void *)(b + 16 * v));
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            // The broadcast pair is the instruction's last operand so it can be folded in as a {1to16} memory operand.
            const __m512bh av = (__m512bh)_mm512_set1_epi32((int)a[r]);
#pragma clang loop unroll(full)
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_dpbf16_ps(acc[r][v], bv[v], av);
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

CK_BF16_TARGET
static void gemm_panels(const uint32_t *packed_a, const uint32_t *packed_b, float *c, size_t ldc, size_t m,
                        size_t n, size_t k, size_t panel_begin, size_t panel_end) {
    const size_t pairs = ck_bf16_pairs(k);
    const size_t row_panels = (m + MR - 1) / MR;
    if (pairs == 0) {
        for (size_t i = 0; i < m; i++) {
            for (size_t j = panel_begin * NR; j < panel_end * NR && j < n; j++) c[i * ldc + j] = 0;
        }
        return;
    }
    for (size_t pc = 0; pc < pairs; pc += KC_PAIRS) {
        const size_t kc = pairs - pc < KC_PAIRS ? pairs - pc : KC_PAIRS;
        for (size_t ic = 0; ic < row_panels; ic += MC_PANELS) {
            const size_t ic_end = ic + MC_PANELS < row_panels ? ic + MC_PANELS : row_panels;
            for (size_t jp = panel_begin; jp < panel_end; jp++) {
                const uint32_t *b = packed_b + (jp * pairs + pc) * NR;
                const size_t col = jp * NR;
                const size_t cols = n - col < NR ? n - col : NR;
                for (size_t ip = ic; ip < ic_end; ip++) {
                    const size_t row = ip * MR;
                    const size_t rows = m - row < MR ? m - row : MR;
                    micro_kernel(
                        kc, packed_a + (ip * pairs + pc) * MR, b, c + row * ldc + col, ldc, rows, cols, pc > 0);
                }
            }
        }
    }
}

void ck_bf16_pack_b(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed, size_t panel_begin,
                    size_t panel_end) {
    pack_panels(b, ldb, n, k, packed, NR, panel_begin, panel_end);
}

void ck_bf16_pack_a(const float *a, size_t lda, size_t m, size_t k, uint32_t *packed, size_t panel_begin,
                    size_t panel_end) {
    pack_panels(a, lda, m, k, packed, MR, panel_begin, panel_end);
}

void ck_bf16_pack_panels(const float *src, size_t ld, size_t rows, size_t k, uint32_t *packed, size_t width,
                         size_t panel_begin, size_t panel_end) {
    pack_panels(src, ld, rows, k, packed, width, panel_begin, panel_end);
}

void ck_bf16_gemm_panels(const uint32_t *packed_a, const uint32_t *packed_b, float *c, size_t ldc, size_t m,
                         size_t n, size_t k, size_t panel_begin, size_t panel_end) {
    gemm_panels(packed_a, packed_b, c, ldc, m, n, k, panel_begin, panel_end);
}

#else  // Not x86_64: never called (CPUFeatures.hasAVX512BF16 is false); defined so the target links everywhere.

void ck_bf16_pack_b(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed, size_t panel_begin,
                    size_t panel_end) {
    (void)b; (void)ldb; (void)n; (void)k; (void)packed; (void)panel_begin; (void)panel_end;
}

void ck_bf16_pack_a(const float *a, size_t lda, size_t m, size_t k, uint32_t *packed, size_t panel_begin,
                    size_t panel_end) {
    (void)a; (void)lda; (void)m; (void)k; (void)packed; (void)panel_begin; (void)panel_end;
}

void ck_bf16_pack_panels(const float *src, size_t ld, size_t rows, size_t k, uint32_t *packed, size_t width,
                         size_t panel_begin, size_t panel_end) {
    (void)src; (void)ld; (void)rows; (void)k; (void)packed; (void)width; (void)panel_begin; (void)panel_end;
}

void ck_bf16_gemm_panels(const uint32_t *packed_a, const uint32_t *packed_b, float *c, size_t ldc, size_t m,
                         size_t n, size_t k, size_t panel_begin, size_t panel_end) {
    (void)packed_a; (void)packed_b; (void)c; (void)ldc; (void)m; (void)n; (void)k; (void)panel_begin;
    (void)panel_end;
}

#endif
