import DriftCore
import Foundation

extension ArchitectureSpec {
    /// The `model_type` values of `config.json` this runtime runs.
    public static let supportedModelTypes = [
        "llama", "mistral", "qwen2", "gemma3_text", "olmo", "olmo2", "gpt_neox", "gpt2", "bert",
    ]

    /// Reads the spec from a parsed Hugging Face `config.json` (transformers 4.x and 5.x field names).
    ///
    /// - Parameters:
    ///   - config: the JSON object of `config.json`.
    ///   - path: the file, named in errors.
    /// - Throws: ``DriftCore/DriftError`` for an unsupported `model_type` or option (naming the supported ones), or a
    ///   missing or inconsistent size.
    public init(huggingFaceConfig config: [String: Any], path: String? = nil) throws {
        let reader = ConfigReader(values: config, path: path)
        let modelType = try reader.string("model_type")
        guard Self.supportedModelTypes.contains(modelType) else {
            throw DriftError(
                .unsupported,
                "model_type '\(modelType)' is not supported; supported: \(Self.supportedModelTypes.joined(separator: ", "))",
                path: path)
        }
        self = try Self.read(modelType: modelType, reader)
        try validate(path: path)
    }

    /// Reads and parses `config.json` at `path`.
    ///
    /// - Throws: ``DriftCore/DriftError`` when the file is missing or not a JSON object, or as
    ///   ``init(huggingFaceConfig:path:)``.
    public init(configFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DriftError(.missing, "cannot read config.json", path: path)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw DriftError(.corruptFile, "config.json is not a JSON object", path: path)
        }
        try self.init(huggingFaceConfig: object, path: path)
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    private static func read(modelType: String, _ c: ConfigReader) throws -> ArchitectureSpec {
        let isGPT2 = modelType == "gpt2"
        let hidden = try c.int(isGPT2 ? "n_embd" : "hidden_size")
        let layers = try c.int(isGPT2 ? "n_layer" : "num_hidden_layers")
        let heads = try c.int(isGPT2 ? "n_head" : "num_attention_heads")
        guard heads > 0 else { throw DriftError(.corruptFile, "the number of attention heads is 0", path: c.path) }
        let kvHeads = try c.optionalInt("num_key_value_heads") ?? heads
        let headDim = try c.optionalInt("head_dim") ?? hidden / heads
        let intermediate = isGPT2 ? (try c.optionalInt("n_inner") ?? 4 * hidden) : try c.int("intermediate_size")
        let vocab = try c.int("vocab_size")
        let activationName =
            try c.optionalString("hidden_activation") ?? c.optionalString("hidden_act")
            ?? c.optionalString("activation_function") ?? "silu"
        let activation = try Self.activation(activationName, path: c.path)

        var spec = ArchitectureSpec(
            modelType: modelType, hiddenSize: hidden, layerCount: layers, headCount: heads, keyValueHeadCount: kvHeads,
            headDimension: headDim, intermediateSize: intermediate, vocabularySize: vocab,
            norm: .rms, normEpsilon: Float(try c.optionalDouble("rms_norm_eps") ?? 1e-6), residual: .sequential,
            hasPreNorms: true, hasPostAttentionNorm: false, hasPostFeedForwardNorm: false, hasFinalNorm: true,
            hasEmbeddingNorm: false, queryKeyValueBias: false, outputBias: false, mlpBias: false, queryKeyNorm: .none,
            clipQueryKeyValue: nil, attentionScale: Float(1 / Double(headDim).squareRoot()), causal: true,
            layerRopes: [], layerWindows: Array(repeating: nil, count: layers), activation: activation, gatedMLP: true,
            embeddingScale: nil, learnedPositions: nil, tokenTypes: nil)

        switch modelType {
        case "llama", "mistral", "qwen2", "olmo", "olmo2":
            let rope = try Self.rope(c.values, c, headDim: headDim)
            spec.layerRopes = Array(repeating: rope, count: layers)
            if modelType == "llama" {
                let bias = try c.optionalBool("attention_bias") ?? false
                spec.queryKeyValueBias = bias
                spec.outputBias = bias
                spec.mlpBias = try c.optionalBool("mlp_bias") ?? false
            }
            if modelType == "qwen2" { spec.queryKeyValueBias = true }
            if modelType == "olmo" {
                spec.norm = .layerNorm(affine: false, bias: false)
                spec.normEpsilon = 1e-5  // OlmoLayerNorm hard-codes it
                let bias = try c.optionalBool("attention_bias") ?? false
                spec.queryKeyValueBias = bias
                spec.outputBias = bias
                spec.clipQueryKeyValue = try c.optionalDouble("clip_qkv").map { Float($0) }
            }
            if modelType == "olmo2" {
                spec.hasPreNorms = false
                spec.hasPostAttentionNorm = true
                spec.hasPostFeedForwardNorm = true
                spec.queryKeyNorm = .whole
                let bias = try c.optionalBool("attention_bias") ?? false
                spec.queryKeyValueBias = bias
                spec.outputBias = bias
            }
            spec.layerWindows = try Self.windows(c, layers: layers, modelType: modelType)
        case "gemma3_text":
            spec.norm = .rmsOnePlus
            spec.hasPostAttentionNorm = true
            spec.hasPostFeedForwardNorm = true
            spec.queryKeyNorm = .perHead
            let bias = try c.optionalBool("attention_bias") ?? false
            spec.queryKeyValueBias = bias
            spec.outputBias = bias
            if let scalar = try c.optionalDouble("query_pre_attn_scalar") {
                spec.attentionScale = Float(1 / scalar.squareRoot())
            }
            if let cap = c.values["attn_logit_softcapping"], !(cap is NSNull) {
                throw DriftError(.unsupported, "attn_logit_softcapping is not supported (Gemma 2 style); it must be null", path: c.path)
            }
            spec.embeddingScale = Float(Double(hidden).squareRoot())
            let types = try Self.layerTypes(c, layers: layers) ?? (0..<layers).map {
                ($0 + 1) % 6 == 0 ? "full_attention" : "sliding_attention"
            }
            let window = try c.optionalInt("sliding_window")
            let (global, local) = try Self.gemmaRopes(c, headDim: headDim)
            spec.layerRopes = types.map { $0 == "sliding_attention" ? local : global }
            spec.layerWindows = types.map { $0 == "sliding_attention" ? window : nil }
        case "gpt_neox":
            spec.norm = .layerNorm(affine: true, bias: true)
            spec.normEpsilon = Float(try c.optionalDouble("layer_norm_eps") ?? 1e-5)
            spec.residual = (try c.optionalBool("use_parallel_residual") ?? true) ? .parallel : .sequential
            let bias = try c.optionalBool("attention_bias") ?? true
            spec.queryKeyValueBias = bias
            spec.outputBias = bias
            spec.mlpBias = true
            spec.gatedMLP = false
            spec.layerRopes = Array(repeating: try Self.rope(c.values, c, headDim: headDim), count: layers)
        case "gpt2":
            spec.norm = .layerNorm(affine: true, bias: true)
            spec.normEpsilon = Float(try c.optionalDouble("layer_norm_epsilon") ?? 1e-5)
            spec.queryKeyValueBias = true
            spec.outputBias = true
            spec.mlpBias = true
            spec.gatedMLP = false
            spec.learnedPositions = try c.int("n_positions")
            spec.layerRopes = Array(repeating: nil, count: layers)
            if try c.optionalBool("scale_attn_by_inverse_layer_idx") == true
                || c.optionalBool("reorder_and_upcast_attn") == true
            {
                throw DriftError(
                    .unsupported, "scale_attn_by_inverse_layer_idx / reorder_and_upcast_attn are not supported", path: c.path)
            }
            if try c.optionalBool("scale_attn_weights") == false { spec.attentionScale = 1 }
        case "bert":
            spec.norm = .layerNorm(affine: true, bias: true)
            spec.normEpsilon = Float(try c.optionalDouble("layer_norm_eps") ?? 1e-12)
            spec.residual = .postNorm
            spec.hasPreNorms = false
            spec.hasFinalNorm = false
            spec.hasEmbeddingNorm = true
            spec.queryKeyValueBias = true
            spec.outputBias = true
            spec.mlpBias = true
            spec.gatedMLP = false
            spec.causal = false
            spec.learnedPositions = try c.int("max_position_embeddings")
            spec.tokenTypes = try c.optionalInt("type_vocab_size") ?? 2
            spec.layerRopes = Array(repeating: nil, count: layers)
            if let kind = try c.optionalString("position_embedding_type"), kind != "absolute" {
                throw DriftError(
                    .unsupported, "position_embedding_type '\(kind)' is not supported; supported: absolute", path: c.path)
            }
        default:
            break
        }
        return spec
    }

