/// The keys a family's `config.json` names its common fields with, and the defaults transformers' configuration
/// class gives them when absent.
package struct ConfigurationDefaults: Sendable {
    /// A boolean field: fixed by the architecture, or read from a key with a default.
    package enum Flag: Sendable {
        case fixed(Bool)
        case key(String, default: Bool)
    }

    /// Keys of the hidden size, first present wins (GPT-2: `n_embd`).
    package var hiddenSizeKeys = ["hidden_size"]
    /// Keys of the block count.
    package var layerCountKeys = ["num_hidden_layers"]
    /// Keys of the query head count.
    package var headCountKeys = ["num_attention_heads"]
    /// Keys of the feed-forward width.
    package var intermediateSizeKeys = ["intermediate_size"]
    /// The feed-forward width when absent, as a multiple of the hidden size (GPT-2: 4); nil makes it required.
    package var intermediateSizeMultiple: Int?
    /// Key/value heads when absent; nil: the query heads.
    package var keyValueHeads: Int?
    /// Head width when absent; nil: hidden size / heads.
    package var headDimension: Int?
    /// Keys of the longest sequence.
    package var maxPositionKeys = ["max_position_embeddings"]
    /// The longest sequence when absent.
    package var maxPositions = 2048
    /// Keys of the norm epsilon; empty when the architecture fixes it.
    package var normEpsilonKeys = ["rms_norm_eps"]
    /// The norm epsilon when absent (or fixed).
    package var normEpsilon = 1e-6
    /// Keys of the feed-forward activation.
    package var activationKeys = ["hidden_act"]
    /// The activation when absent.
    package var activation = "silu"
    /// Whether the output embedding is the input embedding when `tie_word_embeddings` is absent.
    package var tiedEmbeddings = false
    /// Whether the attention projections have biases.
    package var attentionBias = Flag.key("attention_bias", default: false)
    /// Whether the feed-forward projections have biases.
    package var mlpBias = Flag.fixed(false)
    /// Whether positions are rotary (false: learned positions, GPT-2 and BERT).
    package var rotaryPositions = true
    /// Keys of the rotary base frequency outside the rope dictionaries.
    package var ropeThetaKeys = ["rope_theta"]
    /// Keys of the rotated fraction of each head outside the rope dictionaries.
    package var partialRotaryKeys = ["partial_rotary_factor"]
    /// The rotated fraction when no key gives it.
    package var partialRotaryFactor = 1.0
    /// The rotary base frequency when no key gives it.
    package var ropeTheta = 10_000.0
    /// The pretraining context of scaled ropes when `original_max_position_embeddings` is absent (Phi-3: 4096); nil:
    /// the longest sequence.
    package var originalMaxPositions: Int?
    /// Whether the model is an encoder (bidirectional attention).
    package var encoder = false

    package init() {}

    /// The defaults with `change` applied.
    package func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}
