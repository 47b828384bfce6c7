package import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A scratch `.npy` file of float32 logit-lens logits, shape layers × concepts × vocabulary, written and read one row
/// at a time: what `compare` spills of each variant so that the lens distributions of two variants can be compared
/// without holding either in memory (Llama 3's vocabulary over 17 layers and 235 concepts is 2 GB per variant).
///
/// The file is sized in full when created (sparse where the file system allows) and each row is written at its place
/// (`pwrite`), so the extraction's batches may come in any order.
package final class LensLogitsFile: @unchecked Sendable {
    /// Where the file is.
    package let url: URL
    /// The number of layers, concepts and vocabulary entries.
    package let layers: Int
    package let concepts: Int
    package let vocabulary: Int
    private let dataOffset: Int
    private let descriptor: Int32

    /// Creates (or truncates) the file at `url` for `layers` × `concepts` rows of `vocabulary` logits.
    ///
    /// - Parameter freeBytes: the space free on the file's volume (default: asked of the file system); the file must
    ///   fit in it, so that a full disk stops the run before the extraction rather than in the middle of it.
    /// - Throws: ``DriftError`` naming the file when it does not fit on its volume (saying how much it needs) or
    ///   cannot be created or sized (`.io`).
    package init(
        creating url: URL, layers: Int, concepts: Int, vocabulary: Int, freeBytes: Int? = nil
    ) throws {
        let header = NumpyHeader.encoded(shape: [layers, concepts, vocabulary], elementType: .float32)
        guard layers > 0, concepts > 0, vocabulary > 0,
            let elements = NumpyArray.elementCount(of: [layers, concepts, vocabulary]),
            case (let bytes, false) = elements.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
        else {
            throw DriftError(
                .invalidArgument, "no lens logits of shape \([layers, concepts, vocabulary])", path: url.path)
        }
        if let free = freeBytes ?? Self.freeBytes(beside: url), free < bytes + header.count {
            let gb = { (n: Int) in String(format: "%.2f GB", Double(n) / 1e9) }
            throw DriftError(
                .io,
                "comparing the logit lens needs \(gb(bytes)) of scratch space beside the run for this variant and "
                    + "\(gb(free)) is free; free some space, or compare without --logit-lens (extract --logit-lens "
                    + "still reads the lens of each variant)", path: url.path)
        }
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.failure("cannot create", url) }
        let written = header.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == header.count, ftruncate(descriptor, off_t(header.count + bytes)) == 0 else {
            let error = Self.failure("cannot size", url)
            close(descriptor)
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        self.url = url
        (self.layers, self.concepts, self.vocabulary) = (layers, concepts, vocabulary)
        dataOffset = header.count
        self.descriptor = descriptor
    }

    /// Opens a file written by ``init(creating:layers:concepts:vocabulary:)`` for reading.
    ///
    /// - Throws: ``DriftError`` naming the file when it is not a float32 array of three dimensions.
    package init(reading url: URL) throws {
        let header = try NumpyArray.header(of: url)
        guard header.elementType == .float32, !header.isBigEndian, header.shape.count == 3 else {
            throw DriftError(
                .corruptFile, "not a float32 array of lens logits (layers × concepts × vocabulary)", path: url.path)
        }
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure("cannot open", url) }
        self.url = url
        (layers, concepts, vocabulary) = (header.shape[0], header.shape[1], header.shape[2])
        dataOffset = header.dataOffset
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Writes the logits of concept `concept` at layer position `layer` (0-based, in the file's layer order).
    ///
    /// - Throws: ``DriftError`` (`.io`) naming the file when the write fails (a full disk).
    package func write(_ row: UnsafeBufferPointer<Float>, layer: Int, concept: Int) throws {
        precondition(row.count == vocabulary && (0..<layers).contains(layer) && (0..<concepts).contains(concept))
        let bytes = UnsafeRawBufferPointer(row)
        try transfer(bytes.count, at: offset(layer, concept), "cannot write") { done, count, position in
            pwrite(descriptor, bytes.baseAddress?.advanced(by: done), count, position)
        }
    }

    /// Reads the logits of the concepts in `range` at layer position `layer`, as a matrix
    /// (rows = concepts, columns = vocabulary).
    ///
    /// - Throws: ``DriftError`` naming the file when it is shorter than its header says.
    package func rows(layer: Int, concepts range: Range<Int>) throws -> Matrix {
        precondition((0..<layers).contains(layer) && range.lowerBound >= 0 && range.upperBound <= concepts)
        var matrix = Matrix(rows: range.count, columns: vocabulary)
        try matrix.storage.withUnsafeMutableBytes { bytes in
            try transfer(bytes.count, at: offset(layer, range.lowerBound), "cannot read") { done, count, position in
                pread(descriptor, bytes.baseAddress?.advanced(by: done), count, position)
            }
        }
        return matrix
    }

    /// Moves `count` bytes at file offset `start` through `call(done, remaining, position)` (a `pread` or `pwrite`
    /// from `done` bytes in), as many calls as it takes.
    ///
    /// - Throws: ``DriftError`` naming the file: `what` and the system's reason when a call fails, `.corruptFile`
    ///   when the file ends first.
    private func transfer(_ count: Int, at start: Int, _ what: String, _ call: (Int, Int, off_t) -> Int) throws {
        var done = 0
        while done < count {
            let n = call(done, count - done, off_t(start + done))
            guard n > 0 else {
                throw n == 0
                    ? DriftError(.corruptFile, "the lens logits end early", path: url.path)
                    : Self.failure(what, url)
            }
            done += n
        }
    }

    /// The bytes free to this user on the volume of `url`'s folder, or nil when the file system does not say.
    private static func freeBytes(beside url: URL) -> Int? {
        var stats = statvfs()
        guard statvfs(url.deletingLastPathComponent().path, &stats) == 0 else { return nil }
        let (free, overflow) = Int(stats.f_bavail).multipliedReportingOverflow(by: Int(stats.f_frsize))
        return overflow ? Int.max : free
    }

    private func offset(_ layer: Int, _ concept: Int) -> Int {
        dataOffset + ((layer * concepts + concept) * vocabulary) * MemoryLayout<Float>.size
    }

    private static func failure(_ what: String, _ url: URL) -> DriftError {
        DriftError(.io, "\(what) the lens logits: \(String(cString: strerror(errno)))", path: url.path)
    }
}
