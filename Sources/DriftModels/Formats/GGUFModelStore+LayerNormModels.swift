import DriftCore

extension GGUFModelStore.Transform {
    var isTranspose: Bool {
        if case .transpose = self { return true }
        return false
    }
}

extension GGUFModelStore {
    /// The transformers name (without the `transformer.` / `gpt_neox.` / `bert.` prefix, which
    /// ``HuggingFaceWeights`` accepts either way) of llama.cpp tensor `name` in a `gpt2`, `gptneox` or `bert` file,
    /// as gguf-py's `tensor_mapping.py` assigns them; nil for tensors the runtime does not read (`output.weight`,
    /// classifier heads).
    ///
    /// What `convert_hf_to_gguf.py` changed is undone: GPT-2's `Conv1D` weights (`attn_qkv`, `attn_output`,
    /// `ffn_up`, `ffn_down`), transposed to `[out, in]` by `GPT2Model.modify_tensors`, are transposed back to
    /// `[in, out]`; GPT-NeoX's fused `attn_qkv` rows (weight and bias), regrouped to `[q; k; v]` by
    /// `GPTNeoXModel.modify_tensors`, are put back in transformers' per-head `[heads, 3, head_dim]` order.
    static func layerNormModelName(_ name: String, architecture: String) -> (String, Transform)? {
        let whole: [String: String]
        switch architecture {
        case "gpt2":
            whole = [
                "token_embd.weight": "wte.weight", "position_embd.weight": "wpe.weight",
                "output_norm.weight": "ln_f.weight", "output_norm.bias": "ln_f.bias",
            ]
        case "gptneox":
            whole = [
                "token_embd.weight": "embed_in.weight", "output_norm.weight": "final_layer_norm.weight",
                "output_norm.bias": "final_layer_norm.bias",
            ]
        default:  // bert
            whole = [
                "token_embd.weight": "embeddings.word_embeddings.weight",
                "token_types.weight": "embeddings.token_type_embeddings.weight",
                "position_embd.weight": "embeddings.position_embeddings.weight",
                "token_embd_norm.weight": "embeddings.LayerNorm.weight",
                "token_embd_norm.bias": "embeddings.LayerNorm.bias",
            ]
        }
        if let mapped = whole[name] { return (mapped, .none) }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "blk", let layer = Int(parts[1]), parts[3] == "weight" || parts[3] == "bias"
        else { return nil }
        let kind = String(parts[3])
        let isWeight = kind == "weight"
        let tensor = String(parts[2])
        let prefix: String
        let table: [String: String]
        var transform = Transform.none
        switch architecture {
        case "gpt2":
            prefix = "h.\(layer)."
            table = [
                "attn_norm": "ln_1", "attn_qkv": "attn.c_attn", "attn_output": "attn.c_proj", "ffn_norm": "ln_2",
                "ffn_up": "mlp.c_fc", "ffn_down": "mlp.c_proj",
            ]
            if isWeight && ["attn_qkv", "attn_output", "ffn_up", "ffn_down"].contains(tensor) {
                transform = .transpose
            }
        case "gptneox":
            prefix = "layers.\(layer)."
            table = [
                "attn_norm": "input_layernorm", "attn_qkv": "attention.query_key_value",
                "attn_output": "attention.dense", "ffn_norm": "post_attention_layernorm",
                "ffn_up": "mlp.dense_h_to_4h", "ffn_down": "mlp.dense_4h_to_h",
            ]
            if tensor == "attn_qkv" { transform = .interleaveHeads(heads: 0) }
        default:  // bert
            prefix = "encoder.layer.\(layer)."
            table = [
                "attn_q": "attention.self.query", "attn_k": "attention.self.key", "attn_v": "attention.self.value",
                "attn_output": "attention.output.dense", "attn_output_norm": "attention.output.LayerNorm",
                "ffn_up": "intermediate.dense", "ffn_down": "output.dense", "layer_output_norm": "output.LayerNorm",
            ]
        }
        guard let suffix = table[tensor] else { return nil }
        return (prefix + suffix + "." + kind, transform)
    }

    /// Transposes a stored `[shape[1], shape[0]]` matrix to `shape`.
    static func transpose(_ values: [Float], shape: [Int], name: String, path: String) throws -> [Float] {
        guard shape.count == 2, values.count == shape[0] * shape[1] else {
            throw DriftError(.corruptFile, "tensor '\(name)' is not the matrix its shape \(shape) says", path: path)
        }
        let rows = shape[0]
        let columns = shape[1]
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for r in 0..<rows {
                    for c in 0..<columns { target[r * columns + c] = source[c * rows + r] }
                }
            }
        }
        return out
    }

    /// Puts GPT-NeoX's fused query/key/value rows back in transformers' order: stored row
    /// `part·heads·d + head·d + r` (`part` 0 q, 1 k, 2 v) becomes row `(head·3 + part)·d + r`.
    static func interleaveHeads(_ values: [Float], shape: [Int], heads: Int, name: String, path: String) throws
        -> [Float]
    {
        let rows = shape.first ?? 0
        let columns = shape.count > 1 ? shape[1...].reduce(1, *) : 1
        guard heads > 0, rows % (3 * heads) == 0, values.count == rows * columns else {
            throw DriftError(
                .corruptFile, "tensor '\(name)' has \(rows) rows, not a multiple of 3 × \(heads) heads", path: path)
        }
        let d = rows / heads / 3
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for part in 0..<3 {
                    for head in 0..<heads {
                        for r in 0..<d {
                            let stored = part * heads * d + head * d + r
                            let original = (head * 3 + part) * d + r
                            for c in 0..<columns { target[original * columns + c] = source[stored * columns + c] }
                        }
                    }
                }
            }
        }
        return out
    }
}
