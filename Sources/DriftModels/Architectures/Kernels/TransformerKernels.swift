import DriftCore
import Foundation

/// The numeric kernels of the forward pass: synchronous, allocation-free loops over raw buffers.
///
/// Matrix products go through ``DriftCore/F32GEMM`` on AVX-512F (unless ``LinearWeights/usesF32Kernel`` is off),
/// ``DriftCore/BF16GEMM`` for `--compute bf16`, else ``DriftCore/BLAS``; everything else is an elementwise or per-row
/// loop.
package enum TransformerKernels {
    /// `output[t] = input[t] · Wᵀ + b` for `rows` packed rows (`input`: `rows × inputs`, `output`: `rows × outputs`).
    package static func linear(
        _ input: UnsafePointer<Float>, rows: Int, weights: LinearWeights, into output: UnsafeMutablePointer<Float>
    ) {
        let n = weights.outputs
        let k = weights.inputs
        if let packed = weights.packedBF16 {
            BF16GEMM.multiply(input, m: rows, lda: k, by: packed, into: output, ldc: n)
        } else if let packed = weights.packedF32 {
            F32GEMM.multiply(input, m: rows, lda: k, by: packed, into: output, ldc: n)
        } else {
            weights.float32Rows.withUnsafeBufferPointer { w in
                guard let w = w.baseAddress else { return }
                multiply(input, rows: rows, byRowsOf: w, n: n, k: k, into: output)
            }
        }
        if let bias = weights.bias {
            bias.withUnsafeBufferPointer { b in
                Parallel.forEachChunk(rows, minimumChunk: 64) { range in
                    for r in range {
                        let row = output + r * n
                        for j in 0..<n { row[j] += b[j] }
                    }
                }
            }
        }
    }

    /// `output[rows × n] = input[rows × k] · wᵀ` for a row-major float32 weight `w` (`n × k`) wherever it lies: on
    /// ``DriftCore/F32GEMM`` when ``LinearWeights/usesF32Kernel``, else on BLAS.
    package static func multiply(
        _ input: UnsafePointer<Float>, rows: Int, byRowsOf w: UnsafePointer<Float>, n: Int, k: Int,
        into output: UnsafeMutablePointer<Float>
    ) {
        if LinearWeights.usesF32Kernel {
            F32GEMM.multiply(input, m: rows, lda: k, rows: w, n: n, k: k, ldb: k, into: output, ldc: n)
        } else {
            BLAS.sgemm(.none, .transpose, m: rows, n: n, k: k, a: input, lda: k, b: w, ldb: k, c: output, ldc: n)
        }
    }

    /// Normalises one vector of `width` values from `source` into `destination` (they may be the same).
    @inline(__always)
    package static func normalize(
        _ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, width: Int,
        kind: ArchitectureSpec.NormKind, epsilon: Float, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?
    ) {
        switch kind {
        case .rms, .rmsOnePlus:
            var sumSquares: Float = 0
            for j in 0..<width { sumSquares += source[j] * source[j] }
            let scale = 1 / (sumSquares / Float(width) + epsilon).squareRoot()
            let onePlus: Float = kind == .rmsOnePlus ? 1 : 0
            if let weight {
                for j in 0..<width { destination[j] = (source[j] * scale) * (onePlus + weight[j]) }
            } else {
                for j in 0..<width { destination[j] = source[j] * scale }
            }
        case .layerNorm:
            var sum: Float = 0
            for j in 0..<width { sum += source[j] }
            let mean = sum / Float(width)
            var sumSquares: Float = 0
            for j in 0..<width {
                let d = source[j] - mean
                sumSquares += d * d
            }
            let scale = 1 / (sumSquares / Float(width) + epsilon).squareRoot()
            for j in 0..<width {
                var value = (source[j] - mean) * scale
                if let weight { value *= weight[j] }
                if let bias { value += bias[j] }
                destination[j] = value
            }
        }
    }

    /// Normalises `rows` packed rows of `width` values (row stride `stride`, vectors of `width` inside each) in place,
    /// `groups` consecutive vectors per row starting at `offset` (per-head norms use `groups = heads`).
    package static func normalizeRows(
        _ buffer: UnsafeMutablePointer<Float>, rows: Int, stride: Int, offset: Int = 0, groups: Int = 1, width: Int,
        kind: ArchitectureSpec.NormKind, epsilon: Float, weights: NormWeights
    ) {
        withOptionalPointer(weights.weight) { w in
            withOptionalPointer(weights.bias) { b in
                Parallel.forEachChunk(rows, minimumChunk: 32) { range in
                    for r in range {
                        for g in 0..<groups {
                            let v = buffer + r * stride + offset + g * width
                            normalize(v, into: v, width: width, kind: kind, epsilon: epsilon, weight: w, bias: b)
                        }
                    }
                }
            }
        }
    }

    /// `destination[r] = norm(source[r])` for `rows` rows of `width` (both packed).
    package static func normalizeRows(
        _ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        kind: ArchitectureSpec.NormKind, epsilon: Float, weights: NormWeights
    ) {
        withOptionalPointer(weights.weight) { w in
            withOptionalPointer(weights.bias) { b in
                Parallel.forEachChunk(rows, minimumChunk: 32) { range in
                    for r in range {
                        normalize(
                            source + r * width, into: destination + r * width, width: width, kind: kind,
                            epsilon: epsilon, weight: w, bias: b)
                    }
                }
            }
        }
    }

    /// The activation of one value.
    @inline(__always)
    package static func activate(_ x: Float, _ activation: ArchitectureSpec.Activation) -> Float {
        switch activation {
        case .silu:
            return x / (1 + exp(-x))
        case .gelu:
            return 0.5 * x * (1 + erf(x * 0.70710678118654752440))
        case .geluTanh:
            let inner: Float = 0.79788456080286535588 * (x + 0.044715 * x * x * x)
            return 0.5 * x * (1 + tanh(inner))
        case .relu:
            return max(0, x)
        }
    }

    /// The MLP's non-linearity over `rows` rows: gated reads `[gate | up]` rows of `2·width` and writes `act(gate)·up`
    /// into `output` (`rows × width`); plain applies `act` to `rows × width` values of `input` into `output`.
    package static func activateRows(
        _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int, width: Int, gated: Bool,
        activation: ArchitectureSpec.Activation
    ) {
        Parallel.forEachChunk(rows, minimumChunk: 16) { range in
            for r in range {
                let out = output + r * width
                if gated {
                    let gate = input + r * 2 * width
                    let up = gate + width
                    for j in 0..<width { out[j] = activate(gate[j], activation) * up[j] }
                } else {
                    let source = input + r * width
                    for j in 0..<width { out[j] = activate(source[j], activation) }
                }
            }
        }
    }

    /// Calls `body` with a pointer to `array`'s elements, or nil.
    @inline(__always)
    package static func withOptionalPointer<R>(_ array: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let array else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
