import DriftAnalysis
import DriftCore
import Foundation
import TestSupport
import Testing

/// `compare --logit-lens`: every pair of variants over one tokenizer gets `tables/logit_lens_divergence` — each
/// concept's divergence at every layer — equal to a float64 scipy computation on transformers' lens logits
/// (`Scripts/fixtures/lens_divergence.py`), and `tables/global` summarises it per layer.
@Suite struct CompareLogitLensTests {
    struct Reference: Decodable {
        struct Row: Decodable {
            let js: Double
            let kl_ab: Double
            let kl_ba: Double
            let entropy_a: Double
            let entropy_b: Double
            let top1_a: Int
            let top1_b: Int
            let gap_a: Double
            let gap_b: Double
        }
        let variants: [String]
        let terms: [String]
        let layers: [[Row]]
    }

    static func reference() throws -> Reference {
        let url = ExtractTests.checkpoint("qwen2").deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("logits/qwen2-qwen3-lens-divergence.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    /// Relative error with a floor: JS values here go down to 1e-14 (layer 0, where the two models share the token
    /// table), below what float32 logits can resolve.
    static func close(_ x: Double, _ y: Double, relative: Double = 1e-3, absolute: Double = 1e-9) -> Bool {
        abs(x - y) <= absolute + relative * abs(y)
    }

    @Test func lensDivergenceMatchesScipyOnTransformersLogits() throws {
        let reference = try Self.reference()
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = folder.appendingPathComponent("terms.csv")
        try Data(
            ("term,category\n" + reference.terms.enumerated().map { "\"\($1)\",c\($0 % 2)\n" }.joined()).utf8
        ).write(to: vocabulary)
        let out = folder.appendingPathComponent("run")
        let outcome = try PipelineTests.run(
            [
                "compare", "q2=\(ExtractTests.checkpoint("qwen2").path)", "q3=\(ExtractTests.checkpoint("qwen3").path)",
                "--vocab", vocabulary.path, "--out", out.path, "--quiet", "--next-token", "--logit-lens", "2",
                "--no-umap", "--k", "3",
            ] + PipelineTests.fast)
        try #require(outcome.status == 0, "\(outcome.stderr)")
        let layout = RunLayout(out)
        let rows = try TableFile.read(LensDivergenceRow.self, in: layout)
        #expect(rows.count == reference.layers.count * reference.terms.count)
        var worst = 0.0
        for (layer, expected) in reference.layers.enumerated() {
            for (k, e) in expected.enumerated() {
                let row = try #require(rows.first { $0.layer == layer && $0.divergence.term == reference.terms[k] })
                #expect(row.divergence.variantA == "q2" && row.divergence.variantB == "q3")
                #expect(
                    Self.close(row.divergence.js, e.js),
                    "layer \(layer) \(row.divergence.term): js \(row.divergence.js) vs \(e.js)")
                #expect(Self.close(row.divergence.klAB, e.kl_ab) && Self.close(row.divergence.klBA, e.kl_ba))
                #expect(Self.close(row.divergence.entropyA, e.entropy_a, relative: 1e-5))
                #expect(Self.close(row.divergence.entropyB, e.entropy_b, relative: 1e-5))
                if e.gap_a > 1e-3 { #expect(row.divergence.top1A == e.top1_a) }
                if e.gap_b > 1e-3 { #expect(row.divergence.top1B == e.top1_b) }
                if e.js > 1e-9 { worst = max(worst, abs(row.divergence.js - e.js) / e.js) }
            }
        }
        print("logit-lens JS against scipy on transformers' logits: max relative error \(worst)")

        // The last layer's lens is the next-token distribution: the same numbers as tables/next_token.
        let last = reference.layers.count - 1
        for next in try TableFile.read(NextTokenRow.self, in: layout) {
            let lens = try #require(rows.first { $0.layer == last && $0.divergence.term == next.term })
            #expect(lens.divergence == next)
        }

        // global: at every layer but the first (where every concept's state is the same, so drift has no ranks)
        // the lens's mean JS, top-1 agreement and drift–JS correlation, with intervals around them.
        let global = try TableFile.read(GlobalRow.self, in: layout)
        for row in global where row.layer > 0 {
            let expected = reference.layers[row.layer]
            let mean = expected.map(\.js).reduce(0, +) / Double(expected.count)
            #expect(Self.close(row.meanJS, mean), "layer \(row.layer): mean JS \(row.meanJS) vs \(mean)")
            #expect(row.meanJSLow <= row.meanJS && row.meanJS <= row.meanJSHigh)
            let agree = Double(expected.filter { $0.top1_a == $0.top1_b }.count) / Double(expected.count)
            #expect(row.top1Agreement == agree)
            #expect(row.spearmanDriftJS.isFinite && row.spearmanLow <= row.spearmanHigh, "layer \(row.layer)")
        }
        let report = try PipelineTests.text(layout.report)
        #expect(report.contains("Through the logit lens"))
        let summary = try PipelineTests.text(layout.summaryMarkdown)
        #expect(summary.contains("q2 → q3, through the logit lens at \(reference.layers.count) layers"))
        // The spilled lens logits are scratch: nothing of them is left in the run directory.
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(!names.contains { $0.contains("lens_logits") }, "\(names)")

        // Analysing again reads the table: the same global rows.
        let again = try PipelineTests.run(
            ["analyze", out.path, "--quiet", "--no-umap", "--k", "3"] + PipelineTests.fast)
        try #require(again.status == 0, "\(again.stderr)")
        #expect(try TableFile.read(GlobalRow.self, in: layout) == global)
    }
}
