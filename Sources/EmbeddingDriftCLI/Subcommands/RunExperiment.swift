import ArgumentParser
import DriftAnalysis
import DriftCore
import Foundation

/// `embedding-drift run experiment.yaml`: the `compare` run an experiment file describes.
struct RunExperiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the experiment an experiment file (YAML) describes: the same run as the equivalent compare.",
        discussion: """
            The file names the output, vocabulary, variants (or checkpoints: one hub model at revisions, a time \
            series), templates, layers, pooling, analysis and UMAP settings; `embedding-drift init` writes a \
            commented example. It is turned into `compare`'s arguments and run by `compare` itself, so a run from a \
            file and the equivalent command give the same tables; --print-command shows that command. Relative \
            paths are relative to the file's folder. Unknown keys and values of the wrong type are refused with \
            their line.

            Example: embedding-drift run experiment.yaml
            """)

    @Argument(help: ArgumentHelp("The experiment file.", valueName: "experiment.yaml"))
    var file: String

    @Flag(help: "Print the equivalent compare command and exit.")
    var printCommand = false

    @Flag(help: "Draw no progress lines, even on a terminal.")
    var quiet = false

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let experiment = try ExperimentParser.load(url)
        if printCommand {
            print(experiment.commandLine)
            return
        }
        try CompareRun.run(try experiment.request(), quiet: quiet)
        if experiment.shard == nil {
            try RunManifest.update(in: URL(fileURLWithPath: experiment.output)) { manifest in
                manifest.experiment = RunManifest.ExperimentRecord(
                    file: url.standardizedFileURL.path, command: experiment.commandLine)
            }
        }
    }
}
