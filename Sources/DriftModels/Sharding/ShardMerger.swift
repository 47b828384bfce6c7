import DriftCore
public import Foundation

/// Sharded extraction's bookkeeping and the join of the shards into one run directory.
///
/// A shard directory holds, for each variant, a folder `<variant>/` that is an ordinary run directory of the
/// concepts the shard computed for it (see ``VocabularyShard``: which concepts depends on the variant's
/// tokenizer), and at its top the whole vocabulary's `concept_metadata.json` and a manifest whose `shard` record
/// gives the shard's index and count, the batch size, the whole vocabulary's name, hash and size, and per variant
/// its fingerprint over the whole vocabulary (what the unsharded extraction records) and the concept rows it holds.
/// ``merge(_:into:date:)`` checks that the shards fit together — one fingerprint per variant, one template, batch
/// size and vocabulary, every shard exactly once and every concept once per variant — and writes the directory the
/// unsharded extraction writes: the same `.npy` bytes and concept metadata, manifest entries with the whole
/// vocabulary's fingerprints (so `compare` with the same arguments reuses them); only timings and dates differ.
public enum ShardMerger {
    /// The manifest key of the shard record.
    public static let manifestKey = "shard"

    /// What a merge joined.
    public struct Summary: Sendable, Equatable {
        /// The variants, in the shards' order.
        public var variants: [String]
        /// The number of shards joined.
        public var shards: Int
        /// The number of concepts of the merged run.
        public var concepts: Int
    }

    /// The folder of variant `name` inside a shard directory.
    public static func folder(of name: String, in directory: URL) -> URL {
        directory.appendingPathComponent(name, isDirectory: true)
    }

    /// The rows of variant `name` when the shard directory already holds it, complete, extracted with `fingerprint`.
    ///
    /// `fingerprint` is over the whole vocabulary; such a variant need not be extracted again. Nil otherwise.
    public static func completedRows(
        of name: String, fingerprint: String, shard: VocabularyShard, vocabulary: Vocabulary,
        settings: ExtractionSettings,
        in directory: URL
    ) throws -> [Int]? {
        guard let record = try RunManifest.read(in: directory)?.shard,
            samePlan(record, shard: shard, settings: settings),
            let entry = record.variants[name], entry.fingerprint == fingerprint
        else { return nil }
        let rows = entry.rows
        guard !rows.isEmpty else { return rows }
        guard rows.allSatisfy({ $0 >= 0 && $0 < vocabulary.count }) else { return nil }
        let sub = try Vocabulary(name: vocabulary.name, concepts: rows.map { vocabulary.concepts[$0] })
        let print = VariantFingerprint.compute(
            modelFilesHash: entry.modelFilesSha256 ?? "", scheme: entry.scheme,
            settings: settings, vocabularyHash: sub.contentHash, toolVersion: entry.toolVersion ?? "",
            compute: entry.compute.flatMap(ComputePrecision.init(rawValue:)) ?? .f32)
        return try ExtractionWriter.completedVariant(fingerprint: print, in: folder(of: name, in: directory)) == name
            ? rows : nil
    }

    /// Whether a directory's shard record is shard `shard` of the batch plan `settings` give: the same shard, batch
    /// size and prompt-prefix sharing (a record from before prefix sharing did not share).
    private static func samePlan(
        _ record: RunManifest.ShardRecord, shard: VocabularyShard, settings: ExtractionSettings
    ) -> Bool {
        record.index == shard.index && record.count == shard.count && record.maxBatchTokens == settings.maxBatchTokens
            && (record.sharesPromptPrefix ?? false) == settings.sharesPromptPrefix
    }

