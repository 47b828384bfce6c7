import ArgumentParser
import DriftCore
import Foundation

/// `embedding-drift check`: a release gate — exit 0 when a run's drift is within bounds, 1 when not.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when a run's drift is within the given bounds, 1 (with a table) when not: a CI gate.",
        discussion: """
            Reads tables/global.json, tables/category_drift.json (and category_drift_adjusted.json for \
            --max-adjusted-category-drift) of an analysed run directory at one layer \
            (default: the headline layer) for every pair (or those given with --pair) and checks each bound. Prints \
            a table (measure, pair, layer, bound, value, ok/VIOLATED) either way. Exit status: 0 all bounds hold; \
            1 a bound is violated (an undefined value violates it); 2 usage error (no directory, an unknown \
            option, a malformed or non-finite number, no bound, unknown pair, category or layer, unreadable run).

            Example: embedding-drift check runs/llama --max-mean-drift 0.05 --max-category-drift political=0.08 \
            --min-cka 0.9 --pair base,instruct
            """)

    @Argument(help: ArgumentHelp("The run directory (written by compare, run, merge or import).", valueName: "dir"))
    var directory: String

    @Option(help: ArgumentHelp("Largest allowed mean cosine drift over all concepts.", valueName: "x"))
    var maxMeanDrift: Double?

    @Option(help: ArgumentHelp("Largest allowed mean drift of one category (repeatable).", valueName: "category=x"))
    var maxCategoryDrift: [String] = []

    @Option(
        help: ArgumentHelp(
            "Largest allowed covariate-adjusted mean drift of one category (repeatable; tables/category_drift_adjusted).",
            valueName: "category=x"))
    var maxAdjustedCategoryDrift: [String] = []

    @Option(help: ArgumentHelp("Smallest allowed linear CKA.", valueName: "x"))
    var minCka: Double?

    @Option(
        help: ArgumentHelp(
            "Largest allowed mean Jensen-Shannon divergence of the next-token distributions (a run of compare --next-token).",
            valueName: "x"))
    var maxMeanJs: Double?

    @Option(
        help: ArgumentHelp(
            "Smallest allowed fraction of concepts whose most likely next token is the same (compare --next-token).",
            valueName: "x"))
    var minTop1Agreement: Double?

    @Option(help: ArgumentHelp("Check only this pair (repeatable; either order).", valueName: "a,b"))
    var pair: [String] = []

    @Option(help: ArgumentHelp("The layer to check (default: the run's headline layer).", valueName: "L"))
    var layer: Int?

    func run() throws {
        let outcomes: [DriftGate.Outcome]
        do {
            outcomes = try evaluate()
        } catch {
            // Usage errors and unreadable runs: 2, so that 1 always means "a bound is violated".
            StandardError.write(CommandFailure.line(for: error) + "\n")
            throw ExitCode(2)
        }
        print(DriftGate.table(outcomes), terminator: "")
        let violated = outcomes.filter { !$0.ok }.count
        if violated == 0 {
            print("check: all \(outcomes.count) bounds hold")
        } else {
            print("check: \(violated) of \(outcomes.count) bounds VIOLATED")
            throw ExitCode(1)
        }
    }

    func evaluate() throws -> [DriftGate.Outcome] {
        var bounds: [DriftGate.Bound] = []
        if let maxMeanDrift { bounds.append(.init(measure: .meanDrift, limit: maxMeanDrift)) }
        for (items, measure, option) in [
            (maxCategoryDrift, DriftGate.Bound.Measure.categoryDrift, "--max-category-drift"),
            (maxAdjustedCategoryDrift, .adjustedCategoryDrift, "--max-adjusted-category-drift"),
        ] {
            for item in items {
                guard let equals = item.lastIndex(of: "="), let limit = Double(item[item.index(after: equals)...]),
                    equals != item.startIndex
                else {
                    throw DriftError(
                        .invalidArgument, "\(option) expects category=x (e.g. political=0.08), got '\(item)'")
                }
                bounds.append(.init(measure: measure, category: String(item[..<equals]), limit: limit))
            }
        }
        if let minCka { bounds.append(.init(measure: .cka, limit: minCka)) }
        if let maxMeanJs { bounds.append(.init(measure: .meanJS, limit: maxMeanJs)) }
        if let minTop1Agreement { bounds.append(.init(measure: .top1Agreement, limit: minTop1Agreement)) }
        // Double("nan") and Double("inf") parse, but no bound can be checked against them.
        if let bound = bounds.first(where: { !$0.limit.isFinite }) {
            let option = [
                "mean_drift": "--max-mean-drift", "category_drift": "--max-category-drift", "mean_js": "--max-mean-js",
                "top1_agreement": "--min-top1-agreement", "adjusted_category_drift": "--max-adjusted-category-drift",
            ][bound.measure.rawValue, default: "--min-cka"]
            throw DriftError(.invalidArgument, "\(option) must be a finite number (e.g. 0.05), got \(bound.limit)")
        }
        guard !bounds.isEmpty else {
            throw DriftError(
                .invalidArgument,
                "give at least one bound: --max-mean-drift, --max-category-drift, --max-adjusted-category-drift, --min-cka, "
                    + "--max-mean-js or --min-top1-agreement"
            )
        }
        let pairs = try pair.map { text -> (String, String) in
            let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw DriftError(.invalidArgument, "--pair expects a,b (two variant names), got '\(text)'")
            }
            return (parts[0], parts[1])
        }
        let gate = try DriftGate(directory: URL(fileURLWithPath: directory))
        return try gate.evaluate(bounds, pairs: pairs, layer: layer)
    }
}
