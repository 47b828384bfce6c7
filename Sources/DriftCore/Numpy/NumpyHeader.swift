public import Foundation

/// The header of a `.npy` file: format version, element type, byte order, memory order, shape and data position.
///
/// The layout (numpy's `numpy.lib.format`): the magic `\x93NUMPY`, a major and a minor version byte, the header length
/// (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0), then the header: a Python dict literal
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces to a multiple of 64 bytes and
/// ended by `\n` (Latin-1 in 1.0/2.0, UTF-8 in 3.0). The elements follow directly.
public struct NumpyHeader: Sendable, Equatable {
    /// The format's major version: 1, 2 or 3 (the minor version is always 0).
    public var majorVersion: Int
    /// The element type.
    public var elementType: NumpyArray.ElementType
    /// Whether the elements are stored big-endian (`>` in the type string); they are converted on read.
    public var isBigEndian: Bool
    /// The length of each axis.
    public var shape: [Int]
    /// Where the elements start, in bytes from the beginning of the file.
    public var dataOffset: Int
    /// The number of element bytes the shape requires.
    public var dataByteCount: Int

    /// The magic bytes every `.npy` file starts with.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    /// numpy aligns the start of the data to this many bytes.
    static let alignment = 64
    /// numpy leaves room for the first axis to grow to this many digits (`GROWTH_AXIS_MAX_DIGITS`).
    static let growthAxisDigits = 21

    /// Parses and validates the header at the start of `file`, the whole content of a `.npy` file.
    ///
    /// Every length is checked against `file.count`: the header must lie inside the file and the element bytes the
    /// shape requires must be exactly the bytes after it.
    /// - Parameter path: the file's path, for error messages.
    /// - Throws: ``DriftError`` `.corruptFile` for a malformed header or a size mismatch, `.unsupported` for a valid
    ///   numpy file this tool cannot hold (Fortran order, structured or complex types, unknown versions).
    public static func parse(_ file: UnsafeRawBufferPointer, path: String?) throws -> NumpyHeader {
        func corrupt(_ message: String) -> DriftError { DriftError(.corruptFile, message, path: path) }
        guard file.count >= 8 else {
            throw corrupt("not a .npy file: only \(file.count) bytes, shorter than the 10-byte preamble")
        }
        guard file.prefix(6).elementsEqual(magic) else {
            throw corrupt("not a .npy file: the file does not start with the magic bytes \\x93NUMPY")
        }
        let major = Int(file[6])
        let minor = Int(file[7])
        guard (1...3).contains(major), minor == 0 else {
            throw DriftError(
                .unsupported, ".npy format version \(major).\(minor) is not supported (1.0, 2.0 and 3.0 are)",
                path: path)
        }
        let lengthSize = major == 1 ? 2 : 4
        guard file.count >= 8 + lengthSize else {
            throw corrupt("truncated .npy file: \(file.count) bytes end inside the header length")
        }
        let headerLength =
            major == 1
            ? Int(UInt16(file[8]) | UInt16(file[9]) << 8)
            : Int(UInt32(file[8]) | UInt32(file[9]) << 8 | UInt32(file[10]) << 16 | UInt32(file[11]) << 24)
        let headerStart = 8 + lengthSize
        guard headerLength <= file.count - headerStart else {
            throw corrupt(
                "truncated or corrupt .npy file: the header claims \(headerLength) bytes but only "
                    + "\(file.count - headerStart) follow the preamble")
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: file[headerStart..<(headerStart + headerLength)])
        let text: String
        if major == 3 {
            guard let decoded = String(validating: headerBytes, as: UTF8.self) else {
                throw corrupt("corrupt .npy header: not valid UTF-8")
            }
            text = decoded
        } else {
            text = String(headerBytes.map { Character(Unicode.Scalar($0)) })  // Latin-1
        }
        var header = try interpret(text, path: path)
        header.majorVersion = major
        header.dataOffset = headerStart + headerLength
        let available = file.count - header.dataOffset
        if available != header.dataByteCount {
            let what = available < header.dataByteCount ? "truncated .npy file" : "corrupt .npy file"
            throw corrupt(
                "\(what): shape \(DriftError.quote(NumpyArray.describe(header.shape))) of \(header.elementType) needs "
                    + "\(header.dataByteCount) bytes of data, the file holds \(available)")
        }
        return header
    }

