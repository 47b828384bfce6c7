import Foundation
import TestSupport
import Testing

/// `check`: the release gate on a fixture run (`import` of the planted-truth arrays).
///
/// The bounds are placed just above and below the values the run's own tables hold, so each verdict is decided by the
/// table.
@Suite(.serialized) struct CheckTests {
    /// A run of base → tuned from `Scripts/fixtures/pipe.py`'s arrays, and its headline rows.
    static func fixtureRun(in folder: URL) throws -> (run: URL, global: [String: Any], categories: [[String: Any]]) {
        let out = folder.appendingPathComponent("run")
        let outcome = try ExecutableRunner.run(
            [
                "import", "base=\(PipelineTests.fixture("base.npy").path)",
                "tuned=\(PipelineTests.fixture("tuned.npy").path)", "--vocab",
                PipelineTests.fixture("concepts.csv").path, "--out", out.path, "--quiet", "--no-umap",
            ] + PipelineTests.fast)
        try #require(outcome.status == 0, "\(outcome.stderr)")
        let global = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("tables/global.json")))
                as? [[String: Any]])
        let categories = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("tables/category_drift.json"))) as? [[String: Any]])
        let headline = try #require(global.compactMap { $0["layer"] as? Int }.max())
        return (
            out, try #require(global.first { $0["layer"] as? Int == headline }),
            categories.filter { $0["layer"] as? Int == headline }
        )
    }

    static func format(_ x: Double) -> String { String(format: "%.6f", x) }

    @Test func exitsZeroWithinBoundsAndOneWithTheViolatedBoundNamed() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (run, global, categories) = try Self.fixtureRun(in: folder)
        let drift = try #require(global["mean_drift"] as? Double)
        let cka = try #require(global["cka"] as? Double)
        let demographic = try #require(
            categories.first { $0["category"] as? String == "demographic" }?["mean"] as? Double)

        let pass = try ExecutableRunner.run([
            "check", run.path, "--max-mean-drift", Self.format(drift + 1e-4), "--min-cka", Self.format(cka - 1e-4),
            "--max-category-drift", "demographic=\(Self.format(demographic + 1e-4))", "--pair", "tuned,base",
        ])
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        #expect(pass.stdout.contains("all 3 bounds hold"))
        #expect(!pass.stdout.contains("VIOLATED"))

        let fail = try ExecutableRunner.run([
            "check", run.path, "--max-mean-drift", Self.format(drift + 1e-4),
            "--max-category-drift", "demographic=\(Self.format(demographic - 1e-4))",
        ])
        #expect(fail.status == 1, "\(fail.stdout)\(fail.stderr)")
        let lines = fail.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("measure") == true)
        let violated = lines.filter { $0.hasSuffix("VIOLATED") && !$0.hasPrefix("check:") }
        #expect(violated.count == 1)
        #expect(violated.first?.contains("category_drift[demographic]") == true)
        #expect(violated.first?.contains("base,tuned") == true)
        #expect(violated.first?.contains(String(format: "%.4f", demographic)) == true)
        #expect(lines.contains { $0.hasPrefix("mean_drift") && $0.hasSuffix("ok") })
        #expect(lines.last == "check: 1 of 2 bounds VIOLATED")

        let lowCKA = try ExecutableRunner.run(["check", run.path, "--min-cka", Self.format(cka + 1e-4)])
        #expect(lowCKA.status == 1)
        #expect(lowCKA.stdout.contains("cka") && lowCKA.stdout.contains("VIOLATED"))
    }

    /// `--max-adjusted-category-drift` reads `tables/category_drift_adjusted` (the covariate-adjusted means).
    @Test func adjustedCategoryBoundsReadTheAdjustedTable() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (run, global, categories) = try Self.fixtureRun(in: folder)
        let headline = try #require(global["layer"] as? Int)
        let rows = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: run.appendingPathComponent("tables/category_drift_adjusted.json")))
                as? [[String: Any]])
        let demographic = try #require(
            rows.first { $0["layer"] as? Int == headline && $0["category"] as? String == "demographic" }?["mean"]
                as? Double)
        let raw = try #require(categories.first { $0["category"] as? String == "demographic" }?["mean"] as? Double)
        #expect(abs(raw - demographic) > 1e-6, "the adjusted mean differs from the raw one, so the bound can tell")
        let within = try ExecutableRunner.run([
            "check", run.path, "--max-adjusted-category-drift", "demographic=\(Self.format(demographic + 1e-5))",
        ])
        #expect(within.status == 0, "\(within.stdout)\(within.stderr)")
        let above = try ExecutableRunner.run([
            "check", run.path, "--max-adjusted-category-drift", "demographic=\(Self.format(demographic - 1e-5))",
        ])
        #expect(above.status == 1)
        #expect(above.stdout.contains("adjusted_category_drift[demographic]") && above.stdout.contains("VIOLATED"))

        let bare = folder.appendingPathComponent("bare")
        let imported = try ExecutableRunner.run(
            [
                "import", "base=\(PipelineTests.fixture("base.npy").path)",
                "tuned=\(PipelineTests.fixture("tuned.npy").path)", "--vocab",
                PipelineTests.fixture("concepts.csv").path, "--out", bare.path, "--quiet", "--no-umap",
                "--covariates", "none",
            ] + PipelineTests.fast)
        try #require(imported.status == 0, "\(imported.stderr)")
        #expect(!FileManager.default.fileExists(atPath: bare.appendingPathComponent("tables/confounds.csv").path))
        let missing = try ExecutableRunner.run([
            "check", bare.path, "--max-adjusted-category-drift", "demographic=1",
        ])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no adjusted category table"), "\(missing.stderr)")
    }

    @Test func usageErrorsExitTwo() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (run, _, _) = try Self.fixtureRun(in: folder)
        let cases: [([String], String)] = [
            (["--max-category-drift", "nonsense=0.1"], "unknown category 'nonsense'"),
            (["--max-mean-drift", "0.1", "--pair", "base,other"], "unknown pair base,other"),
            (["--max-mean-drift", "0.1", "--layer", "99"], "layer 99"),
            ([], "give at least one bound"),
            (["--max-category-drift", "demographic"], "category=x"),
        ]
        for (arguments, message) in cases {
            let outcome = try ExecutableRunner.run(["check", run.path] + arguments)
            #expect(outcome.status == 2, "\(arguments)")
            #expect(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
        }
        let missing = try ExecutableRunner.run([
            "check", folder.appendingPathComponent("nothing").path, "--min-cka", "0",
        ])
        #expect(missing.status == 2)
    }

    /// Argument-parser's own usage errors (which other commands exit with 64) and non-finite bounds exit 2 too:
    /// one class per case, each with its message and the usage line.
    @Test func parseErrorsExitTwo() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (run, _, _) = try Self.fixtureRun(in: folder)
        let cases: [([String], String)] = [
            ([], "Missing expected argument '<dir>'"),
            ([run.path, "--max-mean-drift", "abc"], "The value 'abc' is invalid for '--max-mean-drift <x>'"),
            ([run.path, "--min-cka", "0.9x"], "The value '0.9x' is invalid for '--min-cka <x>'"),
            ([run.path, "--min-cka", "0.9", "--layer", "last"], "The value 'last' is invalid for '--layer <L>'"),
            ([run.path, "--max-median-drift", "0.1"], "Unknown option '--max-median-drift'"),
            ([run.path, "--min-cka"], "Missing value for '--min-cka <x>'"),
            ([run.path, run.path, "--min-cka", "0.9"], "Unexpected argument"),
            ([run.path, "--max-mean-drift", "nan"], "--max-mean-drift must be a finite number"),
            ([run.path, "--max-category-drift", "demographic=inf"], "--max-category-drift must be a finite number"),
        ]
        for (arguments, message) in cases {
            let outcome = try ExecutableRunner.run(["check"] + arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty, "\(arguments)")
        }
        let usage = try ExecutableRunner.run(["check", "--max-mean-drift", "abc"])
        #expect(usage.stderr.contains("Usage: embedding-drift check"))
        // Help is not an error; other commands keep argument-parser's status.
        let help = try ExecutableRunner.run(["check", "--help"])
        #expect(help.status == 0 && help.stdout.contains("Exit status"))
        let other = try ExecutableRunner.run(["umap", "--no-such-option"])
        #expect(other.status == 64, "\(other.stderr)")
    }
}
