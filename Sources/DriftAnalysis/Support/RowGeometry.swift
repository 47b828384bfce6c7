package import DriftCore

/// Row-wise helpers shared by the measures: norms, means, centring, row cosines (accumulated in `Double`).
package enum RowGeometry {
    /// The Euclidean norm of every row, `rows` values.
    package static func norms(_ m: Matrix) -> [Double] {
        var result = [Double](repeating: 0, count: m.rows)
        let columns = m.columns
        m.storage.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { out in
                Parallel.forEachChunk(m.rows, minimumChunk: 256) { range in
                    for r in range {
                        var sum = 0.0
                        let base = r * columns
                        for c in 0..<columns {
                            let v = Double(x[base + c])
                            sum += v * v
                        }
                        out[r] = sum.squareRoot()
                    }
                }
            }
        }
        return result
    }

    /// The mean of the rows, `columns` values.
    package static func columnMeans(_ m: Matrix) -> [Double] {
        var sums = [Double](repeating: 0, count: m.columns)
        m.storage.withUnsafeBufferPointer { x in
            for r in 0..<m.rows {
                let base = r * m.columns
                for c in 0..<m.columns { sums[c] += Double(x[base + c]) }
            }
        }
        let count = Double(max(1, m.rows))
        return sums.map { $0 / count }
    }

    /// A copy with `mean` (per column) subtracted from every row.
    package static func centered(_ m: Matrix, mean: [Double]) -> Matrix {
        var result = m
        let columns = m.columns
        result.storage.withUnsafeMutableBufferPointer { x in
            for r in 0..<m.rows {
                for c in 0..<columns { x[r * columns + c] = Float(Double(x[r * columns + c]) - mean[c]) }
            }
        }
        return result
    }

    /// A copy with every row scaled to unit length (zero rows stay zero, as scikit-learn's `normalize`).
    package static func rowNormalized(_ m: Matrix) -> Matrix {
        let n = norms(m)
        var result = m
        let columns = m.columns
        result.storage.withUnsafeMutableBufferPointer { x in
            for r in 0..<m.rows where n[r] > 0 {
                let scale = 1 / n[r]
                for c in 0..<columns { x[r * columns + c] = Float(Double(x[r * columns + c]) * scale) }
            }
        }
        return result
    }

    /// `1 − cos(a_i, b_i)` for every row; a zero row has cosine 0 with anything (distance 1), as in scikit-learn.
    package static func rowCosineDistances(_ a: Matrix, _ b: Matrix) -> [Double] {
        var result = [Double](repeating: 0, count: a.rows)
        let columns = a.columns
        a.storage.withUnsafeBufferPointer { x in
            b.storage.withUnsafeBufferPointer { y in
                result.withUnsafeMutableBufferPointer { out in
                    Parallel.forEachChunk(a.rows, minimumChunk: 256) { range in
                        for r in range {
                            var dot = 0.0, nx = 0.0, ny = 0.0
                            let base = r * columns
                            for c in 0..<columns {
                                let u = Double(x[base + c]), v = Double(y[base + c])
                                dot += u * v
                                nx += u * u
                                ny += v * v
                            }
                            let denominator = (nx * ny).squareRoot()
                            let cosine = denominator > 0 ? min(1, max(-1, dot / denominator)) : 0
                            out[r] = 1 - cosine
                        }
                    }
                }
            }
        }
        return result
    }

    /// The matrix as `Double`s, row-major.
    package static func doubles(_ m: Matrix) -> [Double] { m.storage.map(Double.init) }
}
