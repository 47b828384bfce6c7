import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Float32 weights used in place in the mapped model file (issue 20): which weights are, and that the model computes
/// exactly what it computes from converted copies.
@Suite struct InPlaceWeightsTests {
    static let checkpoints = ["llama", "qwen2", "gemma3", "gpt2", "gpt_neox", "bert", "phi3", "qwen3_moe", "granite"]
    static let ggufFiles = ["llama", "qwen2", "gemma3", "gpt2", "gpt_neox", "olmo", "bert", "phi3", "qwen3_moe"]

    /// Every hidden state of every fixture prompt at every layer, both poolings, with the prefix shared.
    static func states(_ model: any HiddenStateModel, _ fixture: ModelFixture) throws -> [[Matrix]] {
        let batch = fixture.index.prompts.map(\.ids)
        let layers = Array(0...model.layerCount)
        return try [Pooling.last, .mean].map { pooling in
            try model.pooledHiddenStates(
                batch: batch, layers: layers, pooling: pooling, sharingPrefix: model.canSharePromptPrefix)
        }
    }

    /// Whether the two models' heads give the same raw logits, bit for bit, on `model`'s last hidden state of the
    /// fixture prompts.
    static func sameLogits(
        _ model: any HiddenStateModel, _ other: any HiddenStateModel, _ fixture: ModelFixture
    ) throws -> Bool {
        let states = try model.pooledHiddenStates(
            batch: fixture.index.prompts.map(\.ids), layers: [model.layerCount], pooling: .last)[0]
        return try model.outputHead().logits(states, normalizing: false)
            == other.outputHead().logits(states, normalizing: false)
    }

