public import DriftCore

/// The weights before the first block and after the last.
public struct EmbeddingWeights: Sendable {
    /// Token embeddings, `vocabulary × hidden`.
    public var tokens: Matrix
    /// Learned position embeddings, `positions × hidden` (GPT-2, BERT).
    public var positions: Matrix?
    /// The row of BERT's token-type embedding for type 0, `hidden` values.
    public var tokenType: [Float]?
    /// BERT's LayerNorm after the embeddings.
    public var embeddingNorm: NormWeights?
    /// The final norm after the last block (decoders).
    public var finalNorm: NormWeights?
    /// The token table read in place from the model file (see ``InPlaceTensorStore``); when set, ``tokens`` is
    /// empty (0 × 0).
    package var tokensInPlace: WeightRows?

    /// The token table, wherever it is held.
    package var tokenTable: WeightRows { tokensInPlace ?? WeightRows(tokens) }

    /// Creates the embedding-side weights.
    public init(
        tokens: Matrix, positions: Matrix? = nil, tokenType: [Float]? = nil, embeddingNorm: NormWeights? = nil,
        finalNorm: NormWeights? = nil
    ) {
        self.tokens = tokens
        self.positions = positions
        self.tokenType = tokenType
        self.embeddingNorm = embeddingNorm
        self.finalNorm = finalNorm
    }
}
