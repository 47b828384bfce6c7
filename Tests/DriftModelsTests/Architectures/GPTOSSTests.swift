import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// gpt-oss beyond the parity fixture (`Scripts/fixtures/models.py`, MXFP4 experts): MXFP4 decoding, the Hub's own
/// config.json, the experts as transformers saves them unquantized, and configs that contradict the weights.
@Suite struct GPTOSSTests {
    /// openai/gpt-oss-20b's config.json as the Hub has it (`rope_scaling`, no `layer_types` needed).
    static let hubConfig: [String: JSONValue] = [
        "architectures": .array([.string("GptOssForCausalLM")]), "attention_bias": .bool(true),
        "attention_dropout": .number(0), "eos_token_id": .integer(200002), "experts_per_token": .integer(4),
        "head_dim": .integer(64), "hidden_act": .string("silu"), "hidden_size": .integer(2880),
        "initial_context_length": .integer(4096), "initializer_range": .number(0.02),
        "intermediate_size": .integer(2880), "max_position_embeddings": .integer(131072),
        "model_type": .string("gpt_oss"), "num_attention_heads": .integer(64), "num_experts_per_tok": .integer(4),
        "num_hidden_layers": .integer(24), "num_key_value_heads": .integer(8), "num_local_experts": .integer(32),
        "output_router_logits": .bool(false), "pad_token_id": .integer(199999),
        "quantization_config": .object([
            "modules_to_not_convert": .array([
                .string("model.layers.*.self_attn"), .string("model.layers.*.mlp.router"),
                .string("model.embed_tokens"), .string("lm_head"),
            ]),
            "quant_method": .string("mxfp4"),
        ]),
        "rms_norm_eps": .number(1e-05),
        "rope_scaling": .object([
            "beta_fast": .number(32), "beta_slow": .number(1), "factor": .number(32),
            "original_max_position_embeddings": .integer(4096), "rope_type": .string("yarn"), "truncate": .bool(false),
        ]),
        "rope_theta": .integer(150000), "router_aux_loss_coef": .number(0.9), "sliding_window": .integer(128),
        "swiglu_limit": .number(7), "tie_word_embeddings": .bool(false), "use_cache": .bool(true),
        "vocab_size": .integer(201088),
    ]

    @Test func mxfp4DecodesNibblesLowFirstWithPowerOfTwoScales() {
        // Block 0 (scale 2^0): bytes 0x21 → 1 (code 1: 0.5)… low nibble first.
        var blocks = [UInt8](repeating: 0, count: 32)
        blocks[0] = 0x21  // elements 0, 1: codes 1, 2 → 0.5, 1
        blocks[1] = 0xF8  // elements 2, 3: codes 8, 15 → -0, -6
        blocks[16] = 0x7A  // block 1, elements 0, 1: codes 10, 7 → -1, 6, scaled by 2^-3
        let values = MXFP4.dequantize(blocks: blocks, scales: [127, 124], rows: 1, groups: 2)
        #expect(values.count == 64)
        #expect(Array(values[0..<4]) == [0.5, 1, -0.0, -6])
        #expect(values[2].sign == .minus)
        #expect(values[32] == -0.125 && values[33] == 0.75)
        // The extreme exponents stay exact: 2^-127 (subnormal) and 2^128 · 0.5.
        let extremes = MXFP4.dequantize(
            blocks: [0x01] + [UInt8](repeating: 0, count: 15) + [0x01] + [UInt8](repeating: 0, count: 15),
            scales: [0, 255], rows: 2, groups: 1)
        #expect(extremes[0] == Float(sign: .plus, exponent: -128, significand: 1))
        #expect(extremes[32] == Float(sign: .plus, exponent: 127, significand: 1))
    }

