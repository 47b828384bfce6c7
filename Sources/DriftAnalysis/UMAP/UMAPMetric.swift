/// The distance used between input vectors when building the neighbour graph.
public enum UMAPMetric: String, Sendable, CaseIterable {
    /// `1 − cos(x, y)`; a zero vector is at distance 1 from every other vector (0 from another zero vector).
    case cosine
    /// `‖x − y‖₂`.
    case euclidean

    /// Distances at or beyond this value disconnect two points, as umap-learn's `DISCONNECTION_DISTANCES`
    /// (cosine: 2, exactly opposite vectors; euclidean: never).
    var disconnectionDistance: Float {
        switch self {
        case .cosine: 2
        case .euclidean: .infinity
        }
    }
}
