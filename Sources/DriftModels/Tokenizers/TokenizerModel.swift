/// The model stage of a tokenizer pipeline.
enum TokenizerModel: Sendable {
    case bpe(BPEModel)
    case wordPiece(WordPieceModel)

    func tokenize(_ piece: [Unicode.Scalar], into out: inout [Int]) {
        switch self {
        case .bpe(let m): m.tokenize(piece, into: &out)
        case .wordPiece(let m): m.tokenize(piece, into: &out)
        }
    }

    /// The model's token strings and ids.
    var vocabulary: [TokenKey: Int] {
        switch self {
        case .bpe(let m): return m.vocabulary
        case .wordPiece(let m): return m.vocabulary
        }
    }
}
