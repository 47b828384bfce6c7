public import DriftCore
import Foundation

/// The covariates of every concept (`tables/covariates`): `variant,layer,term,category,<covariate>…`, one row per
/// concept for each variant and layer whose covariates an adjusted analysis used (the first variant of a pair).
///
/// Its columns depend on the covariates, so it is not a ``DriftCore/TableRow`` table; a covariate a variant lacks
/// is empty in CSV and `null` in JSON.
public struct CovariateTable: Sendable, Equatable {
    /// One concept's covariates in one variant at one layer.
    public struct Row: Sendable, Equatable {
        /// The variant.
        public var variant: String
        /// The layer.
        public var layer: Int
        /// The concept.
        public var term: String
        /// Its category.
        public var category: String
        /// One value per covariate column (NaN when this variant lacks it).
        public var values: [Double]
    }

    /// The table's name.
    public static let tableName = "covariates"

    /// The covariate columns, in order.
    public var covariates: [String] = []
    /// The rows.
    public var rows: [Row] = []
    private var seen: Set<String> = []

    /// An empty table.
    public init() {}

    /// Adds the concepts' covariates in `variant` at `layer`, unless that variant and layer are already in.
    mutating func add(
        variant: String, layer: Int, terms: [String], categories: [String], covariates set: CovariateSet
    ) {
        guard !set.isEmpty, seen.insert("\(layer)\u{0}\(variant)").inserted else { return }
        for name in set.names where !covariates.contains(name) {
            covariates.append(name)
            for r in rows.indices { rows[r].values.append(.nan) }
        }
        let columns = covariates.map { set.names.firstIndex(of: $0) }
        for i in terms.indices {
            rows.append(
                Row(
                    variant: variant, layer: layer, term: terms[i], category: categories[i],
                    values: columns.map { $0.map { set.values[$0][i] } ?? .nan }))
        }
    }

    /// The column names, in order.
    public var columns: [String] { ["variant", "layer", "term", "category"] + covariates }

    private var cells: [[TableValue]] {
        rows.map { row in
            [.text(row.variant), .integer(row.layer), .text(row.term), .text(row.category)]
                + row.values.map { .number($0) }
        }
    }

    /// Writes `tables/covariates.csv` and `.json` atomically (or removes them when the table is empty).
    ///
    /// - Throws: ``DriftError`` when a file cannot be written.
    public func write(in layout: RunLayout) throws {
        let files = ["csv", "json"].map { layout.table(Self.tableName, fileExtension: $0) }
        guard !rows.isEmpty else {
            for file in files { try? FileManager.default.removeItem(at: file) }
            return
        }
        try AtomicFile.write(TableEncoding.csv(columns: columns, rows: cells), to: files[0])
        try AtomicFile.write(TableEncoding.json(columns: columns, rows: cells), to: files[1])
    }
}
