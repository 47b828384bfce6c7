/// Everything the transformer engine needs to know about one architecture, independent of where its weights come from.
///
/// One spec describes every decoder family (Llama, Mistral, Qwen, Gemma, OLMo, Phi-3, Granite, SmolLM3, the
/// Mixture-of-Experts families, GPT-NeoX, GPT-2) and the BERT encoder; ``init(configuration:path:)`` builds it from a
/// parsed configuration through the family's file under `Families/`.
public struct ArchitectureSpec: Sendable, Equatable {
    /// How a norm normalises a token's vector.
    public enum NormKind: Sendable, Equatable {
        /// `x / sqrt(mean(x²) + eps) · w` (Llama).
        case rms
        /// `x / sqrt(mean(x²) + eps) · (1 + w)` (Gemma).
        case rmsOnePlus
        /// `(x − mean) / sqrt(var + eps) · w + b`; weight and bias are optional (OLMo has neither).
        case layerNorm(affine: Bool, bias: Bool)
    }

    /// The non-linearity of the feed-forward network.
    public enum Activation: String, Sendable, Equatable {
        /// `x · sigmoid(x)`.
        case silu
        /// The exact GELU, `x · Φ(x)`.
        case gelu
        /// The tanh approximation of GELU (`gelu_new`, `gelu_pytorch_tanh`).
        case geluTanh
        /// `max(0, x)`.
        case relu
    }

    /// Where the norms sit around the residual connections.
    public enum Residual: Sendable, Equatable {
        /// `x += attn(norm(x)); x += mlp(norm(x))`, with optional norms on the branch outputs (Gemma, OLMo 2).
        case sequential
        /// `x += attn(norm₁(x)) + mlp(norm₂(x))` (GPT-NeoX parallel residual).
        case parallel
        /// `x = norm(x + attn(x)); x = norm(x + mlp(x))` (BERT).
        case postNorm
    }

    /// Normalisation of queries and keys after their projections.
    public enum QueryKeyNorm: Sendable, Equatable {
        case none
        /// One norm over each head's `headDim` values (Gemma 3).
        case perHead
        /// One norm over the whole projection, all heads together (OLMo 2).
        case whole
    }

    /// Frequency scaling of rotary embeddings.
    public enum RopeScaling: Sendable, Equatable {
        case none
        /// Every inverse frequency divided by `factor`.
        case linear(factor: Double)
        /// Llama 3's piecewise scaling.
        case llama3(factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double, originalContext: Double)
        /// Each inverse frequency divided by its own factor (llama.cpp's `rope_freqs.weight`, `rotaryDimensions / 2`
        /// values; how GGUF files carry Llama 3 scaling).
        case frequencyFactors([Float])
        /// Phi-3's `longrope`: each inverse frequency divided by its short factor (its long factor once a sequence is
        /// longer than `originalContext`), cosines and sines multiplied by `attentionFactor`.
        case longrope(shortFactors: [Float], longFactors: [Float], attentionFactor: Double, originalContext: Int)
        /// YaRN: each inverse frequency blends its interpolated (÷ `factor`) and original value along a linear ramp
        /// between the correction dimensions of `betaFast` and `betaSlow` rotations over `originalContext` positions
        /// (rounded outwards when `truncate`), cosines and sines multiplied by `attentionFactor`.
        case yarn(
            factor: Double, betaFast: Double, betaSlow: Double, originalContext: Double, truncate: Bool,
            attentionFactor: Double)
    }

    /// The routed experts of a Mixture-of-Experts model: which blocks have them and how tokens pick them.
    public struct ExpertRouting: Sendable, Equatable {
        /// Experts per routed block.
        public var count: Int
        /// Experts each token uses (top-k).
        public var active: Int
        /// Width of one expert's gated MLP (`moe_intermediate_size`).
        public var intermediateSize: Int
        /// Whether the top-k routing weights are renormalised to sum to one (`norm_topk_prob`).
        public var normalizesTopK: Bool
        /// Whether each block routes (false: a dense MLP of ``ArchitectureSpec/intermediateSize``), one per layer.
        public var layers: [Bool]
        /// Whether the top-k are taken on the router's logits and the softmax runs over those k alone (gpt-oss),
        /// instead of a softmax over every expert first.
        public var softmaxOverTopK = false
        /// gpt-oss's clamped SwiGLU in place of the family activation, or nil.
        public var clampedSwiGLU: ClampedSwiGLU? = nil
    }

    /// gpt-oss's expert activation: `gate` clamped above at `limit`, `up` to ±`limit`, then
    /// `(up + 1) · gate · sigmoid(alpha · gate)`.
    public struct ClampedSwiGLU: Sendable, Equatable {
        /// The sigmoid's gain (`swiglu_alpha`, 1.702).
        public var alpha: Float
        /// The clamp (`swiglu_limit`, 7).
        public var limit: Float
    }

    /// The rotary position embedding of one layer.
    public struct Rope: Sendable, Equatable {
        /// The base of the inverse frequencies (`rope_theta`).
        public var theta: Double
        /// How the frequencies are rescaled.
        public var scaling: RopeScaling
        /// The leading dimensions of each head that rotate (even; `headDim` unless partial rotary).
        public var rotaryDimensions: Int
    }

