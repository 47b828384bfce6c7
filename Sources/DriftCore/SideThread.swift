import Dispatch
import Foundation

/// Work run on a thread of its own while the caller does something else: loading a tokenizer (one core, string
/// tables) while the weights load (page tables and copies, every core).
package enum SideThread {
    /// Runs `side` on a new thread while `body` runs on this one; returns both outcomes once both have finished.
    ///
    /// The side thread gets the main thread's stack size (8 MiB), so work that ran on the main thread before runs
    /// unchanged there.
    package static func overlapping<Side: Sendable, Body>(
        _ side: @escaping @Sendable () throws -> Side, with body: () throws -> Body
    ) -> (side: Result<Side, any Error>, body: Result<Body, any Error>) {
        let outcome = Outcome<Side>()
        let thread = Thread {
            outcome.result = Result { try side() }
            outcome.finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        let bodyResult = Result { try body() }
        outcome.finished.wait()
        return (outcome.result ?? .failure(CancellationError()), bodyResult)
    }

    /// The side thread's result, written once before `finished` is signalled and read only after waiting for it.
    private final class Outcome<Value>: @unchecked Sendable {
        var result: Result<Value, any Error>?
        let finished = DispatchSemaphore(value: 0)
    }
}
