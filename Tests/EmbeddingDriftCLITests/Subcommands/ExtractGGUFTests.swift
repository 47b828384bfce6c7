import DriftCore
import Foundation
import TestSupport
import Testing

/// `embedding-drift extract` on GGUF files and `@scheme` variants (the real executable).
@Suite struct ExtractGGUFTests {
    static func gguf(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("DriftModelsTests/Fixtures/gguf-models/\(name)")
    }

    /// The GGUF F32 file gives transformers' vectors; `file@q8_0` is recorded as a variant with its scheme and a
    /// name of its own, and its vectors differ from the unquantized ones.
    @Test func ggufAndSchemeVariantsExtract() throws {
        let model = ExtractTests.checkpoint("gemma3")
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (vocabulary, terms, index) = try ExtractTests.vocabularyFile(for: model, in: folder)
        let out = folder.appendingPathComponent("run")
        let file = Self.gguf("gemma3-f32.gguf").path
        for reference in [file, file + "@q8_0"] {
            let outcome = try ExecutableRunner.run([
                "extract", reference, "--vocab", vocabulary.path, "--out", out.path,
            ])
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        let layers = try #require(index["layers"] as? Int)
        let width = try #require(index["hidden_size"] as? Int)
        let reference = try NumpyArray(contentsOf: model.appendingPathComponent("last.npy")).floatValues()
        let plain = try NumpyArray(contentsOf: out.appendingPathComponent("embeddings_gemma3-f32.npy")).floatValues()
        let variant = try NumpyArray(contentsOf: out.appendingPathComponent("embeddings_gemma3-f32-q8_0.npy"))
            .floatValues()
        var worst = 1.0
        for prompt in 0..<terms.count {
            let start = (prompt * (layers + 1) + layers) * width
            worst = min(
                worst,
                ExtractTests.cosine(
                    plain[(prompt * width)..<((prompt + 1) * width)], reference[start..<(start + width)]))
        }
        #expect(worst >= 0.99999, "GGUF F32 worst cosine \(worst)")
        #expect(plain != variant)

        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json")))
                as? [String: Any])
        let variants = try #require(manifest["variants"] as? [[String: Any]])
        #expect(variants.count == 2)
        let q8 = try #require(variants.first { $0["name"] as? String == "gemma3-f32-q8_0" })
        #expect(q8["scheme"] as? String == "q8_0")
        #expect(variants.first { $0["name"] as? String == "gemma3-f32" }?["scheme"] == nil)
    }

    @Test func unknownSchemeIsOneLineAndWritesNothing() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("run")
        let outcome = try ExecutableRunner.run([
            "extract", Self.gguf("llama-f32.gguf").path + "@nf5", "--vocab", "seed-235", "--out", out.path,
        ])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.contains("known schemes: nf4, fp4, int8"))
        #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func tokenizeReadsTheGGUFTokenizer() throws {
        let outcome = try ExecutableRunner.run([
            "tokenize", Self.gguf("gemma3-q8_0.gguf").path + "@nf4", "--text", "The concept of France is",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == "[2,91,11,149,27,119]\n")  // transformers' ids (models/gemma3/expected.json)
    }
}
