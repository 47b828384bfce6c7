import DriftAnalysis
import DriftModels
import DriftPipeline
import Foundation

/// Renders a ``DriftPipeline/ComparePipeline``'s events as progress lines: one line per step (hashing, loading,
/// extracting, analysing, writing), updated in place.
///
/// `@unchecked Sendable`: `key` and `line` are only touched while holding `lock`, and the reporter and the Hub display
/// are themselves safe to share.
final class PipelineProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let reporter: ProgressReporter
    private let hub: HubProgressDisplay
    private var key: String?
    private var line: ProgressLine?

    init(reporter: ProgressReporter) {
        self.reporter = reporter
        hub = HubProgressDisplay(reporter: reporter)
    }

    /// Draws `event`.
    func show(_ event: PipelineEvent) {
        if case .hub(let progress) = event {
            hub.show(progress)
            return
        }
        lock.withLock {
            switch event {
            case .hub:
                break
            case .hashing(let model):
                begin("hashing \(model)", total: nil)
            case .loading(let variant, let completed, let total):
                update("loading \(variant)", completed: completed, total: total, unit: "blocks")
            case .extracting(let label, let completed, let total):
                update("extracting \(label)", completed: completed, total: total, unit: "tokens")
            case .streaming(let label, let completed, let total):
                update("streaming \(label)", completed: completed, total: total, unit: "layers")
            case .analysis(.loading(let variant)):
                begin("reading \(variant)", total: nil)
            case .analysis(.pairs(let completed, let total)):
                update("analysing pairs × layers", completed: completed, total: total, unit: "")
            case .analysis(.umap(.epoch(let completed, let total))):
                update("joint UMAP", completed: completed, total: total, unit: "epochs")
            case .analysis(.umap(.neighbors(let points, _))):
                begin("joint UMAP: neighbours of \(points) points", total: nil)
            case .analysis(.umap):
                break
            case .comparingLogitLens:
                begin("comparing the logit lens", total: nil)
            case .writingTables:
                begin("writing tables", total: nil)
            case .writingReport:
                begin("writing report", total: nil)
            }
        }
    }

    /// Ends the current line.
    func finish() { reporter.finish() }

    private func begin(_ label: String, total: Int?, unit: String = "") {
        key = label
        line = reporter.begin(label, total: total, unit: unit)
    }

    /// Updates the line `label`, starting it when another line is current.
    private func update(_ label: String, completed: Int, total: Int?, unit: String) {
        if key != label || line == nil { begin(label, total: total, unit: unit) }
        if completed > 0 || total != nil { line?.update(completed: completed, total: total) }
    }
}
