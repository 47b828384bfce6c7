import DriftCore
import Foundation

/// One of llama.cpp's split regexes that has no custom scanner, run as llama.cpp runs it with `std::regex`.
///
/// A regex that uses `\p{N}`, `\p{L}`, `\p{P}`, `\p{M}`, `\p{S}` (or `\p{Lu}`…`\p{Lo}`, all letters to llama.cpp)
/// runs on the *collapsed* text, where every non-ASCII scalar is replaced by its category's stand-in
/// (``Unicode/Scalar/llamaCollapsed``) and each class by its stand-in plus its ASCII members; so case classes and
/// lookaheads see any non-ASCII letter as both upper and lower case, as llama.cpp does. Any other regex runs on the
/// scalars, non-ASCII whitespace replaced by a vertical tab. ECMAScript's `\s`, `\S`, `\d` and `$` are spelled out
/// for ICU, which otherwise gives them other meanings.
///
/// `@unchecked Sendable`: `NSRegularExpression` is immutable after creation and documented thread-safe for matching.
final class LlamaRegex: @unchecked Sendable {
    /// The regex as llama.cpp spells it.
    let source: String
    /// Whether the regex runs on the collapsed text.
    let collapsed: Bool
    private let regex: NSRegularExpression

    private static let categoryClasses: [String: String] = [
        "N": #"\x{D1}0-9"#,
        "L": #"\x{D2}A-Za-z"#,
        "P": #"\x{D3}!-#%-*,-/:-;?-@\[-\]_\{\}"#,
        "M": #"\x{D4}"#,
        "S": #"\x{D5}\$\+<->\^`\|\~"#,
        "Lu": #"\x{D2}A-Za-z"#, "Ll": #"\x{D2}A-Za-z"#, "Lt": #"\x{D2}A-Za-z"#, "Lm": #"\x{D2}A-Za-z"#,
        "Lo": #"\x{D2}A-Za-z"#,
    ]
    private static let space = #"\t\n\x{0B}\f\r\x{20}"#

    /// Compiles `source` as llama.cpp would run it.
    /// - Throws: `DriftError` when ICU cannot compile the translated regex, or when llama.cpp would refuse it
    ///   (category classes together with non-ASCII characters).
    init(_ source: String, path: String?) throws {
        self.source = source
        let usesCategories = LlamaRegex.categoryClasses.keys.contains { source.contains("\\p{\($0)}") }
        collapsed = usesCategories
        if usesCategories && source.unicodeScalars.contains(where: { $0.value >= 0x80 }) {
            throw DriftError(
                .unsupported, "llama.cpp cannot run the regex \(source) (categories with non-ASCII characters)",
                path: path)
        }
        let translated = LlamaRegex.translate(source, collapsed: usesCategories)
        do {
            regex = try NSRegularExpression(pattern: translated, options: [])
        } catch {
            throw DriftError(.unsupported, "the regex pattern \(source) cannot be compiled: \(error)", path: path)
        }
    }

    /// The ICU spelling of a llama.cpp regex.
    static func translate(_ source: String, collapsed: Bool) -> String {
        let s = Array(source.unicodeScalars)
        var out = ""
        var inside = false
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "\\" && i + 1 < s.count {
                let e = s[i + 1]
                if e == "p" && collapsed && i + 2 < s.count && s[i + 2] == "{",
                    let close = s[(i + 3)...].firstIndex(of: "}")
                {
                    let name = String(String.UnicodeScalarView(s[(i + 3)..<close]))
                    if let members = categoryClasses[name] {
                        out += inside ? members : "[" + members + "]"
                        i = close + 1
                        continue
                    }
                }
                switch e {
                case "s": out += inside ? space : "[" + space + "]"
                case "S" where !inside: out += "[^" + space + "]"
                case "d": out += inside ? "0-9" : "[0-9]"
                default:
                    out.unicodeScalars.append(c)
                    out.unicodeScalars.append(e)
                }
                i += 2
                continue
            }
            if c == "[" && !inside {
                inside = true
            } else if c == "]" && inside {
                inside = false
            } else if c == "$" && !inside {
                out += #"\z"#
                i += 1
                continue
            }
            out.unicodeScalars.append(c)
            i += 1
        }
        return out
    }

    /// The matches inside `range` of `text` (already collapsed or whitespace-mapped as ``collapsed`` says), in
    /// scalar indices; the regex sees `range` as its whole input, as llama.cpp runs it on each piece.
    func matches(in text: [Unicode.Scalar], range: Range<Int>) -> [Range<Int>] {
        // Only the piece is converted, so a text cut into many pieces costs its length once, not once per piece.
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text[range])
        let piece = String(view)
        // UTF-16 offset → scalar index inside the piece (scalars above U+FFFF take two UTF-16 units).
        var scalarAt = [Int](repeating: 0, count: range.count * 2 + 1)
        var u = 0
        for (k, c) in text[range].enumerated() {
            scalarAt[u] = k
            u += c.value > 0xFFFF ? 2 : 1
        }
        scalarAt[u] = range.count
        var out: [Range<Int>] = []
        for m in regex.matches(in: piece, options: [], range: NSRange(location: 0, length: u)) {
            guard m.range.location != NSNotFound else { continue }
            let a = scalarAt[m.range.location]
            let b = scalarAt[m.range.location + m.range.length]
            out.append((range.lowerBound + a)..<(range.lowerBound + b))
        }
        return out
    }
}
