import DriftAnalysis
import DriftCore
import Foundation
import TestSupport
import Testing

/// `compare --next-token`: each variant keeps its logits, and every pair of variants over one tokenizer gets the
/// output-level tables and the summary's plain-words section; a pair over different tokenizers gets a note.
@Suite struct CompareNextTokenTests {
    @Test func outputTablesSitBesideTheDriftTables() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try PipelineTests.vocabulary(in: folder)
        let out = folder.appendingPathComponent("run")
        let llama = ExtractTests.checkpoint("llama").path
        let outcome = try PipelineTests.run(
            [
                "compare", "base=\(llama)", "quant=\(llama)@q8_0", "half=\(ExtractTests.checkpoint("llama-bf16").path)",
                "other=\(ExtractTests.checkpoint("qwen2").path)", "--vocab", vocabulary.url.path, "--out", out.path,
                "--quiet", "--next-token",
            ] + PipelineTests.fast)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let layout = RunLayout(out)
        for name in ["base", "quant", "half", "other"] {
            #expect(FileManager.default.fileExists(atPath: layout.logits(name).path), "\(name)")
        }
        let rows = try TableFile.read(NextTokenRow.self, in: layout)
        // base, quant and half share llama's tokenizer: three pairs; qwen2's tokenizer differs from theirs.
        let pairs = Set(rows.map { "\($0.variantA)-\($0.variantB)" })
        #expect(pairs == ["base-quant", "base-half", "quant-half"])
        #expect(rows.count == 3 * vocabulary.terms.count)
        #expect(rows.allSatisfy { $0.js >= 0 && $0.js <= log(2.0) && $0.klAB >= -1e-12 })
        #expect(rows.first { $0.variantB == "quant" }.map { $0.js > 0 } == true)
        let summaries = try TableFile.read(NextTokenSummaryRow.self, in: layout)
        #expect(summaries.count == 3)
        #expect(summaries.allSatisfy { $0.top1Agreement > 0.5 && $0.meanJSLow <= $0.meanJS })
        let categories = try TableFile.read(NextTokenCategoryRow.self, in: layout)
        #expect(categories.count == 3 * 3)
        let tests = try TableFile.read(NextTokenCategoryTestRow.self, in: layout)
        #expect(tests.count == 3 * 3)
        let summary = try PipelineTests.text(layout.summaryMarkdown)
        #expect(summary.contains("## Representation and output"))
        #expect(summary.contains("base → quant"))
        #expect(summary.contains("different tokenizers"))

        // check gates on the output measures too: a loose bound holds, an impossible one is violated (exit 1).
        let quant = try #require(summaries.first { $0.variantB == "quant" })
        let holds = try PipelineTests.run([
            "check", out.path, "--pair", "base,quant", "--max-mean-js", "0.7", "--min-top1-agreement", "0.5",
        ])
        #expect(holds.status == 0, "\(holds.stdout)\(holds.stderr)")
        #expect(holds.stdout.contains("mean_js") && holds.stdout.contains("top1_agreement"))
        let violated = try PipelineTests.run([
            "check", out.path, "--pair", "base,quant", "--max-mean-js", String(quant.meanJS / 2),
        ])
        #expect(violated.status == 1 && violated.stdout.contains("VIOLATED"))
    }

    @Test func checkOnOutputMeasuresWithoutNextTokenTablesIsAUsageError() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try CheckTests.fixtureRun(in: folder).run
        let outcome = try PipelineTests.run(["check", run.path, "--max-mean-js", "0.1"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("compare --next-token"))
    }
}
