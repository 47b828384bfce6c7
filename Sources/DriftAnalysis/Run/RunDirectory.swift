public import DriftCore
public import Foundation

/// A run directory read without model code: its manifest, its concepts, and each variant's stored vectors.
///
/// The layout (every file written atomically):
/// - `manifest.json` — `format` `embedding-drift-run`, `format_version` (the schema), `tool_version`, `variants`
///   (one entry per extracted or imported variant: name, fingerprint, layers, hidden size, token counts, settings,
///   timings), `variant_order` (the run's variants in time order), `last_run` (what the last `compare` extracted and
///   reused) and `analysis` (settings, headline layer, timings, the files written);
/// - `concept_metadata.json` — the concepts in row order (`rows`: term, category);
/// - `hidden_<variant>.npy` (layers × concepts × hidden, float32, raw) and `embeddings_<variant>.npy` (concepts ×
///   hidden, last stored layer, L2-normalised);
/// - `umap_<variant>.npy` — concepts × 2, the joint UMAP of every variant at the headline layer;
/// - `tables/<name>.csv|json` — see ``RunAnalysis``;
/// - `summary.json` and `summary.md` — the headline figures and the findings in words;
/// - `noise/<variant>/` (with `compare --templates`) — the variant under each paraphrased template, itself a run
///   directory (variants `t0`, `t1`, …), for the noise floor.
public struct RunDirectory: Sendable {
    /// The manifest's format identifier.
    public static let format = RunManifest.format
    /// The schema version this tool reads and writes.
    public static let schemaVersion = RunManifest.version
    /// The manifest's file name.
    public static let manifestFileName = RunManifest.fileName
    /// The concept metadata's file name.
    public static let metadataFileName = "concept_metadata.json"

    /// The folder holding, per variant, a run directory of the same concepts under paraphrased templates
    /// (`noise/<variant>/`, variants `t0`, `t1`, …) for the noise floor.
    public static let noiseFolderName = "noise"

    /// The directory.
    public let url: URL
    /// The concepts in row order.
    public let concepts: [String]
    /// The category of every concept, in row order.
    public let categories: [String]
    /// Every variant in the manifest, in manifest order.
    public let variants: [RunVariant]
    /// The run's variants in time order (`variant_order`, else every variant in manifest order).
    public let order: [String]

    /// The raw hidden states of variant `name`.
    public static func hiddenFileName(_ name: String) -> String { "hidden_\(name).npy" }
    /// The normalised last-layer embeddings of variant `name`.
    public static func embeddingsFileName(_ name: String) -> String { "embeddings_\(name).npy" }
    /// The UMAP coordinates of variant `name`.
    public static func umapFileName(_ name: String) -> String { "umap_\(name).npy" }

    /// Opens the run directory at `url`.
    ///
    /// - Throws: ``DriftError`` when there is no manifest, the manifest is of another format or schema version, the
    ///   concept metadata is missing or unreadable, or a variant entry lacks what analysis needs.
    public init(_ url: URL) throws {
        self.url = url
        let manifest = try Self.readManifest(in: url)
        let manifestPath = url.appendingPathComponent(Self.manifestFileName).path
        guard let manifest else {
            throw DriftError(
                .missing, "not a run directory (no \(Self.manifestFileName)); run `compare` or `import` first",
                path: url.path)
        }
        (concepts, categories) = try Self.readMetadata(in: url)
        let entries = (manifest["variants"] as? [[String: Any]]) ?? []
        variants = try entries.map { entry in
            guard let name = entry["name"] as? String, let layers = entry["layers"] as? [Int],
                let hidden = entry["hidden_size"] as? Int, let count = entry["concept_count"] as? Int
            else {
                throw DriftError(
                    .corruptFile, "a variant entry lacks name, layers, hidden_size or concept_count", path: manifestPath
                )
            }
            return RunVariant(
                name: name, layers: layers, hiddenSize: hidden, conceptCount: count,
                fingerprint: entry["fingerprint"] as? String ?? "", tokenCounts: entry["token_counts"] as? [Int] ?? [])
        }
        let names = variants.map(\.name)
        if let stored = manifest["variant_order"] as? [String] {
            for name in stored where !names.contains(name) {
                throw DriftError(
                    .corruptFile, "variant_order names \"\(name)\", which has no entry in the manifest",
                    path: manifestPath)
            }
            order = stored
        } else {
            order = names
        }
    }

