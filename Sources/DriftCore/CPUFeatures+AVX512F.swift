import CKernels

extension CPUFeatures {
    /// AVX-512 Foundation, with the OS saving the ZMM state (Skylake-SP, Ice Lake, Zen 4 and later).
    package static let hasAVX512F: Bool = ck_cpu_has_avx512f() != 0
}
