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

    /// The table's columns, in order; `category_tests.csv` and `category_tests.json` use them.
    public static let columns = [
        "variant_a", "variant_b", "layer", "category_a", "category_b", "difference", "p_value", "p_holm",
    ]

    /// The cells in column order.
    public var cells: [TableValue] {
        [
            .text(variantA), .text(variantB), .integer(layer), .text(categoryA), .text(categoryB), .number(difference),
            .number(pValue), .number(pHolm),
        ]
    }
}
