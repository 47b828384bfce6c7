import DriftCore
import DriftModels
import Foundation
import Testing

/// The layout changes `convert_hf_to_gguf.py` makes for GPT-2, GPT-NeoX, OLMo and BERT, undone by
/// ``GGUFModelStore``, and the sizes ``ModelConfiguration/init(gguf:)`` takes from tensors: each restored tensor must
/// equal the checkpoint's, while the file holds a different layout.
@Suite struct GGUFLayerNormModelTests {
    /// Each fixture with the transformers names whose stored layout differs, then names stored unchanged.
    static let cases: [(String, [String], [String])] = [
        (
            "gpt2", ["transformer.h.0.attn.c_attn.weight", "transformer.h.1.mlp.c_proj.weight"],
            ["transformer.h.0.attn.c_attn.bias", "transformer.wpe.weight", "transformer.ln_f.bias"]
        ),
        (
            "gpt_neox",
            [
                "gpt_neox.layers.0.attention.query_key_value.weight",
                "gpt_neox.layers.1.attention.query_key_value.bias",
            ],
            ["gpt_neox.layers.0.mlp.dense_h_to_4h.weight", "gpt_neox.final_layer_norm.weight"]
        ),
        (
            "olmo", ["model.layers.0.self_attn.q_proj.weight", "model.layers.1.self_attn.k_proj.weight"],
            ["model.layers.0.self_attn.v_proj.weight", "model.layers.0.mlp.gate_proj.weight"]
        ),
        (
            "bert", [],
            [
                "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.bias",
                "encoder.layer.1.attention.output.LayerNorm.weight", "encoder.layer.0.attention.self.key.bias",
            ]
        ),
    ]

    /// The name the runtime looks the tensor up under (``HuggingFaceWeights`` accepts the bare names).
    static func bare(_ name: String) -> String {
        for prefix in ["transformer.", "gpt_neox."] where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return name
    }

    @Test(arguments: cases.map(\.0))
    func tensorsEqualTheCheckpointAfterUndoingTheConverter(architecture: String) throws {
        let (_, changed, unchanged) = try #require(Self.cases.first { $0.0 == architecture })
        let fixture = try ModelFixture(architecture)
        let file = try GGUFFile(path: try GGUFModelParityTests.ggufPath("\(architecture)-f32.gguf"))
        let spec = try ModelLoader.spec(gguf: file)
        let store = try GGUFModelStore(
            file: file, headCount: spec.headCount, keyValueHeadCount: spec.keyValueHeadCount)
        let reference = try fixture.store()
        for name in changed + unchanged {
            let ours = Self.bare(name)
            let info = try #require(store.info(ours), "\(architecture): \(ours) is not mapped")
            #expect(info.shape == reference.info(name)?.shape, "\(name): shape \(info.shape)")
            let restored = try store.floats(ours)
            let equalsCheckpoint = restored == (try reference.floats(name))
            #expect(equalsCheckpoint, "\(name) differs from the checkpoint")
            let storedAsIs = try file.floats(try #require(store.ggufName(ours))) == restored
            #expect(storedAsIs != changed.contains(name), "\(name): stored as is \(storedAsIs)")
        }
    }

    /// The configuration read from GGUF metadata and tensors equals transformers'.
    ///
    /// The converter writes GPT-2's `feed_forward_length` as 4 × hidden; the MLP width comes from `ffn_up` as in
    /// llama.cpp. Learned positions, token types, epsilons, parallel residual, partial rope and clip_qkv match
    /// transformers' configuration.
    @Test(arguments: cases.map(\.0))
    func specMatchesTheCheckpointsConfig(architecture: String) throws {
        let file = try GGUFFile(path: try GGUFModelParityTests.ggufPath("\(architecture)-f32.gguf"))
        let spec = try ModelLoader.spec(gguf: file)
        let hf = try ArchitectureSpec(configFile: try ModelFixture(architecture).folder.path)
        #expect(spec.modelType == hf.modelType)
        #expect(spec.intermediateSize == hf.intermediateSize)
        #expect(spec.learnedPositions == hf.learnedPositions)
        #expect(spec.tokenTypes == hf.tokenTypes)
        #expect(spec.norm == hf.norm)
        #expect(abs(spec.normEpsilon - hf.normEpsilon) <= 1e-6 * hf.normEpsilon)
        #expect(spec.residual == hf.residual)
        #expect(spec.causal == hf.causal)
        #expect(spec.activation == hf.activation)
        #expect(spec.layerRopes == hf.layerRopes)
        #expect(spec.clipQueryKeyValue == hf.clipQueryKeyValue)
        #expect(spec.queryKeyValueBias == hf.queryKeyValueBias)
        #expect(spec.outputBias == hf.outputBias)
        #expect(spec.mlpBias == hf.mlpBias)
        #expect(spec == hf, "\(architecture): the whole architecture should agree")
        if architecture == "gpt2" {
            #expect(file.value("gpt2.feed_forward_length")?.intValue == 4 * spec.hiddenSize)
            #expect(spec.intermediateSize != 4 * spec.hiddenSize)
        }
        // `inspect` shows the width the model runs with.
        #expect(try ModelSummary.inspect(path: file.path).intermediateSize == hf.intermediateSize)
    }

    @Test func causalBertIsRefused() throws {
        let file = try GGUFFile(path: try GGUFModelParityTests.ggufPath("bad/causal-bert.gguf"))
        #expect {
            _ = try ModelConfiguration(gguf: file)
        } throws: { error in
            guard let error = error as? DriftError else { return false }
            return error.kind == .unsupported && error.description.contains("bert.attention.causal is true")
        }
    }
}
