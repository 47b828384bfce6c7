import DriftCore
import Foundation

extension ModelConfiguration {
    /// The configuration of a GGUF model, read from its metadata the way llama.cpp's `llama-model.cpp` reads it,
    /// expressed as the `config.json` transformers would have.
    ///
    /// The sizes every family has are read here; what llama.cpp derives itself for one family (Gemma 3's layer
    /// pattern, GPT-2's MLP width from a tensor shape, …) is derived by that family's
    /// ``ArchitectureFamily/completeConfiguration(_:gguf:rope:)``. Absent head dimension: hidden / heads
    /// (`key_length`).
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
        guard let architecture = Architecture(ggufArchitecture: arch) else {
            let known = Architecture.ggufArchitectures.joined(separator: ", ")
            throw DriftError(
                .unsupported, "GGUF architecture '\(arch)' is not supported; supported: \(known)", path: path)
        }
        let metadata = GGUFMetadata(file: file, architecture: arch)
        func key(_ suffix: String) -> String { metadata.key(suffix) }
        func integer(_ suffix: String) throws -> Int? { try metadata.integer(suffix) }
        func required(_ suffix: String) throws -> Int { try metadata.required(suffix) }
        func number(_ suffix: String) throws -> Double? { try metadata.number(suffix) }

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
            "model_type": .string(architecture.rawValue),
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
        // Rotary embedding.
        var rope: [String: JSONValue] = ["rope_type": .string("default")]
        switch file.string(key("rope.scaling.type")) ?? "none" {
        case "none": break
        case "linear":
            if let factor = try number("rope.scaling.factor"), factor != 1 {
                rope["rope_type"] = .string("linear")
                rope["factor"] = .number(factor)
            }
        case "yarn":
            // llama.cpp's YaRN (ggml_rope_yarn_corr_dims) always rounds the correction range outwards: truncate. Its
            // attention factor (llama_context): mscale(factor), or mscale(factor) / mscale(factor, log multiplier),
            // times `rope.scaling.attn_factor`.
            if let extrapolation = try number("rope.scaling.yarn_ext_factor"), extrapolation != 1 {
                throw DriftError(
                    .unsupported, "YaRN with yarn_ext_factor \(extrapolation) is not supported (only 1)", path: path)
            }
            let factor = try number("rope.scaling.factor") ?? 1
            func mscale(_ m: Double) -> Double { factor <= 1 ? 1 : 0.1 * m * Foundation.log(factor) + 1 }
            let logMultiplier = try number("rope.scaling.yarn_log_multiplier") ?? 0
            let attention = logMultiplier != 0 ? mscale(1) / mscale(logMultiplier) : mscale(1)
            rope["rope_type"] = .string("yarn")
            rope["factor"] = .number(factor)
            rope["truncate"] = .bool(true)
            rope["attention_factor"] = .number(attention * (try number("rope.scaling.attn_factor") ?? 1))
            if let original = try integer("rope.scaling.original_context_length") {
                rope["original_max_position_embeddings"] = .integer(original)
            }
            if let fast = try number("rope.scaling.yarn_beta_fast") { rope["beta_fast"] = .number(fast) }
            if let slow = try number("rope.scaling.yarn_beta_slow") { rope["beta_slow"] = .number(slow) }
        case let other:
            throw DriftError(
                .unsupported,
                "rope scaling '\(other)' is not supported; supported: none, linear, yarn (and rope_freqs)",
                path: path)
        }
        if let dimensions = try integer("rope.dimension_count"), dimensions != headDim {
            json["partial_rotary_factor"] = .number(Double(dimensions) / Double(headDim))
        }
        try architecture.family.completeConfiguration(&json, gguf: metadata, rope: rope)
        try self.init(json: .object(json), path: path)
    }
}
