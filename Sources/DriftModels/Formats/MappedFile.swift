import DriftCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole file mapped read-only into memory.
///
/// `@unchecked Sendable` is safe because the mapping is created once in `init`, is never written (`PROT_READ`,
/// `MAP_PRIVATE`), and is only unmapped in `deinit`, when no other reference to the object can exist. Every reader
/// therefore sees the same immutable bytes from any thread.
package final class MappedFile: @unchecked Sendable {
    /// The path the file was opened with (used in error messages).
    package let path: String
    /// The file size in bytes.
    package let size: Int
    private let base: UnsafeRawPointer?

    /// Maps the file at `path`.
    ///
    /// - Throws: ``DriftError`` of kind `.missing` when there is no such file, `.io` when it cannot be opened or mapped.
    package init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DriftError(.missing, "no such file", path: path)
        }
        if isDirectory.boolValue {
            throw DriftError(.invalidArgument, "is a folder, expected a file", path: path)
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw DriftError(.io, "cannot open file: \(String(cString: strerror(errno)))", path: path)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw DriftError(.io, "cannot read file size: \(String(cString: strerror(errno)))", path: path)
        }
        let size = Int(status.st_size)
        self.size = size
        if size == 0 {
            base = nil
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw DriftError(.io, "cannot map file into memory: \(String(cString: strerror(errno)))", path: path)
        }
        base = UnsafeRawPointer(mapped)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }

    /// All bytes of the file, valid as long as this object is alive (empty for an empty file).
    package var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: size)
    }

    /// Whether `offset..<offset+count` lies inside the file (no overflow).
    package func contains(offset: Int, count: Int) -> Bool {
        guard offset >= 0, count >= 0 else { return false }
        let (end, overflow) = offset.addingReportingOverflow(count)
        return !overflow && end <= size
    }

    /// The bytes `offset..<offset+count`, checked against the file size.
    ///
    /// - Throws: ``DriftError`` of kind `.corruptFile` when the range is outside the file.
    package func slice(offset: Int, count: Int) throws -> UnsafeRawBufferPointer {
        guard contains(offset: offset, count: count) else {
            throw DriftError(
                .corruptFile,
                "truncated or corrupt: bytes \(offset)..<\(offset &+ count) lie past the end of the file (\(size) bytes)",
                path: path)
        }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    /// Tells the kernel this process is done with the bytes `offset..<offset+count` for now: whole pages inside the
    /// range leave the process's resident set (the page cache keeps them; a later read faults them back in).
    ///
    /// Loaders call this after converting a tensor, so a memory-mapped checkpoint does not double peak memory.
    package func releasePages(offset: Int, count: Int) {
        guard let base, contains(offset: offset, count: count), count > 0 else { return }
        MemoryAdvice.release(UnsafeRawBufferPointer(start: base + offset, count: count))
    }

    /// Starts reading the bytes `offset..<offset+count` from disk ahead of use (nothing when they are cached).
    package func willNeed(offset: Int, count: Int) {
        guard let base, contains(offset: offset, count: count), count > 0 else { return }
        MemoryAdvice.willNeed(UnsafeRawBufferPointer(start: base + offset, count: count))
    }

    /// Maps the bytes `offset..<offset+count` into the process's page tables now (see
    /// ``DriftCore/MemoryAdvice/populate(_:)``), for data used in place.
    package func populate(offset: Int, count: Int) {
        guard let base, contains(offset: offset, count: count), count > 0 else { return }
        MemoryAdvice.populate(UnsafeRawBufferPointer(start: base + offset, count: count))
    }

    /// Reads a little-endian fixed-width integer at `offset` (any alignment).
    package func readInteger<T: FixedWidthInteger>(at offset: Int, as type: T.Type = T.self) throws -> T {
        let region = try slice(offset: offset, count: MemoryLayout<T>.size)
        return T(littleEndian: region.loadUnaligned(as: T.self))
    }
}
