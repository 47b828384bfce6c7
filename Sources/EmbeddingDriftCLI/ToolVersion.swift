/// The tool's version, recorded in every manifest.
///
/// Part of every variant's fingerprint, so `compare` never reuses a variant a version with other numerics extracted:
/// raise it whenever extracted numbers can change, even at float32 rounding (0.2.0: every float32 product on the
/// AVX-512 kernel, which sums in another order than OpenBLAS).
enum ToolVersion {
    static let current = "0.2.0"
}
