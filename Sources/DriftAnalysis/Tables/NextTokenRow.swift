public import DriftCore

/// How one concept's next-token distribution differs between two variants (`tables/next_token`).
public struct NextTokenRow: TableRow, Equatable {
    public var variantA: String
    public var variantB: String
    public var term: String
    public var category: String
    /// KL(P_a ‖ P_b) and KL(P_b ‖ P_a), natural log.
    public var klAB: Double
    public var klBA: Double
    /// The Jensen–Shannon divergence (natural log; in [0, ln 2]).
    public var js: Double
    /// Each variant's most likely next token, and whether they agree (0 or 1).
    public var top1A: Int
    public var top1B: Int
    public var top1Agree: Int
    /// The Jaccard index of the two top-10 token sets.
    public var top10Jaccard: Double
    /// The entropies of the two distributions.
    public var entropyA: Double
    public var entropyB: Double

    /// The table's name.
    public static let tableName = "next_token"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA), .text("variant_b", \.variantB), .text("term", \.term),
            .text("category", \.category), .number("kl_ab", \.klAB), .number("kl_ba", \.klBA), .number("js", \.js),
            .integer("top1_a", \.top1A), .integer("top1_b", \.top1B), .integer("top1_agree", \.top1Agree),
            .number("top10_jaccard", \.top10Jaccard), .number("entropy_a", \.entropyA),
            .number("entropy_b", \.entropyB),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        term = ""
        category = ""
        klAB = 0
        klBA = 0
        js = 0
        top1A = 0
        top1B = 0
        top1Agree = 0
        top10Jaccard = 0
        entropyA = 0
        entropyB = 0
    }

    /// The row of concept `term` from its divergence.
    public init(variantA: String, variantB: String, term: String, category: String, _ d: NextTokenDivergence) {
        self.variantA = variantA
        self.variantB = variantB
        self.term = term
        self.category = category
        klAB = d.klAB
        klBA = d.klBA
        js = d.jensenShannon
        top1A = d.top1A
        top1B = d.top1B
        top1Agree = d.top1Agrees ? 1 : 0
        top10Jaccard = d.top10Jaccard
        entropyA = d.entropyA
        entropyB = d.entropyB
    }
}
