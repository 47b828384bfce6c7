import DriftCore
import Foundation

/// A pattern that `Split`, `Replace` and the byte-level pre-tokenizer search for.
///
/// The split regexes of GPT-2, Llama 3 / cl100k and Qwen2 run on hand-written scanners that reproduce the
/// Oniguruma matches exactly; any other regex falls back to `NSRegularExpression` (ICU), whose syntax for these
/// patterns (`\p{L}`, `\s`, `(?i:…)`, lookahead) is the same.
enum TextPattern: Sendable {
    /// A literal string; every non-overlapping occurrence, left to right.
    case literal([Unicode.Scalar])
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    case gpt2
    /// The Llama 3 / cl100k family: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}|`
    /// ` ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+` (Qwen2: `maxDigits` 1).
    case cl100k(maxDigits: Int)
    /// Any other regex.
    case regex(FallbackRegex)

    static let gpt2Source = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    static let llama3Source =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2Source =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The pattern for a regex source: a scanner when the source is a known split pattern, else the fallback.
    static func regex(source: String, path: String?) throws -> TextPattern {
        switch source {
        case gpt2Source: return .gpt2
        case llama3Source: return .cl100k(maxDigits: 3)
        case qwen2Source: return .cl100k(maxDigits: 1)
        default: return .regex(try FallbackRegex(source, path: path))
        }
    }

    /// The ranges (in scalar indices) of every non-overlapping match, left to right; empty matches are dropped.
    ///
    /// - Throws: `DriftError` when a general regex exceeds its matching budget (``FallbackRegex/matches(in:)``).
    func matches(in text: [Unicode.Scalar]) throws -> [Range<Int>] {
        switch self {
        case .literal(let needle):
            return TextPattern.literalMatches(needle, in: text)
        case .gpt2:
            var out: [Range<Int>] = []
            var i = 0
            while i < text.count {
                let end = TextPattern.gpt2Match(text, at: i)
                out.append(i..<end)
                i = end
            }
            return out
        case .cl100k(let maxDigits):
            var out: [Range<Int>] = []
            var i = 0
            while i < text.count {
                let end = TextPattern.cl100kMatch(text, at: i, maxDigits: maxDigits)
                out.append(i..<end)
                i = end
            }
            return out
        case .regex(let re):
            return try re.matches(in: text)
        }
    }

    private static func literalMatches(_ needle: [Unicode.Scalar], in text: [Unicode.Scalar]) -> [Range<Int>] {
        guard let first = needle.first, needle.count <= text.count else { return [] }
        var out: [Range<Int>] = []
        var i = 0
        let last = text.count - needle.count
        while i <= last {
            if text[i] == first {
                var k = 1
                while k < needle.count && text[i + k] == needle[k] { k += 1 }
                if k == needle.count {
                    out.append(i..<(i + needle.count))
                    i += needle.count
                    continue
                }
            }
            i += 1
        }
        return out
    }

    @inline(__always) private static func lower(_ c: Unicode.Scalar) -> UInt32 {
        c.value >= 0x41 && c.value <= 0x5A ? c.value + 32 : c.value
    }

