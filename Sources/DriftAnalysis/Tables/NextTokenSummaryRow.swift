public import DriftCore

/// One variant pair's output-level summary (`tables/next_token_global`).
///
/// The mean Jensen–Shannon divergence with its bootstrap interval, the top-1 agreement, and Spearman's ρ between the
/// concepts' cosine drift at the last layer and their JS with its bootstrap interval: does what moved most in
/// representation also move most in output?
public struct NextTokenSummaryRow: TableRow, Equatable {
    public var variantA: String
    public var variantB: String
    public var meanJS: Double
    public var meanJSLow: Double
    public var meanJSHigh: Double
    /// The fraction (0…1) of concepts whose most likely next token is the same.
    public var top1Agreement: Double
    /// Spearman's ρ between cosine drift (last layer) and JS across concepts, with its interval.
    public var spearman: Double
    public var spearmanLow: Double
    public var spearmanHigh: Double

    /// The table's name.
    public static let tableName = "next_token_global"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA), .text("variant_b", \.variantB), .number("mean_js", \.meanJS),
            .number("mean_js_ci_low", \.meanJSLow), .number("mean_js_ci_high", \.meanJSHigh),
            .number("top1_agreement", \.top1Agreement), .number("spearman_drift_js", \.spearman),
            .number("spearman_ci_low", \.spearmanLow), .number("spearman_ci_high", \.spearmanHigh),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        meanJS = 0
        meanJSLow = 0
        meanJSHigh = 0
        top1Agreement = 0
        spearman = 0
        spearmanLow = 0
        spearmanHigh = 0
    }
}
