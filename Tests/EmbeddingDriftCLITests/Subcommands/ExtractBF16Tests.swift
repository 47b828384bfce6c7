import DriftCore
import Foundation
import TestSupport
import Testing

/// `embedding-drift extract --compute bf16` end to end on a fixture checkpoint.
@Suite struct ExtractBF16Tests {
    /// bf16 compute writes vectors within bf16 rounding of transformers' float32 ones, records `compute: bf16` and gets
    /// its own fingerprint; an unknown precision is one line naming the supported ones, with nothing written.
    @Test func extractsWithBF16Compute() throws {
        let model = ExtractTests.checkpoint("llama")
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (vocabulary, terms, index) = try ExtractTests.vocabularyFile(for: model, in: folder)
        let out = folder.appendingPathComponent("run")

        let bad = try ExecutableRunner.run([
            "extract", model.path, "--vocab", vocabulary.path, "--out", out.path, "--compute", "fp8",
        ])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("fp8") && bad.stderr.contains("f32, bf16"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))

        guard CPUFeatures.hasAVX512BF16 else {
            let refused = try ExecutableRunner.run([
                "extract", model.path, "--vocab", vocabulary.path, "--out", out.path, "--compute", "bf16",
            ])
            #expect(refused.status != 0 && refused.stderr.contains("AVX-512 BF16"), "\(refused.stderr)")
            return
        }
        for (name, compute) in [("fast", "bf16"), ("exact", "f32")] {
            let outcome = try ExecutableRunner.run([
                "extract", model.path, "--vocab", vocabulary.path, "--out", out.path, "--name", name,
                "--compute", compute,
            ])
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        let layers = try #require(index["layers"] as? Int)
        let width = try #require(index["hidden_size"] as? Int)
        let reference = try NumpyArray(contentsOf: model.appendingPathComponent("last.npy")).floatValues()
        let hidden = try NumpyArray(contentsOf: out.appendingPathComponent("hidden_fast.npy")).floatValues()
        var worst = 1.0
        for prompt in 0..<terms.count {
            for layer in 0...layers {
                let expected = reference[
                    ((prompt * (layers + 1) + layer) * width)..<((prompt * (layers + 1) + layer + 1) * width)]
                let got = hidden[
                    ((layer * terms.count + prompt) * width)..<((layer * terms.count + prompt + 1) * width)]
                worst = min(worst, ExtractTests.cosine(got, expected))
            }
        }
        #expect(worst >= 0.9999, "worst cosine to transformers float32 \(worst)")

        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json")))
                as? [String: Any])
        let variants = try #require(manifest["variants"] as? [[String: Any]])
        let fast = try #require(variants.first { $0["name"] as? String == "fast" })
        let exact = try #require(variants.first { $0["name"] as? String == "exact" })
        #expect(fast["compute"] as? String == "bf16")
        #expect(exact["compute"] as? String == "f32")
        #expect(fast["fingerprint"] as? String != exact["fingerprint"] as? String)
    }
}
