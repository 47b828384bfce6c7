import DriftAnalysis
import DriftCore
import Foundation
import Testing

@testable import DriftReport

/// The report of the committed fixture run (Scripts/fixtures/report.py: tables computed with numpy/scipy).
@Suite struct RunDirectoryReportTests {
    static func fixture() throws -> URL {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent("report")
    }

    static func expected() throws -> [String: Any] {
        let data = try Data(contentsOf: fixture().appendingPathComponent("expected.json"))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A writable copy of the fixture run.
    static func copy() throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("report-test-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixture().appendingPathComponent("run"), to: target)
        return target
    }

    @Test func loadsEveryTableAndTheUMAP() throws {
        let data = try ReportData(runDirectory: Self.fixture().appendingPathComponent("run"))
        let expected = try Self.expected()
        #expect(data.variants == expected["variants"] as? [String])
        #expect(data.concepts.count == expected["concepts"] as? Int)
        #expect(data.headlineLayer == expected["layer"] as? Int)
        #expect(data.notes.isEmpty, "\(data.notes)")
        #expect(data.umap.count == data.variants.count)
        #expect(data.umap.values.allSatisfy { $0.count == data.concepts.count })
        #expect(data.pairs.count == 3)
        #expect(data.concepts.contains("<script>alert(1)</script>"))
    }

    @Test func boxStatisticsMatchNumpy() throws {
        let data = try ReportData(runDirectory: Self.fixture().appendingPathComponent("run"))
        let expected = try Self.expected()
        let pair = try #require(expected["pair"] as? [String])
        let boxes = try #require(expected["boxes"] as? [String: [String: Double]])
        let rows = data.conceptRows(VariantPair(pair[0], pair[1]))
        for (category, box) in boxes {
            let q = try #require(Quantiles(rows.filter { $0.category == category }.map(\.cosineDistance)))
            for (value, key) in [
                (q.q1, "q1"), (q.median, "median"), (q.q3, "q3"), (q.whiskerLow, "whisker_low"),
                (q.whiskerHigh, "whisker_high"),
            ] {
                let reference = try #require(box[key])
                #expect(abs(value - reference) <= 1e-12 * max(1, abs(reference)), "\(category) \(key)")
            }
        }
    }

    @Test func viridisMatchesMatplotlib() throws {
        let samples = try #require(Self.expected()["viridis"] as? [[Any]])
        #expect(samples.count == 33)
        for sample in samples {
            let t = try #require(sample[0] as? Double)
            let rgb = try #require(sample[1] as? [Double])
            let hex = Viridis.color(t)
            let channels = stride(from: 1, to: 7, by: 2).map { k -> Double in
                let start = hex.index(hex.startIndex, offsetBy: k)
                return Double(Int(hex[start..<hex.index(start, offsetBy: 2)], radix: 16) ?? -1)
            }
            // Seventeen stops interpolated linearly: within a few units of matplotlib's 256-entry table between the stops.
            for (a, b) in zip(channels, rgb) { #expect(abs(a - b) <= 5, "t = \(t): \(hex) vs \(rgb)") }
        }
    }

    /// The pipeline's `noise_floor` table (one row per pair, layer and concept) becomes each floor variant's mean floor
    /// at the last layer, each concept counted once.
    @Test func noiseFloorIsTheMeanFloorAtTheLastLayer() throws {
        let run = try Self.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        func row(_ pair: String, _ variant: String, _ layer: Int, _ concept: String, _ floor: Double) -> String {
            "{\"variant_a\":\"\(pair)\",\"variant_b\":\"x\",\"floor_variant\":\"\(variant)\",\"layer\":\(layer),"
                + "\"concept\":\"\(concept)\",\"category\":\"c\",\"floor\":\(floor),\"cosine_distance\":0.1,\"relative\":1}"
        }
        let rows = [
            row("a", "a", 1, "France", 9), row("a", "a", 2, "France", 0.2), row("a", "a", 2, "Japan", 0.4),
            row("b", "a", 2, "France", 0.2), row("a", "b", 2, "France", 0.1),
        ]
        try Data(("[\n" + rows.joined(separator: ",\n") + "\n]\n").utf8)
            .write(to: run.appendingPathComponent("tables/noise_floor.json"))
        let data = try ReportData(runDirectory: run)
        #expect(abs((data.noiseFloor["a"] ?? .nan) - 0.3) < 1e-12)
        #expect(abs((data.noiseFloor["b"] ?? .nan) - 0.1) < 1e-12)
    }

    @Test func writesPageAndStandaloneFiguresWithTheTablesNumbers() throws {
        let run = try Self.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        let data = try ReportData(runDirectory: run)
        try Data("{\"headline\": {\"layer\": 2}}\n".utf8).write(to: run.appendingPathComponent("summary.json"))
        let output = try ReportWriter.write(Report(data: data), to: run)
        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("summary.json")))
            as? [String: Any]
        #expect((summary?["headline"] as? [String: Any])?["layer"] as? Int == 2, "other keys kept")
        #expect((summary?["report"] as? [String: Any])?["html_bytes"] as? Int == output.pageBytes)
        let html = try String(contentsOf: output.page, encoding: .utf8)
        #expect(output.pageBytes == html.utf8.count)
        #expect(ReportPageTests.externalReferences(html).isEmpty)
        #expect(output.figures.count == Report(data: data).allFigures().count)
        for file in output.figures {
            let svg = try String(contentsOf: file, encoding: .utf8)
            #expect(XMLCheck.parse(svg) != nil, "\(file.lastPathComponent) is not well-formed")
        }
        // Numbers in the page are the numbers in tables/*.json (parsed independently here).
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: run.appendingPathComponent("tables/category_drift.json"))) as? [[String: Any]]
            ?? []
        let headline = json.filter { ($0["layer"] as? Int) == data.headlineLayer }
        #expect(!headline.isEmpty)
        for row in headline {
            let mean = try #require(row["mean"] as? Double)
            let low = try #require(row["ci_low"] as? Double)
            let high = try #require(row["ci_high"] as? Double)
            #expect(html.contains(String(format: "<td>%.4f</td>", mean)))
            #expect(html.contains(String(format: "[%.4f, %.4f]", low, high)))
        }
        let global =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: run.appendingPathComponent("tables/global.json"))) as? [[String: Any]] ?? []
        for row in global where (row["layer"] as? Int) == data.headlineLayer {
            #expect(html.contains(String(format: "<td>%.4f</td>", try #require(row["cka"] as? Double))))
        }
    }

    /// A figure an earlier report wrote for a pair that is gone is removed; the folder matches the page.
    @Test func staleFiguresAreRemoved() throws {
        let run = try Self.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        let figures = run.appendingPathComponent("figures")
        try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
        let stale = figures.appendingPathComponent("drift_gone_pair.svg")
        let unrelated = figures.appendingPathComponent("notes.txt")
        try Data("<svg/>".utf8).write(to: stale)
        try Data("keep".utf8).write(to: unrelated)
        let output = try ReportWriter.write(Report(data: try ReportData(runDirectory: run)), to: run)
        let svgs = try FileManager.default.contentsOfDirectory(atPath: figures.path).filter { $0.hasSuffix(".svg") }
        #expect(Set(svgs) == Set(output.figures.map(\.lastPathComponent)))
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: unrelated.path))
    }

    @Test func missingUMAPOrTableLeavesFiguresOutWithANote() throws {
        let run = try Self.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        try FileManager.default.removeItem(at: run.appendingPathComponent("umap_chat.npy"))
        try FileManager.default.removeItem(at: run.appendingPathComponent("tables/global.json"))
        let data = try ReportData(runDirectory: run)
        #expect(data.umap.isEmpty)
        #expect(data.notes.contains { $0.contains("umap_<variant>.npy missing") })
        #expect(data.notes.contains { $0.contains("tables/global.json is missing") })
        let html = ReportPage.html(Report(data: data))
        #expect(!html.contains("id=\"umap-trajectories\""))
        #expect(!html.contains("id=\"layer-profile\""))
        #expect(html.contains("No UMAP figures") && html.contains("tables/global.json is missing"))
        #expect(html.contains("id=\"top-drift-base-vs-chat\""), "the other figures are still there")
    }

    @Test func missingConceptTableIsAClearError() throws {
        let run = try Self.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        try FileManager.default.removeItem(at: run.appendingPathComponent("tables/concept_drift.json"))
        #expect(throws: DriftError.self) { try ReportData(runDirectory: run) }
        #expect(throws: DriftError.self) { try ReportData(runDirectory: run.appendingPathComponent("nothing")) }
    }
}
