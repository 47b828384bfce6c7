import DriftCore
import Foundation

/// A GGUF file (version 2 or 3, little-endian), memory-mapped, with its header, metadata and tensor directory
/// validated against the file size before anything is allocated.
///
/// The layout follows llama.cpp's `gguf.cpp` and gguf-py: magic `GGUF`, version (u32), tensor count and metadata
/// count (u64), metadata key/value pairs, tensor infos (name, dimension count ≤ 4, `ne` innermost first, ggml type,
/// data offset), then the data section, which starts at the next multiple of `general.alignment` (default 32).
public final class GGUFFile: Sendable {
    /// The default alignment of the data section and of every tensor's data.
    public static let defaultAlignment = 32
    /// Nested metadata arrays deeper than this are rejected (a guard against malicious files).
    static let maximumArrayDepth = 16

    /// One metadata entry.
    public struct Entry: Sendable, Equatable {
        /// The key, such as `general.architecture`.
        public var key: String
        /// The value, in the type the file stores.
        public var value: GGUFValue
    }

    /// One tensor of the directory.
    public struct Tensor: Sendable, Equatable {
        /// The tensor name, such as `blk.0.attn_q.weight`.
        public var name: String
        /// Dimensions as GGUF stores them, innermost first (`ne[0]` is the contiguous row length).
        public var dimensions: [Int]
        /// The encoding.
        public var type: GGMLType
        /// Byte offset of the data from the start of the data section.
        public var offset: Int
        /// Size of the data in bytes (from the type's block size and bytes per block).
        public var byteCount: Int

        /// Dimensions outermost first, as PyTorch orders them (the reverse of ``dimensions``).
        public var shape: [Int] { dimensions.reversed() }
        /// The number of elements.
        public var elementCount: Int { dimensions.reduce(1, *) }
        /// The description shared by every tensor store.
        public var info: TensorInfo { TensorInfo(name: name, typeName: type.name, shape: shape) }
    }

    /// The path of the file.
    public let path: String
    /// The format version (2 or 3).
    public let version: Int
    /// Every metadata entry, in file order.
    public let metadata: [Entry]
    /// Every tensor, in file order.
    public let tensors: [Tensor]
    /// The alignment of the data section (`general.alignment`, default 32).
    public let alignment: Int
    /// Byte offset of the data section in the file.
    public let dataStart: Int

    let file: MappedFile
    private let metadataIndex: [String: Int]
    private let tensorIndex: [String: Int]

