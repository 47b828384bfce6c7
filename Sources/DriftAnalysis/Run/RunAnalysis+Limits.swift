public import DriftCore

extension RunAnalysis.Options {
    /// The most bootstrap resamples per interval: 100 × the default.
    ///
    /// At the demo's size (3 pairs × 19 layers, 235 concepts) 10,000 take about 1.5 s, so the limit stays within a
    /// few minutes and each interval's resample statistics (8 bytes each) within 8 MB.
    public static let maxResamples = 1_000_000
    /// The most permutations per category test, for the same time budget as ``maxResamples``.
    public static let maxPermutations = 1_000_000
    /// The most nearest neighbours per concept (it must also be below the number of concepts).
    public static let maxNeighbors = 10_000
    /// The most UMAP optimisation epochs: 20 × umap-learn's largest default (500).
    public static let maxUMAPEpochs = 10_000

    /// Checks every count against its lower and upper limit.
    ///
    /// - Parameter names: the option names for the messages (`k`, `bootstrap`, `permutations`, `epochs`); the
    ///   defaults are the command line's flags.
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) naming the option, the limit and the value.
    public func validateCounts(
        names: (k: String, bootstrap: String, permutations: String, epochs: String) = (
            "--k", "--bootstrap", "--permutations", "--umap-epochs"
        )
    ) throws {
        try Self.check(k, names.k, 1, Self.maxNeighbors)
        try Self.check(resamples, names.bootstrap, 1, Self.maxResamples)
        try Self.check(permutations, names.permutations, 1, Self.maxPermutations)
        if let umapEpochs { try Self.check(umapEpochs, names.epochs, 1, Self.maxUMAPEpochs) }
    }

    /// The message for a count outside `minimum...maximum`, or nil.
    public static func countProblem(_ value: Int, _ name: String, _ minimum: Int, _ maximum: Int) -> String? {
        if value < minimum { return "\(name) must be at least \(minimum) (got \(value))" }
        if value > maximum {
            return "\(name) must be at most \(maximum) (got \(value)); larger counts would exceed this tool's "
                + "time and memory budget"
        }
        return nil
    }

    private static func check(_ value: Int, _ name: String, _ minimum: Int, _ maximum: Int) throws {
        if let problem = countProblem(value, name, minimum, maximum) { throw DriftError(.invalidArgument, problem) }
    }
}
