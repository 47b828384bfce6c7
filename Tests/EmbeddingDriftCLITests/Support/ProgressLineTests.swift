import Foundation
import Testing

@testable import EmbeddingDriftCLI

/// Collects what a progress line writes, and plays the clock.
private final class Terminal: @unchecked Sendable {
    // Safe: every access holds `lock`.
    private let lock = NSLock()
    private var written: [String] = []
    private var time = 100.0

    var output: [String] {
        lock.lock()
        defer { lock.unlock() }
        return written
    }

    func write(_ text: String) {
        lock.lock()
        written.append(text)
        lock.unlock()
    }

    func now() -> Double {
        lock.lock()
        defer { lock.unlock() }
        return time
    }

    func advance(_ seconds: Double) {
        lock.lock()
        time += seconds
        lock.unlock()
    }
}

@Suite struct ProgressLineTests {
    @Test func writesNothingWhenNotATerminal() {
        let terminal = Terminal()
        let line = ProgressLine(
            "extracting", total: 10, unit: "prompts", isTerminal: false, write: { terminal.write($0) },
            now: { terminal.now() })
        for i in 1...10 {
            terminal.advance(1)
            line.update(completed: i)
        }
        line.finish()
        #expect(terminal.output.isEmpty)
    }

    @Test func drawsRateAndETAInPlace() throws {
        let terminal = Terminal()
        let line = ProgressLine(
            "extracting base", total: 40, unit: "prompts", isTerminal: true, write: { terminal.write($0) },
            now: { terminal.now() }, width: 100)
        terminal.advance(2)
        line.update(completed: 10)
        let first = try #require(terminal.output.last)
        #expect(first.hasPrefix("\r") && first.hasSuffix("\u{1B}[K") && !first.contains("\n"))
        // 10 of 40 in 2 s: 5 prompts/s, 30 left: 6 s.
        #expect(first == "\rextracting base [=====>              ] 10/40 prompts 25% 5.00/s ETA 0:06\u{1B}[K")

        terminal.advance(0.05)  // within the redraw interval: no redraw
        line.update(completed: 11)
        #expect(terminal.output.count == 1)

        terminal.advance(0.1)
        line.advance(by: 4)  // 15 done
        #expect(terminal.output.count == 2)
        #expect(terminal.output[1].contains("15/40 prompts 37%"))

        terminal.advance(0.01)
        line.update(completed: 40)  // completion always draws
        #expect(terminal.output.count == 3)
        #expect(terminal.output[2].contains("[====================] 40/40 prompts 100%"))

        line.finish()
        line.finish()
        #expect(terminal.output.count == 4)
        #expect(terminal.output[3].hasSuffix("\u{1B}[K\n"))
        line.update(completed: 41)  // after finish: ignored
        #expect(terminal.output.count == 4)
    }

    @Test func unknownTotalShowsCountRateAndElapsedTime() {
        let terminal = Terminal()
        let line = ProgressLine(
            "fitting", total: nil, unit: "epochs", isTerminal: true, write: { terminal.write($0) },
            now: { terminal.now() })
        terminal.advance(65)
        line.update(completed: 130)
        #expect(terminal.render(line) == "fitting 130 epochs 2.00/s 1:05")
    }

    @Test func longLabelsAreShortenedToTheWidth() {
        let terminal = Terminal()
        let line = ProgressLine(
            String(repeating: "x", count: 200), total: 3, isTerminal: true, write: { terminal.write($0) },
            now: { terminal.now() }, width: 60)
        #expect(line.render(at: terminal.now() + 1).count == 60)
        #expect(line.render(at: terminal.now() + 1).contains("…"))
    }

    @Test func formatsDurationsAndRates() {
        #expect(ProgressLine.formatDuration(0) == "0:00")
        #expect(ProgressLine.formatDuration(6.4) == "0:06")
        #expect(ProgressLine.formatDuration(754) == "12:34")
        #expect(ProgressLine.formatDuration(3723) == "1:02:03")
        #expect(ProgressLine.formatDuration(.infinity) == "--:--")
        #expect(ProgressLine.formatRate(0.125) == "0.125")
        #expect(ProgressLine.formatRate(35.24) == "35.2")
        #expect(ProgressLine.formatRate(412.3) == "412")
        #expect(ProgressLine.formatRate(12_345) == "12.3k")
        #expect(ProgressLine.formatRate(4_560_000) == "4.56M")
        #expect(ProgressLine.bar(0, width: 4) == "[>   ]")
        #expect(ProgressLine.bar(0.5, width: 4) == "[==> ]")
        #expect(ProgressLine.bar(1, width: 4) == "[====]")
    }

    @Test func reporterFinishesOnePhaseBeforeTheNext() {
        let terminal = Terminal()
        let reporter = ProgressReporter { label, total, unit in
            ProgressLine(
                label, total: total, unit: unit, isTerminal: true, write: { terminal.write($0) },
                now: { terminal.now() })
        }
        let first = reporter.callback("loading", total: 2, unit: "shards")
        terminal.advance(1)
        first(2)
        let second = reporter.callbackWithTotal("extracting", unit: "prompts")
        terminal.advance(1)
        second(5, 10)
        reporter.finish()
        let lines = terminal.output.joined().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)  // two finished lines and nothing after the last newline
        #expect(lines[0].contains("loading") && lines[0].contains("2/2 shards"))
        #expect(lines[1].contains("extracting") && lines[1].contains("5/10 prompts"))
        #expect(lines[2].isEmpty)
    }
}

extension Terminal {
    /// The current render of `line` (as a finish would draw it), without control characters.
    fileprivate func render(_ line: ProgressLine) -> String { line.render(at: now()) }
}