    /// The family, the typed key every family-specific decision dispatches on.
    public var architecture: ModelConfiguration.Architecture
    /// The `model_type` of `config.json`, such as `llama` or `gemma3_text`.
    public var modelType: String
    /// Width of every hidden state.
    public var hiddenSize: Int
    /// Number of blocks.
    public var layerCount: Int
    /// Query heads.
    public var headCount: Int
    /// Key/value heads (grouped-query attention when fewer than ``headCount``).
    public var keyValueHeadCount: Int
    /// Width of one head.
    public var headDimension: Int
    /// Width of the feed-forward network's hidden layer.
    public var intermediateSize: Int
    /// Rows of the token embedding.
    public var vocabularySize: Int

    /// The kind of every norm.
    public var norm: NormKind
    /// The epsilon of every norm.
    public var normEpsilon: Float
    /// The arrangement of norms and residuals.
    public var residual: Residual
    /// Whether the block norms before attention and the MLP exist (OLMo 2 has none).
    public var hasPreNorms: Bool
    /// A norm on the attention output before the residual add (Gemma 3, OLMo 2).
    public var hasPostAttentionNorm: Bool
    /// A norm on the MLP output before the residual add (Gemma 3, OLMo 2).
    public var hasPostFeedForwardNorm: Bool
    /// A norm after the last block (decoders); BERT has none.
    public var hasFinalNorm: Bool
    /// A LayerNorm right after the embeddings (BERT).
    public var hasEmbeddingNorm: Bool

    /// Whether queries, keys and values have biases.
    public var queryKeyValueBias: Bool
    /// Whether the attention output projection has a bias.
    public var outputBias: Bool
    /// Whether the MLP projections have biases.
    public var mlpBias: Bool
    /// Normalisation of queries and keys.
    public var queryKeyNorm: QueryKeyNorm
    /// OLMo's `clip_qkv`: queries, keys and values clamped to ±this value.
    public var clipQueryKeyValue: Float?
    /// The factor applied to attention scores (`headDim^-0.5`, or Gemma's `query_pre_attn_scalar^-0.5`).
    public var attentionScale: Float
    /// Gemma 2's attention-logit soft-capping: scores become `cap · tanh(score / cap)` before the softmax.
    public var attentionLogitSoftcap: Float?
    /// gpt-oss's attention sinks: one learned logit per query head that joins each softmax's denominator (its weight
    /// is dropped), read into ``BlockWeights/attentionSinks``.
    public var attentionSinks = false
    /// Whether token i sees only tokens ≤ i (decoders) or every token (BERT).
    public var causal: Bool
    /// The rotary embedding of each layer (nil: no rotary embedding, learned positions instead).
    public var layerRopes: [Rope?]
    /// The sliding window of each layer, nil for full attention.
    ///
    /// Token i sees token j when `i − j < window`.
    public var layerWindows: [Int?]

    /// The feed-forward non-linearity.
    public var activation: Activation
    /// Whether the MLP is gated (`down(act(gate(x)) · up(x))`) or plain (`down(act(up(x)))`).
    public var gatedMLP: Bool
    /// The routed experts that replace the MLP in some or all blocks, or nil for a dense model.
    public var experts: ExpertRouting?

    /// The factor applied to token embeddings (Gemma: `√hiddenSize`).
    public var embeddingScale: Float?
    /// The factor applied to each branch output before it is added to the residual stream (Granite's
    /// `residual_multiplier`).
    public var residualScale: Float?
    /// Logits become `cap · tanh(logit / cap)` (Gemma's `final_logit_softcapping`).
    public var outputSoftcap: Float?
    /// Logits are divided by this (Granite's `logits_scaling`).
    public var outputDivisor: Float?
    /// Rows of the learned position embedding (GPT-2, BERT), nil for rotary models.
    public var learnedPositions: Int?
    /// Rows of BERT's token-type embedding (type 0 is used for every token).
    public var tokenTypes: Int?

    /// The total width of the packed query, key and value projections.
    public var queryKeyValueWidth: Int { (headCount + 2 * keyValueHeadCount) * headDimension }
    /// The width of all query heads together.
    public var queryWidth: Int { headCount * headDimension }
    /// The width of all key (or value) heads together.
    public var keyValueWidth: Int { keyValueHeadCount * headDimension }
}

extension ArchitectureSpec {
    /// Floating-point operations of the blocks' matrix products per token (2 per multiply-add; attention scores,
    /// norms and embeddings excluded): the numerator of achieved GFLOP/s in benchmarks.
    public var linearFLOPsPerToken: Double {
        let projections = hiddenSize * queryKeyValueWidth + queryWidth * hiddenSize
        let dense = hiddenSize * intermediateSize * (gatedMLP ? 3 : 2)
        guard let experts else { return 2 * Double(projections + dense) * Double(layerCount) }
        // A routed block runs its router and `active` experts per token.
        let routed = hiddenSize * experts.count + experts.active * hiddenSize * experts.intermediateSize * 3
        let blocks = experts.layers.map { Double(projections + ($0 ? routed : dense)) }
        return 2 * blocks.reduce(0, +)
    }
}
