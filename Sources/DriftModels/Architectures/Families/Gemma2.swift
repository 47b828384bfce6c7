import DriftCore

/// Gemma 2 (`gemma2`): Gemma 3's `(1 + w)` sandwich norms, √hidden embedding scale and `query_pre_attn_scalar`, without
/// query/key norms; attention logits soft-capped (`attn_logit_softcapping`), every other layer sliding (the first
/// one included) with one rotary base for all.
package enum Gemma2Family: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.keyValueHeads = 4
        $0.headDimension = 256
        $0.maxPositions = 8192
        $0.activationKeys = ["hidden_activation", "hidden_act"]
        $0.activation = "gelu_pytorch_tanh"
        $0.tiedEmbeddings = true
    }

    package static let tensorNames = DecoderTensorNames().with {
        $0.feedForwardNorm = "pre_feedforward_layernorm"
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        configuration.queryPreAttentionScalar = try reader.number("query_pre_attn_scalar", default: 256)
        configuration.slidingWindow = try reader.slidingWindow(default: 4096)
        configuration.layerTypes = (0..<configuration.layerCount).map {
            ($0 + 1) % 2 != 0 ? "sliding_attention" : "full_attention"
        }
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        spec.norm = .rmsOnePlus
        spec.hasPostAttentionNorm = true
        spec.hasPostFeedForwardNorm = true
        if let scalar = configuration.queryPreAttentionScalar { spec.attentionScale = Float(1 / scalar.squareRoot()) }
        spec.embeddingScale = Float(Double(configuration.hiddenSize).squareRoot())
        let reader = reader
        if reader.isWritten("attn_logit_softcapping") {
            spec.attentionLogitSoftcap = try reader.optionalNumber("attn_logit_softcapping").map { Float($0) }
        } else {
            spec.attentionLogitSoftcap = 50
        }
        if let cap = spec.attentionLogitSoftcap, cap <= 0 {
            throw reader.problem("\"attn_logit_softcapping\" is \(cap); it must be positive or null")
        }
        if try reader.flag("use_bidirectional_attention", default: false) {
            throw DriftError(.unsupported, "use_bidirectional_attention is not supported for gemma2", path: reader.path)
        }
    }
}
