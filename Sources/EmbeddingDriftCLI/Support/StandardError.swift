import Foundation

/// The process's standard error: where progress and error lines go (stdout carries only results).
enum StandardError {
    /// Whether standard error is a terminal (progress lines are drawn only then).
    static var isTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// Writes `text` as it is (no newline added).
    @Sendable static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
