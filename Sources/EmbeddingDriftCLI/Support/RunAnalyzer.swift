import DriftAnalysis
import DriftCore
import DriftReport
import Foundation

/// Runs the analysis of a run directory with progress lines, writes it and the report, and prints where the results
/// are: the last step of `compare`, `analyze` and `import`.
enum RunAnalyzer {
    /// Analyses `variants` (default: the run's order) of the run directory at `directory` and writes the results.
    @discardableResult
    static func analyze(
        _ directory: URL, variants: [String]? = nil, options: RunAnalysis.Options, reporter: ProgressReporter
    ) throws -> RunAnalysis {
        let run = try RunDirectory(directory)
        var pairLine: ProgressLine?
        var epochLine: ProgressLine?
        let analysis = try RunAnalysis(run: run, variants: variants, options: options) { event in
            switch event {
            case .loading(let variant):
                reporter.begin("reading \(variant)", total: nil)
            case .pairs(let completed, let total):
                if pairLine == nil { pairLine = reporter.begin("analysing pairs × layers", total: total, unit: "") }
                pairLine?.update(completed: completed, total: total)
            case .umap(.epoch(let completed, let total)):
                if epochLine == nil { epochLine = reporter.begin("joint UMAP", total: total, unit: "epochs") }
                epochLine?.update(completed: completed, total: total)
            case .umap(.neighbors(let points, _)):
                reporter.begin("joint UMAP: neighbours of \(points) points", total: nil)
            case .umap:
                break
            }
        }
        reporter.begin("writing tables", total: nil)
        try analysis.write(to: run, toolVersion: ToolVersion.current)
        reporter.begin("writing report", total: nil)
        let report = try ReportCommand.write(directory)
        reporter.finish()

        for row in analysis.globalRows where row.layer == analysis.headlineLayer {
            let drift = row.meanDrift.isFinite ? String(format: "%.4f", row.meanDrift) : "n/a"
            print(
                "\(row.variantA) → \(row.variantB) (layer \(row.layer)): mean drift \(drift), CKA "
                    + String(format: "%.4f", row.cka))
        }
        for note in analysis.notes { print("note: \(note)") }
        print(RunLayout(directory).summaryMarkdown.path)
        print("\(report.page.path) (\(report.pageBytes / 1024) KiB, \(report.figures.count) figures)")
        return analysis
    }
}
