import DriftCore
import DriftModels
import Foundation
import Testing

/// The real Gemma 3 270M Q4_K_M GGUF (opt-in: runs when `EMBEDDING_DRIFT_REFDATA` names the folder holding
/// `gemma-3-270m-q4_k_m.gguf`) against transformers loading the same file (`Scripts/fixtures/gguf_real.py`).
@Suite(.enabled(if: RealDataFolder.path != nil, "set EMBEDDING_DRIFT_REFDATA to run"))
struct RealGGUFTests {
    static var refdata: String? { RealDataFolder.path }

    struct Expected: Decodable {
        let layers: Int
        let hidden_size: Int
        let prompts: [ModelFixture.Prompt]
    }

    static func fixture() throws -> (Expected, [Float]) {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw DriftError(.missing, "test fixtures are missing from the bundle")
        }
        let folder = url.appendingPathComponent("gguf-real")
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: folder.appendingPathComponent("gemma-3-270m.json")))
        return (expected, try ModelFixture.readNpy(folder.appendingPathComponent("gemma-3-270m-last.npy")))
    }

    static func load() throws -> LoadedCheckpoint {
        let path = URL(fileURLWithPath: try #require(refdata)).appendingPathComponent("gemma-3-270m-q4_k_m.gguf").path
        return try LoadedCheckpoint.load(path)
    }

    @Test func gemma3_270mMatchesTransformers() throws {
        let (expected, last) = try Self.fixture()
        let checkpoint = try Self.load()
        // By elements: the Q8_0 token embedding outweighs the Q5_0 blocks.
        #expect(checkpoint.files.weightDType == "Q8_0")
        let model = try #require(checkpoint.model as? TransformerModel)
        #expect(model.spec.layerCount == 18 && model.spec.hiddenSize == 640 && model.spec.headDimension == 256)
        #expect(model.spec.layerWindows.map { $0 != nil } == (0..<18).map { ($0 + 1) % 6 != 0 })
        for prompt in expected.prompts {
            #expect(
                try checkpoint.tokenizer.encode(prompt.text, addSpecialTokens: true) == prompt.ids, "\(prompt.text)")
        }
        let batch = expected.prompts.map(\.ids)
        let layers = Array(0...expected.layers)
        let states = try model.pooledHiddenStates(batch: batch, layers: layers, pooling: .last)
        var worst = 1.0
        for layer in layers {
            for p in batch.indices {
                let start = (p * (expected.layers + 1) + layer) * expected.hidden_size
                let c = VectorComparison(states[layer].row(p), Array(last[start..<(start + expected.hidden_size)]))
                worst = min(worst, c.cosine)
                #expect(c.cosine >= 0.9999, "layer \(layer) prompt \(p): cosine \(c.cosine)")
            }
        }
        print("real gemma-3-270m GGUF vs transformers: min cosine \(worst) over \(layers.count) layers")
    }

    /// The next-token logits (through the tied Q8_0 token table and Gemma 3's final norm) against
    /// `AutoModelForCausalLM` on the same file, on the committed sample of token ids (every 131st and each prompt's
    /// 64 most likely).
    @Test func gemma3_270mNextTokenLogitsMatchTransformers() throws {
        let (expected, _) = try Self.fixture()
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            .appendingPathComponent("gguf-real")
        let ids = try NumpyArray(contentsOf: folder.appendingPathComponent("gemma-3-270m-logit-ids.npy"))
            .integerValues().map(Int.init)
        let reference = try ModelFixture.readNpy(folder.appendingPathComponent("gemma-3-270m-logits.npy"))
        let checkpoint = try Self.load()
        let model = checkpoint.model
        let batch = expected.prompts.map(\.ids)
        let final = try model.pooledHiddenStates(batch: batch, layers: [expected.layers], pooling: .last)[0]
        let logits = try model.outputHead().logits(final, normalizing: false)
        var worstCosine = 1.0
        var worstError = 0.0
        for p in batch.indices {
            let row = logits.row(p)
            let ours = ids.map { row[$0] }
            let theirs = Array(reference[(p * ids.count)..<((p + 1) * ids.count)])
            let c = VectorComparison(ours, theirs)
            let scale = Double(theirs.map { abs($0) }.max() ?? 1)
            worstCosine = min(worstCosine, c.cosine)
            worstError = max(worstError, Double(c.maxAbsError) / scale)
            #expect(c.cosine >= 0.99999, "prompt \(p): cosine \(c.cosine)")
            #expect(Double(c.maxAbsError) <= 1e-3 * scale, "prompt \(p): max error \(c.maxAbsError) of \(scale)")
            let top = theirs.indices.max { theirs[$0] < theirs[$1] }.map { ids[$0] }
            #expect(row.indices.max { row[$0] < row[$1] } == top, "prompt \(p): top token")
        }
        print(
            "real gemma-3-270m GGUF logits vs transformers: min cosine \(worstCosine), max error \(worstError) × max|ref|"
        )
    }

    @Test func gemma3_270mTokenizesSingleTokenTermsLikeLlamaCpp() throws {
        let checkpoint = try Self.load()
        // llama.cpp's ids for `The concept of {term} is` with a single-token term: [2, 818, 3495, 529, <term>, 563].
        var singleTokenTerms = 0
        for concept in Vocabulary.seed235.concepts {
            let ids = try checkpoint.tokenizer.encode("The concept of \(concept.term) is", addSpecialTokens: true)
            #expect(Array(ids.prefix(4)) == [2, 818, 3495, 529] && ids.last == 563, "\(concept.term): \(ids)")
            if ids.count == 6 { singleTokenTerms += 1 }
        }
        #expect(singleTokenTerms > 100)
    }

    /// Measures (prints) what dequantizing costs: the blocks once (at load) vs the token embedding, and the float32
    /// bytes each holds, to compare dequantizing once at load with dequantizing each block when it is used.
    @Test func gemma3_270mDequantizationCost() throws {
        let path = URL(fileURLWithPath: try #require(Self.refdata)).appendingPathComponent("gemma-3-270m-q4_k_m.gguf")
            .path
        let file = try GGUFFile(path: path)
        let clock = ContinuousClock()
        var blockSeconds = 0.0
        var blockValues = 0
        var embeddingSeconds = 0.0
        var embeddingValues = 0
        for tensor in file.tensors {
            let start = clock.now
            let values = try file.floats(tensor.name)
            let elapsed = (clock.now - start).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            #expect(values.count == tensor.elementCount)
            if tensor.name.hasPrefix("blk.") {
                blockSeconds += seconds
                blockValues += values.count
            } else {
                embeddingSeconds += seconds
                embeddingValues += values.count
            }
        }
        print(
            "gemma-3-270m dequantization: blocks \(blockValues) values (\((blockValues * 4) >> 20) MiB float32) in \(blockSeconds) s; "
                + "embedding and final norm \(embeddingValues) values (\((embeddingValues * 4) >> 20) MiB) in \(embeddingSeconds) s"
        )
    }

    @Test func gemma3_270mExtractsTheReferenceVocabulary() throws {
        let checkpoint = try Self.load()
        let set = try Extractor(
            tokenizer: checkpoint.tokenizer, model: checkpoint.model, settings: ExtractionSettings()
        )
        .extract(.seed235)
        #expect(set.vocabulary.count == 235)
        #expect(set.layers.count == 19 && set.hiddenSize == 640)
        let finite = set.values.allSatisfy { $0.isFinite }
        #expect(finite)
    }
}

/// The folder of real reference files named by `EMBEDDING_DRIFT_REFDATA`, or nil.
enum RealDataFolder {
    static var path: String? { ProcessInfo.processInfo.environment["EMBEDDING_DRIFT_REFDATA"] }
}
