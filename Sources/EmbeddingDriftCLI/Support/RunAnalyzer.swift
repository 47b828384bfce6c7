import DriftAnalysis
import DriftCore
import DriftPipeline
import DriftReport
import Foundation

/// Runs the analysis of a run directory with progress lines, writes it and the report, and prints where the results
/// are: the last step of `analyze` and `import` (and, through ``CompareRun``, of `compare`).
enum RunAnalyzer {
    /// Analyses `variants` (default: the run's order) of the run directory at `directory` and writes the results.
    @discardableResult
    static func analyze(
        _ directory: URL, variants: [String]? = nil, options: RunAnalysis.Options, reporter: ProgressReporter
    ) throws -> RunAnalysis {
        let display = PipelineProgressDisplay(reporter: reporter)
        let (analysis, report) = try ComparePipeline.analyze(
            directory, variants: variants, options: options, toolVersion: ToolVersion.current
        ) { display.show($0) }
        reporter.finish()
        printResults(analysis, report: report, directory: directory)
        return analysis
    }

    /// Prints the headline drift and CKA of every pair, the analysis' notes, and where the summary and report are.
    static func printResults(_ analysis: RunAnalysis, report: ReportWriter.Output?, directory: URL) {
        for row in analysis.globalRows where row.layer == analysis.headlineLayer {
            let drift = row.meanDrift.isFinite ? String(format: "%.4f", row.meanDrift) : "n/a"
            print(
                "\(row.variantA) → \(row.variantB) (layer \(row.layer)): mean drift \(drift), CKA "
                    + String(format: "%.4f", row.cka))
        }
        for note in analysis.notes { print("note: \(note)") }
        print(RunLayout(directory).summaryMarkdown.path)
        if let report {
            print("\(report.page.path) (\(report.pageBytes / 1024) KiB, \(report.figures.count) figures)")
        }
    }
}
