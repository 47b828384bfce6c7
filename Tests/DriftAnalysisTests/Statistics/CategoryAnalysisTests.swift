import DriftCore
import Testing

@testable import DriftAnalysis

@Suite struct CategoryAnalysisTests {
    let f: Fixture
    let drift: [Double]
    let categories: [String]

    init() throws {
        f = try Fixture("categories.json")
        drift = try f.doubles("drift")
        categories = try f.strings("categories")
    }

    @Test func statisticsMatchPandasWithTheSameResamples() throws {
        let stats = CategoryAnalysis.statistics(
            drift: drift, categories: categories, resampleIndices: try f.indexArrays3("bootstrap_indices"),
            confidence: 0.95)
        let expected = try f.subs("statistics")
        #expect(stats.map(\.category) == (try expected.map { try $0.string("category") }))
        for (s, e) in zip(stats, expected) {
            #expect(s.count == (try e.int("n")))
            expectClose(s.mean.estimate, try e.double("mean"), "mean \(s.category)")
            expectClose(s.mean.low, try e.double("ci_low"), "ci_low \(s.category)")
            expectClose(s.mean.high, try e.double("ci_high"), "ci_high \(s.category)")
            expectClose(s.median, try e.double("median"), "median")
            expectClose(s.standardDeviation, try e.double("std"), "std")
            expectClose(s.maximum, try e.double("max"), "max")
            expectClose(s.topQuartileShare, try e.double("top_quartile_share"), "top quartile")
        }
    }

    @Test func permutationTestsAndHolmMatchWithTheSameOrders() throws {
        let tests = CategoryAnalysis.pairwiseTests(
            drift: drift, categories: categories, orders: try f.indexArrays3("permutation_orders"))
        let expected = try f.subs("tests")
        #expect(tests.count == expected.count)
        for (t, e) in zip(tests, expected) {
            let names = (try e.string("category_a"), try e.string("category_b"))
            #expect(t.categoryA == names.0 && t.categoryB == names.1)
            expectClose(t.difference, try e.double("difference"), "difference")
            expectClose(t.pValue, try e.double("p_value"), relative: 1e-12, absolute: 0, "p")
            expectClose(t.pHolm, try e.double("p_holm"), relative: 1e-12, absolute: 0, "p_holm")
        }
    }

    @Test func holmMatchesStatsmodels() throws {
        for c in try f.subs("holm_cases") {
            expectClose(Resampling.holm(try c.doubles("p")), try c.doubles("holm"), relative: 1e-12, absolute: 0)
        }
    }

    @Test func ratioMatchesWithTheSameResamples() throws {
        let r = try f.sub("ratio")
        let interval = Resampling.bootstrapMeanRatio(
            numerator: drift, denominator: try r.doubles("denominator"), indices: try r.indexArrays("indices"),
            confidence: 0.95)
        expectClose(interval.estimate, try r.double("estimate"))
        expectClose(interval.low, try r.double("low"))
        expectClose(interval.high, try r.double("high"))
    }

    /// Seeded resamples differ from numpy's, so the intervals agree within Monte Carlo error: with 20,000 resamples
    /// the 2.5% quantile's standard error is under 1% of the interval's width; 5% of the width is a generous bound.
    @Test func seededIntervalsAgreeWithinMonteCarloError() throws {
        let mc = try f.sub("monte_carlo")
        let resamples = try mc.int("resamples")
        let intervals = try #require(mc.object["intervals"] as? [String: [Double]])
        let stats = try CategoryAnalysis.statistics(
            drift: drift, categories: categories, resamples: resamples, seed: 7)
        for s in stats {
            let e = try #require(intervals[s.category])
            let width = e[1] - e[0]
            #expect(abs(s.mean.low - e[0]) < 0.05 * width, "\(s.category) low \(s.mean.low) vs \(e[0])")
            #expect(abs(s.mean.high - e[1]) < 0.05 * width, "\(s.category) high \(s.mean.high) vs \(e[1])")
        }
        let ratio = try Resampling.bootstrapMeanRatio(
            numerator: drift, denominator: try f.sub("ratio").doubles("denominator"), resamples: resamples, seed: 9)
        let expectedRatio = try mc.doubles("ratio_interval")
        let width = expectedRatio[1] - expectedRatio[0]
        #expect(abs(ratio.low - expectedRatio[0]) < 0.05 * width)
        #expect(abs(ratio.high - expectedRatio[1]) < 0.05 * width)
        // Permutation p-value: binomial standard error sqrt(p(1 − p)/P); allow 5 of them plus 1/P.
        let groups = CategoryAnalysis.groups(categories)
        let demographic = try #require(groups.first { $0.category == "demographic" }).indices.map { drift[$0] }
        let factual = try #require(groups.first { $0.category == "factual" }).indices.map { drift[$0] }
        let p = Resampling.permutationTest(demographic, factual, permutations: resamples, seed: 11).pValue
        let expectedP = try mc.double("p_demographic_factual")
        let bound = 5 * (max(expectedP, 1 / Double(resamples)) * (1 - expectedP) / Double(resamples)).squareRoot()
        #expect(abs(p - expectedP) <= bound + 1 / Double(resamples), "p \(p) vs \(expectedP)")
    }

