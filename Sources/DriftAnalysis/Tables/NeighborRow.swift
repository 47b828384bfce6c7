import DriftCore

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

extension NeighborRow {
    /// The rows of one variant's k-NN sets, rank 1 first for every concept.
    /// - Throws: ``DriftError`` when `concepts` does not match the sets' concept count.
    public static func rows(variant: String, layer: Int, concepts: [String], sets: NeighborSets) throws -> [NeighborRow]
    {
        guard concepts.count == sets.count else {
            throw DriftError(
                .invalidArgument, "\(concepts.count) concept names for neighbour sets of \(sets.count) concepts")
        }
        var rows: [NeighborRow] = []
        rows.reserveCapacity(sets.count * sets.k)
        for i in 0..<sets.count {
            for (rank, (j, s)) in zip(sets.neighbors(of: i), sets.neighborSimilarities(of: i)).enumerated() {
                rows.append(
                    NeighborRow(
                        variant: variant, layer: layer, concept: concepts[i], rank: rank + 1, neighbor: concepts[j],
                        similarity: Double(s)))
            }
        }
        return rows
    }
}
