/// The hand-written scanners llama.cpp runs instead of a regex for some of its split patterns
/// (`unicode_regex_split_custom_*` in `unicode.cpp`), reproduced with their quirks.
///
/// Each scans one piece (`range` of `text`) and appends the pieces it cuts it into, the text between matches
/// included, empty ones left out.
enum LlamaScanners {
    /// Collects cut points the way llama.cpp's `_add_token` does: each cut closes the piece since the previous one.
    private struct Cutter {
        var previous: Int
        var out: [Range<Int>]

        mutating func cut(_ end: Int) {
            if end > previous { out.append(previous..<end) }
            previous = end
        }
    }

    @inline(__always) private static func isNumber(_ c: Unicode.Scalar) -> Bool { c.llamaCategory == .number }
    @inline(__always) private static func isLetter(_ c: Unicode.Scalar) -> Bool { c.llamaCategory == .letter }
    @inline(__always) private static func isBreak(_ c: Unicode.Scalar) -> Bool { c == "\r" || c == "\n" }

    /// The end of `'s|'t|'re|'ve|'m|'ll|'d` at `i` (lowercased first when `caseInsensitive`), or nil.
    private static func contraction(
        _ s: [Unicode.Scalar], at i: Int, end: Int, caseInsensitive: Bool
    ) -> Int? {
        guard s[i] == "'", i + 1 < end else { return nil }
        let a = caseInsensitive ? s[i + 1].llamaLowercase : s[i + 1]
        if a == "s" || a == "t" || a == "m" || a == "d" { return i + 2 }
        guard i + 2 < end else { return nil }
        let b = caseInsensitive ? s[i + 2].llamaLowercase : s[i + 2]
        if (a == "r" && b == "e") || (a == "v" && b == "e") || (a == "l" && b == "l") { return i + 3 }
        return nil
    }

    /// Whitespace at `pos`: through the last line break of the run when it has one, else `\s+(?!\S)|\s+`;
    /// a single scalar when there is no whitespace (llama.cpp's "no match").
    private static func whitespace(_ s: [Unicode.Scalar], at pos: Int, end: Int, lineBreaks: Bool) -> Int {
        var n = 0
        var lastBreak = -1
        while pos + n < end && s[pos + n].isTokenizerWhitespace {
            if lineBreaks && isBreak(s[pos + n]) { lastBreak = pos + n + 1 }
            n += 1
        }
        if lastBreak >= 0 { return lastBreak }
        if n > 1 && pos + n < end { return pos + n - 1 }
        return n > 0 ? pos + n : pos + 1
    }

    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    static func gpt2(_ s: [Unicode.Scalar], _ range: Range<Int>, into out: inout [Range<Int>]) {
        let end = range.upperBound
        var cutter = Cutter(previous: range.lowerBound, out: [])
        var pos = range.lowerBound
        while pos < end {
            if let e = contraction(s, at: pos, end: end, caseInsensitive: false) {
                pos = e
                cutter.cut(pos)
                continue
            }
            let p2 = s[pos] == " " ? pos + 1 : pos
            if p2 < end {
                let category = s[p2].llamaCategory
                let white = s[p2].isTokenizerWhitespace
                if category == .letter || category == .number {
                    pos = p2 + 1
                    while pos < end && s[pos].llamaCategory == category { pos += 1 }
                    cutter.cut(pos)
                    continue
                }
                if !white {
                    pos = p2 + 1
                    while pos < end && isOther(s[pos], marks: false) { pos += 1 }
                    cutter.cut(pos)
                    continue
                }
            }
            pos = whitespace(s, at: pos, end: end, lineBreaks: false)
            cutter.cut(pos)
        }
        out.append(contentsOf: cutter.out)
    }

    @inline(__always) private static func isOther(_ c: Unicode.Scalar, marks: Bool) -> Bool {
        if c.isTokenizerWhitespace { return false }
        switch c.llamaCategory {
        case .letter, .number: return false
        case .mark: return !marks
        default: return true
        }
    }

    /// The common tail of the cl100k-style scanners at `pos`: `\p{N}{1,maxDigits}` runs, ` ?[^\s\p{L}\p{N}]+[\r\n]*`,
    /// then whitespace as Llama 3 splits it; cuts what it consumed and returns the next position.
    private static func numbersPunctuationOrWhitespace(
        _ s: [Unicode.Scalar], at start: Int, end: Int, maxDigits: Int, marks: Bool, _ cutter: inout Cutter
    ) -> Int {
        var pos = start
        let c = s[pos]
        if isNumber(c) {
            var first = pos
            while pos < end && isNumber(s[pos]) {
                pos += 1
                if pos - first >= maxDigits {
                    cutter.cut(pos)
                    first = pos
                }
            }
            cutter.cut(pos)
            return pos
        }
        let p2 = c == " " ? pos + 1 : pos
        if p2 < end && isOther(s[p2], marks: marks) {
            pos = p2 + 1
            while pos < end && isOther(s[pos], marks: marks) { pos += 1 }
            while pos < end && isBreak(s[pos]) { pos += 1 }
            cutter.cut(pos)
            return pos
        }
        pos = whitespace(s, at: pos, end: end, lineBreaks: true)
        cutter.cut(pos)
        return pos
    }

