import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Every `tokenizer.ggml.pre` name of llama.cpp's vocabulary loader must give llama.cpp's own ids.
///
/// The fixtures (`Fixtures/tokenizers/llama-pre/`, written by `Scripts/fixtures/llama_pretokenizers.py`) hold one
/// small byte-level BPE vocabulary as a GGUF file, the texts, and for each name the ids llama.cpp's
/// `llama-tokenize` gave for that vocabulary with that name.
@Suite struct LlamaPreTokenizerTests {
    struct Texts: Decodable {
        var texts: [String]
        var with_special_count: Int
    }

    struct Expected: Decodable {
        var pre: String
        /// nil where llama.cpp aborts on the text.
        var without_special: [[Int]?]
        var with_special: [[Int]?]
    }

    /// Names whose ids differ from llama.cpp's on some texts by design, with the texts (by index) and why.
    static let knownDifferences: [String: (texts: Set<Int>, reason: String)] = [
        "qwen2": ([4], "NFC-composed as Hugging Face tokenizers does; llama.cpp does not compose"),
        "deepseek-r1-qwen": ([4], "NFC-composed as Hugging Face tokenizers does; llama.cpp does not compose"),
    ]

    static func folder() throws -> URL {
        try TokenizerFixtures.root().appendingPathComponent("llama-pre")
    }

    static func texts() throws -> Texts {
        // TokenizerJSON keeps every string exactly (Foundation's JSON readers may normalise some).
        let data = try Data(contentsOf: try folder().appendingPathComponent("texts.json"))
        let value = try data.withUnsafeBytes { try TokenizerJSON.parse($0.bindMemory(to: UInt8.self)) }
        let strings = value["texts"]?.arrayValue?.compactMap(\.stringValue)
        let texts = try #require(strings)
        let count = try #require(value["with_special_count"]?.intValue)
        return Texts(texts: texts, with_special_count: count)
    }

    static func expected(_ name: String) throws -> Expected {
        let url = try folder().appendingPathComponent("expected/\(name).json")
        return try JSONDecoder().decode(Expected.self, from: Data(contentsOf: url))
    }

    static func metadata(_ file: String) throws -> GGUFTokenizerMetadata {
        let gguf = try GGUFFile(path: try folder().appendingPathComponent(file).path)
        return try GGUFTokenizerMetadata(gguf: gguf)
    }

    /// Compares the ids of `tokenizer` with llama.cpp's for `name`, skipping the known differences.
    static func expectLlamaIDs(_ tokenizer: any Tokenizer, name: String) throws {
        let texts = try texts()
        let expected = try expected(name)
        try #require(expected.without_special.count == texts.texts.count)
        try #require(expected.with_special.count == texts.with_special_count)
        let skip = knownDifferences[name]?.texts ?? []
        var failures: [String] = []
        // A fixture where llama.cpp failed on most texts must not pass by comparing nothing.
        let compared = expected.without_special.compactMap { $0 }.count
        #expect(compared * 5 >= texts.texts.count * 4, "\(name): llama.cpp gave ids for only \(compared) texts")
        for (i, text) in texts.texts.enumerated() where !skip.contains(i) {
            guard let reference = expected.without_special[i] else { continue }
            let ids = try tokenizer.encode(text, addSpecialTokens: false)
            if ids != reference {
                failures.append("\(text.debugDescription): llama.cpp \(reference) got \(ids)")
            }
        }
        for (i, text) in texts.texts.prefix(texts.with_special_count).enumerated() where !skip.contains(i) {
            guard let reference = expected.with_special[i] else { continue }
            let ids = try tokenizer.encode(text, addSpecialTokens: true)
            if ids != reference {
                failures.append("with special \(text.debugDescription): llama.cpp \(reference) got \(ids)")
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(name): \(failures.prefix(4).joined(separator: "\n"))"))
    }

    @Test(arguments: LlamaPreTokenizer.supportedNames)
    func idsEqualLlamaCpp(name: String) throws {
        var md = try Self.metadata("vocab.gguf")
        md.pre = name
        try Self.expectLlamaIDs(try md.makeTokenizer(path: "\(name).gguf"), name: name)
    }

    /// The name is read from the file's own `tokenizer.ggml.pre`.
    @Test func nameReadFromGGUFFile() throws {
        let md = try Self.metadata("smollm.gguf")
        #expect(md.pre == "smollm")
        try Self.expectLlamaIDs(try md.makeTokenizer(path: "smollm.gguf"), name: "smollm")
    }

    /// llama.cpp loads a Kimi-K2 vocabulary without merges (each piece is then its scalars' tokens); other names
    /// need merges.
    @Test func kimiK2WithoutMerges() throws {
        var md = try Self.metadata("vocab.gguf")
        md.merges = nil
        md.pre = "kimi-k2"
        let tokenizer = try md.makeTokenizer(path: "kimi.gguf")
        let ids = try tokenizer.encode("ab 1", addSpecialTokens: false)
        let expected = ["a", "b", "\u{0120}", "1"].compactMap { md.tokens.firstIndex(of: $0) }
        #expect(ids == expected && expected.count == 4)
        md.pre = "smollm"
        #expect(throws: DriftError.self) { try md.makeTokenizer(path: "smollm.gguf") }
    }

    /// A name llama.cpp does not know is a one-line error naming the file and the names that are supported.
    @Test func unknownNameIsAClearError() throws {
        var md = try Self.metadata("vocab.gguf")
        md.pre = "no-such-pre"
        let error = #expect(throws: DriftError.self) { try md.makeTokenizer(path: "model.gguf") }
        #expect(error?.kind == .unsupported)
        #expect(error?.path == "model.gguf")
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("\"no-such-pre\"") && message.contains("smollm") && message.contains("qwen2"))
        #expect(!message.contains("\n"))
    }
}
