public import Foundation

extension RunManifest {
    /// The manifest of the run directory at `directory`, migrated to the current version, or nil when there is none.
    ///
    /// - Throws: ``DriftError`` naming the file when it is unreadable, not valid JSON, of another format, without a
    ///   version or of a newer version than this tool reads (one line ending "use a newer embedding-drift"), or when
    ///   an entry lacks a field or holds one of the wrong type (naming the entry and the field).
    public static func read(in directory: URL) throws -> RunManifest? {
        let file = RunLayout(directory).manifest
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw DriftError(.io, "cannot read the manifest: \(error.localizedDescription)", path: file.path)
        }
        return try decode(data, path: file.path)
    }

    /// A manifest from its file's bytes: format and version checked, older versions migrated.
    ///
    /// - Throws: ``DriftError`` naming `path` (see ``read(in:)``).
    public static func decode(_ data: Data, path: String) throws -> RunManifest {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw DriftError(
                .corruptFile,
                "the manifest is not valid JSON (truncated or damaged); move it away or use another --out",
                path: path)
        }
        guard var object = parsed as? [String: Any] else {
            throw DriftError(
                .corruptFile, "the manifest is not a JSON object; move it away or use another --out", path: path)
        }
        guard object["format"] as? String == format else {
            let found = object["format"].map { "\"\($0)\"" } ?? "missing"
            throw DriftError(
                .corruptFile, "not an embedding-drift manifest (format \(found)); move it away or use another --out",
                path: path)
        }
        guard let found = object["format_version"] as? Int, found >= 1 else {
            throw DriftError(.corruptFile, "the manifest has no valid \"format_version\"", path: path)
        }
        guard found <= version else {
            throw DriftError(
                .unsupported,
                "the manifest has format version \(found); this tool reads up to \(version) — use a newer embedding-drift",
                path: path)
        }
        var migrated = data
        if found < version {
            object = try migrate(object, from: found, path: path)
            migrated = try PrettyJSON.data(object, path: path)
        }
        do {
            return try JSONDecoder().decode(RunManifest.self, from: migrated)
        } catch let error as DecodingError {
            throw DriftError(.corruptFile, JSONFieldError.describe(error, in: object), path: path)
        }
    }

    /// The steps from each older format version to the next, applied in order by ``read(in:)``: step `v` turns a
    /// version-`v` manifest into a version-`v + 1` one.
    ///
    /// Version 1 is the first format; fields added within it since (`variant_order`, `shares_prompt_prefix`,
    /// `computed_tokens`, `compute`, `hub`, `series`, …) are optional and read with their old meaning when absent,
    /// so every version-1 manifest reads without a step.
    static let migrations: [Int: @Sendable ([String: Any]) throws -> [String: Any]] = [:]

    /// `object` (of version `found`) migrated to `target` (default ``version``) through `steps` (default
    /// ``migrations``), each step setting the next `format_version`.
    ///
    /// - Throws: ``DriftError`` naming `path` when a step is missing, or what a step throws.
    static func migrate(
        _ object: [String: Any], from found: Int, to target: Int = version, path: String,
        steps: [Int: @Sendable ([String: Any]) throws -> [String: Any]] = migrations
    ) throws -> [String: Any] {
        var object = object
        for step in found..<max(found, target) {
            guard let migration = steps[step] else {
                throw DriftError(
                    .unsupported, "no migration from manifest format version \(step) to \(step + 1)", path: path)
            }
            object = try migration(object)
            object["format_version"] = step + 1
        }
        return object
    }

    /// Writes the manifest into the run directory at `directory` atomically (pretty-printed, keys sorted).
    ///
    /// - Throws: ``DriftError`` when it cannot be encoded or written.
    public func write(in directory: URL) throws {
        let file = RunLayout(directory).manifest
        try AtomicFile.write(try fileData(path: file.path), to: file)
    }

    /// The manifest's file bytes: what ``write(in:)`` writes.
    ///
    /// - Throws: ``DriftError`` naming `path` when a value cannot be encoded (a non-finite number).
    public func fileData(path: String) throws -> Data {
        let encoded: Data
        do {
            encoded = try JSONEncoder().encode(self)
        } catch {
            throw DriftError(.io, "cannot encode the manifest: \(error)", path: path)
        }
        // Through the one JSON writer, so every manifest is formatted as every other JSON file of the run.
        return try PrettyJSON.data(try JSONSerialization.jsonObject(with: encoded), path: path)
    }

    /// Reads the manifest of `directory` (or starts an empty one), lets `change` edit it, and writes it back
    /// atomically as the current format and version.
    ///
    /// - Throws: ``DriftError`` when the manifest is unreadable or cannot be written, or what `change` throws.
    public static func update(in directory: URL, _ change: (inout RunManifest) throws -> Void) throws {
        var manifest = try read(in: directory) ?? RunManifest()
        manifest.format = format
        manifest.formatVersion = version
        try change(&manifest)
        try manifest.write(in: directory)
    }

    /// An ISO 8601 timestamp (UTC, seconds), as the manifest records dates.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
