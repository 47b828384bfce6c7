public import DriftAnalysis
public import DriftCore
public import Foundation

/// The output-level half of what the report shows: per pair and concept the next-token divergence, per category the
/// mean Jensen–Shannon divergence, per pair the summary, and each variant's most likely next tokens.
public struct ReportOutput: Sendable {
    /// `tables/next_token` rows.
    public var concepts: [NextTokenRow] = []
    /// `tables/next_token_category` rows.
    public var categories: [NextTokenCategoryRow] = []
    /// `tables/next_token_global` rows.
    public var summaries: [NextTokenSummaryRow] = []
    /// Each variant's ten most likely next tokens per concept (`next_tokens_<name>.csv`): variant → term → tokens,
    /// best first.
    public var nextTokens: [String: [String: [LogitLensRow]]] = [:]
    /// Each variant's logit lens (`logit_lens_<name>.csv`): variant → term → rows by layer, then rank.
    public var lens: [String: [String: [LogitLensRow]]] = [:]
    /// `tables/logit_lens_divergence` rows (the pairs' lens distributions compared), by term, then pair and layer.
    public var lensDivergence: [String: [LensDivergenceRow]] = [:]

    /// Nothing read through the LM head.
    public init() {}

    /// Reads the output tables and the variants' next tokens and logit lens of the run at `layout`; absent files
    /// leave their part empty.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file when a table is malformed.
    public init(layout: RunLayout, variants: [String]) throws {
        func table<Row: TableRow>(_: Row.Type) throws -> [Row] {
            TableFile.exists(Row.self, in: layout) ? try TableFile.read(Row.self, in: layout) : []
        }
        concepts = try table(NextTokenRow.self)
        categories = try table(NextTokenCategoryRow.self)
        summaries = try table(NextTokenSummaryRow.self)
        lensDivergence = Dictionary(grouping: try table(LensDivergenceRow.self), by: \.divergence.term)
        for variant in variants where FileManager.default.fileExists(atPath: layout.nextTokens(variant).path) {
            let rows = try TableFile.readCSV(LogitLensRow.self, at: layout.nextTokens(variant))
            nextTokens[variant] = Dictionary(grouping: rows, by: \.term).mapValues { $0.sorted { $0.rank < $1.rank } }
        }
        for variant in variants where FileManager.default.fileExists(atPath: layout.logitLens(variant).path) {
            let rows = try TableFile.readCSV(LogitLensRow.self, at: layout.logitLens(variant))
            lens[variant] = Dictionary(grouping: rows, by: \.term).mapValues {
                $0.sorted { ($0.layer, $0.rank) < ($1.layer, $1.rank) }
            }
        }
    }

    /// Whether the run compared any pair's outputs.
    public var isEmpty: Bool { summaries.isEmpty }

    /// The summary of `pair`.
    func summary(_ pair: VariantPair) -> NextTokenSummaryRow? {
        summaries.first { $0.variantA == pair.a && $0.variantB == pair.b }
    }

    /// The concept rows of `pair`.
    func conceptRows(_ pair: VariantPair) -> [NextTokenRow] {
        concepts.filter { $0.variantA == pair.a && $0.variantB == pair.b }
    }

    /// The category rows of `pair`.
    func categoryRows(_ pair: VariantPair) -> [NextTokenCategoryRow] {
        categories.filter { $0.variantA == pair.a && $0.variantB == pair.b }
    }
}
