public import DriftCore
import Foundation

/// The LM head and what comes before and after it: the final norm (for reading an earlier layer's state, the logit
/// lens), the `vocabulary × hidden` projection (tied to the token table or its own), and the family's transforms of
/// the logits (Gemma's final soft-capping, Granite's `logits_scaling`).
public struct OutputHead: Sendable {
    /// The projection: rows = vocabulary, columns = hidden size (read in place from the model file where it can be).
    package let projection: WeightRows
    /// The norm after the last block (nil: none, as in an encoder).
    public let finalNorm: NormWeights?
    /// The kind and epsilon of that norm.
    public let normKind: ArchitectureSpec.NormKind
    public let normEpsilon: Float
    /// Logits become `cap · tanh(logit / cap)` (Gemma 2's `final_logit_softcapping`).
    public let softcap: Float?
    /// Logits are divided by this (Granite's `logits_scaling`).
    public let divisor: Float?

    /// Creates a head whose projection is `weight` (rows = vocabulary, columns = hidden size).
    public init(
        weight: Matrix, finalNorm: NormWeights?, normKind: ArchitectureSpec.NormKind, normEpsilon: Float,
        softcap: Float? = nil, divisor: Float? = nil
    ) {
        self.init(
            projection: WeightRows(weight), finalNorm: finalNorm, normKind: normKind, normEpsilon: normEpsilon,
            softcap: softcap, divisor: divisor)
    }

    /// Creates a head whose projection is `projection`, wherever it is held.
    package init(
        projection: WeightRows, finalNorm: NormWeights?, normKind: ArchitectureSpec.NormKind, normEpsilon: Float,
        softcap: Float?, divisor: Float?
    ) {
        self.projection = projection
        self.finalNorm = finalNorm
        self.normKind = normKind
        self.normEpsilon = normEpsilon
        self.softcap = softcap
        self.divisor = divisor
    }

    /// The vocabulary size.
    public var vocabularySize: Int { projection.rows }

    /// The logits of `states` (rows = prompts, columns = hidden size): rows = prompts, columns = vocabulary.
    ///
    /// - Parameter normalizing: apply the final norm first (for an intermediate layer's state; the last hidden state
    ///   is already normed).
    public func logits(_ states: Matrix, normalizing: Bool) -> Matrix {
        var output = Matrix(rows: states.rows, columns: vocabularySize)
        output.storage.withUnsafeMutableBufferPointer { logits(states, normalizing: normalizing, into: $0) }
        return output
    }

    /// Writes the logits of `states` into the first `states.rows × vocabularySize` values of `output`.
    private func logits(_ states: Matrix, normalizing: Bool, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count >= states.rows * vocabularySize, "the output holds too few values")
        guard states.rows > 0, let c = output.baseAddress else { return }
        var input = states
        if normalizing, let finalNorm {
            input.storage.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                TransformerKernels.normalizeRows(
                    base, rows: states.rows, stride: states.columns, width: states.columns, kind: normKind,
                    epsilon: normEpsilon, weights: finalNorm)
            }
        }
        let (m, n, k) = (states.rows, vocabularySize, states.columns)
        input.storage.withUnsafeBufferPointer { a in
            projection.withUnsafeBufferPointer { b in
                guard let a = a.baseAddress, let b = b.baseAddress else { return }
                BLAS.sgemm(.none, .transpose, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, c: c, ldc: n)
            }
        }
        if softcap != nil || divisor != nil {
            for i in 0..<(m * n) {
                var value = c[i]
                if let divisor { value /= divisor }
                if let softcap { value = tanh(value / softcap) * softcap }
                c[i] = value
            }
        }
    }

    /// The `k` most likely next tokens of every row of `states`, best first, with their softmax probabilities;
    /// computed `rowsPerBlock` rows at a time so at most that many rows of logits exist at once.
    public func topTokens(
        _ states: Matrix, normalizing: Bool, k: Int, rowsPerBlock: Int = 64
    ) -> [[TokenProbability]] {
        var result: [[TokenProbability]] = []
        result.reserveCapacity(states.rows)
        var scratch: [Float] = []
        forEachRowOfLogits(states, normalizing: normalizing, rowsPerBlock: rowsPerBlock, scratch: &scratch) {
            _, logits in result.append(Self.top(logits, k: k))
        }
        return result
    }

    /// Calls `body` with every row of `states`' logits (its index in `states`, the logits), computing them
    /// `rowsPerBlock` rows at a time into `scratch` (grown when too small, kept by the caller across calls so that the
    /// block's memory is not allocated afresh each time), so at most that many rows of logits exist at once.
    ///
    /// - Parameter normalizing: apply the final norm first, as ``logits(_:normalizing:)``.
    func forEachRowOfLogits(
        _ states: Matrix, normalizing: Bool, rowsPerBlock: Int, scratch: inout [Float],
        _ body: (Int, [Float]) throws -> Void
    ) rethrows {
        let vocabulary = vocabularySize
        let needed = min(states.rows, rowsPerBlock) * vocabulary
        if scratch.count < needed { scratch = [Float](repeating: 0, count: needed) }
        var start = 0
        while start < states.rows {
            let end = min(states.rows, start + rowsPerBlock)
            try scratch.withUnsafeMutableBufferPointer { block in
                logits(states.rows(start..<end), normalizing: normalizing, into: block)
                for r in 0..<(end - start) {
                    try body(start + r, Array(block[(r * vocabulary)..<((r + 1) * vocabulary)]))
                }
            }
            start = end
        }
    }

    /// The `k` largest softmax probabilities of one row of logits (ties to the lower token id), computed in Double.
    static func top(_ logits: [Float], k: Int) -> [TokenProbability] {
        let maximum = Double(logits.max() ?? 0)
        var total = 0.0
        for value in logits { total += Foundation.exp(Double(value) - maximum) }
        return TopK.indices(logits, k: k).map { id in
            TokenProbability(
                id: id, logit: logits[id], probability: Foundation.exp(Double(logits[id]) - maximum) / total)
        }
    }
}

/// One candidate next token: its id, logit and softmax probability.
public struct TokenProbability: Sendable, Equatable {
    public var id: Int
    public var logit: Float
    public var probability: Double
}
