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
//
// A weight whose values are all bf16 numbers (a bf16 checkpoint widened to float32) can be packed in bf16 instead:
// the micro-kernel widens each 32-bit word of a depth's 64 values into two vectors — the low halves shifted up 16
// bits, the high halves masked — which gives exactly the float32 values, so every FMA and the product are the same
// bits as with the float32 packing, from half the bytes. Same shape at 31 rows, 48 cold experts, 2 threads: float32
// 233–267 GFLOP/s, bf16 288–335 (at 8 rows 89–117 against 151–196).
#include "ck_f32_gemm.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

#include "ck_tile.h"
#define CK_F32_TARGET __attribute__((target("avx512f")))
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
void ck_f32_pack_panels(const float *src, size_t ld, size_t rows, size_t k, float *packed, size_t width,
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

/// The part of the next weight slice one micro-tile brings into L2 while it computes: `count` cache lines from
/// `line`, issued evenly over its kc depths. Without it each slice's first pass waits on memory: at 31 rows × 2048 ·
/// 2048 × 1536, 48 cold experts, 2 threads, the bf16 kernel ran at 345–394 GFLOP/s without and 468–475 with.
typedef struct {
    const char *line;
    size_t count;
} prefetch_share;

/// Issues this depth's lines of `share` (`credit` carries the remainder from depth to depth).
static inline void prefetch_step(prefetch_share *share, size_t *credit, size_t kc) {
    *credit += share->count;
    while (*credit >= kc) {
        _mm_prefetch(share->line, _MM_HINT_T1);
        share->line += 64;
        *credit -= kc;
    }
}

/// One MR×NR tile: C[rows × cols] (=|+=) Σ over kc depths of A panel · B panel.
CK_F32_TARGET
static inline void micro_kernel(size_t kc, const float *a, const float *b, float *c, size_t ldc, size_t rows,
                                size_t cols, int accumulate, prefetch_share next) {
    enum { NV = NR / 16 };
    __m512 acc[MR][NV];
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    }
    size_t credit = 0;
    for (size_t p = 0; p < kc; p++) {
        prefetch_step(&next, &credit, kc);
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

/// The same tile with B packed in bf16 (see ck_f32_pack_b_bf16): each depth's 64 values are two 64-byte words, whose
/// low halves widen to columns 0–15 / 32–47 and high halves to 16–31 / 48–63. Widening is exact, so every FMA is
/// the float32 kernel's.
CK_F32_TARGET
static inline void micro_kernel_bf16(size_t kc, const float *a, const uint16_t *b, float *c, size_t ldc, size_t rows,
                                     size_t cols, int accumulate, prefetch_share next) {
    _Static_assert(NR == 64, "the bf16 layout holds 64 columns per depth");
    __m512 acc[MR][4];
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < 4; v++) acc[r][v] = _mm512_setzero_ps();
    }
    const __m512i high = _mm512_set1_epi32((int)0xFFFF0000u);
    size_t credit = 0;
    for (size_t p = 0; p < kc; p++) {
        prefetch_step(&next, &credit, kc);
        const __m512i first = _mm512_loadu_si512((const void *)b);
        const __m512i second = _mm512_loadu_si512((const void *)(b + 32));
        const __m512 bv[4] = {
            _mm512_castsi512_ps(_mm512_slli_epi32(first, 16)), _mm512_castsi512_ps(_mm512_and_si512(first, high)),
            _mm512_castsi512_ps(_mm512_slli_epi32(second, 16)), _mm512_castsi512_ps(_mm512_and_si512(second, high))};
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            const __m512 av = _mm512_set1_ps(a[r]);
#pragma clang loop unroll(full)
            for (int v = 0; v < 4; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
        }
        a += MR;
        b += NR;
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        if ((size_t)r < rows) {
            float *row = c + (size_t)r * ldc;
#pragma clang loop unroll(full)
            for (int v = 0; v < 4; v++) ck_store_tile_vector(row, acc[r][v], 16 * (size_t)v, cols, accumulate);
        }
    }
}

/// The blocked product over column panels [panel_begin, panel_end); B is float32 (`packed_b`) or bf16
/// (`packed_b16`), whichever is not NULL.
CK_F32_TARGET
static void gemm_panels(const float *packed_a, const float *packed_b, const uint16_t *packed_b16, float *c, size_t ldc,
                        size_t m, size_t n, size_t k, size_t panel_begin, size_t panel_end) {
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
                const size_t offset = (jp * k + pc) * NR;
                const size_t col = jp * NR;
                const size_t cols = n - col < NR ? n - col : NR;
                // The slice the loop reads next: the next column panel at this depth; after the last, the first
                // again for the next row block, or at the next depth; none after the very last.
                size_t next_offset = offset, next_kc = 0;
                if (jp + 1 < panel_end) {
                    next_offset = ((jp + 1) * k + pc) * NR;
                    next_kc = kc;
                } else if (ic_end < row_panels) {
                    next_offset = (panel_begin * k + pc) * NR;
                    next_kc = kc;
                } else if (pc + KC < k) {
                    next_offset = (panel_begin * k + pc + KC) * NR;
                    next_kc = k - pc - KC < KC ? k - pc - KC : KC;
                }
                const size_t element = packed_b16 ? sizeof(uint16_t) : sizeof(float);
                const char *next = packed_b16 ? (const char *)(packed_b16 + next_offset)
                                              : (const char *)(packed_b + next_offset);
                const size_t lines = next_kc * NR * element / 64;
                const size_t share = (lines + (ic_end - ic) - 1) / (ic_end - ic);
                for (size_t ip = ic; ip < ic_end; ip++) {
                    const size_t row = ip * MR;
                    const size_t rows = m - row < MR ? m - row : MR;
                    const float *a = packed_a + (ip * k + pc) * MR;
                    const size_t first = (ip - ic) * share;
                    const prefetch_share mine = {next + first * 64,
                                                 first < lines ? (lines - first < share ? lines - first : share) : 0};
                    if (packed_b16) {
                        micro_kernel_bf16(kc, a, packed_b16 + offset, c + row * ldc + col, ldc, rows, cols, pc > 0,
                                          mine);
                    } else {
                        micro_kernel(kc, a, packed_b + offset, c + row * ldc + col, ldc, rows, cols, pc > 0, mine);
                    }
                }
            }
        }
    }
}

