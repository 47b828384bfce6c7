public import DriftCore

/// Linear centred kernel alignment between two representations of the same concepts; widths may differ.
///
/// The standard form of Kornblith et al. (2019) and the debiased form built on the unbiased HSIC estimator of
/// Song et al. (2012), as used by Nguyen et al. (2021).
public enum CKA {
    /// Which estimator of HSIC to use.
    public enum Estimator: Sendable {
        /// The standard (biased) estimator: `‖YᵀX‖²_F / (‖XᵀX‖_F ‖YᵀY‖_F)` on centred features.
        case biased
        /// The unbiased HSIC estimator in numerator and denominator (needs at least 4 concepts).
        case debiased
    }

    /// Linear CKA in [0, 1] (the debiased value can fall slightly below 0): 1 = equal up to rotation and scale.
    ///
    /// Computed in concept space (Gram matrices, `rows²`) when that is cheaper and there are at most `gramLimit`
    /// concepts, otherwise in feature space with centring done block by block, so memory stays bounded for 100,000
    /// concepts.
    /// - Throws: ``DriftError`` when concept counts differ, a value is not finite, or there are fewer than 4 concepts.
    public static func linear(
        _ x: Matrix, _ y: Matrix, estimator: Estimator = .biased, gramLimit: Int = 4096
    ) throws -> Double {
        let both = try linearBoth(x, y, gramLimit: gramLimit)
        return estimator == .biased ? both.biased : both.debiased
    }

    /// Both estimators at the cost of one (they share every product).
    /// - Throws: ``DriftError`` when concept counts differ, a value is not finite, or there are fewer than 4 concepts.
    public static func linearBoth(_ x: Matrix, _ y: Matrix, gramLimit: Int = 4096) throws -> (
        biased: Double, debiased: Double
    ) {
        try linearBoth(x, y, gramLimit: gramLimit, blockRows: 2048)
    }

    /// As the public form, with the row-block size of the feature-space path given (tests use small blocks).
    package static func linearBoth(_ x: Matrix, _ y: Matrix, gramLimit: Int, blockRows: Int) throws -> (
        biased: Double, debiased: Double
    ) {
        try DriftInput.validatePair(x, y, sameWidth: false)
        let n = x.rows
        guard n >= 4 else {
            throw DriftError(.invalidArgument, "CKA needs at least 4 concepts, got \(n)")
        }
        let dx = x.columns, dy = y.columns
        let meanX = RowGeometry.columnMeans(x), meanY = RowGeometry.columnMeans(y)
        if n <= gramLimit, n * (dx + dy) <= dx * dy + dx * dx + dy * dy {
            let cx = RowGeometry.centered(x, mean: meanX), cy = RowGeometry.centered(y, mean: meanY)
            let k = gram(cx), l = gram(cy)
            func alignment(unbiased: Bool) -> Double {
                let kc = center(k, n: n, unbiased: unbiased), lc = center(l, n: n, unbiased: unbiased)
                return dot(kc, lc) / (dot(kc, kc) * dot(lc, lc)).squareRoot()
            }
            return (alignment(unbiased: false), alignment(unbiased: true))
        }
        // Feature space, accumulated over blocks of centred rows: XᵀY, XᵀX, YᵀY and the rows' squared norms.
        var xty = [Float](repeating: 0, count: dx * dy)
        var xtx = [Float](repeating: 0, count: dx * dx)
        var yty = [Float](repeating: 0, count: dy * dy)
        var rx = [Double](), ry = [Double]()
        rx.reserveCapacity(n)
        ry.reserveCapacity(n)
        var start = 0
        while start < n {
            let range = start..<min(n, start + blockRows)
            let bx = RowGeometry.centered(x.rows(range), mean: meanX)
            let by = RowGeometry.centered(y.rows(range), mean: meanY)
            rx.append(contentsOf: RowGeometry.norms(bx).map { $0 * $0 })
            ry.append(contentsOf: RowGeometry.norms(by).map { $0 * $0 })
            accumulate(&xty, bx, by)
            accumulate(&xtx, bx, bx)
            accumulate(&yty, by, by)
            start = range.upperBound
        }
        let similarity = squaredNorm(xty)
        let normX = squaredNorm(xtx)
        let normY = squaredNorm(yty)
        let biased = similarity / (normX * normY).squareRoot()
        // Kornblith et al.'s feature-space form of the unbiased HSIC estimator.
        let sx = rx.reduce(0, +), sy = ry.reduce(0, +)
        let dn = Double(n)
        func debias(_ value: Double, _ ra: [Double], _ rb: [Double], _ sa: Double, _ sb: Double) -> Double {
            var cross = 0.0
            for i in 0..<n { cross += ra[i] * rb[i] }
            return value - dn / (dn - 2) * cross + sa * sb / ((dn - 1) * (dn - 2))
        }
        let debiased =
            debias(similarity, rx, ry, sx, sy)
            / (debias(normX, rx, rx, sx, sx) * debias(normY, ry, ry, sy, sy)).squareRoot()
        return (biased, debiased)
    }

    private static func gram(_ m: Matrix) -> [Double] {
        m.multiplied(by: m, transposeOther: true).storage.map(Double.init)
    }

    /// Double centring of a Gram matrix; the unbiased form zeroes the diagonal and uses the U-statistic means.
    private static func center(_ g: [Double], n: Int, unbiased: Bool) -> [Double] {
        var gram = g
        var means = [Double](repeating: 0, count: n)
        if unbiased {
            for i in 0..<n { gram[i * n + i] = 0 }
            for r in 0..<n {
                for c in 0..<n { means[c] += gram[r * n + c] }
            }
            for c in 0..<n { means[c] /= Double(n - 2) }
            let shift = means.reduce(0, +) / Double(2 * (n - 1))
            for c in 0..<n { means[c] -= shift }
        } else {
            for r in 0..<n {
                for c in 0..<n { means[c] += gram[r * n + c] }
            }
            for c in 0..<n { means[c] /= Double(n) }
            let shift = means.reduce(0, +) / Double(2 * n)
            for c in 0..<n { means[c] -= shift }
        }
        for r in 0..<n {
            for c in 0..<n { gram[r * n + c] -= means[r] + means[c] }
        }
        if unbiased {
            for i in 0..<n { gram[i * n + i] = 0 }
        }
        return gram
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += a[i] * b[i] }
        return s
    }

    private static func squaredNorm(_ v: [Float]) -> Double { v.reduce(0) { $0 + Double($1) * Double($1) } }

    /// `c += aᵀ b` for row blocks `a` (rows × p) and `b` (rows × q); `c` is p × q.
    private static func accumulate(_ c: inout [Float], _ a: Matrix, _ b: Matrix) {
        a.storage.withUnsafeBufferPointer { av in
            b.storage.withUnsafeBufferPointer { bv in
                c.withUnsafeMutableBufferPointer { cv in
                    guard let ab = av.baseAddress, let bb = bv.baseAddress, let cb = cv.baseAddress else { return }
                    BLAS.sgemm(
                        .transpose, .none, m: a.columns, n: b.columns, k: a.rows, a: ab, lda: a.columns, b: bb,
                        ldb: b.columns, beta: 1, c: cb, ldc: b.columns)
                }
            }
        }
    }
}
