import ArgumentParser
import DriftCore
import Foundation

/// The one way subcommands fail: a single line `error: <description>` on standard error, then exit status 1.
///
/// swift-argument-parser's own `exit(withError:)` prints `Error: ` plus `String(describing:)` of the error, which for
/// many errors spans several lines. The root command (`EmbeddingDrift.main()`) instead runs every subcommand through
/// ``reporting(to:_:)``: a `DriftError` prints its `description`, which already names the file; any other error
/// prints its localized description; newlines are folded into spaces. The error is then replaced by
/// `ExitCode.failure`, which argument-parser turns into the exit status without printing more.
///
/// Argument-parser's own errors pass through untouched, so bad flags and `ValidationError`s still print the usage
/// message and exit with `EX_USAGE` (64), and `CleanExit` / `ExitCode` keep their meaning.
enum CommandFailure {
    /// Runs `body`; on failure prints the one-line message through `write` and throws `ExitCode.failure`.
    static func reporting<Result>(
        to write: (String) -> Void = StandardError.write, _ body: () throws -> Result
    ) throws -> Result {
        do {
            return try body()
        } catch {
            throw report(error, write: write)
        }
    }

    /// The single line printed for `error` (without the trailing newline).
    static func line(for error: any Error) -> String {
        let description: String
        switch error {
        case let error as DriftError:
            description = error.description
        case let error as any LocalizedError:
            description = error.errorDescription ?? String(describing: error)
        default:
            #if canImport(Darwin)
                description = error.localizedDescription
            #else
                description = type(of: error) is NSError.Type ? error.localizedDescription : String(describing: error)
            #endif
        }
        let folded = description.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return "error: " + folded.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Prints the one-line message for `error` and returns `ExitCode.failure`; argument-parser's own errors
    /// (`ExitCode`, `CleanExit`, `ValidationError`) are returned unprinted, for `exit(withError:)` to handle.
    static func report(_ error: any Error, write: (String) -> Void = StandardError.write) -> any Error {
        switch error {
        case is ExitCode, is CleanExit, is ValidationError:
            return error
        case _ where String(reflecting: type(of: error)).hasPrefix("ArgumentParser."):
            // argument-parser's internal errors (a help request reaches `run()` of its HelpCommand as one).
            return error
        default:
            // On a terminal, first clear a progress line the failure may have interrupted.
            let clear = StandardError.isTerminal ? "\r\u{1B}[K" : ""
            write(clear + line(for: error) + "\n")
            return ExitCode.failure
        }
    }
}
