import Dispatch
import Foundation

/// The one helper for data parallelism in numeric code.
public enum Parallel {
    /// Number of worker threads the helpers use (defaults to the active processor count).
    nonisolated(unsafe) public static var workerCount: Int = ProcessInfo.processInfo.activeProcessorCount

    /// Calls `body(i)` for every `i` in `0..<count`, spread over up to ``workerCount`` threads.
    ///
    /// `body` must be safe to call concurrently for different indices.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        let workers = min(workerCount, count)
        if workers <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendableBox(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in box.value(i) }
        }
    }

    /// Calls `body(range)` on contiguous chunks that partition `0..<count`, one chunk per worker.
    public static func forEachChunk(_ count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = max(1, min(workerCount, count / max(1, minimumChunk)))
        let chunk = (count + workers - 1) / workers
        forEach(workers) { w in
            let start = w * chunk
            let end = min(count, start + chunk)
            if start < end { body(start..<end) }
        }
    }
}

/// Carries a non-Sendable value into `concurrentPerform`.
///
/// Safe here because `Parallel` only calls the closure while the caller waits, on disjoint indices.
private struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
