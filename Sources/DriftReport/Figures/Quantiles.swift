/// Box-plot statistics with numpy's default quantile definition (linear interpolation, "type 7").
package struct Quantiles: Sendable, Equatable {
    /// First quartile.
    var q1: Double
    /// Median.
    var median: Double
    /// Third quartile.
    var q3: Double
    /// Lowest value at or above `q1 − 1.5 IQR`.
    var whiskerLow: Double
    /// Highest value at or below `q3 + 1.5 IQR`.
    var whiskerHigh: Double

    /// The statistics of `values` (finite ones only); nil when there are none.
    init?(_ values: [Double]) {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        q1 = Self.quantile(sorted, 0.25)
        median = Self.quantile(sorted, 0.5)
        q3 = Self.quantile(sorted, 0.75)
        let iqr = q3 - q1
        let (lowFence, highFence) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr)
        whiskerLow = sorted.first { $0 >= lowFence } ?? q1
        whiskerHigh = sorted.last { $0 <= highFence } ?? q3
    }

    /// numpy.quantile(sorted, p) with the default `linear` method; `sorted` ascending and non-empty.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
