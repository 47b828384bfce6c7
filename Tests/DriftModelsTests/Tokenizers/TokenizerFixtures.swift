import Foundation
import Testing

@testable import DriftModels

/// Access to the tokenizer fixtures written by `Scripts/fixtures/tokenizers.py`.
enum TokenizerFixtures {
    /// Every tokenizer folder with a committed `tokenizer.json` and `expected.json`.
    static let names = [
        "llama3-style", "qwen2-style", "gpt2", "o200k-style", "split-variety", "gpt-neox", "olmo", "roberta-style",
        "llama2-sp", "mistral-sp",
        "gemma-sp", "metaspace-split", "metaspace-never", "wordpiece-nfkd", "wordpiece-cased", "wordpiece-bert",
        "bert-minilm",
    ]

    /// The folder of real reference files (`EMBEDDING_DRIFT_REFDATA`), when the opt-in tests should run.
    static let refdata: URL? = ProcessInfo.processInfo.environment["EMBEDDING_DRIFT_REFDATA"].map {
        URL(fileURLWithPath: $0)
    }

    static func root() throws -> URL {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("tokenizers")
    }

    static func corpus() throws -> [String] {
        // TokenizerJSON keeps every string exactly (Foundation's JSON readers drop a leading U+FEFF).
        let data = try Data(contentsOf: try root().appendingPathComponent("corpus.json"))
        let value = try data.withUnsafeBytes { try TokenizerJSON.parse($0.bindMemory(to: UInt8.self)) }
        let strings = value.arrayValue?.compactMap(\.stringValue)
        return try #require(strings)
    }

    struct Expected: Decodable {
        var with_special: [[Int]]
        var without_special: [[Int]]
    }

    static func expected(_ url: URL) throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: url))
    }

    /// Checks `tokenizer` on every corpus string, with and without special tokens, against the reference ids in
    /// `expectedFile`; the failure message names the first mismatches.
    static func expectParity(_ tokenizer: any Tokenizer, expectedFile: URL, name: String) throws {
        let corpus = try corpus()
        let expected = try expected(expectedFile)
        try #require(expected.with_special.count == corpus.count && expected.without_special.count == corpus.count)
        let with = try corpus.map { try tokenizer.encode($0, addSpecialTokens: true) }
        let without = try corpus.map { try tokenizer.encode($0, addSpecialTokens: false) }
        let passWith = zip(with, expected.with_special).filter { $0 == $1 }.count
        let passWithout = zip(without, expected.without_special).filter { $0 == $1 }.count
        #expect(
            passWith == corpus.count,
            Comment(
                rawValue: "\(name) with special tokens: \(passWith)/\(corpus.count)\n"
                    + mismatches(corpus, expected.with_special, with)))
        #expect(
            passWithout == corpus.count,
            Comment(
                rawValue: "\(name) without special tokens: \(passWithout)/\(corpus.count)\n"
                    + mismatches(corpus, expected.without_special, without)))
    }

    /// Readable description of the first few mismatches.
    static func mismatches(_ corpus: [String], _ expected: [[Int]], _ actual: [[Int]], limit: Int = 5) -> String {
        var lines: [String] = []
        for i in corpus.indices where expected[i] != actual[i] {
            lines.append("\(corpus[i].debugDescription): expected \(expected[i]) got \(actual[i])")
            if lines.count >= limit { break }
        }
        return lines.joined(separator: "\n")
    }
}
