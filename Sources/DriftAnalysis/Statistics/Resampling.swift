package import DriftCore

/// Bootstrap and permutation machinery: percentile intervals, two-sample permutation tests, Holm's correction.
///
/// Every routine has two entry points: one that draws its resamples from a seed, and a package-level one that takes
/// the resamples (index arrays) as given, so tests can feed the exact resamples of an independent implementation.
/// Seeded resamples come from DriftCore's ``SeededRandom`` (xoshiro256**): bootstrap indices by `nextInt(below:)`,
/// permutations by Fisher–Yates as its `shuffle` does. The seeded forms draw each resample as it is used instead of
/// storing them all, and give exactly what the index-array forms give on the same draws.
public enum Resampling {
    /// A point estimate with a percentile bootstrap interval.
    public struct Interval: Sendable, Equatable {
        /// The statistic on the original data.
        public var estimate: Double
        /// Lower end of the interval (the `(1 − confidence)/2` quantile of the bootstrap distribution).
        public var low: Double
        /// Upper end of the interval (the `(1 + confidence)/2` quantile).
        public var high: Double
    }

    /// Percentile bootstrap interval of the mean of `values` (resampling with replacement, linear quantiles).
    ///
    /// - Parameters:
    ///   - resamples: number of bootstrap resamples (default 10,000).
    ///   - confidence: coverage of the interval, e.g. 0.95.
    ///   - seed: seeds the resampling; equal seeds give equal intervals.
    public static func bootstrapMean(
        _ values: [Double], resamples: Int = 10_000, confidence: Double = 0.95, seed: UInt64
    ) -> Interval {
        var generator = SeededRandom(seed: seed)
        return bootstrapMean(values, resamples: resamples, confidence: confidence, generator: &generator)
    }

    /// As the seeded form, drawing from `generator` (which advances by `resamples × values.count` draws).
    package static func bootstrapMean(
        _ values: [Double], resamples: Int, confidence: Double, generator: inout SeededRandom
    ) -> Interval {
        let n = values.count
        var statistics = [Double](repeating: 0, count: resamples)
        values.withUnsafeBufferPointer { values in
            for r in 0..<resamples {
                var sum = 0.0
                for _ in 0..<n { sum += values[generator.nextInt(below: n)] }
                statistics[r] = sum / Double(n)
            }
        }
        return interval(estimate: Descriptive.mean(values), statistics: statistics, confidence: confidence)
    }

    /// As the seeded form, over given resamples (each an index array into `values`).
    package static func bootstrapMean(_ values: [Double], indices: [[Int]], confidence: Double) -> Interval {
        let statistics = indices.map { sample in
            var sum = 0.0
            for i in sample { sum += values[i] }
            return sum / Double(sample.count)
        }
        return interval(estimate: Descriptive.mean(values), statistics: statistics, confidence: confidence)
    }

    /// Ratio of means `mean(numerator) / mean(denominator)` over paired values (the same concepts in two variant
    /// pairs), with a percentile bootstrap interval resampling concepts (pairs kept together).
    /// - Throws: ``DriftError`` when the arrays differ in length or are empty.
    public static func bootstrapMeanRatio(
        numerator: [Double], denominator: [Double], resamples: Int = 10_000, confidence: Double = 0.95, seed: UInt64
    ) throws -> Interval {
        guard numerator.count == denominator.count, !numerator.isEmpty else {
            throw DriftError(
                .invalidArgument,
                "a drift ratio needs the same concepts in both pairs (\(numerator.count) vs \(denominator.count))")
        }
        var generator = SeededRandom(seed: seed)
        let n = numerator.count
        var statistics = [Double](repeating: 0, count: resamples)
        for r in 0..<resamples {
            var top = 0.0, bottom = 0.0
            for _ in 0..<n {
                let i = generator.nextInt(below: n)
                top += numerator[i]
                bottom += denominator[i]
            }
            statistics[r] = top / bottom
        }
        let estimate = numerator.reduce(0, +) / denominator.reduce(0, +)
        return interval(estimate: estimate, statistics: statistics, confidence: confidence)
    }

