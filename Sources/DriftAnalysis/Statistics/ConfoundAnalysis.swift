import DriftCore

/// How strongly one covariate goes with drift (a row of `tables/confounds`).
public struct Confound: Sendable, Equatable {
    /// The covariate's name.
    public var covariate: String
    /// Least-squares slope of drift on the covariate alone, drift per unit of the covariate.
    public var slope: Double
    /// Pearson correlation of covariate and drift, with a percentile bootstrap interval (concepts resampled).
    public var r: Resampling.Interval
    /// Two-sided p-value of `r` (Student's t test of r = 0, n − 2 degrees of freedom).
    public var pValue: Double
}

/// Covariate-by-covariate association with drift.
public enum ConfoundAnalysis {
    /// Each covariate (as given, not standardised) against drift.
    ///
    /// A covariate with a non-finite value is left out; a constant one has slope 0, r NaN and p 1. Bootstrap
    /// resamples in which a covariate or drift is constant (r undefined) are left out of its interval. The p-value is
    /// the exact two-sided test of r = 0 for normal data (Student's t with n − 2 degrees of freedom, as
    /// `scipy.stats.pearsonr`).
    ///
    /// Seed order: one `SeededRandom(seed)`: `resamples` bootstrap resamples of the concepts (`nextInt(below:)`),
    /// every covariate evaluated on the same resamples.
    ///
    /// - Throws: ``DriftError`` when the counts differ or a drift value is not finite.
    public static func confounds(
        drift: [Double], covariates: CovariateSet, resamples: Int = 10_000, confidence: Double = 0.95,
        seed: UInt64 = 42
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
        return zip(usable(covariates), pairs).enumerated().map { c, item in
            item.1.confound(item.0.name, statistics: statistics[c], confidence: confidence)
        }
    }

    /// As the seeded form, with the bootstrap resamples (shared by every covariate) given.
    package static func confounds(
        drift: [Double], covariates: CovariateSet, resampleIndices: [[Int]], confidence: Double
    ) -> [Confound] {
        usable(covariates).map { column in
            let pair = Pair(x: column.values, y: drift)
            return pair.confound(
                column.name, statistics: resampleIndices.map { pair.correlation(resample: $0) },
                confidence: confidence)
        }
    }

    /// The two-sided p-value of a Pearson correlation `r` over `n` pairs under independence of normal data:
    /// `I_{df/(df+t²)}(df/2, 1/2)` with `t = r·√(df/(1 − r²))`, `df = n − 2` (1 when r is undefined or n < 3).
    package static func correlationPValue(_ r: Double, count n: Int) -> Double {
        guard r.isFinite, n > 2 else { return 1 }
        let df = Double(n - 2)
        let r2 = min(r * r, 1)
        guard r2 < 1 else { return 0 }
        // df/(df + t²) = 1 − r².
        return SpecialFunctions.regularizedIncompleteBeta(df / 2, 0.5, 1 - r2)
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

        func confound(_ name: String, statistics: [Double], confidence: Double) -> Confound {
            let finite = statistics.filter(\.isFinite)
            let interval =
                finite.isEmpty || !observed.isFinite
                ? Resampling.Interval(estimate: observed, low: .nan, high: .nan)
                : Resampling.interval(estimate: observed, statistics: finite, confidence: confidence)
            return Confound(
                covariate: name, slope: slope, r: interval,
                pValue: ConfoundAnalysis.correlationPValue(observed, count: x.count))
        }
    }
}
