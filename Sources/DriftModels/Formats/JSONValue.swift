import DriftCore
public import Foundation

/// A parsed JSON value that keeps integers, floating-point numbers and booleans apart.
///
/// Used for headers and configuration files, where a field a typed reader does not know must stay accessible.
public enum JSONValue: Sendable, Equatable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int`.
    case integer(Int)
    /// Any other number.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The deepest nesting of arrays and objects ``parse(_:path:what:)`` accepts.
    ///
    /// Decoding a value tries each case in turn, and every failed try builds an error carrying the coding path, so
    /// the time grows faster than the depth (a 4 KB header nested 400 deep took 1.6 s of CPU in the fuzzing build):
    /// the depth is bounded first, in one pass. Headers, configurations and tokenizer files nest a few levels.
    public static let maximumDepth = 64

    /// Parses `data` as JSON.
    ///
    /// - Throws: ``DriftCore/DriftError`` of kind `.corruptFile` naming `path` when it is not valid JSON or nests
    ///   arrays and objects deeper than ``maximumDepth``.
    public static func parse(_ data: Data, path: String?, what: String = "file") throws -> JSONValue {
        if nestsDeeper(than: maximumDepth, data) {
            throw DriftError(
                .corruptFile, "corrupt \(what): arrays and objects nested more than \(maximumDepth) levels deep",
                path: path)
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw DriftError(.corruptFile, "corrupt \(what): not valid JSON", path: path)
        }
    }

    /// Whether `data` nests arrays and objects deeper than `limit` levels.
    ///
    /// One pass over the bytes; brackets inside strings do not count. Invalid JSON is left to the decoder.
    static func nestsDeeper(than limit: Int, _ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var depth = 0
            var inString = false
            var escaped = false
            for byte in bytes {
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    if depth > limit { return true }
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                default: break
                }
            }
            return false
        }
    }

    /// Reads and parses the JSON file at `path`.
    ///
    /// - Throws: ``DriftCore/DriftError`` when the file is missing, unreadable or not JSON.
    public static func read(path: String) throws -> JSONValue {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DriftError(.missing, "no such file", path: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DriftError(.io, "cannot read file", path: path)
        }
        return try parse(data, path: path)
    }

    /// The value for `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The object's entries, or nil.
    public var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The array's elements, or nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The string, or nil.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The boolean, or nil.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The integer, also from a floating-point number that is exactly one (`4096.0`), or nil.
    public var intValue: Int? {
        switch self {
        case .integer(let value): return value
        case .number(let value): return Int(exactly: value)
        default: return nil
        }
    }

    /// The number as a `Double` (integers included), or nil.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// Whether this is `null`.
    public var isNull: Bool { self == .null }

    /// Compact JSON text of the value.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .string(let value): return "\"\(value)\""
        case .array(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .object(let object):
            return "{"
                + object.keys.sorted().map { "\"\($0)\": \(object[$0]?.description ?? "null")" }.joined(separator: ", ")
                + "}"
        }
    }
}
