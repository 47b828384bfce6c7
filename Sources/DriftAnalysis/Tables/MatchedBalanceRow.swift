public import DriftCore

/// Balance of one covariate in a matched comparison (`tables/matched_balance`): standardised mean differences
/// before and after matching (see ``MatchedComparison``).
public struct MatchedBalanceRow: TableRow, Equatable {
    /// First variant.
    public var variantA: String
    /// Second variant.
    public var variantB: String
    /// Layer index.
    public var layer: Int
    /// The matched category.
    public var categoryA: String
    /// The category matches are drawn from.
    public var categoryB: String
    /// The covariate.
    public var covariate: String
    /// Standardised mean difference before matching.
    public var smdBefore: Double
    /// Standardised mean difference after matching.
    public var smdAfter: Double

    /// Creates a row.
    public init(
        variantA: String, variantB: String, layer: Int, categoryA: String, categoryB: String, covariate: String,
        smdBefore: Double, smdAfter: Double
    ) {
        self.variantA = variantA
        self.variantB = variantB
        self.layer = layer
        self.categoryA = categoryA
        self.categoryB = categoryB
        self.covariate = covariate
        self.smdBefore = smdBefore
        self.smdAfter = smdAfter
    }

    /// The table's name.
    public static let tableName = "matched_balance"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA),
            .text("variant_b", \.variantB),
            .integer("layer", \.layer),
            .text("category_a", \.categoryA),
            .text("category_b", \.categoryB),
            .text("covariate", \.covariate),
            .number("smd_before", \.smdBefore),
            .number("smd_after", \.smdAfter),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        layer = 0
        categoryA = ""
        categoryB = ""
        covariate = ""
        smdBefore = 0
        smdAfter = 0
    }
}