    /// The end of a contraction (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`) at `i`, or nil.
    @inline(__always) private static func contraction(_ s: [Unicode.Scalar], at i: Int, caseInsensitive: Bool) -> Int? {
        guard s[i] == "'", i + 1 < s.count else { return nil }
        let a = caseInsensitive ? lower(s[i + 1]) : s[i + 1].value
        switch a {
        case 0x73, 0x74, 0x6D, 0x64: return i + 2  // s t m d
        default: break
        }
        guard i + 2 < s.count else { return nil }
        let b = caseInsensitive ? lower(s[i + 2]) : s[i + 2].value
        // re, ve, ll
        if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) { return i + 3 }
        return nil
    }

    /// `\s+(?!\S)|\s+` at a whitespace scalar `i`.
    @inline(__always) private static func whitespaceRun(_ s: [Unicode.Scalar], at i: Int) -> Int {
        var k = i
        while k < s.count && s[k].isTokenizerWhitespace { k += 1 }
        if k == s.count || k - 1 == i { return k }
        return k - 1
    }

    @inline(__always) private static func isOther(_ c: Unicode.Scalar) -> Bool {
        !c.isTokenizerWhitespace && !c.isLetter && !c.isNumber
    }

    static func gpt2Match(_ s: [Unicode.Scalar], at i: Int) -> Int {
        if let end = contraction(s, at: i, caseInsensitive: false) { return end }
        var j = i
        if s[j] == " " && j + 1 < s.count { j += 1 }
        let c = s[j]
        if c.isLetter {
            var k = j + 1
            while k < s.count && s[k].isLetter { k += 1 }
            return k
        }
        if c.isNumber {
            var k = j + 1
            while k < s.count && s[k].isNumber { k += 1 }
            return k
        }
        if isOther(c) {
            var k = j + 1
            while k < s.count && isOther(s[k]) { k += 1 }
            return k
        }
        return whitespaceRun(s, at: i)
    }

    static func cl100kMatch(_ s: [Unicode.Scalar], at i: Int, maxDigits: Int) -> Int {
        let n = s.count
        if let end = contraction(s, at: i, caseInsensitive: true) { return end }
        let c = s[i]
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if c.isLetter {
            var k = i + 1
            while k < n && s[k].isLetter { k += 1 }
            return k
        }
        if c != "\r" && c != "\n" && !c.isNumber && i + 1 < n && s[i + 1].isLetter {
            var k = i + 2
            while k < n && s[k].isLetter { k += 1 }
            return k
        }
        // \p{N}{1,maxDigits}
        if c.isNumber {
            var k = i + 1
            while k < n && k - i < maxDigits && s[k].isNumber { k += 1 }
            return k
        }
        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        var j = i
        if c == " " && j + 1 < n { j += 1 }
        if isOther(s[j]) {
            var k = j + 1
            while k < n && isOther(s[k]) { k += 1 }
            while k < n && (s[k] == "\r" || s[k] == "\n") { k += 1 }
            return k
        }
        // \s*[\r\n]+ : the whitespace run up to and including its last line break.
        var k = i
        var lastBreak = -1
        while k < n && s[k].isTokenizerWhitespace {
            if s[k] == "\r" || s[k] == "\n" { lastBreak = k }
            k += 1
        }
        if lastBreak >= 0 { return lastBreak + 1 }
        return whitespaceRun(s, at: i)
    }
}

/// An `NSRegularExpression` over scalar arrays, with a bounded cost.
///
/// ICU matches by backtracking, so a pattern such as `(a+)+$` takes exponential time on some inputs. Every search
/// runs with a budget: ICU reports progress once per start position it gives up on and once per ~10,000 steps of a
/// match attempt, and a search that reports more than `budget(forUTF16Count:)` times, or runs longer than
/// `timeBudget(forUTF16Count:)`, stops with a one-line error naming the tokenizer file. Linear patterns stay far
/// below both (GPT-2's split regex reports 36 times and takes 0.09 s on 114,000 characters).
///
/// `@unchecked Sendable`: `NSRegularExpression` is immutable after creation and documented thread-safe for matching.
final class FallbackRegex: @unchecked Sendable {
    let source: String
    /// The file the pattern came from, named in errors.
    let path: String?
    private let regex: NSRegularExpression

    init(_ source: String, path: String?) throws {
        self.source = source
        self.path = path
        do {
            regex = try NSRegularExpression(pattern: FallbackRegex.oniguruma(source), options: [])
        } catch {
            throw DriftError(
                .unsupported,
                "the regex pattern \(DriftError.quote(source)) cannot be compiled: \(DriftError.quote("\(error)"))",
                path: path)
        }
    }

