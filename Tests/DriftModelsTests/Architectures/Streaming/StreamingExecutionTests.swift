import DriftCore
import Foundation
import Synchronization
import Testing

@testable import DriftModels

/// Layer streaming gives the in-memory model's hidden states exactly, on every fixture checkpoint
/// (`Scripts/fixtures/models.py`, transformers), and both equal transformers' reference vectors.
@Suite struct StreamingExecutionTests {
    /// Every fixture folder in `Fixtures/models` (float32, bf16 and f16 weights).
    static let fixtures = [
        "llama", "llama-bf16", "mistral", "qwen2", "qwen2-f16", "gemma3", "gemma3-bf16", "olmo", "olmo2", "gpt_neox",
        "gpt2", "bert", "qwen3", "qwen3_moe", "qwen3_moe-bf16", "mixtral", "olmoe", "gemma2", "granite", "smollm3",
        "olmo3", "phi3",
        "gpt_oss",
    ]

    @Test func everyFixtureFolderIsCovered() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: try ModelFixture.root.path)
            .filter { !$0.hasSuffix(".md") }
        #expect(Set(folders) == Set(Self.fixtures))
    }

    /// The smallest budget a streaming run of `batch` keeping every layer fits in, two blocks in flight or one.
    static func tinyBudget(_ spec: ArchitectureSpec, batch: [[Int]], blocksInFlight: Int) -> MemoryBudget {
        let plan = MemoryPlan(spec: spec)
        return MemoryBudget(
            bytes: plan.streamingBytes(
                tokens: batch.reduce(0) { $0 + $1.count }, prompts: batch.count, keptLayers: spec.layerCount + 1,
                blocksInFlight: blocksInFlight))
    }

    @Test(arguments: fixtures)
    func streamingEqualsInMemoryBitForBit(name: String) throws {
        let fixture = try ModelFixture(name)
        let inMemory = try fixture.model()
        let source = try HuggingFaceWeights(spec: inMemory.spec, store: try fixture.store(), path: fixture.folder.path)
        let batch = fixture.index.prompts.map(\.ids)
        let layers = Array(0...inMemory.layerCount)
        for (blocks, prefetch) in [(2, true), (1, true), (2, false)] {
            // With one block's room only, prefetching is declined by the model itself.
            let budget = Self.tinyBudget(inMemory.spec, batch: batch, blocksInFlight: blocks)
            let streaming = try StreamingTransformerModel(source: source, budget: budget, prefetch: prefetch)
            for pooling in [Pooling.last, .mean] {
                let expected = try inMemory.pooledHiddenStates(batch: batch, layers: layers, pooling: pooling)
                let streamed = try streaming.pooledHiddenStates(batch: batch, layers: layers, pooling: pooling)
                #expect(streamed == expected, "\(name) \(pooling) blocks \(blocks) prefetch \(prefetch)")
                // …and both are transformers' states.
                var worstCosine = 1.0
                var worstRelative: Float = 0
                for layer in layers {
                    for p in batch.indices {
                        let comparison = VectorComparison(
                            streamed[layer].row(p),
                            fixture.expected(pooling == .last ? fixture.last : fixture.mean, prompt: p, layer: layer))
                        worstCosine = min(worstCosine, comparison.cosine)
                        worstRelative = max(worstRelative, comparison.relativeError)
                    }
                }
                if fixture.index.dtype == "float32" {
                    #expect(worstRelative <= 1e-4, "\(name) \(pooling): relative error \(worstRelative)")
                    #expect(worstCosine >= 0.99999, "\(name) \(pooling): cosine \(worstCosine)")
                } else {
                    #expect(worstCosine >= 0.9999, "\(name) \(pooling): cosine \(worstCosine)")
                }
            }
        }
    }

    /// The loader streams exactly when the float32 weights exceed the budget.
    @Test(arguments: ["llama", "gpt2", "bert"])
    func loaderChoosesStreamingWhenWeightsDoNotFit(name: String) throws {
        let fixture = try ModelFixture(name)
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let plan = MemoryPlan(spec: spec)
        #expect(plan.minimumStreamingBytes < plan.inMemoryWeightBytes)
        let small = try ModelLoader.load(
            folder: fixture.folder.path, store: try fixture.store(),
            budget: MemoryBudget(bytes: plan.inMemoryWeightBytes - 1))
        #expect(small is StreamingTransformerModel)
        let large = try ModelLoader.load(
            folder: fixture.folder.path, store: try fixture.store(),
            budget: MemoryBudget(bytes: plan.inMemoryWeightBytes))
        #expect(large is TransformerModel)
        #expect(
            try ModelLoader.executionMode(plan, budget: MemoryBudget(bytes: plan.minimumStreamingBytes)) == .streaming)
        let forced = MemoryBudget(bytes: plan.inMemoryWeightBytes, forcedMode: .streaming)
        #expect(try ModelLoader.executionMode(plan, budget: forced) == .streaming)
    }

    /// A budget below one block (or the embedding table) fails at load time, saying how much is needed; a budget that
    /// holds the weights but not the batch's activations fails at run time, also saying how much.
    @Test func budgetTooSmallSaysHowMuchIsNeeded() throws {
        let fixture = try ModelFixture("llama")
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let plan = MemoryPlan(spec: spec)
        let needed = MemoryBudget.format(plan.minimumStreamingBytes)
        let error = #expect(throws: DriftError.self) {
            _ = try ModelLoader.load(
                folder: fixture.folder.path, store: try fixture.store(), budget: MemoryBudget(bytes: 1024))
        }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.message.contains("too small for even one layer") == true, "\(String(describing: error))")
        #expect(error?.message.contains("at least \(needed)") == true, "\(String(describing: error))")

        let source = try HuggingFaceWeights(spec: spec, store: try fixture.store(), path: fixture.folder.path)
        let model = try StreamingTransformerModel(
            source: source, budget: MemoryBudget(bytes: plan.minimumStreamingBytes))
        let batch = fixture.index.prompts.map(\.ids)
        // The prompts' shared opening is computed once, so the activations are those of the packed rows.
        let rows = PackedBatch(batch: batch, sharingPrefix: true).rowCount
        #expect(rows < batch.reduce(0) { $0 + $1.count })
        let runNeeds = plan.streamingBytes(tokens: rows, prompts: batch.count, keptLayers: 1, blocksInFlight: 1)
        let runError = #expect(throws: DriftError.self) {
            _ = try model.pooledHiddenStates(batch: batch, layers: [spec.layerCount], pooling: .last)
        }
        #expect(runError?.message.contains("at least \(MemoryBudget.format(runNeeds))") == true)
        #expect(runError?.message.contains("activations of") == true)
    }

    /// Progress comes before the first block and after each one, with an estimate of the time left.
    @Test func progressByLayer() throws {
        let fixture = try ModelFixture("gemma3")
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let source = try HuggingFaceWeights(spec: spec, store: try fixture.store(), path: fixture.folder.path)
        let batch = fixture.index.prompts.map(\.ids)
        let reports = Mutex<[StreamingProgress]>([])
        let model = try StreamingTransformerModel(
            source: source, budget: Self.tinyBudget(spec, batch: batch, blocksInFlight: 2),
            progress: { progress in reports.withLock { $0.append(progress) } })
        _ = try model.pooledHiddenStates(batch: batch, layers: [0, spec.layerCount], pooling: .last)
        let seen = reports.withLock { $0 }
        #expect(seen.map(\.layersDone) == Array(0...spec.layerCount))
        #expect(seen.allSatisfy { $0.layerCount == spec.layerCount })
        #expect(seen.first?.estimatedSecondsLeft == nil)
        #expect(seen.last?.estimatedSecondsLeft == 0)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.elapsedSeconds <= $1.elapsedSeconds })
    }

    /// A tensor missing from a later block is reported when streaming reaches it, whether read ahead or not.
    @Test(arguments: [true, false])
    func missingTensorInALaterBlockIsReported(prefetch: Bool) throws {
        let fixture = try ModelFixture("llama")
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let store = TamperedTensorStore(base: try fixture.store(), hidden: ["model.layers.1.mlp.down_proj.weight"])
        let source = try HuggingFaceWeights(spec: spec, store: store, path: fixture.folder.path)
        let batch = fixture.index.prompts.map(\.ids)
        let model = try StreamingTransformerModel(
            source: source, budget: Self.tinyBudget(spec, batch: batch, blocksInFlight: 2), prefetch: prefetch)
        let error = #expect(throws: DriftError.self) {
            _ = try model.pooledHiddenStates(batch: batch, layers: [spec.layerCount], pooling: .last)
        }
        #expect(error?.message.contains("model.layers.1.mlp.down_proj.weight") == true)
    }

    /// Token ids are checked against the full vocabulary before anything is read.
    @Test func outOfVocabularyIdIsRejected() throws {
        let fixture = try ModelFixture("llama")
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let source = try HuggingFaceWeights(spec: spec, store: try fixture.store(), path: fixture.folder.path)
        let model = try StreamingTransformerModel(source: source, budget: MemoryBudget(bytes: 1 << 30))
        #expect(throws: DriftError.self) {
            _ = try model.pooledHiddenStates(batch: [[1, spec.vocabularySize]], layers: [1], pooling: .last)
        }
        #expect(throws: DriftError.self) {
            _ = try model.pooledHiddenStates(batch: [[1]], layers: [spec.layerCount + 1], pooling: .last)
        }
    }

    /// The extractor sends every prompt through a streaming model in one call; the vectors equal a batched in-memory
    /// extraction to float rounding, and transformers'.
    @Test func extractorRunsAllPromptsAtOnceWhenStreaming() throws {
        let checkpoint = try ReferenceCheckpoint("qwen2")
        let spec = try ArchitectureSpec(configFile: checkpoint.folder.path)
        let source = try HuggingFaceWeights(
            spec: spec, store: try SafetensorsStore(path: checkpoint.folder.path), path: checkpoint.folder.path)
        let streaming = try StreamingTransformerModel(source: source, budget: MemoryBudget(bytes: 1 << 30))
        let settings = ExtractionSettings(layers: .all, maxBatchTokens: 20)
        let streamed = try Extractor(tokenizer: checkpoint.tokenizer, model: streaming, settings: settings)
            .extract(checkpoint.vocabulary)
        let batched = try Extractor(tokenizer: checkpoint.tokenizer, model: try checkpoint.model(), settings: settings)
            .extract(checkpoint.vocabulary)
        #expect(streamed.timings.batches == 1)
        #expect(batched.timings.batches > 1)
        let scale = batched.values.map { abs($0) }.max() ?? 1
        let worst = zip(streamed.values, batched.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-6 * scale, "max difference \(worst) (scale \(scale))")
        var worstCosine = 1.0
        for prompt in 0..<checkpoint.vocabulary.count {
            for layer in streamed.layers {
                worstCosine = min(
                    worstCosine,
                    cosine(
                        streamed.matrix(atLayerPosition: layer).row(prompt),
                        checkpoint.reference(.last, prompt: prompt, layer: layer)))
            }
        }
        #expect(worstCosine >= 0.99999)
    }
}

