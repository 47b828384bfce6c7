import DriftCore
import Testing

@testable import DriftAnalysis

/// Properties every measure must have, on seeded random data.
@Suite struct PropertyTests {
    @Test(arguments: [(50, 12), (20, 40)]) func driftOfACopyIsZeroAndDriftIsSymmetric(_ n: Int, _ d: Int) throws {
        var data = TestData(seed: 1)
        let x = data.matrix(n, d), y = data.matrix(n, d)
        for values in [
            try ConceptDrift.cosineDistances(x, x), try ConceptDrift.centeredDistances(x, x),
            try Procrustes.alignedDistances(x, x),
        ] {
            #expect(values.allSatisfy { abs($0) < 1e-6 })
        }
        #expect(try ConceptDrift.cosineDistances(x, y) == ConceptDrift.cosineDistances(y, x))
        #expect(try ConceptDrift.centeredDistances(x, y) == ConceptDrift.centeredDistances(y, x))
        // Rotating a onto b leaves the same residual as rotating b onto a.
        expectClose(try Procrustes.alignedDistances(x, y), try Procrustes.alignedDistances(y, x), absolute: 1e-6)
        expectClose(try Procrustes.distance(x, y), try Procrustes.distance(y, x))
        expectClose(try CKA.linear(x, y), try CKA.linear(y, x))
        #expect(abs(try CKA.linear(x, x) - 1) < 1e-6)
        #expect(abs(try CKA.linear(x, x, estimator: .debiased) - 1) < 1e-6)
        #expect(try Procrustes.distance(x, x) < 1e-6)
        let nx = try NeighborSets(x, k: 5)
        #expect(try NeighborhoodChange.jaccard(nx, nx).allSatisfy { $0 == 1 })
        #expect(try NeighborhoodChange.secondOrder(x, x, neighborsA: nx, neighborsB: nx).allSatisfy { abs($0) < 1e-6 })
    }

    @Test(arguments: [(60, 16), (24, 48)]) func rotationIsRemovedByProcrustesAndInvisibleToCKA(_ n: Int, _ d: Int)
        throws
    {
        var data = TestData(seed: 2)
        let x = data.matrix(n, d)
        let rotated = x.multiplied(by: try data.rotation(d))
        let raw = try ConceptDrift.cosineDistances(x, rotated)
        #expect(try DriftSummary(raw).mean > 0.3)  // a random rotation moves every concept a lot …
        let aligned = try Procrustes.alignedDistances(x, rotated)
        #expect(aligned.allSatisfy { abs($0) < 1e-5 })  // … and Procrustes takes all of it back
        #expect(try Procrustes.distance(x, rotated) < 1e-5)
        let scaled = Matrix(rows: n, columns: d, storage: rotated.storage.map { $0 * 3.5 })
        let y = data.matrix(n, d * 2)
        for estimator in [CKA.Estimator.biased, .debiased] {
            for limit in [4096, 0] {
                #expect(abs(try CKA.linear(x, scaled, estimator: estimator, gramLimit: limit) - 1) < 1e-5)
                expectClose(
                    try CKA.linear(scaled, y, estimator: estimator, gramLimit: limit),
                    try CKA.linear(x, y, estimator: estimator, gramLimit: limit), relative: 1e-4)
            }
        }
        // Mutual k-NN and Jaccard see the same neighbourhoods after a rotation.
        let nx = try NeighborSets(x, k: 4), nr = try NeighborSets(rotated, k: 4)
        #expect(try NeighborhoodChange.mutualNearestNeighborAlignment(nx, nr) == 1)
    }

    @Test func anisotropyOfACommonDirectionIsHigh() throws {
        var data = TestData(seed: 3)
        let noise = data.matrix(40, 10, scale: 0.05)
        let shared = Matrix(
            rows: 40, columns: 10,
            storage: noise.storage.enumerated().map { $0.offset % 10 == 0 ? $0.element + 1 : $0.element })
        #expect(try ConceptDrift.anisotropy(shared) > 0.9)
        #expect(abs(try ConceptDrift.anisotropy(data.matrix(400, 50))) < 0.02)
    }
}
