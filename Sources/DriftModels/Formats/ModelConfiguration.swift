import DriftCore
import Foundation

/// The typed contents of a Hugging Face checkpoint's `config.json`, with transformers' defaults for absent keys.
///
/// Field names follow transformers' configuration classes (`LlamaConfig`, `Gemma3TextConfig`, `GPT2Config`, …); the
/// raw JSON stays in ``raw`` for anything not typed here. For a multimodal Gemma 3 config (`model_type` `gemma3`)
/// every field describes its `text_config`.
public struct ModelConfiguration: Sendable, Equatable {
    /// The model families this tool can run, by transformers' `model_type`.
    public enum Architecture: String, Sendable, CaseIterable, Equatable {
        case llama
        case mistral
        case qwen2
        case gemma3Text = "gemma3_text"
        case olmo
        case olmo2
        case gptNeoX = "gpt_neox"
        case gpt2
        case bert

        /// Whether the model is an encoder (bidirectional attention, no rotary positions).
        public var isEncoder: Bool { self == .bert }

        /// Whether positions are rotary (all but GPT-2 and BERT, which learn position embeddings).
        public var usesRotaryPositions: Bool { self != .gpt2 && self != .bert }
    }

    /// How rotary position frequencies are computed for one kind of layer, as transformers' `rope_parameters`.
    public struct RopeParameters: Sendable, Equatable {
        /// The scaling applied to the default inverse frequencies.
        public enum Scaling: Sendable, Equatable {
            /// No scaling (`rope_type` `default`).
            case none
            /// Positions divided by `factor` (`rope_type` `linear`).
            case linear(factor: Double)
            /// Llama 3.1's frequency-dependent scaling (`rope_type` `llama3`).
            case llama3(
                factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double,
                originalMaxPositionEmbeddings: Int)
            /// A `rope_type` this tool does not compute (`dynamic`, `yarn`, `longrope`, …), kept so it can be reported.
            case unsupported(type: String)
        }

        /// The base of the frequencies (`rope_theta`).
        public var theta: Double
        /// The scaling.
        public var scaling: Scaling
        /// The fraction of each head's dimensions that is rotated (`partial_rotary_factor`, GPT-NeoX's `rotary_pct`).
        public var partialRotaryFactor: Double

        /// Creates rope parameters.
        public init(theta: Double, scaling: Scaling = .none, partialRotaryFactor: Double = 1) {
            self.theta = theta
            self.scaling = scaling
            self.partialRotaryFactor = partialRotaryFactor
        }

        /// The `rope_type` name.
        public var typeName: String {
            switch scaling {
            case .none: return "default"
            case .linear: return "linear"
            case .llama3: return "llama3"
            case .unsupported(let type): return type
            }
        }
    }

    /// The architecture.
    public var architecture: Architecture
    /// `model_type` as written in the file (`gemma3` for a multimodal wrapper of `gemma3_text`).
    public var modelType: String
    /// `architectures[0]` when present, such as `LlamaForCausalLM`.
    public var architectureClass: String?
    /// Width of the residual stream (`hidden_size`, GPT-2 `n_embd`).
    public var hiddenSize: Int
    /// Width of the feed-forward layer (`intermediate_size`; GPT-2 `n_inner`, default 4 × `n_embd`).
    public var intermediateSize: Int
    /// Number of blocks (`num_hidden_layers`, GPT-2 `n_layer`).
    public var layerCount: Int
    /// Number of query heads (`num_attention_heads`, GPT-2 `n_head`).
    public var attentionHeadCount: Int
    /// Number of key/value heads (`num_key_value_heads`; absent: transformers' per-model default).
    public var keyValueHeadCount: Int
    /// Width of one head (`head_dim`, default `hidden_size / num_attention_heads`; Gemma 3 default 256).
    public var headDim: Int
    /// Number of token embeddings (`vocab_size`).
    public var vocabularySize: Int
    /// Longest sequence the positions cover (`max_position_embeddings`, GPT-2 `n_positions`).
    public var maxPositionEmbeddings: Int
    /// Epsilon of the norms (`rms_norm_eps`, `layer_norm_eps` or `layer_norm_epsilon`; OLMo's fixed 1e-5).
    public var normEpsilon: Double
    /// Rotary parameters of full-attention layers, or nil for learned positions (GPT-2, BERT).
    public var rope: RopeParameters?
    /// Rotary parameters of sliding-window layers where they differ (Gemma 3: `rope_local_base_freq`), else nil.
    public var slidingRope: RopeParameters?
    /// Whether attention and feed-forward read the same input (GPT-NeoX `use_parallel_residual`).
    public var useParallelResidual: Bool
    /// Whether the output embedding is the input embedding (`tie_word_embeddings`).
    public var tieWordEmbeddings: Bool
    /// The feed-forward activation (`hidden_act`, Gemma's `hidden_activation`, GPT-2's `activation_function`).
    public var activation: String
    /// Whether the attention projections have biases (`attention_bias`; Qwen2: q/k/v yes, output no; GPT-2, BERT yes).
    public var attentionBias: Bool
    /// Whether the feed-forward projections have biases (`mlp_bias`; GPT-NeoX, GPT-2 and BERT always).
    public var mlpBias: Bool
    /// Window of sliding-window layers in tokens as transformers uses it, or nil.
    public var slidingWindow: Int?
    /// The attention kind of every layer (`full_attention` or `sliding_attention`), `layerCount` entries.
    public var layerTypes: [String]
    /// Gemma 3's attention scale denominator (`query_pre_attn_scalar`; scores are scaled by its inverse square root).
    public var queryPreAttentionScalar: Double?
    /// OLMo's clamp of q, k and v (`clip_qkv`), or nil.
    public var clipQKV: Double?
    /// BERT's number of token types (`type_vocab_size`), or nil.
    public var typeVocabularySize: Int?
    /// The stored weight dtype the checkpoint declares (`dtype` or `torch_dtype`, such as `bfloat16`), or nil.
    public var dtype: String?
    /// The configuration object the fields were read from (the `text_config` for a multimodal Gemma 3).
    public var raw: [String: JSONValue]

