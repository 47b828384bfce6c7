import Foundation
import Testing

@testable import EmbeddingDriftCLI

/// Runs the built `embedding-drift` binary (built beside the test bundle by `swift build --build-tests`).
@Suite struct InspectCommandTests {
    private static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DriftModelsTests/Fixtures/formats")
    }

    private func binary() throws -> URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("embedding-drift")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let packageBuild = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/embedding-drift")
        return try #require(
            FileManager.default.isExecutableFile(atPath: packageBuild.path) ? packageBuild : nil,
            "build the tool first: swift build --build-tests")
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test(arguments: [
        "gguf/bad/wrong-magic.gguf", "gguf/bad/lying-tensor-count.gguf", "safetensors/bad/truncated.safetensors",
        "safetensors/bad/absurd-header.safetensors", "config/bad/unknown-architecture", "does-not-exist.gguf",
    ])
    func badModelExitsNonZeroWithOneLine(relative: String) throws {
        let path = Self.fixtures.appendingPathComponent(relative).path
        let result = try run(["inspect", path])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(path))
    }

    @Test func jsonOutputDescribesTheCheckpoint() throws {
        let path = Self.fixtures.appendingPathComponent("checkpoint/tiny-llama").path
        let result = try run(["inspect", path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["architecture"] as? String == "llama")
        #expect((object["layerCount"] as? NSNumber)?.intValue == 2)
        #expect(object["tokenizerKind"] as? String == "byte-level BPE")
    }

    @Test func textOutputListsGGUFTensorTypes() throws {
        let path = Self.fixtures.appendingPathComponent("gguf/valid-v3.gguf").path
        let result = try run(["inspect", path])
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
