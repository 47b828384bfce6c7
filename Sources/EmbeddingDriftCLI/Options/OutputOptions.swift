import ArgumentParser
import Foundation

/// `--out`: the run directory results go to (shared by the commands that write one).
struct OutputOptions: ParsableArguments {
    @Option(
        name: .customLong("out"),
        help: ArgumentHelp(
            "The run directory to write into (created if missing; existing variants of other names are kept).",
            valueName: "dir"))
    var directory: String

    /// The run directory.
    var url: URL { URL(fileURLWithPath: directory) }
}
