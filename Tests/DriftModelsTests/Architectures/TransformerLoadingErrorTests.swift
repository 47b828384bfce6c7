import DriftCore
import DriftModels
import Foundation
import Testing

/// Bad checkpoints and bad requests give clear errors, never a crash.
@Suite struct TransformerLoadingErrorTests {
    @Test func missingTensorIsNamed() throws {
        let fixture = try ModelFixture("llama")
        let store = TamperedTensorStore(base: try fixture.store(), hidden: ["model.layers.1.mlp.up_proj.weight"])
        let error = try #require(throws: DriftError.self) {
            _ = try ModelLoader.load(folder: fixture.folder.path, store: store)
        }
        #expect(error.kind == .missing)
        #expect(error.description.contains("model.layers.1.mlp.up_proj.weight"))
    }

    @Test func shapeContradictingConfigIsNamedWithBothShapes() throws {
        let fixture = try ModelFixture("qwen2")
        let store = TamperedTensorStore(
            base: try fixture.store(), reshaped: ["model.layers.0.self_attn.k_proj.weight": [48, 24]])
        let error = try #require(throws: DriftError.self) {
            _ = try ModelLoader.load(folder: fixture.folder.path, store: store)
        }
        #expect(error.kind == .corruptFile)
        #expect(error.description.contains("model.layers.0.self_attn.k_proj.weight"))
        #expect(error.description.contains("[48, 24]"))
        #expect(error.description.contains("[24, 48]"))
    }

    @Test func missingEmbeddingSaysWhichCheckpointKindWasExpected() throws {
        let fixture = try ModelFixture("gpt2")
        let store = TamperedTensorStore(base: try fixture.store(), hidden: ["transformer.wte.weight"])
        let error = try #require(throws: DriftError.self) {
            _ = try ModelLoader.load(folder: fixture.folder.path, store: store)
        }
        #expect(error.description.contains("wte.weight"))
    }

    @Test func unsupportedArchitectureListsTheSupportedOnes() throws {
        let error = try #require(throws: DriftError.self) {
            _ = try ArchitectureSpec(
                configuration: try ModelConfiguration(
                    json: .object(["model_type": .string("mamba")]), path: "config.json"))
        }
        #expect(error.kind == .unsupported)
        #expect(error.description.contains("mamba"))
        #expect(error.description.contains("llama, mistral"))
    }

    @Test func unsupportedRopeTypeIsNamed() throws {
        var config = try Self.config("llama")
        config["rope_parameters"] = .object([
            "rope_type": .string("dynamic"), "rope_theta": .number(10000), "factor": .number(4),
        ])
        let error = try #require(throws: DriftError.self) {
            _ = try ArchitectureSpec(configuration: try ModelConfiguration(json: .object(config)))
        }
        #expect(error.description.contains("dynamic"))
    }

    @Test func badRequestsAreRejected() throws {
        let model = try ModelFixture("mistral").model()
        #expect(throws: DriftError.self) {
            _ = try model.pooledHiddenStates(batch: [[1, 2]], layers: [99], pooling: .last)
        }
        #expect(throws: DriftError.self) { _ = try model.pooledHiddenStates(batch: [[]], layers: [0], pooling: .last) }
        #expect(throws: DriftError.self) {
            _ = try model.pooledHiddenStates(batch: [[1, 1_000_000]], layers: [0], pooling: .last)
        }
        let gpt2 = try ModelFixture("gpt2").model()
        #expect(throws: DriftError.self) {
            _ = try gpt2.pooledHiddenStates(batch: [Array(repeating: 5, count: 65)], layers: [0], pooling: .last)
        }
    }

    static func config(_ name: String) throws -> [String: JSONValue] {
        let url = try ModelFixture.root.appendingPathComponent(name).appendingPathComponent("config.json")
        return try #require(try JSONValue.read(path: url.path).objectValue)
    }
}
