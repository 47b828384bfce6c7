package import DriftCore

/// Category differences in drift after accounting for covariates: the same pairwise comparisons as
/// ``CategoryAnalysis/pairwiseTests(drift:categories:permutations:seed:)``, in a linear model with the covariates.
///
/// For each pair of categories `A`, `B` (in order of first appearance, `A` before `B`), over the concepts of the two:
/// `drift = β₀ + Σ βⱼ·zⱼ + γ·[concept in A]`, with the covariates `zⱼ` standardised over all concepts. `γ` is the
/// adjusted difference `A − B`. It is tested by Freedman–Lane permutation: fit the reduced model (intercept and
/// covariates), permute its residuals over the pooled concepts, add them back to its fitted values, refit the full
/// model and compare `|γ*|` with `|γ|`; `p = (1 + #{|γ*| ≥ |γ|}) / (1 + permutations)`, Holm-corrected across the
/// pairs. The permutation of the pooled concepts (`A`'s first, then `B`'s) is drawn exactly as the raw test draws
/// it, so with the same seed both tests see the same permutations.
///
/// Adjusted category means: the full model over all concepts with one indicator per category,
/// `drift = β₀ + Σ βⱼ·zⱼ + category effects`; each concept's drift minus its covariates' effect measured from the
/// covariates' grand mean, `drift − Σ βⱼ (zⱼ − z̄ⱼ)`; the per-category statistics of those values, the interval a
/// percentile bootstrap of them (conditional on the fitted slopes).
///
/// Constant and collinear covariates are dropped (with a note), never fatal.
public struct CovariateAdjustment: Sendable {
    /// Adjusted pairwise comparisons (`difference` is `γ`), Holm-corrected; a pair whose indicator the covariates
    /// span (no adjusted contrast exists) has a NaN difference and p = 1.
    public var tests: [CategoryComparison]
    /// Per-category statistics of the covariate-adjusted drift.
    public var statistics: [CategoryStatistics]
    /// The covariates used (after screening), in order.
    public var covariates: [String]
    /// The slope of each used covariate in the full model, drift per standard deviation.
    public var slopes: [Double]
    /// Each concept's adjusted drift.
    public var adjusted: [Double]
    /// What was dropped and why.
    public var notes: [String]

    /// Runs the adjusted tests and statistics.
    ///
    /// Seed order: the tests draw from `SeededRandom(seed)` pair after pair, `permutations` Fisher–Yates shuffles of
    /// each pair's pooled concepts (as the raw tests); the adjusted statistics draw from a second `SeededRandom(seed)`
    /// category after category, `resamples` bootstrap resamples each (as the raw statistics).
    ///
    /// - Parameters:
    ///   - drift: one value per concept; `categories`: the category of each.
    ///   - covariates: raw covariate values (standardised here).
    /// - Throws: ``DriftError`` when the counts differ or a drift value is not finite.
    public init(
        drift: [Double], categories: [String], covariates: CovariateSet, permutations: Int = 10_000,
        resamples: Int = 10_000, confidence: Double = 0.95, seed: UInt64 = 42
    ) throws {
        try Self.check(drift, categories, covariates)
        var generator = SeededRandom(seed: seed)
        var bootstrap = SeededRandom(seed: seed)
        self.init(
            drift: drift, categories: categories, covariates: covariates,
            test: { model in model.pValue(permutations: permutations, generator: &generator) },
            interval: { values in
                Resampling.bootstrapMean(
                    values, resamples: resamples, confidence: confidence, generator: &bootstrap)
            })
    }

