import DriftAnalysis
import DriftCore
import DriftModels
import DriftPipeline
import Foundation

/// Runs a compare request with progress lines and prints what it did: shared by `compare` and `run`.
enum CompareRun {
    /// Runs `request`, drawing progress unless `quiet`, and prints the variants extracted and reused, then the
    /// analysis' headline (or, for a shard, where to merge it).
    ///
    /// - Throws: what the pipeline throws.
    @discardableResult
    static func run(_ request: CompareRequest, quiet: Bool) throws -> CompareOutcome {
        let reporter = ProgressReporter(quiet: quiet)
        defer { reporter.finish() }
        let display = PipelineProgressDisplay(reporter: reporter)
        let outcome = try ComparePipeline(request).run { display.show($0) }
        reporter.finish()
        printVariants(outcome)
        if let shard = outcome.shard {
            print(
                "shard \(shard) of \(request.vocabulary.count) concepts in \(request.output.path); no analysis — join "
                    + "all \(shard.count) shards with `embedding-drift merge <dirs…> --out <dir>`")
        } else if let analysis = outcome.analysis {
            RunAnalyzer.printResults(analysis, report: outcome.report, directory: request.output)
        }
        return outcome
    }

    /// Prints `variants: n extracted (…), m reused (…)`.
    static func printVariants(_ outcome: CompareOutcome) {
        let extracted = outcome.extracted
        let reused = outcome.reused
        print(
            "variants: \(extracted.count) extracted\(extracted.isEmpty ? "" : " (\(extracted.joined(separator: ", ")))"), "
                + "\(reused.count) reused\(reused.isEmpty ? "" : " (\(reused.joined(separator: ", ")))")")
    }
}
