/// The `tokenizers` pipeline: added tokens → normalizer → pre-tokenizer → model → post-processor.
///
/// Built from a `tokenizer.json` (``TokenizerLoader``) or from GGUF metadata (``GGUFTokenizerMetadata``).
struct PipelineTokenizer: Tokenizer {
    let addedVocabulary: AddedVocabulary
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let model: TokenizerModel
    private(set) var postProcessor: PostProcessor?
    let vocabularySize: Int
    let kindDescription: String

    init(
        addedTokens: [AddedToken], normalizer: Normalizer?, preTokenizer: PreTokenizer?, model: TokenizerModel,
        postProcessor: PostProcessor?, kindDescription: String
    ) throws {
        self.addedVocabulary = try AddedVocabulary(tokens: addedTokens, normalizer: normalizer)
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.model = model
        self.postProcessor = postProcessor
        self.kindDescription = kindDescription
        var strings = Set(model.vocabulary.keys)
        for t in addedTokens { strings.insert(TokenKey(t.content)) }
        self.vocabularySize = strings.count
    }

    func mergeRanks() -> [Int: Int]? {
        if case .bpe(let bpe) = model { return bpe.producingRanks() }
        return nil
    }

    func encode(_ text: String, addSpecialTokens: Bool) throws -> [Int] {
        var ids: [Int] = []
        let scalars = Array(text.unicodeScalars)
        for segment in addedVocabulary.splitRaw(scalars) {
            if let id = segment.tokenID {
                ids.append(id)
                continue
            }
            let normalized = try normalizer?.normalize(segment.text) ?? segment.text
            for part in addedVocabulary.splitNormalized(normalized, atStart: segment.atStart) {
                if let id = part.tokenID {
                    ids.append(id)
                    continue
                }
                let piece = TextPiece(scalars: part.text, atStart: part.atStart)
                if let preTokenizer {
                    for p in try preTokenizer.apply([piece]) { model.tokenize(p.scalars, into: &ids) }
                } else {
                    model.tokenize(piece.scalars, into: &ids)
                }
            }
        }
        if addSpecialTokens, let postProcessor { return postProcessor.process(ids) }
        return ids
    }
}

extension PipelineTokenizer {
    /// The same tokenizer with another post-processor.
    ///
    /// For example Llama 3.2's BOS template on a Llama 3.0 file.
    func replacingPostProcessor(_ postProcessor: PostProcessor?) -> PipelineTokenizer {
        var copy = self
        copy.postProcessor = postProcessor
        return copy
    }
}
