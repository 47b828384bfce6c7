public import Foundation

/// The one reader of a run directory's `manifest.json` and the identity of its format; extraction, sharding and
/// analysis all read through it, so they agree on what a valid manifest is.
public enum RunManifest {
    /// The manifest's file name inside a run directory.
    public static let fileName = "manifest.json"
    /// The value of the manifest's `format` key.
    public static let format = "embedding-drift-run"
    /// The manifest format version this tool writes, and the newest it reads.
    public static let version = 1

    /// The manifest in `directory` as a JSON object, or nil when there is none.
    ///
    /// - Throws: ``DriftError`` naming the file when it is unreadable, not a JSON object, of another format, without
    ///   a version or of a newer version than this tool reads, or when its `variants` is not a list of objects.
    public static func read(in directory: URL) throws -> [String: Any]? {
        let file = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw DriftError(.io, "cannot read the manifest: \(error.localizedDescription)", path: file.path)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DriftError(
                .corruptFile, "the manifest is not a JSON object; move it away or use another --out", path: file.path)
        }
        guard object["format"] as? String == format else {
            let found = object["format"].map { "\"\($0)\"" } ?? "missing"
            throw DriftError(
                .corruptFile, "not an embedding-drift manifest (format \(found)); move it away or use another --out",
                path: file.path)
        }
        guard let found = object["format_version"] as? Int, found >= 1 else {
            throw DriftError(.corruptFile, "the manifest has no valid \"format_version\"", path: file.path)
        }
        guard found <= version else {
            throw DriftError(
                .unsupported,
                "the manifest has format version \(found); this tool reads up to \(version) — use a newer embedding-drift",
                path: file.path)
        }
        if let variants = object["variants"], !(variants is [[String: Any]]) {
            throw DriftError(.corruptFile, "the manifest's \"variants\" is not a list of objects", path: file.path)
        }
        return object
    }
}
