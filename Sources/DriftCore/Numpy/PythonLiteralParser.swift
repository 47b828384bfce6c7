/// Parses the Python literals found in `.npy` headers (what numpy reads with `ast.literal_eval`): dicts with string
/// keys, tuples, lists, strings in single or double quotes, integers, `True`, `False` and `None`.
///
/// Nesting is limited so that a hostile header cannot exhaust the stack.
struct PythonLiteralParser {
    /// Why the text is not a literal, with the character offset.
    struct Failure: Error {
        var message: String
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private let maximumDepth = 32

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Parses one literal that must span the whole text (surrounding whitespace allowed).
    mutating func parseWhole() throws(Failure) -> PythonLiteral {
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard position == scalars.count else { throw failure("unexpected text after the literal") }
        return value
    }

    private mutating func parseValue(depth: Int) throws(Failure) -> PythonLiteral {
        guard depth < maximumDepth else { throw failure("nested too deeply") }
        skipWhitespace()
        guard let scalar = peek() else { throw failure("unexpected end of the header") }
        switch scalar {
        case "{": return try parseDict(depth: depth)
        case "(": return try parseParenthesised(depth: depth)
        case "[":
            position += 1
            return .list(try parseItems(until: "]", depth: depth).items)
        case "'", "\"": return .string(try parseString())
        case "-", "+", "0"..."9": return .integer(try parseInteger())
        default:
            let word = readWord()
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            case "": throw failure("unexpected character '\(scalar.escaped(asASCII: true))'")
            default: throw failure("unexpected word '\(word)'")
            }
        }
    }

    private mutating func parseDict(depth: Int) throws(Failure) -> PythonLiteral {
        position += 1  // {
        var entries: [(key: String, value: PythonLiteral)] = []
        while true {
            skipWhitespace()
            if peek() == "}" {
                position += 1
                return .dict(entries)
            }
            guard case .string(let key) = try parseValue(depth: depth + 1) else {
                throw failure("dict keys must be strings")
            }
            skipWhitespace()
            guard peek() == ":" else { throw failure("expected ':' after the key '\(key)'") }
            position += 1
            let value = try parseValue(depth: depth + 1)
            guard !entries.contains(where: { $0.key == key }) else { throw failure("the key '\(key)' appears twice") }
            entries.append((key, value))
            skipWhitespace()
            switch peek() {
            case ",": position += 1
            case "}": continue
            default: throw failure("expected ',' or '}' in the dict")
            }
        }
    }

    /// `()` and `(a,)` and `(a, b)` are tuples; `(a)` is just `a`, as in Python.
    private mutating func parseParenthesised(depth: Int) throws(Failure) -> PythonLiteral {
        position += 1  // (
        let (items, sawComma) = try parseItems(until: ")", depth: depth)
        if items.count == 1 && !sawComma { return items[0] }
        return .tuple(items)
    }

    /// Comma-separated values up to `closing`, with an optional trailing comma.
    private mutating func parseItems(
        until closing: Unicode.Scalar, depth: Int
    ) throws(Failure) -> (items: [PythonLiteral], sawComma: Bool) {
        var items: [PythonLiteral] = []
        var sawComma = false
        while true {
            skipWhitespace()
            if peek() == closing {
                position += 1
                return (items, sawComma)
            }
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if peek() == "," {
                sawComma = true
                position += 1
            } else if peek() != closing {
                throw failure("expected ',' or '\(closing)'")
            }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        let quote = scalars[position]
        position += 1
        var result = String.UnicodeScalarView()
        while let scalar = peek() {
            position += 1
            if scalar == quote { return String(result) }
            if scalar == "\n" { break }
            if scalar == "\\" {
                guard let escaped = peek() else { break }
                position += 1
                switch escaped {
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: result.append(escaped)
                }
            } else {
                result.append(scalar)
            }
        }
        throw failure("unterminated string")
    }

    private mutating func parseInteger() throws(Failure) -> Int {
        var negative = false
        if peek() == "-" || peek() == "+" {
            negative = peek() == "-"
            position += 1
        }
        var value = 0
        var digits = 0
        while let scalar = peek(), ("0"..."9").contains(scalar) {
            let digit = Int(scalar.value) - 48
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (plus, overflow2) = times.addingReportingOverflow(negative ? -digit : digit)
            guard !overflow1, !overflow2 else { throw failure("integer too large") }
            value = plus
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw failure("expected digits") }
        if peek() == "L" || peek() == "l" { position += 1 }  // Python 2 long suffix, in headers of old numpy
        return value
    }

    private mutating func readWord() -> String {
        var word = String.UnicodeScalarView()
        while let scalar = peek(), scalar.properties.isAlphabetic || scalar == "_" {
            word.append(scalar)
            position += 1
        }
        return String(word)
    }

    private mutating func skipWhitespace() {
        while let scalar = peek(), scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
            position += 1
        }
    }

    private func peek() -> Unicode.Scalar? {
        position < scalars.count ? scalars[position] : nil
    }

    private func failure(_ message: String) -> Failure {
        Failure(message: "\(message) at character \(position)")
    }
}
