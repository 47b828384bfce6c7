import DriftCore

/// Summary of per-concept drift values: mean, sample standard deviation, median, extremes and where they are.
public struct DriftSummary: Sendable, Equatable {
    /// Number of concepts.
    public var count: Int
    /// Arithmetic mean.
    public var mean: Double
    /// Sample standard deviation (n − 1 in the denominator, as pandas); NaN for a single value.
    public var standardDeviation: Double
    /// Median (mean of the two middle values for an even count).
    public var median: Double
    /// Smallest value and the index of its (first) concept.
    public var minimum: Double
    /// Index of the concept with the smallest value.
    public var minimumIndex: Int
    /// Largest value.
    public var maximum: Double
    /// Index of the concept with the largest value.
    public var maximumIndex: Int

    /// Summarises `values` (at least one).
    ///
    /// - Throws: ``DriftError`` when `values` is empty.
    public init(_ values: [Double]) throws {
        guard !values.isEmpty else {
            throw DriftError(.invalidArgument, "cannot summarise an empty list of drift values")
        }
        count = values.count
        mean = Descriptive.mean(values)
        standardDeviation = Descriptive.sampleStandardDeviation(values)
        median = Descriptive.median(values)
        minimumIndex = values.indices.min { values[$0] < values[$1] } ?? 0
        maximumIndex = values.indices.max { values[$0] < values[$1] } ?? 0
        minimum = values[minimumIndex]
        maximum = values[maximumIndex]
    }
}
