import ArgumentParser
import DriftCore
import DriftModels
import Foundation
import Testing

@testable import EmbeddingDriftCLI

@Suite struct TokenizeCommandTests {
    /// The DriftModelsTests tokenizer fixtures (this target has no resources of its own).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DriftModelsTests/Fixtures/tokenizers")

    struct Expected: Decodable {
        var with_special: [[Int]]
        var without_special: [[Int]]
    }

    @Test func idsMatchTheReferenceForFolderAndFile() throws {
        let folder = Self.fixtures.appendingPathComponent("bert-minilm")
        let corpus = try JSONDecoder().decode(
            [String].self,
            from: Data(contentsOf: Self.fixtures.appendingPathComponent("corpus.json")))
        let expected = try JSONDecoder().decode(
            Expected.self,
            from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
        let fromFolder = try Tokenize.loadTokenizer(folder.path)
        let fromFile = try Tokenize.loadTokenizer(folder.appendingPathComponent("tokenizer.json").path)
        for i in 0..<20 {
            #expect(try fromFolder.encode(corpus[i], addSpecialTokens: true) == expected.with_special[i])
            #expect(try fromFile.encode(corpus[i], addSpecialTokens: false) == expected.without_special[i])
        }
    }

    @Test func fileLinesSplitOnNewlinesOnly() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tokenize-lines-\(UUID()).txt")
        try Data("one\r\ntwo\n\nfour é\u{301}\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try Tokenize.lines(of: url.path) == ["one", "two", "", "four é\u{301}"])
    }

    @Test func badModelsAreClearErrors() throws {
        #expect(throws: DriftError.self) { try Tokenize.loadTokenizer("/nonexistent/model.gguf") }
        #expect(throws: DriftError.self) { try Tokenize.loadTokenizer("/nonexistent/folder") }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-ckpt-\(UUID())")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let error = #expect(throws: DriftError.self) { try Tokenize.loadTokenizer(empty.path) }
        #expect(error?.path?.hasSuffix("tokenizer.json") == true)
    }

    @Test func commandLineParses() throws {
        let command = try Tokenize.parse(["model", "--text", "a", "--text", "b", "--no-special"])
        #expect(command.texts == ["a", "b"])
        #expect(command.noSpecial)
        #expect(throws: (any Error).self) { try Tokenize.parse(["model"]) }
    }

    @Test func benchTokenizerWritesItsReport() throws {
        let folder = Self.fixtures.appendingPathComponent("bert-minilm")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bench-tok-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let command = try BenchTokenizer.parse([
            folder.path, "--seconds", "0.05", "--repeat", "1", "--output", output.path, "--json",
        ])
        try command.run()
        let report = try JSONDecoder().decode(BenchTokenizer.Report.self, from: Data(contentsOf: output))
        let tokenizer = try Tokenize.loadTokenizer(folder.path)
        let tokens = try BenchTokenizer.builtInCorpus.map { try tokenizer.encode($0, addSpecialTokens: true).count }
        #expect(report.strings == BenchTokenizer.builtInCorpus.count)
        #expect(report.tokensPerPass == tokens.reduce(0, +))
        #expect(report.rows.count == 2)
        #expect(report.rows.allSatisfy { $0.stringsPerSecond > 0 })
        #expect(!BenchTokenizer.builtInCorpus.contains { $0.contains("\n") })
    }
}
