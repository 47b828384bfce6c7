import DriftAnalysis
import DriftCore
import Foundation

/// The bounds of `embedding-drift check` evaluated against a run directory's tables: a release gate for CI.
///
/// Reads `tables/global.json` (mean drift, CKA per pair and layer), `tables/category_drift.json` (mean drift per
/// category) and, when bounded, `tables/category_drift_adjusted.json` (covariate-adjusted means), at one layer (default: the manifest's headline layer) and for the chosen pairs (default: every pair of
/// the table). A value that is not a number (an undefined measure) violates its bound.
struct DriftGate {
    /// One bound: a measure, the limit, and the category for `category_drift`.
    struct Bound: Equatable {
        enum Measure: String {
            case meanDrift = "mean_drift", categoryDrift = "category_drift", cka
            case adjustedCategoryDrift = "adjusted_category_drift"
            case meanJS = "mean_js", top1Agreement = "top1_agreement"
        }
        var measure: Measure
        var category: String?
        var limit: Double

        /// `≤ limit` for drifts and JS, `≥ limit` for CKA and top-1 agreement.
        var isUpper: Bool { measure != .cka && measure != .top1Agreement }

        func holds(_ value: Double) -> Bool { value.isFinite && (isUpper ? value <= limit : value >= limit) }
    }

    /// One line of the verdict.
    struct Outcome: Equatable {
        var bound: Bound
        var pair: (a: String, b: String)
        var layer: Int
        var value: Double
        var ok: Bool

        static func == (l: Outcome, r: Outcome) -> Bool {
            l.bound == r.bound && l.pair == r.pair && l.layer == r.layer && l.ok == r.ok
                && (l.value == r.value || (l.value.isNaN && r.value.isNaN))
        }
    }

    /// A row of `global` or `category_drift` reduced to what the gate reads.
    struct Row {
        var a: String
        var b: String
        var layer: Int
        var category: String? = nil
        var values: [String: Double]
    }

    var directory: URL
    var global: [Row]
    var categories: [Row]
    /// `tables/category_drift_adjusted` (covariate-adjusted mean drift per category), when the run has it.
    var adjustedCategories: [Row]?
    /// `tables/next_token_global` (mean JS, top-1 agreement per pair), when the run kept next-token logits.
    var nextToken: [NextTokenSummaryRow]?
    var headlineLayer: Int?

    /// Reads the tables of the run directory at `directory`.
    ///
    /// - Throws: ``DriftCore/DriftError`` when it is not an analysed run directory, or its manifest or a table is
    ///   malformed (naming the file, the row and the column).
    init(directory: URL) throws {
        self.directory = directory
        guard let manifest = try RunManifest.read(in: directory) else {
            throw DriftError(
                .missing, "not a run directory (no \(RunLayout.manifestFileName)); run `compare` first",
                path: directory.path)
        }
        headlineLayer = manifest.analysis?.headlineLayer
        let layout = RunLayout(directory)
        global = try TableFile.read(GlobalRow.self, in: layout).map {
            Row(a: $0.variantA, b: $0.variantB, layer: $0.layer, values: ["mean_drift": $0.meanDrift, "cka": $0.cka])
        }
        categories = try TableFile.read(CategoryDriftRow.self, in: layout).map {
            Row(a: $0.variantA, b: $0.variantB, layer: $0.layer, category: $0.category, values: ["mean": $0.mean])
        }
        if TableFile.exists(AdjustedCategoryDriftRow.self, in: layout) {
            adjustedCategories = try TableFile.read(AdjustedCategoryDriftRow.self, in: layout).map {
                let s = $0.statistics
                return Row(a: s.variantA, b: s.variantB, layer: s.layer, category: s.category, values: ["mean": s.mean])
            }
        }
        if TableFile.exists(NextTokenSummaryRow.self, in: layout) {
            nextToken = try TableFile.read(NextTokenSummaryRow.self, in: layout)
        }
    }

    /// The layers present in `global`.
    var layers: [Int] { Array(Set(global.map(\.layer))).sorted() }

    /// Every pair of `global`, in table order.
    var pairs: [(a: String, b: String)] {
        var seen = Set<String>()
        return global.compactMap { seen.insert("\($0.a)\u{1F}\($0.b)").inserted ? ($0.a, $0.b) : nil }
    }

