public import Foundation

extension NumpyArray {
    /// Reads a `.npy` file (format 1.0, 2.0 or 3.0; C order; any supported element type, either byte order).
    ///
    /// The file is memory-mapped; its header is validated against the file size before anything is allocated, and
    /// big-endian elements are converted to little-endian.
    /// - Throws: ``DriftError`` naming the file: `.io` when it cannot be read, `.corruptFile` when it is not a valid
    ///   `.npy` file, `.unsupported` for Fortran order or element types other than those of ``ElementType``.
    public init(contentsOf url: URL) throws {
        let file = try NumpyArray.mappedContents(of: url)
        try self.init(npyData: file, path: url.path)
    }

    /// Parses the content of a `.npy` file held in memory.
    ///
    /// - Parameter path: the file's path, for error messages.
    /// - Throws: ``DriftError`` as ``init(contentsOf:)`` does.
    public init(npyData file: Data, path: String? = nil) throws {
        let (header, elements) = try file.withUnsafeBytes { raw throws -> (NumpyHeader, Data) in
            let header = try NumpyHeader.parse(raw, path: path)
            let source = UnsafeRawBufferPointer(
                rebasing: raw[header.dataOffset..<(header.dataOffset + header.dataByteCount)])
            var elements = Data(count: header.dataByteCount)
            elements.withUnsafeMutableBytes { destination in
                #if _endian(little)
                    let swap = header.isBigEndian
                #else
                    let swap = !header.isBigEndian
                #endif
                if swap {
                    NumpyArray.copySwappingBytes(from: source, to: destination, width: header.elementType.byteCount)
                } else if !source.isEmpty {
                    destination.copyMemory(from: source)
                }
            }
            return (header, elements)
        }
        try self.init(shape: header.shape, elementType: header.elementType, littleEndianBytes: elements)
    }

    /// Reads only the header of a `.npy` file: shape, element type, where the data lies.
    ///
    /// The whole file is still validated for size (the data must be exactly what the shape needs).
    /// - Throws: ``DriftError`` as ``init(contentsOf:)`` does.
    public static func header(of url: URL) throws -> NumpyHeader {
        let file = try mappedContents(of: url)
        return try file.withUnsafeBytes { try NumpyHeader.parse($0, path: url.path) }
    }

    /// Reads a 2-dimensional `.npy` file as a matrix of `Float`.
    ///
    /// - Throws: ``DriftError`` naming the file, as ``init(contentsOf:)`` does, or when the array is not 2-D.
    public static func matrix(contentsOf url: URL) throws -> Matrix {
        let array = try NumpyArray(contentsOf: url)
        do {
            return try array.matrix()
        } catch var error as DriftError {
            error.path = url.path
            throw error
        }
    }

    /// The content of the `.npy` file for this array, byte-for-byte what `np.save` writes for the same array
    /// (little-endian, C order, version 1.0, or 2.0 when the header needs it).
    public func npyData() -> Data {
        var data = NumpyHeader.encoded(shape: shape, elementType: elementType)
        data.append(bytes)
        return data
    }

    /// Writes the array as a `.npy` file, atomically (see ``AtomicFile``).
    ///
    /// - Throws: ``DriftError`` (`.io`) naming the file when it cannot be written.
    public func write(to url: URL) throws {
        try AtomicFile.write(npyData(), to: url)
    }

    /// The file's bytes, memory-mapped when possible.
    private static func mappedContents(of url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            // Mapping fails for empty files and some special files; an ordinary read reports the real problem.
            do {
                return try Data(contentsOf: url)
            } catch {
                throw DriftError(.io, "cannot read file: \(error.localizedDescription)", path: url.path)
            }
        }
    }

    private static func copySwappingBytes(
        from source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawBufferPointer, width: Int
    ) {
        let count = source.count / width
        for element in 0..<count {
            let base = element * width
            for byte in 0..<width { destination[base + byte] = source[base + width - 1 - byte] }
        }
    }
}
