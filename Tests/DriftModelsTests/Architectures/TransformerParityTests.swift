import DriftCore
import Foundation
import Synchronization
import Testing

@testable import DriftModels

/// Swift's hidden states against transformers' for every fixture architecture, every layer and every prompt.
///
/// All 22 prompts run as one packed batch, so these tests also prove there are no padding or packing artefacts
/// (transformers ran each prompt alone), with their shared opening computed once and with every prompt in full. The model runs on the generator's ids (transformers' tokenizer); a separate
/// test checks that `TokenizerLoader` on each fixture's `tokenizer.json` gives exactly those ids.
@Suite struct TransformerParityTests {
    static let float32Architectures = [
        "llama", "mistral", "qwen2", "gemma3", "olmo", "olmo2", "gpt_neox", "gpt2", "bert", "qwen3", "qwen3_moe",
        "mixtral", "olmoe", "gemma2", "granite", "smollm3", "olmo3", "phi3", "gpt_oss",
    ]

    @Test(arguments: float32Architectures)
    func float32MatchesTransformers(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let model = try fixture.model()
        #expect(model.layerCount == fixture.index.layers)
        #expect(model.hiddenSize == fixture.index.hidden_size)
        let batch = fixture.index.prompts.map(\.ids)
        let layers = Array(0...model.layerCount)
        // With the shared opening "<bos>The concept of" computed once (the default) and with every prompt in full.
        for sharing in [true, false] {
            for (pooling, expected) in [(Pooling.last, fixture.last), (Pooling.mean, fixture.mean)] {
                let states = try model.pooledHiddenStates(
                    batch: batch, layers: layers, pooling: pooling, sharingPrefix: sharing)
                var worstRelative: Float = 0
                var worstCosine = 1.0
                for layer in layers {
                    for p in batch.indices {
                        let comparison = VectorComparison(
                            states[layer].row(p), fixture.expected(expected, prompt: p, layer: layer))
                        worstRelative = max(worstRelative, comparison.relativeError)
                        worstCosine = min(worstCosine, comparison.cosine)
                        #expect(
                            comparison.relativeError <= 1e-4,
                            "\(architecture) \(pooling) layer \(layer) prompt \(p): relative error \(comparison.relativeError)"
                        )
                        #expect(
                            comparison.cosine >= 0.99999,
                            "\(architecture) \(pooling) layer \(layer) prompt \(p): cosine \(comparison.cosine)")
                    }
                }
                print(
                    "parity \(architecture) \(pooling) \(sharing ? "shared prefix" : "in full"): max relative error \(worstRelative), min cosine \(worstCosine)"
                )
            }
        }
    }

    /// On a CPU with AVX-512F the routed blocks' experts run on the pre-packed float32 kernel (so the parity above
    /// covers it there), their float32 copies dropped; the routers stay with BLAS.
    @Test(
        .enabled(if: LinearWeights.usesF32Kernel, "no AVX-512F: experts run on BLAS"),
        arguments: ["qwen3_moe", "mixtral", "olmoe", "gpt_oss"])
    func expertsRunOnThePackedKernel(architecture: String) throws {
        let model = try ModelFixture(architecture).model()
        let routed = model.blocks.compactMap(\.experts)
        #expect(!routed.isEmpty)
        for experts in routed {
            #expect(experts.router.packedF32 == nil)
            for layer in experts.gateUp + experts.down {
                #expect(layer.packedF32 != nil && layer.weight.storage.isEmpty)
            }
        }
    }

    /// A bf16 checkpoint computed in float32 holds its linear weights — experts included — packed in bf16 for the
    /// float32 kernel, and gives the states of the same weights packed in float32 bit for bit.
    ///
    /// The parity of these fixtures against transformers is in `halfPrecisionMatchesTransformers`.
    @Test(
        .enabled(if: LinearWeights.usesF32Kernel, "no AVX-512F: weights stay on BLAS"),
        arguments: ["llama-bf16", "gemma3-bf16", "qwen3_moe-bf16"])
    func bf16WeightsAreHeldInBF16AndGiveTheFloat32PackingsBits(name: String) throws {
        let fixture = try ModelFixture(name)
        let model = try fixture.model()
        var scratch: [Float] = []
        var packedInBF16 = 0
        func inFloat32(_ layer: LinearWeights) throws -> LinearWeights {
            let packed = try #require(layer.packedF32, "\(name): a linear weight is not on the float32 kernel")
            if case .bfloat16 = packed.values { packedInBF16 += 1 }
            var matrix = packed.matrix
            let float32 = F32PackedMatrix(packing: &matrix, scratch: &scratch, keepingFloat32: true)
            return LinearWeights(packedF32: float32, bias: layer.bias)
        }
        var blocks = model.blocks
        var linears = 0
        for layer in blocks.indices {
            blocks[layer].queryKeyValue = try inFloat32(blocks[layer].queryKeyValue)
            blocks[layer].attentionOutput = try inFloat32(blocks[layer].attentionOutput)
            linears += 2
            if var experts = blocks[layer].experts {
                experts.gateUp = try experts.gateUp.map(inFloat32)
                experts.down = try experts.down.map(inFloat32)
                linears += experts.gateUp.count + experts.down.count
                blocks[layer].experts = experts
            } else {
                blocks[layer].feedForwardIn = try inFloat32(blocks[layer].feedForwardIn)
                blocks[layer].feedForwardOut = try inFloat32(blocks[layer].feedForwardOut)
                linears += 2
            }
        }
        #expect(packedInBF16 == linears && linears >= 8)
        let batch = fixture.index.prompts.map(\.ids)
        let layers = Array(0...model.layerCount)
        let float32 = try TransformerForward(spec: model.spec, embeddings: model.embeddings).run(
            batch: batch, layers: layers, pooling: .last
        ) { blocks[$0] }
        #expect(float32 == (try model.pooledHiddenStates(batch: batch, layers: layers, pooling: .last)))
    }

    @Test(arguments: float32Architectures)
    func tokenIdsEqualTransformers(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let tokenizer = try TokenizerLoader.load(folder: fixture.folder)
        for prompt in fixture.index.prompts {
            #expect(
                try tokenizer.encode(prompt.text, addSpecialTokens: true) == prompt.ids,
                "\(architecture): \(prompt.text)")
        }
    }

    /// bf16 (Llama, Gemma 3, Qwen3-MoE) and f16 (Qwen2) checkpoints, computed in float32.
    @Test(arguments: ["llama-bf16", "gemma3-bf16", "qwen3_moe-bf16", "qwen2-f16"])
    func halfPrecisionMatchesTransformers(name: String) throws {
        let fixture = try ModelFixture(name)
        let reference = try ModelFixture(try #require(fixture.index.reference))
        let model = try fixture.model()
        let batch = fixture.index.prompts.map(\.ids)
        let layers = Array(0...model.layerCount)
        let states = try model.pooledHiddenStates(batch: batch, layers: layers, pooling: .last)
        var worstUpcast = 1.0
        var worstFloat32 = 1.0
        for layer in layers {
            for p in batch.indices {
                let actual = states[layer].row(p)
                // Against transformers with the same bf16 weights upcast to float32: as tight as float32.
                let upcast = VectorComparison(actual, fixture.expected(fixture.last, prompt: p, layer: layer))
                #expect(upcast.relativeError <= 1e-4 && upcast.cosine >= 0.99999, "layer \(layer) prompt \(p)")
                // Against the float32 model the bf16 weights were rounded from.
                let original = VectorComparison(actual, reference.expected(reference.last, prompt: p, layer: layer))
                #expect(original.cosine >= 0.9999, "layer \(layer) prompt \(p): cosine \(original.cosine)")
                worstUpcast = min(worstUpcast, upcast.cosine)
                worstFloat32 = min(worstFloat32, original.cosine)
            }
        }
        print("parity \(name): min cosine \(worstUpcast) (upcast reference), \(worstFloat32) (float32 model)")
    }

    @Test func layerSubsetsAndOrderAreHonoured() throws {
        let fixture = try ModelFixture("llama")
        let model = try fixture.model()
        let batch = Array(fixture.index.prompts.map(\.ids).prefix(3))
        let all = try model.pooledHiddenStates(batch: batch, layers: Array(0...model.layerCount), pooling: .last)
        let some = try model.pooledHiddenStates(batch: batch, layers: [model.layerCount, 0], pooling: .last)
        #expect(some.count == 2)
        #expect(some[0] == all[model.layerCount])
        #expect(some[1] == all[0])
        #expect(some[0].rows == 3 && some[0].columns == model.hiddenSize)
    }

    @Test func batchCompositionDoesNotChangeAPromptsStates() throws {
        let fixture = try ModelFixture("gemma3")
        let model = try fixture.model()
        let batch = fixture.index.prompts.map(\.ids)
        let together = try model.pooledHiddenStates(batch: batch, layers: [model.layerCount], pooling: .last)[0]
        let alone = try model.pooledHiddenStates(batch: [batch[5]], layers: [model.layerCount], pooling: .last)[0]
        let comparison = VectorComparison(alone.row(0), together.row(5))
        #expect(comparison.maxAbsError <= 1e-5 * comparison.maxAbsReference)
    }
}

