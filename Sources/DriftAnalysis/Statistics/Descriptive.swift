/// Descriptive statistics on `Double` arrays, with numpy/pandas conventions.
package enum Descriptive {
    /// Arithmetic mean (NaN when empty).
    package static func mean(_ v: [Double]) -> Double {
        v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
    }

    /// Sample standard deviation, n − 1 denominator (NaN for fewer than two values).
    package static func sampleStandardDeviation(_ v: [Double]) -> Double {
        guard v.count > 1 else { return .nan }
        let m = mean(v)
        let ss = v.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (ss / Double(v.count - 1)).squareRoot()
    }

    /// Median (NaN when empty).
    package static func median(_ v: [Double]) -> Double { quantile(v, 0.5) }

    /// The `q` quantile with linear interpolation between order statistics (numpy's default, pandas' `quantile`).
    package static func quantile(_ v: [Double], _ q: Double) -> Double {
        guard !v.isEmpty else { return .nan }
        return quantileOfSorted(v.sorted(), q)
    }

    /// As ``quantile(_:_:)`` on already sorted values.
    package static func quantileOfSorted(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