    /// The seeded forms draw each resample as they use it; they must give exactly what the index-array forms (checked
    /// against pandas and scipy above) give on the same generator's draws, materialised the plain way.
    @Test func seededFormsEqualTheIndexFormsOnTheSameDraws() throws {
        let resamples = 300
        var generator = SeededRandom(seed: 5)
        let groups = CategoryAnalysis.groups(categories)
        let indices = groups.map { group in
            (0..<resamples).map { _ in generator.resample(count: group.indices.count, from: group.indices.count) }
        }
        #expect(
            try CategoryAnalysis.statistics(drift: drift, categories: categories, resamples: resamples, seed: 5)
                == CategoryAnalysis.statistics(
                    drift: drift, categories: categories, resampleIndices: indices, confidence: 0.95))

        generator = SeededRandom(seed: 8)
        var orders: [[[Int]]] = []
        for a in groups.indices {
            for b in (a + 1)..<groups.count {
                let pooled = groups[a].indices.count + groups[b].indices.count
                orders.append((0..<resamples).map { _ in generator.permutation(pooled) })
            }
        }
        let seededTests = try CategoryAnalysis.pairwiseTests(
            drift: drift, categories: categories, permutations: resamples, seed: 8)
        #expect(seededTests == CategoryAnalysis.pairwiseTests(drift: drift, categories: categories, orders: orders))
        #expect(seededTests.contains { $0.pValue > 1 / Double(resamples + 1) && $0.pValue < 1 })

        let denominator = try f.sub("ratio").doubles("denominator")
        generator = SeededRandom(seed: 9)
        let ratioIndices = (0..<resamples).map { _ in generator.resample(count: drift.count, from: drift.count) }
        #expect(
            try Resampling.bootstrapMeanRatio(
                numerator: drift, denominator: denominator, resamples: resamples, seed: 9)
                == Resampling.bootstrapMeanRatio(
                    numerator: drift, denominator: denominator, indices: ratioIndices, confidence: 0.95))
    }

    @Test func seededResultsAreReproducible() throws {
        let one = try CategoryAnalysis.statistics(drift: drift, categories: categories, resamples: 300, seed: 5)
        let two = try CategoryAnalysis.statistics(drift: drift, categories: categories, resamples: 300, seed: 5)
        let other = try CategoryAnalysis.statistics(drift: drift, categories: categories, resamples: 300, seed: 6)
        #expect(one == two)
        #expect(one != other)
    }

    @Test func tokenCountRegressionMatchesScipy() throws {
        let r = try f.sub("regression")
        let fit = try TokenCountRegression(drift: drift, tokenCounts: try r.ints("tokens"))
        expectClose(fit.slope, try r.double("slope"))
        expectClose(fit.intercept, try r.double("intercept"))
        expectClose(fit.correlation, try r.double("r"))
        expectClose(fit.residuals, try r.doubles("residuals"), absolute: 1e-12)
        let means = try #require(r.object["residual_means"] as? [String: Double])
        for (category, value) in fit.residualMeans(categories: categories) {
            expectClose(value, try #require(means[category]), absolute: 1e-12, category)
        }
    }
}
