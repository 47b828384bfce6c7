/// Turns text into the token ids a model was trained on, exactly as Hugging Face `tokenizers` does.
public protocol Tokenizer: Sendable {
    /// The ids for `text`; with `addSpecialTokens`, the post-processor's BOS/EOS/CLS/SEP are added where the
    /// reference adds them.
    ///
    /// - Throws: `DriftError` naming the tokenizer file when a pattern of its pipeline exceeds its matching budget
    ///   (a regex that backtracks catastrophically on this text).
    func encode(_ text: String, addSpecialTokens: Bool) throws -> [Int]

    /// The number of ids, added tokens included.
    var vocabularySize: Int { get }

    /// A short name of the tokenizer's model kind, for `inspect` (e.g. `byte-level BPE`, `SentencePiece BPE`, `WordPiece`).
    var kindDescription: String { get }

    /// Per token id, the rank of the BPE merge that makes the token (GGUF SentencePiece vocabularies rank their
    /// merges by piece score); nil for a tokenizer without merges (WordPiece).
    func mergeRanks() -> [Int: Int]?
}

extension Tokenizer {
    /// No merges by default.
    public func mergeRanks() -> [Int: Int]? { nil }
}
