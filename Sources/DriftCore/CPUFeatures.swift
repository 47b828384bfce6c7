import CKernels

/// The instruction sets this machine offers to the hand-written kernels, read once.
package enum CPUFeatures {
    /// AVX2 with FMA3 (x86_64 since Haswell / Zen 1).
    package static let hasAVX2FMA: Bool = ck_cpu_has_avx2_fma() != 0
    /// AVX-512 with the BF16 dot-product instructions (Cooper Lake, Sapphire Rapids, Zen 4 and later).
    package static let hasAVX512BF16: Bool = ck_cpu_has_avx512_bf16() != 0
}
