import DriftCore
import Testing

@testable import DriftAnalysis

@Suite struct NeighborTests {
    @Test(arguments: ConceptDriftTests.cases) func neighborsMatchScikitLearn(_ name: String) throws {
        let f = try Fixture(name)
        let k = try f.int("k")
        let a = try NeighborSets(try f.matrix("a"), k: k)
        #expect(a.indices == (try f.ints("knn_a")))
        expectClose(a.similarities.map(Double.init), try f.doubles("knn_a_similarity"), "similarities")
        let b = try NeighborSets(try f.matrix("b"), k: k)
        #expect(b.indices == (try f.ints("knn_b")))
    }

    @Test(arguments: ConceptDriftTests.cases) func blockingDoesNotChangeTheResult(_ name: String) throws {
        let f = try Fixture(name)
        let m = try f.matrix("a")
        let whole = try NeighborSets(m, k: try f.int("k"))
        var finished: [Int] = []
        let blocked = try NeighborSets(m, k: try f.int("k"), blockElements: 3 * m.rows) { finished.append($0) }
        // Same neighbours; similarities may differ in the last bit, as BLAS sums a block in another order.
        #expect(whole.indices == blocked.indices)
        expectClose(blocked.similarities.map(Double.init), whole.similarities.map(Double.init), relative: 1e-6)
        #expect(finished.count > 3 && finished.last == m.rows && finished == finished.sorted())
    }

    @Test(arguments: ConceptDriftTests.cases) func overlapMeasuresMatchReference(_ name: String) throws {
        let f = try Fixture(name)
        let a = try f.matrix("a"), b = try f.matrix("b")
        let k = try f.int("k")
        let na = try NeighborSets(a, k: k), nb = try NeighborSets(b, k: k)
        expectClose(try NeighborhoodChange.jaccard(na, nb), try f.doubles("jaccard"), "jaccard")
        expectClose(
            try NeighborhoodChange.chanceJaccard(concepts: a.rows, k: k), try f.double("chance_jaccard"), "chance")
        expectClose(
            try NeighborhoodChange.secondOrder(a, b, neighborsA: na, neighborsB: nb), try f.doubles("second_order"),
            absolute: 1e-6, "second order")
        expectClose(
            try NeighborhoodChange.mutualNearestNeighborAlignment(na, nb), try f.double("mutual_knn"), "mutual kNN")
    }

    @Test func differentWidthsAndChanceLevels() throws {
        let f = try Fixture("different_widths.json")
        let x = try f.matrix("x"), y = try f.matrix("y")
        let nx = try NeighborSets(x, k: 5), ny = try NeighborSets(y, k: 5)
        expectClose(try NeighborhoodChange.mutualNearestNeighborAlignment(nx, ny), try f.double("mutual_knn"))
        expectClose(
            try NeighborhoodChange.secondOrder(x, y, neighborsA: nx, neighborsB: ny), try f.doubles("second_order"),
            absolute: 1e-6)
        let chance = try #require(f.object["chance_jaccard"] as? [String: Double])
        for (key, expected) in chance {
            let parts = key.split(separator: ",").compactMap { Int($0) }
            expectClose(try NeighborhoodChange.chanceJaccard(concepts: parts[0], k: parts[1]), expected, key)
        }
    }
}
