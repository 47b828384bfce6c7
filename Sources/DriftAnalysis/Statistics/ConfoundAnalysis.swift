import DriftCore

/// How strongly one covariate goes with drift (a row of `tables/confounds`).
public struct Confound: Sendable, Equatable {
    /// The covariate's name.
    public var covariate: String
    /// Least-squares slope of drift on the covariate alone, drift per unit of the covariate.
    public var slope: Double
    /// Pearson correlation of covariate and drift, with a percentile bootstrap interval (concepts resampled).
    public var r: Resampling.Interval
    /// Two-sided permutation p-value of `r` (drift permuted over the concepts).
    public var pValue: Double
}

/// Covariate-by-covariate association with drift.
public enum ConfoundAnalysis {
    /// Each covariate (as given, not standardised) against drift.
    ///
    /// A covariate with a non-finite value is left out; a constant one has slope 0 and r NaN. Bootstrap resamples in
    /// which a covariate or drift is constant (r undefined) are left out of its interval.
    ///
    /// Seed order: one `SeededRandom(seed)`, covariate after covariate: `resamples` bootstrap resamples of the
    /// concepts (`nextInt(below:)`), then `permutations` Fisher–Yates shuffles of the concepts.
    ///
    /// - Throws: ``DriftError`` when the counts differ or a drift value is not finite.
    public static func confounds(
        drift: [Double], covariates: CovariateSet, resamples: Int = 10_000, permutations: Int = 10_000,
        confidence: Double = 0.95, seed: UInt64 = 42
    ) throws -> [Confound] {
        try CovariateAdjustment.check(drift, [String](repeating: "", count: drift.count), covariates)
        var generator = SeededRandom(seed: seed)
        let n = drift.count
        return usable(covariates).map { name, x in
            let pair = Pair(x: x, y: drift)
            var statistics = [Double](repeating: 0, count: resamples)
            var sample = [Int](repeating: 0, count: n)
            for r in 0..<resamples {
                for i in 0..<n { sample[i] = generator.nextInt(below: n) }
                statistics[r] = pair.correlation(resample: sample)
            }
            var extreme = 0
            var order = [Int](repeating: 0, count: n)
            order.withUnsafeMutableBufferPointer { order in
                for _ in 0..<permutations {
                    Resampling.shuffleIdentity(order, generator: &generator)
                    if pair.isExtreme(UnsafeBufferPointer(order)) { extreme += 1 }
                }
            }
            return pair.confound(
                name, statistics: statistics, extreme: extreme, permutations: permutations, confidence: confidence)
        }
    }

    /// As the seeded form, with each covariate's bootstrap resamples and permutations given (covariates in order,
    /// after leaving out those with a non-finite value).
    package static func confounds(
        drift: [Double], covariates: CovariateSet, resampleIndices: [[[Int]]], orders: [[[Int]]], confidence: Double
    ) -> [Confound] {
        usable(covariates).enumerated().map { c, column in
            let pair = Pair(x: column.values, y: drift)
            let statistics = resampleIndices[c].map { pair.correlation(resample: $0) }
            let extreme = orders[c].filter { order in order.withUnsafeBufferPointer { pair.isExtreme($0) } }.count
            return pair.confound(
                column.name, statistics: statistics, extreme: extreme, permutations: orders[c].count,
                confidence: confidence)
        }
    }

    private static func usable(_ covariates: CovariateSet) -> [(name: String, values: [Double])] {
        zip(covariates.names, covariates.values).filter { $0.1.allSatisfy(\.isFinite) }.map { ($0.0, $0.1) }
    }

    /// A covariate and drift, centred once.
    private struct Pair {
        let x: [Double]
        let y: [Double]
        let cx: [Double]
        let cy: [Double]
        let sxx: Double
        let syy: Double
        let observed: Double
        let slope: Double

        init(x: [Double], y: [Double]) {
            self.x = x
            self.y = y
            let mx = Descriptive.mean(x), my = Descriptive.mean(y)
            cx = x.map { $0 - mx }
            cy = y.map { $0 - my }
            sxx = LeastSquares.dot(cx, cx)
            syy = LeastSquares.dot(cy, cy)
            let sxy = LeastSquares.dot(cx, cy)
            slope = sxx > 0 ? sxy / sxx : 0
            observed = sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
        }

        /// Pearson r over the concepts `sample` (with repetitions); NaN when either side is constant there.
        func correlation(resample sample: [Int]) -> Double {
            let n = Double(sample.count)
            var mx = 0.0, my = 0.0
            for i in sample {
                mx += x[i]
                my += y[i]
            }
            mx /= n
            my /= n
            var sxx = 0.0, syy = 0.0, sxy = 0.0
            for i in sample {
                let dx = x[i] - mx, dy = y[i] - my
                sxx += dx * dx
                syy += dy * dy
                sxy += dx * dy
            }
            return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
        }

        /// Whether pairing `x[i]` with `y[order[i]]` correlates at least as strongly (in absolute value).
        func isExtreme(_ order: UnsafeBufferPointer<Int>) -> Bool {
            guard observed.isFinite else { return true }
            var sxy = 0.0
            for i in 0..<cx.count { sxy += cx[i] * cy[order[i]] }
            let r = sxy / (sxx * syy).squareRoot()
            return abs(r) >= abs(observed) - 1e-12
        }

        func confound(
            _ name: String, statistics: [Double], extreme: Int, permutations: Int, confidence: Double
        ) -> Confound {
            let finite = statistics.filter(\.isFinite)
            let interval =
                finite.isEmpty || !observed.isFinite
                ? Resampling.Interval(estimate: observed, low: .nan, high: .nan)
                : Resampling.interval(estimate: observed, statistics: finite, confidence: confidence)
            return Confound(
                covariate: name, slope: slope, r: interval,
                pValue: Double(extreme + 1) / Double(permutations + 1))
        }
    }
}
