import Foundation

/// A seeded pseudo-random number generator whose streams are the same on every platform and Swift version.
///
/// The algorithm is **xoshiro256\*\*** (David Blackman and Sebastiano Vigna, 2018): 256 bits of state, period
/// 2^256 − 1, output `rotl(s1 · 5, 7) · 9`. The state is seeded with four successive outputs of **SplitMix64**
/// started at the seed (as Vigna recommends). Tests check the raw stream and ``jump()`` against randomgen's
/// `Xoshiro256` and the doubles against numpy's `Generator.random()`.
///
/// Derived values, all from documented formulas so they too are reproducible:
/// - ``nextDouble()``: `(next() >> 11) · 2^-53`, in [0, 1) (numpy's formula);
/// - ``nextFloat()``: `(next() >> 40) · 2^-24`, in [0, 1);
/// - ``nextInt(below:)``: Lemire's multiply-and-reject method, unbiased;
/// - ``nextNormal()``: the Box–Muller transform of two doubles, the second sample kept for the next call. It uses
///   the platform's `log`, `sin` and `cos`, so normal samples may differ in the last bit between C libraries.
///
/// Prefer these methods to the standard library's `Float.random(in:using:)` and `shuffle(using:)`, whose use of
/// the generator is not specified and may change between Swift versions.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    private var spareNormal: Double?

    /// A generator seeded with `seed` through SplitMix64.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = nextSplitMix()
        s1 = nextSplitMix()
        s2 = nextSplitMix()
        s3 = nextSplitMix()
    }

    /// A generator with the given xoshiro256\*\* state (not all zero).
    package init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
    }

    /// The current xoshiro256\*\* state.
    package var state: (UInt64, UInt64, UInt64, UInt64) { (s0, s1, s2, s3) }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform `Double` in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A uniform `Double` in `range` (`lowerBound + (upperBound − lowerBound) · nextDouble()`, kept below the bound).
    public mutating func nextDouble(in range: Range<Double>) -> Double {
        let value = range.lowerBound + (range.upperBound - range.lowerBound) * nextDouble()
        return value < range.upperBound ? value : range.upperBound.nextDown
    }

    /// A uniform `Float` in `range` (`lowerBound + (upperBound − lowerBound) · nextFloat()`, kept below the bound).
    public mutating func nextFloat(in range: Range<Float>) -> Float {
        let value = range.lowerBound + (range.upperBound - range.lowerBound) * nextFloat()
        return value < range.upperBound ? value : range.upperBound.nextDown
    }

    /// A uniform integer in `0..<bound` (`bound > 0`), without bias (Lemire 2019).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A standard normal sample (mean 0, variance 1) by the Box–Muller transform.
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1 - nextDouble()  // in (0, 1]: the logarithm stays finite
        let u2 = nextDouble()
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = radius * sin(angle)
        return radius * cos(angle)
    }

    /// A normal sample with the given mean and standard deviation.
    public mutating func nextNormal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * nextNormal()
    }

    /// A normal sample as `Float` (computed in `Double`, then rounded).
    public mutating func nextNormalFloat(mean: Float = 0, standardDeviation: Float = 1) -> Float {
        Float(nextNormal(mean: Double(mean), standardDeviation: Double(standardDeviation)))
    }

    /// Shuffles `elements` in place by the Fisher–Yates method (from the last position down, each swapped with a
    /// position drawn by ``nextInt(below:)``).
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            if i != j { elements.swapAt(i, j) }
        }
    }

    /// Advances the generator by 2^128 steps, as if ``next()`` had been called 2^128 times.
    ///
    /// Jumping a copy k times gives k non-overlapping streams for parallel work.
    public mutating func jump() {
        let polynomial: [UInt64] = [
            0x180E_C6D3_3CFD_0ABA, 0xD5A6_1266_F0C9_392C, 0xA958_2618_E03F_C9AA, 0x39AB_DC45_29B1_661C,
        ]
        var (t0, t1, t2, t3): (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for word in polynomial {
            for bit in 0..<64 {
                if word & (1 << UInt64(bit)) != 0 {
                    t0 ^= s0
                    t1 ^= s1
                    t2 ^= s2
                    t3 ^= s3
                }
                _ = next()
            }
        }
        (s0, s1, s2, s3) = (t0, t1, t2, t3)
        spareNormal = nil
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
