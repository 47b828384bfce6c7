public import DriftCore

/// One category's Jensen–Shannon statistics between two variants (`tables/next_token_category`): the output-level
/// counterpart of `category_drift`.
public struct NextTokenCategoryRow: TableRow, Equatable {
    public var variantA: String
    public var variantB: String
    public var category: String
    public var n: Int
    /// Mean JS with its 95% percentile bootstrap interval.
    public var meanJS: Double
    public var ciLow: Double
    public var ciHigh: Double
    public var median: Double
    /// Fraction (0…1) of the category at or above the 0.75 quantile of all concepts' JS.
    public var topQuartileShare: Double

    /// The table's name.
    public static let tableName = "next_token_category"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA), .text("variant_b", \.variantB), .text("category", \.category),
            .integer("n", \.n), .number("mean_js", \.meanJS), .number("ci_low", \.ciLow), .number("ci_high", \.ciHigh),
            .number("median_js", \.median), .number("top_quartile_share", \.topQuartileShare),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        category = ""
        n = 0
        meanJS = 0
        ciLow = 0
        ciHigh = 0
        median = 0
        topQuartileShare = 0
    }

    /// The row of one category's statistics of JS.
    public init(variantA: String, variantB: String, _ s: CategoryStatistics) {
        self.variantA = variantA
        self.variantB = variantB
        category = s.category
        n = s.count
        meanJS = s.mean.estimate
        ciLow = s.mean.low
        ciHigh = s.mean.high
        median = s.median
        topQuartileShare = s.topQuartileShare
    }
}

/// A permutation test of two categories' mean JS between two variants, Holm-corrected over the pair's tests
/// (`tables/next_token_category_tests`): the output-level counterpart of `category_tests`.
public struct NextTokenCategoryTestRow: TableRow, Equatable {
    public var variantA: String
    public var variantB: String
    public var categoryA: String
    public var categoryB: String
    /// `mean JS(category_a) − mean JS(category_b)`.
    public var difference: Double
    public var pValue: Double
    public var pHolm: Double

    /// The table's name.
    public static let tableName = "next_token_category_tests"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA), .text("variant_b", \.variantB), .text("category_a", \.categoryA),
            .text("category_b", \.categoryB), .number("difference", \.difference), .number("p_value", \.pValue),
            .number("p_holm", \.pHolm),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        categoryA = ""
        categoryB = ""
        difference = 0
        pValue = 0
        pHolm = 0
    }

    /// The row of one comparison of JS.
    public init(variantA: String, variantB: String, _ c: CategoryComparison) {
        self.variantA = variantA
        self.variantB = variantB
        categoryA = c.categoryA
        categoryB = c.categoryB
        difference = c.difference
        pValue = c.pValue
        pHolm = c.pHolm
    }
}
