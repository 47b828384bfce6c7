public import DriftCore

/// A covariate-adjusted test between two categories' next-token JS (`tables/next_token_category_tests_adjusted`):
/// the columns of `next_token_category_tests`, with `difference` the adjusted difference and `p_value` the
/// Freedman–Lane permutation p-value (``CovariateAdjustment``), as `category_tests_adjusted` is to drift.
public struct AdjustedNextTokenCategoryTestRow: TableRow, Equatable {
    /// The row, in `next_token_category_tests`' columns.
    public var test: NextTokenCategoryTestRow

    /// Creates a row.
    public init(_ test: NextTokenCategoryTestRow) { self.test = test }

    /// The table's name.
    public static let tableName = "next_token_category_tests_adjusted"

    /// The columns of `next_token_category_tests`, in its order.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.test.variantA), .text("variant_b", \.test.variantB),
            .text("category_a", \.test.categoryA), .text("category_b", \.test.categoryB),
            .number("difference", \.test.difference), .number("p_value", \.test.pValue),
            .number("p_holm", \.test.pHolm),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() { test = NextTokenCategoryTestRow() }
}

/// One category's covariate-adjusted mean JS (`tables/next_token_category_adjusted`): the columns of
/// `next_token_category`, over each concept's JS minus its covariates' effect (``CovariateAdjustment``).
public struct AdjustedNextTokenCategoryRow: TableRow, Equatable {
    /// The row, in `next_token_category`'s columns.
    public var category: NextTokenCategoryRow

    /// Creates a row.
    public init(_ category: NextTokenCategoryRow) { self.category = category }

    /// The table's name.
    public static let tableName = "next_token_category_adjusted"

    /// The columns of `next_token_category`, in its order.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.category.variantA), .text("variant_b", \.category.variantB),
            .text("category", \.category.category), .integer("n", \.category.n),
            .number("mean_js", \.category.meanJS), .number("ci_low", \.category.ciLow),
            .number("ci_high", \.category.ciHigh), .number("median_js", \.category.median),
            .number("top_quartile_share", \.category.topQuartileShare),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() { category = NextTokenCategoryRow() }
}
