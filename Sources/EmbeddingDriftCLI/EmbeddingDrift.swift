import ArgumentParser

@main
struct EmbeddingDrift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embedding-drift",
        abstract: "Measure and show how the concepts inside a language model move when the model changes.",
        version: ToolVersion.current,
        subcommands: [
            Inspect.self,
            Extract.self,
            Compare.self,
            Analyze.self,
            Import.self,
            Bench.self,
            Tokenize.self,
            UMAPCommand.self,
            ReportCommand.self,
            Serve.self,
            RunExperiment.self,
            InitCommand.self,
            Check.self,
            Merge.self,
        ]
    )

    /// Parses the command line and runs the chosen subcommand (sync or async).
    ///
    /// Every failure of a subcommand's `run()` goes through ``CommandFailure/report(_:write:)``: one line `error: <description>` on
    /// stderr and exit status 1. Subcommands just throw (`DriftError` for anything a user can fix). Argument-parser's
    /// own errors (bad flags, `ValidationError` from `validate()`) keep its usage message and exit status 64 — except
    /// for `check`, whose usage errors all exit 2 (``Check/parseErrorStatus(for:arguments:)``).
    nonisolated static func main() async {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            if let status = Check.parseErrorStatus(for: error, arguments: Array(CommandLine.arguments.dropFirst())) {
                StandardError.write(fullMessage(for: error) + "\n")
                exit(withError: status)
            }
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: CommandFailure.report(error))
        }
    }
}
