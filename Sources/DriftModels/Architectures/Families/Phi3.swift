/// Phi-3, Phi-3.5 and Phi-4-mini (`phi3`): Llama's layout with one fused query/key/value projection (`qkv_proj`) and
/// one fused gate/up projection (`gate_up_proj`), partial rotary positions (`partial_rotary_factor`), `longrope`
/// scaling with short and long factors and its attention factor, and an optional sliding window on every layer.
package enum Phi3Family: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.maxPositions = 4096
        $0.originalMaxPositions = 4096
        $0.normEpsilon = 1e-5
    }

    package static let tensorNames = DecoderTensorNames().with {
        $0.fusedQueryKeyValue = "self_attn.qkv_proj"
        $0.fusedGateUp = "mlp.gate_up_proj"
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        configuration.slidingWindow = try reader.slidingWindow(default: nil)
    }

    /// Phi3Config turns the older `su` and `yarn` rope types into `longrope`.
    package static func readRope(
        from reader: ConfigurationReader, layerTypes: [String], maxPositions: Int
    ) throws -> (full: ModelConfiguration.RopeParameters?, sliding: ModelConfiguration.RopeParameters?) {
        var object = reader.object
        for key in ["rope_scaling", "rope_parameters"] {
            guard var entry = object[key]?.objectValue else { continue }
            for typeKey in ["rope_type", "type"] where ["su", "yarn"].contains(entry[typeKey]?.stringValue ?? "") {
                entry[typeKey] = .string("longrope")
            }
            object[key] = .object(entry)
        }
        return try RopeReader(
            reader: ConfigurationReader(object: object, path: reader.path), defaults: defaults,
            maxPositions: maxPositions
        ).standard(layerTypes: layerTypes)
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        // Phi3Attention passes config.sliding_window to every layer.
        spec.layerWindows = Array(repeating: configuration.slidingWindow, count: spec.layerCount)
    }

    package static var ggufArchitecture: String? { "phi3" }

    /// llama.cpp's Phi-3: longrope as the `rope_factors_short` / `rope_factors_long` tensors with
    /// `rope.scaling.attn_factor` and `rope.scaling.original_context_length`; no sliding window (llama.cpp turns
    /// Phi's window off).
    package static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws {
        var rope = rope
        rope["rope_theta"] = .number(try metadata.number("rope.freq_base") ?? 10_000)
        let file = metadata.file
        if file.tensor("rope_factors_short.weight") != nil || file.tensor("rope_factors_long.weight") != nil {
            let short = try file.floats("rope_factors_short.weight")
            let long = try file.floats("rope_factors_long.weight")
            rope["rope_type"] = .string("longrope")
            rope["short_factor"] = .array(short.map { .number(Double($0)) })
            rope["long_factor"] = .array(long.map { .number(Double($0)) })
            if let factor = try metadata.number("rope.scaling.attn_factor") {
                rope["attention_factor"] = .number(factor)
            }
            if let original = try metadata.integer("rope.scaling.original_context_length") {
                json["original_max_position_embeddings"] = .integer(original)
            }
        }
        json["rope_parameters"] = .object(rope)
        json["sliding_window"] = .null
    }

    /// The fused projections keep their fused form: `attn_qkv` is `qkv_proj`, `ffn_up` is `gate_up_proj`.
    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        if let block = GGUFModelStore.BlockTensor(name), ["attn_qkv", "ffn_up"].contains(block.tensor) {
            let suffix = block.tensor == "attn_qkv" ? "self_attn.qkv_proj" : "mlp.gate_up_proj"
            return ("model.layers.\(block.layer).\(suffix).\(block.kind)", .none)
        }
        return GGUFModelStore.decoderName(name, permutesQueryKey: false, feedForwardNorm: "post_attention_layernorm")
    }
}
