package import DriftCore

/// A small row-major `Double` matrix for the exact steps around LAPACK (sizes up to a few thousand).
package struct DoubleMatrix: Sendable {
    package var rows: Int
    package var columns: Int
    package var values: [Double]

    package init(rows: Int, columns: Int, values: [Double]) {
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    package init(_ m: Matrix) {
        self.init(rows: m.rows, columns: m.columns, values: m.storage.map(Double.init))
    }

    /// `op(self) · op(other)` through BLAS `dgemm`.
    package func multiplied(by other: DoubleMatrix, transposeSelf: Bool = false, transposeOther: Bool = false)
        -> DoubleMatrix
    {
        let m = transposeSelf ? columns : rows
        let inner = transposeSelf ? rows : columns
        let n = transposeOther ? other.rows : other.columns
        precondition(inner == (transposeOther ? other.columns : other.rows), "inner dimensions differ")
        var out = [Double](repeating: 0, count: m * n)
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
                    BLAS.dgemm(
                        transposeSelf ? .transpose : .none, transposeOther ? .transpose : .none, m: m, n: n, k: inner,
                        a: a, lda: columns, b: b, ldb: other.columns, c: c, ldc: n)
                }
            }
        }
        return DoubleMatrix(rows: m, columns: n, values: out)
    }

    package func transposed() -> DoubleMatrix {
        var out = [Double](repeating: 0, count: values.count)
        for r in 0..<rows {
            for c in 0..<columns { out[c * rows + r] = values[r * columns + c] }
        }
        return DoubleMatrix(rows: columns, columns: rows, values: out)
    }

    /// `U · diag(s)` from a thin SVD: the coordinates of the rows in the orthonormal basis `Vᵀ`.
    package static func scaledLeftVectors(_ svd: LAPACK.SingularValueDecomposition, rows: Int) -> DoubleMatrix {
        let k = svd.rank
        var out = svd.u
        for r in 0..<rows {
            for c in 0..<k { out[r * k + c] *= svd.s[c] }
        }
        return DoubleMatrix(rows: rows, columns: k, values: out)
    }
}