/// The forward pass takes its block weights from a closure, so a layer-streaming or quantized source plugs in without
/// a second forward pass: reading each block from the store as it is needed gives the in-memory model's states exactly.
@Suite struct TransformerWeightSourceTests {
    @Test func blockByBlockLoadingEqualsTheInMemoryModel() throws {
        let fixture = try ModelFixture("olmo2")
        let model = try fixture.model()
        let source = try HuggingFaceWeights(spec: model.spec, store: try fixture.store(), path: fixture.folder.path)
        let batch = fixture.index.prompts.map(\.ids)
        let layers = Array(0...model.layerCount)
        var loaded: [Int] = []
        let streamed = try TransformerForward(spec: model.spec, embeddings: try source.embeddingWeights()).run(
            batch: batch, layers: layers, pooling: .mean
        ) { layer in
            loaded.append(layer)
            return try source.blockWeights(layer)
        }
        #expect(loaded == Array(0..<model.layerCount))
        #expect(streamed == (try model.pooledHiddenStates(batch: batch, layers: layers, pooling: .mean)))
    }
}

/// Hidden states deeper than the deepest index asked for are never computed: the forward pass stops after that
/// block, asks for no later block's weights, and gives the very states of a run through every block.
@Suite struct ShallowLayerTests {
    @Test(arguments: ["llama", "gemma3", "bert"])
    func blocksPastTheDeepestIndexAreNotRun(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let model = try fixture.model()
        let batch = fixture.index.prompts.map(\.ids)
        let all = try model.pooledHiddenStates(batch: batch, layers: Array(0...model.layerCount), pooling: .last)
        let wanted = [1, 0]
        var asked: [Int] = []
        let shallow = try TransformerForward(spec: model.spec, embeddings: model.embeddings).run(
            batch: batch, layers: wanted, pooling: .last
        ) { layer in
            asked.append(layer)
            return model.blocks[layer]
        }
        #expect(model.layerCount > 1)
        #expect(asked == [0])
        #expect(shallow[0] == all[1] && shallow[1] == all[0])
        #expect(try model.pooledHiddenStates(batch: batch, layers: [0], pooling: .mean)[0].rows == batch.count)
    }