    /// The supported `model_type` values, for error messages.
    public static var supportedModelTypes: [String] {
        Architecture.allCases.map(\.rawValue) + ["gemma3 (its text_config)"]
    }

    /// The rope parameters of layer `index` (sliding layers use ``slidingRope`` when set).
    public func rope(forLayer index: Int) -> RopeParameters? {
        if index < layerTypes.count, layerTypes[index] == "sliding_attention", let slidingRope { return slidingRope }
        return rope
    }

    /// Reads `config.json` from a checkpoint folder, or the file itself when `path` names one.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file when it is missing, not JSON, has an unknown
    ///   `model_type` (the message lists the supported ones) or lacks a required size.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let file =
            exists && isDirectory.boolValue
            ? URL(fileURLWithPath: path).appendingPathComponent("config.json").path : path
        guard FileManager.default.fileExists(atPath: file) else {
            throw DriftError(.missing, "no config.json: a Hugging Face checkpoint folder needs one", path: file)
        }
        try self.init(json: try JSONValue.read(path: file), path: file)
    }

    /// Parses the JSON of a `config.json`; `path` is used in error messages.
    public init(json: JSONValue, path: String? = nil) throws {
        guard var object = json.objectValue else {
            throw DriftError(.corruptFile, "config.json is not a JSON object", path: path)
        }
        func problem(_ text: String) -> DriftError { DriftError(.corruptFile, text, path: path) }
        guard let modelType = object["model_type"]?.stringValue else {
            throw problem(
                "config.json has no \"model_type\"; supported: \(Self.supportedModelTypes.joined(separator: ", "))")
        }
        let rootArchitectures = object["architectures"]?.arrayValue?.first?.stringValue
        let rootDType = object["dtype"]?.stringValue ?? object["torch_dtype"]?.stringValue
        var rootTie: Bool?
        if modelType == "gemma3" {
            guard let text = object["text_config"]?.objectValue else {
                throw problem("a gemma3 config.json needs a \"text_config\" object")
            }
            rootTie = object["tie_word_embeddings"]?.boolValue
            object = text
            object["model_type"] = .string("gemma3_text")
        }
        let typeName = modelType == "gemma3" ? "gemma3_text" : modelType
        guard let architecture = Architecture(rawValue: typeName) else {
            throw DriftError(
                .unsupported,
                "unsupported model_type \"\(modelType)\"; supported: \(Self.supportedModelTypes.joined(separator: ", "))",
                path: path)
        }
        self.architecture = architecture
        self.modelType = modelType
        self.architectureClass = rootArchitectures
        self.raw = object

        func integer(_ keys: String..., default fallback: Int? = nil) throws -> Int {
            for key in keys {
                guard let value = object[key], !value.isNull else { continue }
                guard let integer = value.intValue else { throw problem("\"\(key)\" is \(value), not an integer") }
                return integer
            }
            if let fallback { return fallback }
            throw problem("config.json has no \"\(keys[0])\"")
        }
        func optionalInteger(_ key: String) throws -> Int? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let integer = value.intValue else { throw problem("\"\(key)\" is \(value), not an integer") }
            return integer
        }
        func number(_ keys: String..., default fallback: Double) throws -> Double {
            for key in keys {
                guard let value = object[key], !value.isNull else { continue }
                guard let number = value.doubleValue else { throw problem("\"\(key)\" is \(value), not a number") }
                return number
            }
            return fallback
        }
        func optionalNumber(_ key: String) throws -> Double? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let number = value.doubleValue else { throw problem("\"\(key)\" is \(value), not a number") }
            return number
        }
        func flag(_ key: String, default fallback: Bool) throws -> Bool {
            guard let value = object[key], !value.isNull else { return fallback }
            guard let flag = value.boolValue else { throw problem("\"\(key)\" is \(value), not true or false") }
            return flag
        }
        func string(_ keys: String..., default fallback: String) throws -> String {
            for key in keys {
                guard let value = object[key], !value.isNull else { continue }
                guard let text = value.stringValue else { throw problem("\"\(key)\" is \(value), not a string") }
                return text
            }
            return fallback
        }

        // Sizes.
        let isGPT2 = architecture == .gpt2
        hiddenSize = isGPT2 ? try integer("n_embd", "hidden_size") : try integer("hidden_size")
        layerCount = isGPT2 ? try integer("n_layer", "num_hidden_layers") : try integer("num_hidden_layers")
        attentionHeadCount = isGPT2 ? try integer("n_head", "num_attention_heads") : try integer("num_attention_heads")
        guard hiddenSize > 0, layerCount > 0, attentionHeadCount > 0 else {
            throw problem(
                "hidden size \(hiddenSize), layers \(layerCount) and heads \(attentionHeadCount) must all be positive")
        }
        intermediateSize = isGPT2 ? try integer("n_inner", default: 4 * hiddenSize) : try integer("intermediate_size")
        // transformers' defaults when the key is absent: Mistral 8, Qwen2 32, Gemma 3 4, else the query heads.
        let defaultKeyValueHeads: Int
        switch architecture {
        case .mistral: defaultKeyValueHeads = 8
        case .qwen2: defaultKeyValueHeads = 32
        case .gemma3Text: defaultKeyValueHeads = 4
        default: defaultKeyValueHeads = attentionHeadCount
        }
        keyValueHeadCount = try integer("num_key_value_heads", default: defaultKeyValueHeads)
        let defaultHeadDim = architecture == .gemma3Text ? 256 : hiddenSize / attentionHeadCount
        headDim = try integer("head_dim", default: defaultHeadDim)
        vocabularySize = try integer("vocab_size")
        maxPositionEmbeddings =
            isGPT2
            ? try integer("n_positions", "max_position_embeddings", default: 1024)
            : try integer("max_position_embeddings", default: Self.defaultMaxPositions(architecture))
        guard keyValueHeadCount > 0, attentionHeadCount % keyValueHeadCount == 0, headDim > 0,
            intermediateSize > 0, vocabularySize > 0
        else {
            throw problem(
                "inconsistent sizes: \(attentionHeadCount) heads, \(keyValueHeadCount) key/value heads, head dim \(headDim), intermediate \(intermediateSize), vocabulary \(vocabularySize)"
            )
        }

        switch architecture {
        case .olmo: normEpsilon = 1e-5  // OlmoLayerNorm has a fixed eps
        case .olmo2: normEpsilon = try number("rms_norm_eps", default: 1e-5)
        case .gptNeoX: normEpsilon = try number("layer_norm_eps", default: 1e-5)
        case .gpt2: normEpsilon = try number("layer_norm_epsilon", default: 1e-5)
        case .bert: normEpsilon = try number("layer_norm_eps", default: 1e-12)
        case .llama, .mistral, .qwen2, .gemma3Text: normEpsilon = try number("rms_norm_eps", default: 1e-6)
        }

        switch architecture {
        case .gemma3Text: activation = try string("hidden_activation", "hidden_act", default: "gelu_pytorch_tanh")
        case .gpt2: activation = try string("activation_function", default: "gelu_new")
        case .gptNeoX, .bert: activation = try string("hidden_act", default: "gelu")
        case .llama, .mistral, .qwen2, .olmo, .olmo2: activation = try string("hidden_act", default: "silu")
        }

        let tiedByDefault = architecture == .gemma3Text || architecture == .gpt2 || architecture == .bert
        tieWordEmbeddings = try rootTie ?? flag("tie_word_embeddings", default: tiedByDefault)
        switch architecture {
        case .qwen2, .gpt2, .bert: attentionBias = true
        case .gptNeoX: attentionBias = try flag("attention_bias", default: true)
        case .mistral: attentionBias = false
        case .llama, .gemma3Text, .olmo, .olmo2: attentionBias = try flag("attention_bias", default: false)
        }
        switch architecture {
        case .gptNeoX, .gpt2, .bert: mlpBias = true
        case .llama: mlpBias = try flag("mlp_bias", default: false)
        case .mistral, .qwen2, .gemma3Text, .olmo, .olmo2: mlpBias = false
        }
        useParallelResidual = architecture == .gptNeoX ? try flag("use_parallel_residual", default: true) : false
        queryPreAttentionScalar = architecture == .gemma3Text ? try number("query_pre_attn_scalar", default: 256) : nil
        clipQKV = architecture == .olmo || architecture == .olmo2 ? try optionalNumber("clip_qkv") : nil
        typeVocabularySize = architecture == .bert ? try integer("type_vocab_size", default: 2) : nil
        dtype = object["dtype"]?.stringValue ?? object["torch_dtype"]?.stringValue ?? rootDType

        // Sliding windows and layer types.
        switch architecture {
        case .mistral:
            slidingWindow = object.keys.contains("sliding_window") ? try optionalInteger("sliding_window") : 4096
        case .qwen2:
            slidingWindow =
                try flag("use_sliding_window", default: false)
                ? (object.keys.contains("sliding_window") ? try optionalInteger("sliding_window") : 4096) : nil
        case .gemma3Text:
            var window = object.keys.contains("sliding_window") ? try optionalInteger("sliding_window") : 4096
            if try flag("use_bidirectional_attention", default: false), let w = window { window = w / 2 + 1 }
            slidingWindow = window
        default:
            slidingWindow = nil
        }
        if let given = object["layer_types"], !given.isNull {
            guard let list = given.arrayValue?.compactMap(\.stringValue), list.count == given.arrayValue?.count else {
                throw problem("\"layer_types\" is not a list of strings")
            }
            guard list.count == layerCount else {
                throw problem("\"layer_types\" has \(list.count) entries for \(layerCount) layers")
            }
            layerTypes = list
        } else if architecture == .gemma3Text {
            let pattern = try integer("sliding_window_pattern", default: 6)
            guard pattern > 0 else { throw problem("\"sliding_window_pattern\" must be positive") }
            layerTypes = (0..<layerCount).map { ($0 + 1) % pattern != 0 ? "sliding_attention" : "full_attention" }
        } else if architecture == .qwen2, slidingWindow != nil {
            let maxWindowLayers = try integer("max_window_layers", default: 28)
            layerTypes = (0..<layerCount).map { $0 >= maxWindowLayers ? "sliding_attention" : "full_attention" }
        } else {
            layerTypes = Array(repeating: "full_attention", count: layerCount)
        }

        // Rotary positions.
        (rope, slidingRope) = try Self.parseRope(
            object: object, architecture: architecture, layerTypes: layerTypes,
            maxPositions: maxPositionEmbeddings, path: path)
    }

    private static func defaultMaxPositions(_ architecture: Architecture) -> Int {
        switch architecture {
        case .llama, .olmo, .olmo2, .gptNeoX: return 2048
        case .mistral: return 4096 * 32
        case .qwen2: return 32768
        case .gemma3Text: return 131_072
        case .gpt2: return 1024
        case .bert: return 512
        }
    }

    /// Reads rope settings from transformers 5's `rope_parameters` (flat or per layer type) or the classic
    /// `rope_theta` + `rope_scaling` keys, with the same precedence transformers applies.
    private static func parseRope(
        object: [String: JSONValue], architecture: Architecture, layerTypes: [String], maxPositions: Int, path: String?
    ) throws -> (RopeParameters?, RopeParameters?) {
        guard architecture.usesRotaryPositions else { return (nil, nil) }
        func problem(_ text: String) -> DriftError { DriftError(.corruptFile, text, path: path) }
        func number(_ value: JSONValue?, _ key: String) throws -> Double? {
            guard let value, !value.isNull else { return nil }
            guard let number = value.doubleValue else { throw problem("\"\(key)\" is \(value), not a number") }
            return number
        }
        func dictionary(_ key: String) throws -> [String: JSONValue]? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let dictionary = value.objectValue else { throw problem("\"\(key)\" is not an object") }
            return dictionary
        }

        // Outside values: transformers' kwargs and attributes, used when the dictionaries lack them.
        let isNeoX = architecture == .gptNeoX
        let outerTheta =
            try number(object["rope_theta"], "rope_theta")
            ?? (isNeoX ? try number(object["rotary_emb_base"], "rotary_emb_base") : nil)
        let outerPartial =
            try number(object["partial_rotary_factor"], "partial_rotary_factor")
            ?? (isNeoX ? try number(object["rotary_pct"], "rotary_pct") : nil)
        let scaling = try dictionary("rope_scaling")
        let parameters = try dictionary("rope_parameters")

        func build(_ entry: [String: JSONValue], defaultTheta: Double, defaultPartial: Double) throws -> RopeParameters
        {
            let theta = try number(entry["rope_theta"], "rope_theta") ?? defaultTheta
            let partial = try number(entry["partial_rotary_factor"], "partial_rotary_factor") ?? defaultPartial
            guard theta > 0, partial > 0, partial <= 1 else {
                throw problem("rope_theta \(theta) must be positive and partial_rotary_factor \(partial) in (0, 1]")
            }
            let type = entry["rope_type"]?.stringValue ?? entry["type"]?.stringValue ?? "default"
            let kind: RopeParameters.Scaling
            switch type {
            case "default":
                kind = .none
            case "linear":
                guard let factor = try number(entry["factor"], "factor") else {
                    throw problem("linear rope scaling needs a \"factor\"")
                }
                kind = .linear(factor: factor)
            case "llama3":
                guard let factor = try number(entry["factor"], "factor"),
                    let low = try number(entry["low_freq_factor"], "low_freq_factor"),
                    let high = try number(entry["high_freq_factor"], "high_freq_factor")
                else {
                    throw problem("llama3 rope scaling needs \"factor\", \"low_freq_factor\" and \"high_freq_factor\"")
                }
                let original =
                    try object["original_max_position_embeddings"].flatMap {
                        try number($0, "original_max_position_embeddings")
                    }
                    ?? number(entry["original_max_position_embeddings"], "original_max_position_embeddings")
                    ?? Double(maxPositions)
                guard low > 0, high > low, let originalPositions = Int(exactly: original) else {
                    throw problem(
                        "llama3 rope scaling needs 0 < low_freq_factor < high_freq_factor and an integer original_max_position_embeddings"
                    )
                }
                kind = .llama3(
                    factor: factor, lowFrequencyFactor: low, highFrequencyFactor: high,
                    originalMaxPositionEmbeddings: originalPositions)
            default:
                kind = .unsupported(type: type)
            }
            return RopeParameters(theta: theta, scaling: kind, partialRotaryFactor: partial)
        }

        if architecture == .gemma3Text {
            // Gemma3TextConfig.convert_rope_params_to_dict: per layer type, rope_scaling applies to full attention.
            var full = (parameters?["full_attention"]?.objectValue) ?? ["rope_type": .string("default")]
            var sliding = (parameters?["sliding_attention"]?.objectValue) ?? ["rope_type": .string("default")]
            if let scaling { full.merge(scaling) { _, new in new } }
            if full["rope_theta"] == nil, let outerTheta { full["rope_theta"] = .number(outerTheta) }
            if sliding["rope_theta"] == nil,
                let local = try number(object["rope_local_base_freq"], "rope_local_base_freq")
            {
                sliding["rope_theta"] = .number(local)
            }
            let partial = outerPartial ?? 1
            return (
                try build(full, defaultTheta: 1_000_000, defaultPartial: partial),
                try build(sliding, defaultTheta: 10_000, defaultPartial: partial)
            )
        }

        let entry = scaling ?? parameters ?? [:]
        let nestedKeys = Set(layerTypes).filter { entry[$0] != nil }
        let defaultPartial = outerPartial ?? (isNeoX ? 0.25 : 1)
        if nestedKeys.isEmpty {
            return (try build(entry, defaultTheta: outerTheta ?? 10_000, defaultPartial: defaultPartial), nil)
        }
        let full = try entry["full_attention"]?.objectValue.map {
            try build($0, defaultTheta: outerTheta ?? 10_000, defaultPartial: defaultPartial)
        }
        let sliding = try entry["sliding_attention"]?.objectValue.map {
            try build($0, defaultTheta: outerTheta ?? 10_000, defaultPartial: defaultPartial)
        }
        return (full ?? sliding, full == nil ? nil : sliding)
    }
}
