import DriftCore
import Testing

@testable import DriftAnalysis

@Suite struct AlignmentTests {
    @Test(arguments: ConceptDriftTests.cases) func procrustesMatchesScipy(_ name: String) throws {
        let f = try Fixture(name)
        let a = try f.matrix("a"), b = try f.matrix("b")
        expectClose(try Procrustes.alignedDistances(a, b), try f.doubles("procrustes_aligned"), absolute: 1e-6)
        expectClose(try Procrustes.distance(a, b), try f.double("procrustes_distance"), "distance")
        // The same through many small row blocks.
        expectClose(
            try Procrustes.alignedDistances(a, b, blockRows: 7), try f.doubles("procrustes_aligned"), absolute: 1e-6)
        expectClose(try Procrustes.distance(a, b, blockRows: 7), try f.double("procrustes_distance"), "blocked")
    }

    @Test(arguments: ConceptDriftTests.cases) func ckaMatchesKornblithInBothSpaces(_ name: String) throws {
        let f = try Fixture(name)
        let a = try f.matrix("a"), b = try f.matrix("b")
        for limit in [4096, 0] {
            expectClose(try CKA.linear(a, b, gramLimit: limit), try f.double("cka"), "cka \(limit)")
            expectClose(
                try CKA.linear(a, b, estimator: .debiased, gramLimit: limit), try f.double("cka_debiased"),
                "debiased \(limit)")
        }
        let blocked = try CKA.linearBoth(a, b, gramLimit: 0, blockRows: 5)
        expectClose(blocked.biased, try f.double("cka"), "blocked")
        expectClose(blocked.debiased, try f.double("cka_debiased"), "blocked debiased")
    }

    @Test func differentWidths() throws {
        let f = try Fixture("different_widths.json")
        let x = try f.matrix("x"), y = try f.matrix("y")
        for limit in [4096, 0] {
            expectClose(try CKA.linear(x, y, gramLimit: limit), try f.double("cka"))
            expectClose(try CKA.linear(x, y, estimator: .debiased, gramLimit: limit), try f.double("cka_debiased"))
        }
        expectClose(try Procrustes.distance(x, y), try f.double("procrustes_distance"))
        #expect(throws: DriftError.self) { try Procrustes.alignedDistances(x, y) }
    }

    @Test func singularValuesMatchNumpy() throws {
        for c in try Fixture("svd.json").subs("cases") {
            let rows = try c.int("rows"), columns = try c.int("columns")
            let values = try c.doubles("values")
            let svd = try LAPACK.singularValueDecomposition(values, rows: rows, columns: columns)
            expectClose(svd.s, try c.doubles("singular_values"), relative: 1e-12, absolute: 1e-12)
            // U diag(s) Vᵀ reconstructs the matrix.
            let k = svd.rank
            var worst = 0.0
            for r in 0..<rows {
                for col in 0..<columns {
                    var sum = 0.0
                    for i in 0..<k { sum += svd.u[r * k + i] * svd.s[i] * svd.vt[i * columns + col] }
                    worst = max(worst, abs(sum - values[r * columns + col]))
                }
            }
            #expect(worst < 1e-12)
            let valuesOnly = try LAPACK.singularValueDecomposition(values, rows: rows, columns: columns, vectors: false)
            expectClose(valuesOnly.s, svd.s, relative: 1e-12, absolute: 1e-12)
        }
    }
}
