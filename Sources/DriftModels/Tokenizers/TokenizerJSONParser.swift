import DriftCore
import Foundation

/// Reads the `tokenizer.json` format of Hugging Face `tokenizers` into a ``PipelineTokenizer``.
struct TokenizerJSONParser {
    let path: String?

    private func fail(_ message: String) -> DriftError {
        DriftError(.corruptFile, message, path: path)
    }

    private func unsupported(_ what: String) -> DriftError {
        DriftError(.unsupported, "\(what) is not supported", path: path)
    }

    func parse(_ data: Data) throws -> PipelineTokenizer {
        let parsed: Result<TokenizerJSON, TokenizerJSON.ParseError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            do throws(TokenizerJSON.ParseError) {
                return .success(try TokenizerJSON.parse(bytes))
            } catch {
                return .failure(error)
            }
        }
        let root: TokenizerJSON
        switch parsed {
        case .success(let value): root = value
        case .failure(let e): throw fail("the tokenizer file is not valid JSON (\(e.message) at byte \(e.offset))")
        }
        guard root.objectValue != nil else { throw fail("the tokenizer file is not a JSON object") }
        guard let modelJSON = root["model"], modelJSON.objectValue != nil else {
            throw fail("the tokenizer file has no \"model\"")
        }
        let normalizer = try nonNull(root["normalizer"]).map(parseNormalizer)
        let preTokenizer = try nonNull(root["pre_tokenizer"]).map(parsePreTokenizer)
        let addedTokens = try (root["added_tokens"]?.arrayValue ?? []).map(parseAddedToken)
        let model = try parseModel(modelJSON)
        let postProcessor = try nonNull(root["post_processor"]).map(parsePostProcessor)
        let kind: String
        switch model {
        case .bpe(let m):
            if preTokenizer?.isByteLevel == true {
                kind = "byte-level BPE"
            } else if m.byteFallback {
                kind = "SentencePiece BPE"
            } else {
                kind = "BPE"
            }
        case .wordPiece: kind = "WordPiece"
        }
        return try PipelineTokenizer(
            addedTokens: addedTokens, normalizer: normalizer, preTokenizer: preTokenizer,
            model: model, postProcessor: postProcessor, kindDescription: kind)
    }

    private func nonNull(_ value: TokenizerJSON?) -> TokenizerJSON? {
        guard let value, !value.isNull else { return nil }
        return value
    }

    // MARK: - Components

    private func type(_ json: TokenizerJSON, _ what: String) throws -> String {
        guard let t = json["type"]?.stringValue else { throw fail("a \(what) has no \"type\"") }
        return t
    }

    private func scalars(_ value: TokenizerJSON?, _ what: String) throws -> [Unicode.Scalar] {
        guard let s = value?.stringValue else { throw fail("\(what) is missing or not a string") }
        return Array(s.unicodeScalars)
    }

    private func bool(_ value: TokenizerJSON?, default fallback: Bool) -> Bool {
        value?.boolValue ?? fallback
    }

    private func pattern(_ json: TokenizerJSON?, _ what: String) throws -> TextPattern {
        guard let p = json, p.objectValue != nil else { throw fail("\(what) has no pattern") }
        if let s = p["String"]?.stringValue { return .literal(Array(s.unicodeScalars)) }
        if let r = p["Regex"]?.stringValue { return try TextPattern.regex(source: r, path: path) }
        throw fail("\(what) has a pattern that is neither String nor Regex")
    }

    private func behavior(_ value: TokenizerJSON?) throws -> SplitBehavior {
        switch value?.stringValue ?? "Isolated" {
        case "Removed": return .removed
        case "Isolated": return .isolated
        case "MergedWithPrevious": return .mergedWithPrevious
        case "MergedWithNext": return .mergedWithNext
        case "Contiguous": return .contiguous
        case let other: throw unsupported("the split behavior \(DriftError.quote(other))")
        }
    }

    func parseNormalizer(_ json: TokenizerJSON) throws -> Normalizer {
        switch try type(json, "normalizer") {
        case "NFC": return .nfc
        case "NFD": return .nfd
        case "NFKC": return .nfkc
        case "NFKD": return .nfkd
        case "Lowercase": return .lowercase
        case "StripAccents": return .stripAccents
        case "BertNormalizer":
            let lowercase = bool(json["lowercase"], default: true)
            return .bert(
                cleanText: bool(json["clean_text"], default: true),
                handleChineseChars: bool(json["handle_chinese_chars"], default: true),
                stripAccents: json["strip_accents"]?.boolValue ?? lowercase, lowercase: lowercase)
        case "Prepend": return .prepend(try scalars(json["prepend"], "Prepend's prepend"))
        case "Replace":
            return .replace(try pattern(json["pattern"], "Replace"), try scalars(json["content"], "Replace's content"))
        case "Strip":
            return .strip(
                left: bool(json["strip_left"], default: true), right: bool(json["strip_right"], default: true))
        case "Sequence":
            guard let items = json["normalizers"]?.arrayValue else { throw fail("a normalizer Sequence has no list") }
            return .sequence(try items.map(parseNormalizer))
        case let other: throw unsupported("the normalizer \(DriftError.quote(other))")
        }
    }

    func parsePreTokenizer(_ json: TokenizerJSON) throws -> PreTokenizer {
        switch try type(json, "pre-tokenizer") {
        case "ByteLevel":
            return .byteLevel(
                addPrefixSpace: bool(json["add_prefix_space"], default: true),
                useRegex: bool(json["use_regex"], default: true))
        case "Split":
            return .split(
                try pattern(json["pattern"], "Split"), try behavior(json["behavior"]),
                invert: bool(json["invert"], default: false))
        case "Metaspace":
            let replacement = try scalars(json["replacement"], "Metaspace's replacement")
            guard replacement.count == 1, let r = replacement.first else {
                throw fail("Metaspace's replacement must be one character")
            }
            var scheme: PrependScheme = bool(json["add_prefix_space"], default: true) ? .always : .never
            if let s = json["prepend_scheme"]?.stringValue {
                switch s {
                case "always": scheme = .always
                case "first": scheme = .first
                case "never": scheme = .never
                default: throw unsupported("Metaspace's prepend_scheme \(DriftError.quote(s))")
                }
            }
            return .metaspace(replacement: r, prependScheme: scheme, split: bool(json["split"], default: true))
        case "BertPreTokenizer": return .bert
        case "Whitespace": return .whitespace
        case "WhitespaceSplit": return .whitespaceSplit
        case "Digits": return .digits(individual: bool(json["individual_digits"], default: false))
        case "Punctuation": return .punctuation(try behavior(json["behavior"]))
        case "Sequence":
            guard let items = json["pretokenizers"]?.arrayValue else {
                throw fail("a pre-tokenizer Sequence has no list")
            }
            return .sequence(try items.map(parsePreTokenizer))
        case let other: throw unsupported("the pre-tokenizer \(DriftError.quote(other))")
        }
    }

    func parseAddedToken(_ json: TokenizerJSON) throws -> AddedToken {
        guard let id = json["id"]?.intValue, (0...Self.maxTokenID).contains(id),
            let content = json["content"]?.stringValue, !content.isEmpty
        else {
            throw fail("an entry of added_tokens has no id (0…\(Self.maxTokenID)) or content")
        }
        return AddedToken(
            id: id, content: Array(content.unicodeScalars), special: bool(json["special"], default: false),
            singleWord: bool(json["single_word"], default: false), lstrip: bool(json["lstrip"], default: false),
            rstrip: bool(json["rstrip"], default: false), normalized: bool(json["normalized"], default: true))
    }

    /// The largest token id accepted: the tokenizers keep ids in 32 bits.
    static let maxTokenID = Int(Int32.max)

    private func vocabulary(_ json: TokenizerJSON) throws -> [TokenKey: Int] {
        guard let raw = json["vocab"]?.objectValue else { throw fail("the model has no vocab object") }
        var vocab: [TokenKey: Int] = [:]
        vocab.reserveCapacity(raw.count)
        for (token, value) in raw {
            guard let id = value.intValue, (0...Self.maxTokenID).contains(id) else {
                throw fail("the vocab entry \(DriftError.quote(token)) has no valid id (0…\(Self.maxTokenID))")
            }
            vocab[TokenKey(token)] = id
        }
        return vocab
    }

    func parseModel(_ json: TokenizerJSON) throws -> TokenizerModel {
        let modelType = json["type"]?.stringValue ?? (json["merges"] != nil ? "BPE" : "")
        switch modelType {
        case "BPE":
            let vocab = try vocabulary(json)
            var merges: [UInt64: BPEModel.Merge] = [:]
            let prefix = json["continuing_subword_prefix"]?.stringValue
            let list = json["merges"]?.arrayValue ?? []
            merges.reserveCapacity(list.count)
            for (rank, entry) in list.enumerated() {
                let pair: [String]
                if let s = entry.stringValue {
                    pair = s.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                } else if let a = entry.arrayValue, a.count == 2, let l = a[0].stringValue, let r = a[1].stringValue {
                    pair = [l, r]
                } else {
                    throw fail("merge \(rank) is neither \"a b\" nor [\"a\", \"b\"]")
                }
                guard pair.count == 2 else { throw fail("merge \(rank) does not have two parts") }
                var right = pair[1]
                if let prefix, !prefix.isEmpty, right.utf8.starts(with: prefix.utf8) {
                    right = String(decoding: right.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
                }
                guard let a = vocab[TokenKey(pair[0])], let b = vocab[TokenKey(pair[1])],
                    let merged = vocab[TokenKey(pair[0] + right)]
                else {
                    throw fail(
                        "merge \(rank) (\(DriftError.quote(pair[0] + " " + pair[1]))) uses a token missing from the vocab"
                    )
                }
                let key = BPEModel.key(Int32(a), Int32(b))
                if merges[key] == nil { merges[key] = BPEModel.Merge(rank: Int32(rank), id: Int32(merged)) }
            }
            var unknownID: Int?
            if let unk = json["unk_token"]?.stringValue {
                guard let id = vocab[TokenKey(unk)] else {
                    throw fail("the unk_token \(DriftError.quote(unk)) is not in the vocab")
                }
                unknownID = id
            }
            if let dropout = json["dropout"]?.doubleValue, dropout > 0 { throw unsupported("BPE dropout") }
            return .bpe(
                BPEModel(
                    vocabulary: vocab, merges: merges, unknownID: unknownID,
                    continuingSubwordPrefix: prefix,
                    endOfWordSuffix: json["end_of_word_suffix"]?.stringValue,
                    fuseUnknown: bool(json["fuse_unk"], default: false),
                    byteFallback: bool(json["byte_fallback"], default: false),
                    ignoreMerges: bool(json["ignore_merges"], default: false)))
        case "WordPiece":
            let vocab = try vocabulary(json)
            let unk = json["unk_token"]?.stringValue ?? "[UNK]"
            guard let unknownID = vocab[TokenKey(unk)] else {
                throw fail("the unk_token \(DriftError.quote(unk)) is not in the vocab")
            }
            return .wordPiece(
                WordPieceModel(
                    vocabulary: vocab, unknownID: unknownID,
                    continuingSubwordPrefix: json["continuing_subword_prefix"]?.stringValue ?? "##",
                    maxInputCharsPerWord: json["max_input_chars_per_word"]?.intValue ?? 100))
        case let other: throw unsupported("the tokenizer model \(other.isEmpty ? "(none)" : DriftError.quote(other))")
        }
    }

    func parsePostProcessor(_ json: TokenizerJSON) throws -> PostProcessor {
        func tokenID(_ value: TokenizerJSON?, _ what: String) throws -> Int {
            // [token, id] pairs in BertProcessing / RobertaProcessing.
            guard let pair = value?.arrayValue, pair.count == 2, let id = pair[1].intValue else {
                throw fail("\(what) is not a [token, id] pair")
            }
            return id
        }
        switch try type(json, "post-processor") {
        case "TemplateProcessing":
            guard let single = json["single"]?.arrayValue else { throw fail("TemplateProcessing has no single") }
            let specials = json["special_tokens"]
            var items: [PostProcessor.Item] = []
            for piece in single {
                if piece["Sequence"] != nil {
                    items.append(.sequence)
                } else if let name = piece["SpecialToken"]?["id"]?.stringValue {
                    guard let ids = specials?[name]?["ids"]?.arrayValue?.compactMap(\.intValue) else {
                        throw fail(
                            "TemplateProcessing uses \(DriftError.quote(name)) without listing it in special_tokens")
                    }
                    items.append(.special(ids))
                } else {
                    throw fail("TemplateProcessing has an item that is neither Sequence nor SpecialToken")
                }
            }
            return .template(items)
        case "BertProcessing", "RobertaProcessing":
            return .surround(prefix: try tokenID(json["cls"], "cls"), suffix: try tokenID(json["sep"], "sep"))
        case "ByteLevel":
            return .identity
        case "Sequence":
            guard let items = json["processors"]?.arrayValue else {
                throw fail("a post-processor Sequence has no list")
            }
            return .sequence(try items.map(parsePostProcessor))
        case let other: throw unsupported("the post-processor \(DriftError.quote(other))")
        }
    }
}
