import Foundation
import TestSupport
import Testing

/// `serve` refuses what it cannot serve before binding anything.
@Suite struct ServeCommandTests {
    @Test func notARunDirectoryIsAClearError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("serve-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try ExecutableRunner.run(["serve", dir.path, "--port", "18799"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("manifest.json"), "\(outcome.stderr)")
    }

    @Test func badPortIsRejected() throws {
        let outcome = try ExecutableRunner.run(["serve", "/nonexistent", "--port", "70000"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("--port"), "\(outcome.stderr)")
    }

    @Test func liveModeNeedsARunWithModels() throws {
        let run = try ReportCommandTests.makeRun()
        defer { try? FileManager.default.removeItem(at: run) }
        let outcome = try ExecutableRunner.run(["serve", run.path, "--port", "18798", "--live"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("live mode needs a run made by compare"), "\(outcome.stderr)")
    }

    @Test func badLiveTimeoutIsRejected() throws {
        let outcome = try ExecutableRunner.run(["serve", "/nonexistent", "--live", "--live-timeout", "0"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("--live-timeout"), "\(outcome.stderr)")
    }
}