    /// Loaded whole from a float32 checkpoint, the model equals the one built from converted copies bit for bit,
    /// logits included, and it really reads in place: the token table and every linear layer whose tensors lie
    /// one after the other in the file.
    @Test(arguments: checkpoints)
    func checkpointReadInPlaceEqualsCopies(name: String) throws {
        let fixture = try ModelFixture(name)
        let model = try fixture.model()
        let source = try HuggingFaceWeights(
            spec: try ArchitectureSpec(configFile: fixture.folder.path), store: fixture.store(),
            path: fixture.folder.path)
        #expect(!source.readsInPlace)
        let copies = try TransformerModel(source: source)
        #expect(try Self.states(model, fixture) == Self.states(copies, fixture), "\(name)")

        #expect(model.embeddings.tokensInPlace?.isMapped == true, "\(name)")
        #expect(model.embeddings.tokens.storage.isEmpty, "\(name)")
        #expect(copies.embeddings.tokensInPlace == nil)
        let layers = model.blocks.flatMap(MemoryPlanBF16Tests.linears)
        let inPlace = layers.filter { $0.inPlace != nil }
        #expect(inPlace.allSatisfy { $0.weight.storage.isEmpty && $0.inPlace?.isMapped == true }, "\(name)")
        // The output projection of attention is one tensor in every family but GPT-2's (stored transposed).
        #expect(
            name == "gpt2" ? inPlace.isEmpty : model.blocks.allSatisfy { $0.attentionOutput.inPlace != nil },
            "\(name)")
        if model.spec.causal {
            #expect(try Self.sameLogits(model, copies, fixture), "\(name)")
        }
    }

    /// The same for llama.cpp's float32 files: what the converter left as the runtime uses it is read in place
    /// (the token table, the output projections, the MLP), what it permuted (llama's Q and K) is converted back.
    @Test(arguments: ggufFiles)
    func ggufReadInPlaceEqualsCopies(name: String) throws {
        let fixture = try ModelFixture(name)
        let file = try GGUFFile(path: try GGUFModelParityTests.ggufPath("\(name)-f32.gguf"))
        let model = try #require(try ModelLoader.load(gguf: file) as? TransformerModel)
        let spec = try ModelLoader.spec(gguf: file)
        let store = try GGUFModelStore(
            file: file, headCount: spec.headCount, keyValueHeadCount: spec.keyValueHeadCount)
        let copies = try TransformerModel(source: HuggingFaceWeights(spec: spec, store: store, path: file.path))
        #expect(try Self.states(model, fixture) == Self.states(copies, fixture), "\(name)")
        #expect(model.embeddings.tokensInPlace != nil, "\(name)")
        if name == "llama" {
            #expect(
                model.blocks.allSatisfy { $0.queryKeyValue.inPlace == nil && !$0.queryKeyValue.weight.storage.isEmpty })
            #expect(model.blocks.allSatisfy { $0.feedForwardIn.inPlace != nil && $0.feedForwardOut.inPlace != nil })
        }
    }

    /// A bf16 checkpoint's linear weights and a quantized view's block weights convert as before; a bf16 token table
    /// is read in place (row by row, widened exactly), in float32 and in bf16 compute, with the same states and
    /// logits as its float32 copy.
    @Test func otherEncodingsAndModesConvert() throws {
        let bf16 = try ModelFixture("llama-bf16")
        let model = try bf16.model()
        let table = try #require(model.embeddings.tokensInPlace)
        #expect(table.isMapped && !table.isFloat32 && model.embeddings.tokens.storage.isEmpty)
        #expect(model.blocks.allSatisfy { $0.feedForwardIn.inPlace == nil })
        let spec = try ArchitectureSpec(configFile: bf16.folder.path)
        let copies = try TransformerModel(source: HuggingFaceWeights(spec: spec, store: bf16.store()))
        #expect(copies.embeddings.tokensInPlace == nil)
        #expect(table.matrix == copies.embeddings.tokens)
        #expect(try Self.states(model, bf16) == Self.states(copies, bf16))
        #expect(try Self.sameLogits(model, copies, bf16))
        if CPUFeatures.hasAVX512BF16 {
            let packed = try #require(
                try ModelLoader.load(
                    folder: bf16.folder.path, store: bf16.store(), budget: .automatic, compute: .bf16)
                    as? TransformerModel)
            #expect(packed.embeddings.tokensInPlace?.isFloat32 == false)
            #expect(packed.blocks.allSatisfy { $0.feedForwardIn.packedBF16 != nil })
        }

        let fixture = try ModelFixture("llama")
        let quantized = try #require(
            try ModelLoader.load(
                folder: fixture.folder.path, store: QuantizedTensorStore(base: fixture.store(), scheme: .q8_0),
                budget: .automatic) as? TransformerModel)
        #expect(quantized.blocks.allSatisfy { $0.feedForwardIn.inPlace == nil && $0.attentionOutput.inPlace == nil })
        // The token table is not quantized: it is still read in place.
        #expect(quantized.embeddings.tokensInPlace != nil)
    }

    /// The store hands out a stacked matrix only for tensors that follow one another in the file, in the order
    /// asked, all float32.
    @Test func onlyAdjacentFloat32TensorsStack() throws {
        let fixture = try ModelFixture("llama")
        let store = try fixture.store()
        let tensors = try #require(store.files.first?.tensors)
        let layer = "model.layers.0."
        let gate = layer + "mlp.gate_proj.weight"
        let up = layer + "mlp.up_proj.weight"
        let order = tensors.map(\.name)
        let gateIndex = try #require(order.firstIndex(of: gate))
        #expect(order[gateIndex + 1] == up)
        let f = try #require(store.info(gate)?.shape[0])
        let stacked = try #require(store.rowsInPlace([gate, up], rows: 2 * f))
        let copy = try store.floats(gate) + store.floats(up)
        #expect(stacked.withUnsafeBufferPointer { Array($0) } == copy)
        #expect(store.rowsInPlace([up, gate], rows: 2 * f) == nil)
        #expect(
            store.rowsInPlace([layer + "self_attn.k_proj.weight", layer + "self_attn.q_proj.weight"], rows: 2) == nil)
        #expect(store.rowsInPlace([gate], rows: f + 1) == nil)
        #expect(store.rowsInPlace(["no.such.weight"], rows: 1) == nil)
        let bf16 = try ModelFixture("llama-bf16").store()
        #expect(bf16.rowsInPlace([gate], rows: f) == nil)
    }

    /// With `--compute bf16` a bf16 checkpoint's linear weights are packed straight from the file's values: the same
    /// packed matrices, and so the same states bit for bit, as packing their float32 conversion.
    @Test(.enabled(if: CPUFeatures.hasAVX512BF16, "this CPU has no AVX-512 BF16"))
    func bf16CheckpointPacksWithoutAFloat32Copy() throws {
        let fixture = try ModelFixture("llama-bf16")
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let direct = try TransformerModel(
            source: BF16WeightSource(base: HuggingFaceWeights(spec: spec, store: fixture.store())))
        // A store that only hands out float32 values takes the old way: convert, then round and pack.
        let converted = try TransformerModel(
            source: BF16WeightSource(
                base: HuggingFaceWeights(spec: spec, store: TamperedTensorStore(base: fixture.store()))))
        for (a, b) in zip(direct.blocks, converted.blocks) {
            for (x, y) in zip(MemoryPlanBF16Tests.linears(a), MemoryPlanBF16Tests.linears(b)) {
                #expect(x.packedBF16?.packed == y.packedBF16?.packed)
                #expect(x.packedBF16 != nil && x.bias == y.bias)
            }
        }
        #expect(try Self.states(direct, fixture) == Self.states(converted, fixture))
        let store = try fixture.store()
        let gate = "model.layers.0.mlp.gate_proj.weight"
        #expect(store.withBFloat16([gate]) { $0.count } == 1)
        #expect(try ModelFixture("llama").store().withBFloat16([gate]) { $0.count } == nil)
    }

    /// Loaded whole with `--compute bf16`, a bf16 checkpoint's linear weights are read where the file stores them —
    /// nothing packed — and the model's states and logits are the packed model's bit for bit.
    @Test(.enabled(if: CPUFeatures.hasAVX512BF16, "this CPU has no AVX-512 BF16"))
    func bf16CheckpointIsReadInPlaceWithBF16Compute() throws {
        let fixture = try ModelFixture("llama-bf16")
        let loaded = try #require(
            try ModelLoader.load(
                folder: fixture.folder.path, store: fixture.store(), budget: .automatic, compute: .bf16)
                as? TransformerModel)
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let packed = try TransformerModel(
            source: BF16WeightSource(base: HuggingFaceWeights(spec: spec, store: fixture.store())))
        for (a, b) in zip(loaded.blocks, packed.blocks) {
            for (x, y) in zip(MemoryPlanBF16Tests.linears(a), MemoryPlanBF16Tests.linears(b)) {
                #expect(x.packedBF16?.inPlace != nil && x.packedBF16?.packed.isEmpty == true)
                #expect(y.packedBF16?.inPlace == nil && y.packedBF16?.packed.isEmpty == false)
                #expect(x.packedBF16?.rows == y.packedBF16?.rows && x.packedBF16?.columns == y.packedBF16?.columns)
            }
        }
        #expect(try Self.states(loaded, fixture) == Self.states(packed, fixture))
        #expect(try Self.sameLogits(packed, loaded, fixture))
    }

    /// Data misaligned in the file is converted, never used in place.
    ///
    /// Float32 not aligned for `Float` (a header of odd length, an odd offset) is not read in place, bf16 at an odd
    /// byte is not packed from the file; the values are unchanged.
    @Test func misalignedDataIsConvertedNotMapped() throws {
        let values: [Float] = [1, -2, 3.5, 4, 5, 6]
        let data = values.flatMap { HostileInputMessageTests.le($0.bitPattern) }
        var residues: Set<Int> = []
        for (pad, start) in [("", 0), (" ", 0), ("  ", 0), ("   ", 0), ("", 1), ("", 2)] {
            let header =
                #"{"a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [\#(start), \#(start + 24)]}, "#
                + #""b": {"dtype": "BF16", "shape": [1, 2], "data_offsets": [\#(start + 24), \#(start + 28)]}}"#
                + pad
            let bytes =
                HostileInputMessageTests.le(UInt64(header.utf8.count)) + Array(header.utf8)
                + [UInt8](repeating: 0, count: start) + data + [0x80, 0x3F, 0x00, 0x40]
            let url = try HostileInputMessageTests.temporaryFile("misaligned.safetensors", bytes)
            defer { try? FileManager.default.removeItem(at: url) }
            let store = try SafetensorsStore(path: url.path)
            let dataStart = 8 + header.utf8.count + start
            residues.insert(dataStart % 4)
            #expect((store.rowsInPlace(["a"], rows: 2) != nil) == (dataStart % 4 == 0), "data at byte \(dataStart)")
            #expect((store.withBFloat16(["b"]) { $0.count } != nil) == ((dataStart + 24) % 2 == 0))
            #expect(try store.floats("a") == values)
            #expect(try store.floats("b") == [1, 2])
            if let rows = store.rowsInPlace(["a"], rows: 2) {
                #expect(rows.matrix == Matrix(rowArrays: [[1, -2, 3.5], [4, 5, 6]]))
            }
        }
        #expect(residues.contains(0) && residues.count > 2, "both aligned and misaligned data were tried")
    }
}
