import DriftAnalysis
import DriftCore
import Foundation
import Testing

@testable import DriftReport

/// The report's covariate section on an imported run analysed with its built-in covariates.
@Suite struct CovariateReportTests {
    @Test func theAdjustedSectionShowsRawAndAdjustedMeansAndTheStrongestCovariate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cov-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        var random = SeededRandom(seed: 9)
        let n = 24, hidden = 8
        let categories = (0..<n).map { $0 < 12 ? "demographic" : "factual" }
        let a = (0..<(n * hidden)).map { _ in Float(random.nextNormal()) }
        let b = a.enumerated().map { k, v in
            v + Float(categories[k / hidden] == "demographic" ? 0.6 : 0.2) * Float(random.nextNormal())
        }
        var sources: [RunImport.Source] = []
        for (name, values) in [("base", a), ("tuned", b)] {
            let file = dir.appendingPathComponent("\(name).npy")
            try NumpyArray(floats: values, shape: [n, hidden]).write(to: file)
            sources.append(RunImport.Source(name: name, file: file))
        }
        try RunImport.run(
            sources, concepts: (0..<n).map { ("t\($0)", categories[$0]) }, vocabularyName: "x", vocabularyHash: "x",
            into: run, toolVersion: "test")
        var options = RunAnalysis.Options()
        options.k = 4
        options.resamples = 100
        options.permutations = 100
        options.umap = false
        let directory = try RunDirectory(run)
        try RunAnalysis(run: directory, options: options).write(to: directory, toolVersion: "test")
        let data = try ReportData(runDirectory: run)
        #expect(!data.covariates.isEmpty)
        #expect(data.covariates.values.values.first?.keys.sorted() == ["centroid", "density", "norm"])
        let html = ReportPage.html(Report(data: data))
        #expect(html.contains("Adjusted for covariates"))
        #expect(html.contains("adjusted mean"))
        #expect(html.contains("id=\"fig-covariate-scatter-"))
        // Every concept is a dot of the scatter, and the figure is well-formed SVG.
        let start = try #require(html.range(of: "id=\"fig-covariate-scatter-"))
        let rest = html[start.upperBound...]
        let svgStart = try #require(rest.range(of: "<svg"))
        let svgEnd = try #require(rest.range(of: "</svg>"))
        let svg = String(rest[svgStart.lowerBound..<svgEnd.upperBound])
        #expect(svg.components(separatedBy: "<circle").count - 1 == n)
        #expect(XMLCheck.parse(svg) != nil)
    }
}
