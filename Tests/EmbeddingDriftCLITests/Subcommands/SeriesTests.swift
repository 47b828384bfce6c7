import Foundation
import TestSupport
import Testing

/// `--series`: the time profile of ordered checkpoints against numpy (`Scripts/fixtures/series.py`), through
/// `import`, and its figure in the report.
@Suite(.serialized) struct SeriesTests {
    static func fixture(_ name: String) -> URL {
        PipelineTests.fixture("../series/\(name)").standardizedFileURL
    }

    static func expected(_ key: String) throws -> [[String: Any]] {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: fixture("expected.json"))) as? [String: Any])
        return try #require(object[key] as? [[String: Any]])
    }

    static func importRun(_ count: Int, series: Bool, into out: URL) throws -> ExecutableRunner.Outcome {
        try ExecutableRunner.run(
            ["import"] + (0..<count).map { "c\($0)=\(fixture("c\($0).npy").path)" }
                + ["--vocab", fixture("concepts.csv").path, "--out", out.path, "--quiet", "--no-umap"]
                + PipelineTests.fast + (series ? ["--series"] : []))
    }

    /// Every numpy row has a Swift row with the same keys and values within 1e-9.
    static func expectMatches(_ table: URL, _ expected: [[String: Any]]) throws {
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: table)) as? [[String: Any]])
        #expect(rows.count == expected.count)
        for want in expected {
            let key = ["variant", "layer", "category"].map { "\(want[$0] ?? "")" }
            let got = try #require(
                rows.first { row in ["variant", "layer", "category"].map { "\(row[$0] ?? "")" } == key },
                "no row \(key)")
            for column in ["position", "first", "previous", "n"] {
                #expect("\(got[column] ?? "")" == "\(want[column] ?? "")", "\(key) \(column)")
            }
            for column in ["from_first", "step"] {
                let a = try #require(got[column] as? Double), b = try #require(want[column] as? Double)
                #expect(abs(a - b) <= 1e-9 + 1e-6 * abs(b), "\(key) \(column): \(a) vs numpy \(b)")
            }
        }
    }

    @Test func fourCheckpointsTimeProfileMatchesNumpy() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("run")
        let outcome = try Self.importRun(4, series: true, into: out)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        try Self.expectMatches(out.appendingPathComponent("tables/time_profile.json"), try Self.expected("four"))
        let page = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("id=\"time-profile\""))
        let manifest = try PipelineTests.manifest(out)
        let settings = try #require((manifest["analysis"] as? [String: Any])?["settings"] as? [String: Any])
        #expect(settings["series"] as? Bool == true)
    }

    @Test func twoCheckpointsNeedSeriesForATimeProfile() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("plain")
        #expect(try Self.importRun(2, series: false, into: plain).status == 0)
        #expect(!FileManager.default.fileExists(atPath: plain.appendingPathComponent("tables/time_profile.json").path))
        let plainPage = try String(contentsOf: plain.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!plainPage.contains("id=\"time-profile\""))

        let series = folder.appendingPathComponent("series")
        let outcome = try Self.importRun(2, series: true, into: series)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        try Self.expectMatches(series.appendingPathComponent("tables/time_profile.json"), try Self.expected("two"))
        let page = try String(contentsOf: series.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("id=\"time-profile\""))

        // `analyze` of a series keeps it a series without --series again.
        try FileManager.default.removeItem(at: series.appendingPathComponent("tables/time_profile.json"))
        let again = try ExecutableRunner.run(["analyze", series.path, "--quiet", "--no-umap"] + PipelineTests.fast)
        #expect(again.status == 0, "\(again.stderr)")
        try Self.expectMatches(series.appendingPathComponent("tables/time_profile.json"), try Self.expected("two"))
    }
}