    /// Llama 3 (`maxDigits` 3), Qwen2 (1) and Qwen3.5 (1, `marks`: letter runs take marks):
    /// `(?i:'s|…)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,n}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    static func cl100k(
        _ s: [Unicode.Scalar], _ range: Range<Int>, maxDigits: Int, marks: Bool, into out: inout [Range<Int>]
    ) {
        let end = range.upperBound
        var cutter = Cutter(previous: range.lowerBound, out: [])
        var pos = range.lowerBound
        func isWord(_ c: Unicode.Scalar) -> Bool {
            let k = c.llamaCategory
            return k == .letter || (marks && k == .mark)
        }
        while pos < end {
            let c = s[pos]
            if let e = contraction(s, at: pos, end: end, caseInsensitive: true) {
                pos = e
                cutter.cut(pos)
                continue
            }
            if !isBreak(c) && !isNumber(c) && (isWord(c) || (pos + 1 < end && isWord(s[pos + 1]))) {
                pos += 1
                while pos < end && isWord(s[pos]) { pos += 1 }
                cutter.cut(pos)
                continue
            }
            pos = numbersPunctuationOrWhitespace(s, at: pos, end: end, maxDigits: maxDigits, marks: marks, &cutter)
        }
        out.append(contentsOf: cutter.out)
    }

    /// Kimi-K2: Han runs apart, then letter runs (Han excluded) with an optional leading non-letter and a trailing
    /// contraction, `\p{N}{1,3}`, punctuation runs and whitespace as Llama 3.
    static func kimiK2(_ s: [Unicode.Scalar], _ range: Range<Int>, into out: inout [Range<Int>]) {
        let end = range.upperBound
        var cutter = Cutter(previous: range.lowerBound, out: [])
        var pos = range.lowerBound
        func plainLetter(_ p: Int) -> Bool { p < end && isLetter(s[p]) && !s[p].isLlamaHan }
        while pos < end {
            let c = s[pos]
            if c.isLlamaHan {
                while pos < end && s[pos].isLlamaHan { pos += 1 }
                cutter.cut(pos)
                continue
            }
            let leading = !(isBreak(c) || isLetter(c) || isNumber(c))
            if plainLetter(pos) || (leading && plainLetter(pos + 1)) {
                if leading { pos += 1 }
                while plainLetter(pos) { pos += 1 }
                if pos < end, let e = contraction(s, at: pos, end: end, caseInsensitive: true) { pos = e }
                cutter.cut(pos)
                continue
            }
            pos = numbersPunctuationOrWhitespace(s, at: pos, end: end, maxDigits: 3, marks: false, &cutter)
        }
        out.append(contentsOf: cutter.out)
    }

    /// AFMoE's digits (also Tiny Aya's): a run of digits is cut into a leading group of `count % 3` and groups of
    /// three; the text before the run stays joined to the first group, as llama.cpp's scanner leaves it.
    static func digitGroups(_ s: [Unicode.Scalar], _ range: Range<Int>, into out: inout [Range<Int>]) {
        let end = range.upperBound
        var cutter = Cutter(previous: range.lowerBound, out: [])
        var pos = range.lowerBound
        while pos < end {
            guard isNumber(s[pos]) else {
                pos += 1
                continue
            }
            let start = pos
            while pos < end && isNumber(s[pos]) { pos += 1 }
            let count = pos - start
            var current = start
            if count % 3 > 0 {
                current += count % 3
                cutter.cut(current)
            }
            while current < pos {
                current += 3
                cutter.cut(current)
            }
        }
        cutter.cut(end)
        out.append(contentsOf: cutter.out)
    }

    /// `[^\n]+|[\n]+`: runs of newlines and runs of everything else.
    static func newlineRuns(_ s: [Unicode.Scalar], _ range: Range<Int>, into out: inout [Range<Int>]) {
        var pos = range.lowerBound
        while pos < range.upperBound {
            let newline = s[pos] == "\n"
            let start = pos
            while pos < range.upperBound && (s[pos] == "\n") == newline { pos += 1 }
            out.append(start..<pos)
        }
    }
}
