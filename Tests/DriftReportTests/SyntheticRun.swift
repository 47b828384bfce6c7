import DriftAnalysis
import Foundation

@testable import DriftReport

/// A deterministic run of any size built from the table row types (no files, no Python): drift values from a
/// seeded generator, categories cycling, neighbours from a fixed rotation, UMAP on a spiral.
enum SyntheticRun {
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    static func make(
        concepts count: Int, variants: [String], layers: Int,
        categories: [String] = ["demographic", "factual", "emotion", "profession", "abstract"],
        names: [String]? = nil, neighbors k: Int = 10, umap: Bool = true
    ) -> ReportData {
        var rng = Generator(state: 42)
        let concepts = names ?? (0..<count).map { "concept \($0)" }
        let cats = concepts.indices.map { categories[$0 % categories.count] }
        var conceptRows: [ConceptDriftRow] = []
        var categoryRows: [CategoryDriftRow] = []
        var testRows: [CategoryTestRow] = []
        var globalRows: [GlobalRow] = []
        for (i, a) in variants.enumerated() {
            for b in variants[(i + 1)...] {
                for layer in 0..<layers {
                    var values: [Double] = []
                    for (c, concept) in concepts.enumerated() {
                        let value =
                            0.02 + 0.3 * rng.next() * Double(layer + 1) / Double(layers)
                            + (cats[c] == categories[0] ? 0.1 : 0)
                        values.append(value)
                        conceptRows.append(
                            ConceptDriftRow(
                                variantA: a, variantB: b, layer: layer, concept: concept, category: cats[c],
                                cosineDistance: value,
                                centeredDistance: value * 1.5, procrustesDistance: value * 0.8, jaccard: rng.next(),
                                secondOrder: value * 0.5, percentile: 100 * rng.next()))
                    }
                    for category in categories {
                        let members = values.indices.filter { cats[$0] == category }.map { values[$0] }
                        guard !members.isEmpty else { continue }
                        let mean = members.reduce(0, +) / Double(members.count)
                        categoryRows.append(
                            CategoryDriftRow(
                                variantA: a, variantB: b, layer: layer, category: category, n: members.count,
                                mean: mean,
                                ciLow: mean - 0.01, ciHigh: mean + 0.012, median: mean, std: 0.05,
                                max: members.max() ?? 0,
                                topQuartileShare: rng.next()))
                    }
                    for (x, cx) in categories.enumerated() {
                        for cy in categories[(x + 1)...] {
                            let p = rng.next()
                            testRows.append(
                                CategoryTestRow(
                                    variantA: a, variantB: b, layer: layer, categoryA: cx, categoryB: cy,
                                    difference: rng.next() - 0.5, pValue: p, pHolm: min(1, p * 3)))
                        }
                    }
                    globalRows.append(
                        GlobalRow(
                            variantA: a, variantB: b, layer: layer,
                            meanDrift: values.reduce(0, +) / Double(values.count),
                            cka: 0.6 + 0.4 * rng.next(), ckaDebiased: 0.5 + 0.4 * rng.next(), procrustes: rng.next(),
                            mutualKNN: rng.next(), anisotropyA: rng.next(), anisotropyB: rng.next()))
                }
            }
        }
        var neighborRows: [NeighborRow] = []
        for (v, variant) in variants.enumerated() {
            for layer in [layers - 1] {
                for (c, concept) in concepts.enumerated() {
                    for rank in 1...min(k, concepts.count - 1) {
                        neighborRows.append(
                            NeighborRow(
                                variant: variant, layer: layer, concept: concept, rank: rank,
                                neighbor: concepts[(c + rank * (v + 1)) % concepts.count],
                                similarity: 1 - Double(rank) * 0.03))
                    }
                }
            }
        }
        var coordinates: [String: [SIMD2<Double>]] = [:]
        if umap {
            for (v, variant) in variants.enumerated() {
                coordinates[variant] = concepts.indices.map { c in
                    let t = Double(c) * 0.1
                    return SIMD2(t * cos(t) + Double(v) * 0.3, t * sin(t) - Double(v) * 0.2)
                }
            }
        }
        return ReportData(
            title: "synthetic", variants: variants, concepts: concepts, categories: cats, headlineLayer: layers - 1,
            conceptDrift: conceptRows, categoryDrift: categoryRows, categoryTests: testRows, global: globalRows,
            neighbors: neighborRows, umap: coordinates)
    }
}
