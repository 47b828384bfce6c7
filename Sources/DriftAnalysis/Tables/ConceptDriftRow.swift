public import DriftCore

/// One concept's drift between two variants at one layer (`tables/concept_drift`).
public struct ConceptDriftRow: TableRow, Equatable {
    /// First variant.
    public var variantA: String
    /// Second variant.
    public var variantB: String
    /// Layer index (0 = embedding output).
    public var layer: Int
    /// The concept.
    public var concept: String
    /// Its category.
    public var category: String
    /// `1 − cos` between the two variants' vectors.
    public var cosineDistance: Double
    /// Cosine distance after subtracting each variant's mean vector.
    public var centeredDistance: Double
    /// Cosine distance after the best global rotation of a onto b.
    public var procrustesDistance: Double
    /// Jaccard overlap of the two k-NN sets.
    public var jaccard: Double
    /// Hamilton et al.'s local neighbourhood change (cosine distance of similarity vectors).
    public var secondOrder: Double
    /// Percentile rank of `cosine_distance` among all concepts, 0…100.
    public var percentile: Double

    /// Creates a row.
    public init(
        variantA: String, variantB: String, layer: Int, concept: String, category: String, cosineDistance: Double,
        centeredDistance: Double, procrustesDistance: Double, jaccard: Double, secondOrder: Double, percentile: Double
    ) {
        self.variantA = variantA
        self.variantB = variantB
        self.layer = layer
        self.concept = concept
        self.category = category
        self.cosineDistance = cosineDistance
        self.centeredDistance = centeredDistance
        self.procrustesDistance = procrustesDistance
        self.jaccard = jaccard
        self.secondOrder = secondOrder
        self.percentile = percentile
    }

    /// The table's name.
    public static let tableName = "concept_drift"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA),
            .text("variant_b", \.variantB),
            .integer("layer", \.layer),
            .text("concept", \.concept),
            .text("category", \.category),
            .number("cosine_distance", \.cosineDistance),
            .number("centered_distance", \.centeredDistance),
            .number("procrustes_distance", \.procrustesDistance),
            .number("jaccard", \.jaccard),
            .number("second_order", \.secondOrder),
            .number("percentile", \.percentile),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        layer = 0
        concept = ""
        category = ""
        cosineDistance = 0
        centeredDistance = 0
        procrustesDistance = 0
        jaccard = 0
        secondOrder = 0
        percentile = 0
    }
}
