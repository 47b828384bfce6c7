import DriftCore

extension HuggingFaceWeights {
    /// Block `i` of a decoder laid out as Llama's (names from the family), as `compute` holds the linear layers.
    ///
    /// Queries, keys and values are stacked into one projection (or read as one where the checkpoint fuses them),
    /// and so are the gated MLP's gate and up projections. Which norms are read follows the spec.
    package func decoderBlock(
        _ i: Int, names n: DecoderTensorNames, compute: ComputePrecision
    ) throws -> BlockWeights {
        let h = spec.hiddenSize
        let p = n.layers + "\(i)."
        let qkv: LinearWeights
        if let fused = n.fusedQueryKeyValue {
            qkv = try linear(p + fused, [spec.queryKeyValueWidth, h], bias: spec.queryKeyValueBias, compute)
        } else {
            qkv = try stackedLinear(
                [p + n.query, p + n.key, p + n.value],
                [[spec.queryWidth, h], [spec.keyValueWidth, h], [spec.keyValueWidth, h]],
                bias: spec.queryKeyValueBias, compute)
        }
        let o = try linear(p + n.output, [h, spec.queryWidth], bias: spec.outputBias, compute)

        var queryNorm: NormWeights?
        var keyNorm: NormWeights?
        switch spec.queryKeyNorm {
        case .none: break
        case .perHead:
            queryNorm = try norm(p + n.queryNorm, spec.headDimension)
            keyNorm = try norm(p + n.keyNorm, spec.headDimension)
        case .whole:
            queryNorm = try norm(p + n.queryNorm, spec.queryWidth)
            keyNorm = try norm(p + n.keyNorm, spec.keyValueWidth)
        }
        let attentionNorm = spec.hasPreNorms ? try norm(p + n.attentionNorm, h) : nil
        let postAttention = spec.hasPostAttentionNorm ? try norm(p + n.postAttentionNorm, h) : nil
        let feedForwardNorm = spec.hasPreNorms ? try norm(p + n.feedForwardNorm, h) : nil
        let postFeedForward = spec.hasPostFeedForwardNorm ? try norm(p + n.postFeedForwardNorm, h) : nil

        var block = BlockWeights(
            attentionNorm: attentionNorm, queryKeyValue: qkv, queryNorm: queryNorm, keyNorm: keyNorm,
            attentionOutput: o, postAttentionNorm: postAttention, feedForwardNorm: feedForwardNorm,
            feedForwardIn: LinearWeights(weight: Matrix(rows: 0, columns: h), bias: nil),
            feedForwardOut: LinearWeights(weight: Matrix(rows: h, columns: 0), bias: nil),
            postFeedForwardNorm: postFeedForward)
        let router = prefix + p + n.experts.router + ".weight"
        if let experts = spec.experts, experts.layers[i] {
            guard store.info(router) != nil else {
                throw DriftError(
                    .corruptFile,
                    "config.json routes block \(i) through experts (decoder_sparse_step, mlp_only_layers), but its router '\(router)' is missing",
                    path: path)
            }
            block.experts = try spec.architecture.family.expertWeights(
                p, names: n.experts, from: self, routing: experts, compute: compute)
        } else {
            if spec.experts != nil, store.info(router) != nil {
                throw DriftError(
                    .corruptFile,
                    "config.json makes block \(i) dense (mlp_only_layers, decoder_sparse_step), but the checkpoint routes it through experts ('\(router)')",
                    path: path)
            }
            let f = spec.intermediateSize
            if !spec.gatedMLP {
                block.feedForwardIn = try linear(p + n.up, [f, h], bias: spec.mlpBias, compute)
            } else if let fused = n.fusedGateUp {
                block.feedForwardIn = try linear(p + fused, [2 * f, h], bias: spec.mlpBias, compute)
            } else {
                block.feedForwardIn = try stackedLinear(
                    [p + n.gate, p + n.up], [[f, h], [f, h]], bias: spec.mlpBias, compute)
            }
            block.feedForwardOut = try linear(p + n.down, [h, f], bias: spec.mlpBias, compute)
        }
        return block
    }
}
