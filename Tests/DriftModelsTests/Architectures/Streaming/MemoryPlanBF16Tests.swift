import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Memory planning for `--compute bf16`.
///
/// The plan sizes the packed bf16 linear weights the model really holds, chooses in-memory execution whenever that
/// footprint fits, and streamed bf16 blocks (packed one weight at a time) give the in-memory bf16 states bit for bit. Fixture checkpoints from `Scripts/fixtures/models.py` (transformers).
@Suite(.enabled(if: CPUFeatures.hasAVX512BF16, "this CPU has no AVX-512 BF16; --compute bf16 cannot run"))
struct MemoryPlanBF16Tests {
    /// One fixture per weight layout: stacked q/k/v (llama, qwen2 with biases, gemma3 with q/k norms), fused and
    /// regrouped (gpt_neox), transposed Conv1D (gpt2), encoder (bert), and bf16 / f16 source files.
    static let fixtures = ["llama", "llama-bf16", "qwen2", "qwen2-f16", "gemma3", "gpt_neox", "gpt2", "bert"]

    static func load(_ fixture: ModelFixture, budget: MemoryBudget, compute: ComputePrecision) throws
        -> any HiddenStateModel
    {
        try ModelLoader.load(folder: fixture.folder.path, store: fixture.store(), budget: budget, compute: compute)
    }

    static func linears(_ block: BlockWeights) -> [LinearWeights] {
        [block.queryKeyValue, block.attentionOutput, block.feedForwardIn, block.feedForwardOut]
    }

    /// The bf16 plan's block size is the float32 plan's with each linear weight's float32 bytes replaced by the bytes
    /// its packed matrix really holds (padding included); embeddings are sized as in float32.
    @Test(arguments: fixtures)
    func planSizesThePackedMatricesTheModelHolds(name: String) throws {
        let fixture = try ModelFixture(name)
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let f32 = MemoryPlan(spec: spec)
        let bf16 = MemoryPlan(spec: spec, compute: .bf16)
        let model = try #require(
            try Self.load(fixture, budget: MemoryBudget(bytes: 1 << 40), compute: .bf16) as? TransformerModel)
        let float32 = try fixture.model()
        #expect(model.blocks.count == spec.layerCount)
        for (block, reference) in zip(model.blocks, float32.blocks) {
            var packedBytes = 0
            var float32Bytes = 0
            var largestFloat32 = 0
            for (layer, original) in zip(Self.linears(block), Self.linears(reference)) {
                let packed = try #require(layer.packedBF16)
                #expect(layer.weight.storage.isEmpty)
                packedBytes += packed.byteCount
                float32Bytes += 4 * original.outputs * original.inputs
                largestFloat32 = max(largestFloat32, 4 * original.outputs * original.inputs)
            }
            #expect(bf16.blockBytes - f32.blockBytes == packedBytes - float32Bytes, "\(name)")
            #expect(bf16.blockBytes < f32.blockBytes, "\(name)")
            // The rearranged layouts (GPT-2's transpose, GPT-NeoX's regrouping) hold two float32 copies briefly.
            let copies = ["gpt2", "gpt_neox"].contains(spec.modelType) ? 2 : 1
            #expect(bf16.conversionBytes <= copies * largestFloat32, "\(name)")
        }
        // …and at least the largest checkpoint tensor of a linear weight, which is always read whole in float32.
        let store = try fixture.store()
        let blockMatrices = store.tensors.filter { info in
            info.shape.count == 2
                && ["layers.", "layer.", ".h."].contains { ("." + info.name).contains($0) }
        }
        let largestTensor = blockMatrices.map(\.elementCount).max() ?? 0
        #expect(largestTensor > 0)
        #expect(bf16.conversionBytes >= 4 * largestTensor, "\(name)")
        #expect(f32.conversionBytes == 0)
        #expect(bf16.embeddingBytes == f32.embeddingBytes)
        #expect(4 * model.embeddings.tokens.storage.count <= bf16.embeddingBytes)
        // The float32 figures are those of the plain initializer, and every figure differs only by the bf16 parts.
        #expect(MemoryPlan(spec: spec, compute: .f32) == f32)
        let blockChange = spec.layerCount * (bf16.blockBytes - f32.blockBytes)
        #expect(bf16.inMemoryWeightBytes == f32.inMemoryWeightBytes + blockChange + bf16.conversionBytes)
        #expect(bf16.activationBytesPerToken > f32.activationBytesPerToken)
    }

    /// A budget between the bf16 and the float32 footprint keeps the model in memory with bf16 and streams it with
    /// float32; one byte less than the bf16 footprint streams with bf16 too. (In the tiny GPT-2 and GPT-NeoX fixtures
    /// the bf16 footprint is not the smaller one: panel padding and the doubled conversion copy outweigh the halving.)
    @Test(arguments: ["llama", "gemma3", "qwen2", "bert"])
    func budgetBetweenTheFootprintsKeepsBF16InMemory(name: String) throws {
        let fixture = try ModelFixture(name)
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let f32 = MemoryPlan(spec: spec)
        let bf16 = MemoryPlan(spec: spec, compute: .bf16)
        try #require(bf16.inMemoryWeightBytes < f32.inMemoryWeightBytes)
        let between = MemoryBudget(bytes: bf16.inMemoryWeightBytes)
        #expect(try Self.load(fixture, budget: between, compute: .bf16) is TransformerModel)
        #expect(try Self.load(fixture, budget: between, compute: .f32) is StreamingTransformerModel)
        #expect(try ModelLoader.executionMode(bf16, budget: between) == .inMemory)
        #expect(try ModelLoader.executionMode(f32, budget: between) == .streaming)
        let below = MemoryBudget(bytes: bf16.inMemoryWeightBytes - 1)
        let streaming = try #require(
            try Self.load(fixture, budget: below, compute: .bf16) as? StreamingTransformerModel)
        #expect(streaming.plan == bf16)
    }

    /// A budget too small for one bf16 block is refused quoting the bf16 sizes, not the float32 ones.
    @Test func tooSmallBudgetQuotesTheBF16Sizes() throws {
        let fixture = try ModelFixture("llama")
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let bf16 = MemoryPlan(spec: spec, compute: .bf16)
        let error = try #require(throws: DriftError.self) {
            _ = try Self.load(fixture, budget: MemoryBudget(bytes: 1024), compute: .bf16)
        }
        #expect(error.message.contains("at least \(MemoryBudget.format(bf16.minimumStreamingBytes))"), "\(error)")
        #expect(error.message.contains("one block \(MemoryBudget.format(bf16.blockBytes))"), "\(error)")
        #expect(error.message.contains("packed in bf16"), "\(error)")
        #expect(!error.message.contains("all in float32"), "\(error)")
    }

    /// Packing each weight as it is read gives exactly the packed matrices of packing the whole float32 block.
    @Test(arguments: fixtures)
    func packingWeightByWeightEqualsPackingTheBlock(name: String) throws {
        let fixture = try ModelFixture(name)
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let base = try HuggingFaceWeights(spec: spec, store: try fixture.store(), path: fixture.folder.path)
        let source = try BF16WeightSource(base: base)
        for layer in 0..<spec.layerCount {
            let streamed = try source.blockWeights(layer)
            let whole = try base.blockWeights(layer)
            for (a, b) in zip(Self.linears(streamed), Self.linears(whole)) {
                let expected = b.packedForBF16()
                #expect(a.packedBF16?.packed == expected.packedBF16?.packed, "\(name) block \(layer)")
                #expect(a.packedBF16?.rows == b.outputs && a.packedBF16?.columns == b.inputs)
                #expect(a.bias == b.bias)
            }
            #expect(streamed.attentionNorm?.weight == whole.attentionNorm?.weight)
            #expect(streamed.feedForwardNorm?.weight == whole.feedForwardNorm?.weight)
            #expect(streamed.feedForwardNorm?.bias == whole.feedForwardNorm?.bias)
        }
    }

    /// Streaming with bf16 under the tightest budgets the bf16 plan allows (two blocks in flight or one, reading ahead
    /// or not) gives the in-memory bf16 states bit for bit.
    @Test(arguments: fixtures)
    func streamedBF16EqualsInMemoryBF16BitForBit(name: String) throws {
        let fixture = try ModelFixture(name)
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let inMemory = try #require(
            try Self.load(fixture, budget: MemoryBudget(bytes: 1 << 40), compute: .bf16) as? TransformerModel)
        let source = try BF16WeightSource(
            base: try HuggingFaceWeights(spec: spec, store: try fixture.store(), path: fixture.folder.path))
        let plan = MemoryPlan(spec: spec, compute: .bf16)
        let batch = fixture.index.prompts.map(\.ids)
        let layers = Array(0...spec.layerCount)
        // The rows the blocks compute: a decoder's shared prompt opening once.
        let rows = PackedBatch(batch: batch, sharingPrefix: spec.causal).rowCount
        for (blocks, prefetch) in [(2, true), (1, true), (2, false)] {
            let budget = MemoryBudget(
                bytes: plan.streamingBytes(
                    tokens: rows, prompts: batch.count, keptLayers: layers.count, blocksInFlight: blocks))
            let streaming = try StreamingTransformerModel(source: source, budget: budget, prefetch: prefetch)
            #expect(streaming.plan == plan)
            for pooling in [Pooling.last, .mean] {
                let expected = try inMemory.pooledHiddenStates(batch: batch, layers: layers, pooling: pooling)
                let streamed = try streaming.pooledHiddenStates(batch: batch, layers: layers, pooling: pooling)
                #expect(streamed == expected, "\(name) \(pooling) blocks \(blocks) prefetch \(prefetch)")
            }
        }
    }
}

