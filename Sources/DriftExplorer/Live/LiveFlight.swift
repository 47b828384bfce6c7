import Foundation

/// One term being embedded: the requests waiting for it and, once finished, its outcome.
///
/// `@unchecked Sendable`: every stored property is read and written only while holding `lock`, and each continuation
/// is removed from `waiters` under the lock before it is resumed, so it is resumed exactly once.
final class LiveFlight: @unchecked Sendable {
    typealias Outcome = Result<LiveRecord, ExplorerAPI.Failure>

    private let lock = NSLock()
    private var outcome: Outcome?
    private var waiters: [Int: CheckedContinuation<Outcome?, Never>] = [:]
    private var nextWaiter = 0

    /// Records the outcome and wakes every waiter.
    func finish(_ result: Outcome) {
        let woken = lock.withLock {
            outcome = result
            let all = waiters
            waiters = [:]
            return all
        }
        for continuation in woken.values { continuation.resume(returning: result) }
    }

    /// The outcome, or nil when it is not there within `timeout`.
    func wait(timeout: Duration) async -> Outcome? {
        await withCheckedContinuation { continuation in
            let id: Int? = lock.withLock {
                if outcome != nil { return nil }
                let id = nextWaiter
                nextWaiter += 1
                waiters[id] = continuation
                return id
            }
            guard let id else {
                continuation.resume(returning: lock.withLock { outcome })
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        let continuation = lock.withLock { waiters.removeValue(forKey: id) }
        continuation?.resume(returning: nil)
    }
}
