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
