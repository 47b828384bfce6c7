import DriftCore

/// Confound check: drift regressed on each term's token count by least squares, `drift ≈ intercept + slope · tokens`.
public struct TokenCountRegression: Sendable, Equatable {
    /// Fitted intercept.
    public var intercept: Double
    /// Fitted slope (drift per extra token).
    public var slope: Double
    /// Pearson correlation between token count and drift (NaN when either is constant).
    public var correlation: Double
    /// `drift − (intercept + slope · tokens)` per concept: drift the token count does not explain.
    public var residuals: [Double]

    /// Fits the regression.
    /// - Throws: ``DriftError`` when the counts differ or there are fewer than two concepts.
    public init(drift: [Double], tokenCounts: [Int]) throws {
        guard drift.count == tokenCounts.count, drift.count >= 2 else {
            throw DriftError(
                .invalidArgument, "\(drift.count) drift values but \(tokenCounts.count) token counts (need ≥ 2, equal)")
        }
        let x = tokenCounts.map(Double.init)
        let mx = Descriptive.mean(x), my = Descriptive.mean(drift)
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for i in 0..<x.count {
            sxx += (x[i] - mx) * (x[i] - mx)
            sxy += (x[i] - mx) * (drift[i] - my)
            syy += (drift[i] - my) * (drift[i] - my)
        }
        slope = sxx > 0 ? sxy / sxx : 0
        intercept = my - slope * mx
        correlation = sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
        let (a, b) = (intercept, slope)
        residuals = (0..<x.count).map { drift[$0] - (a + b * x[$0]) }
    }

    /// The mean residual of every category, in order of first appearance.
    public func residualMeans(categories: [String]) -> [(category: String, meanResidual: Double)] {
        CategoryAnalysis.groups(categories).map { group in
            (group.category, Descriptive.mean(group.indices.map { residuals[$0] }))
        }
    }
}
