import Foundation
import TestSupport
import Testing

@testable import EmbeddingDriftCLI

/// Runs the built `embedding-drift` binary (built beside the test bundle by `swift build --build-tests`).
@Suite struct InspectCommandTests {
    private static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DriftModelsTests/Fixtures/formats")
    }

    @Test(arguments: [
        "gguf/bad/wrong-magic.gguf", "gguf/bad/lying-tensor-count.gguf", "safetensors/bad/truncated.safetensors",
        "safetensors/bad/absurd-header.safetensors", "config/bad/unknown-architecture", "does-not-exist.gguf",
    ])
    func badModelExitsNonZeroWithOneLine(relative: String) throws {
        let path = Self.fixtures.appendingPathComponent(relative).path
        let result = try ExecutableRunner.run(["inspect", path])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(path))
    }

    @Test func jsonOutputDescribesTheCheckpoint() throws {
        let path = Self.fixtures.appendingPathComponent("checkpoint/tiny-llama").path
        let result = try ExecutableRunner.run(["inspect", path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["architecture"] as? String == "llama")
        #expect((object["layerCount"] as? NSNumber)?.intValue == 2)
        #expect(object["tokenizerKind"] as? String == "byte-level BPE")
    }

    @Test func mixtureOfExpertsShowsExpertsAndActiveParameters() throws {
        let path = Self.fixtures.deletingLastPathComponent().appendingPathComponent("models/qwen3_moe").path
        let result = try ExecutableRunner.run(["inspect", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("8 per routed block, 2 active per token"))
        #expect(result.stdout.contains("active parameters  70,896 (70.90 K) per token"))
        let json = try ExecutableRunner.run(["inspect", path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["expertCount"] as? NSNumber)?.intValue == 8)
        #expect((object["activeParameterCount"] as? NSNumber)?.intValue == 70_896)
    }

    @Test func textOutputListsGGUFTensorTypes() throws {
        let path = Self.fixtures.appendingPathComponent("gguf/valid-v3.gguf").path
        let result = try ExecutableRunner.run(["inspect", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("GGUF v3"))
        #expect(result.stdout.contains("blk.0.attn_q.weight"))
        #expect(result.stdout.contains("Q8_0"))
        #expect(result.stdout.contains("general.architecture"))
    }

    @Test func numbersAreGrouped() {
        #expect(Inspect.grouped(1_234_567) == "1,234,567")
        #expect(Inspect.grouped(999) == "999")
        #expect(Inspect.abbreviated(268_098_176) == "268.10 M")
    }
}
