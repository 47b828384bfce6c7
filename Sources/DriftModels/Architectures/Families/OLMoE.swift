/// OLMoE (`olmoe`): Llama's attention with RMSNorms over the whole query and key projections, an optional clamp
/// after them (`clip_qkv`), and routed experts in every block (`num_experts` of width `intermediate_size`,
/// `num_experts_per_tok` active, not renormalised unless `norm_topk_prob`).
package enum OLMoEFamily: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.maxPositions = 4096
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
        spec.queryKeyNorm = .whole
        spec.experts = try ExpertRouting.read(
            reader, count: try reader.integer("num_experts", "num_local_experts", default: 64),
            active: try reader.integer("num_experts_per_tok", default: 8), width: configuration.intermediateSize,
            normalizes: try reader.flag("norm_topk_prob", default: false),
            layers: Array(repeating: true, count: spec.layerCount))
    }

    package static var ggufArchitecture: String? { "olmoe" }

    /// llama.cpp's OLMoE: the expert keys as Qwen3-MoE's, top-k not renormalised, no clamp (llama.cpp's OLMoE
    /// graph has none and the converter writes none).
    package static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws {
        json["rope_parameters"] = try metadata.ropeParameters(rope)
        try ExpertRouting.completeConfiguration(&json, gguf: metadata, normalizes: false)
        if let width = json["moe_intermediate_size"] { json["intermediate_size"] = width }
    }

    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        GGUFModelStore.decoderName(
            name, permutesQueryKey: false, feedForwardNorm: "post_attention_layernorm",
            extra: ExpertRouting.ggufTensorNames)
    }
}
