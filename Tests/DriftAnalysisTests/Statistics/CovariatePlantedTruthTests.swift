import DriftCore
import Foundation
import Testing

@testable import DriftAnalysis

/// Planted truths for the covariate adjustment, through `import`: vectors are built so that each concept's cosine
/// drift is a chosen value, the user's covariate goes into the run's concept metadata as the vocabulary's extra
/// column would, and the whole analysis runs from the run directory.
@Suite struct CovariatePlantedTruthTests {
    /// A run directory whose two variants drift by `drift` per concept, with `frequency` as the user's covariate.
    static func importedRun(
        drift: [Double], categories: [String], frequency: [Double], seed: UInt64, hidden: Int = 12
    ) throws -> (URL, RunDirectory) {
        var random = SeededRandom(seed: seed)
        let n = drift.count
        var a: [Float] = [], b: [Float] = []
        for i in 0..<n {
            // A random vector of random length, and a unit direction orthogonal to it.
            let x = (0..<hidden).map { _ in random.nextNormal() }
            let scale = 0.5 + random.nextDouble() * 2
            let xn = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
            var u = (0..<hidden).map { _ in random.nextNormal() }
            let along = zip(u, x).reduce(0) { $0 + $1.0 * $1.1 } / (xn * xn)
            for k in 0..<hidden { u[k] -= along * x[k] }
            let un = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let cosine = 1 - drift[i], sine = (1 - cosine * cosine).squareRoot()
            for k in 0..<hidden {
                a.append(Float(scale * x[k] / xn))
                b.append(Float(scale * (cosine * x[k] / xn + sine * u[k] / un)))
            }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cov-planted-\(UUID().uuidString)")
        let run = dir.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        var sources: [RunImport.Source] = []
        for (name, values) in [("base", a), ("changed", b)] {
            let file = dir.appendingPathComponent("\(name).npy")
            try NumpyArray(floats: values, shape: [n, hidden]).write(to: file)
            sources.append(RunImport.Source(name: name, file: file))
        }
        try RunImport.run(
            sources, concepts: (0..<n).map { ("term\($0)", categories[$0]) }, vocabularyName: "planted",
            vocabularyHash: "none", covariates: CovariateSet(names: ["frequency"], values: [frequency]), into: run,
            toolVersion: "test")
        return (dir, try RunDirectory(run))
    }

    static func options(permutations: Int) -> RunAnalysis.Options {
        var options = RunAnalysis.Options()
        options.k = 5
        options.resamples = 100
        options.permutations = permutations
        options.umap = false
        return options
    }

    static func categories(_ sizes: [(String, Int)]) -> [String] {
        sizes.flatMap { Array(repeating: $0.0, count: $0.1) }
    }

    /// (a) Drift follows only the covariate, which differs between the categories: the raw test finds a category
    /// difference, the adjusted test does not.
    @Test func aCovariateDrivenDifferenceDoesNotSurviveTheAdjustment() throws {
        let categories = Self.categories([("demographic", 30), ("factual", 30)])
        var random = SeededRandom(seed: 11)
        let frequency = categories.map { ($0 == "demographic" ? 0.6 : 0) + 0.5 * random.nextNormal() }
        let drift = frequency.map { 0.03 + 0.02 * $0 + 0.002 * random.nextNormal() }
        let (dir, run) = try Self.importedRun(drift: drift, categories: categories, frequency: frequency, seed: 12)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(run.covariates.names == ["frequency"])
        let analysis = try RunAnalysis(run: run, options: Self.options(permutations: 999))
        let raw = try #require(analysis.testRows.first)
        let adjusted = try #require(analysis.adjustedTestRows.first).test
        #expect(raw.pHolm < 0.01 && raw.difference > 0.008, "raw \(raw)")
        #expect(adjusted.pHolm > 0.05, "adjusted \(adjusted)")
        #expect(abs(adjusted.difference) < 0.005)
        let confound = try #require(analysis.confoundRows.first { $0.covariate == "frequency" })
        #expect(confound.r > 0.9 && confound.pValue < 0.01)
        // Matching on the covariates closes much of the gap, with the covariate better balanced.
        let matched = try #require(analysis.matchedRows.first)
        #expect(abs(matched.difference) < abs(matched.rawDifference) / 2, "\(matched)")
        let balance = try #require(analysis.balanceRows.first { $0.covariate == "frequency" })
        #expect(abs(balance.smdAfter) < abs(balance.smdBefore) / 2, "\(balance)")
        // Written, and said in words.
        try analysis.write(to: run, toolVersion: "test")
        let written = try TableFile.read(AdjustedCategoryTestRow.self, in: run.layout)
        #expect(written == analysis.adjustedTestRows)
        let csv = try String(contentsOf: run.layout.table("covariates", fileExtension: "csv"), encoding: .utf8)
        // The user's `frequency` takes the built-in frequency proxy's place (which `import` runs lack).
        #expect(csv.hasPrefix("variant,layer,term,category,frequency,norm,density,centroid\n"))
        #expect(analysis.summaryMarkdown.contains("**does not survive** the adjustment"))
    }

    /// (b) Drift follows only the category; the covariate is independent of it: the adjusted test still finds it.
    @Test func aCategoryDrivenDifferenceSurvivesTheAdjustment() throws {
        let categories = Self.categories([("demographic", 30), ("factual", 30)])
        var random = SeededRandom(seed: 21)
        let frequency = categories.map { _ in random.nextNormal() }
        let drift = categories.map { ($0 == "demographic" ? 0.045 : 0.03) + 0.004 * random.nextNormal() }
        let (dir, run) = try Self.importedRun(drift: drift, categories: categories, frequency: frequency, seed: 22)
        defer { try? FileManager.default.removeItem(at: dir) }
        let analysis = try RunAnalysis(run: run, options: Self.options(permutations: 999))
        let adjusted = try #require(analysis.adjustedTestRows.first).test
        #expect(adjusted.pHolm < 0.01 && adjusted.difference > 0.01, "adjusted \(adjusted)")
        let means = Dictionary(
            uniqueKeysWithValues: analysis.adjustedCategoryRows.map { ($0.statistics.category, $0.statistics) })
        let demographic = try #require(means["demographic"]), factual = try #require(means["factual"])
        #expect(demographic.ciLow > factual.ciHigh)
        #expect(analysis.summaryMarkdown.contains("**survives** the adjustment"))
    }

    /// (c) No category effect, the covariate confounded with the category: over 200 simulated runs the adjusted
    /// tests reject (any Holm-adjusted p < 0.05) in at most 5% of them, while the raw tests reject in most.
    @Test func theAdjustedTestKeepsItsLevelUnderAConfoundedNull() throws {
        let categories = Self.categories([("a", 12), ("b", 12), ("c", 12)])
        let shift = ["a": 0.0, "b": 0.6, "c": 1.2]
        var adjustedRejections = 0, rawRejections = 0
        var options = Self.options(permutations: 99)
        options.resamples = 10
        options.covariates = ["frequency"]
        for simulation in 0..<200 {
            var random = SeededRandom(seed: 1000 + UInt64(simulation))
            let frequency = categories.map { (shift[$0] ?? 0) + 0.5 * random.nextNormal() }
            let drift = frequency.map { 0.04 + 0.01 * $0 + 0.004 * random.nextNormal() }
            let (dir, run) = try Self.importedRun(
                drift: drift, categories: categories, frequency: frequency, seed: 5000 + UInt64(simulation),
                hidden: 6)
            defer { try? FileManager.default.removeItem(at: dir) }
            options.seed = UInt64(simulation)
            let analysis = try RunAnalysis(run: run, options: options)
            if analysis.adjustedTestRows.contains(where: { $0.test.pHolm < 0.05 }) { adjustedRejections += 1 }
            if analysis.testRows.contains(where: { $0.pHolm < 0.05 }) { rawRejections += 1 }
        }
        #expect(adjustedRejections <= 10, "adjusted tests rejected in \(adjustedRejections) of 200 null runs")
        #expect(rawRejections >= 150, "raw tests rejected in only \(rawRejections) of 200 confounded runs")
    }

    @Test func unknownCovariatesAreAnErrorAndNoneTurnsTheAdjustmentOff() throws {
        let categories = Self.categories([("x", 8), ("y", 8)])
        let drift = (0..<16).map { 0.02 + 0.001 * Double($0 % 5) }
        let (dir, run) = try Self.importedRun(
            drift: drift, categories: categories, frequency: drift.map { $0 * 3 }, seed: 3, hidden: 6)
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = Self.options(permutations: 20)
        options.covariates = ["frequency", "colour"]
        #expect(throws: DriftError.self) { try RunAnalysis(run: run, options: options) }
        options.covariates = []
        let none = try RunAnalysis(run: run, options: options)
        #expect(none.adjustedTestRows.isEmpty && none.covariateTable.rows.isEmpty)
        // Token counts are asked for but an imported run has none: a note, not a failure.
        options.covariates = ["tokens", "norm"]
        let some = try RunAnalysis(run: run, options: options)
        #expect(some.covariateTable.covariates == ["norm"])
        #expect(some.notes.contains { $0.contains("covariate tokens not available") })
    }
}
