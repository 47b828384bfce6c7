public import Foundation

/// An n-dimensional array as numpy stores it in a `.npy` file: a shape, an element type and C-ordered elements.
///
/// The elements are held as little-endian bytes in C (row-major) order, whatever the byte order of the file they came
/// from. Read and write files with ``init(contentsOf:)`` and ``write(to:)`` (in `NumpyArray+IO.swift`); get the values
/// with ``floatValues()``, ``doubleValues()``, ``integerValues()`` or ``matrix()``.
///
/// A 0-dimensional array (shape `[]`) holds one element; a shape with a zero anywhere holds none.
public struct NumpyArray: Sendable, Equatable {
    /// The element types this tool reads and writes.
    public enum ElementType: String, Sendable, CaseIterable {
        /// IEEE binary32, numpy `float32` (`<f4`).
        case float32
        /// IEEE binary16, numpy `float16` (`<f2`).
        case float16
        /// IEEE binary64, numpy `float64` (`<f8`).
        case float64
        /// numpy `int32` (`<i4`).
        case int32
        /// numpy `int64` (`<i8`).
        case int64
        /// numpy `uint8` (`|u1`).
        case uint8
        /// numpy `bool` (`|b1`): one byte per element, 0 or 1.
        case bool

        /// Bytes per element.
        public var byteCount: Int {
            switch self {
            case .float64, .int64: 8
            case .float32, .int32: 4
            case .float16: 2
            case .uint8, .bool: 1
            }
        }

        /// Whether the elements are floating-point numbers.
        public var isFloatingPoint: Bool {
            switch self {
            case .float16, .float32, .float64: true
            case .int32, .int64, .uint8, .bool: false
            }
        }

        /// The numpy type string of this element type in little-endian order, as `np.save` writes it (`<f4`, `|u1`).
        public var numpyDescription: String {
            switch self {
            case .float32: "<f4"
            case .float16: "<f2"
            case .float64: "<f8"
            case .int32: "<i4"
            case .int64: "<i8"
            case .uint8: "|u1"
            case .bool: "|b1"
            }
        }
    }

    /// The length of each axis; `[]` for a 0-dimensional array.
    public let shape: [Int]
    /// The type of every element.
    public let elementType: ElementType
    /// The elements in C order, each `elementType.byteCount` bytes, little-endian.
    public let bytes: Data

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The number of elements: the product of the shape (1 for a 0-dimensional array).
    public var count: Int { bytes.count / elementType.byteCount }

    /// An array over little-endian element bytes in C order.
    ///
    /// - Throws: ``DriftError`` (`.invalidArgument`) when a dimension is negative or `bytes.count` is not the shape's
    ///   element count times the element size.
    public init(shape: [Int], elementType: ElementType, littleEndianBytes bytes: Data) throws {
        guard let count = NumpyArray.elementCount(of: shape) else {
            throw DriftError(.invalidArgument, "array shape \(shape) has a negative dimension or is too large")
        }
        guard count.multipliedReportingOverflow(by: elementType.byteCount) == (bytes.count, false) else {
            throw DriftError(
                .invalidArgument,
                "array shape \(shape) of \(elementType) needs \(count) elements, the buffer holds \(bytes.count) bytes")
        }
        self.shape = shape
        self.elementType = elementType
        self.bytes = bytes
    }

    /// A `float32` array of `values` with `shape` (`values.count` must equal the shape's element count).
    ///
    /// - Throws: ``DriftError`` (`.invalidArgument`) when the counts differ.
    public init(floats values: [Float], shape: [Int]) throws {
        try self.init(floats: values, shape: shape, as: .float32)
    }

