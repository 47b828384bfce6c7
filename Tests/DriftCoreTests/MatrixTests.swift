import Testing

@testable import DriftCore

@Suite struct MatrixTests {
    @Test func productMatchesNaiveLoop() {
        var rng = SystemRandomNumberGenerator()
        let a = Matrix(rows: 7, columns: 5, storage: (0..<35).map { _ in Float.random(in: -1...1, using: &rng) })
        let b = Matrix(rows: 3, columns: 5, storage: (0..<15).map { _ in Float.random(in: -1...1, using: &rng) })
        let c = a.multiplied(by: b, transposeOther: true)
        #expect(c.rows == 7 && c.columns == 3)
        for i in 0..<7 {
            for j in 0..<3 {
                var expected: Float = 0
                for k in 0..<5 { expected += a[i, k] * b[j, k] }
                #expect(abs(c[i, j] - expected) < 1e-5)
            }
        }
        let t = a.multiplied(by: a, transposeSelf: true)
        #expect(t.rows == 5 && t.columns == 5)
        #expect(abs(t[1, 2] - (0..<7).reduce(Float(0)) { $0 + a[$1, 1] * a[$1, 2] }) < 1e-5)
    }

    @Test func bfloat16RoundsToNearestEven() {
        #expect(HalfPrecision.float(fromBFloat16: 0x3F80) == 1.0)
        #expect(HalfPrecision.bfloat16(from: 1.0) == 0x3F80)
        // 1 + 2^-8 is exactly halfway between 1 and 1 + 2^-7: ties to even gives 1.
        #expect(HalfPrecision.bfloat16(from: 1.00390625) == 0x3F80)
        #expect(HalfPrecision.bfloat16(from: 1.01171875) == 0x3F82)
        #expect(HalfPrecision.float(fromFloat16: 0x3C00) == 1.0)
        #expect(HalfPrecision.floatFromHalfBits(0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
        #expect(HalfPrecision.floatFromHalfBits(0xC000) == -2.0)
    }

    @Test func layoutHelpersKeepRowMajorOrder() {
        let m = Matrix(rowArrays: [[1, 2, 3], [4, 5, 6]])
        #expect(m.storage == [1, 2, 3, 4, 5, 6])
        #expect(m.transposed() == Matrix(rowArrays: [[1, 4], [2, 5], [3, 6]]))
        #expect(m.transposed().transposed() == m)
        #expect(m.rows(1..<2) == Matrix(rowArrays: [[4, 5, 6]]))
        #expect(m.row(0) == [1, 2, 3])
        #expect(m.reshaped(rows: 3, columns: 2) == Matrix(rowArrays: [[1, 2], [3, 4], [5, 6]]))
        var n = m
        n.setRow(1, to: [7, 8, 9])
        n[0, 2] = -1
        #expect(n == Matrix(rowArrays: [[1, 2, -1], [7, 8, 9]]))
        #expect(m[1, 0] == 4)  // copy on write: m unchanged
    }

    @Test func productsWithEmptyInnerDimensionAreZero() {
        let a = Matrix(rows: 3, columns: 0)
        let b = Matrix(rows: 0, columns: 2)
        #expect(a.multiplied(by: b) == Matrix(rows: 3, columns: 2))
    }
}
