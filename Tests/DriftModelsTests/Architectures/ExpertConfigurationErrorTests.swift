import DriftCore
import DriftModels
import Foundation
import Testing

/// A Mixture-of-Experts config.json whose expert count, top-k or routed layers contradict the weights gets one line
/// naming the file and the field, never a crash or a wrong model.
@Suite struct ExpertConfigurationErrorTests {
    /// A copy of the `qwen3_moe` fixture whose config.json has `change` applied.
    static func checkpoint(_ change: (inout [String: JSONValue]) -> Void) throws -> URL {
        let source = try ModelFixture("qwen3_moe").folder
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moe-\(UUID().uuidString)")
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

    @Test func expertCountThatContradictsTheRouterIsNamed() throws {
        let error = try Self.loadError(try Self.checkpoint { $0["num_local_experts"] = .integer(16) })
        #expect(error.description.contains("config.json"))
        #expect(error.description.contains("16 experts"))
        #expect(error.description.contains("chooses among 8"))
        #expect(!error.description.contains("\n"))
    }

    @Test func topKAboveTheExpertCountIsNamed() throws {
        let error = try Self.loadError(try Self.checkpoint { $0["num_experts_per_tok"] = .integer(9) })
        #expect(error.description.contains("config.json"))
        #expect(error.description.contains("\"num_experts_per_tok\" is 9"))
    }

    @Test func routedLayersThatContradictTheWeightsAreNamed() throws {
        // Block 1 is dense in the checkpoint; without mlp_only_layers the config routes it.
        let routed = try Self.loadError(try Self.checkpoint { $0["mlp_only_layers"] = .array([]) })
        #expect(routed.description.contains("config.json"))
        #expect(routed.description.contains("block 1"))
        #expect(routed.description.contains("mlp_only_layers"))
        // Block 0 routes in the checkpoint; the config makes it dense.
        let dense = try Self.loadError(
            try Self.checkpoint { $0["mlp_only_layers"] = .array([.integer(0), .integer(1)]) })
        #expect(dense.description.contains("block 0"))
        #expect(dense.description.contains("mlp_only_layers"))
    }
}