    /// A streamed model reads no block past the deepest index either, prefetching included.
    @Test func streamingReadsNoBlockPastTheDeepestIndex() throws {
        let fixture = try ModelFixture("gemma3")
        let model = try fixture.model()
        let batch = fixture.index.prompts.map(\.ids)
        let source = CountingSource(
            base: try HuggingFaceWeights(spec: model.spec, store: try fixture.store(), path: fixture.folder.path))
        let streaming = try StreamingTransformerModel(
            source: source, budget: StreamingExecutionTests.tinyBudget(model.spec, batch: batch, blocksInFlight: 2))
        let states = try streaming.pooledHiddenStates(batch: batch, layers: [1], pooling: .last)
        #expect(source.asked.withLock { $0 } == [0])
        #expect(states == (try model.pooledHiddenStates(batch: batch, layers: [1], pooling: .last)))
    }
}

/// A weight source that records which blocks were asked for.
private final class CountingSource: ModelWeightSource {
    let base: any ModelWeightSource
    let asked = Mutex<[Int]>([])

    init(base: any ModelWeightSource) { self.base = base }

    var spec: ArchitectureSpec { base.spec }
    func embeddingWeights() throws -> EmbeddingWeights { try base.embeddingWeights() }
    func outputHead(embeddings: EmbeddingWeights?) throws -> OutputHead { try base.outputHead(embeddings: embeddings) }
    func blockWeights(_ layer: Int) throws -> BlockWeights {
        asked.withLock { $0.append(layer) }
        return try base.blockWeights(layer)
    }
}
