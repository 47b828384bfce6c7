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
        try TokenizerFixtures.expectParity(
            tokenizer, expectedFile: folder.appendingPathComponent("expected.json"), name: name)
    }
}
