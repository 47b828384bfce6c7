/// Where a UMAP fit or transform is, reported through the progress callback.
public enum UMAPProgress: Sendable, Equatable {
    /// Nearest-neighbour search started (`exact` or NN-descent) over `points` points.
    case neighbors(points: Int, exact: Bool)
    /// The fuzzy graph is built; `edges` directed edges with non-zero weight.
    case graph(edges: Int)
    /// The initial layout is computed; `spectral` is false when umap-learn's random fallback was used.
    case initialized(spectral: Bool, components: Int)
    /// `completed` of `total` optimisation epochs are done.
    case epoch(completed: Int, total: Int)
}
