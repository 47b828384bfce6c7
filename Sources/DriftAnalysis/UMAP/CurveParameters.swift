import Foundation

/// The parameters `a`, `b` of the embedding-space membership curve `1 / (1 + a·d^{2b})`.
public struct CurveParameters: Sendable, Equatable {
    /// Scale of the curve.
    public var a: Double
    /// Exponent of the curve.
    public var b: Double

    /// Creates the parameters directly.
    public init(a: Double, b: Double) {
        self.a = a
        self.b = b
    }

    /// Least-squares fit of the curve to `1` below `minDistance` and `exp(−(d − minDistance)/spread)` beyond, on 300
    /// evenly spaced distances in `[0, 3·spread]` (umap-learn `find_ab_params`, which uses scipy's `curve_fit`).
    ///
    /// Solved by Levenberg–Marquardt from `(1, 1)`, as `curve_fit` does.
    public init(minDistance: Double, spread: Double) {
        let count = 300
        var xs = [Double](repeating: 0, count: count)
        var ys = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let x = spread * 3 * Double(i) / Double(count - 1)
            xs[i] = x
            ys[i] = x < minDistance ? 1 : exp(-(x - minDistance) / spread)
        }
        func residuals(_ a: Double, _ b: Double) -> Double {
            var s = 0.0
            for i in 0..<count {
                let r = 1 / (1 + a * pow(xs[i], 2 * b)) - ys[i]
                s += r * r
            }
            return s
        }
        var a = 1.0
        var b = 1.0
        var lambda = 1e-3
        var cost = residuals(a, b)
        for _ in 0..<500 {
            // Normal equations JᵀJ δ = −Jᵀr with the analytic Jacobian.
            var jaa = 0.0, jab = 0.0, jbb = 0.0, ga = 0.0, gb = 0.0
            for i in 0..<count {
                let x = xs[i]
                let p = x > 0 ? pow(x, 2 * b) : 0
                let den = 1 + a * p
                let f = 1 / den
                let r = f - ys[i]
                let da = -p / (den * den)
                let db = x > 0 ? -a * p * 2 * log(x) / (den * den) : 0
                jaa += da * da
                jab += da * db
                jbb += db * db
                ga += da * r
                gb += db * r
            }
            var improved = false
            for _ in 0..<30 {
                let m00 = jaa * (1 + lambda)
                let m11 = jbb * (1 + lambda)
                let det = m00 * m11 - jab * jab
                guard det != 0, det.isFinite else { lambda *= 10; continue }
                let da = -(m11 * ga - jab * gb) / det
                let db = -(m00 * gb - jab * ga) / det
                let newCost = residuals(a + da, b + db)
                if newCost.isFinite && newCost < cost {
                    let relative = (cost - newCost) / max(cost, 1e-300)
                    a += da
                    b += db
                    cost = newCost
                    lambda = max(lambda / 10, 1e-12)
                    improved = relative > 1e-15
                    break
                }
                lambda *= 10
            }
            if !improved { break }
        }
        self.a = a
        self.b = b
    }
}
