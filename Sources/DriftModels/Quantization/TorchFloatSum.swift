/// PyTorch's float32 sum of a contiguous 1-D tensor on the CPU (`SumKernel.cpp`: `vectorized_inner_sum`, `row_sum`,
/// `multi_row_sum`), reproduced operation for operation so that `mean()` gives the same float bits.
///
/// bitsandbytes' double quantization subtracts `absmax.mean()`, a torch float32 mean (sum, then divide by the count);
/// its rounding differs from an exactly rounded mean in about half of all cases, so the algorithm matters. The vector
/// width is 8 floats (verified against torch 2.x on this machine kind, whose sum kernel agrees with 8 lanes).
/// From 32,768 values on (torch's grain size) torch splits the sum over `min(threads, ceil(n / 32768))` equal chunks
/// and adds the partial sums in order (`two_pass_reduction`), so the result depends on torch's thread count.
package enum TorchFloatSum {
    typealias Lanes = SIMD8<Float>

    /// torch's `GRAIN_SIZE`: below it a reduction runs on one thread.
    static let grainSize = 32_768

    /// The sum torch computes for `values` when it runs `threads` threads (`torch.get_num_threads()`).
    package static func sum(_ values: UnsafeBufferPointer<Float>, threads: Int) -> Float {
        let n = values.count
        guard n >= grainSize, threads > 1 else { return serialSum(values) }
        let chunks = min(threads, (n + grainSize - 1) / grainSize)
        let chunk = (n + chunks - 1) / chunks
        var total: Float = 0
        var start = 0
        while start < n {
            let end = min(n, start + chunk)
            total += serialSum(UnsafeBufferPointer(rebasing: values[start..<end]))
            start = end
        }
        return total
    }

    /// The mean torch computes for `values` (`sum / count` in float32) when it runs `threads` threads.
    package static func mean(_ values: UnsafeBufferPointer<Float>, threads: Int) -> Float {
        values.isEmpty ? .nan : sum(values, threads: threads) / Float(values.count)
    }

    /// The single-threaded sum (`vectorized_inner_sum`, or `scalar_inner_sum` below 8 values).
    static func serialSum(_ values: UnsafeBufferPointer<Float>) -> Float {
        let n = values.count
        guard let base = values.baseAddress else { return 0 }
        if n < Lanes.scalarCount {
            // scalar_inner_sum: row_sum over scalars with four interleaved accumulators.
            let ilp = n / 4
            var partial = multiRowSum(count: ilp, zero: Float(0), add: { $0 + $1 }) { i, k in base[4 * i + k] }
            for i in (ilp * 4)..<n { partial[0] += base[i] }
            for k in 1..<4 { partial[0] += partial[k] }
            return partial[0]
        }
        let vectorCount = n / Lanes.scalarCount
        let load: (Int) -> Lanes = { v in
            var lanes = Lanes()
            for l in 0..<Lanes.scalarCount { lanes[l] = base[v * Lanes.scalarCount + l] }
            return lanes
        }
        let ilp = vectorCount / 4
        var partial = multiRowSum(count: ilp, zero: Lanes(), add: { $0 + $1 }) { i, k in load(4 * i + k) }
        for v in (ilp * 4)..<vectorCount { partial[0] += load(v) }
        for k in 1..<4 { partial[0] += partial[k] }
        var total: Float = 0
        for i in (vectorCount * Lanes.scalarCount)..<n { total += base[i] }
        for l in 0..<Lanes.scalarCount { total += partial[0][l] }
        return total
    }

    /// `multi_row_sum` with four rows: cascaded accumulators over `count` steps of `load(step, row)`.
    private static func multiRowSum<Value>(
        count: Int, zero: Value, add: (Value, Value) -> Value, _ load: (Int, Int) -> Value
    ) -> [Value] {
        let levels = 4
        let levelPower = max(4, ceilLog2(count) / levels)
        let levelStep = 1 << levelPower
        let levelMask = levelStep - 1
        var acc = [[Value]](repeating: [Value](repeating: zero, count: 4), count: levels)
        var i = 0
        while i + levelStep <= count {
            for _ in 0..<levelStep {
                for k in 0..<4 { acc[0][k] = add(acc[0][k], load(i, k)) }
                i += 1
            }
            for j in 1..<levels {
                for k in 0..<4 {
                    acc[j][k] = add(acc[j][k], acc[j - 1][k])
                    acc[j - 1][k] = zero
                }
                if i & (levelMask << (j * levelPower)) != 0 { break }
            }
        }
        while i < count {
            for k in 0..<4 { acc[0][k] = add(acc[0][k], load(i, k)) }
            i += 1
        }
        for j in 1..<levels {
            for k in 0..<4 { acc[0][k] = add(acc[0][k], acc[j][k]) }
        }
        return acc[0]
    }

    /// torch's `CeilLog2`: 1 for x ≤ 2, else the bit width of x − 1.
    private static func ceilLog2(_ x: Int) -> Int {
        x <= 2 ? 1 : (Int.bitWidth - (x - 1).leadingZeroBitCount)
    }
}
