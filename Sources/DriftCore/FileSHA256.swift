public import Foundation

/// The SHA-256 of a whole file, read in 4 MiB pieces (fast enough in debug builds to verify multi-gigabyte
/// downloads).
public enum FileSHA256 {
    /// The lowercase hexadecimal SHA-256 of the file at `url`.
    ///
    /// - Throws: ``DriftError`` (`.io`) naming the file when it cannot be read.
    public static func hexDigest(of url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw DriftError(.io, "cannot read the file to hash it", path: url.path)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw DriftError(.io, "cannot read the file to hash it: \(error.localizedDescription)", path: url.path)
        }
        return hasher.hexDigest()
    }

    /// The lowercase hexadecimal SHA-256 of `data`.
    public static func hexDigest(of data: Data) -> String {
        var hasher = SHA256()
        hasher.update(data: data)
        return hasher.hexDigest()
    }
}