    @Test func hubConfigurationGivesTheSpec() throws {
        let spec = try ArchitectureSpec(
            configuration: try ModelConfiguration(json: .object(Self.hubConfig), path: "config.json"))
        #expect(spec.architecture == .gptOSS)
        #expect(spec.attentionSinks && spec.queryKeyValueBias && spec.outputBias)
        #expect(spec.layerWindows == (0..<24).map { $0 % 2 == 0 ? 128 : nil })
        #expect(spec.headDimension == 64 && spec.keyValueHeadCount == 8)
        let experts = try #require(spec.experts)
        #expect(experts.count == 32 && experts.active == 4 && experts.intermediateSize == 2880)
        #expect(experts.softmaxOverTopK)
        #expect(experts.clampedSwiGLU == ArchitectureSpec.ClampedSwiGLU(alpha: 1.702, limit: 7))
        let rope = try #require(spec.layerRopes[0])
        #expect(rope.theta == 150_000 && rope.rotaryDimensions == 64)
        guard case .yarn(let factor, let fast, let slow, let original, let truncate, let attention) = rope.scaling
        else {
            Issue.record("expected yarn, got \(rope.scaling)")
            return
        }
        #expect(factor == 32 && fast == 32 && slow == 1 && original == 4096 && !truncate)
        #expect(abs(attention - (0.1 * Foundation.log(32.0) + 1)) < 1e-12)
        #expect(spec.layerRopes.allSatisfy { $0 == rope })
    }

    /// transformers' yarn inverse frequencies for the Hub's rope with head_dim 64 (float32, from
    /// `_compute_yarn_parameters`), a few of them.
    @Test func yarnFrequenciesBlendAlongTheRamp() throws {
        let spec = try ArchitectureSpec(
            configuration: try ModelConfiguration(json: .object(Self.hubConfig), path: "config.json"))
        let inverse = RotaryTable.inverseFrequencies(try #require(spec.layerRopes[0]))
        #expect(inverse.count == 32)
        // Below the ramp (dimension index < low ≈ 8.09) the original frequencies; above it (> high ≈ 17.4) ÷ 32.
        let base = 150_000.0
        for i in [0, 5, 8] {
            let original = Float(1 / Foundation.pow(base, Double(2 * i) / 64))
            #expect(abs(inverse[i] - original) <= 1e-6 * original)
        }
        for i in [18, 25, 31] {
            let interpolated = Float(1 / (32 * Foundation.pow(base, Double(2 * i) / 64)))
            #expect(abs(inverse[i] - interpolated) <= 1e-6 * interpolated)
        }
        let mid = Float(1 / Foundation.pow(base, Double(2 * 12) / 64))
        #expect(inverse[12] < mid && inverse[12] > mid / 32)
    }

    /// What the loader reads from llama.cpp's gpt-oss keys (`Scripts/fixtures/gguf_converter.py`).
    @Test func ggufKeysBecomeTheSpec() throws {
        let spec = try ModelLoader.spec(
            gguf: try GGUFFile(path: try GGUFModelParityTests.ggufPath("gpt_oss-f32.gguf")))
        #expect(spec.architecture == .gptOSS)
        #expect(spec.attentionSinks && spec.queryKeyValueBias)
        #expect(spec.layerWindows == [5, nil, 5])
        let experts = try #require(spec.experts)
        #expect(experts.count == 8 && experts.active == 3 && experts.intermediateSize == 32)
        #expect(experts.softmaxOverTopK && experts.clampedSwiGLU?.limit == 7)
        let rope = try #require(spec.layerRopes[0])
        guard case .yarn(let factor, let fast, let slow, let original, let truncate, let attention) = rope.scaling
        else {
            Issue.record("expected yarn, got \(rope.scaling)")
            return
        }
        #expect(factor == 32 && fast == 32 && slow == 1 && original == 4096 && truncate)
        #expect(abs(attention - (0.1 * Foundation.log(32.0) + 1)) < 1e-12)
    }

    @Test func anotherQuantizationMethodIsNamed() throws {
        var config = Self.hubConfig
        config["quantization_config"] = .object(["quant_method": .string("bitsandbytes")])
        let error = try #require(throws: DriftError.self) {
            _ = try ArchitectureSpec(
                configuration: try ModelConfiguration(json: .object(config), path: "config.json"), path: "config.json")
        }
        #expect(error.description.contains("config.json"))
        #expect(error.description.contains("quantization_config"))
        #expect(error.description.contains("bitsandbytes"))
    }

