extension DriftError {
    /// The most characters of an input that an error message quotes.
    public static let quoteLimit = 120

    /// An input value as an error message quotes it: in double quotes, escaped, at most `limit` characters between
    /// the quotes (escapes included).
    ///
    /// Every error message that repeats something from a file, the command line or the network goes through here,
    /// so a message stays one line of bounded length whatever the input holds: control, format and separator
    /// characters (NUL, ESC, line breaks, bidi overrides, …) become `\n`, `\t`, `\r` or `\u{1B}`; `"` and `\` are
    /// escaped; a longer value is cut and says how long it was (`"aaaa…" (5,000,000 characters)`).
    ///
    /// - Parameters:
    ///   - value: the input text.
    ///   - limit: the most characters (Unicode scalars, escapes included) to show between the quotes.
    /// - Returns: the quoted text, without line breaks or control characters.
    public static func quote(_ value: some StringProtocol, limit: Int = quoteLimit) -> String {
        var out = "\""
        var shown = 0
        var truncated = false
        for scalar in value.unicodeScalars {
            var piece = ""
            appendEscaped(scalar, to: &piece)
            let width = piece.unicodeScalars.count
            if shown + width > max(0, limit) {
                truncated = true
                break
            }
            shown += width
            out += piece
        }
        if !truncated {
            return out + "\""
        }
        let total = value.unicodeScalars.count
        return out + "…\" (\(grouped(total)) characters)"
    }

    /// Bytes (a binary key or name) as an error message quotes them: decoded as UTF-8 with invalid sequences
    /// replaced by U+FFFD, then as ``quote(_:limit:)``; a longer value says how many bytes it had.
    ///
    /// - Parameters:
    ///   - bytes: the raw bytes.
    ///   - limit: the most characters to show.
    /// - Returns: the quoted text.
    public static func quote(bytes: some Collection<UInt8>, limit: Int = quoteLimit) -> String {
        // Never decode more than needed: at most 4 bytes per shown scalar.
        let shown = bytes.prefix(max(0, limit) * 4 + 4)
        let text = String(decoding: shown, as: UTF8.self)
        var out = "\""
        var width = 0
        var count = 0
        for scalar in text.unicodeScalars {
            var piece = ""
            appendEscaped(scalar, to: &piece)
            if width + piece.unicodeScalars.count > max(0, limit) { break }
            width += piece.unicodeScalars.count
            count += 1
            out += piece
        }
        if count < text.unicodeScalars.count || shown.count < bytes.count {
            return out + "…\" (\(grouped(bytes.count)) bytes)"
        }
        return out + "\""
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, to out: inout String) {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
    }

    /// `5000000` as `5,000,000`.
    private static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
