import Dispatch
import Foundation

/// One progress line on standard error, redrawn in place: `label [=====>    ] 120/235 prompts 51% 35.2/s ETA 0:03`.
///
/// Drawn only when the output is a terminal; in a pipe or a log file it writes nothing at all, so scripted runs see
/// only results on stdout and errors on stderr. Updates may come from any thread; redraws are limited to about ten a
/// second. Call ``finish()`` when the work is done (it draws the final state and ends the line).
final class ProgressLine: @unchecked Sendable {
    // Safe to share between threads: every mutable property is read and written only while holding `lock`.
    private let lock = NSLock()
    private let label: String
    private let unit: String
    private var total: Int?
    private let isTerminal: Bool
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> Double
    private let width: Int
    private let start: Double
    private var completed = 0
    private var lastDraw = -Double.infinity
    private var finished = false

    /// Seconds between redraws at most.
    static let redrawInterval = 0.1

    /// A progress line for `total` items of `unit` (nil when the total is unknown).
    ///
    /// - Parameters:
    ///   - isTerminal: whether to draw; defaults to whether standard error is a terminal.
    ///   - write: where text goes; defaults to standard error.
    ///   - now: a monotonic clock in seconds (injectable for tests).
    ///   - width: the widest line to draw, in characters (defaults to `$COLUMNS` − 1, else 79).
    init(
        _ label: String, total: Int?, unit: String = "",
        isTerminal: Bool = StandardError.isTerminal,
        write: @escaping @Sendable (String) -> Void = StandardError.write,
        now: @escaping @Sendable () -> Double = ProgressLine.monotonicSeconds,
        width: Int? = nil
    ) {
        self.label = label
        self.total = total
        self.unit = unit
        self.isTerminal = isTerminal
        self.write = write
        self.now = now
        let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap { Int($0) } ?? 80
        self.width = max(20, width ?? columns - 1)
        self.start = now()
    }

    /// Records that `completed` items are done (of `total`, when given; it may change as work is discovered).
    func update(completed: Int, total: Int? = nil) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        self.completed = completed
        if let total { self.total = total }
        drawIfDue(force: false)
    }

    /// Records `count` more items done.
    func advance(by count: Int = 1) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        completed += count
        drawIfDue(force: false)
    }

    /// Draws the final state and ends the line (once; later calls do nothing).
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        guard isTerminal else { return }
        write("\r" + render(at: now()) + "\u{1B}[K\n")
    }

    /// The line for the current state at time `time` (without control characters).
    func render(at time: Double) -> String {
        let elapsed = max(0, time - start)
        let rate = elapsed > 0 ? Double(completed) / elapsed : nil
        let unitSuffix = unit.isEmpty ? "" : " " + unit
        var parts: [String] = []
        if let total, total > 0 {
            let fraction = min(1, Double(completed) / Double(total))
            parts.append(Self.bar(fraction, width: 20))
            parts.append("\(completed)/\(total)\(unitSuffix)")
            parts.append("\(Int((fraction * 100).rounded(.down)))%")
        } else {
            parts.append("\(completed)\(unitSuffix)")
        }
        if let rate, completed > 0 { parts.append(Self.formatRate(rate) + "/s") }
        if let total, let rate, rate > 0, completed < total {
            parts.append("ETA " + Self.formatDuration(Double(total - completed) / rate))
        } else {
            parts.append(Self.formatDuration(elapsed))
        }
        let tail = parts.joined(separator: " ")
        let room = width - tail.count - 1
        let shownLabel = label.count <= room ? label : String(label.prefix(max(0, room - 1))) + "…"
        return shownLabel.isEmpty ? tail : shownLabel + " " + tail
    }

    private func drawIfDue(force: Bool) {
        guard isTerminal else { return }
        let time = now()
        let done = total.map { completed >= $0 } ?? false
        guard force || done || time - lastDraw >= Self.redrawInterval else { return }
        lastDraw = time
        write("\r" + render(at: time) + "\u{1B}[K")
    }

    /// `[=========>          ]`, `width` characters inside the brackets.
    static func bar(_ fraction: Double, width: Int) -> String {
        let filled = Int((fraction * Double(width)).rounded(.down))
        if filled >= width { return "[" + String(repeating: "=", count: width) + "]" }
        return "[" + String(repeating: "=", count: filled) + ">" + String(repeating: " ", count: width - filled - 1)
            + "]"
    }

    /// `0:07`, `12:34`, `1:02:03`.
    static func formatDuration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))" : "\(minutes):\(twoDigits(secs))"
    }

    /// Three significant figures at most: `0.125`, `35.2`, `412`, `12.3k`, `4.56M`.
    static func formatRate(_ rate: Double) -> String {
        func figures(_ value: Double) -> String {
            if value >= 100 { return String(Int(value.rounded())) }
            if value >= 10 { return String(format: "%.1f", value) }
            if value >= 1 { return String(format: "%.2f", value) }
            return String(format: "%.3f", value)
        }
        if rate >= 999_500_000 { return figures(rate / 1e9) + "G" }
        if rate >= 999_500 { return figures(rate / 1e6) + "M" }
        if rate >= 9_995 { return figures(rate / 1e3) + "k" }
        return figures(rate)
    }

    /// Seconds since an arbitrary fixed point, never going backwards.
    @Sendable static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