    /// Opens and validates the GGUF file at `path`.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file and the problem: not GGUF, unsupported version, a count or
    ///   length that the file cannot hold, an unknown type, or a tensor whose data lies outside the file.
    public init(path: String) throws {
        let file = try MappedFile(path: path)
        self.file = file
        self.path = path
        var reader = Reader(file: file)

        guard file.size >= 4 else {
            throw reader.corrupt("not a GGUF file: \(file.size) bytes, too short for the magic 'GGUF'")
        }
        let magic = try file.slice(offset: 0, count: 4)
        guard Array(magic) == Array("GGUF".utf8) else {
            let shown = magic.map { (0x20..<0x7F).contains($0) ? String(UnicodeScalar($0)) : "?" }.joined()
            throw reader.corrupt("not a GGUF file: the magic is '\(shown)', expected 'GGUF'")
        }
        reader.position = 4
        let version = try reader.read(UInt32.self, "the version")
        guard version != 1 else {
            throw DriftError(.unsupported, "GGUF version 1 is not supported (only versions 2 and 3)", path: path)
        }
        guard version & 0xFFFF != 0 else {
            throw DriftError(
                .unsupported,
                "GGUF version field \(version) looks byte-swapped: big-endian GGUF files are not supported", path: path)
        }
        guard version == 2 || version == 3 else {
            throw DriftError(.unsupported, "unsupported GGUF version \(version); supported: 2, 3", path: path)
        }
        self.version = Int(version)
        let tensorCount64 = try reader.read(UInt64.self, "the tensor count")
        let entryCount64 = try reader.read(UInt64.self, "the metadata count")
        // The smallest possible entry: key length (8) + type (4) + a 1-byte value. The smallest tensor info: name
        // length (8) + dimension count (4) + type (4) + offset (8). Counts beyond what the rest of the file could
        // hold are lies; reject them before reserving anything.
        let remaining = UInt64(file.size - reader.position)
        guard entryCount64 <= remaining / 13 else {
            throw reader.corrupt(
                "metadata count \(entryCount64) cannot be right: \(remaining) bytes remain after the header, room for at most \(remaining / 13) entries"
            )
        }
        guard tensorCount64 <= remaining / 24, entryCount64 * 13 + tensorCount64 * 24 <= remaining else {
            throw reader.corrupt(
                "tensor count \(tensorCount64) cannot be right: \(remaining) bytes remain after the header, room for at most \((remaining - entryCount64 * 13) / 24) tensor infos"
            )
        }
        let entryCount = Int(entryCount64)
        let tensorCount = Int(tensorCount64)

        // Reserve no more than a small amount up front: an entry in memory is larger than its 13-byte minimum on
        // disk, so reserving the full (validated) count could still exceed the file size.
        var metadata: [Entry] = []
        metadata.reserveCapacity(min(entryCount, 1024))
        var metadataIndex: [String: Int] = [:]
        for number in 0..<entryCount {
            let key = try reader.string("the key of metadata entry \(number)")
            guard metadataIndex[key] == nil else {
                throw reader.corrupt("duplicate metadata key \(DriftError.quote(key))")
            }
            let type = try reader.read(UInt32.self, "the type of \(DriftError.quote(key))")
            let value = try reader.value(type: type, key: key, depth: 0)
            metadataIndex[key] = metadata.count
            metadata.append(Entry(key: key, value: value))
        }
        self.metadata = metadata
        self.metadataIndex = metadataIndex

        var alignment = Self.defaultAlignment
        if let index = metadataIndex["general.alignment"] {
            let value = metadata[index].value
            guard let given = value.intValue, given > 0, given & (given - 1) == 0, given <= 1 << 30 else {
                throw reader.corrupt("general.alignment is \(value.summary); it must be a power of two")
            }
            alignment = given
        }
        self.alignment = alignment

        var tensors: [Tensor] = []
        tensors.reserveCapacity(min(tensorCount, 1024))
        var tensorIndex: [String: Int] = [:]
        for number in 0..<tensorCount {
            let tensor = try reader.tensorInfo(number: number, alignment: alignment)
            guard tensorIndex[tensor.name] == nil else {
                throw reader.corrupt("duplicate tensor name \(DriftError.quote(tensor.name))")
            }
            tensorIndex[tensor.name] = tensors.count
            tensors.append(tensor)
        }
        let padding = (alignment - reader.position % alignment) % alignment
        dataStart = reader.position + padding
        for tensor in tensors {
            guard file.contains(offset: dataStart, count: 0),
                file.contains(offset: dataStart + tensor.offset, count: tensor.byteCount)
            else {
                throw reader.corrupt(
                    "truncated: tensor \(DriftError.quote(tensor.name)) (\(tensor.type.name), \(tensor.byteCount) bytes at data offset \(tensor.offset)) runs past the end of the file (\(file.size) bytes)"
                )
            }
        }
        // Each tensor's byte size follows from its type and shape; two regions that overlap mean one of them
        // declares a shape or type its data does not have (llama.cpp rejects such files too).
        let byOffset = tensors.sorted { ($0.offset, $0.byteCount) < ($1.offset, $1.byteCount) }
        for (previous, next) in zip(byOffset, byOffset.dropFirst())
        where previous.offset + previous.byteCount > next.offset {
            throw reader.corrupt(
                "tensor \(DriftError.quote(previous.name)) (\(previous.type.name), shape \(previous.shape), \(previous.byteCount) bytes at data offset \(previous.offset)) overlaps tensor \(DriftError.quote(next.name)) at data offset \(next.offset): its byte size disagrees with its type and shape"
            )
        }
        self.tensors = tensors
        self.tensorIndex = tensorIndex
    }

    // MARK: - Metadata accessors

    /// The value stored under `key`, or nil.
    public func value(_ key: String) -> GGUFValue? {
        metadataIndex[key].map { metadata[$0].value }
    }

    /// The string stored under `key`, or nil when absent or not a string.
    public func string(_ key: String) -> String? { value(key)?.stringValue }

    /// The integer (any width) stored under `key`, or nil.
    public func integer(_ key: String) -> Int? { value(key)?.intValue }

    /// The number (float or integer) stored under `key`, or nil.
    public func number(_ key: String) -> Double? { value(key)?.doubleValue }

    /// The boolean stored under `key`, or nil.
    public func bool(_ key: String) -> Bool? { value(key)?.boolValue }

    /// The array stored under `key`, or nil.
    public func array(_ key: String) -> GGUFArray? { value(key)?.arrayValue }

    /// `general.architecture`, such as `llama` or `gemma3`, or nil.
    public var architecture: String? { string("general.architecture") }

    // MARK: - Tensors

