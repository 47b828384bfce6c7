import Foundation
import TestSupport
import Testing

/// The vocabulary's own covariates through `import` and `analyze --covariates`.
@Suite(.serialized) struct CovariateCommandTests {
    /// The pipeline fixture's concepts with a numeric `frequency` column: every third concept 1, the rest 0.
    static func vocabulary(in folder: URL, value: (Int) -> String = { $0 % 3 == 0 ? "1" : "0" }) throws -> URL {
        let lines = try String(contentsOf: PipelineTests.fixture("concepts.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var out = "term,category,frequency\n"
        for (i, line) in lines.dropFirst().enumerated() { out += "\(line),\(value(i))\n" }
        let file = folder.appendingPathComponent("concepts.csv")
        try out.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func importRun(vocabulary: URL, out: URL, extra: [String] = []) throws -> ExecutableRunner.Outcome {
        try ExecutableRunner.run(
            [
                "import", "base=\(PipelineTests.fixture("base.npy").path)",
                "tuned=\(PipelineTests.fixture("tuned.npy").path)", "--vocab", vocabulary.path, "--out", out.path,
                "--quiet", "--no-umap",
            ] + PipelineTests.fast + extra)
    }

    @Test func aVocabularyColumnIsACovariateOfTheAdjustedAnalysis() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("run")
        let outcome = try Self.importRun(vocabulary: try Self.vocabulary(in: folder), out: out)
        try #require(outcome.status == 0, "\(outcome.stderr)")
        let csv = try String(contentsOf: out.appendingPathComponent("tables/covariates.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("variant,layer,term,category,frequency,norm,density,centroid\n"))
        #expect(csv.contains(",factual_00,factual,1.0,"))
        let confounds = try String(contentsOf: out.appendingPathComponent("tables/confounds.csv"), encoding: .utf8)
        #expect(confounds.contains(",frequency,"))
        let metadata = try String(contentsOf: out.appendingPathComponent("concept_metadata.json"), encoding: .utf8)
        #expect(metadata.contains("\"covariate_names\""))

        // analyze --covariates chooses; an unknown name is an error naming what the run has.
        let only = try ExecutableRunner.run(
            ["analyze", out.path, "--covariates", "frequency", "--no-umap"] + PipelineTests.fast)
        #expect(only.status == 0, "\(only.stderr)")
        let chosen = try String(contentsOf: out.appendingPathComponent("tables/covariates.csv"), encoding: .utf8)
        #expect(chosen.hasPrefix("variant,layer,term,category,frequency\n"))
        let unknown = try ExecutableRunner.run(["analyze", out.path, "--covariates", "colour", "--no-umap"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown covariate \"colour\""), "\(unknown.stderr)")
    }

    @Test func aNonNumericValueIsOneLineNamingFileLineAndColumn() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try Self.vocabulary(in: folder) { $0 == 4 ? "often" : "0.5" }
        let outcome = try Self.importRun(vocabulary: vocabulary, out: folder.appendingPathComponent("run"))
        #expect(outcome.status != 0)
        let message = outcome.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(
            message.contains("\(vocabulary.path): line 6, column 3 (frequency): \"often\" is not a finite number"),
            "\(message)")
        #expect(!message.contains("\n"))
    }
}
