import Foundation

/// One cell of a result table.
public enum TableValue: Sendable, Equatable {
    /// Text (quoted in CSV when needed).
    case text(String)
    /// An integer.
    case integer(Int)
    /// A real number; NaN and infinities are written as empty CSV fields and JSON `null`.
    case number(Double)

    /// The kind of a cell, as a column declares it.
    public enum Kind: Sendable, Equatable {
        /// Text.
        case text
        /// An integer.
        case integer
        /// A real number (NaN and infinities are written as empty CSV fields and JSON `null`).
        case number
    }

    /// The CSV field: RFC 4180 quoting (fields holding a comma, quote or line break; as Python's `csv`); numbers in the shortest form that reads back to the same `Double`.
    var csvField: String {
        switch self {
        case .text(let s):
            let needsQuotes = s.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            return needsQuotes ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        case .integer(let i): return String(i)
        case .number(let x): return x.isFinite ? Self.format(x) : ""
        }
    }

    /// The JSON value.
    var jsonValue: String {
        switch self {
        case .text(let s): return Self.jsonString(s)
        case .integer(let i): return String(i)
        case .number(let x): return x.isFinite ? Self.format(x) : "null"
        }
    }

    /// Shortest round-trip decimal, locale-independent (Swift's `description`), `-0` written as `0.0`.
    static func format(_ x: Double) -> String {
        x == 0 ? "0.0" : x.description
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
