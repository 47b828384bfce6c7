public import DriftCore

/// Two categories' drift compared on concepts matched on the covariates (`tables/matched_comparison`, see
/// ``MatchedComparison``).
public struct MatchedComparisonRow: TableRow, Equatable {
    /// First variant.
    public var variantA: String
    /// Second variant.
    public var variantB: String
    /// Layer index.
    public var layer: Int
    /// The matched category (each of its concepts gets a match).
    public var categoryA: String
    /// The category matches are drawn from.
    public var categoryB: String
    /// Concepts in `category_a`.
    public var nA: Int
    /// Distinct concepts of `category_b` used as matches.
    public var matchedB: Int
    /// `mean(A) − mean(B)` before matching.
    public var rawDifference: Double
    /// Mean matched difference `drift(a) − drift(match(a))`.
    public var difference: Double
    /// Lower end of its percentile bootstrap interval (matched pairs resampled).
    public var ciLow: Double
    /// Upper end of that interval.
    public var ciHigh: Double

    /// Creates a row.
    public init(
        variantA: String, variantB: String, layer: Int, categoryA: String, categoryB: String, nA: Int, matchedB: Int,
        rawDifference: Double, difference: Double, ciLow: Double, ciHigh: Double
    ) {
        self.variantA = variantA
        self.variantB = variantB
        self.layer = layer
        self.categoryA = categoryA
        self.categoryB = categoryB
        self.nA = nA
        self.matchedB = matchedB
        self.rawDifference = rawDifference
        self.difference = difference
        self.ciLow = ciLow
        self.ciHigh = ciHigh
    }

    /// The table's name.
    public static let tableName = "matched_comparison"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA),
            .text("variant_b", \.variantB),
            .integer("layer", \.layer),
            .text("category_a", \.categoryA),
            .text("category_b", \.categoryB),
            .integer("n_a", \.nA),
            .integer("matched_b", \.matchedB),
            .number("raw_difference", \.rawDifference),
            .number("difference", \.difference),
            .number("ci_low", \.ciLow),
            .number("ci_high", \.ciHigh),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        layer = 0
        categoryA = ""
        categoryB = ""
        nA = 0
        matchedB = 0
        rawDifference = 0
        difference = 0
        ciLow = 0
        ciHigh = 0
    }
}