    /// The raw category analysis and the adjusted one in one pass: each permutation and bootstrap resample is drawn
    /// once and used for both, which gives exactly what
    /// ``CategoryAnalysis/statistics(drift:categories:resamples:confidence:seed:)``,
    /// ``CategoryAnalysis/pairwiseTests(drift:categories:permutations:seed:)`` and the seeded initialiser give with
    /// the same seed (their draws are the same), at little more than the raw analysis' cost.
    ///
    /// - Throws: ``DriftError`` when the counts differ or a drift value is not finite.
    package static func withRaw(
        drift: [Double], categories: [String], covariates: CovariateSet, permutations: Int, resamples: Int,
        confidence: Double, seed: UInt64
    ) throws -> (statistics: [CategoryStatistics], tests: [CategoryComparison], adjusted: CovariateAdjustment) {
        try check(drift, categories, covariates)
        var generator = SeededRandom(seed: seed)
        var bootstrap = SeededRandom(seed: seed)
        let groups = CategoryAnalysis.groups(categories)
        var rawTests: [CategoryComparison] = []
        var rawIntervals: [Resampling.Interval] = []
        let adjusted = CovariateAdjustment(
            drift: drift, categories: categories, covariates: covariates,
            test: { model in
                let raw = Resampling.PermutationTest(
                    Array(model.y[..<model.countA]), Array(model.y[model.countA...]))
                var extremeRaw = 0, extreme = 0
                var order = [Int](repeating: 0, count: model.y.count)
                order.withUnsafeMutableBufferPointer { order in
                    for _ in 0..<permutations {
                        Resampling.shuffleIdentity(order, generator: &generator)
                        let view = UnsafeBufferPointer(order)
                        if raw.isExtreme(view) { extremeRaw += 1 }
                        if model.isExtreme(view) { extreme += 1 }
                    }
                }
                let g = rawTests.count
                let (a, b) = Self.pairIndices(g, groups: groups.count)
                rawTests.append(
                    CategoryComparison(
                        categoryA: groups[a].category, categoryB: groups[b].category, difference: raw.observed,
                        pValue: Double(extremeRaw + 1) / Double(permutations + 1), pHolm: 0))
                return model.observed.isFinite ? Double(extreme + 1) / Double(permutations + 1) : 1
            },
            interval: { values in
                let rawValues = groups[rawIntervals.count].indices.map { drift[$0] }
                let n = values.count
                var rawMeans = [Double](repeating: 0, count: resamples)
                var means = [Double](repeating: 0, count: resamples)
                for r in 0..<resamples {
                    var sumRaw = 0.0, sum = 0.0
                    for _ in 0..<n {
                        let j = bootstrap.nextInt(below: n)
                        sumRaw += rawValues[j]
                        sum += values[j]
                    }
                    rawMeans[r] = sumRaw / Double(n)
                    means[r] = sum / Double(n)
                }
                rawIntervals.append(
                    Resampling.interval(
                        estimate: Descriptive.mean(rawValues), statistics: rawMeans, confidence: confidence))
                return Resampling.interval(
                    estimate: Descriptive.mean(values), statistics: means, confidence: confidence)
            })
        let holm = Resampling.holm(rawTests.map(\.pValue))
        for i in rawTests.indices { rawTests[i].pHolm = holm[i] }
        var g = 0
        let statistics = CategoryAnalysis.statistics(drift: drift, categories: categories) { _ in
            defer { g += 1 }
            return rawIntervals[g]
        }
        return (statistics, rawTests, adjusted)
    }

    /// The `(a, b)` category indices of the `index`-th pair in the tests' order.
    private static func pairIndices(_ index: Int, groups: Int) -> (Int, Int) {
        var k = 0
        for a in 0..<groups {
            for b in (a + 1)..<max(a + 1, groups) {
                if k == index { return (a, b) }
                k += 1
            }
        }
        return (0, 0)
    }

    /// As the seeded form, with each pair's permutations and each category's bootstrap resamples given.
    package init(
        drift: [Double], categories: [String], covariates: CovariateSet, orders: [[[Int]]],
        resampleIndices: [[[Int]]], confidence: Double
    ) {
        var pair = 0
        var group = 0
        self.init(
            drift: drift, categories: categories, covariates: covariates,
            test: { model in
                defer { pair += 1 }
                return model.pValue(orders: orders[pair])
            },
            interval: { values in
                defer { group += 1 }
                return Resampling.bootstrapMean(values, indices: resampleIndices[group], confidence: confidence)
            })
    }

    private init(
        drift: [Double], categories: [String], covariates raw: CovariateSet, test: (FreedmanLane) -> Double,
        interval: ([Double]) -> Resampling.Interval
    ) {
        let (covariates, screeningNotes) = raw.screened()
        var notes = screeningNotes
        let groups = CategoryAnalysis.groups(categories)
        var droppedInPairs = Set<String>()
        var results: [CategoryComparison] = []
        for a in 0..<groups.count {
            for b in (a + 1)..<max(a + 1, groups.count) {
                let indices = groups[a].indices + groups[b].indices
                let model = FreedmanLane(
                    y: indices.map { drift[$0] }, countA: groups[a].indices.count,
                    covariates: covariates.subset(indices))
                for d in model.droppedCovariates { droppedInPairs.insert(covariates.names[d]) }
                let p = test(model)
                if !model.observed.isFinite {
                    notes.append(
                        "adjusted \(groups[a].category) vs \(groups[b].category): the covariates determine the "
                            + "category, so no adjusted difference exists (p = 1)")
                }
                results.append(
                    CategoryComparison(
                        categoryA: groups[a].category, categoryB: groups[b].category, difference: model.observed,
                        pValue: p, pHolm: 0))
            }
        }
        for name in covariates.names where droppedInPairs.contains(name) {
            notes.append(
                "covariate \(name) left out of some adjusted pair tests: within those two categories it is constant "
                    + "or a combination of the other covariates")
        }
        let adjustedP = Resampling.holm(results.map(\.pValue))
        for i in results.indices { results[i].pHolm = adjustedP[i] }
        tests = results

        // The full model over all concepts: intercept, one indicator per category after the first, covariates.
        var columns: [[Double]] = [[Double](repeating: 1, count: drift.count)]
        for group in groups.dropFirst() {
            var indicator = [Double](repeating: 0, count: drift.count)
            for i in group.indices { indicator[i] = 1 }
            columns.append(indicator)
        }
        let firstCovariate = columns.count
        columns += covariates.values
        let fit = LeastSquares(columns: columns, count: drift.count)
        let beta = fit.coefficients(drift)
        var adjusted = drift
        var slopes: [Double] = []
        for (c, column) in covariates.values.enumerated() {
            let slope = beta[firstCovariate + c]
            slopes.append(slope)
            let mean = Descriptive.mean(column)
            for i in adjusted.indices { adjusted[i] -= slope * (column[i] - mean) }
        }
        for d in fit.dropped where d >= firstCovariate {
            notes.append(
                "covariate \(covariates.names[d - firstCovariate]) left out of the adjusted means: the categories "
                    + "and the other covariates already determine it")
        }
        self.adjusted = adjusted
        self.slopes = slopes
        self.covariates = covariates.names
        self.notes = notes
        statistics = CategoryAnalysis.statistics(drift: adjusted, categories: categories, interval: interval)
    }

