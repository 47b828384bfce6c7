import Foundation

/// Turns the progress callbacks of the libraries into ``ProgressLine``s, one phase after another.
///
/// Libraries report progress through plain closures (items done, sometimes a total); a subcommand makes one
/// reporter, passes ``callback(_:total:unit:)`` closures to the library calls, and calls ``finish()`` at the end
/// (also on failure, e.g. with `defer`). Starting a new phase finishes the previous line.
final class ProgressReporter: @unchecked Sendable {
    // Safe to share between threads: `current` is read and written only while holding `lock`.
    private let lock = NSLock()
    private var current: ProgressLine?
    private let makeLine: @Sendable (String, Int?, String) -> ProgressLine

    /// A reporter drawing on standard error when it is a terminal (`quiet` turns it off entirely).
    init(quiet: Bool = false) {
        let terminal = !quiet && StandardError.isTerminal
        makeLine = { label, total, unit in ProgressLine(label, total: total, unit: unit, isTerminal: terminal) }
    }

    /// A reporter whose lines are made by `makeLine` (for tests).
    init(makeLine: @escaping @Sendable (String, Int?, String) -> ProgressLine) {
        self.makeLine = makeLine
    }

    /// Starts a new phase (finishing the previous one) and returns its line.
    @discardableResult
    func begin(_ label: String, total: Int?, unit: String = "") -> ProgressLine {
        lock.lock()
        defer { lock.unlock() }
        current?.finish()
        let line = makeLine(label, total, unit)
        current = line
        return line
    }

    /// Starts a phase and returns a callback taking "items completed so far" for a library to call.
    func callback(_ label: String, total: Int?, unit: String = "") -> @Sendable (Int) -> Void {
        let line = begin(label, total: total, unit: unit)
        return { completed in line.update(completed: completed) }
    }

    /// Starts a phase and returns a callback taking (completed, total) for a library to call.
    func callbackWithTotal(_ label: String, unit: String = "") -> @Sendable (Int, Int) -> Void {
        let line = begin(label, total: nil, unit: unit)
        return { completed, total in line.update(completed: completed, total: total) }
    }

    /// Finishes the current phase's line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        current?.finish()
        current = nil
    }
}
