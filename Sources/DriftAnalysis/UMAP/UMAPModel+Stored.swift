package import DriftCore

extension UMAPModel {
    /// A fitted model rebuilt from what a run directory stores, without refitting: the training points and the
    /// coordinates the fit gave them.
    ///
    /// ``transform(_:progress:)`` needs only the training points (for the new points' neighbours), their fitted
    /// coordinates (fixed during its optimisation), the options, the curve `a`, `b` (a function of `minDistance` and
    /// `spread`) and the neighbourhood size (`min(neighbors, points − 1)`, as the fit used); it does not use the
    /// fuzzy graph. So a run that stores its input vectors and its `umap_<variant>.npy` coordinates, with the fit's
    /// options, can embed new points exactly as the fitted model in memory would.
    ///
    /// - Parameters:
    ///   - storedEmbedding: the fitted coordinates, rows = training points, columns = dimensions.
    ///   - training: the points the fit saw, in the same row order (rows = points, columns = features).
    ///   - options: the fit's options (their `dimensions` must match `storedEmbedding.columns`).
    /// - Throws: `DriftError` (`invalidArgument`) for invalid options, mismatched row counts or dimensions, fewer
    ///   than 4 points, or a value that is not finite.
    package init(storedEmbedding: Matrix, training: Matrix, options: UMAPOptions) throws {
        try options.validate()
        let n = training.rows
        guard storedEmbedding.rows == n else {
            throw DriftError(
                .invalidArgument,
                "the stored UMAP has \(storedEmbedding.rows) points but the training data \(n) rows")
        }
        guard storedEmbedding.columns == options.dimensions else {
            throw DriftError(
                .invalidArgument,
                "the stored UMAP has \(storedEmbedding.columns) dimensions, the options say \(options.dimensions)")
        }
        guard n >= 4, training.columns >= 1 else {
            throw DriftError(.invalidArgument, "a stored UMAP needs at least 4 points with features (got \(n))")
        }
        try UMAP.checkFinite(training)
        try UMAP.checkFinite(storedEmbedding)
        self.init(
            embedding: storedEmbedding, options: options, neighbors: min(options.neighbors, n - 1),
            curve: CurveParameters(minDistance: Double(options.minDistance), spread: Double(options.spread)),
            training: PreparedPoints(training, metric: options.metric), graph: nil,
            epochs: options.epochs ?? (n <= 10_000 ? 500 : 200))
    }
}
