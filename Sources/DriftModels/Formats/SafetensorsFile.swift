import DriftCore
import Foundation

/// One safetensors file, memory-mapped, with its header validated.
///
/// Opening checks the 8-byte header length against the file size and a 100 MB cap (as the `safetensors` library
/// does), parses the JSON header, and validates every tensor's dtype, shape and `data_offsets` against the data
/// section before anything is read or allocated. Tensor data is read lazily from the mapping.
public final class SafetensorsFile: Sendable {
    /// The largest header the reader accepts, in bytes (the `safetensors` library's own limit).
    public static let maximumHeaderLength = 100_000_000

    /// One tensor of the file.
    public struct Tensor: Sendable, Equatable {
        /// The tensor's name.
        public var name: String
        /// The dtype as the file spells it (`F32`, `BF16`, `F8_E4M3`, …).
        public var dtype: String
        /// Dimensions outermost first.
        public var shape: [Int]
        /// Byte range of the data, relative to the start of the data section (after the header).
        public var dataOffsets: Range<Int>
        /// The dtype as a ``TensorDataType`` when this reader can convert it to float32, else nil.
        public var dataType: TensorDataType?

        /// The description shared by every tensor store.
        public var info: TensorInfo { TensorInfo(name: name, typeName: dtype, shape: shape) }
    }

    /// The path of the file.
    public let path: String
    /// The `__metadata__` table (string → string), empty when the file has none.
    public let metadata: [String: String]
    /// Every tensor, ordered by data offset (the order the writer laid them out).
    public let tensors: [Tensor]
    /// Byte offset of the data section in the file (8 + header length).
    public let dataStart: Int

    let file: MappedFile
    private let index: [String: Int]

    /// Element sizes of every dtype the safetensors format defines with a whole number of bytes.
    static let elementSizes: [String: Int] = [
        "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1,
        "U64": 8, "U32": 4, "U16": 2, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1, "F8_E8M0": 1,
    ]

    /// Opens and validates the safetensors file at `path`.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file and the problem when it is missing, truncated or corrupt.
    public init(path: String) throws {
        let file = try MappedFile(path: path)
        self.file = file
        self.path = path
        guard file.size >= 8 else {
            throw DriftError(
                .corruptFile, "not a safetensors file: \(file.size) bytes, shorter than the 8-byte header length",
                path: path)
        }
        let declared = try file.readInteger(at: 0, as: UInt64.self)
        guard declared <= UInt64(Self.maximumHeaderLength) else {
            throw DriftError(
                .corruptFile,
                "not a safetensors file or corrupt: header length \(declared) bytes exceeds the \(Self.maximumHeaderLength)-byte limit",
                path: path)
        }
        let headerLength = Int(declared)
        guard headerLength <= file.size - 8 else {
            throw DriftError(
                .corruptFile,
                "truncated: header length \(headerLength) bytes but only \(file.size - 8) bytes follow the length field",
                path: path)
        }
        dataStart = 8 + headerLength
        let dataSize = file.size - dataStart
        let headerBytes = try file.slice(offset: 8, count: headerLength)
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw DriftError(.corruptFile, "corrupt safetensors header: it does not start with '{'", path: path)
        }
        let json = try JSONValue.parse(Data(headerBytes), path: path, what: "safetensors header")
        guard let header = json.objectValue else {
            throw DriftError(.corruptFile, "corrupt safetensors header: not a JSON object", path: path)
        }

