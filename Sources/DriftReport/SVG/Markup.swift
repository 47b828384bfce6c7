import Foundation

/// Escaping and number formatting shared by the SVG and HTML writers.
package enum Markup {
    /// `text` safe inside XML/HTML text and double- or single-quoted attributes; characters XML 1.0 forbids
    /// (C0 controls other than tab and line feed, lone surrogates cannot occur in Swift strings) are dropped.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with at most two decimals (`12.5`, `3`, `-0.25`), locale-independent.
    package static func coordinate(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let rounded = (x * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded)
    }

    /// A value for people: `digits` significant decimals after the point (`0.123`), `–` for NaN.
    package static func number(_ x: Double, digits: Int = 3) -> String {
        guard x.isFinite else { return "–" }
        var s = String(format: "%.\(digits)f", x)
        if s.hasPrefix("-"), Double(s) == 0 { s.removeFirst() }
        return s
    }

    /// A p-value: three decimals, or `< 0.001`.
    package static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "–" }
        return p < 0.001 ? "< 0.001" : String(format: "%.3f", p)
    }

    /// Splits `text` into lines of at most about `width` characters at spaces.
    package static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
