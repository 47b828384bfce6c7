public import DriftCore

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

    /// The table's name.
    public static let tableName = "neighbors"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant", \.variant),
            .integer("layer", \.layer),
            .text("concept", \.concept),
            .integer("rank", \.rank),
            .text("neighbor", \.neighbor),
            .number("similarity", \.similarity),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variant = ""
        layer = 0
        concept = ""
        rank = 0
        neighbor = ""
        similarity = 0
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
