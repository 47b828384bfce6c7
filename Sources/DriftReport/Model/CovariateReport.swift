public import DriftAnalysis
public import DriftCore
public import Foundation

/// What the report shows of the covariate-adjusted analysis (issue #19): adjusted category means and tests, each
/// covariate against drift, and the per-concept covariates for the drift-against-covariate figure.
public struct CovariateReport: Sendable, Equatable {
    /// `tables/category_drift_adjusted`.
    public var categories: [AdjustedCategoryDriftRow] = []
    /// `tables/category_tests_adjusted`.
    public var tests: [AdjustedCategoryTestRow] = []
    /// `tables/confounds`.
    public var confounds: [ConfoundRow] = []
    /// `tables/matched_comparison`.
    public var matched: [MatchedComparisonRow] = []
    /// `tables/covariates`: `values[variant, layer][covariate]` = one value per concept, in row order.
    public var values: [String: [String: [Double]]] = [:]
    /// The covariate columns of `tables/covariates`, in order.
    public var names: [String] = []

    /// No adjusted analysis.
    public init() {}

    /// Whether the run has an adjusted analysis.
    public var isEmpty: Bool { categories.isEmpty && tests.isEmpty }

    /// The key of ``values`` for a variant and layer.
    public static func key(variant: String, layer: Int) -> String { "\(variant)\u{1F}\(layer)" }

    /// Reads the adjusted tables of the run at `layout` (an empty report when it has none).
    ///
    /// - Throws: ``DriftError`` naming the file, row and column when a table is malformed.
    public init(layout: RunLayout) throws {
        guard TableFile.exists(AdjustedCategoryDriftRow.self, in: layout) else { return }
        categories = try TableFile.read(AdjustedCategoryDriftRow.self, in: layout)
        if TableFile.exists(AdjustedCategoryTestRow.self, in: layout) {
            tests = try TableFile.read(AdjustedCategoryTestRow.self, in: layout)
        }
        if TableFile.exists(ConfoundRow.self, in: layout) {
            confounds = try TableFile.read(ConfoundRow.self, in: layout)
        }
        if TableFile.exists(MatchedComparisonRow.self, in: layout) {
            matched = try TableFile.read(MatchedComparisonRow.self, in: layout)
        }
        let file = layout.table(CovariateTable.tableName, fileExtension: "json")
        guard let data = try? Data(contentsOf: file),
            let rows = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { return }
        if let text = try? String(
            contentsOf: layout.table(CovariateTable.tableName, fileExtension: "csv"), encoding: .utf8),
            let header = text.split(separator: "\n", maxSplits: 1).first
        {
            names = header.split(separator: ",").dropFirst(4).map(String.init)
        }
        for row in rows {
            guard let variant = row["variant"] as? String, let layer = (row["layer"] as? NSNumber)?.intValue else {
                continue
            }
            let key = Self.key(variant: variant, layer: layer)
            for (name, value) in row where !["variant", "layer", "term", "category"].contains(name) {
                values[key, default: [:]][name, default: []].append((value as? NSNumber)?.doubleValue ?? .nan)
            }
        }
    }
}
