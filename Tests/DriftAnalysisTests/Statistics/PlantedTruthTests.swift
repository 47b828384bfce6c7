import DriftCore
import Testing

@testable import DriftAnalysis

/// Synthetic embeddings with a known answer.
///
/// Every concept is rotated by one global rotation, and one category is in addition shifted. The analysis must single
/// out the shifted category and nothing else.
@Suite struct PlantedTruthTests {
    @Test func theShiftedCategoryIsFoundAndTheRotatedOnesAreNot() throws {
        let f = try Fixture("planted.json")
        let a = try f.matrix("a"), b = try f.matrix("b")
        let categories = try f.strings("categories")
        let planted = try f.string("planted")
        let aligned = try Procrustes.alignedDistances(a, b)
        let tests = try CategoryAnalysis.pairwiseTests(
            drift: aligned, categories: categories, permutations: 2000, seed: 1)
        #expect(tests.count == 6)
        for t in tests {
            if t.categoryA == planted || t.categoryB == planted {
                #expect(t.pHolm < 0.01, "\(t.categoryA) vs \(t.categoryB): p_holm \(t.pHolm)")
                let plantedMean = t.categoryA == planted ? t.difference : -t.difference
                #expect(plantedMean > 0)
            } else {
                #expect(t.pHolm > 0.05, "\(t.categoryA) vs \(t.categoryB): p_holm \(t.pHolm)")
            }
        }
        let stats = try CategoryAnalysis.statistics(drift: aligned, categories: categories, resamples: 2000, seed: 1)
        let shifted = try #require(stats.first { $0.category == planted })
        for s in stats where s.category != planted {
            #expect(s.mean.high < shifted.mean.low, "\(s.category) interval overlaps the planted one")
        }
        #expect(shifted.topQuartileShare > 0.9)
        // The raw cosine drift cannot tell: the rotation moves every category.
        let raw = try ConceptDrift.cosineDistances(a, b)
        #expect(try DriftSummary(raw).minimum > 0.2)
    }
}
