/// llama.cpp's code point categories (`unicode_cpt_flags`): one per general category group.
enum LlamaCategory: Sendable {
    case undefined, number, letter, separator, mark, punctuation, symbol, control
}

extension Unicode.Scalar {
    /// The llama.cpp category of the scalar: Cn undefined, N* number, L* letter, Z* separator, M* mark,
    /// P* punctuation, S* symbol, the other C* control.
    var llamaCategory: LlamaCategory {
        if value < 0x80 {
            switch value {
            case 0x30...0x39: return .number
            case 0x41...0x5A, 0x61...0x7A: return .letter
            case 0x20: return .separator
            case 0x24, 0x2B, 0x3C...0x3E, 0x5E, 0x60, 0x7C, 0x7E: return .symbol
            case 0x21...0x7E: return .punctuation
            default: return .control
            }
        }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return .separator
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return .punctuation
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: return .symbol
        case .unassigned: return .undefined
        default: return .control
        }
    }

    /// The one-byte stand-in llama.cpp puts for a scalar in the text its category regexes run on.
    ///
    /// Non-ASCII whitespace becomes a vertical tab, the categories 0xD1…0xD5, anything else 0xD0; ASCII stays.
    var llamaCollapsed: Unicode.Scalar {
        if value < 0x80 { return self }
        if isTokenizerWhitespace { return "\u{0B}" }
        switch llamaCategory {
        case .number: return "\u{D1}"
        case .letter: return "\u{D2}"
        case .punctuation: return "\u{D3}"
        case .mark: return "\u{D4}"
        case .symbol: return "\u{D5}"
        default: return "\u{D0}"
        }
    }

    /// llama.cpp's `unicode_cpt_is_han`: the CJK ideograph blocks Kimi-K2's scanner keeps apart.
    var isLlamaHan: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B820...0x2CEAF, 0x2CEB0...0x2EBEF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }

    /// llama.cpp's `unicode_tolower`: the simple lowercase mapping.
    var llamaLowercase: Unicode.Scalar {
        if value < 0x80 { return value >= 0x41 && value <= 0x5A ? Unicode.Scalar(value + 32) ?? self : self }
        let lower = properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first ?? self : self
    }
}
