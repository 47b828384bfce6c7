import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Every fixture config.json read by Swift equals what transformers' AutoConfig made of it.
@Suite struct ModelConfigurationTests {
    static let names = [
        "llama3-classic", "llama3-v5", "llama2-minimal", "llama-linear", "mistral", "mistral-defaults", "qwen2",
        "qwen2-sliding", "gemma3-text-classic", "gemma3-text-v5", "gemma3-text-defaults", "gemma3-multimodal", "olmo",
        "olmo2", "gpt-neox", "gpt-neox-v5", "gpt2", "gpt2-inner", "bert", "qwen3-minimal", "qwen3-moe-minimal",
        "mixtral-minimal", "olmoe-minimal", "gemma2-minimal", "granite-minimal", "smollm3-minimal", "smollm3-sliding",
        "olmo3-minimal", "phi3-longrope", "phi3-minimal", "gpt-oss-minimal", "gpt-oss-20b",
    ]

    @Test func everyFixtureIsListed() throws {
        let expected = try FormatFixtures.json("config/expected.json")
        #expect(Set(expected.keys) == Set(Self.names))
    }

    private func checkRope(_ rope: ModelConfiguration.RopeParameters?, _ reference: Any?, _ label: String) throws {
        guard let reference = reference as? [String: Any] else {
            #expect(rope == nil, "\(label): expected no rope")
            return
        }
        let rope = try #require(rope, "\(label): expected rope")
        #expect(rope.typeName == reference["rope_type"] as? String, "\(label)")
        #expect(rope.theta == (reference["rope_theta"] as? NSNumber)?.doubleValue, "\(label)")
        #expect(rope.partialRotaryFactor == (reference["partial_rotary_factor"] as? NSNumber)?.doubleValue, "\(label)")
        let factor = (reference["factor"] as? NSNumber)?.doubleValue
        switch rope.scaling {
        case .none: #expect(factor == nil, "\(label)")
        case .linear(let f): #expect(f == factor, "\(label)")
        case .llama3(let f, let low, let high, let original):
            #expect(f == factor, "\(label)")
            #expect(low == (reference["low_freq_factor"] as? NSNumber)?.doubleValue, "\(label)")
            #expect(high == (reference["high_freq_factor"] as? NSNumber)?.doubleValue, "\(label)")
            #expect(original == (reference["original_max_position_embeddings"] as? NSNumber)?.intValue, "\(label)")
        case .longrope(let short, let long, let attention, let original):
            #expect(short == (reference["short_factor"] as? [NSNumber])?.map(\.doubleValue), "\(label)")
            #expect(long == (reference["long_factor"] as? [NSNumber])?.map(\.doubleValue), "\(label)")
            #expect(original == (reference["original_max_position_embeddings"] as? NSNumber)?.intValue, "\(label)")
            let expected = try #require((reference["attention_factor"] as? NSNumber)?.doubleValue, "\(label)")
            #expect(abs(attention - expected) <= 1e-12 * expected, "\(label)")
        case .yarn(let f, let fast, let slow, let original, let truncate, let attention):
            #expect(f == factor, "\(label)")
            #expect(fast == (reference["beta_fast"] as? NSNumber)?.doubleValue ?? 32, "\(label)")
            #expect(slow == (reference["beta_slow"] as? NSNumber)?.doubleValue ?? 1, "\(label)")
            #expect(original == (reference["original_max_position_embeddings"] as? NSNumber)?.doubleValue, "\(label)")
            #expect(truncate == (reference["truncate"] as? Bool ?? true), "\(label)")
            let expected = try #require((reference["attention_factor"] as? NSNumber)?.doubleValue, "\(label)")
            #expect(abs(attention - expected) <= 1e-12 * expected, "\(label)")
        case .unsupported(let type): Issue.record("\(label): unexpected unsupported rope type \(type)")
        }
    }

    @Test(arguments: names)
    func matchesTransformers(name: String) throws {
        let all = try FormatFixtures.json("config/expected.json")
        let reference = try #require(all[name] as? [String: Any])
        let config = try ModelConfiguration(path: try FormatFixtures.path("config/\(name)"))
        func int(_ key: String) -> Int? { (reference[key] as? NSNumber)?.intValue }
        func double(_ key: String) -> Double? { (reference[key] as? NSNumber)?.doubleValue }
        #expect(config.architecture.rawValue == reference["model_type"] as? String)
        #expect(config.hiddenSize == int("hidden_size"))
        #expect(config.intermediateSize == int("intermediate_size"))
        #expect(config.layerCount == int("num_hidden_layers"))
        #expect(config.attentionHeadCount == int("num_attention_heads"))
        #expect(config.keyValueHeadCount == int("num_key_value_heads"))
        #expect(config.headDim == int("head_dim"))
        #expect(config.vocabularySize == int("vocab_size"))
        #expect(config.maxPositionEmbeddings == int("max_position_embeddings"))
        #expect(config.normEpsilon == double("norm_eps"))
        #expect(config.activation == reference["activation"] as? String)
        #expect(config.tieWordEmbeddings == (reference["tie_word_embeddings"] as? Bool))
        #expect(config.slidingWindow == int("sliding_window"))
        #expect(config.layerTypes == reference["layer_types"] as? [String])
        #expect(config.useParallelResidual == (reference["use_parallel_residual"] as? Bool))
        #expect(config.queryPreAttentionScalar == double("query_pre_attn_scalar"))
        #expect(config.clipQKV == double("clip_qkv"))
        #expect(config.typeVocabularySize == int("type_vocab_size"))
        #expect(config.dtype == reference["dtype"] as? String)
        try checkRope(config.rope, reference["rope_full"], "\(name) full")
        try checkRope(config.slidingRope, reference["rope_sliding"], "\(name) sliding")
    }

