/// One concept's drift against its noise floor (`tables/noise_floor`, written when `compare --templates` measured
/// one): the drift between paraphrased templates inside one variant.
public struct NoiseFloorRow: TableRow, Equatable {
    /// First variant.
    public var variantA: String
    /// Second variant.
    public var variantB: String
    /// The variant whose templates measured the floor (`variant_a` when it has one, else `variant_b`).
    public var floorVariant: String
    /// Layer index.
    public var layer: Int
    /// The concept.
    public var concept: String
    /// Its category.
    public var category: String
    /// Mean cosine distance between the floor variant's templates for this concept.
    public var floor: Double
    /// Cosine distance between the two variants.
    public var cosineDistance: Double
    /// `cosine_distance / floor`: above 1, the variants differ more than rewording the prompt does.
    public var relative: Double

    /// Creates a row.
    public init(
        variantA: String, variantB: String, floorVariant: String, layer: Int, concept: String, category: String,
        floor: Double, cosineDistance: Double, relative: Double
    ) {
        self.variantA = variantA
        self.variantB = variantB
        self.floorVariant = floorVariant
        self.layer = layer
        self.concept = concept
        self.category = category
        self.floor = floor
        self.cosineDistance = cosineDistance
        self.relative = relative
    }

    /// The table's columns, in order.
    public static let columns = [
        "variant_a", "variant_b", "floor_variant", "layer", "concept", "category", "floor", "cosine_distance",
        "relative",
    ]

    /// The cells in column order.
    public var cells: [TableValue] {
        [
            .text(variantA), .text(variantB), .text(floorVariant), .integer(layer), .text(concept), .text(category),
            .number(floor), .number(cosineDistance), .number(relative),
        ]
    }
}