    /// An array of `shape` holding `values` converted to the floating-point type `type`.
    ///
    /// Conversion to `float16` rounds to nearest, ties to even, as numpy's `astype(np.float16)` does; values beyond
    /// ±65504 become infinities.
    /// - Throws: ``DriftError`` (`.invalidArgument`) when the counts differ or `type` is not floating-point.
    public init(floats values: [Float], shape: [Int], as type: ElementType) throws {
        guard type.isFloatingPoint else {
            throw DriftError(.invalidArgument, "cannot store floating-point values as \(type)")
        }
        try NumpyArray.checkCount(values.count, shape: shape)
        var data = Data(count: values.count * type.byteCount)
        data.withUnsafeMutableBytes { raw in
            switch type {
            case .float32:
                for (i, v) in values.enumerated() {
                    raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                }
            case .float16:
                for (i, v) in values.enumerated() {
                    raw.storeBytes(
                        of: HalfPrecision.float16(from: v).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                }
            case .float64:
                for (i, v) in values.enumerated() {
                    raw.storeBytes(of: Double(v).bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self)
                }
            case .int32, .int64, .uint8, .bool:
                break
            }
        }
        try self.init(shape: shape, elementType: type, littleEndianBytes: data)
    }

    /// A `float64` array of `values` with `shape`.
    ///
    /// - Throws: ``DriftError`` (`.invalidArgument`) when the counts differ.
    public init(doubles values: [Double], shape: [Int]) throws {
        try NumpyArray.checkCount(values.count, shape: shape)
        var data = Data(count: values.count * 8)
        data.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self)
            }
        }
        try self.init(shape: shape, elementType: .float64, littleEndianBytes: data)
    }

    /// An integer (or boolean) array of `shape` holding `values` as `type` (`int32`, `int64`, `uint8` or `bool`).
    ///
    /// - Throws: ``DriftError`` (`.invalidArgument`) when the counts differ, `type` is floating-point, or a value does
    ///   not fit `type` (for `bool`, values must be 0 or 1).
    public init(integers values: [Int64], shape: [Int], as type: ElementType = .int64) throws {
        guard !type.isFloatingPoint else {
            throw DriftError(.invalidArgument, "cannot store integers as \(type); convert them to Float first")
        }
        try NumpyArray.checkCount(values.count, shape: shape)
        var data = Data(count: values.count * type.byteCount)
        var unfit: Int64?
        data.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                switch type {
                case .int64:
                    raw.storeBytes(of: v.littleEndian, toByteOffset: 8 * i, as: Int64.self)
                case .int32:
                    guard let narrow = Int32(exactly: v) else { unfit = v; return }
                    raw.storeBytes(of: narrow.littleEndian, toByteOffset: 4 * i, as: Int32.self)
                case .uint8:
                    guard let narrow = UInt8(exactly: v) else { unfit = v; return }
                    raw.storeBytes(of: narrow, toByteOffset: i, as: UInt8.self)
                case .bool:
                    guard v == 0 || v == 1 else { unfit = v; return }
                    raw.storeBytes(of: UInt8(v), toByteOffset: i, as: UInt8.self)
                case .float16, .float32, .float64:
                    return
                }
            }
        }
        if let unfit { throw DriftError(.invalidArgument, "value \(unfit) does not fit \(type)") }
        try self.init(shape: shape, elementType: type, littleEndianBytes: data)
    }

    /// An `int32` array of `values` with `shape`.
    ///
    /// - Throws: ``DriftError`` (`.invalidArgument`) when the counts differ.
    public init(int32s values: [Int32], shape: [Int]) throws {
        try self.init(integers: values.map(Int64.init), shape: shape, as: .int32)
    }

    /// A `float32` array of shape `[rows, columns]` holding the matrix.
    public init(matrix: Matrix) {
        var data = Data(count: matrix.storage.count * 4)
        data.withUnsafeMutableBytes { raw in
            #if _endian(little)
                matrix.storage.withUnsafeBytes { source in raw.copyMemory(from: source) }
            #else
                for (i, v) in matrix.storage.enumerated() {
                    raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                }
            #endif
        }
        self.shape = [matrix.rows, matrix.columns]
        self.elementType = .float32
        self.bytes = data
    }

    /// The elements in C order converted to `Float` (exact from `float16`/`float32`; `float64` and large integers
    /// round to nearest as numpy's `astype(np.float32)`; booleans become 0 and 1).
    public func floatValues() -> [Float] {
        let n = count
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            bytes.withUnsafeBytes { raw in
                switch elementType {
                case .float32:
                    #if _endian(little)
                        if n > 0 { UnsafeMutableRawBufferPointer(out).copyMemory(from: raw) }
                    #else
                        for i in 0..<n { out[i] = Float(bitPattern: Self.element(raw, i, as: UInt32.self)) }
                    #endif
                case .float16:
                    for i in 0..<n { out[i] = HalfPrecision.float(fromFloat16: Self.element(raw, i, as: UInt16.self)) }
                case .float64:
                    for i in 0..<n { out[i] = Float(Double(bitPattern: Self.element(raw, i, as: UInt64.self))) }
                case .int32:
                    for i in 0..<n { out[i] = Float(Self.element(raw, i, as: Int32.self)) }
                case .int64:
                    for i in 0..<n { out[i] = Float(Self.element(raw, i, as: Int64.self)) }
                case .uint8, .bool:
                    for i in 0..<n { out[i] = Float(raw[i]) }
                }
            }
            initialized = n
        }
    }

    /// The elements in C order converted to `Double` (exact for every element type).
    public func doubleValues() -> [Double] {
        let n = count
        return [Double](unsafeUninitializedCapacity: n) { out, initialized in
            bytes.withUnsafeBytes { raw in
                switch elementType {
                case .float64:
                    for i in 0..<n { out[i] = Double(bitPattern: Self.element(raw, i, as: UInt64.self)) }
                case .float32:
                    for i in 0..<n { out[i] = Double(Float(bitPattern: Self.element(raw, i, as: UInt32.self))) }
                case .float16:
                    for i in 0..<n {
                        out[i] = Double(HalfPrecision.float(fromFloat16: Self.element(raw, i, as: UInt16.self)))
                    }
                case .int32:
                    for i in 0..<n { out[i] = Double(Self.element(raw, i, as: Int32.self)) }
                case .int64:
                    for i in 0..<n { out[i] = Double(Self.element(raw, i, as: Int64.self)) }
                case .uint8, .bool:
                    for i in 0..<n { out[i] = Double(raw[i]) }
                }
            }
            initialized = n
        }
    }

    /// The elements in C order as integers, for the integer and boolean element types.
    ///
    /// - Throws: ``DriftError`` (`.unsupported`) when the elements are floating-point.
    public func integerValues() throws -> [Int64] {
        guard !elementType.isFloatingPoint else {
            throw DriftError(.unsupported, "the array holds \(elementType) values, not integers")
        }
        let n = count
        return [Int64](unsafeUninitializedCapacity: n) { out, initialized in
            bytes.withUnsafeBytes { raw in
                switch elementType {
                case .int64:
                    for i in 0..<n { out[i] = Self.element(raw, i, as: Int64.self) }
                case .int32:
                    for i in 0..<n { out[i] = Int64(Self.element(raw, i, as: Int32.self)) }
                case .uint8, .bool, .float16, .float32, .float64:
                    for i in 0..<n { out[i] = Int64(raw[i]) }
                }
            }
            initialized = n
        }
    }

    /// Element `index` of little-endian elements of type `T`.
    @inline(__always)
    private static func element<T: FixedWidthInteger>(_ raw: UnsafeRawBufferPointer, _ index: Int, as: T.Type) -> T {
        T(littleEndian: raw.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
    }

    /// The array as a `rows × columns` matrix of `Float` (see ``floatValues()`` for the conversion).
    ///
    /// - Throws: ``DriftError`` (`.invalidArgument`) when the array is not 2-dimensional.
    public func matrix() throws -> Matrix {
        guard rank == 2 else {
            throw DriftError(
                .invalidArgument, "expected a 2-dimensional array, found shape \(NumpyArray.describe(shape))")
        }
        return Matrix(rows: shape[0], columns: shape[1], storage: floatValues())
    }

    /// The number of elements of `shape`, or nil when a dimension is negative or the product overflows.
    package static func elementCount(of shape: [Int]) -> Int? {
        var product = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            product = next
        }
        return product
    }

    /// A shape as Python writes a tuple: `()`, `(5,)`, `(2, 3)`.
    package static func describe(_ shape: [Int]) -> String {
        switch shape.count {
        case 0: "()"
        case 1: "(\(shape[0]),)"
        default: "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
    }

    static func checkCount(_ count: Int, shape: [Int]) throws {
        guard let expected = elementCount(of: shape), expected == count else {
            throw DriftError(.invalidArgument, "\(count) values do not fill an array of shape \(describe(shape))")
        }
    }
}