    /// The tensor called `name`, if any.
    public func tensor(_ name: String) -> Tensor? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The raw bytes of `tensor` in the mapping (validated at open); valid while this object is alive.
    package func rawBytes(_ tensor: Tensor) -> UnsafeRawBufferPointer {
        let start = dataStart + tensor.offset
        return UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + tensor.byteCount)])
    }

    /// The values of tensor `name` as float32, row-major in ``Tensor/shape`` order; block-quantized types are
    /// dequantized as ggml does (``GGMLDequantizer``).
    ///
    /// Plain types are converted directly; block-quantized types that ``GGMLDequantizer`` supports are dequantized
    /// as ggml does.
    ///
    /// - Throws: ``DriftCore/DriftError`` when there is no such tensor or its type cannot be decoded yet.
    public func floats(_ name: String) throws -> [Float] {
        let tensor = try decodable(name)
        return try [Float](unsafeUninitializedCapacity: tensor.elementCount) { buffer, initialized in
            try decode(tensor, into: buffer)
            initialized = tensor.elementCount
        }
    }

    /// Decodes tensor `name` to float32 into `destination`, which must hold exactly its element count.
    package func copyFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let tensor = try decodable(name)
        guard destination.count == tensor.elementCount else {
            throw DriftError(
                .invalidArgument,
                "tensor '\(name)' has \(tensor.elementCount) elements, the destination holds \(destination.count)",
                path: path)
        }
        try decode(tensor, into: destination)
    }

    /// Decodes tensor `name` row by row into `destination`, stored row `r` landing in row `destinationRow(r)`.
    ///
    /// The tensor is a matrix of `rows` rows of whole blocks; the permutation is applied while decoding, without an
    /// intermediate copy, and rows are spread over every worker thread.
    ///
    /// - Parameters:
    ///   - destinationRow: a permutation of `0..<rows`, safe to call from several threads.
    /// - Throws: ``DriftCore/DriftError`` when there is no such tensor, its type cannot be decoded, its rows do not
    ///   split into whole blocks, or `destination` does not hold exactly its element count.
    package func copyRows(
        _ name: String, rows: Int, into destination: UnsafeMutableBufferPointer<Float>,
        destinationRow: (Int) -> Int
    ) throws {
        let tensor = try decodable(name)
        let columns = rows > 0 ? tensor.elementCount / rows : 0
        let blockSize = tensor.type.blockSize
        guard rows > 0, columns * rows == tensor.elementCount, blockSize > 0, columns % blockSize == 0,
            tensor.byteCount % rows == 0
        else {
            throw DriftError(
                .corruptFile,
                "tensor '\(name)' (\(tensor.elementCount) \(tensor.type.name) values) does not split into \(rows) rows of whole blocks",
                path: path)
        }
        guard destination.count == tensor.elementCount else {
            throw DriftError(
                .invalidArgument,
                "tensor '\(name)' has \(tensor.elementCount) elements, the destination holds \(destination.count)",
                path: path)
        }
        let bytes = rawBytes(tensor)
        guard let source = bytes.baseAddress, let out = destination.baseAddress else { return }
        MemoryAdvice.willNeed(bytes)
        let rowBytes = tensor.byteCount / rows
        let plain = tensor.type.plainDataType
        let kernel = plain == nil ? GGMLDequantizer.kernel(for: tensor.type) : nil
        Parallel.forEachChunk(rows, minimumChunk: max(1, FloatConversion.parallelThreshold / 2 / max(1, columns))) {
            range in
            for row in range {
                let from = source + row * rowBytes
                let to = out + destinationRow(row) * columns
                if let plain {
                    FloatConversion.convertSerially(from, type: plain, count: columns, into: to)
                } else if let kernel {
                    kernel(from, to, columns / blockSize)
                }
            }
        }
    }

    /// Drops tensor `name`'s mapped pages from the resident set once it has been converted (see
    /// ``MappedFile/releasePages(offset:count:)``); nothing when there is no such tensor.
    package func releasePages(_ name: String) {
        guard let tensor = tensor(name) else { return }
        file.releasePages(offset: dataStart + tensor.offset, count: tensor.byteCount)
    }

    private func decodable(_ name: String) throws -> Tensor {
        guard let tensor = tensor(name) else {
            throw DriftError(.missing, "no tensor named '\(name)'", path: path)
        }
        guard tensor.type.plainDataType != nil || tensor.type.canDequantize else {
            throw DriftError(
                .unsupported,
                "tensor '\(name)': type \(tensor.type.name) is not supported yet (it cannot be dequantized)",
                path: path)
        }
        return tensor
    }

    /// Values decoded between two releases of mapped pages (16 MiB of float32).
    static let decodeChunkElements = 1 << 22

    /// Decodes `tensor` in chunks of whole blocks, each chunk's mapped pages released once decoded: a large tensor
    /// (a token table) never has all its file pages and its float32 copy resident at once.
    private func decode(_ tensor: Tensor, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let bytes = rawBytes(tensor)
        guard tensor.elementCount > 0, let source = bytes.baseAddress, let out = destination.baseAddress else { return }
        MemoryAdvice.willNeed(bytes)
        let blockSize = max(1, tensor.type.blockSize)
        let blockBytes = tensor.type.bytesPerBlock
        let chunkBlocks = max(1, Self.decodeChunkElements / blockSize)
        let blockCount = tensor.elementCount / blockSize
        guard tensor.elementCount % blockSize == 0, blockCount * blockBytes == bytes.count else {
            throw DriftError(
                .corruptFile,
                "tensor '\(tensor.name)': \(tensor.elementCount) \(tensor.type.name) values do not fill \(bytes.count) bytes",
                path: path)
        }
        for first in stride(from: 0, to: blockCount, by: chunkBlocks) {
            let blocks = min(chunkBlocks, blockCount - first)
            let chunk = UnsafeRawBufferPointer(start: source + first * blockBytes, count: blocks * blockBytes)
            let into = out + first * blockSize
            if let plain = tensor.type.plainDataType {
                FloatConversion.convert(source + first * blockBytes, type: plain, count: blocks * blockSize, into: into)
            } else {
                do {
                    try GGMLDequantizer.dequantize(
                        chunk, type: tensor.type, elementCount: blocks * blockSize,
                        into: UnsafeMutableBufferPointer(start: into, count: blocks * blockSize))
                } catch let error as DriftError {
                    throw DriftError(error.kind, "tensor '\(tensor.name)': \(error.message)", path: path)
                }
            }
            MemoryAdvice.release(chunk)
        }
    }
}

