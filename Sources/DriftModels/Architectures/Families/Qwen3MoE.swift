/// Qwen3-MoE (`qwen3_moe`): Qwen3's attention with routed experts in place of the MLP: `num_experts` experts of
/// width `moe_intermediate_size`, `num_experts_per_tok` active, renormalised when `norm_topk_prob`; a block routes
/// when its index is not in `mlp_only_layers` and `(index + 1)` is a multiple of `decoder_sparse_step`.
package enum Qwen3MoEFamily: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.keyValueHeads = 4
        $0.maxPositions = 32768
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        try Qwen2Family.readQwenSlidingWindow(&configuration, from: reader)
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        spec.queryKeyNorm = .perHead
        let step = try reader.integer("decoder_sparse_step", default: 1)
        guard step > 0 else { throw reader.problem("\"decoder_sparse_step\" is \(step); it must be positive") }
        let denseOnly = Set(try reader.optionalIntegers("mlp_only_layers") ?? [])
        let count = try reader.integer("num_experts", "num_local_experts", default: 128)
        let layers = (0..<spec.layerCount).map { !denseOnly.contains($0) && count > 0 && ($0 + 1) % step == 0 }
        spec.experts = try ExpertRouting.read(
            reader, count: count, active: try reader.integer("num_experts_per_tok", default: 8),
            width: try reader.integer("moe_intermediate_size", default: 768),
            normalizes: try reader.flag("norm_topk_prob", default: false), layers: layers)
    }

    package static var ggufArchitecture: String? { "qwen3moe" }

    /// llama.cpp's Qwen3-MoE: `expert_count`, `expert_used_count`, `expert_feed_forward_length`, top-k always
    /// renormalised; a block without a router (`ffn_gate_inp`) is dense.
    package static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws {
        json["rope_parameters"] = try metadata.ropeParameters(rope)
        try ExpertRouting.completeConfiguration(&json, gguf: metadata, normalizes: true)
    }

    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        GGUFModelStore.decoderName(
            name, permutesQueryKey: false, feedForwardNorm: "post_attention_layernorm",
            extra: ExpertRouting.ggufTensorNames)
    }
}
