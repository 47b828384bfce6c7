import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// A tokenizer that returns transformers' ids for the fixture prompts (so these tests isolate extraction and the
/// runtime from tokenisation; the CLI test uses the real tokenizer loader).
struct RecordedTokenizer: Tokenizer {
    let ids: [String: [Int]]
    let vocabularySize: Int
    var kindDescription: String { "recorded" }

    func encode(_ text: String, addSpecialTokens: Bool) -> [Int] { ids[text] ?? [] }
}

/// One of the runtime's fixture checkpoints (`Scripts/fixtures/models.py`) with its transformers reference.
struct ReferenceCheckpoint {
    let folder: URL
    let vocabulary: Vocabulary
    let tokenizer: RecordedTokenizer
    let layerCount: Int
    let hiddenSize: Int
    /// transformers' hidden states, `[prompts, layers + 1, hidden]`, for the last token and for the mean.
    let last: [Float]
    let mean: [Float]

    init(_ name: String) throws {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        folder = fixtures.appendingPathComponent("models/\(name)")
        let index = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected.json")))
                as? [String: Any])
        let prompts = try #require(index["prompts"] as? [[String: Any]])
        var ids: [String: [Int]] = [:]
        var concepts: [Concept] = []
        for prompt in prompts {
            let text = try #require(prompt["text"] as? String)
            ids[text] = try #require(prompt["ids"] as? [Int])
            let term = text.replacingOccurrences(of: "The concept of ", with: "").replacingOccurrences(
                of: " is", with: "")
            #expect(PromptTemplate.default.prompt(for: term) == text)
            concepts.append(Concept(term: term, category: "c\(concepts.count % 4)"))
        }
        vocabulary = try Vocabulary(name: name, concepts: concepts)
        let config = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json")))
                as? [String: Any])
        tokenizer = RecordedTokenizer(ids: ids, vocabularySize: try #require(config["vocab_size"] as? Int))
        layerCount = try #require(index["layers"] as? Int)
        hiddenSize = try #require(index["hidden_size"] as? Int)
        last = try NumpyArray(contentsOf: folder.appendingPathComponent("last.npy")).floatValues()
        mean = try NumpyArray(contentsOf: folder.appendingPathComponent("mean.npy")).floatValues()
    }

    func model() throws -> any HiddenStateModel {
        try ModelLoader.load(folder: folder.path, store: SafetensorsStore(path: folder.path))
    }

    /// transformers' vector for prompt `prompt` at hidden-state index `layer`.
    func reference(_ pooling: Pooling, prompt: Int, layer: Int) -> ArraySlice<Float> {
        let start = (prompt * (layerCount + 1) + layer) * hiddenSize
        return (pooling == .last ? last : mean)[start..<(start + hiddenSize)]
    }
}

func cosine(_ a: some Collection<Float>, _ b: some Collection<Float>) -> Double {
    var dot = 0.0, na = 0.0, nb = 0.0
    for (x, y) in zip(a, b) {
        dot += Double(x) * Double(y)
        na += Double(x) * Double(x)
        nb += Double(y) * Double(y)
    }
    return dot / max(1e-300, (na * nb).squareRoot())
}

@Suite struct ExtractionParityTests {
    /// Every layer of every prompt equals transformers', whatever the batch size (one prompt per batch, a few, all).
    @Test(arguments: ["llama", "gemma3", "gpt2", "qwen2"], [1, 40, 100_000])
    func extractionMatchesTransformersAtEveryBatchSize(name: String, maxBatchTokens: Int) throws {
        let checkpoint = try ReferenceCheckpoint(name)
        for pooling in [Pooling.last, .mean] {
            let settings = ExtractionSettings(pooling: pooling, layers: .all, maxBatchTokens: maxBatchTokens)
            let set = try Extractor(tokenizer: checkpoint.tokenizer, model: try checkpoint.model(), settings: settings)
                .extract(checkpoint.vocabulary)
            #expect(set.layers == Array(0...checkpoint.layerCount))
            var worstCosine = 1.0
            var worstRelative = 0.0
            for prompt in 0..<checkpoint.vocabulary.count {
                for layer in set.layers {
                    let expected = checkpoint.reference(pooling, prompt: prompt, layer: layer)
                    let got = set.matrix(atLayerPosition: layer).row(prompt)
                    worstCosine = min(worstCosine, cosine(got, expected))
                    let scale = Double(expected.map { abs($0) }.max() ?? 1)
                    let error = zip(got, expected).map { Double(abs($0 - $1)) }.max() ?? 0
                    worstRelative = max(worstRelative, error / scale)
                }
            }
            #expect(worstCosine >= 0.99999, "\(name) \(pooling) batch \(maxBatchTokens): cosine \(worstCosine)")
            #expect(worstRelative <= 1e-4, "\(name) \(pooling) batch \(maxBatchTokens): error \(worstRelative)")
        }
    }