        var metadata: [String: String] = [:]
        var tensors: [Tensor] = []
        tensors.reserveCapacity(header.count)
        for (name, value) in header {
            if name == "__metadata__" {
                guard let table = value.objectValue else {
                    throw DriftError(
                        .corruptFile, "corrupt safetensors header: __metadata__ is not an object", path: path)
                }
                for (key, entry) in table {
                    guard let text = entry.stringValue else {
                        throw DriftError(
                            .corruptFile,
                            "corrupt safetensors header: __metadata__ value of \(DriftError.quote(key)) is not a string",
                            path: path)
                    }
                    metadata[key] = text
                }
                continue
            }
            tensors.append(try Self.parseTensor(name: name, value: value, dataSize: dataSize, path: path))
        }
        tensors.sort { ($0.dataOffsets.lowerBound, $0.name) < ($1.dataOffsets.lowerBound, $1.name) }
        self.metadata = metadata
        self.tensors = tensors
        var index: [String: Int] = [:]
        for (position, tensor) in tensors.enumerated() { index[tensor.name] = position }
        self.index = index
    }

    private static func parseTensor(name: String, value: JSONValue, dataSize: Int, path: String) throws -> Tensor {
        func corrupt(_ problem: String) -> DriftError {
            DriftError(
                .corruptFile, "corrupt safetensors header: tensor \(DriftError.quote(name)) \(problem)", path: path)
        }
        guard let entry = value.objectValue else { throw corrupt("is not a JSON object") }
        guard let dtype = entry["dtype"]?.stringValue else { throw corrupt("has no dtype") }
        guard let elementSize = elementSizes[dtype] else {
            throw DriftError(
                .unsupported,
                "tensor \(DriftError.quote(name)) has dtype \(DriftError.quote(dtype)), which this reader does not support (supported: \(elementSizes.keys.sorted().joined(separator: ", ")))",
                path: path)
        }
        guard let shapeValues = entry["shape"]?.arrayValue else { throw corrupt("has no shape") }
        var shape: [Int] = []
        shape.reserveCapacity(min(shapeValues.count, 64))
        var elements = 1
        for dimensionValue in shapeValues {
            guard case .integer(let dimension) = dimensionValue, dimension >= 0 else {
                throw corrupt("has an invalid shape entry \(DriftError.quote(dimensionValue.description))")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw corrupt(
                    "has a shape \(DriftError.quote(shapeValues.map(\.description).joined(separator: ", "))) whose element count overflows"
                )
            }
            elements = product
            shape.append(dimension)
        }
        guard let offsets = entry["data_offsets"]?.arrayValue, offsets.count == 2,
            case .integer(let begin) = offsets[0], case .integer(let end) = offsets[1]
        else { throw corrupt("has no valid data_offsets [begin, end]") }
        guard begin >= 0, begin <= end else { throw corrupt("has data_offsets [\(begin), \(end)] with begin > end") }
        guard end <= dataSize else {
            throw corrupt(
                "has data_offsets [\(begin), \(end)] past the end of the data section (\(dataSize) bytes); the file is truncated or corrupt"
            )
        }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: elementSize)
        guard !overflow, bytes == end - begin else {
            throw corrupt(
                "holds \(end - begin) bytes but its shape \(shape.count <= 16 ? "\(shape)" : "of \(shape.count) dimensions") of \(dtype) needs \(overflow ? "more than Int.max" : String(bytes))"
            )
        }
        return Tensor(
            name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end, dataType: TensorDataType(rawValue: dtype))
    }

    /// The tensor called `name`, if any.
    public func tensor(_ name: String) -> Tensor? {
        index[name].map { tensors[$0] }
    }

    /// The raw bytes of `tensor` in the mapping; valid while this object is alive.
    package func rawBytes(_ tensor: Tensor) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(
            rebasing: file.bytes[
                (dataStart + tensor.dataOffsets.lowerBound)..<(dataStart + tensor.dataOffsets.upperBound)])
    }

    /// The values of tensor `name` as float32, row-major.
    ///
    /// - Throws: ``DriftCore/DriftError`` when there is no such tensor or its dtype cannot be converted.
    public func floats(_ name: String) throws -> [Float] {
        let (tensor, type) = try convertible(name)
        let count = tensor.dataOffsets.count / type.byteSize
        guard let source = rawBytes(tensor).baseAddress else { return [] }
        let values = FloatConversion.floats(source, type: type, count: count)
        releasePages(source, count: tensor.dataOffsets.count)
        return values
    }

    /// Converts tensor `name` to float32 into `destination`, which must hold exactly its element count,
    /// `chunkElements` values at a time, releasing each chunk's mapped pages once it is converted.
    package func copyFloats(
        _ name: String, into destination: UnsafeMutableBufferPointer<Float>,
        chunkElements: Int = SafetensorsFile.conversionChunkElements
    ) throws {
        let (tensor, type) = try convertible(name)
        let count = tensor.dataOffsets.count / type.byteSize
        guard destination.count == count else {
            throw DriftError(
                .invalidArgument, "tensor '\(name)' has \(count) elements, the destination holds \(destination.count)",
                path: path)
        }
        guard let source = rawBytes(tensor).baseAddress, let out = destination.baseAddress else { return }
        // Read-ahead for the whole tensor first (a cold file is read at the disk's sequential speed while the first
        // chunks convert).
        MemoryAdvice.willNeed(rawBytes(tensor))
        // In chunks, each chunk's pages released once converted: a large tensor (a token table) never has all its
        // file pages and its float32 copy resident at once.
        let chunk = max(1, chunkElements)
        for start in stride(from: 0, to: count, by: chunk) {
            let n = min(chunk, count - start)
            FloatConversion.convert(source + start * type.byteSize, type: type, count: n, into: out + start)
            releasePages(source + start * type.byteSize, count: n * type.byteSize)
        }
        releasePages(source, count: tensor.dataOffsets.count)
    }

    /// Elements converted between two releases of mapped pages in ``copyFloats(_:into:)`` (16 MiB of bf16).
    package static let conversionChunkElements = 1 << 23

    /// Lets the kernel drop the mapped pages of a tensor just converted, so that loading a checkpoint does not hold
    /// the file's pages and the float32 copy resident at once (peak RSS of a bf16 Llama-3.2-1B: 1.54× → 1.04× its
    /// float32 weights).
    ///
    /// The mapping is private and read-only, so a later read faults the same bytes back in.
    private func releasePages(_ start: UnsafeRawPointer, count: Int) {
        MemoryAdvice.release(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// Drops tensor `name`'s mapped pages from the resident set (see ``MappedFile/releasePages(offset:count:)``).
    package func releasePages(_ name: String) {
        guard let tensor = tensor(name) else { return }
        file.releasePages(offset: dataStart + tensor.dataOffsets.lowerBound, count: tensor.dataOffsets.count)
    }

    private func convertible(_ name: String) throws -> (Tensor, TensorDataType) {
        guard let tensor = tensor(name) else {
            throw DriftError(.missing, "no tensor named '\(name)'", path: path)
        }
        guard let type = tensor.dataType else {
            throw DriftError(
                .unsupported, "tensor '\(name)' has dtype \(tensor.dtype), which cannot be converted to float32 yet",
                path: path)
        }
        return (tensor, type)
    }
}
