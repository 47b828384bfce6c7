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
        spec.outputSoftcap =
            reader.isWritten("final_logit_softcapping")
            ? try reader.optionalNumber("final_logit_softcapping").map { Float($0) } : 30
        if let cap = spec.attentionLogitSoftcap, cap <= 0 {
            throw reader.problem("\"attn_logit_softcapping\" is \(cap); it must be positive or null")
        }
        if try reader.flag("use_bidirectional_attention", default: false) {
            throw DriftError(.unsupported, "use_bidirectional_attention is not supported for gemma2", path: reader.path)
        }
    }

    package static var ggufArchitecture: String? { "gemma2" }

    /// As llama.cpp's Gemma 2 loader: every other layer slides (window 4096 unless stated), logits soft-capped at 50
    /// unless stated, scores scaled by `1/√head_dim` (`1/√(hidden/heads)` for the 46-layer 27B model).
    package static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws {
        json["rope_parameters"] = try metadata.ropeParameters(rope)
        let layers = try metadata.required("block_count")
        json["sliding_window"] = .integer(try metadata.integer("attention.sliding_window") ?? 4096)
        json["layer_types"] = .array(
            try Gemma3Family.slidingLayers(metadata, layers: layers, defaultPeriod: 2)
                .map { .string($0 ? "sliding_attention" : "full_attention") })
        json["attn_logit_softcapping"] = .number(try metadata.number("attn_logit_softcapping") ?? 50)
        json["final_logit_softcapping"] = .number(try metadata.number("final_logit_softcapping") ?? 30)
        let hidden = try metadata.required("embedding_length")
        let heads = try metadata.required("attention.head_count")
        let headDim = try metadata.integer("attention.key_length") ?? hidden / heads
        json["query_pre_attn_scalar"] = .number(Double(layers == 46 ? hidden / heads : headDim))
        json["hidden_activation"] = .string("gelu_pytorch_tanh")
    }

    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        GGUFModelStore.decoderName(name, permutesQueryKey: false, feedForwardNorm: "pre_feedforward_layernorm")
    }
}