    /// Rewrites the escapes whose meaning differs between Oniguruma (what `tokenizers` uses) and ICU.
    ///
    /// Oniguruma's Unicode `\s` is White_Space (ICU's lacks U+000B and U+0085). Its `\w` is Alphabetic, Mark,
    /// Decimal_Number and Connector_Punctuation, and outside a character class also the Latin-1 ² ³ ¹ ¼ ½ ¾
    /// (measured over every code point against `tokenizers`). ICU accepts the nested sets produced here.
    static func oniguruma(_ source: String) -> String {
        let space = #"[\t\n\x{0B}\f\r\x{85}\p{Z}]"#
        let notSpace = #"[^\t\n\x{0B}\f\r\x{85}\p{Z}]"#
        let classWord = #"[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}]"#
        let classNotWord = #"[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}]"#
        let word = #"[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\x{B2}\x{B3}\x{B9}\x{BC}-\x{BE}]"#
        let notWord = #"[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\x{B2}\x{B3}\x{B9}\x{BC}-\x{BE}]"#
        var out = ""
        var escaped = false
        var classDepth = 0
        for c in source.unicodeScalars {
            if escaped {
                switch c {
                case "s": out += space
                case "S": out += notSpace
                case "w": out += classDepth > 0 ? classWord : word
                case "W": out += classDepth > 0 ? classNotWord : notWord
                default:
                    out += "\\"
                    out.unicodeScalars.append(c)
                }
                escaped = false
                continue
            }
            switch c {
            case "\\": escaped = true
            case "[": classDepth += 1
            case "]": classDepth = max(0, classDepth - 1)
            default: break
            }
            if c != "\\" { out.unicodeScalars.append(c) }
        }
        if escaped { out += "\\" }
        return out
    }

    /// The most progress reports one search may make: one per start position given up on, plus 64 ticks of about
    /// 10,000 ICU steps and one more tick per 16 UTF-16 units of input.
    static func budget(forUTF16Count count: Int) -> Int { count + 1 + 64 + count / 16 }

    /// The longest one search may run: 0.5 s plus 20 µs per UTF-16 unit (about 100 times what linear patterns take).
    static func timeBudget(forUTF16Count count: Int) -> Double { 0.5 + Double(count) * 20e-6 }

    /// The ranges (in scalar indices) of every non-overlapping match, left to right; empty matches are dropped.
    ///
    /// - Throws: `DriftError` naming the tokenizer file when the search exceeds its budget (catastrophic
    ///   backtracking).
    func matches(in text: [Unicode.Scalar]) throws -> [Range<Int>] {
        if text.isEmpty { return [] }
        let string = text.string
        let utf16 = Array(string.utf16)
        // UTF-16 offset → scalar index.
        var scalarIndex = [Int](repeating: 0, count: utf16.count + 1)
        var u = 0
        for (k, c) in text.enumerated() {
            scalarIndex[u] = k
            u += c.value > 0xFFFF ? 2 : 1
            if c.value > 0xFFFF { scalarIndex[u - 1] = k }
        }
        scalarIndex[utf16.count] = text.count
        var out: [Range<Int>] = []
        let ns = NSString(string: string)
        let budget = FallbackRegex.budget(forUTF16Count: utf16.count)
        let deadline = Date().addingTimeInterval(FallbackRegex.timeBudget(forUTF16Count: utf16.count))
        var reports = 0
        var exceeded = false
        regex.enumerateMatches(
            in: string, options: [.reportProgress], range: NSRange(location: 0, length: ns.length)
        ) { m, flags, stop in
            if let m {
                guard m.range.location != NSNotFound, m.range.length > 0 else { return }
                out.append(scalarIndex[m.range.location]..<scalarIndex[m.range.location + m.range.length])
            } else if flags.contains(.progress) {
                reports += 1
                if reports > budget || (reports & 15 == 0 && Date() > deadline) {
                    exceeded = true
                    stop.pointee = true
                }
            }
        }
        if exceeded {
            throw DriftError(
                .unsupported,
                "the regex \(DriftError.quote(source)) exceeded its matching budget on a \(text.count)-character input "
                    + "(\(DriftError.quote(text.string))); it backtracks catastrophically",
                path: path)
        }
        return out
    }
}
