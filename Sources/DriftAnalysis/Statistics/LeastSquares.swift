/// Ordinary least squares on a few columns by a QR decomposition (Gram–Schmidt, orthogonalised twice), dropping
/// every column that the earlier ones already span.
///
/// A column is dropped when what remains of it after projecting out the kept columns has a norm at most
/// `tolerance` times its own norm (a constant column after the intercept, a copy or a linear combination of others,
/// an all-zero column): the fit is then the fit on the kept columns, and the dropped ones get a coefficient of 0.
package struct LeastSquares: Sendable {
    /// Number of observations.
    package let count: Int
    /// Indices (into the columns given) of the kept columns, in order.
    package let kept: [Int]
    /// Indices of the dropped columns.
    package let dropped: [Int]
    /// Number of columns given.
    package let columnCount: Int
    /// The orthonormal basis, one column of `count` values per kept column, stored column after column.
    package let q: [Double]
    /// The upper triangular factor, kept × kept, row-major: `columns[kept] = Q · R`.
    let r: [Double]

    /// Decomposes `columns` (each `count` values).
    package init(columns: [[Double]], count: Int, tolerance: Double = 1e-9) {
        self.count = count
        columnCount = columns.count
        var basis: [[Double]] = []
        var rColumns: [[Double]] = []
        var kept: [Int] = []
        var dropped: [Int] = []
        for (index, column) in columns.enumerated() {
            var v = column
            let norm = Self.norm(v)
            var coefficients = [Double](repeating: 0, count: basis.count)
            for _ in 0..<2 {
                for (k, qk) in basis.enumerated() {
                    let c = Self.dot(qk, v)
                    coefficients[k] += c
                    for i in 0..<count { v[i] -= c * qk[i] }
                }
            }
            let remaining = Self.norm(v)
            guard norm > 0, remaining > tolerance * norm else {
                dropped.append(index)
                continue
            }
            for i in 0..<count { v[i] /= remaining }
            basis.append(v)
            rColumns.append(coefficients + [remaining])
            kept.append(index)
        }
        self.kept = kept
        self.dropped = dropped
        q = basis.flatMap { $0 }
        let p = kept.count
        var r = [Double](repeating: 0, count: p * p)
        for (j, column) in rColumns.enumerated() {
            for (i, value) in column.enumerated() { r[i * p + j] = value }
        }
        self.r = r
    }

    /// The `k`-th basis vector.
    package func basis(_ k: Int) -> ArraySlice<Double> { q[(k * count)..<((k + 1) * count)] }

    /// `Q'y`: the coordinates of `y` in the basis.
    package func project(_ y: [Double]) -> [Double] {
        (0..<kept.count).map { k in
            var sum = 0.0
            let base = k * count
            for i in 0..<count { sum += q[base + i] * y[i] }
            return sum
        }
    }

    /// The fitted values `QQ'y`.
    package func fitted(_ y: [Double]) -> [Double] {
        let coordinates = project(y)
        var fit = [Double](repeating: 0, count: count)
        for (k, c) in coordinates.enumerated() {
            let base = k * count
            for i in 0..<count { fit[i] += c * q[base + i] }
        }
        return fit
    }

    /// The residuals `y − QQ'y`.
    package func residuals(_ y: [Double]) -> [Double] {
        let fit = fitted(y)
        return (0..<count).map { y[$0] - fit[$0] }
    }

    /// The least-squares coefficients of every column given (0 for a dropped column), by back substitution.
    package func coefficients(_ y: [Double]) -> [Double] {
        let p = kept.count
        let z = project(y)
        var beta = [Double](repeating: 0, count: p)
        for i in stride(from: p - 1, through: 0, by: -1) {
            var sum = z[i]
            for j in (i + 1)..<max(i + 1, p) { sum -= r[i * p + j] * beta[j] }
            beta[i] = sum / r[i * p + i]
        }
        var all = [Double](repeating: 0, count: columnCount)
        for (k, index) in kept.enumerated() { all[index] = beta[k] }
        return all
    }

    static func dot<A: Collection<Double>, B: Collection<Double>>(_ a: A, _ b: B) -> Double {
        var sum = 0.0
        for (x, y) in zip(a, b) { sum += x * y }
        return sum
    }

    static func norm(_ v: [Double]) -> Double { dot(v, v).squareRoot() }
}
