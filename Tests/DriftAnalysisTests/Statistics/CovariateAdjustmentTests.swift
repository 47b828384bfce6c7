import DriftCore
import Foundation
import Testing

@testable import DriftAnalysis

/// The covariate-adjusted analysis against `Scripts/fixtures/covariates.py` (statsmodels OLS refitted on every
/// permutation, scipy, pandas), fed the fixture's own permutations and resamples.
@Suite struct CovariateAdjustmentTests {
    struct Case {
        let f: Fixture
        let drift: [Double]
        let categories: [String]
        let covariates: CovariateSet

        init(_ f: Fixture) throws {
            self.f = f
            drift = try f.doubles("drift")
            categories = try f.strings("categories")
            let values = try #require(f.object["covariates"] as? [[NSNumber]]).map { $0.map(\.doubleValue) }
            covariates = CovariateSet(names: try f.strings("covariate_names"), values: values)
        }
    }

    let cases: [Case]

    init() throws {
        cases = try Fixture("covariates.json").subs("cases").map(Case.init)
    }

    @Test func adjustedTestsMatchStatsmodelsWithTheSameOrders() throws {
        for c in cases {
            let name = try c.f.string("name")
            let analysis = CovariateAdjustment(
                drift: c.drift, categories: c.categories, covariates: c.covariates,
                orders: try c.f.indexArrays3("orders"),
                resampleIndices: try c.f.sub("adjusted").indexArrays3("resample_indices"), confidence: 0.95)
            #expect(analysis.covariates == (try c.f.strings("used")), "\(name)")
            let expected = try c.f.subs("tests")
            #expect(analysis.tests.count == expected.count)
            for (t, e) in zip(analysis.tests, expected) {
                let names = (try e.string("category_a"), try e.string("category_b"))
                #expect(t.categoryA == names.0 && t.categoryB == names.1)
                expectClose(t.difference, try e.double("difference"), relative: 1e-9, absolute: 0, "\(name) γ")
                expectClose(t.pValue, try e.double("p_value"), relative: 1e-12, absolute: 0, "\(name) p")
                expectClose(t.pHolm, try e.double("p_holm"), relative: 1e-12, absolute: 0, "\(name) p_holm")
            }
            // Not every p-value sits at a boundary: the comparison can fail.
            #expect(analysis.tests.contains { $0.pValue > 1.0 / 200 && $0.pValue < 0.9 })
        }
    }

    @Test func adjustedMeansMatchStatsmodelsAndPandas() throws {
        for c in cases {
            let name = try c.f.string("name")
            let e = try c.f.sub("adjusted")
            let analysis = CovariateAdjustment(
                drift: c.drift, categories: c.categories, covariates: c.covariates,
                orders: try c.f.indexArrays3("orders"), resampleIndices: try e.indexArrays3("resample_indices"),
                confidence: 0.95)
            let scale = c.drift.map(abs).max() ?? 1
            expectClose(analysis.adjusted, try e.doubles("adjusted"), relative: 1e-9, absolute: 1e-12 * scale, name)
            if name == "clean" {
                expectClose(analysis.slopes, try e.doubles("slopes"), relative: 1e-9, absolute: 0, "slopes")
            }
            let expected = try e.subs("statistics")
            #expect(analysis.statistics.count == expected.count)
            for (s, x) in zip(analysis.statistics, expected) {
                let (category, count) = (try x.string("category"), try x.int("n"))
                #expect(s.category == category && s.count == count)
                expectClose(s.mean.estimate, try x.double("mean"), relative: 1e-9, absolute: 0, "\(name) mean")
                expectClose(s.mean.low, try x.double("ci_low"), relative: 1e-9, absolute: 0, "\(name) low")
                expectClose(s.mean.high, try x.double("ci_high"), relative: 1e-9, absolute: 0, "\(name) high")
                expectClose(s.median, try x.double("median"), relative: 1e-9, absolute: 0, "median")
                expectClose(s.standardDeviation, try x.double("std"), relative: 1e-9, absolute: 0, "std")
                expectClose(s.maximum, try x.double("max"), relative: 1e-9, absolute: 0, "max")
                expectClose(s.topQuartileShare, try x.double("top_quartile_share"), relative: 0, absolute: 0, "share")
            }
        }
    }

