/// Character classes used by the tokenizer pipeline, each named after the exact definition it mirrors
/// (Rust `char` methods, Oniguruma regex classes, Rust `regex` classes), so results match Hugging Face `tokenizers`.
extension Unicode.Scalar {
    /// Oniguruma/Rust `\s` and Rust `char::is_whitespace`: the Unicode `White_Space` property.
    @inline(__always) var isTokenizerWhitespace: Bool {
        if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
        return properties.isWhitespace
    }

    /// `\p{L}`: general category Lu, Ll, Lt, Lm or Lo.
    @inline(__always) var isLetter: Bool {
        if value < 0x80 { return (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `\p{N}` and Rust `char::is_numeric`: general category Nd, Nl or No.
    @inline(__always) var isNumber: Bool {
        if value < 0x80 { return value >= 0x30 && value <= 0x39 }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// `\p{M}`: general category Mn, Mc or Me.
    var isMark: Bool {
        if value < 0x80 { return false }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// General category Mn (what `BertNormalizer`'s accent stripping removes).
    var isNonspacingMark: Bool {
        value >= 0x80 && properties.generalCategory == .nonspacingMark
    }

    /// Rust `regex`'s Unicode `\w`: Alphabetic, Mark, Decimal_Number, Connector_Punctuation or Join_Control
    /// (what the `Whitespace` pre-tokenizer and `single_word` added tokens use; checked over every code point).
    var isRustRegexWordCharacter: Bool {
        if value < 0x80 { return isLetter || isNumber || value == 0x5F }
        if value == 0x200C || value == 0x200D { return true }
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// `tokenizers`' `is_bert_punc`: ASCII punctuation (symbols included) or general category P*.
    var isBertPunctuation: Bool {
        if value < 0x80 {
            return (value >= 0x21 && value <= 0x2F) || (value >= 0x3A && value <= 0x40)
                || (value >= 0x5B && value <= 0x60) || (value >= 0x7B && value <= 0x7E)
        }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// Rust `char::is_other` as `BertNormalizer` uses it: Cc, Cf, Cs, Co or Cn.
    var isOtherCategory: Bool {
        switch properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// `BertNormalizer`'s CJK ideograph ranges.
    var isChineseCharacter: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}

extension Array where Element == Unicode.Scalar {
    /// The scalars as a `String`.
    var string: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 2)
        for c in self { ByteLevelAlphabet.forEachUTF8Byte(of: c) { bytes.append($0) } }
        return String(decoding: bytes, as: UTF8.self)
    }
}