    private func validate(path: String?) throws {
        let sizes = [
            ("hidden size", hiddenSize), ("layers", layerCount), ("heads", headCount),
            ("key/value heads", keyValueHeadCount), ("head dimension", headDimension),
            ("intermediate size", intermediateSize), ("vocabulary size", vocabularySize),
        ]
        for (name, value) in sizes where value <= 0 {
            throw DriftError(.corruptFile, "the \(name) is \(value); it must be positive", path: path)
        }
        guard headCount % keyValueHeadCount == 0 else {
            throw DriftError(
                .corruptFile,
                "\(headCount) attention heads are not a multiple of \(keyValueHeadCount) key/value heads", path: path)
        }
        for rope in layerRopes {
            if let rope, rope.rotaryDimensions % 2 != 0 || rope.rotaryDimensions > headDimension {
                throw DriftError(
                    .corruptFile, "rotary dimensions \(rope.rotaryDimensions) must be even and at most the head dimension \(headDimension)",
                    path: path)
            }
        }
        for window in layerWindows {
            if let window, window <= 0 {
                throw DriftError(.corruptFile, "sliding_window \(window) must be positive", path: path)
            }
        }
    }

    private static func activation(_ name: String, path: String?) throws -> Activation {
        switch name {
        case "silu", "swish": return .silu
        case "gelu": return .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": return .geluTanh
        case "relu": return .relu
        default:
            throw DriftError(
                .unsupported, "activation '\(name)' is not supported; supported: silu, gelu, gelu_new, gelu_pytorch_tanh, relu",
                path: path)
        }
    }

