import DriftCore

/// The parameters of a UMAP fit, with umap-learn's defaults.
public struct UMAPOptions: Sendable, Equatable {
    /// Size of the local neighbourhood, counting the point itself (umap-learn `n_neighbors`).
    ///
    /// At least 2.
    ///
    /// When the data has no more points than this, the fit uses `points − 1`, as umap-learn does.
    public var neighbors: Int = 15
    /// Minimum distance between embedded points (umap-learn `min_dist`), in embedding units; `0 ≤ minDist ≤ spread`.
    public var minDistance: Float = 0.1
    /// Scale of the embedded points (umap-learn `spread`).
    public var spread: Float = 1
    /// The input distance.
    public var metric: UMAPMetric = .cosine
    /// Number of output dimensions (umap-learn `n_components`).
    public var dimensions: Int = 2
    /// Optimisation epochs; `nil` means umap-learn's default: 500 for up to 10,000 points, otherwise 200.
    public var epochs: Int? = nil
    /// Initial SGD learning rate (umap-learn `learning_rate`).
    public var learningRate: Float = 1
    /// Negative samples per positive sample (umap-learn `negative_sample_rate`).
    public var negativeSampleRate: Int = 5
    /// Weight of the repulsive term (umap-learn `repulsion_strength`).
    public var repulsionStrength: Float = 1
    /// Number of nearest neighbours assumed connected (umap-learn `local_connectivity`).
    public var localConnectivity: Float = 1
    /// Seed of every random choice (initial noise, negative samples, NN-descent).
    public var seed: UInt64 = 42
    /// Exact neighbours (blocked matrix products through BLAS) up to this many points; NN-descent beyond.
    ///
    /// umap-learn switches at 4,096; exact search stays cheaper than NN-descent here up to about 8,000 points of
    /// 2,048 dimensions.
    public var exactNeighborLimit: Int = 8_192
    /// Single-threaded optimisation, so that the same seed gives bit-identical coordinates.
    ///
    /// When `false`, graphs of 65,536 edges or more are optimised Hogwild over edges on ``Parallel``: faster, but
    /// thread timing changes the result slightly from run to run (as umap-learn without a `random_state`). The
    /// neighbour search is deterministic either way.
    public var reproducible: Bool = false
    /// The defaults: 15 neighbours, min_dist 0.1, spread 1, cosine, 2 dimensions, epochs by size, seed 42.
    public init() {}

    /// Checks every parameter; throws an `invalidArgument` error naming the first bad one.
    public func validate() throws {
        func fail(_ m: String) -> DriftError { DriftError(.invalidArgument, m) }
        guard neighbors >= 2 else { throw fail("n_neighbors must be at least 2 (got \(neighbors))") }
        guard spread > 0, spread.isFinite else { throw fail("spread must be a positive number (got \(spread))") }
        guard minDistance >= 0, minDistance <= spread else {
            throw fail("min_dist must be between 0 and spread = \(spread) (got \(minDistance))")
        }
        guard dimensions >= 1 else { throw fail("the embedding needs at least 1 dimension (got \(dimensions))") }
        if let epochs, epochs < 1 { throw fail("epochs must be at least 1 (got \(epochs))") }
        guard learningRate > 0, learningRate.isFinite else {
            throw fail("learning rate must be positive (got \(learningRate))")
        }
        guard negativeSampleRate >= 0 else {
            throw fail("negative sample rate must be ≥ 0 (got \(negativeSampleRate))")
        }
        guard localConnectivity >= 0, localConnectivity.isFinite else {
            throw fail("local connectivity must be ≥ 0 (got \(localConnectivity))")
        }
    }
}
