import DriftCore

/// BERT (`bert`), the encoder of sentence-embedding models such as all-MiniLM-L6-v2: bidirectional attention,
/// post-norm residuals, learned positions and token types, an embedding LayerNorm and no final norm.
package enum BERTFamily: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.maxPositions = 512
        $0.normEpsilonKeys = ["layer_norm_eps"]
        $0.normEpsilon = 1e-12
        $0.activation = "gelu"
        $0.tiedEmbeddings = true
        $0.attentionBias = .fixed(true)
        $0.mlpBias = .fixed(true)
        $0.rotaryPositions = false
        $0.encoder = true
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        configuration.typeVocabularySize = try reader.integer("type_vocab_size", default: 2)
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        spec.norm = .layerNorm(affine: true, bias: true)
        spec.residual = .postNorm
        spec.hasPreNorms = false
        spec.hasFinalNorm = false
        spec.hasEmbeddingNorm = true
        spec.gatedMLP = false
        spec.causal = false
        spec.learnedPositions = configuration.maxPositionEmbeddings
        spec.tokenTypes = configuration.typeVocabularySize ?? 2
        let kind = try reader.string("position_embedding_type", default: "absolute")
        if kind != "absolute" {
            throw DriftError(
                .unsupported, "position_embedding_type '\(kind)' is not supported; supported: absolute",
                path: reader.path)
        }
    }

    package static var tensorPrefixes: [String] { ["", "bert."] }
    package static var tokenEmbeddingName: String { "embeddings.word_embeddings.weight" }

    package static func embeddingWeights(from w: HuggingFaceWeights) throws -> EmbeddingWeights {
        let h = w.spec.hiddenSize
        let types = try w.matrix("embeddings.token_type_embeddings.weight", [w.spec.tokenTypes ?? 2, h])
        return EmbeddingWeights(
            tokens: try w.matrix("embeddings.word_embeddings.weight", [w.spec.vocabularySize, h]),
            positions: try w.matrix("embeddings.position_embeddings.weight", [w.spec.learnedPositions ?? 0, h]),
            tokenType: types.row(0), embeddingNorm: try w.norm("embeddings.LayerNorm", h))
    }

    package static func blockWeights(
        _ i: Int, from w: HuggingFaceWeights, compute: ComputePrecision
    ) throws -> BlockWeights {
        let spec = w.spec
        let h = spec.hiddenSize
        let f = spec.intermediateSize
        let p = "encoder.layer.\(i)."
        let qkv = try w.stackedLinear(
            [p + "attention.self.query", p + "attention.self.key", p + "attention.self.value"],
            [[spec.queryWidth, h], [spec.keyValueWidth, h], [spec.keyValueWidth, h]], bias: true, compute)
        let o = try w.linear(p + "attention.output.dense", [h, h], bias: true, compute)
        let up = try w.linear(p + "intermediate.dense", [f, h], bias: true, compute)
        let down = try w.linear(p + "output.dense", [h, f], bias: true, compute)
        return BlockWeights(
            attentionNorm: try w.norm(p + "attention.output.LayerNorm", h), queryKeyValue: qkv,
            queryNorm: nil, keyNorm: nil, attentionOutput: o, postAttentionNorm: nil,
            feedForwardNorm: try w.norm(p + "output.LayerNorm", h), feedForwardIn: up, feedForwardOut: down,
            postFeedForwardNorm: nil)
    }

    package static var ggufArchitecture: String? { "bert" }

    /// The learned positions and token types come from `position_embd.weight` and `token_types.weight`; a causal
    /// BERT (`bert.attention.causal` true) is refused, as the runtime's encoder is bidirectional.
    package static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws {
        if try metadata.flag("attention.causal") == true {
            throw DriftError(
                .unsupported, "bert.attention.causal is true; only bidirectional BERT encoders are supported",
                path: metadata.file.path)
        }
        if let epsilon = try metadata.number("attention.layer_norm_epsilon") {
            json["layer_norm_eps"] = .number(epsilon)
        }
        json["max_position_embeddings"] = .integer(try metadata.rows("position_embd.weight", "the position embedding"))
        json["type_vocab_size"] = .integer(try metadata.rows("token_types.weight", "the token type embedding"))
    }

    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        let whole = [
            "token_embd.weight": "embeddings.word_embeddings.weight",
            "token_types.weight": "embeddings.token_type_embeddings.weight",
            "position_embd.weight": "embeddings.position_embeddings.weight",
            "token_embd_norm.weight": "embeddings.LayerNorm.weight",
            "token_embd_norm.bias": "embeddings.LayerNorm.bias",
        ]
        if let mapped = whole[name] { return (mapped, .none) }
        let table = [
            "attn_q": "attention.self.query", "attn_k": "attention.self.key", "attn_v": "attention.self.value",
            "attn_output": "attention.output.dense", "attn_output_norm": "attention.output.LayerNorm",
            "ffn_up": "intermediate.dense", "ffn_down": "output.dense", "layer_output_norm": "output.LayerNorm",
        ]
        guard let block = GGUFModelStore.BlockTensor(name), let suffix = table[block.tensor] else { return nil }
        return ("encoder.layer.\(block.layer)." + suffix + "." + block.kind, .none)
    }
}
