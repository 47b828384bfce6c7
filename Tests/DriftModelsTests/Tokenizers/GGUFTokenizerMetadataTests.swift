import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Tokenizers built from GGUF metadata (written by the generator with llama.cpp's converter conventions and gguf-py's
/// token types) must give the ids Hugging Face `tokenizers` gives for the tokenizer they were converted from.
@Suite struct GGUFTokenizerMetadataTests {
    /// Decodes the generator's JSON of `tokenizer.ggml.*` keys into the struct the GGUF reader fills.
    static func metadata(_ url: URL) throws -> (GGUFTokenizerMetadata, String) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let md = try #require(object["metadata"] as? [String: Any])
        let reference = try #require(object["reference"] as? String)
        let tokens = try #require(md["tokenizer.ggml.tokens"] as? [String])
        let value = GGUFTokenizerMetadata(
            model: try #require(md["tokenizer.ggml.model"] as? String),
            pre: md["tokenizer.ggml.pre"] as? String,
            tokens: tokens,
            scores: (md["tokenizer.ggml.scores"] as? [Double])?.map { Float($0) },
            tokenTypes: (md["tokenizer.ggml.token_type"] as? [Int])?.map { Int32($0) },
            merges: md["tokenizer.ggml.merges"] as? [String],
            bosTokenID: md["tokenizer.ggml.bos_token_id"] as? Int,
            eosTokenID: md["tokenizer.ggml.eos_token_id"] as? Int,
            unknownTokenID: md["tokenizer.ggml.unknown_token_id"] as? Int,
            separatorTokenID: md["tokenizer.ggml.seperator_token_id"] as? Int,
            paddingTokenID: md["tokenizer.ggml.padding_token_id"] as? Int,
            addBOS: md["tokenizer.ggml.add_bos_token"] as? Bool,
            addEOS: md["tokenizer.ggml.add_eos_token"] as? Bool,
            addSpacePrefix: md["tokenizer.ggml.add_space_prefix"] as? Bool)
        return (value, reference)
    }

    @Test(arguments: ["llama-spm", "llama3-style", "qwen2-style", "gpt2", "bert"])
    func idsEqualReference(name: String) throws {
        let root = try TokenizerFixtures.root()
        let (md, reference) = try Self.metadata(root.appendingPathComponent("gguf/\(name).json"))
        let tokenizer = try md.makeTokenizer(path: name)
        let corpus = try TokenizerFixtures.corpus()
        let expected = try TokenizerFixtures.expected(root.appendingPathComponent("\(reference)/expected.json"))
        let with = corpus.map { tokenizer.encode($0, addSpecialTokens: true) }
        let without = corpus.map { tokenizer.encode($0, addSpecialTokens: false) }
        let passWith = zip(with, expected.with_special).filter { $0 == $1 }.count
        let passWithout = zip(without, expected.without_special).filter { $0 == $1 }.count
        #expect(passWith == corpus.count, Comment(rawValue: "\(name) with special tokens: \(passWith)/\(corpus.count)\n"
            + TokenizerFixtures.mismatches(corpus, expected.with_special, with)))
        #expect(passWithout == corpus.count, Comment(rawValue: "\(name) without special: \(passWithout)/\(corpus.count)\n"
            + TokenizerFixtures.mismatches(corpus, expected.without_special, without)))
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
