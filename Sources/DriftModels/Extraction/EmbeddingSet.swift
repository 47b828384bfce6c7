public import DriftCore

/// The vectors of every concept of a vocabulary at the selected layers of one model, raw (not normalised).
public struct EmbeddingSet: Sendable {
    /// The concepts, in row order.
    public var vocabulary: Vocabulary
    /// The hidden-state indices kept (Hugging Face numbering), ascending; position `p` of ``values`` is `layers[p]`.
    public var layers: [Int]
    /// The width of every vector.
    public var hiddenSize: Int
    /// All vectors, `layers.count × concepts × hiddenSize`, row-major (the layout of `hidden_<name>.npy`).
    public var values: [Float]
    /// The number of prompt tokens of each concept (special tokens included), in row order.
    public var tokenCounts: [Int]
    /// The prompts' token ids, in row order.
    public var tokenIDs: [[Int]]
    /// How long the extraction took.
    public var timings: ExtractionTimings
    /// Every concept's next-token logits at the last prompt token (rows = concepts, columns = the vocabulary), when
    /// asked for (``OutputReadout/nextTokenLogits``).
    public var nextTokenLogits: Matrix?
    /// The logit lens, ordered by layer, concept and rank, when asked for (``OutputReadout/logitLensTop``).
    public var logitLens: [LogitLensEntry]?
    /// Every concept's ten most likely next tokens (``LogitLensEntry/layer`` the final hidden-state index), kept with
    /// the next-token logits.
    public var nextTokens: [LogitLensEntry]?
    /// The text of every token the logit lens and the next tokens name, as the tokenizer decodes it alone.
    public var tokenTexts: [Int: String] = [:]

    /// Creates a set; `values.count` must be `layers.count × vocabulary.count × hiddenSize`.
    public init(
        vocabulary: Vocabulary, layers: [Int], hiddenSize: Int, values: [Float], tokenIDs: [[Int]],
        timings: ExtractionTimings
    ) {
        precondition(
            values.count == layers.count * vocabulary.count * hiddenSize, "EmbeddingSet values have the wrong size")
        self.vocabulary = vocabulary
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.values = values
        self.tokenIDs = tokenIDs
        self.tokenCounts = tokenIDs.map(\.count)
        self.timings = timings
    }

    /// The vectors at position `position` of ``layers``: rows = concepts, columns = ``hiddenSize``.
    public func matrix(atLayerPosition position: Int) -> Matrix {
        let size = vocabulary.count * hiddenSize
        return Matrix(
            rows: vocabulary.count, columns: hiddenSize,
            storage: Array(values[(position * size)..<((position + 1) * size)]))
    }

    /// The vectors of the last selected layer, each scaled to unit L2 norm (a zero vector stays zero, as
    /// scikit-learn's `normalize` leaves it): the reference study's `embeddings_<name>.npy`.
    public func normalizedLastLayer() -> Matrix {
        var matrix = self.matrix(atLayerPosition: layers.count - 1)
        EmbeddingSet.normalizeRows(&matrix)
        return matrix
    }

    /// Scales every row of `matrix` to unit L2 norm; zero rows stay zero.
    package static func normalizeRows(_ matrix: inout Matrix) {
        let columns = matrix.columns
        let rows = matrix.rows
        matrix.storage.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<rows {
                let base = row * columns
                var sum: Double = 0
                for column in 0..<columns {
                    let value = Double(buffer[base + column])
                    sum += value * value
                }
                guard sum > 0 else { continue }
                let norm = Float(sum.squareRoot())
                for column in 0..<columns { buffer[base + column] /= norm }
            }
        }
    }
}