    /// The header as `np.save` writes it for a C-ordered little-endian array of `shape` and `elementType`: version
    /// 1.0 unless the header needs more than 65,535 bytes, then 2.0; byte-for-byte numpy's output.
    public static func encoded(shape: [Int], elementType: NumpyArray.ElementType) -> Data {
        var text = "{'descr': '\(elementType.numpyDescription)', 'fortran_order': False, "
        text += "'shape': \(NumpyArray.describe(shape)), }"
        if let first = shape.first {
            text += String(repeating: " ", count: max(0, growthAxisDigits - String(first).utf8.count))
        }
        let textLength = text.utf8.count + 1  // + the final newline
        var lengthSize = 2
        var padding = alignment - (magic.count + 2 + lengthSize + textLength) % alignment
        if textLength + padding > Int(UInt16.max) {
            lengthSize = 4
            padding = alignment - (magic.count + 2 + lengthSize + textLength) % alignment
        }
        let headerLength = textLength + padding
        var data = Data(capacity: magic.count + 2 + lengthSize + headerLength)
        data.append(contentsOf: magic)
        data.append(contentsOf: [lengthSize == 2 ? 1 : 2, 0])
        for byte in 0..<lengthSize { data.append(UInt8(truncatingIfNeeded: headerLength >> (8 * byte))) }
        data.append(contentsOf: Array(text.utf8))
        data.append(contentsOf: [UInt8](repeating: 0x20, count: padding))
        data.append(0x0A)
        return data
    }

    /// Turns the header text into a header (version and data offset are filled in by the caller).
    private static func interpret(_ text: String, path: String?) throws -> NumpyHeader {
        func corrupt(_ message: String) -> DriftError {
            DriftError(.corruptFile, "corrupt .npy header: \(message)", path: path)
        }
        var parser = PythonLiteralParser(text)
        let literal: PythonLiteral
        do {
            literal = try parser.parseWhole()
        } catch {
            throw corrupt(error.message)
        }
        guard case .dict(let entries) = literal else { throw corrupt("expected a dict, found \(literal.kindName)") }
        let keys = entries.map(\.key)
        guard Set(keys) == ["descr", "fortran_order", "shape"], keys.count == 3 else {
            throw corrupt(
                "expected the keys 'descr', 'fortran_order' and 'shape', found \(DriftError.quote(keys.joined(separator: ", ")))"
            )
        }
        let values = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard case .bool(let fortranOrder)? = values["fortran_order"] else {
            throw corrupt("'fortran_order' is not True or False")
        }
        guard case .tuple(let dimensions)? = values["shape"] else { throw corrupt("'shape' is not a tuple") }
        var shape: [Int] = []
        for dimension in dimensions {
            guard case .integer(let value) = dimension, value >= 0 else {
                throw corrupt("'shape' must be a tuple of non-negative integers, found a \(dimension.kindName) in it")
            }
            shape.append(value)
        }
        let (elementType, bigEndian) = try parseDescription(values["descr"], path: path)
        if fortranOrder && shape.count > 1 {
            throw DriftError(
                .unsupported,
                "Fortran-ordered arrays are not supported; save the array with np.ascontiguousarray(a) first",
                path: path)
        }
        guard let count = NumpyArray.elementCount(of: shape),
            case (let byteCount, false) = count.multipliedReportingOverflow(by: elementType.byteCount)
        else {
            throw corrupt("shape \(DriftError.quote(NumpyArray.describe(shape))) is too large for any file")
        }
        return NumpyHeader(
            majorVersion: 0, elementType: elementType, isBigEndian: bigEndian, shape: shape, dataOffset: 0,
            dataByteCount: byteCount)
    }

    private static func parseDescription(
        _ literal: PythonLiteral?, path: String?
    ) throws -> (NumpyArray.ElementType, bigEndian: Bool) {
        guard case .string(let descr)? = literal else {
            if case .list? = literal {
                throw DriftError(.unsupported, "structured numpy arrays (record dtypes) are not supported", path: path)
            }
            throw DriftError(.corruptFile, "corrupt .npy header: 'descr' is not a string", path: path)
        }
        let supported = "float16/32/64, int32/64, uint8 and bool are"
        guard let order = descr.first, "<>|=".contains(order) else {
            throw DriftError(
                .unsupported, "numpy element type \(DriftError.quote(descr)) is not supported (\(supported))",
                path: path)
        }
        let code = descr.dropFirst()
        let types: [Substring: NumpyArray.ElementType] = [
            "f4": .float32, "f2": .float16, "f8": .float64, "i4": .int32, "i8": .int64, "u1": .uint8, "b1": .bool,
        ]
        guard let type = types[code] else {
            throw DriftError(
                .unsupported, "numpy element type \(DriftError.quote(descr)) is not supported (\(supported))",
                path: path)
        }
        #if _endian(little)
            let nativeIsBig = false
        #else
            let nativeIsBig = true
        #endif
        let big = type.byteCount > 1 && (order == ">" || (order == "=" && nativeIsBig))
        return (type, big)
    }
}
