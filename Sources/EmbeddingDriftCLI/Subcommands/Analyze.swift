import ArgumentParser
import DriftAnalysis
import DriftCore
import Foundation

/// `embedding-drift analyze`: re-run the analysis (and UMAP) of a run directory from its stored vectors.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run the analysis of a run directory from its stored vectors (no model needed).",
        discussion: """
            Reads manifest.json, concept_metadata.json and hidden_<variant>.npy of every variant in the run's order, \
            analyses every pair at every layer stored by all, and rewrites tables/, umap_<variant>.npy, summary.json \
            and summary.md. Use it to change --k, --bootstrap, --permutations or --seed without extracting again.
            """)

    @Argument(help: ArgumentHelp("The run directory (written by compare or import).", valueName: "dir"))
    var directory: String

    @Option(
        help: ArgumentHelp(
            "The variants to analyse, in order, comma-separated (default: the run's order; recorded as the new order).",
            valueName: "a,b,…"))
    var variants: String?

    @OptionGroup var analysis: AnalysisOptions

    @Flag(help: "Draw no progress lines, even on a terminal.")
    var quiet = false

    func run() throws {
        let names = variants.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let url = URL(fileURLWithPath: directory)
        var options = analysis.options
        // A run recorded as a checkpoint series stays one without repeating --series.
        if !options.series, try RunManifest.read(in: url)?.analysis?.settings?.series == true {
            options.series = true
        }
        let reporter = ProgressReporter(quiet: quiet)
        defer { reporter.finish() }
        try RunAnalyzer.analyze(url, variants: names, options: options, reporter: reporter)
    }
}
