import DriftCore

extension ModelConfiguration {
    /// Adds the `config.json` keys of a LayerNorm-family GGUF model (`gpt2`, `gptneox`, `olmo`, `bert`) that
    /// ``init(gguf:)`` does not write for the llama family, reading them as llama.cpp's `llama-model.cpp` does.
    ///
    /// Sizes llama.cpp takes from tensor shapes come from the tensors here too: GPT-2's MLP width from
    /// `blk.0.ffn_up.weight` (`convert_hf_to_gguf.py` writes `feed_forward_length` as 4 × hidden whatever `n_inner`
    /// is), the learned positions from `position_embd.weight`, BERT's token types from `token_types.weight`.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file for a missing tensor, a key of the wrong type, or a causal
    ///   BERT (`bert.attention.causal` true), which the runtime's bidirectional encoder does not run.
    static func addLayerNormModelKeys(
        to json: inout [String: JSONValue], file: GGUFFile, architecture arch: String, hidden: Int
    ) throws {
        let path = file.path
        func problem(_ text: String) -> DriftError { DriftError(.corruptFile, text, path: path) }
        /// The outer (PyTorch's first) dimension of a rank-2 tensor.
        func rows(_ name: String, _ what: String) throws -> Int {
            guard let tensor = file.tensor(name), tensor.dimensions.count == 2, tensor.dimensions[1] > 0 else {
                throw DriftError(.missing, "tensor '\(name)' (\(what)) is missing or not a matrix", path: path)
            }
            return tensor.dimensions[1]
        }
        func number(_ key: String) throws -> Double? {
            guard let value = file.value(key) else { return nil }
            guard let number = value.doubleValue else { throw problem("\(key) is \(value.summary), not a number") }
            return number
        }
        func flag(_ key: String) throws -> Bool? {
            guard let value = file.value(key) else { return nil }
            guard let flag = value.boolValue else { throw problem("\(key) is \(value.summary), not a boolean") }
            return flag
        }
        let epsilon = try number("\(arch).attention.layer_norm_epsilon")
        switch arch {
        case "gpt2":
            json["n_inner"] = .integer(try rows("blk.0.ffn_up.weight", "the first MLP projection"))
            let positions = try rows("position_embd.weight", "the learned position embedding")
            json["n_positions"] = .integer(positions)
            json["max_position_embeddings"] = .integer(positions)
            if let epsilon { json["layer_norm_epsilon"] = .number(epsilon) }
        case "gptneox":
            if let epsilon { json["layer_norm_eps"] = .number(epsilon) }
            json["use_parallel_residual"] = .bool(try flag("gptneox.use_parallel_residual") ?? true)
        case "olmo":
            // OLMo's LayerNorm has no weights and a fixed epsilon (1e-5, as the converter writes).
            if let clamp = try number("olmo.attention.clamp_kqv") { json["clip_qkv"] = .number(clamp) }
        case "bert":
            if try flag("bert.attention.causal") == true {
                throw DriftError(
                    .unsupported, "bert.attention.causal is true; only bidirectional BERT encoders are supported",
                    path: path)
            }
            if let epsilon { json["layer_norm_eps"] = .number(epsilon) }
            json["max_position_embeddings"] = .integer(try rows("position_embd.weight", "the position embedding"))
            json["type_vocab_size"] = .integer(try rows("token_types.weight", "the token type embedding"))
        default:
            break
        }
    }
}
