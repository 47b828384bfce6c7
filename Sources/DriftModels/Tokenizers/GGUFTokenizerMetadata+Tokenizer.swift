import DriftCore

extension GGUFTokenizerMetadata {
    /// GGUF token types (gguf-py's `TokenType`).
    enum TokenType: Int32 {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    /// Builds the tokenizer llama.cpp builds from this metadata.
    ///
    /// - `llama`: SentencePiece BPE — spaces as `▁` (with a leading `▁` when `add_space_prefix`), pairs merged by
    ///   the score of the merged token (highest first, leftmost on ties), `<0xNN>` byte fallback.
    /// - `gpt2`: byte-level BPE with the split regexes llama.cpp uses for `tokenizer.ggml.pre` (every name of
    ///   llama.cpp's loader; ``LlamaPreTokenizer``) and the ranked merges.
    /// - `bert`: uncased BERT WordPiece (llama.cpp stores `##x` as `x` and word-initial `x` as `▁x`; undone here).
    ///
    /// Control, user-defined and unknown tokens are matched in the raw text first, as llama.cpp does with special
    /// tokens parsed. BOS/EOS (CLS/SEP for BERT) follow `add_bos_token`/`add_eos_token` with llama.cpp's defaults.
    /// - Parameter path: the GGUF file, for error messages.
    /// - Throws: `DriftError` when the metadata is inconsistent or the model or pre-tokenizer is unsupported.
    public func makeTokenizer(path: String? = nil) throws -> any Tokenizer {
        if let types = tokenTypes, types.count != tokens.count {
            throw DriftError(
                .corruptFile, "tokenizer.ggml.token_type has \(types.count) entries for \(tokens.count) tokens",
                path: path)
        }
        if let scores, scores.count != tokens.count {
            throw DriftError(
                .corruptFile, "tokenizer.ggml.scores has \(scores.count) entries for \(tokens.count) tokens",
                path: path)
        }
        for (name, id) in [
            ("bos", bosTokenID), ("eos", eosTokenID), ("unknown", unknownTokenID),
            ("seperator", separatorTokenID), ("padding", paddingTokenID),
        ] {
            if let id, id < 0 || id >= tokens.count {
                throw DriftError(
                    .corruptFile, "tokenizer.ggml.\(name)_token_id \(id) is outside the \(tokens.count) tokens",
                    path: path)
            }
        }
        switch model {
        case "llama": return try sentencePiece(path: path)
        case "gpt2": return try byteLevel(path: path)
        case "bert": return try wordPiece(path: path)
        default:
            throw DriftError(
                .unsupported,
                "the GGUF tokenizer model \(DriftError.quote(model)) is not supported (llama, gpt2, bert are)",
                path: path)
        }
    }

    private func type(_ id: Int) -> TokenType {
        tokenTypes.flatMap { TokenType(rawValue: $0[id]) } ?? .normal
    }

    /// Control, user-defined and unknown tokens, matched in the raw text.
    private func addedTokens() -> [AddedToken] {
        var out: [AddedToken] = []
        for id in tokens.indices {
            let t = type(id)
            guard t == .control || t == .userDefined || t == .unknown, !tokens[id].isEmpty else { continue }
            out.append(
                AddedToken(
                    id: id, content: Array(tokens[id].unicodeScalars), special: t != .userDefined,
                    singleWord: false, lstrip: false, rstrip: false, normalized: false))
        }
        return out
    }

    private func vocabulary() -> [TokenKey: Int] {
        var vocab: [TokenKey: Int] = [:]
        vocab.reserveCapacity(tokens.count)
        for (id, t) in tokens.enumerated() where vocab[TokenKey(t)] == nil { vocab[TokenKey(t)] = id }
        return vocab
    }

    /// Each token's merge rank: the position of its score among the distinct scores in descending order.
    ///
    /// Equal scores share a rank, so the leftmost pair wins, as in llama.cpp's bigram queue. NaN scores have none.
    static func scoreRanks(_ scores: [Float]) -> [Int32?] {
        let order = scores.indices.filter { !scores[$0].isNaN }.sorted { scores[$0] > scores[$1] }
        var ranks = [Int32?](repeating: nil, count: scores.count)
        var rank: Int32 = -1
        var previous = Float.nan
        for id in order {
            if scores[id] != previous { rank += 1 }
            previous = scores[id]
            ranks[id] = rank
        }
        return ranks
    }

    private func specials(bos: Int?, eos: Int?) -> PostProcessor {
        var items: [PostProcessor.Item] = []
        if let bos { items.append(.special([bos])) }
        items.append(.sequence)
        if let eos { items.append(.special([eos])) }
        return .template(items)
    }

