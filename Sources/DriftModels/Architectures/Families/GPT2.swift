import DriftCore

/// GPT-2 (`gpt2`): LayerNorms, learned positions, a plain `gelu_new` MLP, and `Conv1D` weights stored
/// `inputs × outputs` (transposed to the runtime's `outputs × inputs` as they are read).
package enum GPT2Family: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.hiddenSizeKeys = ["n_embd", "hidden_size"]
        $0.layerCountKeys = ["n_layer", "num_hidden_layers"]
        $0.headCountKeys = ["n_head", "num_attention_heads"]
        $0.intermediateSizeKeys = ["n_inner"]
        $0.intermediateSizeMultiple = 4
        $0.maxPositionKeys = ["n_positions", "max_position_embeddings"]
        $0.maxPositions = 1024
        $0.normEpsilonKeys = ["layer_norm_epsilon"]
        $0.normEpsilon = 1e-5
        $0.activationKeys = ["activation_function"]
        $0.activation = "gelu_new"
        $0.tiedEmbeddings = true
        $0.attentionBias = .fixed(true)
        $0.mlpBias = .fixed(true)
        $0.rotaryPositions = false
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        spec.norm = .layerNorm(affine: true, bias: true)
        spec.gatedMLP = false
        spec.learnedPositions = configuration.maxPositionEmbeddings
        for flag in ["scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn"]
        where try reader.flag(flag, default: false) {
            throw DriftError(.unsupported, "GPT-2 option \(flag) is not supported", path: reader.path)
        }
        if try !reader.flag("scale_attn_weights", default: true) { spec.attentionScale = 1 }
    }

    package static var tensorPrefixes: [String] { ["transformer.", ""] }
    package static var tokenEmbeddingName: String { "wte.weight" }

    package static func embeddingWeights(from w: HuggingFaceWeights) throws -> EmbeddingWeights {
        let h = w.spec.hiddenSize
        return EmbeddingWeights(
            tokens: try w.matrix("wte.weight", [w.spec.vocabularySize, h]),
            positions: try w.matrix("wpe.weight", [w.spec.learnedPositions ?? 0, h]),
            finalNorm: try w.norm("ln_f", h))
    }

    package static func blockWeights(
        _ i: Int, from w: HuggingFaceWeights, compute: ComputePrecision
    ) throws -> BlockWeights {
        let h = w.spec.hiddenSize
        let f = w.spec.intermediateSize
        let p = "h.\(i)."
        /// A `Conv1D` (weight stored `inputs × outputs`), transposed to `outputs × inputs`.
        func conv1D(_ name: String, inputs: Int, outputs: Int) throws -> LinearWeights {
            let stored = try w.matrix(name + ".weight", [inputs, outputs])
            return w.held(
                LinearWeights(weight: stored.transposed(), bias: try w.tensor(name + ".bias", [outputs])), compute)
        }
        return BlockWeights(
            attentionNorm: try w.norm(p + "ln_1", h),
            queryKeyValue: try conv1D(p + "attn.c_attn", inputs: h, outputs: 3 * h), queryNorm: nil, keyNorm: nil,
            attentionOutput: try conv1D(p + "attn.c_proj", inputs: h, outputs: h), postAttentionNorm: nil,
            feedForwardNorm: try w.norm(p + "ln_2", h),
            feedForwardIn: try conv1D(p + "mlp.c_fc", inputs: h, outputs: f),
            feedForwardOut: try conv1D(p + "mlp.c_proj", inputs: f, outputs: h), postFeedForwardNorm: nil)
    }

    package static func conversionParts(_ spec: ArchitectureSpec) -> (parts: [[Int]], copies: [Int]) {
        // Every weight is read whole and transposed (two float32 copies).
        ([[spec.queryKeyValueWidth], [spec.hiddenSize], [spec.intermediateSize], [spec.hiddenSize]], [2, 2, 2, 2])
    }

    package static var ggufArchitecture: String? { "gpt2" }

    /// The MLP width comes from `blk.0.ffn_up.weight` (`convert_hf_to_gguf.py` writes `feed_forward_length` as
    /// 4 × hidden whatever `n_inner` is), the learned positions from `position_embd.weight`.
    package static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws {
        json["n_inner"] = .integer(try metadata.rows("blk.0.ffn_up.weight", "the first MLP projection"))
        let positions = try metadata.rows("position_embd.weight", "the learned position embedding")
        json["n_positions"] = .integer(positions)
        json["max_position_embeddings"] = .integer(positions)
        if let epsilon = try metadata.number("attention.layer_norm_epsilon") {
            json["layer_norm_epsilon"] = .number(epsilon)
        }
    }

    /// gguf-py's names; the `Conv1D` weights, transposed to `[out, in]` by `GPT2Model.modify_tensors`, are
    /// transposed back to `[in, out]`.
    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        let whole = [
            "token_embd.weight": "wte.weight", "position_embd.weight": "wpe.weight", "output.weight": "lm_head.weight",
            "output_norm.weight": "ln_f.weight", "output_norm.bias": "ln_f.bias",
        ]
        if let mapped = whole[name] { return (mapped, .none) }
        let table = [
            "attn_norm": "ln_1", "attn_qkv": "attn.c_attn", "attn_output": "attn.c_proj", "ffn_norm": "ln_2",
            "ffn_up": "mlp.c_fc", "ffn_down": "mlp.c_proj",
        ]
        guard let block = GGUFModelStore.BlockTensor(name), let suffix = table[block.tensor] else { return nil }
        let transposed = ["attn_qkv", "attn_output", "ffn_up", "ffn_down"].contains(block.tensor)
        let transform: GGUFModelStore.Transform = block.kind == "weight" && transposed ? .transpose : .none
        return ("h.\(block.layer)." + suffix + "." + block.kind, transform)
    }
}