    @Test func degenerateCovariatesAreDroppedWithNotes() throws {
        let c = try #require(cases.first { (try? $0.f.string("name")) == "degenerate" })
        let analysis = try CovariateAdjustment(
            drift: c.drift, categories: c.categories, covariates: c.covariates, permutations: 50, resamples: 50)
        #expect(analysis.covariates == ["tokens", "norm", "norm_copy", "parity"])
        #expect(analysis.notes.contains { $0.contains("constant") && $0.contains("covariate constant dropped") })
        #expect(analysis.notes.contains { $0.contains("norm_copy") && $0.contains("adjusted means") })
        #expect(analysis.notes.contains { $0.contains("parity") && $0.contains("pair tests") })
        #expect(analysis.slopes[2] == 0)
        // A covariate that is the category itself leaves no adjusted contrast: NaN and p = 1, not a crash.
        let indicator = c.categories.map { $0 == "factual" ? 1.0 : 0.0 }
        let spanned = try CovariateAdjustment(
            drift: c.drift, categories: c.categories,
            covariates: CovariateSet(names: ["is_factual"], values: [indicator]), permutations: 20, resamples: 20)
        let factual = spanned.tests.filter { $0.categoryA == "factual" }
        #expect(!factual.isEmpty && factual.allSatisfy { $0.difference.isNaN && $0.pValue == 1 })
        #expect(spanned.tests.contains { $0.difference.isFinite })
    }

    @Test func confoundsMatchScipyAndStatsmodels() throws {
        for c in cases {
            let name = try c.f.string("name")
            let e = try c.f.sub("confounds")
            let used = try c.f.strings("used")
            let usedSet = CovariateSet(
                names: used,
                values: used.compactMap { u in c.covariates.names.firstIndex(of: u) }.map {
                    c.covariates.values[$0]
                })
            let confounds = ConfoundAnalysis.confounds(
                drift: c.drift, covariates: usedSet, resampleIndices: try e.indexArrays("resample_indices"),
                confidence: 0.95)
            let expected = try e.subs("confounds")
            #expect(confounds.count == expected.count)
            for (x, y) in zip(confounds, expected) {
                #expect(x.covariate == (try y.string("covariate")))
                expectClose(x.slope, try y.double("slope"), relative: 1e-9, absolute: 0, "\(name) slope")
                expectClose(x.r.estimate, try y.double("r"), relative: 1e-9, absolute: 0, "\(name) r")
                expectClose(x.r.low, try y.double("r_ci_low"), relative: 1e-9, absolute: 0, "\(name) r low")
                expectClose(x.r.high, try y.double("r_ci_high"), relative: 1e-9, absolute: 0, "\(name) r high")
                expectClose(x.pValue, try y.double("p_value"), relative: 1e-9, absolute: 0, "\(name) p")
            }
            #expect(confounds.contains { $0.pValue > 0.1 })
        }
    }

    @Test func correlationPValuesMatchScipy() throws {
        for c in try Fixture("covariates.json").subs("correlation_p") {
            let (n, r, p) = (try c.int("n"), try c.double("r"), try c.double("p"))
            expectClose(
                ConfoundAnalysis.correlationPValue(r, count: n), p, relative: 1e-9, absolute: 1e-300, "n \(n) r \(r)")
        }
    }

    @Test func matchingMatchesScipyNearestNeighbours() throws {
        for c in cases {
            let name = try c.f.string("name")
            let e = try c.f.sub("matched")
            let comparisons = MatchedComparison.all(
                drift: c.drift, categories: c.categories, covariates: c.covariates,
                resampleIndices: try e.indexArrays3("resample_indices"), confidence: 0.95)
            let expected = try e.subs("comparisons")
            #expect(comparisons.count == expected.count)
            for (m, x) in zip(comparisons, expected) {
                let names = (try x.string("category_a"), try x.string("category_b"))
                #expect(m.categoryA == names.0 && m.categoryB == names.1)
                #expect(m.matches == (try x.ints("matches")), "\(name) \(m.categoryA) vs \(m.categoryB)")
                #expect(m.matchedB == (try x.int("matched_b")))
                expectClose(m.rawDifference, try x.double("raw_difference"), relative: 1e-9, absolute: 0, "raw")
                expectClose(m.difference.estimate, try x.double("difference"), relative: 1e-9, absolute: 0, "diff")
                expectClose(m.difference.low, try x.double("ci_low"), relative: 1e-9, absolute: 0, "low")
                expectClose(m.difference.high, try x.double("ci_high"), relative: 1e-9, absolute: 0, "high")
                let balance = try x.subs("balance")
                #expect(m.balance.map(\.covariate) == (try balance.map { try $0.string("covariate") }))
                for (b, y) in zip(m.balance, balance) {
                    if y.object["before"] is NSNull {
                        #expect(b.before.isNaN && b.after.isNaN, "\(b.covariate) is constant in both: undefined")
                        continue
                    }
                    expectClose(b.before, try y.double("before"), relative: 1e-9, absolute: 1e-13, "smd before")
                    expectClose(b.after, try y.double("after"), relative: 1e-9, absolute: 1e-13, "smd after")
                }
            }
        }
    }

