import DriftCore
import Foundation
import Testing

@testable import DriftModels

@Suite struct ModelSummaryTests {
    @Test func checkpointFolderMatchesReference() throws {
        let reference = try FormatFixtures.json("checkpoint/expected.json")
        let summary = try ModelSummary.inspect(path: try FormatFixtures.path("checkpoint/tiny-llama"))
        #expect(summary.format == "safetensors")
        #expect(summary.architecture == "llama")
        #expect(summary.parameterCount == (reference["parameters"] as? NSNumber)?.intValue)
        let byType = try #require(reference["tensors_by_type"] as? [String: Any])
        #expect(summary.tensorCountByType == byType.mapValues { ($0 as? NSNumber)?.intValue ?? -1 })
        #expect(summary.layerCount == (reference["layers"] as? NSNumber)?.intValue)
        #expect(summary.hiddenSize == (reference["hidden_size"] as? NSNumber)?.intValue)
        #expect(summary.tokenizerKind == "byte-level BPE")
        #expect(summary.tokenizerVocabularySize == (reference["tokenizer_vocab_size"] as? NSNumber)?.intValue)
        #expect(summary.declaredDType == "bfloat16")
    }

    /// A Mixture-of-Experts checkpoint reports its experts and the parameters one token uses: all but the share of
    /// the expert tensors it is not routed to (counted here from the tensors themselves, not from config.json).
    @Test func expertsAndActiveParametersAreReported() throws {
        let fixture = try ModelFixture("qwen3_moe")
        let summary = try ModelSummary.inspect(path: fixture.folder.path)
        #expect(summary.expertCount == 8)
        #expect(summary.activeExpertCount == 2)
        let expertElements = summary.tensors.filter { $0.name.contains(".experts.") }
            .reduce(0) { $0 + $1.shape.reduce(1, *) }
        #expect(expertElements > 0)
        #expect(summary.activeParameterCount == summary.parameterCount - expertElements * 6 / 8)
        let dense = try ModelSummary.inspect(path: try ModelFixture("qwen3").folder.path)
        #expect(dense.expertCount == nil && dense.activeParameterCount == nil)
    }

    @Test func ggufFileIsSummarised() throws {
        let path = try FormatFixtures.path("gguf/valid-v3.gguf")
        let summary = try ModelSummary.inspect(path: path)
        let file = try GGUFFile(path: path)
        #expect(summary.format == "gguf")
        #expect(summary.formatVersion == 3)
        #expect(summary.architecture == "llama")
        #expect(summary.layerCount == 2)
        #expect(summary.hiddenSize == 8)
        // Parameters: every float or quantized tensor's elements; the I32 tensor is not a parameter.
        let parameters = file.tensors.filter { $0.type != .i32 }.map(\.elementCount).reduce(0, +)
        #expect(summary.parameterCount == parameters)
        #expect(summary.tensors.map(\.type) == file.tensors.map(\.type.name))
        #expect(summary.metadata.contains { $0.key == "general.architecture" && $0.value == "\"llama\"" })
        #expect(summary.metadata.contains { $0.key == "llama.block_count" && $0.type == "UINT32" })
        #expect(!summary.metadata.contains { $0.key.hasPrefix("test.") })
        #expect(summary.tokenizerKind == nil)
    }

    @Test func folderWithoutTokenizerIsAClearErrorWhenOneIsNeeded() throws {
        let folder = try FormatFixtures.path("checkpoint/no-tokenizer")
        let error = try FormatFixtures.driftError { _ = try TokenizerFileSummary.locate(folder: folder) }
        #expect(error.kind == .missing)
        #expect(error.description.hasPrefix(folder + "/tokenizer.json: no tokenizer.json"))
        // inspect still describes the weights and says there is no tokenizer.
        let summary = try ModelSummary.inspect(path: folder)
        #expect(summary.tokenizerKind == nil)
        #expect(summary.parameterCount > 0)
    }

    @Test func unknownArchitectureFailsInspect() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            atPath: try FormatFixtures.path("config/bad/unknown-architecture/config.json"),
            toPath: folder.appendingPathComponent("config.json").path)
        let error = try FormatFixtures.driftError { _ = try ModelSummary.inspect(path: folder.path) }
        #expect(error.kind == .unsupported)
        #expect(error.description.contains("config.json: unsupported model_type \"mamba\""))
    }
}
