/// Greedy longest-match-first WordPiece, as `tokenizers`' `WordPiece` model.
struct WordPieceModel: Sendable {
    let vocabulary: [TokenKey: Int]
    let unknownID: Int
    let continuingSubwordPrefix: String
    let maxInputCharsPerWord: Int

    /// Appends the ids of one pre-tokenized word; a word that cannot be covered becomes the unknown token.
    func tokenize(_ word: [Unicode.Scalar], into out: inout [Int]) {
        if word.isEmpty { return }
        if word.count > maxInputCharsPerWord {
            out.append(unknownID)
            return
        }
        if let whole = vocabulary[TokenKey(word)] {
            out.append(whole)
            return
        }
        var pieces: [Int] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int?
            while start < end {
                var s = Array(word[start..<end]).string
                if start > 0 { s = continuingSubwordPrefix + s }
                if let id = vocabulary[TokenKey(s)] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                out.append(unknownID)
                return
            }
            pieces.append(id)
            start = end
        }
        out.append(contentsOf: pieces)
    }
}
