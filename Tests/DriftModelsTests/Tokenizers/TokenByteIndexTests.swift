import Testing

@testable import DriftModels

/// The byte index behind deriving a SentencePiece vocabulary's merges, and the score ranks those merges carry.
@Suite struct TokenByteIndexTests {
    @Test func findsTheFirstIDOfEveryPieceByExactBytes() throws {
        // "é" composed and decomposed are different tokens; "ab" is spelled twice (ids 1 and 4).
        let tokens = ["a", "ab", "b", "\u{e9}", "ab", "e\u{301}", "日本", "本", "日", ""]
        let index = TokenByteIndex(tokens)
        for (id, token) in tokens.enumerated() {
            let expected = tokens.indices.first { tokens[$0].utf8.elementsEqual(token.utf8) }
            #expect(index.firstID(spelling: index.range(of: id)) == expected, "\(token)")
        }
        // A piece of a token: the bytes of "本" inside "日本".
        let whole = index.range(of: 6)
        #expect(index.firstID(spelling: (whole.lowerBound + 3)..<whole.upperBound) == 7)
        #expect(index.firstID(spelling: whole.lowerBound..<(whole.lowerBound + 3)) == 8)
        // Bytes spelling no token.
        #expect(index.firstID(spelling: whole.lowerBound..<(whole.lowerBound + 1)) == nil)
        let decomposed = index.range(of: 5)
        #expect(index.firstID(spelling: decomposed.lowerBound..<(decomposed.lowerBound + 1)) == nil)
    }

    @Test func manyTokensSurviveCollisions() {
        let tokens = (0..<5000).map { "t\($0 % 3000)" }
        let index = TokenByteIndex(tokens)
        for id in tokens.indices {
            #expect(index.firstID(spelling: index.range(of: id)) == id % 3000)
        }
    }

    @Test func ranksFollowDistinctScoresInDescendingOrder() {
        let scores: [Float] = [-1, 0, -0.0, 5, .nan, -1, 2]
        let ranks = GGUFTokenizerMetadata.scoreRanks(scores)
        // Distinct scores descending: 5, 2, 0 (= -0), -1.
        #expect(ranks == [3, 2, 2, 0, nil, 3, 1])
    }
}
