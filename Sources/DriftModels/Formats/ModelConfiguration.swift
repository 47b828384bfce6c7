import DriftCore
import Foundation

/// The typed contents of a Hugging Face checkpoint's `config.json`, with transformers' defaults for absent keys.
///
/// Field names follow transformers' configuration classes (`LlamaConfig`, `Gemma3TextConfig`, `GPT2Config`, …); the
/// raw JSON stays in ``raw`` for anything not typed here. For a multimodal Gemma 3 config (`model_type` `gemma3`)
/// every field describes its `text_config`.
public struct ModelConfiguration: Sendable, Equatable {
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
            /// Phi-3's `longrope`: per-dimension factors (short below the original context, long above it) and an
            /// attention factor that scales the cosines and sines.
            case longrope(
                shortFactors: [Double], longFactors: [Double], attentionFactor: Double,
                originalMaxPositionEmbeddings: Int)
            /// YaRN (`rope_type` `yarn`): interpolated and original frequencies blended along a ramp between the
            /// `beta_fast` and `beta_slow` correction dimensions, and an attention factor on the cosines and sines.
            case yarn(
                factor: Double, betaFast: Double, betaSlow: Double, originalMaxPositionEmbeddings: Double,
                truncate: Bool, attentionFactor: Double)
            /// A `rope_type` this tool does not compute (`dynamic`, …), kept so it can be reported.
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
            case .longrope: return "longrope"
            case .yarn: return "yarn"
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
                "unsupported model_type \(DriftError.quote(modelType)); supported: \(Self.supportedModelTypes.joined(separator: ", "))",
                path: path)
        }
        self.architecture = architecture
        self.modelType = modelType
        self.architectureClass = rootArchitectures
        self.raw = object

        let family = architecture.family
        let defaults = family.defaults
        let reader = ConfigurationReader(object: object, path: path)
        func flag(_ rule: ConfigurationDefaults.Flag) throws -> Bool {
            switch rule {
            case .fixed(let value): return value
            case .key(let key, let fallback): return try reader.flag(key, default: fallback)
            }
        }
        func firstInteger(_ keys: [String], default fallback: Int? = nil) throws -> Int {
            for key in keys {
                if let value = try reader.optionalInteger(key) { return value }
            }
            if let fallback { return fallback }
            throw problem("config.json has no \"\(keys[0])\"")
        }

        // Sizes.
        hiddenSize = try firstInteger(defaults.hiddenSizeKeys)
        layerCount = try firstInteger(defaults.layerCountKeys)
        attentionHeadCount = try firstInteger(defaults.headCountKeys)
        guard hiddenSize > 0, layerCount > 0, attentionHeadCount > 0 else {
            throw problem(
                "hidden size \(hiddenSize), layers \(layerCount) and heads \(attentionHeadCount) must all be positive")
        }
        try Self.checkLimit("hidden_size", hiddenSize, Self.limits.width, problem)
        try Self.checkLimit("num_hidden_layers", layerCount, Self.limits.layers, problem)
        try Self.checkLimit("num_attention_heads", attentionHeadCount, Self.limits.heads, problem)
        let hidden = hiddenSize
        intermediateSize = try firstInteger(
            defaults.intermediateSizeKeys, default: defaults.intermediateSizeMultiple.map { $0 * hidden })
        keyValueHeadCount = try reader.integer(
            "num_key_value_heads", default: defaults.keyValueHeads ?? attentionHeadCount)
        headDim = try reader.integer("head_dim", default: defaults.headDimension ?? hiddenSize / attentionHeadCount)
        vocabularySize = try reader.integer("vocab_size")
        maxPositionEmbeddings = try firstInteger(defaults.maxPositionKeys, default: defaults.maxPositions)
        try Self.checkLimit("intermediate_size", intermediateSize, Self.limits.width, problem)
        try Self.checkLimit("head_dim", headDim, Self.limits.width, problem)
        try Self.checkLimit("vocab_size", vocabularySize, Self.limits.vocabulary, problem)
        try Self.checkLimit("max_position_embeddings", maxPositionEmbeddings, Self.limits.positions, problem)
        guard keyValueHeadCount > 0, attentionHeadCount % keyValueHeadCount == 0, headDim > 0,
            intermediateSize > 0, vocabularySize > 0
        else {
            throw problem(
                "inconsistent sizes: \(attentionHeadCount) heads, \(keyValueHeadCount) key/value heads, head dim \(headDim), intermediate \(intermediateSize), vocabulary \(vocabularySize)"
            )
        }

        normEpsilon = defaults.normEpsilon
        for key in defaults.normEpsilonKeys {
            if let value = try reader.optionalNumber(key) {
                normEpsilon = value
                break
            }
        }
        activation = defaults.activation
        for key in defaults.activationKeys where reader.has(key) {
            activation = try reader.string(key, default: defaults.activation)
            break
        }
        tieWordEmbeddings = try rootTie ?? reader.flag("tie_word_embeddings", default: defaults.tiedEmbeddings)
        attentionBias = try flag(defaults.attentionBias)
        mlpBias = try flag(defaults.mlpBias)
        dtype = object["dtype"]?.stringValue ?? object["torch_dtype"]?.stringValue ?? rootDType

        // Family-specific keys; the layer kinds default to full attention everywhere.
        useParallelResidual = false
        queryPreAttentionScalar = nil
        clipQKV = nil
        typeVocabularySize = nil
        slidingWindow = nil
        layerTypes = Array(repeating: "full_attention", count: layerCount)
        rope = nil
        slidingRope = nil
        try family.readConfiguration(&self, from: reader)
        if let given = try reader.layerTypes(count: layerCount) { layerTypes = given }

        // Rotary positions.
        (rope, slidingRope) = try family.readRope(
            from: reader, layerTypes: layerTypes, maxPositions: maxPositionEmbeddings)
    }

    /// Upper bounds on the sizes a `config.json` may state, checked before anything is allocated from them: far above
    /// any released model (the widest are 2^15 wide, the deepest a few hundred blocks, the largest vocabularies 2^18).
    package static let limits = (width: 1 << 20, layers: 4096, heads: 1 << 16, vocabulary: 1 << 24, positions: 1 << 30)

    private static func checkLimit(
        _ key: String, _ value: Int, _ limit: Int, _ problem: (String) -> DriftError
    ) throws {
        guard value <= limit else {
            throw problem("\"\(key)\" is \(value), above the limit of \(limit) this tool accepts")
        }
    }
}