    /// The variant named `name`.
    ///
    /// - Throws: ``DriftError`` (`.missing`) when the manifest has no such variant.
    public func variant(_ name: String) throws -> RunVariant {
        guard let variant = variants.first(where: { $0.name == name }) else {
            throw DriftError(
                .missing,
                "the run has no variant \"\(name)\" (it has: \(variants.map(\.name).joined(separator: ", ")))",
                path: url.appendingPathComponent(Self.manifestFileName).path)
        }
        return variant
    }

    /// The stored vectors of `variant`, one matrix per stored layer (rows = concepts, columns = hidden size), in the
    /// order of ``RunVariant/layers``.
    ///
    /// - Throws: ``DriftError`` when the file is missing, not float, or its shape contradicts the manifest or the
    ///   concept list.
    public func hiddenStates(of variant: RunVariant) throws -> [Matrix] {
        let file = url.appendingPathComponent(Self.hiddenFileName(variant.name))
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw DriftError(
                .missing, "variant \"\(variant.name)\" is in the manifest but its vectors are missing", path: file.path)
        }
        let array = try NumpyArray(contentsOf: file)
        let expected = [variant.layers.count, concepts.count, variant.hiddenSize]
        guard array.shape == expected, array.elementType.isFloatingPoint else {
            throw DriftError(
                .corruptFile,
                "expected a float array of shape \(expected) (layers × concepts × hidden, from the manifest and "
                    + "concept_metadata.json), found \(array.elementType.rawValue) \(array.shape)",
                path: file.path)
        }
        let values = array.floatValues()
        let size = concepts.count * variant.hiddenSize
        return (0..<variant.layers.count).map { p in
            Matrix(
                rows: concepts.count, columns: variant.hiddenSize, storage: Array(values[(p * size)..<((p + 1) * size)])
            )
        }
    }

    // MARK: - Manifest

    /// The manifest in `directory` as a JSON object, or nil when there is none: ``DriftCore/RunManifest/read(in:)``.
    public static func readManifest(in directory: URL) throws -> [String: Any]? {
        try RunManifest.read(in: directory)
    }

    /// Reads the manifest of `directory` (or starts an empty one), lets `change` edit it, and writes it back
    /// atomically; every key `change` leaves alone is kept.
    ///
    /// - Throws: ``DriftError`` when the manifest is unreadable or cannot be written.
    public static func updateManifest(in directory: URL, _ change: (inout [String: Any]) throws -> Void) throws {
        var object = try readManifest(in: directory) ?? [:]
        object["format"] = format
        object["format_version"] = schemaVersion
        try change(&object)
        let file = directory.appendingPathComponent(manifestFileName)
        try AtomicFile.write(try PrettyJSON.data(object, path: file.path), to: file)
    }

    /// A JSON number, or null for NaN and infinities (which JSON cannot hold).
    package static func jsonNumber(_ x: Double) -> Any { x.isFinite ? x : NSNull() }

    /// An ISO 8601 timestamp (UTC, seconds).
    package static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    // MARK: - Concept metadata

    /// The concepts and categories of `concept_metadata.json` (its `rows`).
    static func readMetadata(in directory: URL) throws -> (concepts: [String], categories: [String]) {
        let file = directory.appendingPathComponent(metadataFileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw DriftError(.missing, "the run directory has no concept metadata", path: file.path)
        }
        guard let data = try? Data(contentsOf: file),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let rows = object["rows"] as? [[String: Any]]
        else {
            throw DriftError(.corruptFile, "expected a JSON object with \"rows\" of {term, category}", path: file.path)
        }
        var concepts: [String] = []
        var categories: [String] = []
        for (i, row) in rows.enumerated() {
            guard let term = row["term"] as? String, let category = row["category"] as? String else {
                throw DriftError(.corruptFile, "row \(i) lacks a term or category", path: file.path)
            }
            concepts.append(term)
            categories.append(category)
        }
        guard !concepts.isEmpty else { throw DriftError(.corruptFile, "no concepts", path: file.path) }
        return (concepts, categories)
    }
}