/// The bf16 plan for Llama-3.1-8B's shapes, from its published parameter count.
///
/// As in ``MemoryBudgetTests/planForLlama8BShapes()``; every linear dimension is a whole number of panels, so packing adds
/// no padding and the linear weights take exactly 2 bytes a parameter. Runs on any CPU (sizes only).
@Suite struct MemoryPlanBF16ShapeTests {
    @Test func planForLlama8BShapesInBF16() throws {
        let configuration = """
            {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 4096,
             "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
             "vocab_size": 128256, "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "max_position_embeddings": 131072}
            """
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-bf16-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(configuration.utf8).write(to: folder.appendingPathComponent("config.json"))
        let spec = try ArchitectureSpec(configFile: folder.path)
        let f32 = MemoryPlan(spec: spec)
        let bf16 = MemoryPlan(spec: spec, compute: .bf16)
        // 218,112,000 parameters a block, of which 2 × 4096 are norm weights (the published count).
        let linear = 218_112_000 - 2 * 4096
        #expect(f32.blockBytes - bf16.blockBytes == 2 * linear)
        #expect(bf16.embeddingBytes == f32.embeddingBytes)
        // Gate and up projections are packed one at a time: one 14336 × 4096 tensor in float32 at most.
        #expect(bf16.conversionBytes == 4 * 14336 * 4096)
        // 15.2 GiB: within the default budget (70 % of 24 GiB = 16.8 GiB) where the float32 weights (28 GiB) are not.
        #expect(bf16.inMemoryWeightBytes < Int(0.7 * Double(24 << 30)))
        #expect(f32.inMemoryWeightBytes > 27 << 30)
        #expect(bf16.minimumStreamingBytes == bf16.embeddingBytes)
    }
}
