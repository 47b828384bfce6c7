import Foundation
import Testing

@testable import DriftModels

/// Every corpus string × every fixture tokenizer: the ids must equal Hugging Face `tokenizers`' ids.
@Suite struct TokenizerParityTests {
    @Test(arguments: TokenizerFixtures.names)
    func idsEqualReference(name: String) throws {
        let folder = try TokenizerFixtures.root().appendingPathComponent(name)
        let tokenizer = try TokenizerLoader.load(folder: folder)
        let corpus = try TokenizerFixtures.corpus()
        #expect(corpus.count >= 300)
        let expected = try TokenizerFixtures.expected(folder.appendingPathComponent("expected.json"))
        try #require(expected.with_special.count == corpus.count)
        let with = corpus.map { tokenizer.encode($0, addSpecialTokens: true) }
        let without = corpus.map { tokenizer.encode($0, addSpecialTokens: false) }
        let passWith = zip(with, expected.with_special).filter { $0 == $1 }.count
        let passWithout = zip(without, expected.without_special).filter { $0 == $1 }.count
        #expect(
            passWith == corpus.count,
            Comment(
                rawValue: "\(name) with special tokens: \(passWith)/\(corpus.count)\n"
                    + TokenizerFixtures.mismatches(corpus, expected.with_special, with)))
        #expect(
            passWithout == corpus.count,
            Comment(
                rawValue: "\(name) without special tokens: \(passWithout)/\(corpus.count)\n"
                    + TokenizerFixtures.mismatches(corpus, expected.without_special, without)))
    }
}
