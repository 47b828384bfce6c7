/// OLMo (`olmo`): Llama's layout with weightless LayerNorms (fixed epsilon 1e-5) and an optional clamp of the query,
/// key and value projections (`clip_qkv`).
package enum OLMoFamily: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.normEpsilonKeys = []  // OlmoLayerNorm has a fixed eps
        $0.normEpsilon = 1e-5
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        configuration.clipQKV = try reader.optionalNumber("clip_qkv")
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        spec.norm = .layerNorm(affine: false, bias: false)
    }

    package static var ggufArchitecture: String? { "olmo" }

    package static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws {
        json["rope_parameters"] = try metadata.ropeParameters(rope)
        json["attention_bias"] = .bool(metadata.file.tensor("blk.0.attn_q.bias") != nil)
        // OLMo's LayerNorm has no weights and a fixed epsilon (1e-5, as the converter writes).
        if let clamp = try metadata.number("attention.clamp_kqv") { json["clip_qkv"] = .number(clamp) }
    }

    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        // OlmoModel permutes Q/K as llama.
        GGUFModelStore.decoderName(name, permutesQueryKey: true, feedForwardNorm: "post_attention_layernorm")
    }
}
