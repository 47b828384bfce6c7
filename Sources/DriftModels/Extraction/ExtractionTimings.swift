/// How long an extraction took, for the manifest and benchmarks.
public struct ExtractionTimings: Sendable, Equatable, Codable {
    /// Seconds spent tokenising the prompts.
    public var tokenizeSeconds: Double
    /// Seconds spent in the model's forward passes (all batches).
    public var forwardSeconds: Double
    /// Prompt tokens run through the model.
    public var tokens: Int
    /// Batches run.
    public var batches: Int
    /// Token rows the model's blocks computed: fewer than ``tokens`` when batches shared their prompts' opening.
    public var computedTokens: Int

    /// Creates timings; `computedTokens` defaults to `tokens` (nothing shared).
    public init(tokenizeSeconds: Double, forwardSeconds: Double, tokens: Int, batches: Int, computedTokens: Int? = nil)
    {
        self.tokenizeSeconds = tokenizeSeconds
        self.forwardSeconds = forwardSeconds
        self.tokens = tokens
        self.batches = batches
        self.computedTokens = computedTokens ?? tokens
    }

    /// Prompt tokens per second of forward pass.
    public var tokensPerSecond: Double {
        forwardSeconds > 0 ? Double(tokens) / forwardSeconds : 0
    }
}
