import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Tokenizers built from GGUF metadata (written by the generator with llama.cpp's converter conventions and gguf-py's
/// token types) must give the ids Hugging Face `tokenizers` gives for the tokenizer they were converted from.
@Suite struct GGUFTokenizerMetadataTests {
    /// Decodes the generator's JSON of `tokenizer.ggml.*` keys into the struct the GGUF reader fills.
    /// (Parsed with `TokenizerJSON`: `JSONSerialization` drops a leading U+FEFF from strings, and Gemma has such tokens.)
    static func metadata(_ url: URL) throws -> (GGUFTokenizerMetadata, String) {
        let data = try Data(contentsOf: url)
        let root = try data.withUnsafeBytes { try TokenizerJSON.parse($0.bindMemory(to: UInt8.self)) }
        let md = try #require(root["metadata"])
        let reference = try #require(root["reference"]?.stringValue)
        let tokens = md["tokenizer.ggml.tokens"]?.arrayValue?.compactMap(\.stringValue)
        func ints(_ key: String) -> [Int]? { md[key]?.arrayValue?.compactMap(\.intValue) }
        let value = GGUFTokenizerMetadata(
            model: try #require(md["tokenizer.ggml.model"]?.stringValue),
            pre: md["tokenizer.ggml.pre"]?.stringValue,
            tokens: try #require(tokens),
            scores: md["tokenizer.ggml.scores"]?.arrayValue?.compactMap(\.doubleValue).map { Float($0) },
            tokenTypes: ints("tokenizer.ggml.token_type")?.map { Int32($0) },
            merges: md["tokenizer.ggml.merges"]?.arrayValue?.compactMap(\.stringValue),
            bosTokenID: md["tokenizer.ggml.bos_token_id"]?.intValue,
            eosTokenID: md["tokenizer.ggml.eos_token_id"]?.intValue,
            unknownTokenID: md["tokenizer.ggml.unknown_token_id"]?.intValue,
            separatorTokenID: md["tokenizer.ggml.seperator_token_id"]?.intValue,
            paddingTokenID: md["tokenizer.ggml.padding_token_id"]?.intValue,
            addBOS: md["tokenizer.ggml.add_bos_token"]?.boolValue,
            addEOS: md["tokenizer.ggml.add_eos_token"]?.boolValue,
            addSpacePrefix: md["tokenizer.ggml.add_space_prefix"]?.boolValue)
        return (value, reference)
    }

    @Test(arguments: ["llama-spm", "llama3-style", "qwen2-style", "gpt2", "bert"])
    func idsEqualReference(name: String) throws {
        let root = try TokenizerFixtures.root()
        let (md, reference) = try Self.metadata(root.appendingPathComponent("gguf/\(name).json"))
        let tokenizer = try md.makeTokenizer(path: name)
        try TokenizerFixtures.expectParity(
            tokenizer, expectedFile: root.appendingPathComponent("\(reference)/expected.json"), name: name)
    }

    /// The same metadata written to tensor-less GGUF files by gguf-py's `GGUFWriter`, read back with `GGUFFile`.
    @Test(arguments: ["llama-spm", "llama3-style"])
    func readFromGGUFFile(name: String) throws {
        let root = try TokenizerFixtures.root()
        let (fromJSON, reference) = try Self.metadata(root.appendingPathComponent("gguf/\(name).json"))
        let file = try GGUFFile(path: root.appendingPathComponent("gguf/\(name).gguf").path)
        let md = try GGUFTokenizerMetadata(gguf: file)
        #expect(md.model == fromJSON.model)
        #expect(md.tokens.count == fromJSON.tokens.count)
        #expect(md.scores == fromJSON.scores)
        #expect(md.tokenTypes == fromJSON.tokenTypes)
        #expect(md.merges == fromJSON.merges)
        #expect(md.bosTokenID == fromJSON.bosTokenID && md.addBOS == fromJSON.addBOS)
        let tokenizer = try md.makeTokenizer(path: file.path)
        let corpus = try TokenizerFixtures.corpus()
        let expected = try TokenizerFixtures.expected(root.appendingPathComponent("\(reference)/expected.json"))
        let with = try corpus.map { try tokenizer.encode($0, addSpecialTokens: true) }
        #expect(with == expected.with_special)
    }

    @Test func ggufWithoutTokenizerIsAClearError() throws {
        // The formats fixtures' GGUF files carry tensors but no tokenizer keys.
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let folder = fixtures.appendingPathComponent("formats/gguf")
        let candidates = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".gguf")
        }
        let name = try #require(candidates.sorted().first)
        let file = try GGUFFile(path: folder.appendingPathComponent(name).path)
        let error = #expect(throws: DriftError.self) { try GGUFTokenizerMetadata(gguf: file) }
        #expect(error?.kind == .missing)
        #expect(error?.path == file.path)
    }

    @Test func inconsistentMetadataIsAnError() {
        let md = GGUFTokenizerMetadata(model: "llama", tokens: ["a", "b"], scores: [0], tokenTypes: [1, 1])
        #expect(throws: DriftError.self) { try md.makeTokenizer(path: "x.gguf") }
        let unknownModel = GGUFTokenizerMetadata(model: "rwkv", tokens: ["a"])
        #expect(throws: DriftError.self) { try unknownModel.makeTokenizer(path: "x.gguf") }
        let badID = GGUFTokenizerMetadata(model: "gpt2", tokens: ["a"], merges: [], bosTokenID: 7)
        #expect(throws: DriftError.self) { try badID.makeTokenizer(path: "x.gguf") }
    }
}
