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
        _ = try RunManifest.read(in: directory)
        try checkMetadata(in: directory, vocabulary: vocabulary)
    }

    /// Writes `set` as variant `record.name` into `directory` (created if missing).
    ///
    /// - Throws: ``DriftCore/DriftError`` when the name is invalid, the directory holds another vocabulary or an
    ///   unreadable manifest, or a file cannot be written; the directory is then as it was.
    public static func write(_ set: EmbeddingSet, record: VariantRecord, to directory: URL, date: Date = Date()) throws
    {
        try validate(name: record.name)
        let layout = RunLayout(directory)
        var manifest = try RunManifest.read(in: directory) ?? RunManifest()
        let writeMetadata = try checkMetadata(in: directory, vocabulary: set.vocabulary)

        let embeddings = set.normalizedLastLayer()
        let hiddenShape = [set.layers.count, set.vocabulary.count, set.hiddenSize]
        let metadata = try self.metadata(vocabulary: set.vocabulary, template: record.settings.template.text)
            .fileData(path: layout.metadata.path)
        manifest.upsert(manifestEntry(set, record: record, date: date))
        manifest.format = RunManifest.format
        manifest.formatVersion = RunManifest.version
        manifest.toolVersion = record.toolVersion
        manifest.updatedAt = RunManifest.timestamp(date)
        let manifestData = try manifest.fileData(path: layout.manifest.path)

        var files: [(String, OutputFile)] = [
            (RunLayout.embeddingsFileName(record.name), .float32(embeddings)),
            (RunLayout.hiddenFileName(record.name), .float32Array(set.values, shape: hiddenShape)),
        ]
        if let logits = set.nextTokenLogits {
            files.append((RunLayout.logitsFileName(record.name), .float32(logits)))
        }
        if let lens = set.logitLens {
            files.append(
                (
                    RunLayout.logitLensFileName(record.name),
                    .bytes(Data(TableEncoding.csv(LogitLensRow.rows(lens, of: set)).utf8))
                ))
        }
        if let next = set.nextTokens {
            files.append(
                (
                    RunLayout.nextTokensFileName(record.name),
                    .bytes(Data(TableEncoding.csv(LogitLensRow.rows(next, of: set)).utf8))
                ))
        }
        if writeMetadata { files.append((RunLayout.metadataFileName, .bytes(metadata))) }
        files.append((RunLayout.manifestFileName, .bytes(manifestData)))
        try commit(files, to: directory)
    }

    /// The name of a variant in `directory` extracted with `fingerprint` whose files are all present, if any: such a
    /// variant need not be extracted again.
    ///
    /// - Throws: ``DriftCore/DriftError`` when the manifest is unreadable or of a newer version.
    public static func completedVariant(fingerprint: String, in directory: URL) throws -> String? {
        guard let manifest = try RunManifest.read(in: directory) else { return nil }
        let layout = RunLayout(directory)
        for entry in manifest.variants where entry.fingerprint == fingerprint {
            let files = [layout.embeddings(entry.name), layout.hidden(entry.name), layout.metadata]
            if files.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) { return entry.name }
        }
        return nil
    }

    // MARK: - Manifest and metadata

    /// Whether `concept_metadata.json` must be written (it is missing, or its user covariates differ from
    /// `vocabulary`'s); throws when it lists other concepts.
    @discardableResult
    static func checkMetadata(in directory: URL, vocabulary: Vocabulary) throws -> Bool {
        guard let existing = try ConceptMetadata.read(in: directory) else { return true }
        let url = RunLayout(directory).metadata
        guard existing.terms == vocabulary.terms, existing.categories == vocabulary.concepts.map(\.category) else {
            throw DriftError(
                .invalidArgument,
                "this directory already holds embeddings of another vocabulary (\(existing.rows.count) concepts, first '\(existing.rows.first?.term ?? "")'); use another --out",
                path: url.path)
        }
        // The same concepts with other user covariates (a column added to the vocabulary): rewrite the metadata.
        return existing.covariateNames != vocabulary.covariateNames
            || zip(existing.rows, vocabulary.concepts).contains { $0.covariates != $1.covariates }
    }

    /// The concept metadata of `vocabulary` extracted with `template`.
    static func metadata(vocabulary: Vocabulary, template: String) -> ConceptMetadata {
        var metadata = ConceptMetadata(
            rows: vocabulary.concepts.map {
                ConceptMetadata.Row(term: $0.term, category: $0.category, covariates: $0.covariates)
            },
            vocabulary: vocabulary.name, vocabularySha256: vocabulary.contentHash, template: template)
        metadata.covariateNames = vocabulary.covariateNames
        return metadata
    }

    /// The manifest entry of `set` extracted as `record` at `date`.
    static func manifestEntry(_ set: EmbeddingSet, record: VariantRecord, date: Date) -> RunManifest.Variant {
        let timings = set.timings
        var entry = RunManifest.Variant(
            name: record.name, layers: set.layers, hiddenSize: set.hiddenSize, conceptCount: set.vocabulary.count)
        entry.model = record.modelPath
        entry.fingerprint = record.fingerprint(vocabulary: set.vocabulary)
        entry.modelFilesSha256 = record.modelFiles.hash
        entry.modelFiles = record.modelFiles.files
        entry.dtype = record.modelFiles.weightDType
        entry.template = record.settings.template.text
        entry.addSpecialTokens = record.settings.addSpecialTokens
        entry.pooling = record.settings.pooling.rawValue
        entry.layerSelection = record.settings.layers.description
        entry.layerCount = record.layerCount
        entry.vocabulary = set.vocabulary.name
        entry.vocabularySha256 = set.vocabulary.contentHash
        entry.tokenCounts = set.tokenCounts
        entry.tokenFrequency = set.frequencyProxies
        entry.tokens = timings.tokens
        entry.files = RunManifest.Files(variant: record.name)
        if set.nextTokenLogits != nil { entry.files?.logits = RunLayout.logitsFileName(record.name) }
        if set.logitLens != nil { entry.files?.logitLens = RunLayout.logitLensFileName(record.name) }
        if set.nextTokens != nil { entry.files?.nextTokens = RunLayout.nextTokensFileName(record.name) }
        var recorded = RunManifest.Timings()
        recorded.loadSeconds = record.loadSeconds
        recorded.tokenizeSeconds = timings.tokenizeSeconds
        recorded.forwardSeconds = timings.forwardSeconds
        recorded.tokensPerSecond = timings.tokensPerSecond
        recorded.batches = timings.batches
        recorded.maxBatchTokens = record.settings.maxBatchTokens
        recorded.computedTokens = timings.computedTokens
        entry.timings = recorded
        entry.sharesPromptPrefix = record.settings.sharesPromptPrefix
        entry.toolVersion = record.toolVersion
        entry.createdAt = RunManifest.timestamp(date)
        entry.scheme = record.scheme
        entry.compute = record.compute.rawValue
        entry.hub = record.hub?.manifestObject
        return entry
    }

    // MARK: - All-or-nothing commit

    /// What goes into one output file.
    enum OutputFile {
        /// These bytes.
        case bytes(Data)
        /// A float32 `.npy` of this matrix, written straight from its storage (no copy of a large array in memory).
        case float32(Matrix)
        /// A float32 `.npy` of these values in this shape, written straight from them.
        case float32Array([Float], shape: [Int])
    }

    /// Writes every file into a staging folder in `directory`, then renames each into place (in order).
    static func commit(_ files: [(String, Data)], to directory: URL) throws {
        try commit(files.map { ($0, OutputFile.bytes($1)) }, to: directory)
    }

    /// Writes every file into a staging folder in `directory`, then renames each into place (in order).
    static func commit(_ files: [(String, OutputFile)], to directory: URL) throws {
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
            for (name, content) in files {
                let url = staging.appendingPathComponent(name)
                switch content {
                case .bytes(let data): try data.write(to: url)
                case .float32(let matrix): try NumpyArray.writeFloat32(matrix, to: url)
                case .float32Array(let values, let shape): try NumpyArray.writeFloat32(values, shape: shape, to: url)
                }
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
