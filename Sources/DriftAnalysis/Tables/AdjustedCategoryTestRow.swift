public import DriftCore

/// A covariate-adjusted test between two categories' drift (`tables/category_tests_adjusted`): the columns of
/// `category_tests` (``CategoryTestRow``), with `difference` the adjusted difference and `p_value` the Freedman–Lane
/// permutation p-value (``CovariateAdjustment``).
public struct AdjustedCategoryTestRow: TableRow, Equatable {
    /// The row, in `category_tests`' columns.
    public var test: CategoryTestRow

    /// Creates a row.
    public init(_ test: CategoryTestRow) { self.test = test }

    /// The table's name.
    public static let tableName = "category_tests_adjusted"

    /// The columns of `category_tests`, in its order.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.test.variantA),
            .text("variant_b", \.test.variantB),
            .integer("layer", \.test.layer),
            .text("category_a", \.test.categoryA),
            .text("category_b", \.test.categoryB),
            .number("difference", \.test.difference),
            .number("p_value", \.test.pValue),
            .number("p_holm", \.test.pHolm),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() { test = CategoryTestRow() }
}