/// A bounds-checked cursor over the header of a GGUF file.
private struct Reader {
    let file: MappedFile
    var position = 0

    func corrupt(_ message: String) -> DriftError {
        DriftError(.corruptFile, message, path: file.path)
    }

    private func truncated(_ what: String, needing count: Int) -> DriftError {
        corrupt(
            "truncated: the file ends inside \(what) (byte \(position), \(count) bytes needed, \(max(0, file.size - position)) remain)"
        )
    }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws -> T {
        let size = MemoryLayout<T>.size
        guard file.contains(offset: position, count: size) else { throw truncated(what, needing: size) }
        let value = T(littleEndian: file.bytes.loadUnaligned(fromByteOffset: position, as: T.self))
        position += size
        return value
    }

    mutating func string(_ what: String) throws -> String {
        let length = try read(UInt64.self, "the length of \(what)")
        let remaining = file.size - position
        guard length <= UInt64(remaining) else {
            throw corrupt(
                "the length of \(what) is \(length) bytes, past the end of the file (\(remaining) bytes remain at byte \(position))"
            )
        }
        let bytes = UnsafeRawBufferPointer(rebasing: file.bytes[position..<(position + Int(length))])
        position += Int(length)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads `count` fixed-width values after checking they fit.
    mutating func fixed<T: FixedWidthInteger>(_ type: T.Type, count: Int, _ what: String) throws -> [T] {
        let size = MemoryLayout<T>.size
        let base = file.bytes
        let start = position
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                buffer[i] = T(littleEndian: base.loadUnaligned(fromByteOffset: start + i * size, as: T.self))
            }
            initialized = count
        }
        position += count * size
        return values
    }

    mutating func value(type: UInt32, key: String, depth: Int) throws -> GGUFValue {
        let shown = DriftError.quote(key)
        let what = "the value of \(shown)"
        switch type {
        case 0: return .uint8(try read(UInt8.self, what))
        case 1: return .int8(try read(Int8.self, what))
        case 2: return .uint16(try read(UInt16.self, what))
        case 3: return .int16(try read(Int16.self, what))
        case 4: return .uint32(try read(UInt32.self, what))
        case 5: return .int32(try read(Int32.self, what))
        case 6: return .float32(Float(bitPattern: try read(UInt32.self, what)))
        case 7: return .bool(try read(UInt8.self, what) != 0)
        case 8: return .string(try string(what))
        case 9: return .array(try array(key: key, depth: depth))
        case 10: return .uint64(try read(UInt64.self, what))
        case 11: return .int64(try read(Int64.self, what))
        case 12: return .float64(Double(bitPattern: try read(UInt64.self, what)))
        default: throw corrupt("metadata \(shown) has unknown value type \(type)")
        }
    }

    mutating func array(key: String, depth: Int) throws -> GGUFArray {
        let shown = DriftError.quote(key)
        guard depth < GGUFFile.maximumArrayDepth else {
            throw corrupt("metadata \(shown) nests arrays deeper than \(GGUFFile.maximumArrayDepth) levels")
        }
        let elementType = try read(UInt32.self, "the element type of \(shown)")
        let count64 = try read(UInt64.self, "the element count of \(shown)")
        let minimumSize: Int
        switch elementType {
        case 0, 1, 7: minimumSize = 1
        case 2, 3: minimumSize = 2
        case 4, 5, 6: minimumSize = 4
        case 8, 10, 11, 12: minimumSize = 8
        case 9: minimumSize = 12
        default: throw corrupt("metadata array \(shown) has unknown element type \(elementType)")
        }
        let remaining = file.size - position
        guard count64 <= UInt64(remaining / minimumSize) else {
            throw corrupt(
                "metadata array \(shown) claims \(count64) elements, more than the \(remaining) bytes left in the file can hold"
            )
        }
        let count = Int(count64)
        let what = "the array \(shown)"
        switch elementType {
        case 0: return .uint8(try fixed(UInt8.self, count: count, what))
        case 1: return .int8(try fixed(Int8.self, count: count, what))
        case 2: return .uint16(try fixed(UInt16.self, count: count, what))
        case 3: return .int16(try fixed(Int16.self, count: count, what))
        case 4: return .uint32(try fixed(UInt32.self, count: count, what))
        case 5: return .int32(try fixed(Int32.self, count: count, what))
        case 6: return .float32(try fixed(UInt32.self, count: count, what).map { Float(bitPattern: $0) })
        case 7: return .bool(try fixed(UInt8.self, count: count, what).map { $0 != 0 })
        case 10: return .uint64(try fixed(UInt64.self, count: count, what))
        case 11: return .int64(try fixed(Int64.self, count: count, what))
        case 12: return .float64(try fixed(UInt64.self, count: count, what).map { Double(bitPattern: $0) })
        case 8:
            var strings: [String] = []
            strings.reserveCapacity(min(count, remaining / 16))
            for i in 0..<count { strings.append(try string("element \(i) of \(shown)")) }
            return .string(strings)
        default:
            var arrays: [GGUFArray] = []
            arrays.reserveCapacity(min(count, 1024))
            for _ in 0..<count { arrays.append(try array(key: key, depth: depth + 1)) }
            return .array(arrays)
        }
    }

    mutating func tensorInfo(number: Int, alignment: Int) throws -> GGUFFile.Tensor {
        let name = try string("the name of tensor \(number)")
        let shown = DriftError.quote(name)
        let dimensionCount = try read(UInt32.self, "the dimension count of tensor \(shown)")
        guard dimensionCount <= 4 else {
            throw corrupt("tensor \(shown) has \(dimensionCount) dimensions; GGUF allows at most 4")
        }
        var dimensions: [Int] = []
        var elements = 1
        for axis in 0..<Int(dimensionCount) {
            let extent = try read(UInt64.self, "the dimensions of tensor \(shown)")
            guard extent <= UInt64(Int64.max) else {
                throw corrupt("tensor \(shown) has a negative extent in dimension \(axis)")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: Int(extent))
            guard !overflow else { throw corrupt("tensor \(shown) has more elements than can be counted") }
            elements = product
            dimensions.append(Int(extent))
        }
        let typeNumber = try read(UInt32.self, "the type of tensor \(shown)")
        guard let type = GGMLType(rawValue: typeNumber) else {
            throw DriftError(.unsupported, "tensor \(shown) has unknown ggml type \(typeNumber)", path: file.path)
        }
        let rowLength = dimensions.first ?? 1
        guard rowLength % type.blockSize == 0 else {
            throw corrupt(
                "tensor \(shown) of type \(type.name) has rows of \(rowLength) elements, not a multiple of its block size \(type.blockSize)"
            )
        }
        let (byteCount, overflow) = (elements / type.blockSize).multipliedReportingOverflow(by: type.bytesPerBlock)
        guard !overflow else { throw corrupt("tensor \(shown) is larger than can be addressed") }
        let offset64 = try read(UInt64.self, "the data offset of tensor \(shown)")
        guard offset64 <= UInt64(Int.max / 2), Int(offset64) % alignment == 0 else {
            throw corrupt(
                "tensor \(shown) has data offset \(offset64), not a multiple of the alignment \(alignment) or out of range"
            )
        }
        return GGUFFile.Tensor(
            name: name, dimensions: dimensions, type: type, offset: Int(offset64), byteCount: byteCount)
    }
}
