import DriftCore

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

    /// `op(self) · op(other)` with an i-k-j loop (cache-friendly; vectorises).
    package func multiplied(by other: DoubleMatrix, transposeSelf: Bool = false, transposeOther: Bool = false)
        -> DoubleMatrix
    {
        let a = transposeSelf ? transposed() : self
        let b = transposeOther ? other.transposed() : other
        let m = a.rows, inner = a.columns, n = b.columns
        var out = [Double](repeating: 0, count: m * n)
        a.values.withUnsafeBufferPointer { av in
            b.values.withUnsafeBufferPointer { bv in
                out.withUnsafeMutableBufferPointer { c in
                    Parallel.forEachChunk(m, minimumChunk: 16) { range in
                        for i in range {
                            for p in 0..<inner {
                                let factor = av[i * inner + p]
                                if factor == 0 { continue }
                                let bRow = p * n, cRow = i * n
                                for j in 0..<n { c[cRow + j] += factor * bv[bRow + j] }
                            }
                        }
                    }
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
