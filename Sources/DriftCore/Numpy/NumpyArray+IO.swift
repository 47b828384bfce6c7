public import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Musl)
    import Musl
    private let systemWrite = Musl.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

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
    /// A little-endian float32 file is copied once, from its mapping straight into the matrix; any other is converted
    /// through ``init(contentsOf:)``.
    /// - Throws: ``DriftError`` naming the file, as ``init(contentsOf:)`` does, or when the array is not 2-D.
    public static func matrix(contentsOf url: URL) throws -> Matrix {
        let file = try mappedContents(of: url)
        let direct = try file.withUnsafeBytes { raw throws -> Matrix? in
            let header = try NumpyHeader.parse(raw, path: url.path)
            #if _endian(little)
                guard header.elementType == .float32, !header.isBigEndian, header.shape.count == 2 else { return nil }
                let count = header.dataByteCount / MemoryLayout<Float>.size
                let storage = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(
                        from: UnsafeRawBufferPointer(
                            rebasing: raw[header.dataOffset..<(header.dataOffset + header.dataByteCount)]))
                    initialized = count
                }
                return Matrix(rows: header.shape[0], columns: header.shape[1], storage: storage)
            #else
                return nil
            #endif
        }
        if let direct { return direct }
        let array = try NumpyArray(npyData: file, path: url.path)
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

    /// Writes `matrix` as a float32 `.npy` file at `url` (not atomically: into a staging folder) straight from its
    /// storage: the bytes of `NumpyArray(matrix:).npyData()` without building them in memory first.
    ///
    /// - Throws: ``DriftError`` (`.io`) naming the file when it cannot be written.
    package static func writeFloat32(_ matrix: Matrix, to url: URL) throws {
        try writeFloat32(matrix.storage, shape: [matrix.rows, matrix.columns], to: url)
    }

    /// Writes `values` as a float32 `.npy` file of `shape` at `url` (not atomically) straight from their memory: the
    /// bytes of `NumpyArray(floats:shape:).npyData()`.
    ///
    /// - Throws: ``DriftError``: `.invalidArgument` when the count is not the shape's, `.io` naming the file when it
    ///   cannot be written (closing included).
    package static func writeFloat32(_ values: [Float], shape: [Int], to url: URL) throws {
        try checkCount(values.count, shape: shape)
        #if _endian(little)
            let header = NumpyHeader.encoded(shape: shape, elementType: .float32)
            let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw writeError(url.path) }
            do {
                try header.withUnsafeBytes { try writeAll($0, to: descriptor, path: url.path) }
                try values.withUnsafeBytes { try writeAll($0, to: descriptor, path: url.path) }
            } catch {
                close(descriptor)
                throw error
            }
            guard close(descriptor) == 0 else { throw writeError(url.path) }
        #else
            try NumpyArray(floats: values, shape: shape).npyData().write(to: url)
        #endif
    }

    /// The error for a failed write to `path`, with the system's reason (`errno`).
    private static func writeError(_ path: String) -> DriftError {
        DriftError(.io, "cannot write file: \(String(cString: strerror(errno)))", path: path)
    }

    /// Writes every byte of `bytes` to `descriptor`, through short writes and interruptions.
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let written = systemWrite(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw writeError(path)
            }
            offset += written
        }
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