    /// Evaluates `bounds` at `layer` (default: the headline layer) for `pairs` (default: all; `a,b` matches either
    /// order).
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) for an unknown layer, pair or category — a usage
    ///   error, listing what the run has.
    func evaluate(_ bounds: [Bound], pairs wanted: [(String, String)], layer: Int?) throws -> [Outcome] {
        let layer = layer ?? headlineLayer ?? layers.last ?? 0
        guard layers.contains(layer) else {
            throw DriftError(
                .invalidArgument,
                "layer \(layer) is not in the run's tables (layers: \(layers.map(String.init).joined(separator: ", ")))",
                path: directory.path)
        }
        let known = pairs
        var chosen: [(a: String, b: String)] = []
        for (x, y) in wanted {
            guard let pair = known.first(where: { ($0.a == x && $0.b == y) || ($0.a == y && $0.b == x) }) else {
                throw DriftError(
                    .invalidArgument,
                    "unknown pair \(x),\(y); the run's pairs: \(known.map { "\($0.a),\($0.b)" }.joined(separator: "; "))",
                    path: directory.path)
            }
            chosen.append(pair)
        }
        if chosen.isEmpty { chosen = known }
        let categoryNames = Array(Set(categories.compactMap(\.category))).sorted()
        for bound in bounds {
            if let category = bound.category, !categoryNames.contains(category) {
                throw DriftError(
                    .invalidArgument,
                    "unknown category '\(category)'; the run's categories: \(categoryNames.joined(separator: ", "))",
                    path: directory.path)
            }
        }
        if bounds.contains(where: { $0.measure == .meanJS || $0.measure == .top1Agreement }), nextToken == nil {
            throw DriftError(
                .invalidArgument,
                "the run has no next-token tables (tables/next_token_global); run `compare --next-token` first",
                path: directory.path)
        }
        if bounds.contains(where: { $0.measure == .adjustedCategoryDrift }), adjustedCategories == nil {
            throw DriftError(
                .invalidArgument,
                "the run has no adjusted category table (tables/category_drift_adjusted); analyse it with covariates "
                    + "(the default, not --covariates none) first",
                path: directory.path)
        }
        var outcomes: [Outcome] = []
        for bound in bounds {
            for pair in chosen {
                let value: Double
                switch bound.measure {
                case .meanDrift, .cka:
                    value =
                        global.first { $0.a == pair.a && $0.b == pair.b && $0.layer == layer }?
                        .values[bound.measure.rawValue] ?? .nan
                case .categoryDrift:
                    value =
                        categories.first {
                            $0.a == pair.a && $0.b == pair.b && $0.layer == layer && $0.category == bound.category
                        }?.values["mean"] ?? .nan
                case .adjustedCategoryDrift:
                    value =
                        adjustedCategories?.first {
                            $0.a == pair.a && $0.b == pair.b && $0.layer == layer && $0.category == bound.category
                        }?.values["mean"] ?? .nan
                case .meanJS, .top1Agreement:
                    // Output measures have no layer: the logits are the model's, after every layer.
                    let row = nextToken?.first { $0.variantA == pair.a && $0.variantB == pair.b }
                    value = (bound.measure == .meanJS ? row?.meanJS : row?.top1Agreement) ?? .nan
                }
                outcomes.append(
                    Outcome(bound: bound, pair: pair, layer: layer, value: value, ok: bound.holds(value)))
            }
        }
        return outcomes
    }

    /// The verdict as an aligned text table: measure, pair, layer, bound, value, ok/VIOLATED.
    static func table(_ outcomes: [Outcome]) -> String {
        var lines = [["measure", "pair", "layer", "bound", "value", "status"]]
        for o in outcomes {
            let measure = o.bound.category.map { "\(o.bound.measure.rawValue)[\($0)]" } ?? o.bound.measure.rawValue
            lines.append([
                measure, "\(o.pair.a),\(o.pair.b)", "\(o.layer)",
                (o.bound.isUpper ? "<= " : ">= ") + format(o.bound.limit),
                o.value.isFinite ? format(o.value) : "n/a", o.ok ? "ok" : "VIOLATED",
            ])
        }
        let widths = (0..<6).map { c in lines.map { $0[c].count }.max() ?? 0 }
        return lines.map { cells in
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    static func format(_ x: Double) -> String { String(format: "%.4f", x) }
}
