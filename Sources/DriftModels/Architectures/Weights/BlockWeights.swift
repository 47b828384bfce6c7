/// The weights of one transformer block in the runtime's layout, whatever file they came from.
///
/// Queries, keys and values are one stacked projection (`[q heads; k heads; v heads]` rows) and a gated MLP's gate and
/// up projections are one stacked projection (`[gate; up]` rows), so each is a single matrix product.
public struct BlockWeights: Sendable {
    /// The norm before attention (or BERT's norm after the attention residual).
    public var attentionNorm: NormWeights?
    /// Queries, keys and values: `(heads + 2·kvHeads)·headDim × hidden`.
    public var queryKeyValue: LinearWeights
    /// The query norm (per head: `headDim` values; whole: `heads·headDim`).
    public var queryNorm: NormWeights?
    /// The key norm (per head: `headDim` values; whole: `kvHeads·headDim`).
    public var keyNorm: NormWeights?
    /// The attention output projection: `hidden × heads·headDim`.
    public var attentionOutput: LinearWeights
    /// A norm on the attention output before the residual add (Gemma 3, OLMo 2).
    public var postAttentionNorm: NormWeights?
    /// The norm before the MLP (or BERT's norm after the MLP residual).
    public var feedForwardNorm: NormWeights?
    /// The MLP input: gated `2·intermediate × hidden` (`[gate; up]`), plain `intermediate × hidden`.
    public var feedForwardIn: LinearWeights
    /// The MLP output: `hidden × intermediate`.
    public var feedForwardOut: LinearWeights
    /// A norm on the MLP output before the residual add (Gemma 3, OLMo 2).
    public var postFeedForwardNorm: NormWeights?
    /// The routed experts that replace the MLP in a Mixture-of-Experts block (then ``feedForwardIn`` and
    /// ``feedForwardOut`` are empty), or nil.
    public var experts: ExpertWeights?
    /// gpt-oss's attention sinks, one logit per query head (``ArchitectureSpec/attentionSinks``), or nil.
    public var attentionSinks: [Float]?

    /// Creates a block's weights.
    public init(
        attentionNorm: NormWeights?, queryKeyValue: LinearWeights, queryNorm: NormWeights?, keyNorm: NormWeights?,
        attentionOutput: LinearWeights, postAttentionNorm: NormWeights?, feedForwardNorm: NormWeights?,
        feedForwardIn: LinearWeights, feedForwardOut: LinearWeights, postFeedForwardNorm: NormWeights?
    ) {
        self.attentionNorm = attentionNorm
        self.queryKeyValue = queryKeyValue
        self.queryNorm = queryNorm
        self.keyNorm = keyNorm
        self.attentionOutput = attentionOutput
        self.postAttentionNorm = postAttentionNorm
        self.feedForwardNorm = feedForwardNorm
        self.feedForwardIn = feedForwardIn
        self.feedForwardOut = feedForwardOut
        self.postFeedForwardNorm = postFeedForwardNorm
    }
}