/// A memory-mapped store under a quantized view still lets converted tensors' pages go.
@Suite struct PageReleasingStoreTests {
    /// Records which tensors' pages were released.
    final class SpyStore: PageReleasingStore, @unchecked Sendable {
        // Safe to share: `released` is only touched under `lock`.
        let base: SafetensorsStore
        let lock = NSLock()
        var released: [String] = []

        init(_ base: SafetensorsStore) { self.base = base }
        var tensors: [TensorInfo] { base.tensors }
        func floats(_ name: String) throws -> [Float] { try base.floats(name) }
        func releasePages(_ name: String) {
            lock.lock()
            released.append(name)
            lock.unlock()
        }
    }

    @Test func quantizedViewReleasesTheBaseStoresPages() throws {
        let fixture = try ModelFixture("llama")
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let spy = SpyStore(try fixture.store())
        let store = QuantizedTensorStore(base: spy, scheme: .q8_0)
        let source = try HuggingFaceWeights(spec: spec, store: store, path: fixture.folder.path)
        _ = try source.blockWeights(1)
        let released = Set(spy.lock.withLock { spy.released })
        let block = Set(spy.tensors.map(\.name).filter { $0.hasPrefix("model.layers.1.") })
        #expect(!block.isEmpty)
        #expect(released == block)
    }
}
