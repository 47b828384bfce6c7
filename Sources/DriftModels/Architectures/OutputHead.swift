public import DriftCore
import Foundation

/// The LM head and what comes before and after it: the final norm (for reading an earlier layer's state, the logit
/// lens), the `vocabulary × hidden` projection (tied to the token table or its own), and the family's transforms of
/// the logits (Gemma's final soft-capping, Granite's `logits_scaling`).
public struct OutputHead: Sendable {
    /// Where the `vocabulary × hidden` projection is held.
    package enum Projection: Sendable {
        /// float32 rows (read in place from the model file where it can be), multiplied by BLAS.
        case rows(WeightRows)
        /// Packed for ``DriftCore/F32GEMM`` (from a bf16 file: held in bf16, widened exactly by the kernel).
        case packed(F32PackedMatrix)
    }

    /// The projection: rows = vocabulary, columns = hidden size.
    package let projection: Projection
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
        self.init(
            projection: .rows(projection), finalNorm: finalNorm, normKind: normKind, normEpsilon: normEpsilon,
            softcap: softcap, divisor: divisor)
    }

    /// Creates a head whose projection is `projection`.
    package init(
        projection: Projection, finalNorm: NormWeights?, normKind: ArchitectureSpec.NormKind, normEpsilon: Float,
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
    public var vocabularySize: Int {
        switch projection {
        case .rows(let rows): rows.rows
        case .packed(let packed): packed.rows
        }
    }

    /// The logits of `states` (rows = prompts, columns = hidden size): rows = prompts, columns = vocabulary.
    ///
    /// - Parameter normalizing: apply the final norm first (for an intermediate layer's state; the last hidden state
    ///   is already normed).
    public func logits(_ states: Matrix, normalizing: Bool) -> Matrix {
        // One block of every row, computed into `storage` (grown from empty to exactly rows × vocabulary).
        var storage: [Float] = []
        forEachBlockOfLogits([(states, normalizing)], rowsPerBlock: states.rows, scratch: &storage) { _, _ in }
        return Matrix(rows: states.rows, columns: vocabularySize, storage: storage)
    }

    /// The `k` most likely next tokens of every row of `states`, best first, with their softmax probabilities;
    /// computed `rowsPerBlock` rows at a time so at most that many rows of logits exist at once.
    public func topTokens(
        _ states: Matrix, normalizing: Bool, k: Int, rowsPerBlock: Int = 64
    ) -> [[TokenProbability]] {
        var result: [[TokenProbability]] = []
        result.reserveCapacity(states.rows)
        var scratch: [Float] = []
        forEachBlockOfLogits([(states, normalizing)], rowsPerBlock: rowsPerBlock, scratch: &scratch) { _, logits in
            result += Self.topOfEachRow(logits, columns: vocabularySize, k: k)
        }
        return result
    }

    /// Calls `body(sources, logits)` for every block of rows of the matrices of states in `inputs`, in order.
    ///
    /// `sources[i]` is the (input, row) whose logits are row `i` of `logits` (`sources.count × vocabularySize`). Each
    /// input's rows go through the final norm first when its `normalizing` is set (as ``logits(_:normalizing:)``).
    ///
    /// The rows of all inputs are stacked and their logits computed `rowsPerBlock` at a time — one matrix product per
    /// block, however few rows each input has (a product of a few rows runs at a fraction of the BLAS's speed) —
    /// into `scratch` (grown when too small; kept by the caller across calls so that the block is not allocated
    /// afresh each time). At most one block of rows × vocabulary exists at once.
    func forEachBlockOfLogits(
        _ inputs: [(states: Matrix, normalizing: Bool)], rowsPerBlock: Int, scratch: inout [Float],
        _ body: (_ sources: [(input: Int, row: Int)], _ logits: UnsafeBufferPointer<Float>) throws -> Void
    ) rethrows {
        let vocabulary = vocabularySize
        let width = inputs.first?.states.columns ?? 0
        let total = inputs.reduce(0) { $0 + $1.states.rows }
        let blockRows = min(total, rowsPerBlock)
        guard blockRows > 0 else { return }
        if scratch.count < blockRows * vocabulary { scratch = [Float](repeating: 0, count: blockRows * vocabulary) }
        // The rows of the next block: (input, row) of each, and their states stacked (normed where asked).
        var sources: [(input: Int, row: Int)] = []
        sources.reserveCapacity(blockRows)
        var block = [Float](repeating: 0, count: blockRows * width)
        func flush() throws {
            guard !sources.isEmpty else { return }
            // Equal rows are projected once (every concept's layer-0 state of the lens is its last token's embedding,
            // the same token for every prompt of a template).
            let firsts = Self.compactDistinctRows(&block, rows: sources.count, width: width)
            try scratch.withUnsafeMutableBufferPointer { logits in
                let distinct = (firsts.max() ?? -1) + 1
                project(block, rows: distinct, width: width, into: logits)
                Self.expandRows(logits, columns: vocabulary, from: firsts)
                try body(sources, UnsafeBufferPointer(rebasing: logits[0..<(sources.count * vocabulary)]))
            }
            sources.removeAll(keepingCapacity: true)
        }
        for (index, input) in inputs.enumerated() {
            precondition(input.states.columns == width, "every input must have the hidden size")
            var row = 0
            while row < input.states.rows {
                let count = min(input.states.rows - row, blockRows - sources.count)
                let first = sources.count
                block.withUnsafeMutableBufferPointer { stacked in
                    input.states.storage.withUnsafeBufferPointer { states in
                        guard let target = stacked.baseAddress, let source = states.baseAddress else { return }
                        (target + first * width).update(from: source + row * width, count: count * width)
                        if input.normalizing, let finalNorm {
                            TransformerKernels.normalizeRows(
                                target + first * width, rows: count, stride: width, width: width, kind: normKind,
                                epsilon: normEpsilon, weights: finalNorm)
                        }
                    }
                }
                for r in row..<(row + count) { sources.append((index, r)) }
                row += count
                if sources.count == blockRows { try flush() }
            }
        }
        try flush()
    }

    /// Moves the distinct rows among the first `rows` rows of `block` (`width` wide) to its front, in order of first
    /// appearance, and returns for every row the index of its copy there (never more than the row's own index).
    static func compactDistinctRows(_ block: inout [Float], rows: Int, width: Int) -> [Int] {
        var firsts = [Int](repeating: 0, count: rows)
        var seen: [Int: [Int]] = [:]  // hash of a row's bits → distinct indices holding such rows
        var distinct = 0
        block.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for r in 0..<rows {
                let bytes = width * MemoryLayout<Float>.size
                var hasher = Hasher()
                hasher.combine(bytes: UnsafeRawBufferPointer(start: base + r * width, count: bytes))
                let key = hasher.finalize()
                if let match = seen[key]?.first(where: { memcmp(base + $0 * width, base + r * width, bytes) == 0 }) {
                    firsts[r] = match
                    continue
                }
                if distinct != r { (base + distinct * width).update(from: base + r * width, count: width) }
                seen[key, default: []].append(distinct)
                firsts[r] = distinct
                distinct += 1
            }
        }
        return firsts
    }

    /// Spreads rows computed for the distinct rows (at the front of `rows`, `columns` wide) back to every row:
    /// row `r` becomes a copy of row `firsts[r]`, from the last row down (``compactDistinctRows(_:rows:width:)``'s
    /// indices never exceed their row's, so no source is overwritten before it is read).
    static func expandRows(_ rows: UnsafeMutableBufferPointer<Float>, columns: Int, from firsts: [Int]) {
        guard let base = rows.baseAddress else { return }
        for r in firsts.indices.reversed() where firsts[r] != r {
            (base + r * columns).update(from: base + firsts[r] * columns, count: columns)
        }
    }

    /// `output[0 ..< rows × vocabulary]` = the logits of the first `rows` rows of `states` (`width` = hidden size
    /// wide, already normed as wanted), the family's transforms applied.
    private func project(_ states: [Float], rows m: Int, width k: Int, into output: UnsafeMutableBufferPointer<Float>) {
        let n = vocabularySize
        guard m > 0, let c = output.baseAddress else { return }
        precondition(states.count >= m * k && output.count >= m * n, "the states or the output hold too few values")
        states.withUnsafeBufferPointer { a in
            guard let a = a.baseAddress else { return }
            switch projection {
            case .rows(let rows):
                rows.withUnsafeBufferPointer { b in
                    guard let b = b.baseAddress else { return }
                    TransformerKernels.multiply(a, rows: m, byRowsOf: b, n: n, k: k, into: c)
                }
            case .packed(let packed):
                F32GEMM.multiply(a, m: m, lda: k, by: packed, into: c, ldc: n)
            }
        }
        if softcap != nil || divisor != nil {
            // 61.6 million tanh for 235 concepts of Gemma's 262,144 tokens: spread over the workers.
            let (softcap, divisor, target) = (softcap, divisor, UncheckedPointer(c))
            Parallel.forEachChunk(m * n, minimumChunk: 1 << 16) { range in
                for i in range {
                    var value = target.pointer[i]
                    if let divisor { value /= divisor }
                    if let softcap { value = tanh(value / softcap) * softcap }
                    target.pointer[i] = value
                }
            }
        }
    }

    /// The `k` largest softmax probabilities of one row of logits (ties to the lower token id), computed in Double.
    static func top(_ logits: UnsafeBufferPointer<Float>, k: Int) -> [TokenProbability] {
        var maximum = -Float.infinity
        for value in logits where value > maximum { maximum = value }
        let top = Double(logits.isEmpty ? 0 : maximum)
        let total = ShiftedExponentials.sum(logits, minus: top)
        return TopK.indices(logits, k: k).map { id in
            TokenProbability(id: id, logit: logits[id], probability: Foundation.exp(Double(logits[id]) - top) / total)
        }
    }

    /// ``top(_:k:)`` of every row of `logits` (rows of `columns` values), the rows spread over ``Parallel``'s
    /// workers.
    static func topOfEachRow(_ logits: UnsafeBufferPointer<Float>, columns: Int, k: Int) -> [[TokenProbability]] {
        let rows = columns > 0 ? logits.count / columns : 0
        var result = [[TokenProbability]](repeating: [], count: rows)
        result.withUnsafeMutableBufferPointer { output in
            guard let base = output.baseAddress else { return }
            let target = UncheckedPointer(base)
            Parallel.forEach(rows) { r in
                target.pointer[r] = top(
                    UnsafeBufferPointer(rebasing: logits[(r * columns)..<((r + 1) * columns)]), k: k)
            }
        }
        return result
    }

    /// ``top(_:k:)`` of an array of logits.
    static func top(_ logits: [Float], k: Int) -> [TokenProbability] {
        logits.withUnsafeBufferPointer { top($0, k: k) }
    }
}

/// One candidate next token: its id, logit and softmax probability.
public struct TokenProbability: Sendable, Equatable {
    public var id: Int
    public var logit: Float
    public var probability: Double
}
