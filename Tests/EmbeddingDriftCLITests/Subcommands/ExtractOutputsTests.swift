import DriftCore
import DriftModels
import Foundation
import TestSupport
import Testing

/// `extract --next-token --logit-lens K`: the logits file equals transformers' logits, the lens file reads back
/// through its typed table, and a bad request writes nothing.
@Suite struct ExtractOutputsTests {
    static var logitsFixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("DriftModelsTests/Fixtures/logits")
    }

    @Test func nextTokenLogitsAndLensAreWritten() throws {
        let model = ExtractTests.checkpoint("qwen3")
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (vocabulary, terms, _) = try ExtractTests.vocabularyFile(for: model, in: folder)
        let out = folder.appendingPathComponent("run")
        let outcome = try ExecutableRunner.run([
            "extract", model.path, "--vocab", vocabulary.path, "--out", out.path, "--name", "q", "--layers", "0,1",
            "--next-token", "--logit-lens", "3",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let layout = RunLayout(out)
        #expect(outcome.stdout.contains(layout.logits("q").path) && outcome.stdout.contains(layout.logitLens("q").path))

        // The logits come from the full pass although only layers 0 and 1 are kept.
        let logits = try NumpyArray(contentsOf: layout.logits("q"))
        let reference = try NumpyArray(contentsOf: Self.logitsFixtures.appendingPathComponent("qwen3.npy"))
        #expect(logits.shape == reference.shape && logits.shape == [terms.count, 300])
        let got = logits.floatValues()
        let expected = reference.floatValues()
        var worst = 1.0
        for row in 0..<terms.count {
            worst = min(
                worst,
                ExtractTests.cosine(got[(row * 300)..<((row + 1) * 300)], expected[(row * 300)..<((row + 1) * 300)]))
        }
        #expect(worst >= 0.99999, "worst cosine \(worst)")

        let lines = try String(contentsOf: layout.logitLens("q"), encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "layer,term,category,rank,token_id,token,prob")
        #expect(lines.count == 1 + 2 * terms.count * 3)
        #expect(lines[1].hasPrefix("0,\(terms[0]),fixture,1,"))
        #expect(lines.last?.hasPrefix("1,\(terms[terms.count - 1]),fixture,3,") == true)

        let manifest = try RunManifest.read(in: out)
        #expect(manifest?.variants.first?.files?.logits == "logits_q.npy")
        #expect(manifest?.variants.first?.files?.logitLens == "logit_lens_q.csv")
    }

    @Test func outputsOfAnEncoderOrWithMeanPoolingWriteNothing() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bert = ExtractTests.checkpoint("bert")
        let (vocabulary, _, _) = try ExtractTests.vocabularyFile(for: bert, in: folder)
        for (model, extra) in [
            (bert, ["--next-token"]), (ExtractTests.checkpoint("llama"), ["--next-token", "--pooling", "mean"]),
            (ExtractTests.checkpoint("llama"), ["--logit-lens", "0"]),
        ] {
            let out = folder.appendingPathComponent("run-\(UUID().uuidString)")
            let outcome = try ExecutableRunner.run(
                ["extract", model.path, "--vocab", vocabulary.path, "--out", out.path] + extra)
            #expect(outcome.status != 0)
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }
}
