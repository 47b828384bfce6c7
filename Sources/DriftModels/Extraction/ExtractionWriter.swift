import DriftCore
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes an extraction into a run directory, all or nothing.
///
/// The files:
/// - `embeddings_<name>.npy` — float32, concepts × hidden, the last selected layer, L2-normalised (the reference
///   study's file);
/// - `hidden_<name>.npy` — float32, selected layers × concepts × hidden, raw;
/// - `concept_metadata.json` — the concepts in row order with their categories, and the template (written once per
///   directory; a directory holding another vocabulary is refused);
/// - `manifest.json` — this variant's entry (replacing one of the same name, else appended), other entries and keys kept.
///
/// Every file is first written into a hidden staging folder inside the directory, then renamed into place, the
/// manifest last; on any error the staging folder is removed and nothing in the directory changes.
public enum ExtractionWriter {
    /// The manifest's format identifier and the newest version this tool reads and writes.
    public static let manifestFormat = RunManifest.format
    /// The manifest format version written.
    public static let manifestVersion = RunManifest.version

    /// The file names of variant `name`'s outputs.
    public static func embeddingsFileName(_ name: String) -> String { "embeddings_\(name).npy" }
    /// The raw hidden-state file of variant `name`.
    public static func hiddenFileName(_ name: String) -> String { "hidden_\(name).npy" }
    /// The concept metadata file (shared by every variant of a run).
    public static let metadataFileName = "concept_metadata.json"
    /// The manifest file.
    public static let manifestFileName = RunManifest.fileName

