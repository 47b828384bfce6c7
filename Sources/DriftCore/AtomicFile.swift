public import Foundation

/// Writes files so that readers see either the old content or the whole new content, never a half-written file.
public enum AtomicFile {
    /// Writes `data` to `url` through a temporary file in the same folder, then renames it into place.
    ///
    /// - Throws: ``DriftError`` of kind `.io` naming the file when the folder cannot be written.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(ScratchFile.temporaryName(for: url.lastPathComponent))
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: temporary)
            // rename(2) replaces an existing file atomically on Linux and macOS; FileManager.replaceItemAt fails on
            // Linux when the destination exists.
            guard rename(temporary.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw DriftError(.io, "cannot write file: \(reason)", path: url.path)
            }
        } catch let error as DriftError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw DriftError(.io, "cannot write file: \(error.localizedDescription)", path: url.path)
        }
    }

    /// Writes UTF-8 `text` to `url` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
