// One epoch of UMAP's SGD layout in two dimensions (umap-learn `optimize_layout_euclidean`, as
// DriftAnalysis.LayoutOptimizer runs it). Needs AVX2 + FMA3 (ck_cpu_has_avx2_fma() == 1); compiled with a
// per-function target attribute so that the library builds for the baseline.
//
// The order of work (the Swift kernel `epoch2D` follows it exactly, for parity): the edges due this epoch are listed
// per block of 1,024 edges and taken two at a time. For each edge, its attraction (lane 0) and its negative samples
// (lanes 1 to 15) are evaluated in AVX2 lanes from the positions read before either edge of the pair writes, with
// `d^b` by a vectorised exp2/log2; then the tail moves by the attraction and the head by the attraction plus the
// summed repulsions (each step clipped to ±4, times the learning rate). Random draws: the first edge's negative
// samples, then the second's. An edge with more than 15 negative samples is done alone, in runs of 15.
#ifndef CK_UMAP_SGD_H
#define CK_UMAP_SGD_H

#include <stddef.h>
#include <stdint.h>

/// The shared state of a 2-D layout epoch: edge lists and schedules, coordinates, curve.
typedef struct {
    const int32_t *heads;       ///< head vertex of every edge
    const int32_t *tails;       ///< tail vertex of every edge
    const double *eps;          ///< epochs per sample of every edge (≤ 0: never sampled)
    const double *epn;          ///< epochs per negative sample of every edge
    double *next_sample;        ///< epoch of each edge's next sample (updated)
    double *next_negative;      ///< epoch of each edge's next negative sample (updated)
    float *head;                ///< head coordinates, vertex-major (x, y) (updated)
    float *tail;                ///< tail coordinates (may be `head`; updated when move_other)
    float a, b, gamma;          ///< curve parameters and repulsion weight
    int64_t tail_count;         ///< number of tail vertices negative samples are drawn from (> 0)
    int move_other;             ///< 1: an edge's tail moves too (fit); 0: fixed (transform)
} ck_umap_layout2d;

/// Runs epoch `epoch` (0-based) at learning rate `alpha` over edges [lo, hi). `rng` is a xoshiro256** state (the
/// stream of DriftCore.SeededRandom, drawn with its unbiased bounded integers) and is advanced.
void ck_umap_epoch2d_avx2(const ck_umap_layout2d *layout, double epoch, float alpha, size_t lo, size_t hi,
                          uint64_t rng[4]);

/// out[i] = x[i]^y by the kernel's vectorised power (x[i] > 0 finite; inputs below FLT_MIN count as FLT_MIN, the
/// result is clamped to [2^-126, 2^126]); for tests of its accuracy.
void ck_umap_pow_avx2(const float *x, float y, float *out, size_t n);

#endif
