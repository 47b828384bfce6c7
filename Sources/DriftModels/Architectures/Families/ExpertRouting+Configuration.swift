/// The routing as a `config.json` states it, checked.
typealias ExpertRouting = ArchitectureSpec.ExpertRouting

extension ArchitectureSpec.ExpertRouting {
    /// Checks a family's expert settings: at least one expert, `1 ≤ active ≤ count`, a positive width.
    ///
    /// - Throws: a one-line error naming the file and the field that is out of range.
    static func read(
        _ reader: ConfigurationReader, count: Int, active: Int, width: Int, normalizes: Bool, layers: [Bool]
    ) throws -> Self {
        guard count > 0, count <= 1 << 16 else {
            throw reader.problem("the expert count is \(count); it must be between 1 and 65536")
        }
        guard active > 0, active <= count else {
            throw reader.problem("\"num_experts_per_tok\" is \(active); it must be between 1 and the \(count) experts")
        }
        guard width > 0, width <= ModelConfiguration.limits.width else {
            throw reader.problem(
                "the expert width is \(width); it must be between 1 and \(ModelConfiguration.limits.width)")
        }
        return Self(count: count, active: active, intermediateSize: width, normalizesTopK: normalizes, layers: layers)
    }

    /// llama.cpp's names of a routed block's tensors: the router and the experts stacked into one tensor each.
    static let ggufTensorNames = [
        "ffn_gate_inp": "mlp.gate", "ffn_gate_exps": "mlp.experts.gate_proj", "ffn_up_exps": "mlp.experts.up_proj",
        "ffn_down_exps": "mlp.experts.down_proj",
    ]

    /// The expert keys of a GGUF Mixture-of-Experts file as `config.json` keys: `expert_count`, `expert_used_count`,
    /// the expert width (`expert_feed_forward_length`, else the stacked `ffn_down_exps` tensor's), and the blocks
    /// without a router (`ffn_gate_inp`) as `mlp_only_layers`.
    static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, normalizes: Bool
    ) throws {
        guard let count = try metadata.integer("expert_count"), let active = try metadata.integer("expert_used_count")
        else {
            throw metadata.problem(
                "\(metadata.key("expert_count")) and \(metadata.key("expert_used_count")) are needed for a Mixture-of-Experts model"
            )
        }
        json["num_experts"] = .integer(count)
        json["num_experts_per_tok"] = .integer(active)
        json["norm_topk_prob"] = .bool(normalizes)
        let stackedWidth = metadata.file.tensor("blk.0.ffn_down_exps.weight").flatMap { $0.dimensions.first }
        if let width = try metadata.integer("expert_feed_forward_length") ?? stackedWidth {
            json["moe_intermediate_size"] = .integer(width)
        }
        let layers = try metadata.required("block_count")
        let routed = Set(
            metadata.file.tensors.compactMap { GGUFModelStore.BlockTensor($0.name) }
                .filter { $0.tensor == "ffn_gate_inp" }.map(\.layer))
        json["mlp_only_layers"] = .array((0..<layers).filter { !routed.contains($0) }.map { .integer($0) })
    }
}