    /// Writes one variant of a shard: its vectors into `<directory>/<name>/`, then the shard record and the whole
    /// vocabulary's concept metadata at the top of `directory`.
    ///
    /// - Parameters:
    ///   - rows: the concept indices of `vocabulary` in `set` (from ``ShardExtractor``); `set` nil when empty.
    /// - Throws: ``DriftCore/DriftError`` when a file cannot be written or the directory holds another shard.
    public static func write(
        _ set: EmbeddingSet?, rows: [Int], record: VariantRecord, shard: VocabularyShard, vocabulary: Vocabulary,
        in directory: URL
    ) throws {
        var root = try RunManifest.read(in: directory) ?? RunManifest()
        var variants: [String: RunManifest.ShardRecord.Variant] = [:]
        if let existing = root.shard {
            guard samePlan(existing, shard: shard, settings: record.settings),
                existing.vocabularySha256 == vocabulary.contentHash
            else {
                throw DriftError(
                    .invalidArgument,
                    "this directory holds another shard (\(existing.index)/\(existing.count)), vocabulary, batch size or prefix sharing; give each shard its own --out",
                    path: directory.path)
            }
            variants = existing.variants
        }
        if let set { try ExtractionWriter.write(set, record: record, to: folder(of: record.name, in: directory)) }
        variants[record.name] = RunManifest.ShardRecord.Variant(
            fingerprint: record.fingerprint(vocabulary: vocabulary), rows: rows,
            modelFilesSha256: record.modelFiles.hash, toolVersion: record.toolVersion, scheme: record.scheme,
            compute: record.compute != .f32 ? record.compute.rawValue : nil)
        root.format = RunManifest.format
        root.formatVersion = RunManifest.version
        root.toolVersion = record.toolVersion
        root.shard = RunManifest.ShardRecord(
            index: shard.index, count: shard.count, maxBatchTokens: record.settings.maxBatchTokens,
            sharesPromptPrefix: record.settings.sharesPromptPrefix, vocabulary: vocabulary.name,
            vocabularySha256: vocabulary.contentHash, conceptCount: vocabulary.count, variants: variants)
        let layout = RunLayout(directory)
        var files: [(String, Data)] = []
        if try ExtractionWriter.checkMetadata(in: directory, vocabulary: vocabulary) {
            files.append(
                (
                    RunLayout.metadataFileName,
                    try ExtractionWriter.metadata(vocabulary: vocabulary, template: record.settings.template.text)
                        .fileData(path: layout.metadata.path)
                ))
        }
        files.append((RunLayout.manifestFileName, try root.fileData(path: layout.manifest.path)))
        try ExtractionWriter.commit(files, to: directory)
    }

    /// One shard directory as read for a merge.
    struct Part {
        var url: URL
        var manifest: RunManifest
        var record: RunManifest.ShardRecord
        var index: Int { record.index }
        var count: Int { record.count }
        /// Variant → what the shard holds of it.
        var variants: [String: RunManifest.ShardRecord.Variant] { record.variants }
        var metadata: ConceptMetadata
    }

