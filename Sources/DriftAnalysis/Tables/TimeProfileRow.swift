public import DriftCore

/// Drift along ordered variants (`tables/time_profile`, written for 3+ variants): one row per variant after the
/// first × layer × category (and category `all`).
public struct TimeProfileRow: TableRow, Equatable {
    /// The variant reached.
    public var variant: String
    /// Its position in the run's order (1 = the second variant).
    public var position: Int
    /// The first variant (the reference of `from_first`).
    public var first: String
    /// The variant before it (the reference of `step`).
    public var previous: String
    /// Layer index.
    public var layer: Int
    /// The category, or `all`.
    public var category: String
    /// Number of concepts.
    public var n: Int
    /// Mean cosine distance from the first variant.
    public var fromFirst: Double
    /// Mean cosine distance from the previous variant.
    public var step: Double

    /// Creates a row.
    public init(
        variant: String, position: Int, first: String, previous: String, layer: Int, category: String, n: Int,
        fromFirst: Double, step: Double
    ) {
        self.variant = variant
        self.position = position
        self.first = first
        self.previous = previous
        self.layer = layer
        self.category = category
        self.n = n
        self.fromFirst = fromFirst
        self.step = step
    }

    /// The table's name.
    public static let tableName = "time_profile"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant", \.variant),
            .integer("position", \.position),
            .text("first", \.first),
            .text("previous", \.previous),
            .integer("layer", \.layer),
            .text("category", \.category),
            .integer("n", \.n),
            .number("from_first", \.fromFirst),
            .number("step", \.step),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variant = ""
        position = 0
        first = ""
        previous = ""
        layer = 0
        category = ""
        n = 0
        fromFirst = 0
        step = 0
    }
}
