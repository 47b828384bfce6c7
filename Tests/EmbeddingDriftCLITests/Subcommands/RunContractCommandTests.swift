import Foundation
import TestSupport
import Testing

/// Every command that reads a run directory reads it through the one typed contract: a run written by the previous
/// release (`DriftReportTests/Fixtures/run-v1`) is read, a newer format version and malformed files are refused in
/// one line naming the file (and the row and column).
@Suite(.serialized) struct RunContractCommandTests {
    /// A writable copy of the run-v1 fixture.
    static func copy(in folder: URL) throws -> URL {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("DriftReportTests/Fixtures/run-v1/run")
        let run = folder.appendingPathComponent("run")
        try FileManager.default.copyItem(at: fixture, to: run)
        return run
    }

    /// The one line of standard error that names the problem.
    static func errorLine(_ outcome: ExecutableRunner.Outcome) -> String {
        outcome.stderr.split(separator: "\n").map(String.init).first { $0.hasPrefix("error:") } ?? outcome.stderr
    }

    @Test func theCheckAndTheReportReadARunOfThePreviousRelease() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.copy(in: folder)
        let check = try ExecutableRunner.run(["check", run.path, "--max-mean-drift", "2", "--min-cka", "0"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("base,tuned"))
        let report = try ExecutableRunner.run(["report", run.path])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("report.html").path))
    }

    @Test func aNewerFormatVersionIsRefusedByEveryReader() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.copy(in: folder)
        let manifest = run.appendingPathComponent("manifest.json")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 2").utf8)
            .write(to: manifest)
        for arguments in [
            ["check", run.path, "--max-mean-drift", "2"], ["report", run.path], ["analyze", run.path, "--quiet"],
        ] {
            let outcome = try ExecutableRunner.run(arguments)
            #expect(outcome.status != 0, "\(arguments[0])")
            let line = Self.errorLine(outcome)
            #expect(line.contains("manifest.json") && line.contains("use a newer embedding-drift"), "\(line)")
        }
    }

    @Test func aMalformedTableIsRefusedNamingTheFileRowAndColumn() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.copy(in: folder)
        let global = run.appendingPathComponent("tables/global.json")
        var lines = try String(contentsOf: global, encoding: .utf8).components(separatedBy: "\n")
        lines[2] = lines[2].replacingOccurrences(of: "\"cka\":", with: "\"ckb\":")
        try Data(lines.joined(separator: "\n").utf8).write(to: global)
        for arguments in [["check", run.path, "--max-mean-drift", "2"], ["report", run.path]] {
            let outcome = try ExecutableRunner.run(arguments)
            #expect(outcome.status != 0, "\(arguments[0])")
            let line = Self.errorLine(outcome)
            #expect(line.contains("tables/global.json: row 2: column \"ckb\" is not a column"), "\(line)")
        }
        let truncated = run.appendingPathComponent("tables/concept_drift.json")
        let bytes = try Data(contentsOf: truncated)
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        let report = try ExecutableRunner.run(["report", run.path])
        #expect(report.status != 0)
        #expect(Self.errorLine(report).contains("tables/concept_drift.json: table concept_drift is not valid JSON"))
    }
}