    /// The fixture's experts as transformers saves a dequantized gpt-oss (`gate_up_proj`: experts × hidden ×
    /// 2·width, `down_proj`: experts × width × hidden, float32) give the MXFP4 checkpoint's states exactly.
    @Test func unquantizedExpertsEqualTheMXFP4Ones() throws {
        let fixture = try ModelFixture("gpt_oss")
        let model = try fixture.model()
        let routing = try #require(model.spec.experts)
        let store = UnquantizedExperts(
            base: try fixture.store(), count: routing.count, hidden: model.spec.hiddenSize,
            width: routing.intermediateSize)
        let unquantized = try TransformerModel(
            source: try HuggingFaceWeights(spec: model.spec, store: store, path: fixture.folder.path))
        let batch = fixture.index.prompts.map(\.ids)
        let layers = Array(0...model.layerCount)
        #expect(
            try unquantized.pooledHiddenStates(batch: batch, layers: layers, pooling: .last)
                == (try model.pooledHiddenStates(batch: batch, layers: layers, pooling: .last)))
    }

    /// `inspect` counts the parameters transformers counts (`sum(p.numel())` of the dequantized model), two in every
    /// MXFP4 byte, and shows the experts.
    @Test func inspectCountsMXFP4Parameters() throws {
        let summary = try ModelSummary.inspect(path: try ModelFixture("gpt_oss").folder.path)
        #expect(summary.parameterCount == 228_388)
        #expect(summary.expertCount == 8 && summary.activeExpertCount == 3)
    }

    /// A copy of the `gpt_oss` fixture whose config.json has `change` applied.
    static func checkpoint(_ change: (inout [String: JSONValue]) -> Void) throws -> URL {
        let source = try ModelFixture("gpt_oss").folder
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gptoss-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: folder)
        let url = folder.appendingPathComponent("config.json")
        var config = try #require(try JSONValue.read(path: url.path).objectValue)
        change(&config)
        try JSONValue.object(config).description.write(to: url, atomically: true, encoding: .utf8)
        return folder
    }

    static func loadError(_ folder: URL) throws -> DriftError {
        defer { try? FileManager.default.removeItem(at: folder) }
        return try #require(throws: DriftError.self) { _ = try ModelLoader.load(folder: folder.path) }
    }

    @Test func configsThatContradictTheWeightsAreNamed() throws {
        let experts = try Self.loadError(try Self.checkpoint { $0["num_local_experts"] = .integer(16) })
        #expect(experts.description.contains("config.json"))
        #expect(experts.description.contains("16 experts"))
        #expect(experts.description.contains("chooses among 8"))
        #expect(!experts.description.contains("\n"))
        let topK = try Self.loadError(try Self.checkpoint { $0["num_experts_per_tok"] = .integer(9) })
        #expect(topK.description.contains("\"num_experts_per_tok\" is 9"))
        let types = try Self.loadError(
            try Self.checkpoint { $0["layer_types"] = .array([.string("sliding_attention")]) })
        #expect(types.description.contains("\"layer_types\" has 1 entries for 3 layers"))
        let width = try Self.loadError(try Self.checkpoint { $0["intermediate_size"] = .integer(64) })
        #expect(width.description.contains("config.json"))
        #expect(width.description.contains("gate_up_proj"))
    }
}

/// The gpt_oss fixture's store with its MXFP4 experts replaced by the float32 tensors transformers saves for a
/// dequantized model (`x · W` layout).
private struct UnquantizedExperts: TensorStore {
    let base: SafetensorsStore
    let count: Int
    let hidden: Int
    let width: Int

    var tensors: [TensorInfo] {
        let (e, h, f) = (count, hidden, width)
        return base.tensors.compactMap { info in
            if info.name.hasSuffix("_scales") { return nil }
            if info.name.hasSuffix("gate_up_proj_blocks") {
                return TensorInfo(name: String(info.name.dropLast(7)), typeName: "F32", shape: [e, h, 2 * f])
            }
            if info.name.hasSuffix("down_proj_blocks") {
                return TensorInfo(name: String(info.name.dropLast(7)), typeName: "F32", shape: [e, f, h])
            }
            return info
        }
    }

    func floats(_ name: String) throws -> [Float] {
        guard name.hasSuffix("gate_up_proj") || name.hasSuffix("down_proj") else { return try base.floats(name) }
        let (e, h, f) = (count, hidden, width)
        let (rows, columns) = name.hasSuffix("gate_up_proj") ? (2 * f, h) : (h, f)
        let blocks = try base.floats(name + "_blocks").map { UInt8($0) }
        let scales = try base.floats(name + "_scales").map { UInt8($0) }
        let linear = MXFP4.dequantize(blocks: blocks, scales: scales, rows: e * rows, groups: columns / 32)
        // Each expert's rows × columns matrix, transposed to columns × rows.
        var out = [Float](repeating: 0, count: linear.count)
        for x in 0..<e {
            for r in 0..<rows {
                for c in 0..<columns {
                    out[x * rows * columns + c * rows + r] = linear[x * rows * columns + r * columns + c]
                }
            }
        }
        return out
    }
}
