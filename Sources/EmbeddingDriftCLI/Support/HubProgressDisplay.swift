import DriftModels
import Foundation

/// Shows a ``DriftModels/HubResolver``'s progress: one line per downloaded file (KiB, or MiB for files of 16 MiB
/// and more), and a note on standard error when the cache is used because the Hub cannot be reached or when a request
/// is retried.
final class HubProgressDisplay: @unchecked Sendable {
    // Safe to share: `file` and `line` are only touched while holding `lock`.
    private let lock = NSLock()
    private let reporter: ProgressReporter
    private var file: String?
    private var line: ProgressLine?
    private var shift: Int64 = 10

    init(reporter: ProgressReporter) {
        self.reporter = reporter
    }

    func show(_ event: HubProgress) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .listing(let repository, let revision):
            file = nil
            line = reporter.begin("asking the Hub for \(repository)@\(revision)", total: nil)
        case .downloading(let name, let bytes, let total):
            if name != file || line == nil {
                file = name
                shift = (total ?? 0) >= 16 << 20 ? 20 : 10
                line = reporter.begin(
                    "downloading \(name)", total: total.map { Int($0 >> shift) }, unit: shift == 20 ? "MiB" : "KiB")
            }
            line?.update(completed: Int(bytes >> shift))
        case .verifying(let name):
            file = nil
            line = reporter.begin("checking the SHA-256 of \(name)", total: nil)
        case .usingCache(let repository, let reason):
            reporter.finish()
            line = nil
            StandardError.write("note: \(reason); using the cached copy of \(repository)\n")
        case .retrying(let what, let reason, let attempt, let attempts, let seconds):
            reporter.finish()
            line = nil
            file = nil
            let wait = Self.seconds(seconds)
            StandardError.write(
                "note: \(reason) for \(what) (attempt \(attempt) of \(attempts)); retrying in \(wait)\n")
        }
    }

    /// `2 s`, `0.5 s`.
    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
