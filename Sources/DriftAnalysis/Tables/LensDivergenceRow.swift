public import DriftCore

/// How one concept's logit-lens distribution at one layer differs between two variants
/// (`tables/logit_lens_divergence`): the measures of `tables/next_token`, per layer.
public struct LensDivergenceRow: TableRow, Equatable {
    public var variantA: String
    public var variantB: String
    /// The hidden-state index (Hugging Face numbering) whose state was read through the final norm and the LM head.
    public var layer: Int
    public var term: String
    public var category: String
    /// KL(P_a ‖ P_b) and KL(P_b ‖ P_a), natural log.
    public var klAB: Double
    public var klBA: Double
    /// The Jensen–Shannon divergence (natural log; in [0, ln 2]).
    public var js: Double
    /// Each variant's most likely token at this layer, and whether they agree (0 or 1).
    public var top1A: Int
    public var top1B: Int
    public var top1Agree: Int
    /// The entropies of the two distributions.
    public var entropyA: Double
    public var entropyB: Double

    /// The table's name.
    public static let tableName = "logit_lens_divergence"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA), .text("variant_b", \.variantB), .integer("layer", \.layer),
            .text("term", \.term), .text("category", \.category), .number("kl_ab", \.klAB), .number("kl_ba", \.klBA),
            .number("js", \.js), .integer("top1_a", \.top1A), .integer("top1_b", \.top1B),
            .integer("top1_agree", \.top1Agree), .number("entropy_a", \.entropyA), .number("entropy_b", \.entropyB),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        layer = 0
        term = ""
        category = ""
        klAB = 0
        klBA = 0
        js = 0
        top1A = 0
        top1B = 0
        top1Agree = 0
        entropyA = 0
        entropyB = 0
    }

    /// The row of concept `term` at `layer` from its divergence.
    public init(
        variantA: String, variantB: String, layer: Int, term: String, category: String, _ d: NextTokenDivergence
    ) {
        self.variantA = variantA
        self.variantB = variantB
        self.layer = layer
        self.term = term
        self.category = category
        klAB = d.klAB
        klBA = d.klBA
        js = d.jensenShannon
        top1A = d.top1A
        top1B = d.top1B
        top1Agree = d.top1Agrees ? 1 : 0
        entropyA = d.entropyA
        entropyB = d.entropyB
    }
}
