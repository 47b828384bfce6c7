import DriftCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `stat` says of a model file when it was loaded: enough to notice it was rewritten or replaced since.
///
/// Weights are read in place from the mapped file, so a model held for hours (the explorer's live mode) checks its
/// files are still the ones it mapped before each use.
package struct FileStamp: Sendable, Equatable {
    /// The file.
    package let path: String
    /// Size in bytes.
    package let size: Int64
    /// Last modification, in nanoseconds since 1970.
    package let modified: Int64
    /// The file's inode and device (a replaced file has a new one).
    package let inode: UInt64
    package let device: UInt64

    /// The stamp of the file at `path` now, or nil when it cannot be read.
    package static func of(_ path: String) -> FileStamp? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        #if canImport(Darwin)
            let seconds = Int64(status.st_mtimespec.tv_sec)
            let nanoseconds = Int64(status.st_mtimespec.tv_nsec)
        #else
            let seconds = Int64(status.st_mtim.tv_sec)
            let nanoseconds = Int64(status.st_mtim.tv_nsec)
        #endif
        return FileStamp(
            path: path, size: Int64(status.st_size), modified: seconds &* 1_000_000_000 &+ nanoseconds,
            inode: UInt64(status.st_ino), device: UInt64(status.st_dev))
    }

    /// Throws when the file is no longer the one stamped: gone, resized, rewritten or replaced.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.io`) naming the file and what to do.
    package func checkUnchanged() throws {
        guard let now = Self.of(path) else {
            throw DriftError(.io, "the model file is gone since it was loaded; restart to load it again", path: path)
        }
        guard now == self else {
            throw DriftError(
                .io,
                "the model file changed on disk since it was loaded (its weights are read from the file in place); "
                    + "restart to load the new one", path: path)
        }
    }
}
