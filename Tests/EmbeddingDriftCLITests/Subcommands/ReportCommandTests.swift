import Foundation
import TestSupport
import Testing

@Suite struct ReportCommandTests {
    /// A minimal run directory: two variants, four concepts, one layer, the concept table only.
    static func makeRun() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("tables"), withIntermediateDirectories: true)
        let manifest = #"{"format": "embedding-drift-run", "format_version": 1, "variant_order": ["base", "tuned"]}"#
        try Data(manifest.utf8).write(to: dir.appendingPathComponent("manifest.json"))
        let concepts = [("doctor", "profession"), ("nurse", "profession"), ("joy", "emotion"), ("fear", "emotion")]
        let metadata =
            #"{"rows": ["# + concepts.map { #"{"term": "\#($0.0)", "category": "\#($0.1)"}"# }.joined(separator: ",")
            + "]}"
        try Data(metadata.utf8).write(to: dir.appendingPathComponent("concept_metadata.json"))
        let rows = concepts.enumerated().map { i, c in
            #"{"variant_a": "base", "variant_b": "tuned", "layer": 3, "concept": "\#(c.0)", "category": "\#(c.1)", "cosine_distance": \#(0.1 * Double(i + 1)), "centered_distance": null, "procrustes_distance": null, "jaccard": 0.5, "second_order": 0.1, "percentile": \#(25 * (i + 1))}"#
        }
        try Data(("[\n" + rows.joined(separator: ",\n") + "\n]\n").utf8).write(
            to: dir.appendingPathComponent("tables/concept_drift.json"))
        return dir
    }

    @Test func writesPageAndFiguresWithNotesForWhatIsMissing() throws {
        let run = try Self.makeRun()
        defer { try? FileManager.default.removeItem(at: run) }
        let outcome = try ExecutableRunner.run(["report", run.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let html = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("id=\"top-drift-base-vs-tuned\""))
        #expect(html.contains("tables/global.json is missing"))
        #expect(
            FileManager.default.fileExists(
                atPath: run.appendingPathComponent("figures/top-drift-base-vs-tuned.svg").path))
        #expect(outcome.stderr.contains("note: No UMAP figures"))
    }

    @Test func notARunDirectoryFailsWithAClearErrorAndWritesNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-cli-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try ExecutableRunner.run(["report", dir.path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("no manifest.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
