import DriftCore

/// Gemma 3 text (`gemma3_text`, or a multimodal `gemma3` config's `text_config`): `(1 + w)` RMSNorms around both
/// branches, per-head query/key norms, embeddings scaled by √hidden, attention scaled by `query_pre_attn_scalar`,
/// sliding-window layers with their own rotary base (every 6th layer global by default).
package enum Gemma3Family: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.keyValueHeads = 4
        $0.headDimension = 256
        $0.maxPositions = 131_072
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
        var window = try reader.slidingWindow(default: 4096)
        if try reader.flag("use_bidirectional_attention", default: false), let w = window { window = w / 2 + 1 }
        configuration.slidingWindow = window
        if !reader.has("layer_types") {
            let pattern = try reader.integer("sliding_window_pattern", default: 6)
            guard pattern > 0 else { throw reader.problem("\"sliding_window_pattern\" must be positive") }
            configuration.layerTypes = (0..<configuration.layerCount).map {
                ($0 + 1) % pattern != 0 ? "sliding_attention" : "full_attention"
            }
        }
    }

    /// Gemma3TextConfig.convert_rope_params_to_dict: one entry per layer type; `rope_scaling` applies to full
    /// attention, `rope_local_base_freq` is the sliding layers' base.
    package static func readRope(
        from reader: ConfigurationReader, layerTypes: [String], maxPositions: Int
    ) throws -> (full: ModelConfiguration.RopeParameters?, sliding: ModelConfiguration.RopeParameters?) {
        let rope = RopeReader(reader: reader, defaults: defaults, maxPositions: maxPositions)
        let parameters = try reader.optionalObject("rope_parameters")
        var full = (parameters?["full_attention"]?.objectValue) ?? ["rope_type": .string("default")]
        var sliding = (parameters?["sliding_attention"]?.objectValue) ?? ["rope_type": .string("default")]
        if let scaling = try reader.optionalObject("rope_scaling") { full.merge(scaling) { _, new in new } }
        if full["rope_theta"] == nil, let outer = try rope.outerTheta() { full["rope_theta"] = .number(outer) }
        if sliding["rope_theta"] == nil, let local = try reader.optionalNumber("rope_local_base_freq") {
            sliding["rope_theta"] = .number(local)
        }
        let partial = try rope.outerPartial() ?? 1
        return (
            try rope.build(full, defaultTheta: 1_000_000, defaultPartial: partial),
            try rope.build(sliding, defaultTheta: 10_000, defaultPartial: partial)
        )
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        spec.norm = .rmsOnePlus
        spec.hasPostAttentionNorm = true
        spec.hasPostFeedForwardNorm = true
        spec.queryKeyNorm = .perHead
        if let scalar = configuration.queryPreAttentionScalar { spec.attentionScale = Float(1 / scalar.squareRoot()) }
        spec.embeddingScale = Float(Double(configuration.hiddenSize).squareRoot())
        spec.outputSoftcap = try reader.optionalNumber("final_logit_softcapping").map { Float($0) }
        if reader.has("attn_logit_softcapping") {
            throw DriftError(
                .unsupported, "attn_logit_softcapping is not supported; it must be null", path: reader.path)
        }
        if try reader.flag("use_bidirectional_attention", default: false) {
            throw DriftError(
                .unsupported, "use_bidirectional_attention is not supported for gemma3_text", path: reader.path)
        }
    }

    package static var ggufArchitecture: String? { "gemma3" }

    /// What llama.cpp derives itself is derived here too: layers are sliding-window except every
    /// `attention.sliding_window_pattern`-th (default 6), local layers use `rope.freq_base_swa` (default 10,000),
    /// attention scores are scaled by `attention.scale` when stated, else by `1/√head_dim` (`1/√(hidden/heads)` for
    /// the 62-layer 27B model).
    package static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws {
        var full = rope
        full["rope_theta"] = .number(try metadata.number("rope.freq_base") ?? 10_000)
        let local: [String: JSONValue] = [
            "rope_type": .string("default"), "rope_theta": .number(try metadata.number("rope.freq_base_swa") ?? 10_000),
        ]
        json["rope_parameters"] = .object(["full_attention": .object(full), "sliding_attention": .object(local)])
        let window = try metadata.integer("attention.sliding_window")
        json["sliding_window"] = window.map { .integer($0) } ?? .null
        let layers = try metadata.required("block_count")
        json["layer_types"] = .array(
            try slidingLayers(metadata, layers: layers)
                .map { .string($0 && window != nil ? "sliding_attention" : "full_attention") })
        let hidden = try metadata.required("embedding_length")
        let heads = try metadata.required("attention.head_count")
        let headDim = try metadata.integer("attention.key_length") ?? hidden / heads
        let scalar: Double
        if let scale = try metadata.number("attention.scale"), scale > 0 {
            scalar = 1 / (scale * scale)
        } else {
            scalar = Double(layers == 62 ? hidden / heads : headDim)
        }
        json["query_pre_attn_scalar"] = .number(scalar)
        json["hidden_activation"] = .string("gelu_pytorch_tanh")
    }

    /// Whether each layer is a sliding-window layer, as llama.cpp's `set_swa_pattern`: an integer period `n` makes
    /// every layer sliding except each `n`-th; an array gives one flag per layer.
    package static func slidingLayers(_ metadata: GGUFMetadata, layers: Int, defaultPeriod: Int = 6) throws -> [Bool] {
        let key = metadata.key("attention.sliding_window_pattern")
        guard let value = metadata.file.value(key) else { return (0..<layers).map { ($0 + 1) % defaultPeriod != 0 } }
        if let period = value.intValue {
            guard period > 0 else { throw metadata.problem("\(key) is \(period); it must be positive") }
            return (0..<layers).map { ($0 + 1) % period != 0 }
        }
        if let flags = value.arrayValue?.booleans, flags.count == layers { return flags }
        throw metadata.problem("\(key) is \(value.summary); expected a period or one flag per layer")
    }

    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        GGUFModelStore.decoderName(name, permutesQueryKey: false, feedForwardNorm: "pre_feedforward_layernorm")
    }
}