void ck_f32_gemm_panels(const float *packed_a, const float *packed_b, float *c, size_t ldc, size_t m, size_t n,
                        size_t k, size_t panel_begin, size_t panel_end) {
    gemm_panels(packed_a, packed_b, NULL, c, ldc, m, n, k, panel_begin, panel_end);
}

void ck_f32_gemm_panels_bf16(const float *packed_a, const uint16_t *packed_b, float *c, size_t ldc, size_t m,
                             size_t n, size_t k, size_t panel_begin, size_t panel_end) {
    gemm_panels(packed_a, NULL, packed_b, c, ldc, m, n, k, panel_begin, panel_end);
}

#else  // Not x86_64: never called (CPUFeatures.hasAVX512F is false); defined so the target links everywhere.

void ck_f32_gemm_panels(const float *packed_a, const float *packed_b, float *c, size_t ldc, size_t m, size_t n,
                        size_t k, size_t panel_begin, size_t panel_end) {
    (void)packed_a; (void)packed_b; (void)c; (void)ldc; (void)m; (void)n; (void)k; (void)panel_begin;
    (void)panel_end;
}

void ck_f32_gemm_panels_bf16(const float *packed_a, const uint16_t *packed_b, float *c, size_t ldc, size_t m,
                             size_t n, size_t k, size_t panel_begin, size_t panel_end) {
    (void)packed_a; (void)packed_b; (void)c; (void)ldc; (void)m; (void)n; (void)k; (void)panel_begin;
    (void)panel_end;
}

#endif

void ck_f32_pack_b(const float *b, size_t ldb, size_t n, size_t k, float *packed, size_t panel_begin,
                   size_t panel_end) {
    ck_f32_pack_panels(b, ldb, n, k, packed, NR, panel_begin, panel_end);
}

void ck_f32_pack_a(const float *a, size_t lda, size_t m, size_t k, float *packed, size_t panel_begin,
                   size_t panel_end) {
    ck_f32_pack_panels(a, lda, m, k, packed, MR, panel_begin, panel_end);
}

/// Where column c of a panel goes among a depth's 64 bf16 values (see micro_kernel_bf16): word (c / 32)·16 + c % 16,
/// low half for c % 32 < 16, high half otherwise.
static inline size_t bf16_slot(size_t c) { return ((c / 32) * 16 + c % 16) * 2 + (c / 16) % 2; }

/// Packs bf16 panels from rows that are bf16 (`b16`) or float32 with bf16 values (`b32`, the upper 16 bits taken),
/// whichever is not NULL; depth in blocks of 16 as ck_f32_pack_panels does.
static void pack_bf16_panels(const uint16_t *b16, const float *b32, size_t ld, size_t n, size_t k, uint16_t *packed,
                             size_t begin, size_t end) {
    enum { DEPTH_BLOCK = 16 };
    for (size_t panel = begin; panel < end; panel++) {
        uint16_t *base = packed + panel * k * NR;
        for (size_t p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
            const size_t depth = k - p0 < DEPTH_BLOCK ? k - p0 : DEPTH_BLOCK;
            uint16_t *block = base + p0 * NR;
            for (size_t c = 0; c < NR; c++) {
                const size_t row = panel * NR + c;
                const size_t slot = bf16_slot(c);
                if (row >= n) {
                    for (size_t q = 0; q < depth; q++) block[q * NR + slot] = 0;
                } else if (b16) {
                    const uint16_t *x = b16 + row * ld + p0;
                    for (size_t q = 0; q < depth; q++) block[q * NR + slot] = x[q];
                } else {
                    const float *x = b32 + row * ld + p0;
                    for (size_t q = 0; q < depth; q++) {
                        uint32_t bits;
                        memcpy(&bits, x + q, sizeof bits);
                        block[q * NR + slot] = (uint16_t)(bits >> 16);
                    }
                }
            }
        }
    }
}

void ck_f32_pack_b_bf16(const uint16_t *b, size_t ldb, size_t n, size_t k, uint16_t *packed, size_t panel_begin,
                        size_t panel_end) {
    pack_bf16_panels(b, NULL, ldb, n, k, packed, panel_begin, panel_end);
}

void ck_f32_pack_b_bf16_from_f32(const float *b, size_t ldb, size_t n, size_t k, uint16_t *packed,
                                 size_t panel_begin, size_t panel_end) {
    pack_bf16_panels(NULL, b, ldb, n, k, packed, panel_begin, panel_end);
}

int ck_f32_values_are_bf16(const float *values, size_t count) {
    enum { CHUNK = 4096 };
    for (size_t start = 0; start < count; start += CHUNK) {
        const size_t end = count - start < CHUNK ? count : start + CHUNK;
        uint32_t low = 0;
        for (size_t i = start; i < end; i++) {
            uint32_t bits;
            memcpy(&bits, values + i, sizeof bits);
            low |= bits;
        }
        if (low & 0xFFFFu) return 0;
    }
    return 1;
}