    /// The seeded forms draw each permutation and resample as they use it; on the same draws they must give exactly
    /// what the index-array forms (checked above) give, in the documented seed order.
    @Test func seededFormsEqualTheIndexFormsOnTheSameDraws() throws {
        let c = cases[0]
        let count = 60
        let groups = CategoryAnalysis.groups(c.categories)
        var generator = SeededRandom(seed: 3)
        var orders: [[[Int]]] = []
        for a in groups.indices {
            for b in (a + 1)..<groups.count {
                let pooled = groups[a].indices.count + groups[b].indices.count
                orders.append((0..<count).map { _ in generator.permutation(pooled) })
            }
        }
        generator = SeededRandom(seed: 3)
        let indices = groups.map { group in
            (0..<count).map { _ in generator.resample(count: group.indices.count, from: group.indices.count) }
        }
        let seeded = try CovariateAdjustment(
            drift: c.drift, categories: c.categories, covariates: c.covariates, permutations: count,
            resamples: count, seed: 3)
        let given = CovariateAdjustment(
            drift: c.drift, categories: c.categories, covariates: c.covariates, orders: orders,
            resampleIndices: indices, confidence: 0.95)
        #expect(seeded.tests == given.tests)
        #expect(seeded.statistics == given.statistics)
        // The one-pass form gives the raw and the adjusted analyses exactly as the separate seeded calls do.
        let combined = try CovariateAdjustment.withRaw(
            drift: c.drift, categories: c.categories, covariates: c.covariates, permutations: count,
            resamples: count, confidence: 0.95, seed: 3)
        #expect(combined.adjusted.tests == seeded.tests)
        #expect(combined.adjusted.statistics == seeded.statistics)
        #expect(
            combined.tests
                == (try CategoryAnalysis.pairwiseTests(
                    drift: c.drift, categories: c.categories, permutations: count, seed: 3)))
        #expect(
            combined.statistics
                == (try CategoryAnalysis.statistics(
                    drift: c.drift, categories: c.categories, resamples: count, seed: 3)))
        // The raw and adjusted tests see the same permutations.
        let raw = try CategoryAnalysis.pairwiseTests(
            drift: c.drift, categories: c.categories, permutations: count, seed: 3)
        #expect(raw == CategoryAnalysis.pairwiseTests(drift: c.drift, categories: c.categories, orders: orders))

        let n = c.drift.count
        generator = SeededRandom(seed: 4)
        let boot = (0..<count).map { _ in generator.resample(count: n, from: n) }
        #expect(
            try ConfoundAnalysis.confounds(drift: c.drift, covariates: c.covariates, resamples: count, seed: 4)
                == ConfoundAnalysis.confounds(
                    drift: c.drift, covariates: c.covariates, resampleIndices: boot, confidence: 0.95))

        generator = SeededRandom(seed: 5)
        var matchedIndices: [[[Int]]] = []
        for a in groups.indices {
            for _ in (a + 1)..<groups.count {
                let na = groups[a].indices.count
                matchedIndices.append((0..<count).map { _ in generator.resample(count: na, from: na) })
            }
        }
        #expect(
            try MatchedComparison.all(
                drift: c.drift, categories: c.categories, covariates: c.covariates, resamples: count, seed: 5)
                == MatchedComparison.all(
                    drift: c.drift, categories: c.categories, covariates: c.covariates,
                    resampleIndices: matchedIndices, confidence: 0.95))
    }

    @Test func builtInCovariatesMatchNumpy() throws {
        let f = try Fixture("covariates.json").sub("built_in")
        let m = try f.matrix("matrix")
        let categories = try f.strings("categories")
        let neighbors = try NeighborSets(m, k: try f.int("k"))
        let expectedNeighbours = try f.indexArrays("neighbours")
        for i in 0..<m.rows { #expect(Set(neighbors.neighbors(of: i)) == Set(expectedNeighbours[i]), "row \(i)") }
        expectClose(ConceptCovariates.norms(m), try f.doubles("norm"), relative: 1e-9, absolute: 0, "norm")
        expectClose(
            ConceptCovariates.density(m, neighbors: neighbors), try f.doubles("density"), relative: 1e-9,
            absolute: 1e-15, "density")
        expectClose(
            ConceptCovariates.centroidDistance(m, categories: categories), try f.doubles("centroid"), relative: 1e-9,
            absolute: 1e-15, "centroid")
    }

    @Test func leastSquaresRecoversAnExactFitAndDropsSpannedColumns() {
        let x = (0..<12).map { Double($0) }
        let y = x.map { 2 - 0.5 * $0 }
        let fit = LeastSquares(columns: [[Double](repeating: 1, count: 12), x, x.map { 3 * $0 - 1 }], count: 12)
        #expect(fit.kept == [0, 1] && fit.dropped == [2])
        let beta = fit.coefficients(y)
        expectClose(beta, [2, -0.5, 0], relative: 1e-12, absolute: 1e-12)
        #expect(fit.residuals(y).allSatisfy { abs($0) < 1e-12 })
    }
}
