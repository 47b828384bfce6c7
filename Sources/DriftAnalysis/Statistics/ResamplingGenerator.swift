/// The seeded generator behind bootstrap and permutation resampling: xoshiro256** seeded through SplitMix64.
///
/// Deterministic across platforms and Swift versions (it draws bounded integers itself rather than through
/// `Int.random(in:)`, whose algorithm the standard library does not promise). Kept internal until DriftCore's
/// shared `SeededRandom` lands; then this file should go.
struct ResamplingGenerator: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject; unbiased).
    mutating func index(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold { product = next().multipliedFullWidth(by: b) }
        }
        return Int(product.high)
    }

    /// `count` indices drawn uniformly with replacement from `0..<bound` (one bootstrap resample).
    mutating func resample(count: Int, from bound: Int) -> [Int] {
        (0..<count).map { _ in index(below: bound) }
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates).
    mutating func permutation(_ count: Int) -> [Int] {
        var p = Array(0..<count)
        var i = count - 1
        while i > 0 {
            p.swapAt(i, index(below: i + 1))
            i -= 1
        }
        return p
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
