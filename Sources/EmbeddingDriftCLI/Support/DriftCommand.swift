import ArgumentParser

/// A subcommand whose failures print exactly one line `error: <description>` and exit with status 1.
///
/// Implement ``execute()`` instead of `run()`; throw ``DriftCore/DriftError`` (or any error) to fail. Validation of
/// flags belongs in `validate()` (throwing `ValidationError`), which keeps argument-parser's usage message.
protocol DriftCommand: ParsableCommand {
    /// The command's work.
    mutating func execute() throws
}

extension DriftCommand {
    mutating func run() throws {
        try CommandFailure.reporting { try execute() }
    }
}

/// The `async` form of ``DriftCommand`` (for commands that serve or download); the root command must then be an
/// `AsyncParsableCommand`.
protocol AsyncDriftCommand: AsyncParsableCommand {
    /// The command's work.
    mutating func execute() async throws
}

extension AsyncDriftCommand {
    mutating func run() async throws {
        try await CommandFailure.reporting { try await execute() }
    }
}
