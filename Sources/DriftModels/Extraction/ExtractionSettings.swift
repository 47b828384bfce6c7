/// How concepts are turned into vectors: the prompt, the pooling, the layers kept, and the batch size.
public struct ExtractionSettings: Sendable, Equatable {
    /// The prompt each term is put into.
    public var template: PromptTemplate
    /// How a prompt's token states become one vector.
    public var pooling: Pooling
    /// Which hidden-state indices to keep.
    public var layers: LayerSelection
    /// The most tokens in one batch.
    ///
    /// Prompts are sorted by length and packed up to this; a longer prompt runs alone. With ``sharesPromptPrefix``,
    /// the opening every prompt shares is not counted per prompt.
    public var maxBatchTokens: Int
    /// Whether the tokenizer's post-processor adds BOS/CLS/SEP, as transformers' tokenizer call does by default.
    public var addSpecialTokens: Bool
    /// Whether a causal model computes the opening every prompt of a batch shares once for the whole batch.
    ///
    /// That opening is the tokens every prompt begins with (the template's). The vectors are the same up to float
    /// rounding either way; off is slower.
    public var sharesPromptPrefix: Bool

    /// The default batch bound: large enough that every matrix product is large, small enough to show progress.
    public static let defaultMaxBatchTokens = 512

    /// Creates settings; the defaults are the reference study's (`The concept of {term} is`, last token, all layers).
    public init(
        template: PromptTemplate = .default, pooling: Pooling = .last, layers: LayerSelection = .all,
        maxBatchTokens: Int = ExtractionSettings.defaultMaxBatchTokens, addSpecialTokens: Bool = true,
        sharesPromptPrefix: Bool = true
    ) {
        self.template = template
        self.pooling = pooling
        self.layers = layers
        self.maxBatchTokens = maxBatchTokens
        self.addSpecialTokens = addSpecialTokens
        self.sharesPromptPrefix = sharesPromptPrefix
    }
}