    /// As the seeded form, over given resamples.
    package static func bootstrapMeanRatio(
        numerator: [Double], denominator: [Double], indices: [[Int]], confidence: Double
    ) -> Interval {
        let statistics = indices.map { sample -> Double in
            var top = 0.0, bottom = 0.0
            for i in sample {
                top += numerator[i]
                bottom += denominator[i]
            }
            return top / bottom
        }
        let estimate = numerator.reduce(0, +) / denominator.reduce(0, +)
        return interval(estimate: estimate, statistics: statistics, confidence: confidence)
    }

    /// Two-sided permutation test of the difference of means `mean(a) − mean(b)`.
    ///
    /// - Returns: the observed difference and `p = (1 + #{|d*| ≥ |d|}) / (1 + permutations)` (never 0).
    public static func permutationTest(
        _ a: [Double], _ b: [Double], permutations: Int = 10_000, seed: UInt64
    ) -> (difference: Double, pValue: Double) {
        var generator = SeededRandom(seed: seed)
        return permutationTest(a, b, permutations: permutations, generator: &generator)
    }

    /// As the seeded form, drawing from `generator`: each permutation of the pooled sample is the identity shuffled
    /// by Fisher–Yates (from the last position down, each swapped with a position drawn by `nextInt(below:)`).
    package static func permutationTest(
        _ a: [Double], _ b: [Double], permutations: Int, generator: inout SeededRandom
    ) -> (difference: Double, pValue: Double) {
        let test = PermutationTest(a, b)
        let count = a.count + b.count
        var extreme = 0
        var order = [Int](repeating: 0, count: count)
        order.withUnsafeMutableBufferPointer { order in
            for _ in 0..<permutations {
                for i in 0..<count { order[i] = i }
                var i = count - 1
                while i > 0 {
                    let j = generator.nextInt(below: i + 1)
                    if i != j { order.swapAt(i, j) }
                    i -= 1
                }
                if test.isExtreme(UnsafeBufferPointer(order)) { extreme += 1 }
            }
        }
        return (test.observed, Double(extreme + 1) / Double(permutations + 1))
    }

    /// As the seeded form, over given permutations of the pooled sample `a + b` (the first `a.count` go to `a`).
    package static func permutationTest(_ a: [Double], _ b: [Double], orders: [[Int]]) -> (
        difference: Double, pValue: Double
    ) {
        let test = PermutationTest(a, b)
        var extreme = 0
        for order in orders where order.withUnsafeBufferPointer({ test.isExtreme($0) }) { extreme += 1 }
        return (test.observed, Double(extreme + 1) / Double(orders.count + 1))
    }

    /// The difference of means of two samples and whether a relabelling of their pooled values is as extreme.
    struct PermutationTest {
        let pooled: [Double]
        let countA: Int
        let total: Double
        let observed: Double
        let tolerance: Double

        init(_ a: [Double], _ b: [Double]) {
            pooled = a + b
            countA = a.count
            total = pooled.reduce(0, +)
            observed = Descriptive.mean(a) - Descriptive.mean(b)
            tolerance = 1e-12 * max(1, abs(observed))
        }

        /// Whether giving `order`'s first `countA` pooled values to `a` and the rest to `b` differs at least as much.
        func isExtreme(_ order: UnsafeBufferPointer<Int>) -> Bool {
            var sumA = 0.0
            for i in 0..<countA { sumA += pooled[order[i]] }
            let difference = sumA / Double(countA) - (total - sumA) / Double(pooled.count - countA)
            return abs(difference) >= abs(observed) - tolerance
        }
    }

    /// Holm's step-down adjustment of `pValues` (family-wise error), in the input order; each value in [0, 1].
    public static func holm(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    package static func interval(estimate: Double, statistics: [Double], confidence: Double) -> Interval {
        let sorted = statistics.sorted()
        let tail = (1 - confidence) / 2
        return Interval(
            estimate: estimate, low: Descriptive.quantileOfSorted(sorted, tail),
            high: Descriptive.quantileOfSorted(sorted, 1 - tail))
    }
}
