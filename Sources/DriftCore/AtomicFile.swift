import Foundation

/// Writes files so that readers see either the old content or the whole new content, never a half-written file.
public enum AtomicFile {
    /// Writes `data` to `url` through a temporary file in the same folder, then renames it into place.
    ///
    /// - Throws: ``DriftError`` of kind `.io` naming the file when the folder cannot be written.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: temporary)
            if FileManager.default.fileExists(atPath: url.path) {
                _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: url)
            }
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
