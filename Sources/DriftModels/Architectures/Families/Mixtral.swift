/// Mixtral (`mixtral`): Mistral's attention with routed experts in every block (`num_local_experts` of width
/// `intermediate_size`, `num_experts_per_tok` active, always renormalised), stored as `block_sparse_moe.experts.N.w1`
/// (gate), `w3` (up) and `w2` (down).
package enum MixtralFamily: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.keyValueHeads = 8
        $0.maxPositions = 4096 * 32
        $0.normEpsilon = 1e-5
        $0.attentionBias = .fixed(false)
        $0.ropeTheta = 1_000_000
    }

    /// Hub checkpoints name the block `block_sparse_moe`; transformers 5 saves it as `mlp` with stacked experts.
    package static let tensorNames = DecoderTensorNames().with {
        $0.experts.router = "block_sparse_moe.gate"
        $0.experts.experts = "block_sparse_moe.experts"
        $0.experts.gate = "w1"
        $0.experts.up = "w3"
        $0.experts.down = "w2"
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        configuration.slidingWindow = try reader.slidingWindow(default: nil)
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        spec.layerWindows = Array(repeating: configuration.slidingWindow, count: spec.layerCount)
        spec.experts = try ExpertRouting.read(
            reader, count: try reader.integer("num_local_experts", "num_experts", default: 8),
            active: try reader.integer("num_experts_per_tok", default: 2), width: configuration.intermediateSize,
            normalizes: true, layers: Array(repeating: true, count: spec.layerCount))
    }

    package static func blockWeights(
        _ layer: Int, from w: HuggingFaceWeights, compute: ComputePrecision
    ) throws -> BlockWeights {
        // Either naming: the Hub's block_sparse_moe.experts.N.w1 or transformers 5's mlp.experts.gate_up_proj.
        let hubNames = w.store.info(w.prefix + "layers.\(layer).block_sparse_moe.gate.weight") != nil
        return try w.decoderBlock(layer, names: hubNames ? tensorNames : DecoderTensorNames(), compute: compute)
    }
}
