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
    /// Seed order: one `SeededRandom(seed)`: `resamples` bootstrap resamples of the concepts (`nextInt(below:)`),
    /// then `permutations` Fisher–Yates shuffles of the concepts; every covariate is evaluated on the same
    /// resamples and the same permutations.
    ///
    /// - Throws: ``DriftError`` when the counts differ or a drift value is not finite.
    public static func confounds(
        drift: [Double], covariates: CovariateSet, resamples: Int = 10_000, permutations: Int = 10_000,
        confidence: Double = 0.95, seed: UInt64 = 42
    ) throws -> [Confound] {
        try CovariateAdjustment.check(drift, [String](repeating: "", count: drift.count), covariates)
        var generator = SeededRandom(seed: seed)
        let n = drift.count
        let pairs = usable(covariates).map { Pair(x: $0.values, y: drift) }
        var statistics = [[Double]](repeating: [Double](repeating: 0, count: resamples), count: pairs.count)
        var sample = [Int](repeating: 0, count: n)
        for r in 0..<resamples {
            for i in 0..<n { sample[i] = generator.nextInt(below: n) }
            for (c, pair) in pairs.enumerated() { statistics[c][r] = pair.correlation(resample: sample) }
        }
        var extreme = [Int](repeating: 0, count: pairs.count)
        var order = [Int](repeating: 0, count: n)
        order.withUnsafeMutableBufferPointer { order in
            for _ in 0..<permutations {
                Resampling.shuffleIdentity(order, generator: &generator)
                for (c, pair) in pairs.enumerated() where pair.isExtreme(UnsafeBufferPointer(order)) { extreme[c] += 1 }
            }
        }
        return zip(usable(covariates), pairs).enumerated().map { c, item in
            item.1.confound(
                item.0.name, statistics: statistics[c], extreme: extreme[c], permutations: permutations,
                confidence: confidence)
        }
    }

    /// As the seeded form, with the bootstrap resamples and the permutations (shared by every covariate) given.
    package static func confounds(
        drift: [Double], covariates: CovariateSet, resampleIndices: [[Int]], orders: [[Int]], confidence: Double
    ) -> [Confound] {
        usable(covariates).map { column in
            let pair = Pair(x: column.values, y: drift)
            let statistics = resampleIndices.map { pair.correlation(resample: $0) }
            let extreme = orders.filter { order in order.withUnsafeBufferPointer { pair.isExtreme($0) } }.count
            return pair.confound(
                column.name, statistics: statistics, extreme: extreme, permutations: orders.count,
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

        /// Pearson r over the concepts `sample` (with repetitions), in one pass over the centred values; NaN when
        /// either side is constant there.
        func correlation(resample sample: [Int]) -> Double {
            var sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
            for i in sample {
                let dx = cx[i], dy = cy[i]
                sx += dx
                sy += dy
                sxx += dx * dx
                syy += dy * dy
                sxy += dx * dy
            }
            let n = Double(sample.count)
            let vxx = sxx - sx * sx / n, vyy = syy - sy * sy / n, vxy = sxy - sx * sy / n
            return vxx > 1e-14 * sxx && vyy > 1e-14 * syy ? vxy / (vxx * vyy).squareRoot() : .nan
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
