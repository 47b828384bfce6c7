import DriftCore
import DriftModels
import Foundation
import Testing

/// GGUF models (written by `Scripts/fixtures/gguf_models.py` from the runtime's tiny checkpoints, as
/// `convert_hf_to_gguf.py` converts them) against transformers, at every layer.
@Suite struct GGUFModelParityTests {
    static let architectures = ["llama", "qwen2", "gemma3", "gpt2", "gpt_neox", "olmo", "bert"]

    static func ggufPath(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw DriftError(.missing, "test fixtures are missing from the bundle")
        }
        return url.appendingPathComponent("gguf-models").appendingPathComponent(name).path
    }

    /// Runs every fixture prompt through `model` and compares the last-token state of every layer with `expected`.
    static func compare(
        _ model: any HiddenStateModel, fixture: ModelFixture, expected: [Float], label: String, cosine minimum: Double,
        relative maximum: Float
    ) throws -> (Float, Double) {
        let batch = fixture.index.prompts.map(\.ids)
        let layers = Array(0...model.layerCount)
        let states = try model.pooledHiddenStates(batch: batch, layers: layers, pooling: .last)
        var worstRelative: Float = 0
        var worstCosine = 1.0
        for layer in layers {
            for p in batch.indices {
                let c = VectorComparison(states[layer].row(p), fixture.expected(expected, prompt: p, layer: layer))
                worstRelative = max(worstRelative, c.relativeError)
                worstCosine = min(worstCosine, c.cosine)
            }
        }
        #expect(worstCosine >= minimum, "\(label): min cosine \(worstCosine)")
        #expect(worstRelative <= maximum, "\(label): max relative error \(worstRelative)")
        print("gguf parity \(label): max relative error \(worstRelative), min cosine \(worstCosine)")
        return (worstRelative, worstCosine)
    }

    @Test(arguments: architectures)
    func float32FileMatchesCheckpoint(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let file = try GGUFFile(path: try Self.ggufPath("\(architecture)-f32.gguf"))
        let model = try ModelLoader.load(gguf: file)
        #expect(model.layerCount == fixture.index.layers)
        #expect(model.hiddenSize == fixture.index.hidden_size)
        _ = try Self.compare(
            model, fixture: fixture, expected: fixture.last, label: "\(architecture) F32", cosine: 0.99999,
            relative: 1e-4)
    }

    /// The Q8_0 file against transformers on the weights gguf-py dequantizes that file to: the same tolerance as
    /// F32, because both sides compute with identical float32 weights.
    ///
    /// The architectures with a Q8_0 fixture (OLMo's and BERT's quantized paths are llama's; see the generator).
    static let quantizedArchitectures = ["llama", "qwen2", "gemma3", "gpt2", "gpt_neox"]

    @Test(arguments: quantizedArchitectures)
    func q8_0FileMatchesTransformersOnDequantizedWeights(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let file = try GGUFFile(path: try Self.ggufPath("\(architecture)-q8_0.gguf"))
        #expect(file.tensors.contains { $0.type == .q8_0 })
        let expected = try ModelFixture.readNpy(
            URL(fileURLWithPath: try Self.ggufPath("\(architecture)-q8_0-last.npy")))
        let model = try ModelLoader.load(gguf: file)
        _ = try Self.compare(
            model, fixture: fixture, expected: expected, label: "\(architecture) Q8_0", cosine: 0.99999,
            relative: 1e-4)
    }

    @Test(arguments: architectures)
    func tokenizerFromMetadataMatchesTransformers(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let quantized = Self.quantizedArchitectures.contains(architecture)
        let names = ["\(architecture)-f32.gguf"] + (quantized ? ["\(architecture)-q8_0.gguf"] : [])
        for name in names {
            let file = try GGUFFile(path: try Self.ggufPath(name))
            let tokenizer = try GGUFTokenizerMetadata(gguf: file).makeTokenizer(path: file.path)
            for prompt in fixture.index.prompts {
                #expect(
                    try tokenizer.encode(prompt.text, addSpecialTokens: true) == prompt.ids, "\(name): \(prompt.text)")
            }
        }
    }

    /// `model.gguf@scheme` and `folder@scheme` quantize the same float32 weights in the same layout, so they agree.
    @Test(arguments: architectures)
    func schemeOnGGUFEqualsSchemeOnCheckpoint(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let file = try GGUFFile(path: try Self.ggufPath("\(architecture)-f32.gguf"))
        for scheme in [QuantizationScheme.nf4, .q4_0] {
            let fromGGUF = try ModelLoader.load(gguf: file, scheme: scheme)
            let fromFolder = try ModelLoader.load(
                folder: fixture.folder.path,
                store: QuantizedTensorStore(base: try fixture.store(), scheme: scheme))
            let batch = fixture.index.prompts.map(\.ids)
            let a = try fromGGUF.pooledHiddenStates(batch: batch, layers: [fromGGUF.layerCount], pooling: .last)
            let b = try fromFolder.pooledHiddenStates(batch: batch, layers: [fromGGUF.layerCount], pooling: .last)
            for p in batch.indices {
                let c = VectorComparison(a[0].row(p), b[0].row(p))
                #expect(
                    c.cosine >= 0.99999 && c.relativeError <= 1e-4, "\(architecture)@\(scheme) prompt \(p): \(c.cosine)"
                )
            }
            // The scheme really changed the weights: the quantized states differ from the float32 ones.
            let full = try ModelLoader.load(gguf: file)
            let f = try full.pooledHiddenStates(batch: batch, layers: [full.layerCount], pooling: .last)
            #expect(a[0].storage != f[0].storage, "\(architecture)@\(scheme) left the model unchanged")
        }
    }

    @Test func llamaQueryKeyRowsAreUnpermuted() throws {
        let fixture = try ModelFixture("llama")
        let file = try GGUFFile(path: try Self.ggufPath("llama-f32.gguf"))
        let store = try GGUFModelStore(file: file, headCount: 4, keyValueHeadCount: 2)
        let reference = try fixture.store()
        for name in ["model.layers.0.self_attn.q_proj.weight", "model.layers.1.self_attn.k_proj.weight"] {
            let stored = try file.floats(try #require(store.ggufName(name)))
            let restored = try store.floats(name)
            #expect(restored == (try reference.floats(name)), "\(name) differs from the checkpoint")
            #expect(stored != restored, "\(name): the file should hold the permuted rows")
        }
    }

    @Test func gemma3ConfigurationFollowsLlamaCpp() throws {
        let file = try GGUFFile(path: try Self.ggufPath("gemma3-f32.gguf"))
        let spec = try ModelLoader.spec(gguf: file)
        let hf = try ArchitectureSpec(configFile: try ModelFixture("gemma3").folder.path)
        #expect(spec.layerWindows == hf.layerWindows)
        #expect(spec.layerRopes == hf.layerRopes)
        #expect(abs(spec.attentionScale - hf.attentionScale) <= 1e-7)
        #expect(spec.embeddingScale == hf.embeddingScale)
        #expect(spec.norm == .rms)  // llama.cpp's files hold 1 + w
    }
}