    private static func layerTypes(_ c: ConfigReader, layers: Int) throws -> [String]? {
        guard let raw = c.values["layer_types"], !(raw is NSNull) else { return nil }
        guard let types = raw as? [String], types.count == layers else {
            throw DriftError(.corruptFile, "layer_types must list one type for each of the \(layers) layers", path: c.path)
        }
        for type in types where type != "sliding_attention" && type != "full_attention" {
            throw DriftError(
                .unsupported, "layer type '\(type)' is not supported; supported: sliding_attention, full_attention", path: c.path)
        }
        return types
    }

    /// Mistral slides every layer when `sliding_window` is set; Qwen2 and others only with `use_sliding_window`.
    private static func windows(_ c: ConfigReader, layers: Int, modelType: String) throws -> [Int?] {
        let window = try c.optionalInt("sliding_window")
        let none = [Int?](repeating: nil, count: layers)
        switch modelType {
        case "mistral":
            return Array(repeating: window, count: layers)
        case "qwen2":
            guard try c.optionalBool("use_sliding_window") == true, let window else { return none }
            if let types = try layerTypes(c, layers: layers) {
                return types.map { $0 == "sliding_attention" ? window : nil }
            }
            let fullLayers = try c.optionalInt("max_window_layers") ?? layers
            return (0..<layers).map { $0 >= fullLayers ? window : nil }
        default:
            return none
        }
    }

    /// The single rope of a model: transformers 5 `rope_parameters` or 4.x `rope_theta` + `rope_scaling`.
    private static func rope(_ values: [String: Any], _ c: ConfigReader, headDim: Int) throws -> Rope {
        var parameters = (values["rope_parameters"] as? [String: Any]) ?? [:]
        if let legacy = values["rope_scaling"] as? [String: Any] {
            parameters.merge(legacy) { current, _ in current }
        }
        let theta =
            numericValue(parameters["rope_theta"]) ?? numericValue(values["rope_theta"])
            ?? numericValue(values["rotary_emb_base"]) ?? 10000
        let partial =
            numericValue(parameters["partial_rotary_factor"])
            ?? numericValue(values["partial_rotary_factor"])
            ?? numericValue(values["rotary_pct"]) ?? 1
        let rotary = Int(Double(headDim) * partial)
        return Rope(theta: theta, scaling: try scaling(parameters, c), rotaryDimensions: rotary)
    }