    /// Joins shard directories (any order) into one run directory `out`, which must not hold a run yet.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the directory at fault when a directory is not a shard, the shards
    ///   disagree (shard count, vocabulary, template, batch size, prefix sharing, variants or a variant's fingerprint), a shard is
    ///   given twice or missing, a concept is held twice or by none, or an array has the wrong shape; nothing is
    ///   written then.
    @discardableResult
    public static func merge(_ directories: [URL], into out: URL, date: Date = Date()) throws -> Summary {
        guard !directories.isEmpty else {
            throw DriftError(.invalidArgument, "give the shard directories to merge")
        }
        if try RunManifest.read(in: out) != nil {
            throw DriftError(
                .invalidArgument,
                "--out already holds a run (\(RunLayout.manifestFileName)); merge into a new directory",
                path: out.path)
        }
        let parts = try directories.map(readPart)
        let first = parts[0]
        for part in parts.dropFirst() {
            func differ(_ what: String, _ a: Any?, _ b: Any?) -> DriftError {
                DriftError(
                    .invalidArgument,
                    "the shards do not belong together: \(what) is \(a.map { "\($0)" } ?? "missing") in \(first.url.path) but \(b.map { "\($0)" } ?? "missing") here",
                    path: part.url.path)
            }
            if part.count != first.count { throw differ("the number of shards", first.count, part.count) }
            let a = first.record
            let b = part.record
            let fields: [(String, Any?, Any?)] = [
                ("the vocabulary (vocabulary_sha256)", a.vocabularySha256, b.vocabularySha256),
                ("the vocabulary (concept_count)", a.conceptCount, b.conceptCount),
                ("the vocabulary (vocabulary)", a.vocabulary, b.vocabulary),
                ("the batch size", a.maxBatchTokens, b.maxBatchTokens),
                ("prompt-prefix sharing", a.sharesPromptPrefix, b.sharesPromptPrefix),
            ]
            for (what, x, y) in fields where "\(x ?? "")" != "\(y ?? "")" { throw differ(what, x, y) }
            if part.metadata.template != first.metadata.template {
                throw differ("the template", first.metadata.template, part.metadata.template)
            }
            if Set(part.variants.keys) != Set(first.variants.keys) {
                throw differ(
                    "the set of variants", first.variants.keys.sorted().joined(separator: ","),
                    part.variants.keys.sorted().joined(separator: ","))
            }
            for (name, variant) in first.variants.sorted(by: { $0.key < $1.key })
            where part.variants[name]?.fingerprint != variant.fingerprint {
                throw DriftError(
                    .invalidArgument,
                    "the shards do not belong together: variant '\(name)' has another fingerprint here than in \(first.url.path) (another model file, quantization scheme, compute precision, template, pooling, layer selection or tool version)",
                    path: part.url.path)
            }
        }
        // Every shard exactly once.
        var byIndex: [Int: Part] = [:]
        for part in parts {
            if let other = byIndex[part.index] {
                throw DriftError(
                    .invalidArgument,
                    "overlap: shard \(part.index)/\(part.count) is given twice (\(other.url.path) and \(part.url.path))"
                )
            }
            byIndex[part.index] = part
        }
        let missing = (0..<first.count).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            throw DriftError(
                .invalidArgument,
                "gap: shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(first.count)" }.joined(separator: ", ")) missing; merge needs all \(first.count)"
            )
        }
        let ordered = (0..<first.count).compactMap { byIndex[$0] }

        // The whole vocabulary, checked against the recorded hash.
        var vocabulary = try Vocabulary(
            name: first.record.vocabulary,
            concepts: first.metadata.rows.map {
                Concept(term: $0.term, category: $0.category, covariates: $0.covariates)
            })
        // The user's covariates ride along in the merged metadata.
        vocabulary.covariateNames = first.metadata.covariateNames
        guard vocabulary.contentHash == first.record.vocabularySha256, vocabulary.count == first.record.conceptCount
        else {
            throw DriftError(
                .corruptFile, "\(RunLayout.metadataFileName) does not hold the vocabulary the shard record names",
                path: first.url.path)
        }
        let total = vocabulary.count

        // Arrays and manifest entries, variant by variant in the run's order.
        var names = first.manifest.variantOrder ?? []
        names = names.filter { first.variants[$0] != nil } + first.variants.keys.sorted().filter { !names.contains($0) }
        var files: [(String, Data)] = []
        var entries: [RunManifest.Variant] = []
        for name in names {
            // Every concept exactly once.
            var owner = [Int](repeating: -1, count: total)
            for part in ordered {
                for row in part.variants[name]?.rows ?? [] {
                    guard row >= 0, row < total else {
                        throw DriftError(
                            .corruptFile, "variant '\(name)' lists row \(row) of \(total)", path: part.url.path)
                    }
                    if owner[row] >= 0 {
                        throw DriftError(
                            .invalidArgument,
                            "overlap: variant '\(name)': concept \(row) ('\(vocabulary.concepts[row].term)') is in shards \(owner[row]) and \(part.index)"
                        )
                    }
                    owner[row] = part.index
                }
            }
            if let gap = owner.firstIndex(of: -1) {
                throw DriftError(
                    .invalidArgument,
                    "gap: variant '\(name)': concept \(gap) ('\(vocabulary.concepts[gap].term)') is in no shard")
            }
            var hidden = Data()
            var embeddings = Data(count: 0)
            var shape: (layers: Int, width: Int)?
            var tokenCounts = [Int](repeating: 0, count: total)
            var tokens = 0
            var sums = (load: 0.0, tokenize: 0.0, forward: 0.0)
            var batches = 0
            var base: RunManifest.Variant?
            var outputs = MergedOutputs(variant: name, vocabulary: vocabulary)
            for part in ordered {
                let rows = part.variants[name]?.rows ?? []
                guard !rows.isEmpty else { continue }
                let folder = folder(of: name, in: part.url)
                guard let entry = try RunManifest.read(in: folder)?.variant(name) else {
                    throw DriftError(.missing, "variant '\(name)' of this shard is missing", path: folder.path)
                }
                let h = try array(RunLayout(folder).hidden(name))
                let e = try array(RunLayout(folder).embeddings(name))
                guard h.rank == 3, h.shape[1] == rows.count, e.shape == [rows.count, h.shape[2]] else {
                    throw DriftError(
                        .corruptFile,
                        "variant '\(name)': hidden \(h.shape) / embeddings \(e.shape) do not hold the shard's \(rows.count) concepts",
                        path: folder.path)
                }
                if let shape, shape.layers != h.shape[0] || shape.width != h.shape[2] {
                    throw DriftError(
                        .invalidArgument,
                        "variant '\(name)': \(h.shape[0]) layers × \(h.shape[2]) here but \(shape.layers) × \(shape.width) in another shard",
                        path: folder.path)
                }
                if shape == nil {
                    shape = (h.shape[0], h.shape[2])
                    hidden = Data(count: h.shape[0] * total * h.shape[2] * 4)
                    embeddings = Data(count: total * h.shape[2] * 4)
                    base = entry
                }
                let width = h.shape[2] * 4
                let layers = h.shape[0]
                // Row r of the shard is concept rows[r]: copy each row's bytes into its place, layer by layer.
                hidden.withUnsafeMutableBytes { target in
                    h.bytes.withUnsafeBytes { source in
                        guard let to = target.baseAddress, let from = source.baseAddress else { return }
                        for l in 0..<layers {
                            for (r, row) in rows.enumerated() {
                                (to + (l * total + row) * width).copyMemory(
                                    from: from + (l * rows.count + r) * width, byteCount: width)
                            }
                        }
                    }
                }
                embeddings.withUnsafeMutableBytes { target in
                    e.bytes.withUnsafeBytes { source in
                        guard let to = target.baseAddress, let from = source.baseAddress else { return }
                        for (r, row) in rows.enumerated() {
                            (to + row * width).copyMemory(from: from + r * width, byteCount: width)
                        }
                    }
                }
                try outputs.add(entry: entry, rows: rows, folder: folder)
                let counts = entry.tokenCounts ?? []
                for (r, row) in rows.enumerated() where r < counts.count { tokenCounts[row] = counts[r] }
                tokens += entry.tokens ?? 0
                let timings = entry.timings ?? RunManifest.Timings()
                sums.load += timings.loadSeconds ?? 0
                sums.tokenize += timings.tokenizeSeconds ?? 0
                sums.forward += timings.forwardSeconds ?? 0
                batches += timings.batches ?? 0
            }
            guard let shape, var entry = base else { continue }
            files.append(
                (
                    RunLayout.hiddenFileName(name),
                    try NumpyArray(
                        shape: [shape.layers, total, shape.width], elementType: .float32, littleEndianBytes: hidden
                    )
                    .npyData()
                ))
            files.append(
                (
                    RunLayout.embeddingsFileName(name),
                    try NumpyArray(shape: [total, shape.width], elementType: .float32, littleEndianBytes: embeddings)
                        .npyData()
                ))
            files += try outputs.files()
            outputs.record(in: &entry)
            entry.fingerprint = first.variants[name]?.fingerprint
            entry.vocabulary = vocabulary.name
            entry.vocabularySha256 = vocabulary.contentHash
            entry.conceptCount = total
            entry.tokenCounts = tokenCounts
            entry.tokens = tokens
            var timings = entry.timings ?? RunManifest.Timings()
            timings.loadSeconds = sums.load
            timings.tokenizeSeconds = sums.tokenize
            timings.forwardSeconds = sums.forward
            timings.batches = batches
            timings.tokensPerSecond = sums.forward > 0 ? Double(tokens) / sums.forward : 0
            entry.timings = timings
            entry.mergedFrom = ordered.map { $0.url.standardizedFileURL.path }
            entry.createdAt = RunManifest.timestamp(date)
            entries.append(entry)
        }
        let layout = RunLayout(out)
        files.append(
            (
                RunLayout.metadataFileName,
                try ExtractionWriter.metadata(vocabulary: vocabulary, template: first.metadata.template ?? "")
                    .fileData(path: layout.metadata.path)
            ))
        var root = RunManifest()
        root.updatedAt = RunManifest.timestamp(date)
        root.variants = entries
        root.variantOrder = names
        root.merged = RunManifest.MergeRecord(
            shards: first.count, from: ordered.map { $0.url.standardizedFileURL.path })
        root.toolVersion = first.manifest.toolVersion
        files.append((RunLayout.manifestFileName, try root.fileData(path: layout.manifest.path)))
        try ExtractionWriter.commit(files, to: out)
        return Summary(variants: names, shards: first.count, concepts: total)
    }

    /// Whether the shard in `directory` kept the next-token logits of variant `name`, or holds none of its concepts.
    public static func hasLogits(of name: String, in directory: URL) -> Bool {
        let layout = RunLayout(folder(of: name, in: directory))
        return !FileManager.default.fileExists(atPath: layout.hidden(name).path)
            || FileManager.default.fileExists(atPath: layout.logits(name).path)
    }

    static func readPart(_ url: URL) throws -> Part {
        guard let manifest = try RunManifest.read(in: url) else {
            throw DriftError(.missing, "not a run directory (no \(RunLayout.manifestFileName))", path: url.path)
        }
        guard let record = manifest.shard else {
            throw DriftError(
                .invalidArgument,
                "not a shard: its manifest has no shard record (extract or compare with --shard i/n)", path: url.path)
        }
        guard let metadata = try ConceptMetadata.read(in: url) else {
            throw DriftError(.missing, "the shard has no concept metadata", path: RunLayout(url).metadata.path)
        }
        return Part(url: url, manifest: manifest, record: record, metadata: metadata)
    }

    static func array(_ url: URL) throws -> NumpyArray {
        let array = try NumpyArray(contentsOf: url)
        guard array.elementType == .float32 else {
            throw DriftError(.corruptFile, "expected float32, found \(array.elementType.rawValue)", path: url.path)
        }
        return array
    }
}
