import DriftCore

/// The arithmetic of the linear layers (`--compute`).
///
/// Everything else — norms, attention and its softmax, the residual stream, every hidden state written — stays
/// float32 in both.
public enum ComputePrecision: String, Sendable, Equatable, CaseIterable {
    /// float32 weights and BLAS sgemm (the default; matches transformers in float32).
    case f32
    /// Weights held as packed bf16 (half the memory), activations rounded to bf16 at each matrix-product input,
    /// products accumulated in float32, on AVX-512 BF16 CPUs (like transformers run with `torch_dtype=bfloat16`, but
    /// with float32 norms, attention and residual stream).
    case bf16

    /// Parses `f32` or `bf16`.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) naming the supported values.
    public init(parsing text: String) throws {
        guard let value = ComputePrecision(rawValue: text.lowercased()) else {
            throw DriftError(
                .invalidArgument,
                "unsupported compute precision '\(text)'; supported: \(Self.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        self = value
    }

    /// Checks this machine can run the precision.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.unsupported`) for `bf16` on a CPU without AVX-512 BF16.
    public func checkSupported() throws {
        if self == .bf16, !CPUFeatures.hasAVX512BF16 {
            throw DriftError(
                .unsupported,
                "--compute bf16 needs a CPU with AVX-512 BF16 (Intel Cooper Lake / Sapphire Rapids, AMD Zen 4 or later); this one has none — use --compute f32"
            )
        }
    }
}