    private static func scaling(_ parameters: [String: Any], _ c: ConfigReader) throws -> RopeScaling {
        let type = (parameters["rope_type"] as? String) ?? (parameters["type"] as? String) ?? "default"
        func number(_ key: String) throws -> Double {
            guard let value = numericValue(parameters[key]) else {
                throw DriftError(.corruptFile, "rope scaling '\(type)' needs '\(key)'", path: c.path)
            }
            return value
        }
        switch type {
        case "default":
            return .none
        case "linear":
            return .linear(factor: try number("factor"))
        case "llama3":
            return .llama3(
                factor: try number("factor"), lowFrequencyFactor: try number("low_freq_factor"),
                highFrequencyFactor: try number("high_freq_factor"),
                originalContext: try number("original_max_position_embeddings"))
        default:
            throw DriftError(.unsupported, "rope type '\(type)' is not supported; supported: default, linear, llama3", path: c.path)
        }
    }

    /// Gemma 3's global and local ropes (transformers 5 per-layer-type `rope_parameters`, or 4.x fields).
    private static func gemmaRopes(_ c: ConfigReader, headDim: Int) throws -> (global: Rope, local: Rope) {
        if let parameters = c.values["rope_parameters"] as? [String: Any],
            let full = parameters["full_attention"] as? [String: Any]
        {
            let sliding = (parameters["sliding_attention"] as? [String: Any]) ?? ["rope_theta": 10000.0]
            let global = Rope(
                theta: numericValue(full["rope_theta"]) ?? 1_000_000, scaling: try scaling(full, c),
                rotaryDimensions: headDim)
            let local = Rope(
                theta: numericValue(sliding["rope_theta"]) ?? 10000, scaling: try scaling(sliding, c),
                rotaryDimensions: headDim)
            return (global, local)
        }
        let global = Rope(
            theta: try c.optionalDouble("rope_theta") ?? 1_000_000,
            scaling: try scaling((c.values["rope_scaling"] as? [String: Any]) ?? [:], c), rotaryDimensions: headDim)
        let local = Rope(
            theta: try c.optionalDouble("rope_local_base_freq") ?? 10000, scaling: .none, rotaryDimensions: headDim)
        return (global, local)
    }
}

/// Typed access to a `config.json` object with errors that name the field and the file.
private struct ConfigReader {
    let values: [String: Any]
    let path: String?

    func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else {
            throw DriftError(.corruptFile, "config.json has no '\(key)'", path: path)
        }
        return value
    }

    func optionalString(_ key: String) throws -> String? {
        guard let raw = values[key], !(raw is NSNull) else { return nil }
        guard let value = raw as? String else {
            throw DriftError(.corruptFile, "'\(key)' in config.json is not a string", path: path)
        }
        return value
    }

    func int(_ key: String) throws -> Int {
        guard let value = try optionalInt(key) else {
            throw DriftError(.corruptFile, "config.json has no '\(key)'", path: path)
        }
        return value
    }

    func optionalInt(_ key: String) throws -> Int? {
        guard let raw = values[key], !(raw is NSNull) else { return nil }
        guard let number = numericValue(raw), let value = Int(exactly: number) else {
            throw DriftError(.corruptFile, "'\(key)' in config.json is not an integer", path: path)
        }
        return value
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard let raw = values[key], !(raw is NSNull) else { return nil }
        guard let number = numericValue(raw) else {
            throw DriftError(.corruptFile, "'\(key)' in config.json is not a number", path: path)
        }
        return number
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let raw = values[key], !(raw is NSNull) else { return nil }
        guard let value = raw as? Bool else {
            throw DriftError(.corruptFile, "'\(key)' in config.json is not true or false", path: path)
        }
        return value
    }
}

/// The value of a JSON number however Foundation bridged it (Int, Double or NSNumber); nil for anything else.
private func numericValue(_ raw: Any?) -> Double? {
    switch raw {
    case let value as Int: return Double(value)
    case let value as Double: return value
    case let value as NSNumber: return value.doubleValue
    default: return nil
    }
}
