import DriftCore

/// Named numeric covariates of the concepts: per covariate one value per concept, in the concepts' row order.
public struct CovariateSet: Sendable, Equatable {
    /// The covariates' names, in column order.
    public var names: [String]
    /// `values[c][i]`: covariate `c` of concept `i`.
    public var values: [[Double]]

    /// Creates a set; `values` has one array per name, each with one value per concept.
    public init(names: [String], values: [[Double]]) {
        self.names = names
        self.values = values
    }

    /// No covariates.
    public static let empty = CovariateSet(names: [], values: [])

    /// Whether there are no covariates.
    public var isEmpty: Bool { names.isEmpty }

    /// The covariates a model can use, each standardised to mean 0 and sample standard deviation 1 over all concepts.
    ///
    /// A covariate with a non-finite value or with one value for every concept is dropped; `notes` says which and why.
    /// Collinearity among the rest is resolved by ``LeastSquares`` where a model is fitted.
    package func screened() -> (set: CovariateSet, notes: [String]) {
        var names: [String] = []
        var columns: [[Double]] = []
        var notes: [String] = []
        for (name, column) in zip(self.names, values) {
            if column.contains(where: { !$0.isFinite }) {
                notes.append("covariate \(name) dropped: it has a missing or non-finite value")
                continue
            }
            let mean = Descriptive.mean(column)
            let sd = Descriptive.sampleStandardDeviation(column)
            guard sd.isFinite, sd > 1e-12 * max(1, abs(mean)) else {
                notes.append("covariate \(name) dropped: it is constant over the concepts")
                continue
            }
            names.append(name)
            columns.append(column.map { ($0 - mean) / sd })
        }
        return (CovariateSet(names: names, values: columns), notes)
    }

    /// The covariates of the concepts at `indices`, in that order.
    package func subset(_ indices: [Int]) -> [[Double]] {
        values.map { column in indices.map { column[$0] } }
    }

    /// Checks that every covariate has `count` values.
    package func validate(count: Int) throws {
        guard names.count == values.count else {
            throw DriftError(.invalidArgument, "\(names.count) covariate names but \(values.count) columns")
        }
        for (name, column) in zip(names, values) where column.count != count {
            throw DriftError(
                .invalidArgument, "covariate \(name) has \(column.count) values but there are \(count) concepts")
        }
    }
}
