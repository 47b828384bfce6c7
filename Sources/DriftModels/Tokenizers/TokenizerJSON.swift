/// A parsed JSON value that keeps object keys exactly as written (scalar for scalar, in order, duplicates kept).
///
/// `JSONSerialization` returns `[String: Any]`, whose keys compare by canonical equivalence and so can merge two
/// distinct vocabulary entries such as `"e\u{301}"` and `"é"`; tokenizer files need the exact spelling.
enum TokenizerJSON: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([TokenizerJSON])
    case object([(key: String, value: TokenizerJSON)])

    /// The first value stored under `key` in an object, else nil.
    subscript(key: String) -> TokenizerJSON? {
        guard case .object(let pairs) = self else { return nil }
        for pair in pairs where pair.key.utf8.elementsEqual(key.utf8) { return pair.value }
        return nil
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The value as an integer when it is a whole number in range.
    var intValue: Int? {
        if case .number(let d) = self, d == d.rounded(), abs(d) < 9.0e15 { return Int(d) }
        return nil
    }

    var doubleValue: Double? {
        if case .number(let d) = self { return d }
        return nil
    }

    var arrayValue: [TokenizerJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var objectValue: [(key: String, value: TokenizerJSON)]? {
        if case .object(let o) = self { return o }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Parses UTF-8 JSON text.
    ///
    /// Throws ``TokenizerJSON/ParseError`` with the byte offset of the problem.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> TokenizerJSON {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.position != bytes.count { throw ParseError(offset: parser.position, message: "text after the value") }
        return value
    }

    /// Where and why JSON text could not be parsed.
    struct ParseError: Error {
        var offset: Int
        var message: String
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count {
                let b = bytes[position]
                if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { position += 1 } else { break }
            }
        }

        func error(_ message: String) -> ParseError { ParseError(offset: position, message: message) }

        mutating func expect(_ literal: StaticString, _ value: TokenizerJSON) throws(ParseError) -> TokenizerJSON {
            let n = literal.utf8CodeUnitCount
            guard position + n <= bytes.count else { throw error("unexpected end of text") }
            let p = literal.utf8Start
            for k in 0..<n where bytes[position + k] != p[k] { throw error("invalid literal") }
            position += n
            return value
        }

        mutating func value(depth: Int) throws(ParseError) -> TokenizerJSON {
            guard depth < 256 else { throw error("nesting deeper than 256") }
            guard position < bytes.count else { throw error("unexpected end of text") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var pairs: [(key: String, value: TokenizerJSON)] = []
                skipWhitespace()
                if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(pairs)
                }
                while true {
                    skipWhitespace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                        throw error("expected a string key")
                    }
                    let key = try string()
                    skipWhitespace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                        throw error("expected ':'")
                    }
                    position += 1
                    skipWhitespace()
                    pairs.append((key, try value(depth: depth + 1)))
                    skipWhitespace()
                    guard position < bytes.count else { throw error("unexpected end of text") }
                    if bytes[position] == UInt8(ascii: ",") {
                        position += 1
                    } else if bytes[position] == UInt8(ascii: "}") {
                        position += 1
                        return .object(pairs)
                    } else {
                        throw error("expected ',' or '}'")
                    }
                }
            case UInt8(ascii: "["):
                position += 1
                var items: [TokenizerJSON] = []
                skipWhitespace()
                if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(items)
                }
                while true {
                    skipWhitespace()
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard position < bytes.count else { throw error("unexpected end of text") }
                    if bytes[position] == UInt8(ascii: ",") {
                        position += 1
                    } else if bytes[position] == UInt8(ascii: "]") {
                        position += 1
                        return .array(items)
                    } else {
                        throw error("expected ',' or ']'")
                    }
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "n"): return try expect("null", .null)
            default:
                return try number()
            }
        }

        mutating func number() throws(ParseError) -> TokenizerJSON {
            let start = position
            while position < bytes.count {
                let b = bytes[position]
                let numeric = (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2B || b == 0x2E || b == 0x65 || b == 0x45
                if !numeric { break }
                position += 1
            }
            guard position > start else { throw error("unexpected character") }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let d = Double(text) else { throw ParseError(offset: start, message: "invalid number") }
            return .number(d)
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[position]
                let d: UInt32
                switch b {
                case 0x30...0x39: d = UInt32(b - 0x30)
                case 0x41...0x46: d = UInt32(b - 0x41 + 10)
                case 0x61...0x66: d = UInt32(b - 0x61 + 10)
                default: throw error("invalid \\u escape")
                }
                v = v << 4 | d
                position += 1
            }
            return v
        }

        mutating func string() throws(ParseError) -> String {
            position += 1  // opening quote
            let start = position
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") {
                    let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    position += 1
                    return s
                }
                if b == UInt8(ascii: "\\") { break }
                position += 1
            }
            // Slow path with escapes.
            var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") {
                    position += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if b != UInt8(ascii: "\\") {
                    out.append(b)
                    position += 1
                    continue
                }
                position += 1
                guard position < bytes.count else { break }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var v = try hex4()
                    if v >= 0xD800 && v < 0xDC00, position + 6 <= bytes.count, bytes[position] == 0x5C,
                        bytes[position + 1] == UInt8(ascii: "u")
                    {
                        position += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 {
                            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            v = 0xFFFD
                        }
                    }
                    let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
                    ByteLevelAlphabet.forEachUTF8Byte(of: scalar) { out.append($0) }
                default:
                    throw error("invalid escape")
                }
            }
            throw error("unterminated string")
        }
    }
}