    private func sentencePiece(path: String?) throws -> any Tokenizer {
        guard let scores else {
            throw DriftError(.corruptFile, "a llama (SentencePiece) tokenizer needs tokenizer.ggml.scores", path: path)
        }
        let vocab = vocabulary()
        let ranks = Self.scoreRanks(scores)
        // Every split of a token into two tokens is a merge making it; the pieces are looked up as byte ranges
        // (262,144 tokens of Gemma have ~1.6 million splits: no String per piece).
        let index = TokenByteIndex(tokens)
        var merges: [UInt64: BPEModel.Merge] = [:]
        merges.reserveCapacity(2 * tokens.count)
        index.bytes.withUnsafeBufferPointer { bytes in
            // The lowest id making a pair wins: ids are visited from the last, each overwriting (one token's splits
            // are distinct pairs).
            for id in tokens.indices.reversed() {
                let whole = index.range(of: id)
                // Only the first id of a duplicated token string forms merges.
                guard whole.count > 1, let rank = ranks[id], index.firstID(spelling: whole) == id else { continue }
                // Splits at scalar boundaries: never before a UTF-8 continuation byte.
                for cut in (whole.lowerBound + 1)..<whole.upperBound where bytes[cut] & 0xC0 != 0x80 {
                    guard let left = index.firstID(spelling: whole.lowerBound..<cut),
                        let right = index.firstID(spelling: cut..<whole.upperBound)
                    else { continue }
                    merges[BPEModel.key(Int32(left), Int32(right))] = BPEModel.Merge(rank: rank, id: Int32(id))
                }
            }
        }
        let unknown = unknownTokenID ?? (tokens.count > 0 ? 0 : nil)
        let model = BPEModel(
            vocabulary: vocab, merges: merges, unknownID: unknown, continuingSubwordPrefix: nil,
            endOfWordSuffix: nil, fuseUnknown: false, byteFallback: true, ignoreMerges: false)
        var normalizers: [Normalizer] = []
        if addSpacePrefix ?? true { normalizers.append(.prepend(["\u{2581}"])) }
        normalizers.append(.replace(.literal([" "]), ["\u{2581}"]))
        let bos = (addBOS ?? true) ? (bosTokenID ?? 1) : nil
        let eos = (addEOS ?? false) ? (eosTokenID ?? 2) : nil
        return try PipelineTokenizer(
            addedTokens: addedTokens(), normalizer: .sequence(normalizers), preTokenizer: nil,
            model: .bpe(model), postProcessor: specials(bos: bos, eos: eos),
            kindDescription: "SentencePiece BPE")
    }

    private func byteLevel(path: String?) throws -> any Tokenizer {
        // llama.cpp loads Kimi-K2 vocabularies without merges.
        guard let mergeList = merges ?? (pre == "kimi-k2" ? [] : nil) else {
            throw DriftError(.corruptFile, "a gpt2 (byte-level BPE) tokenizer needs tokenizer.ggml.merges", path: path)
        }
        let vocab = vocabulary()
        let table = try GGUFMergeTable.build(mergeList, vocabulary: vocab, path: path)
        let name = self.pre ?? "default"
        guard let pre = LlamaPreTokenizer(name: name) else {
            throw DriftError(
                .unsupported,
                "the GGUF pre-tokenizer \(DriftError.quote(name)) is not supported (llama.cpp's are: "
                    + LlamaPreTokenizer.supportedNames.joined(separator: ", ") + ")",
                path: path)
        }
        let splitter = try LlamaRegexSplitter(regexes: pre.regexes, path: path)
        var normalizers: [Normalizer] = []
        // Kept from the Hugging Face pipeline these files come from (llama.cpp itself does not compose).
        if name == "qwen2" || name == "deepseek-r1-qwen" { normalizers.append(.nfc) }
        if pre.escapeWhitespaces { normalizers.append(.replace(.literal([" "]), ["\u{2581}"])) }
        let model = BPEModel(
            vocabulary: vocab, merges: table, unknownID: nil, continuingSubwordPrefix: nil,
            endOfWordSuffix: nil, fuseUnknown: false, byteFallback: !pre.byteEncode, ignoreMerges: pre.ignoreMerges,
            wholeNewlineWords: pre.wholeNewlinePieces)
        // llama.cpp's BPE default BOS is id 11 when the file names none.
        let bos = (pre.forceBOS || (addBOS ?? pre.addBOS)) ? (bosTokenID ?? (tokens.count > 11 ? 11 : nil)) : nil
        let eos = (addEOS ?? false) ? eosTokenID : nil
        return try PipelineTokenizer(
            addedTokens: addedTokens(),
            normalizer: normalizers.isEmpty ? nil : (normalizers.count == 1 ? normalizers[0] : .sequence(normalizers)),
            preTokenizer: .llama(splitter, byteEncode: pre.byteEncode, metaspaceWords: pre.metaspaceWords),
            model: .bpe(model), postProcessor: specials(bos: bos, eos: eos),
            kindDescription: pre.byteEncode ? "byte-level BPE" : "BPE")
    }

    private func wordPiece(path: String?) throws -> any Tokenizer {
        var vocab: [TokenKey: Int] = [:]
        for (id, token) in tokens.enumerated() {
            let word: String
            if token.hasPrefix("[") && token.hasSuffix("]") {
                word = token
            } else if token.unicodeScalars.first == "\u{2581}" {
                word = String(token.unicodeScalars.dropFirst())
            } else {
                word = "##" + token
            }
            if vocab[TokenKey(word)] == nil { vocab[TokenKey(word)] = id }
        }
        guard let unknown = unknownTokenID ?? vocab[TokenKey("[UNK]")] else {
            throw DriftError(.corruptFile, "a bert tokenizer needs tokenizer.ggml.unknown_token_id", path: path)
        }
        let cls = (addBOS ?? true) ? (bosTokenID ?? vocab[TokenKey("[CLS]")]) : nil
        let sep = separatorTokenID ?? eosTokenID ?? vocab[TokenKey("[SEP]")]
        let model = WordPieceModel(
            vocabulary: vocab, unknownID: unknown, continuingSubwordPrefix: "##",
            maxInputCharsPerWord: 100)
        return try PipelineTokenizer(
            addedTokens: addedTokens(),
            normalizer: .bert(
                cleanText: true, handleChineseChars: true, stripAccents: true,
                lowercase: true),
            preTokenizer: .bert, model: .wordPiece(model), postProcessor: specials(bos: cls, eos: sep),
            kindDescription: "WordPiece")
    }
}
