package import Foundation

/// Every file's bytes under a folder, for "nothing changed" and "byte-identical" checks between runs.
package enum FolderSnapshot {
    /// Every regular file under `folder`, recursively: its path relative to `folder` (starting with `/`) → its bytes.
    package static func files(in folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let root = folder.standardizedFileURL.path
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            if !isDirectory.boolValue {
                result[String(url.standardizedFileURL.path.dropFirst(root.count))] = try Data(contentsOf: url)
            }
        }
        return result
    }
}
