public import DriftCore

/// A permutation test between two categories' mean drift (`tables/category_tests`).
public struct CategoryTestRow: TableRow, Equatable {
    /// First variant.
    public var variantA: String
    /// Second variant.
    public var variantB: String
    /// Layer index.
    public var layer: Int
    /// First category.
    public var categoryA: String
    /// Second category.
    public var categoryB: String
    /// `mean(category_a) − mean(category_b)`.
    public var difference: Double
    /// Two-sided permutation p-value.
    public var pValue: Double
    /// Holm-adjusted p-value.
    public var pHolm: Double

    /// Creates a row.
    public init(
        variantA: String, variantB: String, layer: Int, categoryA: String, categoryB: String, difference: Double,
        pValue: Double, pHolm: Double
    ) {
        self.variantA = variantA
        self.variantB = variantB
        self.layer = layer
        self.categoryA = categoryA
        self.categoryB = categoryB
        self.difference = difference
        self.pValue = pValue
        self.pHolm = pHolm
    }

    /// The table's name.
    public static let tableName = "category_tests"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA),
            .text("variant_b", \.variantB),
            .integer("layer", \.layer),
            .text("category_a", \.categoryA),
            .text("category_b", \.categoryB),
            .number("difference", \.difference),
            .number("p_value", \.pValue),
            .number("p_holm", \.pHolm),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        layer = 0
        categoryA = ""
        categoryB = ""
        difference = 0
        pValue = 0
        pHolm = 0
    }
}
