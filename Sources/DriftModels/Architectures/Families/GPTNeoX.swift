import DriftCore

/// GPT-NeoX and Pythia (`gpt_neox`): LayerNorms, a parallel residual by default, a plain GELU MLP, partial rotary
/// positions (a quarter of each head by default), and one fused query/key/value projection whose rows are
/// interleaved per head.
package enum GPTNeoXFamily: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.normEpsilonKeys = ["layer_norm_eps"]
        $0.normEpsilon = 1e-5
        $0.activation = "gelu"
        $0.attentionBias = .key("attention_bias", default: true)
        $0.mlpBias = .fixed(true)
        $0.ropeThetaKeys = ["rope_theta", "rotary_emb_base"]
        $0.partialRotaryKeys = ["partial_rotary_factor", "rotary_pct"]
        $0.partialRotaryFactor = 0.25
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        configuration.useParallelResidual = try reader.flag("use_parallel_residual", default: true)
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        spec.norm = .layerNorm(affine: true, bias: true)
        spec.residual = configuration.useParallelResidual ? .parallel : .sequential
        spec.gatedMLP = false
    }

    package static var tensorPrefixes: [String] { ["gpt_neox.", ""] }
    package static var tokenEmbeddingName: String { "embed_in.weight" }
    package static var outputHeadName: String { "embed_out.weight" }

    package static func embeddingWeights(from w: HuggingFaceWeights) throws -> EmbeddingWeights {
        let h = w.spec.hiddenSize
        return EmbeddingWeights(
            tokens: try w.matrix("embed_in.weight", [w.spec.vocabularySize, h]),
            finalNorm: try w.norm("final_layer_norm", h))
    }

    package static func blockWeights(
        _ i: Int, from w: HuggingFaceWeights, compute: ComputePrecision
    ) throws -> BlockWeights {
        let spec = w.spec
        let h = spec.hiddenSize
        let p = "layers.\(i)."
        let qkv = w.held(try queryKeyValue(p, w), compute)
        let o = try w.linear(
            p + "attention.dense", [h, spec.headCount * spec.headDimension], bias: spec.outputBias, compute)
        let up = try w.linear(p + "mlp.dense_h_to_4h", [spec.intermediateSize, h], bias: true, compute)
        let down = try w.linear(p + "mlp.dense_4h_to_h", [h, spec.intermediateSize], bias: true, compute)
        return BlockWeights(
            attentionNorm: try w.norm(p + "input_layernorm", h), queryKeyValue: qkv, queryNorm: nil, keyNorm: nil,
            attentionOutput: o, postAttentionNorm: nil, feedForwardNorm: try w.norm(p + "post_attention_layernorm", h),
            feedForwardIn: up, feedForwardOut: down, postFeedForwardNorm: nil)
    }

    /// The fused `query_key_value` of the block named `p`, its rows regrouped to the runtime's layout.
    private static func queryKeyValue(_ p: String, _ w: HuggingFaceWeights) throws -> LinearWeights {
        let spec = w.spec
        let h = spec.hiddenSize
        let heads = spec.headCount
        let d = spec.headDimension
        guard spec.keyValueHeadCount == heads else {
            throw DriftError(
                .corruptFile,
                "GPT-NeoX has no grouped-query attention; num_key_value_heads must equal num_attention_heads",
                path: w.path)
        }
        // transformers views the fused output as [heads, 3, headDim]: regroup rows to [q heads; k heads; v heads].
        let fused = try w.linear(p + "attention.query_key_value", [3 * heads * d, h], bias: spec.queryKeyValueBias)
        let fusedWeight = fused.float32Weight
        var weight = Matrix(rows: fused.outputs, columns: h)
        var bias = fused.bias.map { _ in [Float](repeating: 0, count: fused.outputs) }
        for head in 0..<heads {
            for part in 0..<3 {
                for r in 0..<d {
                    let source = (head * 3 + part) * d + r
                    let target = part * heads * d + head * d + r
                    weight.setRow(target, to: fusedWeight.storage[(source * h)..<((source + 1) * h)])
                    if let fusedBias = fused.bias { bias?[target] = fusedBias[source] }
                }
            }
        }
        return LinearWeights(weight: weight, bias: bias)
    }

    package static func conversionParts(_ spec: ArchitectureSpec) -> (parts: [[Int]], copies: [Int]) {
        // The fused projection is read whole and regrouped (two float32 copies).
        ([[spec.queryKeyValueWidth], [spec.hiddenSize], [spec.intermediateSize], [spec.hiddenSize]], [2, 1, 1, 1])
    }

    package static var ggufArchitecture: String? { "gptneox" }

    package static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws {
        json["rope_parameters"] = try metadata.ropeParameters(rope)
        json["attention_bias"] = .bool(metadata.file.tensor("blk.0.attn_qkv.bias") != nil)
        if let epsilon = try metadata.number("attention.layer_norm_epsilon") {
            json["layer_norm_eps"] = .number(epsilon)
        }
        json["use_parallel_residual"] = .bool(try metadata.flag("use_parallel_residual") ?? true)
    }

    /// gguf-py's names; the fused `attn_qkv` rows (weight and bias), regrouped to `[q; k; v]` by
    /// `GPTNeoXModel.modify_tensors`, are put back in transformers' per-head `[heads, 3, head_dim]` order.
    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        let whole = [
            "token_embd.weight": "embed_in.weight", "output.weight": "embed_out.weight",
            "output_norm.weight": "final_layer_norm.weight",
            "output_norm.bias": "final_layer_norm.bias",
        ]
        if let mapped = whole[name] { return (mapped, .none) }
        let table = [
            "attn_norm": "input_layernorm", "attn_qkv": "attention.query_key_value",
            "attn_output": "attention.dense", "ffn_norm": "post_attention_layernorm",
            "ffn_up": "mlp.dense_h_to_4h", "ffn_down": "mlp.dense_4h_to_h",
        ]
        guard let block = GGUFModelStore.BlockTensor(name), let suffix = table[block.tensor] else { return nil }
        let transform: GGUFModelStore.Transform = block.tensor == "attn_qkv" ? .interleaveHeads(heads: 0) : .none
        return ("layers.\(block.layer)." + suffix + "." + block.kind, transform)
    }
}
