import DriftCore

/// Everything one architecture family knows, kept in one file per family under `Families/`: the `config.json` keys
/// it reads and their defaults, how it shapes the ``ArchitectureSpec`` the one forward pass runs, its Hugging Face
/// tensor names, and its llama.cpp GGUF names with any layout transform.
///
/// The defaults in the extension below describe the Llama layout; a family states only what differs. Families are
/// registered once, in ``ModelConfiguration/Architecture/family``, and everything else dispatches on that typed
/// value. Adding an architecture is one new file, one registry line and one fixture.
package protocol ArchitectureFamily {
    /// The defaults transformers' configuration class gives to absent `config.json` keys.
    static var defaults: ConfigurationDefaults { get }

    /// Reads the keys only this family has (sliding windows, layer types, clamps, …), after the common ones.
    static func readConfiguration(_ configuration: inout ModelConfiguration, from reader: ConfigurationReader) throws

    /// The rotary parameters of full-attention layers and, where they differ, of sliding-window layers.
    static func readRope(
        from reader: ConfigurationReader, layerTypes: [String], maxPositions: Int
    ) throws -> (full: ModelConfiguration.RopeParameters?, sliding: ModelConfiguration.RopeParameters?)

    /// Shapes the spec the common configuration produced: norms, residuals, biases, scales, experts.
    static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws

    /// The prefixes a checkpoint may put before every tensor name, most common first.
    static var tensorPrefixes: [String] { get }
    /// The token embedding's name after the prefix (how a checkpoint's prefix is recognised).
    static var tokenEmbeddingName: String { get }
    /// The LM head's name (no prefix), read when present; absent, the head is the token table (tied).
    static var outputHeadName: String { get }
    /// The decoder block's tensor names (used by the default ``blockWeights(_:from:compute:)``).
    static var tensorNames: DecoderTensorNames { get }

    /// The weights before the first block and after the last.
    static func embeddingWeights(from weights: HuggingFaceWeights) throws -> EmbeddingWeights

    /// Block `layer`'s weights, as `compute` holds the linear layers.
    static func blockWeights(
        _ layer: Int, from weights: HuggingFaceWeights, compute: ComputePrecision
    ) throws -> BlockWeights

    /// The router and experts of the routed block named `p` (`layers.N.`), as `compute` holds them (used by
    /// ``HuggingFaceWeights/decoderBlock(_:names:compute:)``).
    static func expertWeights(
        _ p: String, names: ExpertTensorNames, from weights: HuggingFaceWeights,
        routing: ArchitectureSpec.ExpertRouting,
        compute: ComputePrecision
    ) throws -> ExpertWeights

    /// The checkpoint tensors behind each of the four linear layers (rows of each part) and how many float32 copies
    /// of one part exist while it is converted, for the bf16 memory plan.
    static func conversionParts(_ spec: ArchitectureSpec) -> (parts: [[Int]], copies: [Int])

    /// llama.cpp's `general.architecture` for this family, or nil when its GGUF files are not read.
    static var ggufArchitecture: String? { get }

    /// Adds the `config.json` keys this family's GGUF metadata implies, beyond the sizes every family has.
    ///
    /// - Parameter rope: the common rotary entry (`rope_type`, scaling) without its base frequency.
    static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws

    /// The transformers name of llama.cpp tensor `name`, with the transform that undoes the converter's change; nil
    /// for tensors the runtime does not read.
    static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)?
}

extension ArchitectureFamily {
    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {}

    package static func readRope(
        from reader: ConfigurationReader, layerTypes: [String], maxPositions: Int
    ) throws -> (full: ModelConfiguration.RopeParameters?, sliding: ModelConfiguration.RopeParameters?) {
        try RopeReader(reader: reader, defaults: defaults, maxPositions: maxPositions)
            .standard(layerTypes: layerTypes)
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {}

    package static var tensorPrefixes: [String] { ["model.", "", "model.language_model.", "language_model.model."] }
    package static var tokenEmbeddingName: String { "embed_tokens.weight" }
    package static var tensorNames: DecoderTensorNames { DecoderTensorNames() }
    package static var outputHeadName: String { "lm_head.weight" }

    package static func embeddingWeights(from w: HuggingFaceWeights) throws -> EmbeddingWeights {
        EmbeddingWeights(
            tokens: try w.matrix("embed_tokens.weight", [w.spec.vocabularySize, w.spec.hiddenSize]),
            finalNorm: try w.norm("norm", w.spec.hiddenSize))
    }

    package static func blockWeights(
        _ layer: Int, from w: HuggingFaceWeights, compute: ComputePrecision
    ) throws -> BlockWeights {
        try w.decoderBlock(layer, names: tensorNames, compute: compute)
    }

    package static func expertWeights(
        _ p: String, names: ExpertTensorNames, from w: HuggingFaceWeights, routing: ArchitectureSpec.ExpertRouting,
        compute: ComputePrecision
    ) throws -> ExpertWeights {
        try w.expertWeights(p, names: names, routing: routing, compute: compute)
    }

    package static func conversionParts(_ spec: ArchitectureSpec) -> (parts: [[Int]], copies: [Int]) {
        let f = spec.intermediateSize
        let names = tensorNames
        return (
            [
                names.fusedQueryKeyValue == nil
                    ? [spec.queryWidth, spec.keyValueWidth, spec.keyValueWidth] : [spec.queryKeyValueWidth],
                [spec.hiddenSize], spec.gatedMLP && names.fusedGateUp == nil ? [f, f] : [spec.gatedMLP ? 2 * f : f],
                [spec.hiddenSize],
            ],
            [1, 1, 1, 1]
        )
    }

    package static var ggufArchitecture: String? { nil }

    package static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws {
        json["rope_parameters"] = try metadata.ropeParameters(rope)
        json["attention_bias"] = .bool(metadata.file.tensor("blk.0.attn_q.bias") != nil)
        json["mlp_bias"] = .bool(metadata.file.tensor("blk.0.ffn_up.bias") != nil)
    }

    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        GGUFModelStore.decoderName(name, permutesQueryKey: false, feedForwardNorm: "post_attention_layernorm")
    }
}
