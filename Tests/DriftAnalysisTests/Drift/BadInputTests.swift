import DriftCore
import Testing

@testable import DriftAnalysis

@Suite struct BadInputTests {
    func expectInvalid(_ mentioning: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected an error mentioning \(mentioning)")
        } catch let error as DriftError {
            #expect(error.kind == .invalidArgument)
            #expect(error.description.contains(mentioning), "\(error.description)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func nonFiniteValuesAreRejected() {
        var data = TestData(seed: 4)
        let good = data.matrix(10, 4)
        for bad in [Float.nan, .infinity, -.infinity] {
            var m = good
            m[3, 2] = bad
            expectInvalid("concept 3, dimension 2") { _ = try ConceptDrift.cosineDistances(good, m) }
            expectInvalid("finite") { _ = try NeighborSets(m, k: 3) }
            expectInvalid("finite") { _ = try CKA.linear(m, good) }
            expectInvalid("finite") { _ = try Procrustes.distance(good, m) }
        }
        expectInvalid("finite") {
            _ = try CategoryAnalysis.statistics(drift: [0.1, .nan], categories: ["a", "b"], resamples: 10)
        }
    }

    @Test func mismatchedConceptsAreRejected() {
        var data = TestData(seed: 5)
        expectInvalid("10 concepts but") { _ = try ConceptDrift.cosineDistances(data.matrix(10, 4), data.matrix(9, 4)) }
        expectInvalid("wide") { _ = try ConceptDrift.cosineDistances(data.matrix(10, 4), data.matrix(10, 5)) }
        expectInvalid("position 1") {
            try DriftInput.validateConcepts(["France", "Japan"], ["France", "japan"], names: ("base", "instruct"))
        }
        expectInvalid("lists 2 concepts") {
            try DriftInput.validateConcepts(["France", "Japan"], ["France"], names: ("base", "instruct"))
        }
        expectInvalid("category labels") {
            _ = try CategoryAnalysis.pairwiseTests(drift: [0.1, 0.2], categories: ["a"], permutations: 5)
        }
    }

    @Test func neighbourCountsOutOfRangeAreRejected() {
        var data = TestData(seed: 6)
        let m = data.matrix(8, 3)
        expectInvalid("k = 8") { _ = try NeighborSets(m, k: 8) }
        expectInvalid("k = 9") { _ = try NeighborSets(m, k: 9) }
        expectInvalid("k = 0") { _ = try NeighborSets(m, k: 0) }
        expectInvalid("k = 8") { _ = try NeighborhoodChange.chanceJaccard(concepts: 8, k: 8) }
        expectInvalid("empty") { _ = try ConceptDrift.anisotropy(Matrix(rows: 0, columns: 3)) }
    }
}
