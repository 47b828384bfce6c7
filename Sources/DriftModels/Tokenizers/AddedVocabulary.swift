/// A token from `added_tokens`, matched in the text before the model sees it.
struct AddedToken: Sendable {
    var id: Int
    var content: [Unicode.Scalar]
    var special: Bool
    var singleWord: Bool
    var lstrip: Bool
    var rstrip: Bool
    var normalized: Bool
}

/// A segment of the input after added tokens are extracted: either an added token's id or text to tokenize.
struct Segment: Sendable {
    var text: [Unicode.Scalar]
    var tokenID: Int?
    /// Whether the segment starts at offset 0 of the original input.
    var atStart: Bool
}

/// The added tokens, matched leftmost-longest as `tokenizers`' `AddedVocabulary` does: tokens with
/// `normalized: false` in the raw text, the others in the normalized text.
struct AddedVocabulary: Sendable {
    private var rawMatcher: TokenTrie
    private var normalizedMatcher: TokenTrie
    let tokens: [AddedToken]

    init(tokens: [AddedToken], normalizer: Normalizer?) throws {
        self.tokens = tokens
        var raw = TokenTrie()
        var normalized = TokenTrie()
        for (index, token) in tokens.enumerated() {
            if token.normalized {
                let content = try normalizer?.normalize(token.content) ?? token.content
                normalized.insert(content, index: index)
            } else {
                raw.insert(token.content, index: index)
            }
        }
        rawMatcher = raw
        normalizedMatcher = normalized
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// Splits raw text on the non-normalized added tokens.
    func splitRaw(_ text: [Unicode.Scalar]) -> [Segment] {
        split(text, matcher: rawMatcher, atStart: true)
    }

    /// Splits normalized text on the normalized added tokens.
    func splitNormalized(_ text: [Unicode.Scalar], atStart: Bool) -> [Segment] {
        split(text, matcher: normalizedMatcher, atStart: atStart)
    }

    private func split(_ s: [Unicode.Scalar], matcher: TokenTrie, atStart: Bool) -> [Segment] {
        if matcher.isEmpty || s.isEmpty { return [Segment(text: s, tokenID: nil, atStart: atStart)] }
        var out: [Segment] = []
        var startOffset = 0
        var position = 0
        while position < s.count {
            guard let (matchStart, matchEnd, index) = matcher.leftmostLongest(in: s, from: position) else { break }
            position = matchEnd
            let token = tokens[index]
            var start = matchStart
            var stop = matchEnd
            if token.singleWord {
                let startSpace = start == 0 || !s[start - 1].isRustRegexWordCharacter
                let stopSpace = stop == s.count || !s[stop].isRustRegexWordCharacter
                if !startSpace || !stopSpace { continue }
            }
            if token.lstrip {
                var k = start
                while k > 0 && s[k - 1].isTokenizerWhitespace { k -= 1 }
                start = max(k, startOffset)
            }
            if token.rstrip {
                while stop < s.count && s[stop].isTokenizerWhitespace { stop += 1 }
            }
            if startOffset < start {
                out.append(
                    Segment(text: Array(s[startOffset..<start]), tokenID: nil, atStart: atStart && startOffset == 0))
            }
            out.append(Segment(text: Array(s[start..<stop]), tokenID: token.id, atStart: atStart && start == 0))
            startOffset = stop
        }
        if startOffset < s.count {
            out.append(Segment(text: Array(s[startOffset...]), tokenID: nil, atStart: atStart && startOffset == 0))
        }
        return out
    }
}

/// A trie over scalars for leftmost-longest matching of a small set of strings.
struct TokenTrie: Sendable {
    private var children: [[UInt32: Int32]] = [[:]]
    private var terminal: [Int32] = [-1]
    private var firstScalars: Set<UInt32> = []

    var isEmpty: Bool { firstScalars.isEmpty }

    mutating func insert(_ content: [Unicode.Scalar], index: Int) {
        guard let first = content.first else { return }
        firstScalars.insert(first.value)
        var node = 0
        for c in content {
            if let next = children[node][c.value] {
                node = Int(next)
            } else {
                children.append([:])
                terminal.append(-1)
                let next = Int32(children.count - 1)
                children[node][c.value] = next
                node = Int(next)
            }
        }
        if terminal[node] < 0 { terminal[node] = Int32(index) }
    }

    /// The leftmost match at or after `from`, the longest one starting there: (start, end, token index).
    func leftmostLongest(in s: [Unicode.Scalar], from: Int) -> (Int, Int, Int)? {
        var i = from
        while i < s.count {
            if firstScalars.contains(s[i].value) {
                var node = 0
                var best: (Int, Int)?
                var k = i
                while k < s.count, let next = children[node][s[k].value] {
                    node = Int(next)
                    k += 1
                    if terminal[node] >= 0 { best = (k, Int(terminal[node])) }
                }
                if let best { return (i, best.0, best.1) }
            }
            i += 1
        }
        return nil
    }
}
