import DriftCore
import Foundation

/// Scaled dot-product attention over packed prompts: each prompt attends only to itself (causal or bidirectional,
/// optionally within a sliding window), with grouped-query heads.
package enum AttentionKernel {
    /// Computes every prompt's attention output.
    ///
    /// - Parameters:
    ///   - qkv: packed rows of `[q heads | k heads | v heads]`, `tokens × spec.queryKeyValueWidth`.
    ///   - output: `tokens × spec.queryWidth`, overwritten.
    ///   - offsets: the first row of each prompt, plus the total at the end (`prompts + 1` values).
    ///   - window: the sliding window of this layer (token i sees j when `i − j < window`), or nil.
    package static func attend(
        qkv: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, offsets: [Int], spec: ArchitectureSpec,
        window: Int?
    ) {
        let heads = spec.headCount
        let group = heads / spec.keyValueHeadCount
        let d = spec.headDimension
        let stride = spec.queryKeyValueWidth
        let keyOffset = spec.queryWidth
        let valueOffset = spec.queryWidth + spec.keyValueWidth
        let outStride = spec.queryWidth
        let scale = spec.attentionScale
        let causal = spec.causal
        let prompts = offsets.count - 1
        var longest = 0
        for p in 0..<prompts { longest = max(longest, offsets[p + 1] - offsets[p]) }
        let maxLength = longest
        offsets.withUnsafeBufferPointer { offsets in
            Parallel.forEachChunk(prompts * heads) { range in
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, maxLength))
                defer { scores.deallocate() }
                for item in range {
                    let p = item / heads
                    let h = item % heads
                    let kvHead = h / group
                    let start = offsets[p]
                    let n = offsets[p + 1] - start
                    for i in 0..<n {
                        let q = qkv + (start + i) * stride + h * d
                        let lo = window.map { max(0, i - $0 + 1) } ?? 0
                        let hi = causal ? i : n - 1
                        var maxScore = -Float.infinity
                        for j in lo...hi {
                            let k = qkv + (start + j) * stride + keyOffset + kvHead * d
                            var dot: Float = 0
                            for c in 0..<d { dot += q[c] * k[c] }
                            let s = dot * scale
                            scores[j] = s
                            maxScore = max(maxScore, s)
                        }
                        var total: Float = 0
                        for j in lo...hi {
                            let e = exp(scores[j] - maxScore)
                            scores[j] = e
                            total += e
                        }
                        let out = output + (start + i) * outStride + h * d
                        for c in 0..<d { out[c] = 0 }
                        let inverse = 1 / total
                        for j in lo...hi {
                            let weight = scores[j] * inverse
                            let v = qkv + (start + j) * stride + valueOffset + kvHead * d
                            for c in 0..<d { out[c] += weight * v[c] }
                        }
                    }
                }
            }
        }
    }
}
