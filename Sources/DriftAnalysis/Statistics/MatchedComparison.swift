import DriftCore

/// Two categories compared on concepts matched on the covariates: a model-free check of an adjusted difference.
///
/// Every concept of `A` is matched to the concept of `B` nearest to it in Euclidean distance over the covariates
/// standardised across all concepts (with replacement; ties go to the earlier concept of `B`). The difference is the
/// mean over `A`'s concepts of `drift(a) − drift(match(a))`, with a percentile bootstrap interval resampling the
/// matched pairs. Balance per covariate is the standardised mean difference
/// `(mean_A − mean_B) / √((s²_A + s²_B)/2)` before matching and, with the same denominator, after
/// (`B` replaced by the matches); NaN for a covariate constant within both categories (standard deviations below
/// 1e-12).
public struct MatchedComparison: Sendable, Equatable {
    /// Balance of one covariate.
    public struct Balance: Sendable, Equatable {
        /// The covariate.
        public var covariate: String
        /// Standardised mean difference before matching.
        public var before: Double
        /// Standardised mean difference after matching.
        public var after: Double
    }

    /// First category (every concept of it is matched).
    public var categoryA: String
    /// Second category (the pool matches are drawn from).
    public var categoryB: String
    /// Concepts in `A`.
    public var countA: Int
    /// Distinct concepts of `B` used as matches.
    public var matchedB: Int
    /// `mean(A) − mean(B)` before matching.
    public var rawDifference: Double
    /// Mean matched difference with its bootstrap interval.
    public var difference: Resampling.Interval
    /// Balance of every covariate used.
    public var balance: [Balance]
    /// For every concept of `A` (in order), the index (into all concepts) of its match.
    public var matches: [Int]

    /// Every pair of categories (as the category tests order them), matched on `covariates` (screened as
    /// ``CovariateSet/screened()`` does; empty when none is usable).
    ///
    /// Seed order: one `SeededRandom(seed)`, pair after pair, `resamples` resamples of `A`'s matched pairs each.
    ///
    /// - Throws: ``DriftError`` when the counts differ or a drift value is not finite.
    public static func all(
        drift: [Double], categories: [String], covariates: CovariateSet, resamples: Int = 10_000,
        confidence: Double = 0.95, seed: UInt64 = 42
    ) throws -> [MatchedComparison] {
        try CovariateAdjustment.check(drift, categories, covariates)
        var generator = SeededRandom(seed: seed)
        return all(drift: drift, categories: categories, covariates: covariates) { differences in
            Resampling.bootstrapMean(
                differences, resamples: resamples, confidence: confidence, generator: &generator)
        }
    }

    /// As the seeded form, with each pair's resamples (indices into `A`'s matched pairs) given.
    package static func all(
        drift: [Double], categories: [String], covariates: CovariateSet, resampleIndices: [[[Int]]],
        confidence: Double
    ) -> [MatchedComparison] {
        var pair = 0
        return all(drift: drift, categories: categories, covariates: covariates) { differences in
            defer { pair += 1 }
            return Resampling.bootstrapMean(differences, indices: resampleIndices[pair], confidence: confidence)
        }
    }

    private static func all(
        drift: [Double], categories: [String], covariates raw: CovariateSet,
        interval: ([Double]) -> Resampling.Interval
    ) -> [MatchedComparison] {
        let covariates = raw.screened().set
        guard !covariates.isEmpty else { return [] }
        let groups = CategoryAnalysis.groups(categories)
        var results: [MatchedComparison] = []
        for a in 0..<groups.count {
            for b in (a + 1)..<max(a + 1, groups.count) {
                let ia = groups[a].indices, ib = groups[b].indices
                let matches = ia.map { i in
                    var best = ib[0]
                    var bestDistance = Double.infinity
                    for j in ib {
                        var distance = 0.0
                        for column in covariates.values {
                            let d = column[i] - column[j]
                            distance += d * d
                        }
                        if distance < bestDistance {
                            bestDistance = distance
                            best = j
                        }
                    }
                    return best
                }
                let differences = zip(ia, matches).map { drift[$0] - drift[$1] }
                let balance = zip(covariates.names, covariates.values).map { name, column in
                    let xa = ia.map { column[$0] }, xb = ib.map { column[$0] }
                    let va = Descriptive.sampleStandardDeviation(xa), vb = Descriptive.sampleStandardDeviation(xb)
                    // A covariate constant within both categories has no standardised difference (NaN).
                    let pooled = ((square(va) + square(vb)) / 2).squareRoot()
                    let scale = pooled > 1e-12 ? pooled : .nan
                    let meanA = Descriptive.mean(xa)
                    return Balance(
                        covariate: name, before: (meanA - Descriptive.mean(xb)) / scale,
                        after: (meanA - Descriptive.mean(matches.map { column[$0] })) / scale)
                }
                results.append(
                    MatchedComparison(
                        categoryA: groups[a].category, categoryB: groups[b].category, countA: ia.count,
                        matchedB: Set(matches).count,
                        rawDifference: Descriptive.mean(ia.map { drift[$0] }) - Descriptive.mean(ib.map { drift[$0] }),
                        difference: interval(differences), balance: balance, matches: matches))
            }
        }
        return results
    }

    private static func square(_ x: Double) -> Double { x.isFinite ? x * x : 0 }
}
