/// One neighbour of a concept in one variant at one layer (`tables/neighbors`).
public struct NeighborRow: TableRow, Equatable {
    /// The variant.
    public var variant: String
    /// Layer index.
    public var layer: Int
    /// The concept.
    public var concept: String
    /// 1 = most similar.
    public var rank: Int
    /// The neighbouring concept.
    public var neighbor: String
    /// Cosine similarity.
    public var similarity: Double

    /// Creates a row.
    public init(variant: String, layer: Int, concept: String, rank: Int, neighbor: String, similarity: Double) {
        self.variant = variant
        self.layer = layer
        self.concept = concept
        self.rank = rank
        self.neighbor = neighbor
        self.similarity = similarity
    }

    /// The table's columns, in order; `neighbors.csv` and `neighbors.json` use them.
    public static let columns = ["variant", "layer", "concept", "rank", "neighbor", "similarity"]

    /// The cells in column order.
    public var cells: [TableValue] {
        [.text(variant), .integer(layer), .text(concept), .integer(rank), .text(neighbor), .number(similarity)]
    }
}
