package import DriftCore

/// Spearman's rank correlation of two paired samples, with a percentile bootstrap interval that resamples the pairs.
///
/// Ranks are scipy's `rankdata(method="average")` (ties share their mean rank), and the correlation is Pearson's
/// over the ranks, as `scipy.stats.spearmanr` computes it. A bootstrap resample whose ranks are constant in either
/// sample has no correlation and is left out of the interval.
public enum RankCorrelation {
    /// Spearman's ρ of `x` and `y` (NaN when either is constant).
    ///
    /// - Throws: ``DriftCore/DriftError`` when the samples differ in length, have fewer than 3 pairs, or hold a value
    ///   that is not finite.
    public static func spearman(_ x: [Double], _ y: [Double]) throws -> Double {
        try check(x, y)
        return pearson(ranks(x), ranks(y))
    }

    /// Spearman's ρ with its percentile bootstrap interval over `resamples` resamples of the pairs.
    ///
    /// - Throws: as ``spearman(_:_:)``.
    public static func bootstrapSpearman(
        _ x: [Double], _ y: [Double], resamples: Int = 10_000, confidence: Double = 0.95, seed: UInt64 = 42
    ) throws -> Resampling.Interval {
        try check(x, y)
        var generator = SeededRandom(seed: seed)
        let n = x.count
        var statistics: [Double] = []
        statistics.reserveCapacity(resamples)
        var sample = [Int](repeating: 0, count: n)
        for _ in 0..<resamples {
            for i in 0..<n { sample[i] = generator.nextInt(below: n) }
            let rho = pearson(ranks(sample.map { x[$0] }), ranks(sample.map { y[$0] }))
            if rho.isFinite { statistics.append(rho) }
        }
        let estimate = pearson(ranks(x), ranks(y))
        guard !statistics.isEmpty else { return Resampling.Interval(estimate: estimate, low: .nan, high: .nan) }
        return Resampling.interval(
            estimate: pearson(ranks(x), ranks(y)), statistics: statistics, confidence: confidence)
    }

    /// As the seeded form, over given resamples (each an index array into the pairs).
    package static func bootstrapSpearman(
        _ x: [Double], _ y: [Double], indices: [[Int]], confidence: Double
    ) -> Resampling.Interval {
        let statistics = indices.map { sample in pearson(ranks(sample.map { x[$0] }), ranks(sample.map { y[$0] })) }
            .filter(\.isFinite)
        guard !statistics.isEmpty else {
            return Resampling.Interval(estimate: pearson(ranks(x), ranks(y)), low: .nan, high: .nan)
        }
        return Resampling.interval(
            estimate: pearson(ranks(x), ranks(y)), statistics: statistics, confidence: confidence)
    }

    /// Ranks from 1, ties sharing the mean of the ranks they span.
    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var result = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for k in start...end { result[order[k]] = rank }
            start = end + 1
        }
        return result
    }

    /// Pearson's correlation (NaN when either sample is constant).
    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let meanX = x.reduce(0, +) / n
        let meanY = y.reduce(0, +) / n
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for i in x.indices {
            let dx = x[i] - meanX
            let dy = y[i] - meanY
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return .nan }
        return sxy / (sxx * syy).squareRoot()
    }

    private static func check(_ x: [Double], _ y: [Double]) throws {
        guard x.count == y.count else {
            throw DriftError(.invalidArgument, "a rank correlation needs paired samples (\(x.count) vs \(y.count))")
        }
        guard x.count >= 3 else {
            throw DriftError(.invalidArgument, "a rank correlation needs at least 3 pairs (got \(x.count))")
        }
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else {
            throw DriftError(.invalidArgument, "a rank correlation needs finite values")
        }
    }
}
