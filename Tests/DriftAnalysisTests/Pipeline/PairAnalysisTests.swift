import DriftCore
import Testing

@testable import DriftAnalysis

@Suite struct PairAnalysisTests {
    @Test func rowsCarryTheReferenceValues() throws {
        let f = try Fixture("structured.json")
        let a = try f.matrix("a"), b = try f.matrix("b")
        let names = (0..<a.rows).map { "concept \($0)" }
        let categories = (0..<a.rows).map { ["factual", "abstract", "demographic", "scientific"][$0 / 12] }
        var options = PairAnalysis.Options()
        options.k = try f.int("k")
        options.resamples = 500
        options.permutations = 500
        let result = try PairAnalysis(
            a, b, conceptNames: names, categoryNames: categories, variants: ("base", "tuned"), layer: 7,
            options: options)
        #expect(result.concepts.map(\.concept) == names)
        #expect(result.concepts.allSatisfy { $0.variantA == "base" && $0.variantB == "tuned" && $0.layer == 7 })
        expectClose(result.concepts.map(\.cosineDistance), try f.doubles("cosine"))
        expectClose(result.concepts.map(\.centeredDistance), try f.doubles("centered"))
        expectClose(result.concepts.map(\.procrustesDistance), try f.doubles("procrustes_aligned"), absolute: 1e-6)
        expectClose(result.concepts.map(\.jaccard), try f.doubles("jaccard"))
        expectClose(result.concepts.map(\.secondOrder), try f.doubles("second_order"), absolute: 1e-6)
        expectClose(result.concepts.map(\.percentile), try f.doubles("percentile"))
        expectClose(result.global.meanDrift, try f.sub("summary").double("mean"))
        expectClose(result.global.cka, try f.double("cka"))
        expectClose(result.global.ckaDebiased, try f.double("cka_debiased"))
        expectClose(result.global.procrustes, try f.double("procrustes_distance"))
        expectClose(result.global.mutualKNN, try f.double("mutual_knn"))
        expectClose(result.global.anisotropyA, try f.double("anisotropy_a"))
        expectClose(result.global.anisotropyB, try f.double("anisotropy_b"))
        // Category rows are the seeded statistics and tests of the same drift.
        let stats = try CategoryAnalysis.statistics(
            drift: try f.doubles("cosine"), categories: categories, resamples: 500, seed: options.seed)
        #expect(result.categories.map(\.category) == stats.map(\.category))
        expectClose(result.categories.map(\.ciLow), stats.map(\.mean.low))
        expectClose(result.categories.map(\.topQuartileShare), stats.map(\.topQuartileShare))
        #expect(result.tests.count == 6)
        let neighbors = try NeighborRow.rows(variant: "base", layer: 7, concepts: names, sets: result.neighbors.a)
        let knn = try f.ints("knn_a")
        #expect(neighbors.count == a.rows * options.k)
        #expect(neighbors.map(\.neighbor) == knn.map { names[$0] })
        #expect(neighbors.prefix(options.k).map(\.rank) == Array(1...options.k))
    }

    @Test func differentWidthsFillOnlyTheGlobalMeasures() throws {
        let f = try Fixture("different_widths.json")
        let x = try f.matrix("x"), y = try f.matrix("y")
        var options = PairAnalysis.Options()
        options.k = try f.int("k")
        let result = try PairAnalysis(
            x, y, conceptNames: (0..<x.rows).map { "c\($0)" }, categoryNames: Array(repeating: "all", count: x.rows),
            variants: ("small", "large"), layer: 0, options: options)
        #expect(result.concepts.allSatisfy { $0.cosineDistance.isNaN && $0.procrustesDistance.isNaN })
        expectClose(result.concepts.map(\.secondOrder), try f.doubles("second_order"), absolute: 1e-6)
        #expect(result.global.meanDrift.isNaN)
        expectClose(result.global.cka, try f.double("cka"))
        expectClose(result.global.procrustes, try f.double("procrustes_distance"))
        expectClose(result.global.mutualKNN, try f.double("mutual_knn"))
        #expect(result.categories.isEmpty && result.summary == nil)
    }
}