    /// Batched and one-prompt-at-a-time runs agree to float rounding.
    @Test func batchedEqualsUnbatched() throws {
        let checkpoint = try ReferenceCheckpoint("gemma3")
        let model = try checkpoint.model()
        let alone = try Extractor(
            tokenizer: checkpoint.tokenizer, model: model, settings: ExtractionSettings(maxBatchTokens: 1)
        )
        .extract(checkpoint.vocabulary)
        let together = try Extractor(
            tokenizer: checkpoint.tokenizer, model: model, settings: ExtractionSettings(maxBatchTokens: 4096)
        )
        .extract(checkpoint.vocabulary)
        #expect(alone.timings.batches == checkpoint.vocabulary.count)
        #expect(together.timings.batches == 1)
        let scale = alone.values.map { abs($0) }.max() ?? 1
        let worst = zip(alone.values, together.values).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5 * scale, "max difference \(worst) (scale \(scale))")
    }

    /// The written files hold transformers' vectors: `embeddings_*.npy` normalised, `hidden_*.npy` raw.
    @Test func writtenFilesHoldTheReferenceVectors() throws {
        let checkpoint = try ReferenceCheckpoint("llama")
        let out = try ExtractionFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let settings = ExtractionSettings(layers: .indices([0, -1]))
        let set = try Extractor(tokenizer: checkpoint.tokenizer, model: try checkpoint.model(), settings: settings)
            .extract(checkpoint.vocabulary)
        let record = VariantRecord(
            name: "tiny", modelPath: checkpoint.folder.path, modelFiles: try ModelFiles.inspect(checkpoint.folder),
            settings: settings, layerCount: checkpoint.layerCount, toolVersion: "0.0.0", loadSeconds: 0)
        #expect(record.modelFiles.weightDType == "F32")
        try ExtractionWriter.write(set, record: record, to: out)

        let embeddings = try NumpyArray(contentsOf: out.appendingPathComponent("embeddings_tiny.npy"))
        let hidden = try NumpyArray(contentsOf: out.appendingPathComponent("hidden_tiny.npy"))
        #expect(embeddings.shape == [checkpoint.vocabulary.count, checkpoint.hiddenSize])
        #expect(hidden.shape == [2, checkpoint.vocabulary.count, checkpoint.hiddenSize])
        let e = embeddings.floatValues()
        let h = hidden.floatValues()
        let width = checkpoint.hiddenSize
        for prompt in 0..<checkpoint.vocabulary.count {
            let row = Array(e[(prompt * width)..<((prompt + 1) * width)])
            let norm = row.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
            let reference = checkpoint.reference(.last, prompt: prompt, layer: checkpoint.layerCount)
            #expect(cosine(row, reference) >= 0.99999)
            let base = (checkpoint.vocabulary.count + prompt) * width
            #expect(cosine(h[base..<(base + width)], reference) >= 0.99999)
            let first = checkpoint.reference(.last, prompt: prompt, layer: 0)
            #expect(cosine(h[(prompt * width)..<((prompt + 1) * width)], first) >= 0.99999)
        }
    }
}

@Suite struct SafetensorsPageReleaseTests {
    /// Converting a tensor releases its mapped pages; reading it again gives the same values from the file.
    @Test func tensorsReadTwiceAreEqual() throws {
        let checkpoint = try ReferenceCheckpoint("llama-bf16")
        let store = try SafetensorsStore(path: checkpoint.folder.path)
        for info in store.tensors {
            let first = try store.floats(info.name)
            let second = try store.floats(info.name)
            #expect(first == second, "\(info.name)")
            #expect(first.count == info.elementCount)
        }
    }
}