    static func check(_ drift: [Double], _ categories: [String], _ covariates: CovariateSet) throws {
        guard drift.count == categories.count, !drift.isEmpty else {
            throw DriftError(.invalidArgument, "\(drift.count) drift values but \(categories.count) category labels")
        }
        if let bad = drift.firstIndex(where: { !$0.isFinite }) {
            throw DriftError(.invalidArgument, "drift of concept \(bad) is \(drift[bad]); every value must be finite")
        }
        try covariates.validate(count: drift.count)
    }
}

/// One Freedman–Lane test of a category indicator given covariates, over a pooled sample (the first `countA` in `A`).
package struct FreedmanLane: Sendable {
    /// `γ`, the full model's coefficient of the indicator (NaN when the covariates span the indicator).
    package let observed: Double
    /// Indices of the covariates the reduced model dropped (constant or collinear here).
    package let droppedCovariates: [Int]
    /// The pooled values, `A`'s first.
    let y: [Double]
    /// How many of them are in `A`.
    let countA: Int
    /// The reduced model's residuals.
    let residuals: [Double]
    /// `d̃ / (d̃·d̃)`, with `d̃` the indicator's residual on the reduced model: `γ = weights · y`.
    let weights: [Double]
    let tolerance: Double

    /// Sets up the test of `y` (pooled values) on `covariates` (each with one value per pooled value).
    package init(y: [Double], countA: Int, covariates: [[Double]]) {
        let n = y.count
        self.y = y
        self.countA = countA
        let reduced = LeastSquares(columns: [[Double](repeating: 1, count: n)] + covariates, count: n)
        droppedCovariates = reduced.dropped.filter { $0 > 0 }.map { $0 - 1 }
        residuals = reduced.residuals(y)
        let indicator = (0..<n).map { $0 < countA ? 1.0 : 0.0 }
        let d = reduced.residuals(indicator)
        let dd = LeastSquares.dot(d, d)
        if dd > 1e-18 * Double(countA) && countA > 0 && countA < n {
            weights = d.map { $0 / dd }
            observed = LeastSquares.dot(weights, y)
        } else {
            weights = [Double](repeating: 0, count: n)
            observed = .nan
        }
        tolerance = 1e-12 * max(1, abs(observed))
    }

    /// Whether the permuted residuals `residuals[order[i]]` give a `|γ*|` at least `|γ|`.
    func isExtreme(_ order: UnsafeBufferPointer<Int>) -> Bool {
        let sum = weights.withUnsafeBufferPointer { w in
            residuals.withUnsafeBufferPointer { e in
                var sum = 0.0
                for i in 0..<w.count { sum += w[i] * e[order[i]] }
                return sum
            }
        }
        return abs(sum) >= abs(observed) - tolerance
    }

    /// The p-value over given permutations of the pooled sample (1 when there is no adjusted contrast).
    package func pValue(orders: [[Int]]) -> Double {
        guard observed.isFinite else { return 1 }
        var extreme = 0
        for order in orders where order.withUnsafeBufferPointer({ isExtreme($0) }) { extreme += 1 }
        return Double(extreme + 1) / Double(orders.count + 1)
    }

    /// The p-value over `permutations` Fisher–Yates shuffles drawn from `generator` (drawn even when there is no
    /// adjusted contrast, so later pairs see the same draws either way).
    package func pValue(permutations: Int, generator: inout SeededRandom) -> Double {
        var extreme = 0
        var order = [Int](repeating: 0, count: weights.count)
        order.withUnsafeMutableBufferPointer { order in
            for _ in 0..<permutations {
                Resampling.shuffleIdentity(order, generator: &generator)
                if isExtreme(UnsafeBufferPointer(order)) { extreme += 1 }
            }
        }
        guard observed.isFinite else { return 1 }
        return Double(extreme + 1) / Double(permutations + 1)
    }
}
