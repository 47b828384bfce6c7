import DriftCore

/// One metadata value of a GGUF file, in the type the file stores it.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string(String)
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)
    /// An array of values of one element type (nested arrays included).
    case array(GGUFArray)

    /// The GGUF type name (`UINT8`, …, `ARRAY`), as gguf-py prints it.
    public var typeName: String {
        switch self {
        case .uint8: return "UINT8"
        case .int8: return "INT8"
        case .uint16: return "UINT16"
        case .int16: return "INT16"
        case .uint32: return "UINT32"
        case .int32: return "INT32"
        case .float32: return "FLOAT32"
        case .bool: return "BOOL"
        case .string: return "STRING"
        case .uint64: return "UINT64"
        case .int64: return "INT64"
        case .float64: return "FLOAT64"
        case .array: return "ARRAY"
        }
    }

    /// The value as an `Int` when it is an integer of any width that fits, else nil.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): return Int(v)
        case .int8(let v): return Int(v)
        case .uint16(let v): return Int(v)
        case .int16(let v): return Int(v)
        case .uint32(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return Int(exactly: v)
        case .int64(let v): return Int(v)
        default: return nil
        }
    }

    /// The value as a `Double` when it is any number (integers included), else nil.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        default: return intValue.map(Double.init)
        }
    }

    /// The string, or nil.
    public var stringValue: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    /// The boolean, or nil.
    public var boolValue: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    /// The array, or nil.
    public var arrayValue: GGUFArray? {
        if case .array(let v) = self { return v }
        return nil
    }

    /// A short human-readable rendering, one line (strings quoted and escaped as ``DriftCore/DriftError/quote(_:limit:)``
    /// does, arrays summarised as type and count).
    public var summary: String {
        switch self {
        case .string(let v): return DriftError.quote(v)
        case .bool(let v): return v ? "true" : "false"
        case .float32(let v): return "\(v)"
        case .float64(let v): return "\(v)"
        case .array(let a): return "[\(a.elementTypeName) × \(a.count)]"
        default: return intValue.map { "\($0)" } ?? "\(self)"
        }
    }
}

/// A GGUF metadata array: elements of one type, stored compactly per type.
public enum GGUFArray: Sendable, Equatable {
    case uint8([UInt8])
    case int8([Int8])
    case uint16([UInt16])
    case int16([Int16])
    case uint32([UInt32])
    case int32([Int32])
    case float32([Float])
    case bool([Bool])
    case string([String])
    case uint64([UInt64])
    case int64([Int64])
    case float64([Double])
    /// An array of arrays (each may have its own element type).
    case array([GGUFArray])

    /// The number of elements.
    public var count: Int {
        switch self {
        case .uint8(let v): return v.count
        case .int8(let v): return v.count
        case .uint16(let v): return v.count
        case .int16(let v): return v.count
        case .uint32(let v): return v.count
        case .int32(let v): return v.count
        case .float32(let v): return v.count
        case .bool(let v): return v.count
        case .string(let v): return v.count
        case .uint64(let v): return v.count
        case .int64(let v): return v.count
        case .float64(let v): return v.count
        case .array(let v): return v.count
        }
    }

    /// The element type name (`INT32`, `STRING`, …).
    public var elementTypeName: String {
        switch self {
        case .uint8: return "UINT8"
        case .int8: return "INT8"
        case .uint16: return "UINT16"
        case .int16: return "INT16"
        case .uint32: return "UINT32"
        case .int32: return "INT32"
        case .float32: return "FLOAT32"
        case .bool: return "BOOL"
        case .string: return "STRING"
        case .uint64: return "UINT64"
        case .int64: return "INT64"
        case .float64: return "FLOAT64"
        case .array: return "ARRAY"
        }
    }

    /// The strings, when this is a string array.
    public var strings: [String]? {
        if case .string(let v) = self { return v }
        return nil
    }

    /// The elements as `Int` when this is an integer array whose values all fit, else nil.
    public var ints: [Int]? {
        switch self {
        case .uint8(let v): return v.map(Int.init)
        case .int8(let v): return v.map(Int.init)
        case .uint16(let v): return v.map(Int.init)
        case .int16(let v): return v.map(Int.init)
        case .uint32(let v): return v.map(Int.init)
        case .int32(let v): return v.map(Int.init)
        case .int64(let v): return v.map(Int.init)
        case .uint64(let v):
            var out: [Int] = []
            out.reserveCapacity(v.count)
            for element in v {
                guard let exact = Int(exactly: element) else { return nil }
                out.append(exact)
            }
            return out
        default: return nil
        }
    }

    /// The elements as `Float` when this is a float32 or float64 array, else nil.
    public var floats: [Float]? {
        switch self {
        case .float32(let v): return v
        case .float64(let v): return v.map { Float($0) }
        default: return nil
        }
    }

    /// The element values, each as a ``GGUFValue`` (convenient for small arrays).
    public var values: [GGUFValue] {
        switch self {
        case .uint8(let v): return v.map { .uint8($0) }
        case .int8(let v): return v.map { .int8($0) }
        case .uint16(let v): return v.map { .uint16($0) }
        case .int16(let v): return v.map { .int16($0) }
        case .uint32(let v): return v.map { .uint32($0) }
        case .int32(let v): return v.map { .int32($0) }
        case .float32(let v): return v.map { .float32($0) }
        case .bool(let v): return v.map { .bool($0) }
        case .string(let v): return v.map { .string($0) }
        case .uint64(let v): return v.map { .uint64($0) }
        case .int64(let v): return v.map { .int64($0) }
        case .float64(let v): return v.map { .float64($0) }
        case .array(let v): return v.map { .array($0) }
        }
    }
}
