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

    /// The table's columns, in order; `concept_drift.csv` and `concept_drift.json` use them.
    public static let columns = [
        "variant_a", "variant_b", "layer", "concept", "category", "cosine_distance", "centered_distance",
        "procrustes_distance", "jaccard", "second_order", "percentile",
    ]

    /// The cells in column order.
    public var cells: [TableValue] {
        [
            .text(variantA), .text(variantB), .integer(layer), .text(concept), .text(category), .number(cosineDistance),
            .number(centeredDistance), .number(procrustesDistance), .number(jaccard), .number(secondOrder),
            .number(percentile),
        ]
    }
}
