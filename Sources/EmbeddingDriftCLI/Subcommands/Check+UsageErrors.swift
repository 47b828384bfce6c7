import ArgumentParser

extension Check {
    /// The exit status of every usage error of `check` — a missing directory argument, an unknown option, a
    /// malformed number, no bound, an unknown pair, category or layer, an unreadable run — so that to a CI gate 1
    /// means only "a bound is violated".
    static let usageErrorStatus: Int32 = 2

    /// For a command line that runs `check` (`arguments` without the program name) and argument-parser's parse
    /// `error` (which it would exit with 64, `EX_USAGE`): ``usageErrorStatus``; nil for any other command line, and
    /// for `--help` (exit 0).
    static func parseErrorStatus(for error: any Error, arguments: [String]) -> ExitCode? {
        guard arguments.first == (configuration.commandName ?? "check"),
            EmbeddingDrift.exitCode(for: error) != .success
        else { return nil }
        return ExitCode(usageErrorStatus)
    }
}
