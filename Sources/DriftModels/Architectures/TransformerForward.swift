import DriftCore
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

    /// Runs the batch through every block and pools the wanted hidden-state indices.
    ///
    /// - Returns: one `prompts × hidden` matrix per entry of `layers`.
    package func run(
        batch: [[Int]], layers: [Int], pooling: Pooling, block: (Int) throws -> BlockWeights
    ) throws -> [Matrix] {
        try spec.validateInput(batch: batch, layers: layers)
        let h = spec.hiddenSize
        var offsets = [0]
        for prompt in batch { offsets.append(offsets[offsets.count - 1] + prompt.count) }
        let tokens = offsets[offsets.count - 1]
        var results = layers.map { _ in Matrix(rows: batch.count, columns: h) }
        guard tokens > 0 else { return results }
        let longest = batch.map(\.count).max() ?? 0

        var ropeTables: [RotaryTable] = []
        for case let rope? in spec.layerRopes where !ropeTables.contains(where: { $0.rope == rope }) {
            ropeTables.append(RotaryTable(rope: rope, positions: longest))
        }

        let gatedWidth = spec.gatedMLP ? 2 * spec.intermediateSize : spec.intermediateSize
        let x = Scratch(tokens * h)
        let normed = Scratch(tokens * h)
        let branch = Scratch(tokens * h)
        let branch2 = Scratch(tokens * h)
        let qkv = Scratch(tokens * spec.queryKeyValueWidth)
        let context = Scratch(tokens * spec.queryWidth)
        let up = Scratch(tokens * gatedWidth)
        let activated = Scratch(tokens * spec.intermediateSize)

        embed(batch: batch, offsets: offsets, into: x.pointer)
        record(0, x.pointer, layers: layers, offsets: offsets, pooling: pooling, results: &results)

        for layer in 0..<spec.layerCount {
            let weights = try block(layer)
            let table = spec.layerRopes[layer].flatMap { rope in ropeTables.first { $0.rope == rope } }
            let buffers = BlockBuffers(
                x: x.pointer, normed: normed.pointer, branch: branch.pointer, branch2: branch2.pointer,
                qkv: qkv.pointer, context: context.pointer, up: up.pointer, activated: activated.pointer)
            runBlock(
                weights, buffers: buffers, tokens: tokens, offsets: offsets, batch: batch, rope: table,
                window: spec.layerWindows[layer])
            if layer == spec.layerCount - 1, spec.hasFinalNorm, let finalNorm = embeddings.finalNorm {
                TransformerKernels.normalizeRows(
                    x.pointer, rows: tokens, stride: h, width: h, kind: spec.norm, epsilon: spec.normEpsilon,
                    weights: finalNorm)
            }
            record(layer + 1, x.pointer, layers: layers, offsets: offsets, pooling: pooling, results: &results)
        }
        withExtendedLifetime([x, normed, branch, branch2, qkv, context, up, activated]) {}
        return results
    }

    /// Token embeddings (× scale) plus learned position and token-type embeddings, then BERT's embedding norm.
    private func embed(batch: [[Int]], offsets: [Int], into x: UnsafeMutablePointer<Float>) {
        let h = spec.hiddenSize
        let scale = spec.embeddingScale
        embeddings.tokens.storage.withUnsafeBufferPointer { table in
            TransformerKernels.withOptionalPointer(embeddings.positions?.storage) { positions in
                TransformerKernels.withOptionalPointer(embeddings.tokenType) { tokenType in
                    for (p, prompt) in batch.enumerated() {
                        for (i, id) in prompt.enumerated() {
                            let row = x + (offsets[p] + i) * h
                            for j in 0..<h { row[j] = table[id * h + j] }
                            if let scale { for j in 0..<h { row[j] *= scale } }
                            if let tokenType { for j in 0..<h { row[j] += tokenType[j] } }
                            if let positions { for j in 0..<h { row[j] += positions[i * h + j] } }
                        }
                    }
                }
            }
        }
        let tokens = offsets[offsets.count - 1]
        if spec.hasEmbeddingNorm, let norm = embeddings.embeddingNorm {
            TransformerKernels.normalizeRows(
                x, rows: tokens, stride: h, width: h, kind: spec.norm, epsilon: spec.normEpsilon, weights: norm)
        }
    }

    private struct BlockBuffers {
        let x, normed, branch, branch2, qkv, context, up, activated: UnsafeMutablePointer<Float>
    }

    private func runBlock(
        _ w: BlockWeights, buffers b: BlockBuffers, tokens: Int, offsets: [Int], batch: [[Int]], rope: RotaryTable?,
        window: Int?
    ) {
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
        attention(
            w, input: attentionInput, buffers: b, tokens: tokens, offsets: offsets, batch: batch, rope: rope,
            window: window)
        // b.branch now holds the attention output projection.
        switch spec.residual {
        case .sequential:
            if let norm = w.postAttentionNorm {
                TransformerKernels.normalizeRows(
                    b.branch, rows: tokens, stride: h, width: h, kind: kind, epsilon: eps, weights: norm)
            }
            add(b.branch, into: b.x, count: tokens * h)
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
            add(b.branch2, into: b.x, count: tokens * h)
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
        _ w: BlockWeights, input: UnsafePointer<Float>, buffers b: BlockBuffers, tokens: Int, offsets: [Int],
        batch: [[Int]], rope: RotaryTable?, window: Int?
    ) {
        let width = spec.queryKeyValueWidth
        TransformerKernels.linear(input, rows: tokens, weights: w.queryKeyValue, into: b.qkv)
        if let clip = spec.clipQueryKeyValue {
            let qkv = b.qkv
            Parallel.forEachChunk(tokens, minimumChunk: 64) { range in
                for i in (range.lowerBound * width)..<(range.upperBound * width) {
                    qkv[i] = min(max(qkv[i], -clip), clip)
                }
            }
        }
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
        if let rope {
            applyRope(rope, qkv: b.qkv, offsets: offsets)
        }
        AttentionKernel.attend(qkv: b.qkv, output: b.context, offsets: offsets, spec: spec, window: window)
        TransformerKernels.linear(b.context, rows: tokens, weights: w.attentionOutput, into: b.branch)
    }

    private func applyRope(_ table: RotaryTable, qkv: UnsafeMutablePointer<Float>, offsets: [Int]) {
        let width = spec.queryKeyValueWidth
        let d = spec.headDimension
        let heads = spec.headCount
        let kvHeads = spec.keyValueHeadCount
        let keyOffset = spec.queryWidth
        let prompts = offsets.count - 1
        table.cos.withUnsafeBufferPointer { cosBuffer in
            table.sin.withUnsafeBufferPointer { sinBuffer in
                guard let cos = cosBuffer.baseAddress, let sin = sinBuffer.baseAddress else { return }
                Parallel.forEachChunk(prompts) { range in
                    for p in range {
                        for position in 0..<(offsets[p + 1] - offsets[p]) {
                            let row = qkv + (offsets[p] + position) * width
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
        TransformerKernels.linear(input, rows: tokens, weights: w.feedForwardIn, into: b.up)
        TransformerKernels.activateRows(
            b.up, into: b.activated, rows: tokens, width: spec.intermediateSize, gated: spec.gatedMLP,
            activation: spec.activation)
        TransformerKernels.linear(b.activated, rows: tokens, weights: w.feedForwardOut, into: output)
    }

    private func add(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { destination[i] += source[i] }
    }

    /// Pools hidden-state index `index` into every result that asked for it.
    private func record(
        _ index: Int, _ x: UnsafePointer<Float>, layers: [Int], offsets: [Int], pooling: Pooling,
        results: inout [Matrix]
    ) {
        let h = spec.hiddenSize
        for (k, layer) in layers.enumerated() where layer == index {
            results[k].storage.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                for p in 0..<(offsets.count - 1) {
                    let start = offsets[p]
                    let n = offsets[p + 1] - start
                    let row = base + p * h
                    switch pooling {
                    case .last:
                        let source = x + (start + n - 1) * h
                        for j in 0..<h { row[j] = source[j] }
                    case .mean:
                        for j in 0..<h { row[j] = 0 }
                        for t in 0..<n {
                            let source = x + (start + t) * h
                            for j in 0..<h { row[j] += source[j] }
                        }
                        let count = Float(n)
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
