import DriftCore
import Foundation

/// The phases of a `compare` extraction (each variant's loading and extraction), recorded from any thread, for the
/// manifest's ``DriftCore/RunManifest/LastRun/Pipeline``.
///
/// `@unchecked Sendable` is safe because `phases` is only read or written while holding `lock`.
final class PipelineTimeline: @unchecked Sendable {
    private let lock = NSLock()
    private let start = ContinuousClock.now
    private var phases: [RunManifest.LastRun.Pipeline.Phase] = []

    /// Seconds since the timeline began.
    var now: Double { (ContinuousClock.now - start).seconds }

    /// Runs `body` as phase `phase` of `variant`, recording when it started and ended (also when it throws).
    func measure<T>(_ variant: String, _ phase: String, _ body: () throws -> T) rethrows -> T {
        let begin = now
        defer {
            let end = now
            lock.withLock {
                phases.append(.init(variant: variant, phase: phase, start: begin, end: end))
            }
        }
        return try body()
    }

    /// The record: every phase in start order and the seconds during which one variant loaded while another
    /// extracted.
    func record(overlapped: Bool, note: String?) -> RunManifest.LastRun.Pipeline {
        let phases = lock.withLock { self.phases }.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        return RunManifest.LastRun.Pipeline(
            overlapped: overlapped, note: note, overlapSeconds: Self.overlap(phases), phases: phases)
    }

    /// The total time during which a `load` phase of one variant and an `extract` phase of another ran together.
    static func overlap(_ phases: [RunManifest.LastRun.Pipeline.Phase]) -> Double {
        var total = 0.0
        for load in phases where load.phase == "load" {
            for extract in phases where extract.phase == "extract" && extract.variant != load.variant {
                total += max(0, min(load.end, extract.end) - max(load.start, extract.start))
            }
        }
        return total
    }
}

extension Duration {
    /// The duration in seconds.
    fileprivate var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
