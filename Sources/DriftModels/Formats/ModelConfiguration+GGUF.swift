import DriftCore

extension ModelConfiguration {
    /// The GGUF architectures (`general.architecture`) this tool runs, with the transformers `model_type` each maps to.
    public static let ggufArchitectures: [(gguf: String, modelType: String)] = [
        ("llama", "llama"), ("qwen2", "qwen2"), ("gemma3", "gemma3_text"), ("gpt2", "gpt2"), ("gptneox", "gpt_neox"),
        ("olmo", "olmo"), ("bert", "bert"),
    ]

    /// The configuration of a GGUF model, read from its metadata the way llama.cpp's `llama-model.cpp` reads it,
    /// expressed as the `config.json` transformers would have.
    ///
    /// What llama.cpp derives itself is derived here too. Gemma 3: layers are sliding-window except every
    /// `attention.sliding_window_pattern`-th (default 6), local layers use `rope.freq_base_swa` (default 10,000),
    /// attention scores are scaled by `attention.scale` when stated, else by `1/√head_dim` (`1/√(hidden/heads)` for the
    /// 62-layer 27B model), embeddings are scaled by √hidden. Absent head dimension: hidden / heads (`key_length`).
    /// GPT-2, GPT-NeoX, OLMo and BERT: see ``addLayerNormModelKeys(to:file:architecture:hidden:)``.
    ///
    /// - Parameter file: the opened GGUF file.
    /// - Throws: ``DriftCore/DriftError`` naming the file for an architecture this tool does not run (listing the
    ///   supported ones), a missing or inconsistent size, a per-layer array that varies, or a rope scaling type other
    ///   than none/linear.
    public init(gguf file: GGUFFile) throws {
        let path = file.path
        func problem(_ text: String) -> DriftError { DriftError(.corruptFile, text, path: path) }
        guard let arch = file.architecture else {
            throw problem("no general.architecture in the GGUF metadata")
        }
        guard let modelType = Self.ggufArchitectures.first(where: { $0.gguf == arch })?.modelType else {
            let known = Self.ggufArchitectures.map(\.gguf).joined(separator: ", ")
            throw DriftError(
                .unsupported, "GGUF architecture '\(arch)' is not supported; supported: \(known)", path: path)
        }
        func key(_ suffix: String) -> String { "\(arch).\(suffix)" }
        /// An integer, or a per-layer array whose entries must all be equal.
        func integer(_ suffix: String) throws -> Int? {
            guard let value = file.value(key(suffix)) else { return nil }
            if let int = value.intValue { return int }
            if let array = value.arrayValue {
                guard let values = array.ints, let first = values.first, values.allSatisfy({ $0 == first }) else {
                    throw DriftError(
                        .unsupported, "\(key(suffix)) differs between layers; only uniform layers are supported",
                        path: path)
                }
                return first
            }
            throw problem("\(key(suffix)) is \(value.summary), not an integer")
        }
        func required(_ suffix: String) throws -> Int {
            guard let value = try integer(suffix) else { throw problem("the GGUF metadata has no \(key(suffix))") }
            guard value > 0 else { throw problem("\(key(suffix)) is \(value); it must be positive") }
            return value
        }
        func number(_ suffix: String) throws -> Double? {
            guard let value = file.value(key(suffix)) else { return nil }
            guard let number = value.doubleValue else {
                throw problem("\(key(suffix)) is \(value.summary), not a number")
            }
            return number
        }

        let hidden = try required("embedding_length")
        let layers = try required("block_count")
        let heads = try required("attention.head_count")
        let kvHeads = try integer("attention.head_count_kv") ?? heads
        let headDim = try integer("attention.key_length") ?? hidden / heads
        if let valueLength = try integer("attention.value_length"), valueLength != headDim {
            throw DriftError(
                .unsupported, "key length \(headDim) and value length \(valueLength) differ; they must be equal",
                path: path)
        }
        guard let embedding = file.tensor("token_embd.weight"), embedding.dimensions.count == 2 else {
            throw DriftError(.missing, "tensor 'token_embd.weight' (the token embedding) is missing", path: path)
        }
        let vocabulary = embedding.dimensions[1]
        var json: [String: JSONValue] = [
            "model_type": .string(modelType),
            "hidden_size": .integer(hidden),
            "num_hidden_layers": .integer(layers),
            "num_attention_heads": .integer(heads),
            "num_key_value_heads": .integer(kvHeads),
            "head_dim": .integer(headDim),
            "intermediate_size": .integer(try required("feed_forward_length")),
            "vocab_size": .integer(vocabulary),
            "max_position_embeddings": .integer(try integer("context_length") ?? 2048),
            "tie_word_embeddings": .bool(file.tensor("output.weight") == nil),
        ]
        if let name = file.string("general.name") { json["architectures"] = .array([.string(name)]) }
        if let eps = try number("attention.layer_norm_rms_epsilon") { json["rms_norm_eps"] = .number(eps) }
        if ["gpt2", "gptneox", "olmo", "bert"].contains(arch) {
            try Self.addLayerNormModelKeys(to: &json, file: file, architecture: arch, hidden: hidden)
        }

        // Rotary embedding.
        var rope: [String: JSONValue] = ["rope_type": .string("default")]
        switch file.string(key("rope.scaling.type")) ?? "none" {
        case "none": break
        case "linear":
            if let factor = try number("rope.scaling.factor"), factor != 1 {
                rope["rope_type"] = .string("linear")
                rope["factor"] = .number(factor)
            }
        case let other:
            throw DriftError(
                .unsupported, "rope scaling '\(other)' is not supported; supported: none, linear (and rope_freqs)",
                path: path)
        }
        if let dimensions = try integer("rope.dimension_count"), dimensions != headDim {
            json["partial_rotary_factor"] = .number(Double(dimensions) / Double(headDim))
        }
        let base = try number("rope.freq_base") ?? 10_000

        switch arch {
        case "gemma3":
            var full = rope
            full["rope_theta"] = .number(base)
            let local: [String: JSONValue] = [
                "rope_type": .string("default"), "rope_theta": .number(try number("rope.freq_base_swa") ?? 10_000),
            ]
            json["rope_parameters"] = .object(["full_attention": .object(full), "sliding_attention": .object(local)])
            let window = try integer("attention.sliding_window")
            json["sliding_window"] = window.map { .integer($0) } ?? .null
            json["layer_types"] = .array(
                try Self.gemma3LayerTypes(file: file, key: key("attention.sliding_window_pattern"), layers: layers)
                    .map { .string($0 && window != nil ? "sliding_attention" : "full_attention") })
            let scalar: Double
            if let scale = try number("attention.scale"), scale > 0 {
                scalar = 1 / (scale * scale)
            } else {
                scalar = Double(layers == 62 ? hidden / heads : headDim)
            }
            json["query_pre_attn_scalar"] = .number(scalar)
            json["hidden_activation"] = .string("gelu_pytorch_tanh")
        case "gptneox":
            rope["rope_theta"] = .number(base)
            json["rope_parameters"] = .object(rope)
            json["attention_bias"] = .bool(file.tensor("blk.0.attn_qkv.bias") != nil)
        case "gpt2", "bert":
            break  // learned absolute positions
        default:
            rope["rope_theta"] = .number(base)
            json["rope_parameters"] = .object(rope)
            json["attention_bias"] = .bool(file.tensor("blk.0.attn_q.bias") != nil)
            json["mlp_bias"] = .bool(file.tensor("blk.0.ffn_up.bias") != nil)
        }
        try self.init(json: .object(json), path: path)
    }

    /// Whether each layer is a sliding-window layer, as llama.cpp's `set_swa_pattern`: an integer period `n` makes
    /// every layer sliding except each `n`-th; an array gives one flag per layer.
    private static func gemma3LayerTypes(file: GGUFFile, key: String, layers: Int) throws -> [Bool] {
        guard let value = file.value(key) else { return (0..<layers).map { ($0 + 1) % 6 != 0 } }
        if let period = value.intValue {
            guard period > 0 else {
                throw DriftError(.corruptFile, "\(key) is \(period); it must be positive", path: file.path)
            }
            return (0..<layers).map { ($0 + 1) % period != 0 }
        }
        if let flags = value.arrayValue?.booleans, flags.count == layers { return flags }
        throw DriftError(
            .corruptFile, "\(key) is \(value.summary); expected a period or one flag per layer", path: file.path)
    }
}
