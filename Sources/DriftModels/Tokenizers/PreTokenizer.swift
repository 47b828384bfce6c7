/// One piece of text on its way to the model.
struct TextPiece: Sendable {
    /// The scalars of the piece.
    var scalars: [Unicode.Scalar]
    /// Whether the piece starts at offset 0 of the original input (what Metaspace's `prepend_scheme: first` checks).
    var atStart: Bool
}

/// How `Split`-style pre-tokenizers treat the matched delimiters (`tokenizers`' `SplitDelimiterBehavior`).
enum SplitBehavior: Sendable {
    case removed, isolated, mergedWithPrevious, mergedWithNext, contiguous
}

/// Metaspace's rule for prepending the replacement scalar.
enum PrependScheme: Sendable {
    case always, first, never
}

/// A `tokenizers` pre-tokenizer: splits a normalized segment into the pieces the model sees.
indirect enum PreTokenizer: Sendable {
    /// GPT-2's byte-level step: optional prefix space, optional GPT-2 regex split, bytes to scalars.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// Split on a pattern.
    case split(TextPattern, SplitBehavior, invert: Bool)
    /// SentencePiece's spaces as `▁`.
    case metaspace(replacement: Unicode.Scalar, prependScheme: PrependScheme, split: Bool)
    /// BERT: split on whitespace (removed) and punctuation (isolated).
    case bert
    /// `\w+|[^\w\s]+`, everything else removed.
    case whitespace
    /// Split on whitespace, removed.
    case whitespaceSplit
    /// Digits isolated one by one, or in contiguous runs.
    case digits(individual: Bool)
    /// Punctuation with a split behaviour.
    case punctuation(SplitBehavior)
    /// Pre-tokenizers in order.
    case sequence([PreTokenizer])
    /// llama.cpp's split regexes for a GGUF `tokenizer.ggml.pre`, then (when `byteEncode`) bytes to scalars;
    /// with `metaspaceWords`, pieces are also cut before each `▁` (mmBERT).
    case llama(LlamaRegexSplitter, byteEncode: Bool, metaspaceWords: Bool)

    /// Whether this pre-tokenizer maps text to GPT-2's byte-level alphabet.
    var isByteLevel: Bool {
        switch self {
        case .byteLevel: return true
        case .llama(_, let byteEncode, _): return byteEncode
        case .sequence(let items): return items.contains { $0.isByteLevel }
        default: return false
        }
    }

    /// Splits every piece; empty pieces are dropped, as `tokenizers` drops them.
    ///
    /// - Throws: `DriftError` when a `Split` regex exceeds its matching budget.
    func apply(_ pieces: [TextPiece]) throws -> [TextPiece] {
        if case .sequence(let items) = self {
            var current = pieces
            for p in items { current = try p.apply(current) }
            return current
        }
        var out: [TextPiece] = []
        out.reserveCapacity(pieces.count * 2)
        for piece in pieces { try split(piece, into: &out) }
        return out
    }

    private func split(_ piece: TextPiece, into out: inout [TextPiece]) throws {
        let s = piece.scalars
        switch self {
        case .byteLevel(let addPrefixSpace, let useRegex):
            var text = s
            if addPrefixSpace && !text.isEmpty && text[0] != " " { text.insert(" ", at: 0) }
            if useRegex {
                var i = 0
                var first = true
                while i < text.count {
                    let end = TextPattern.gpt2Match(text, at: i)
                    out.append(
                        TextPiece(
                            scalars: ByteLevelAlphabet.encode(Array(text[i..<end])),
                            atStart: piece.atStart && first))
                    first = false
                    i = end
                }
            } else if !text.isEmpty {
                out.append(TextPiece(scalars: ByteLevelAlphabet.encode(text), atStart: piece.atStart))
            }
        case .split(let pattern, let behavior, let invert):
            let matches = try pattern.matches(in: s)
            PreTokenizer.emit(piece, PreTokenizer.events(matches, count: s.count, invert: invert), behavior, &out)
        case .metaspace(let replacement, let scheme, let split):
            var text = s.map { $0 == " " ? replacement : $0 }
            if !text.isEmpty && text[0] != replacement {
                switch scheme {
                case .always: text.insert(replacement, at: 0)
                case .first: if piece.atStart { text.insert(replacement, at: 0) }
                case .never: break
                }
            }
            let replaced = TextPiece(scalars: text, atStart: piece.atStart)
            if split {
                let events = PreTokenizer.charEvents(text) { $0 == replacement }
                PreTokenizer.emit(replaced, events, .mergedWithNext, &out)
            } else if !text.isEmpty {
                out.append(replaced)
            }
        case .bert:
            var words: [TextPiece] = []
            PreTokenizer.emit(piece, PreTokenizer.charEvents(s) { $0.isTokenizerWhitespace }, .removed, &words)
            for w in words {
                PreTokenizer.emit(w, PreTokenizer.charEvents(w.scalars) { $0.isBertPunctuation }, .isolated, &out)
            }
        case .whitespace:
            // \w+|[^\w\s]+ with Rust regex's Unicode \w; the gaps (whitespace) are removed.
            var matches: [Range<Int>] = []
            var i = 0
            while i < s.count {
                let c = s[i]
                if c.isTokenizerWhitespace { i += 1; continue }
                let word = c.isRustRegexWordCharacter
                var k = i + 1
                while k < s.count
                    && (word
                        ? s[k].isRustRegexWordCharacter
                        : (!s[k].isRustRegexWordCharacter && !s[k].isTokenizerWhitespace))
                { k += 1 }
                matches.append(i..<k)
                i = k
            }
            PreTokenizer.emit(piece, PreTokenizer.events(matches, count: s.count, invert: true), .removed, &out)
        case .whitespaceSplit:
            PreTokenizer.emit(piece, PreTokenizer.charEvents(s) { $0.isTokenizerWhitespace }, .removed, &out)
        case .digits(let individual):
            PreTokenizer.emit(
                piece, PreTokenizer.charEvents(s) { $0.isNumber },
                individual ? .isolated : .contiguous, &out)
        case .punctuation(let behavior):
            PreTokenizer.emit(piece, PreTokenizer.charEvents(s) { $0.isBertPunctuation }, behavior, &out)
        case .sequence:
            out.append(contentsOf: try apply([piece]))
        case .llama(let splitter, let byteEncode, let metaspaceWords):
            var words = splitter.split(s).map { Array(s[$0]) }
            if metaspaceWords { words = words.flatMap(PreTokenizer.metaspaceWords) }
            for (k, w) in words.enumerated() {
                out.append(
                    TextPiece(scalars: byteEncode ? ByteLevelAlphabet.encode(w) : w, atStart: piece.atStart && k == 0))
            }
        }
    }

    /// mmBERT's Metaspace step in llama.cpp: a piece that is not all newlines gets a leading `▁` and is cut before
    /// every later `▁`.
    private static func metaspaceWords(_ word: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        let space: Unicode.Scalar = "\u{2581}"
        if word.allSatisfy({ $0 == "\n" }) { return [word] }
        let text = word.first == space ? word : [space] + word
        var out: [[Unicode.Scalar]] = []
        var start = 0
        for i in 1..<text.count where text[i] == space {
            out.append(Array(text[start..<i]))
            start = i
        }
        out.append(Array(text[start...]))
        return out
    }

    /// Matches and gaps covering the text, as `tokenizers`' `Pattern::find_matches` for regexes and strings.
    static func events(_ matches: [Range<Int>], count: Int, invert: Bool) -> [(Range<Int>, Bool)] {
        if count == 0 { return [(0..<0, false)] }
        var out: [(Range<Int>, Bool)] = []
        out.reserveCapacity(matches.count * 2 + 1)
        var prev = 0
        for m in matches {
            if prev != m.lowerBound { out.append((prev..<m.lowerBound, invert)) }
            out.append((m, !invert))
            prev = m.upperBound
        }
        if prev != count { out.append((prev..<count, invert)) }
        return out
    }

    /// One match per scalar satisfying `predicate`, as `tokenizers`' `Pattern` for `Fn(char) -> bool`.
    static func charEvents(_ s: [Unicode.Scalar], _ predicate: (Unicode.Scalar) -> Bool) -> [(Range<Int>, Bool)] {
        if s.isEmpty { return [(0..<0, false)] }
        var out: [(Range<Int>, Bool)] = []
        var last = 0
        for (i, c) in s.enumerated() where predicate(c) {
            if last < i { out.append((last..<i, false)) }
            out.append((i..<(i + 1), true))
            last = i + 1
        }
        if last < s.count { out.append((last..<s.count, false)) }
        return out
    }

    /// Applies a split behaviour to match/gap events and appends the non-empty pieces.
    static func emit(
        _ piece: TextPiece, _ events: [(Range<Int>, Bool)], _ behavior: SplitBehavior,
        _ out: inout [TextPiece]
    ) {
        var ranges: [Range<Int>] = []
        switch behavior {
        case .removed:
            ranges = events.filter { !$0.1 }.map { $0.0 }
        case .isolated:
            ranges = events.map { $0.0 }
        case .mergedWithPrevious:
            var previousMatch = false
            for (r, isMatch) in events {
                if isMatch && !previousMatch, let last = ranges.last {
                    ranges[ranges.count - 1] = last.lowerBound..<r.upperBound
                } else {
                    ranges.append(r)
                }
                previousMatch = isMatch
            }
        case .mergedWithNext:
            var previousMatch = false
            for (r, isMatch) in events.reversed() {
                if isMatch && !previousMatch, let last = ranges.last {
                    ranges[ranges.count - 1] = r.lowerBound..<last.upperBound
                } else {
                    ranges.append(r)
                }
                previousMatch = isMatch
            }
            ranges.reverse()
        case .contiguous:
            var previousMatch = false
            for (i, (r, isMatch)) in events.enumerated() {
                if i > 0 && isMatch == previousMatch, let last = ranges.last {
                    ranges[ranges.count - 1] = last.lowerBound..<r.upperBound
                } else {
                    ranges.append(r)
                }
                previousMatch = isMatch
            }
        }
        for r in ranges where !r.isEmpty {
            out.append(TextPiece(scalars: Array(piece.scalars[r]), atStart: piece.atStart && r.lowerBound == 0))
        }
    }
}
