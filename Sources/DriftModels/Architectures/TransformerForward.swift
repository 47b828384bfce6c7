package import DriftCore
import Foundation

/// One forward pass over a packed batch; the block weights come from a closure so that a streaming or quantized
/// source can hand them over layer by layer.
package struct TransformerForward {
    package let spec: ArchitectureSpec
    package let embeddings: EmbeddingWeights

    package init(spec: ArchitectureSpec, embeddings: EmbeddingWeights) {
        self.spec = spec
        self.embeddings = embeddings
    }

    /// Runs the batch through the blocks up to the deepest index wanted and pools the wanted hidden-state indices.
    ///
    /// - Parameter sharingPrefix: for a causal model, compute the tokens every prompt begins with once (see
    ///   ``PackedBatch``); the states are the same up to float rounding either way.
    /// - Returns: one `prompts × hidden` matrix per entry of `layers`.
    package func run(
        batch: [[Int]], layers: [Int], pooling: Pooling, sharingPrefix: Bool = true,
        block: (Int) throws -> BlockWeights
    ) throws -> [Matrix] {
        try spec.validateInput(batch: batch, layers: layers)
        let h = spec.hiddenSize
        let packed = PackedBatch(batch: batch, sharingPrefix: sharingPrefix && spec.causal)
        let tokens = packed.rowCount
        var results = layers.map { _ in Matrix(rows: batch.count, columns: h) }
        guard tokens > 0 else { return results }

        var ropeTables: [RotaryTable] = []
        for case let rope? in spec.layerRopes where !ropeTables.contains(where: { $0.rope == rope }) {
            ropeTables.append(RotaryTable(rope: rope, positions: packed.longestPrompt))
        }

        // A dense MLP's buffers; a model whose every block routes to experts never uses them (its experts have their
        // own), and fresh pages are not free.
        let hasDenseMLP = spec.experts.map { $0.layers.contains(false) } ?? true
        let intermediateWidth = hasDenseMLP ? spec.intermediateSize : 0
        let gatedWidth = spec.gatedMLP ? 2 * intermediateWidth : intermediateWidth
        let x = Scratch(tokens * h)
        let normed = Scratch(tokens * h)
        let branch = Scratch(tokens * h)
        let branch2 = Scratch(tokens * h)
        let qkv = Scratch(tokens * spec.queryKeyValueWidth)
        let context = Scratch(tokens * spec.queryWidth)
        let up = Scratch(tokens * gatedWidth)
        let activated = Scratch(tokens * intermediateWidth)

        embed(packed, into: x.pointer)
        record(0, x.pointer, layers: layers, packed: packed, pooling: pooling, results: &results)

        // Blocks past the deepest hidden state asked for are never run (nor their weights asked for).
        for layer in 0..<(layers.max() ?? 0) {
            let weights = try block(layer)
            let table = spec.layerRopes[layer].flatMap { rope in ropeTables.first { $0.rope == rope } }
            let buffers = BlockBuffers(
                x: x.pointer, normed: normed.pointer, branch: branch.pointer, branch2: branch2.pointer,
                qkv: qkv.pointer, context: context.pointer, up: up.pointer, activated: activated.pointer)
            runBlock(weights, buffers: buffers, packed: packed, rope: table, window: spec.layerWindows[layer])
            if layer == spec.layerCount - 1, spec.hasFinalNorm, let finalNorm = embeddings.finalNorm {
                TransformerKernels.normalizeRows(
                    x.pointer, rows: tokens, stride: h, width: h, kind: spec.norm, epsilon: spec.normEpsilon,
                    weights: finalNorm)
            }
            record(layer + 1, x.pointer, layers: layers, packed: packed, pooling: pooling, results: &results)
        }
        withExtendedLifetime([x, normed, branch, branch2, qkv, context, up, activated]) {}
        return results
    }

    /// Token embeddings (× scale) plus learned position and token-type embeddings, then BERT's embedding norm.
    private func embed(_ packed: PackedBatch, into x: UnsafeMutablePointer<Float>) {
        let h = spec.hiddenSize
        let scale = spec.embeddingScale
        let table = embeddings.tokenTable
        TransformerKernels.withOptionalPointer(embeddings.positions?.storage) { positions in
            TransformerKernels.withOptionalPointer(embeddings.tokenType) { tokenType in
                for (r, id) in packed.tokenIDs.enumerated() {
                    let row = x + r * h
                    table.copyRow(id, into: row)
                    if let scale { for j in 0..<h { row[j] *= scale } }
                    if let tokenType { for j in 0..<h { row[j] += tokenType[j] } }
                    if let positions {
                        let position = packed.positions[r]
                        for j in 0..<h { row[j] += positions[position * h + j] }
                    }
                }
            }
        }
        if spec.hasEmbeddingNorm, let norm = embeddings.embeddingNorm {
            TransformerKernels.normalizeRows(
                x, rows: packed.rowCount, stride: h, width: h, kind: spec.norm, epsilon: spec.normEpsilon,
                weights: norm)
        }
    }

    private struct BlockBuffers {
        let x, normed, branch, branch2, qkv, context, up, activated: UnsafeMutablePointer<Float>
    }

    private func runBlock(
        _ w: BlockWeights, buffers b: BlockBuffers, packed: PackedBatch, rope: RotaryTable?, window: Int?
    ) {
        let tokens = packed.rowCount
        let h = spec.hiddenSize
        let kind = spec.norm
        let eps = spec.normEpsilon
        // Attention input.
        var attentionInput = UnsafePointer(b.x)
        if spec.residual != .postNorm, let norm = w.attentionNorm {
            TransformerKernels.normalizeRows(
                b.x, into: b.normed, rows: tokens, width: h, kind: kind, epsilon: eps, weights: norm)
            attentionInput = UnsafePointer(b.normed)
        }
        attention(w, input: attentionInput, buffers: b, packed: packed, rope: rope, window: window)
        // b.branch now holds the attention output projection.
        switch spec.residual {
        case .sequential:
            if let norm = w.postAttentionNorm {
                TransformerKernels.normalizeRows(
                    b.branch, rows: tokens, stride: h, width: h, kind: kind, epsilon: eps, weights: norm)
            }
            addResidual(b.branch, into: b.x, count: tokens * h)
            var mlpInput = UnsafePointer(b.x)
            if let norm = w.feedForwardNorm {
                TransformerKernels.normalizeRows(
                    b.x, into: b.normed, rows: tokens, width: h, kind: kind, epsilon: eps, weights: norm)
                mlpInput = UnsafePointer(b.normed)
            }
            mlp(w, input: mlpInput, output: b.branch2, buffers: b, tokens: tokens)
            if let norm = w.postFeedForwardNorm {
                TransformerKernels.normalizeRows(
                    b.branch2, rows: tokens, stride: h, width: h, kind: kind, epsilon: eps, weights: norm)
            }
            addResidual(b.branch2, into: b.x, count: tokens * h)
        case .parallel:
            var mlpInput = UnsafePointer(b.x)
            if let norm = w.feedForwardNorm {
                TransformerKernels.normalizeRows(
                    b.x, into: b.normed, rows: tokens, width: h, kind: kind, epsilon: eps, weights: norm)
                mlpInput = UnsafePointer(b.normed)
            }
            mlp(w, input: mlpInput, output: b.branch2, buffers: b, tokens: tokens)
            // transformers: mlp_output + attn_output + hidden_states
            add(b.branch, into: b.branch2, count: tokens * h)
            add(b.branch2, into: b.x, count: tokens * h)
        case .postNorm:
            add(b.branch, into: b.x, count: tokens * h)
            if let norm = w.attentionNorm {
                TransformerKernels.normalizeRows(
                    b.x, rows: tokens, stride: h, width: h, kind: kind, epsilon: eps, weights: norm)
            }
            mlp(w, input: b.x, output: b.branch2, buffers: b, tokens: tokens)
            add(b.branch2, into: b.x, count: tokens * h)
            if let norm = w.feedForwardNorm {
                TransformerKernels.normalizeRows(
                    b.x, rows: tokens, stride: h, width: h, kind: kind, epsilon: eps, weights: norm)
            }
        }
    }

    /// Projections, clipping, q/k norms, rotary embedding, attention and output projection into `buffers.branch`.
    private func attention(
        _ w: BlockWeights, input: UnsafePointer<Float>, buffers b: BlockBuffers, packed: PackedBatch,
        rope: RotaryTable?, window: Int?
    ) {
        let tokens = packed.rowCount
        let width = spec.queryKeyValueWidth
        TransformerKernels.linear(input, rows: tokens, weights: w.queryKeyValue, into: b.qkv)
        let d = spec.headDimension
        switch spec.queryKeyNorm {
        case .none:
            break
        case .perHead:
            if let qn = w.queryNorm, let kn = w.keyNorm {
                TransformerKernels.normalizeRows(
                    b.qkv, rows: tokens, stride: width, offset: 0, groups: spec.headCount, width: d, kind: spec.norm,
                    epsilon: spec.normEpsilon, weights: qn)
                TransformerKernels.normalizeRows(
                    b.qkv, rows: tokens, stride: width, offset: spec.queryWidth, groups: spec.keyValueHeadCount,
                    width: d, kind: spec.norm, epsilon: spec.normEpsilon, weights: kn)
            }
        case .whole:
            if let qn = w.queryNorm, let kn = w.keyNorm {
                TransformerKernels.normalizeRows(
                    b.qkv, rows: tokens, stride: width, offset: 0, width: spec.queryWidth, kind: spec.norm,
                    epsilon: spec.normEpsilon, weights: qn)
                TransformerKernels.normalizeRows(
                    b.qkv, rows: tokens, stride: width, offset: spec.queryWidth, width: spec.keyValueWidth,
                    kind: spec.norm, epsilon: spec.normEpsilon, weights: kn)
            }
        }
        // transformers clamps after the query/key norms (OLMoE; OLMo has none).
        if let clip = spec.clipQueryKeyValue {
            let qkv = b.qkv
            Parallel.forEachChunk(tokens, minimumChunk: 64) { range in
                for i in (range.lowerBound * width)..<(range.upperBound * width) {
                    qkv[i] = min(max(qkv[i], -clip), clip)
                }
            }
        }
        if let rope {
            applyRope(rope, qkv: b.qkv, positions: packed.positions)
        }
        AttentionKernel.attend(
            qkv: b.qkv, output: b.context, segments: packed.segments, spec: spec, window: window,
            sinks: w.attentionSinks)
        TransformerKernels.linear(b.context, rows: tokens, weights: w.attentionOutput, into: b.branch)
    }

    private func applyRope(_ table: RotaryTable, qkv: UnsafeMutablePointer<Float>, positions: [Int]) {
        let width = spec.queryKeyValueWidth
        let d = spec.headDimension
        let heads = spec.headCount
        let kvHeads = spec.keyValueHeadCount
        let keyOffset = spec.queryWidth
        table.cos.withUnsafeBufferPointer { cosBuffer in
            table.sin.withUnsafeBufferPointer { sinBuffer in
                positions.withUnsafeBufferPointer { positions in
                    guard let cos = cosBuffer.baseAddress, let sin = sinBuffer.baseAddress else { return }
                    Parallel.forEachChunk(positions.count, minimumChunk: 16) { range in
                        for r in range {
                            let row = qkv + r * width
                            let position = positions[r]
                            for head in 0..<heads {
                                table.apply(row + head * d, position: position, cos: cos, sin: sin)
                            }
                            for head in 0..<kvHeads {
                                table.apply(row + keyOffset + head * d, position: position, cos: cos, sin: sin)
                            }
                        }
                    }
                }
            }
        }
    }

    private func mlp(
        _ w: BlockWeights, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, buffers b: BlockBuffers,
        tokens: Int
    ) {
        if let experts = w.experts, let routing = spec.experts {
            return ExpertKernel.run(
                experts, routing: routing, input: input, rows: tokens, width: spec.hiddenSize,
                activation: spec.activation, output: output)
        }
        TransformerKernels.linear(input, rows: tokens, weights: w.feedForwardIn, into: b.up)
        TransformerKernels.activateRows(
            b.up, into: b.activated, rows: tokens, width: spec.intermediateSize, gated: spec.gatedMLP,
            activation: spec.activation)
        TransformerKernels.linear(b.activated, rows: tokens, weights: w.feedForwardOut, into: output)
    }

    private func add(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { destination[i] += source[i] }
    }

    /// Adds a branch output to the residual stream, scaled by Granite's residual multiplier where there is one.
    private func addResidual(
        _ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        guard let scale = spec.residualScale else { return add(source, into: destination, count: count) }
        for i in 0..<count { destination[i] += source[i] * scale }
    }

    /// Pools hidden-state index `index` into every result that asked for it; a prompt's tokens are its shared rows
    /// followed by its own, in order.
    private func record(
        _ index: Int, _ x: UnsafePointer<Float>, layers: [Int], packed: PackedBatch, pooling: Pooling,
        results: inout [Matrix]
    ) {
        let h = spec.hiddenSize
        for (k, layer) in layers.enumerated() where layer == index {
            results[k].storage.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                for (p, prompt) in packed.prompts.enumerated() {
                    let row = base + p * h
                    switch pooling {
                    case .last:
                        let source = x + prompt.row(atPosition: prompt.length - 1) * h
                        for j in 0..<h { row[j] = source[j] }
                    case .mean:
                        for j in 0..<h { row[j] = 0 }
                        for t in 0..<prompt.length {
                            let source = x + prompt.row(atPosition: t) * h
                            for j in 0..<h { row[j] += source[j] }
                        }
                        let count = Float(prompt.length)
                        for j in 0..<h { row[j] /= count }
                    }
                }
            }
        }
    }
}

/// A float buffer owned by one forward pass.
private final class Scratch {
    let pointer: UnsafeMutablePointer<Float>

    init(_ count: Int) {
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    deinit { pointer.deallocate() }
}