    /// What the spec takes from the family beyond the common fields: routed experts, layers without rotary
    /// positions, attention soft-capping, as transformers' configuration classes give them.
    @Test(arguments: names)
    func specMatchesTransformers(name: String) throws {
        let all = try FormatFixtures.json("config/expected.json")
        let reference = try #require(all[name] as? [String: Any])
        let spec = try ArchitectureSpec(configFile: try FormatFixtures.path("config/\(name)"))
        if let experts = reference["experts"] as? [String: Any] {
            let routing = try #require(spec.experts, "\(name): expected experts")
            #expect(routing.count == (experts["count"] as? NSNumber)?.intValue)
            #expect(routing.active == (experts["active"] as? NSNumber)?.intValue)
            #expect(routing.intermediateSize == (experts["width"] as? NSNumber)?.intValue)
            #expect(routing.normalizesTopK == experts["normalise"] as? Bool)
            #expect(routing.layers == experts["layers"] as? [Bool])
        } else {
            #expect(spec.experts == nil, "\(name): expected a dense model")
        }
        if let rotary = reference["no_rope_layers"] as? [Int] {
            #expect(spec.layerRopes.map { $0 != nil } == rotary.map { $0 != 0 }, "\(name)")
        }
        let softcap = (reference["attn_logit_softcapping"] as? NSNumber)?.floatValue
        #expect(spec.attentionLogitSoftcap == softcap, "\(name)")
    }

    /// A 5 MB value or model type is quoted, cut and escaped: the error stays one short line.
    @Test func hugeValuesAreQuotedNotCopied() throws {
        let huge = String(repeating: "\u{1B}x", count: 2_500_000)
        for json: [String: JSONValue] in [
            ["model_type": .string("llama"), "hidden_size": .string(huge)], ["model_type": .string(huge)],
            ["model_type": .string("llama"), "hidden_size": .array(Array(repeating: .integer(7), count: 100_000))],
        ] {
            let error = try FormatFixtures.driftError {
                _ = try ModelConfiguration(json: .object(json), path: "config.json")
            }
            #expect(error.description.count < 500, "\(error.description.prefix(300))")
            #expect(!error.description.contains("\u{1B}") && !error.description.contains("\n"))
            #expect(error.description.hasPrefix("config.json"))
        }
    }

    @Test func gemmaLayersPickTheirRope() throws {
        let config = try ModelConfiguration(path: try FormatFixtures.path("config/gemma3-text-classic"))
        #expect(config.rope(forLayer: 0)?.theta == 10_000)
        #expect(config.rope(forLayer: 5)?.theta == 1_000_000)
        #expect(config.raw["rope_local_base_freq"]?.doubleValue == 10_000)
    }

    @Test func unknownArchitectureListsTheSupportedOnes() throws {
        let path = try FormatFixtures.path("config/bad/unknown-architecture")
        let error = try FormatFixtures.driftError { _ = try ModelConfiguration(path: path) }
        #expect(error.kind == .unsupported)
        #expect(error.description.contains("config.json"))
        #expect(error.description.contains("\"mamba\""))
        for type in ModelConfiguration.Architecture.allCases { #expect(error.description.contains(type.rawValue)) }
    }

    @Test(arguments: [
        ("no-model-type", "no \"model_type\""),
        ("wrong-type", "\"hidden_size\" is \"sixty-four\", not an integer"),
    ])
    func badConfigIsOneClearError(name: String, problem: String) throws {
        let path = try FormatFixtures.path("config/bad/\(name)")
        let error = try FormatFixtures.driftError { _ = try ModelConfiguration(path: path) }
        #expect(error.description.contains("\(name)/config.json"))
        #expect(error.description.contains(problem), "\(error.description)")
    }

    @Test func notJSONAndMissingAreClearErrors() throws {
        let path = try FormatFixtures.path("config/bad/not-json.json")
        let error = try FormatFixtures.driftError { _ = try ModelConfiguration(path: path) }
        #expect(error.description == "\(path): corrupt file: not valid JSON")
        let folder = try FormatFixtures.path("safetensors/single")
        let missing = try FormatFixtures.driftError { _ = try ModelConfiguration(path: folder) }
        #expect(missing.kind == .missing)
        #expect(missing.description.contains("config.json"))
    }
}
