public import DriftCore

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

    /// The table's name.
    public static let tableName = "noise_floor"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA),
            .text("variant_b", \.variantB),
            .text("floor_variant", \.floorVariant),
            .integer("layer", \.layer),
            .text("concept", \.concept),
            .text("category", \.category),
            .number("floor", \.floor),
            .number("cosine_distance", \.cosineDistance),
            .number("relative", \.relative),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        floorVariant = ""
        layer = 0
        concept = ""
        category = ""
        floor = 0
        cosineDistance = 0
        relative = 0
    }
}
