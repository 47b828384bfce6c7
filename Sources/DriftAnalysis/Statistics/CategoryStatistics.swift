import DriftCore

/// Drift statistics of one concept category (a row of `category_drift`).
public struct CategoryStatistics: Sendable, Equatable {
    /// Category name.
    public var category: String
    /// Number of concepts in it.
    public var count: Int
    /// Mean drift with its 95% (or chosen) percentile bootstrap interval.
    public var mean: Resampling.Interval
    /// Median drift.
    public var median: Double
    /// Sample standard deviation (n − 1).
    public var standardDeviation: Double
    /// Largest drift.
    public var maximum: Double
    /// Fraction (0…1) of the category's concepts whose drift is at or above the 0.75 quantile of all concepts' drift
    /// (the reference study's "% in top quartile", divided by 100).
    public var topQuartileShare: Double
}

/// A pairwise comparison of two categories' mean drift (a row of `category_tests`).
public struct CategoryComparison: Sendable, Equatable {
    /// First category.
    public var categoryA: String
    /// Second category.
    public var categoryB: String
    /// `mean(A) − mean(B)`.
    public var difference: Double
    /// Two-sided permutation-test p-value.
    public var pValue: Double
    /// Holm-adjusted p-value over all pairs of this analysis.
    public var pHolm: Double
}

/// Per-category statistics and tests over per-concept drift values.
public enum CategoryAnalysis {
    /// The categories in order of first appearance, each with the indices of its concepts.
    public static func groups(_ categories: [String]) -> [(category: String, indices: [Int])] {
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (i, c) in categories.enumerated() {
            if members[c] == nil { order.append(c) }
            members[c, default: []].append(i)
        }
        return order.map { ($0, members[$0] ?? []) }
    }

    /// Statistics of every category, in order of first appearance.
    ///
    /// - Parameters:
    ///   - drift: one value per concept.
    ///   - categories: the category of every concept (same count).
    ///   - resamples: bootstrap resamples per category; `seed` makes them reproducible.
    /// - Throws: ``DriftError`` when the counts differ or a value is not finite.
    public static func statistics(
        drift: [Double], categories: [String], resamples: Int = 10_000, confidence: Double = 0.95, seed: UInt64 = 42
    ) throws -> [CategoryStatistics] {
        try check(drift, categories)
        var generator = SeededRandom(seed: seed)
        // Each category's resamples are drawn in turn, in the order of the categories.
        return statistics(drift: drift, categories: categories) { values in
            Resampling.bootstrapMean(values, resamples: resamples, confidence: confidence, generator: &generator)
        }
    }

    /// As the seeded form, with the bootstrap resamples of each category given (indices into the category's values).
    package static func statistics(
        drift: [Double], categories: [String], resampleIndices: [[[Int]]], confidence: Double
    ) -> [CategoryStatistics] {
        var g = 0
        return statistics(drift: drift, categories: categories) { values in
            defer { g += 1 }
            return Resampling.bootstrapMean(values, indices: resampleIndices[g], confidence: confidence)
        }
    }

    /// The statistics of every category, in order of first appearance, with the mean's interval from `interval`
    /// (called once per category, in that order, with the category's values).
    static func statistics(
        drift: [Double], categories: [String], interval: ([Double]) -> Resampling.Interval
    ) -> [CategoryStatistics] {
        let threshold = Descriptive.quantile(drift, 0.75)
        return groups(categories).map { group in
            let values = group.indices.map { drift[$0] }
            return CategoryStatistics(
                category: group.category, count: values.count,
                mean: interval(values),
                median: Descriptive.median(values),
                standardDeviation: Descriptive.sampleStandardDeviation(values),
                maximum: values.max() ?? .nan,
                topQuartileShare: Double(values.filter { $0 >= threshold }.count) / Double(values.count))
        }
    }

    /// Every pair of categories (in order of first appearance, `A` before `B`) compared by a permutation test of
    /// the difference of means, with Holm's correction across the pairs.
    /// - Throws: ``DriftError`` when the counts differ or a value is not finite.
    public static func pairwiseTests(
        drift: [Double], categories: [String], permutations: Int = 10_000, seed: UInt64 = 42
    ) throws -> [CategoryComparison] {
        try check(drift, categories)
        var generator = SeededRandom(seed: seed)
        // Each pair's permutations are drawn in turn, in the order of the pairs.
        return pairwiseTests(drift: drift, categories: categories) { a, b in
            Resampling.permutationTest(a, b, permutations: permutations, generator: &generator)
        }
    }

    /// As the seeded form, with the permutations of each pair's pooled sample given (pairs in the same order).
    package static func pairwiseTests(drift: [Double], categories: [String], orders: [[[Int]]]) -> [CategoryComparison]
    {
        var pair = 0
        return pairwiseTests(drift: drift, categories: categories) { a, b in
            defer { pair += 1 }
            return Resampling.permutationTest(a, b, orders: orders[pair])
        }
    }

    /// Every pair of categories compared by `test` (called once per pair, in order, with the two categories'
    /// values), with Holm's correction across the pairs.
    private static func pairwiseTests(
        drift: [Double], categories: [String], test: ([Double], [Double]) -> (difference: Double, pValue: Double)
    ) -> [CategoryComparison] {
        let groups = groups(categories)
        var results: [CategoryComparison] = []
        for a in 0..<groups.count {
            for b in (a + 1)..<max(a + 1, groups.count) {
                let test = test(groups[a].indices.map { drift[$0] }, groups[b].indices.map { drift[$0] })
                results.append(
                    CategoryComparison(
                        categoryA: groups[a].category, categoryB: groups[b].category, difference: test.difference,
                        pValue: test.pValue, pHolm: 0))
            }
        }
        let adjusted = Resampling.holm(results.map(\.pValue))
        for i in results.indices { results[i].pHolm = adjusted[i] }
        return results
    }

    private static func check(_ drift: [Double], _ categories: [String]) throws {
        guard drift.count == categories.count, !drift.isEmpty else {
            throw DriftError(
                .invalidArgument, "\(drift.count) drift values but \(categories.count) category labels")
        }
        if let bad = drift.firstIndex(where: { !$0.isFinite }) {
            throw DriftError(.invalidArgument, "drift of concept \(bad) is \(drift[bad]); every value must be finite")
        }
    }
}
