/// The k nearest neighbours of each query point: `count × k` indices and distances, row-major, nearest first.
///
/// An index of −1 marks a missing neighbour (its distance is `+∞`), as umap-learn marks disconnected pairs.
struct NeighborGraph: Sendable, Equatable {
    /// Number of query points (rows).
    var count: Int
    /// Neighbours per point (columns).
    var k: Int
    /// Neighbour indices into the reference points, `count × k`.
    var indices: [Int32]
    /// Distances under the metric, `count × k`, ascending along each row.
    var distances: [Float]
}
