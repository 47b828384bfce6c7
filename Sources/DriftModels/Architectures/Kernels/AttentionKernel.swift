import DriftCore
import Foundation

/// Scaled dot-product attention over packed prompts: each segment attends only to its shared rows and itself (causal or
/// bidirectional, optionally within a sliding window), with grouped-query heads.
package enum AttentionKernel {
    /// Computes every segment's attention output.
    ///
    /// - Parameters:
    ///   - qkv: packed rows of `[q heads | k heads | v heads]`, `rows × spec.queryKeyValueWidth`.
    ///   - output: `rows × spec.queryWidth`; every segment's own rows are overwritten.
    ///   - segments: the runs of rows that attend as one sequence (see ``PackedBatch``).
    ///   - window: the sliding window of this layer (position i sees j when `i − j < window`), or nil.
    ///   - sinks: gpt-oss's attention sinks, one logit per query head that joins every softmax's denominator (as
    ///     transformers' `eager_attention_forward`: the maximum over scores and sink, the sink's weight dropped).
    package static func attend(
        qkv: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, segments: [PackedBatch.Segment],
        spec: ArchitectureSpec, window: Int?, sinks: [Float]? = nil
    ) {
        let heads = spec.headCount
        let group = heads / spec.keyValueHeadCount
        let d = spec.headDimension
        let stride = spec.queryKeyValueWidth
        let keyOffset = spec.queryWidth
        let valueOffset = spec.queryWidth + spec.keyValueWidth
        let outStride = spec.queryWidth
        let scale = spec.attentionScale
        let softcap = spec.attentionLogitSoftcap
        let causal = spec.causal
        let maxLength = segments.map(\.length).max() ?? 0
        segments.withUnsafeBufferPointer { segments in
            Parallel.forEachChunk(segments.count * heads) { range in
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, maxLength))
                defer { scores.deallocate() }
                for item in range {
                    let segment = segments[item / heads]
                    let h = item % heads
                    let kvHead = h / group
                    let n = segment.length
                    for i in segment.context..<n {
                        let q = qkv + segment.row(atPosition: i) * stride + h * d
                        let lo = window.map { max(0, i - $0 + 1) } ?? 0
                        let hi = causal ? i : n - 1
                        var maxScore = -Float.infinity
                        for j in lo...hi {
                            let k = qkv + segment.row(atPosition: j) * stride + keyOffset + kvHead * d
                            var dot: Float = 0
                            for c in 0..<d { dot += q[c] * k[c] }
                            var s = dot * scale
                            if let softcap { s = tanh(s / softcap) * softcap }
                            scores[j] = s
                            maxScore = max(maxScore, s)
                        }
                        var total: Float = 0
                        if let sinks {
                            let sink = sinks[h]
                            maxScore = max(maxScore, sink)
                            total = exp(sink - maxScore)
                        }
                        for j in lo...hi {
                            let e = exp(scores[j] - maxScore)
                            scores[j] = e
                            total += e
                        }
                        let out = output + segment.row(atPosition: i) * outStride + h * d
                        for c in 0..<d { out[c] = 0 }
                        let inverse = 1 / total
                        for j in lo...hi {
                            let weight = scores[j] * inverse
                            let v = qkv + segment.row(atPosition: j) * stride + valueOffset + kvHead * d
                            for c in 0..<d { out[c] += weight * v[c] }
                        }
                    }
                }
            }
        }
    }
}
