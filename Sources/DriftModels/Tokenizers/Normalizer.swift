import Foundation

/// A `tokenizers` normalizer: rewrites the text of one segment before pre-tokenization.
///
/// Works on Unicode scalars (Rust `char`s), never on grapheme clusters.
indirect enum Normalizer: Sendable {
    /// Unicode normalization forms.
    case nfc, nfd, nfkc, nfkd
    /// Per-scalar full lowercase mapping (Rust `char::to_lowercase`).
    case lowercase
    /// Removes combining marks (general category M).
    case stripAccents
    /// `BertNormalizer`: control removal and whitespace folding, CJK padding, accent stripping, lowercasing.
    case bert(cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool, lowercase: Bool)
    /// Prepends a string to a non-empty segment.
    case prepend([Unicode.Scalar])
    /// Replaces every match of a pattern with `content`.
    case replace(TextPattern, [Unicode.Scalar])
    /// Strips whitespace on the left and/or right.
    case strip(left: Bool, right: Bool)
    /// Applies normalizers in order.
    case sequence([Normalizer])

    /// The normalized text.
    ///
    /// - Throws: `DriftError` when a `Replace` regex exceeds its matching budget.
    func normalize(_ text: [Unicode.Scalar]) throws -> [Unicode.Scalar] {
        switch self {
        case .nfc: return Normalizer.unicodeForm(text) { $0.precomposedStringWithCanonicalMapping }
        case .nfd: return Normalizer.unicodeForm(text) { $0.decomposedStringWithCanonicalMapping }
        case .nfkc: return Normalizer.unicodeForm(text) { $0.precomposedStringWithCompatibilityMapping }
        case .nfkd: return Normalizer.unicodeForm(text) { $0.decomposedStringWithCompatibilityMapping }
        case .lowercase: return Normalizer.lowercased(text)
        case .stripAccents: return text.filter { !$0.isMark }
        case .bert(let cleanText, let handleChinese, let stripAccents, let lowercase):
            var out = text
            if cleanText {
                out = out.compactMap { c -> Unicode.Scalar? in
                    if c.value == 0 || c.value == 0xFFFD { return nil }
                    if c.value == 0x09 || c.value == 0x0A || c.value == 0x0D { return " " }
                    if c.isOtherCategory { return nil }
                    return c.isTokenizerWhitespace ? " " : c
                }
            }
            if handleChinese && out.contains(where: { $0.isChineseCharacter }) {
                var padded: [Unicode.Scalar] = []
                padded.reserveCapacity(out.count + 8)
                for c in out {
                    if c.isChineseCharacter {
                        padded.append(" ")
                        padded.append(c)
                        padded.append(" ")
                    } else {
                        padded.append(c)
                    }
                }
                out = padded
            }
            if stripAccents {
                out = Normalizer.unicodeForm(out) { $0.decomposedStringWithCanonicalMapping }
                out.removeAll { $0.isNonspacingMark }
            }
            if lowercase { out = Normalizer.lowercased(out) }
            return out
        case .prepend(let prefix):
            return text.isEmpty ? text : prefix + text
        case .replace(let pattern, let content):
            let matches = try pattern.matches(in: text)
            if matches.isEmpty { return text }
            var out: [Unicode.Scalar] = []
            out.reserveCapacity(text.count)
            var last = 0
            for m in matches {
                out.append(contentsOf: text[last..<m.lowerBound])
                out.append(contentsOf: content)
                last = m.upperBound
            }
            out.append(contentsOf: text[last...])
            return out
        case .strip(let left, let right):
            var lo = 0
            var hi = text.count
            if left { while lo < hi && text[lo].isTokenizerWhitespace { lo += 1 } }
            if right { while hi > lo && text[hi - 1].isTokenizerWhitespace { hi -= 1 } }
            return Array(text[lo..<hi])
        case .sequence(let normalizers):
            var out = text
            for n in normalizers { out = try n.normalize(out) }
            return out
        }
    }

    private static func unicodeForm(_ text: [Unicode.Scalar], _ transform: (String) -> String) -> [Unicode.Scalar] {
        // ASCII is invariant under every normalization form.
        if text.allSatisfy({ $0.value < 0x80 }) { return text }
        return Array(transform(text.string).unicodeScalars)
    }

    private static func lowercased(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for c in text {
            if c.value < 0x80 {
                out.append(c.value >= 0x41 && c.value <= 0x5A ? Unicode.Scalar(UInt8(c.value + 32)) : c)
            } else {
                let mapped = c.properties.lowercaseMapping
                out.append(contentsOf: mapped.unicodeScalars)
            }
        }
        return out
    }
}