    /// Checks that `name` can be part of a file name: letters, digits, `.`, `_`, `-`, not starting with `.`.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) otherwise.
    public static func validate(name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "._-".unicodeScalars.contains($0)
        }
        guard !name.isEmpty, allowed, !name.hasPrefix("."), name.count <= 100 else {
            throw DriftError(
                .invalidArgument,
                "invalid variant name \"\(name)\": use 1–100 letters, digits, '.', '_' or '-', not starting with '.'")
        }
    }

    /// A valid variant name made from a model path's last component (other characters become `-`).
    public static func defaultName(forModelAt url: URL) -> String {
        var base = url.standardizedFileURL.lastPathComponent
        for suffix in [".gguf", ".safetensors"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        var name = String(
            String.UnicodeScalarView(
                base.unicodeScalars.map { scalar in
                    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                        || "._-".unicodeScalars.contains(scalar) ? scalar : "-"
                }))
        while name.hasPrefix(".") { name.removeFirst() }
        if name.isEmpty { name = "model" }
        return String(name.prefix(100))
    }

    /// Checks, before any work, that `directory` can take variant outputs for `vocabulary`: its manifest (if any) is
    /// readable and of a supported version, and its concept metadata (if any) lists the same concepts.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file that is in the way.
    public static func preflight(directory: URL, vocabulary: Vocabulary) throws {
        _ = try readManifest(in: directory)
        try checkMetadata(in: directory, vocabulary: vocabulary)
    }

    /// Writes `set` as variant `record.name` into `directory` (created if missing).
    ///
    /// - Throws: ``DriftCore/DriftError`` when the name is invalid, the directory holds another vocabulary or an
    ///   unreadable manifest, or a file cannot be written; the directory is then as it was.
    public static func write(_ set: EmbeddingSet, record: VariantRecord, to directory: URL, date: Date = Date()) throws
    {
        try validate(name: record.name)
        let manifest = try readManifest(in: directory)
        let writeMetadata = try checkMetadata(in: directory, vocabulary: set.vocabulary)

        let embeddings = NumpyArray(matrix: set.normalizedLastLayer()).npyData()
        let hidden = try NumpyArray(
            floats: set.values, shape: [set.layers.count, set.vocabulary.count, set.hiddenSize]
        )
        .npyData()
        let metadata = try PrettyJSON.data(
            metadataObject(vocabulary: set.vocabulary, template: record.settings.template.text), path: directory.path)
        var root = manifest ?? [:]
        var variants = (root["variants"] as? [[String: Any]]) ?? []
        let entry = manifestEntry(set, record: record, date: date)
        if let index = variants.firstIndex(where: { ($0["name"] as? String) == record.name }) {
            variants[index] = entry
        } else {
            variants.append(entry)
        }
        root["format"] = manifestFormat
        root["format_version"] = manifestVersion
        root["tool_version"] = record.toolVersion
        root["updated_at"] = timestamp(date)
        root["variants"] = variants
        let manifestData = try PrettyJSON.data(root, path: directory.appendingPathComponent(manifestFileName).path)

        var files: [(String, Data)] = [
            (embeddingsFileName(record.name), embeddings),
            (hiddenFileName(record.name), hidden),
        ]
        if writeMetadata { files.append((metadataFileName, metadata)) }
        files.append((manifestFileName, manifestData))
        try commit(files, to: directory)
    }

    /// The name of a variant in `directory` extracted with `fingerprint` whose files are all present, if any: such a
    /// variant need not be extracted again.
    ///
    /// - Throws: ``DriftCore/DriftError`` when the manifest is unreadable or of a newer version.
    public static func completedVariant(fingerprint: String, in directory: URL) throws -> String? {
        guard let manifest = try readManifest(in: directory),
            let variants = manifest["variants"] as? [[String: Any]]
        else { return nil }
        for entry in variants where entry["fingerprint"] as? String == fingerprint {
            guard let name = entry["name"] as? String else { continue }
            let files = [embeddingsFileName(name), hiddenFileName(name), metadataFileName]
            if files.allSatisfy({ FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }) {
                return name
            }
        }
        return nil
    }

    // MARK: - Manifest and metadata

    /// The manifest in `directory` as a JSON object, or nil when there is none: ``DriftCore/RunManifest/read(in:)``.
    public static func readManifest(in directory: URL) throws -> [String: Any]? {
        try RunManifest.read(in: directory)
    }

    /// Whether `concept_metadata.json` must be written (it is missing); throws when it lists other concepts.
    @discardableResult
    static func checkMetadata(in directory: URL, vocabulary: Vocabulary) throws -> Bool {
        let url = directory.appendingPathComponent(metadataFileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return true }
        let existing: Vocabulary
        do {
            existing = try Vocabulary.load(contentsOf: url)
        } catch let error as DriftError {
            throw DriftError(
                .corruptFile, "cannot read the existing concept metadata (\(error.message))", path: url.path)
        }
        guard existing.concepts == vocabulary.concepts else {
            throw DriftError(
                .invalidArgument,
                "this directory already holds embeddings of another vocabulary (\(existing.count) concepts, first '\(existing.concepts[0].term)'); use another --out",
                path: url.path)
        }
        return false
    }

    static func metadataObject(vocabulary: Vocabulary, template: String) -> [String: Any] {
        var categories: [String: String] = [:]
        for concept in vocabulary.concepts { categories[concept.term] = concept.category }
        return [
            "concepts": vocabulary.terms,
            "categories": categories,
            "rows": vocabulary.concepts.map { ["term": $0.term, "category": $0.category] },
            "template": template,
            "vocabulary": vocabulary.name,
            "vocabulary_sha256": vocabulary.contentHash,
        ]
    }

    static func manifestEntry(_ set: EmbeddingSet, record: VariantRecord, date: Date) -> [String: Any] {
        let timings = set.timings
        var entry: [String: Any] = [
            "name": record.name,
            "model": record.modelPath,
            "fingerprint": record.fingerprint(vocabulary: set.vocabulary),
            "model_files_sha256": record.modelFiles.hash,
            "model_files": record.modelFiles.files,
            "dtype": record.modelFiles.weightDType,
            "template": record.settings.template.text,
            "add_special_tokens": record.settings.addSpecialTokens,
            "pooling": record.settings.pooling.rawValue,
            "layer_selection": record.settings.layers.description,
            "layers": set.layers,
            "layer_count": record.layerCount,
            "hidden_size": set.hiddenSize,
            "vocabulary": set.vocabulary.name,
            "vocabulary_sha256": set.vocabulary.contentHash,
            "concept_count": set.vocabulary.count,
            "token_counts": set.tokenCounts,
            "tokens": timings.tokens,
            "files": [
                "embeddings": embeddingsFileName(record.name),
                "hidden": hiddenFileName(record.name),
                "metadata": metadataFileName,
            ],
            "timings": [
                "load_seconds": record.loadSeconds,
                "tokenize_seconds": timings.tokenizeSeconds,
                "forward_seconds": timings.forwardSeconds,
                "tokens_per_second": timings.tokensPerSecond,
                "batches": timings.batches,
                "max_batch_tokens": record.settings.maxBatchTokens,
                "computed_tokens": timings.computedTokens,
            ],
            "shares_prompt_prefix": record.settings.sharesPromptPrefix,
            "tool_version": record.toolVersion,
            "created_at": timestamp(date),
        ]
        if let scheme = record.scheme { entry["scheme"] = scheme }
        entry["compute"] = record.compute.rawValue
        if let hub = record.hub { entry["hub"] = hub.manifestObject }
        return entry
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    // MARK: - All-or-nothing commit

    /// Writes every file into a staging folder in `directory`, then renames each into place (in order).
    static func commit(_ files: [(String, Data)], to directory: URL) throws {
        let manager = FileManager.default
        let createdDirectory = !manager.fileExists(atPath: directory.path)
        ScratchFile.removeAbandoned(in: directory)
        let staging = directory.appendingPathComponent(ScratchFile.stagingName())
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw DriftError(
                .io, "cannot create the output folder: \(error.localizedDescription)", path: directory.path)
        }
        defer { try? manager.removeItem(at: staging) }
        do {
            for (name, data) in files {
                try data.write(to: staging.appendingPathComponent(name))
            }
        } catch {
            if createdDirectory { try? manager.removeItem(at: directory) }
            throw DriftError(.io, "cannot write the outputs: \(error.localizedDescription)", path: directory.path)
        }
        for (name, _) in files {
            let source = staging.appendingPathComponent(name).path
            let target = directory.appendingPathComponent(name).path
            guard rename(source, target) == 0 else {
                let reason = String(cString: strerror(errno))
                throw DriftError(.io, "cannot move the output into place: \(reason)", path: target)
            }
        }
    }
}
