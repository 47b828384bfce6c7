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
        guard let root = try ExtractionWriter.readManifest(in: directory),
            let record = root[manifestKey] as? [String: Any], samePlan(record, shard: shard, settings: settings),
            let entry = (record["variants"] as? [String: Any])?[name] as? [String: Any],
            entry["fingerprint"] as? String == fingerprint, let rows = entry["rows"] as? [Int]
        else { return nil }
        guard !rows.isEmpty else { return rows }
        guard rows.allSatisfy({ $0 >= 0 && $0 < vocabulary.count }) else { return nil }
        let sub = try Vocabulary(name: vocabulary.name, concepts: rows.map { vocabulary.concepts[$0] })
        let print = VariantFingerprint.compute(
            modelFilesHash: entry["model_files_sha256"] as? String ?? "", scheme: entry["scheme"] as? String,
            settings: settings, vocabularyHash: sub.contentHash, toolVersion: entry["tool_version"] as? String ?? "",
            compute: (entry["compute"] as? String).flatMap(ComputePrecision.init(rawValue:)) ?? .f32)
        return try ExtractionWriter.completedVariant(fingerprint: print, in: folder(of: name, in: directory)) == name
            ? rows : nil
    }

    /// Whether a directory's shard record is shard `shard` of the batch plan `settings` give: the same shard, batch
    /// size and prompt-prefix sharing (a record from before prefix sharing did not share).
    private static func samePlan(_ record: [String: Any], shard: VocabularyShard, settings: ExtractionSettings) -> Bool
    {
        record["index"] as? Int == shard.index && record["count"] as? Int == shard.count
            && record["max_batch_tokens"] as? Int == settings.maxBatchTokens
            && (record["shares_prompt_prefix"] as? Bool ?? false) == settings.sharesPromptPrefix
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
        var root = try ExtractionWriter.readManifest(in: directory) ?? [:]
        var variants: [String: Any] = [:]
        if let existing = root[manifestKey] as? [String: Any] {
            guard samePlan(existing, shard: shard, settings: record.settings),
                existing["vocabulary_sha256"] as? String == vocabulary.contentHash
            else {
                throw DriftError(
                    .invalidArgument,
                    "this directory holds another shard (\(existing["index"] ?? "?")/\(existing["count"] ?? "?")), vocabulary, batch size or prefix sharing; give each shard its own --out",
                    path: directory.path)
            }
            variants = existing["variants"] as? [String: Any] ?? [:]
        }
        if let set { try ExtractionWriter.write(set, record: record, to: folder(of: record.name, in: directory)) }
        var entry: [String: Any] = [
            "fingerprint": record.fingerprint(vocabulary: vocabulary), "rows": rows,
            "model_files_sha256": record.modelFiles.hash, "tool_version": record.toolVersion,
        ]
        if let scheme = record.scheme { entry["scheme"] = scheme }
        if record.compute != .f32 { entry["compute"] = record.compute.rawValue }
        variants[record.name] = entry
        root["format"] = ExtractionWriter.manifestFormat
        root["format_version"] = ExtractionWriter.manifestVersion
        root["tool_version"] = record.toolVersion
        root[manifestKey] =
            [
                "index": shard.index, "count": shard.count, "max_batch_tokens": record.settings.maxBatchTokens,
                "shares_prompt_prefix": record.settings.sharesPromptPrefix,
                "vocabulary": vocabulary.name, "vocabulary_sha256": vocabulary.contentHash,
                "concept_count": vocabulary.count, "variants": variants,
            ] as [String: Any]
        var files: [(String, Data)] = []
        if try ExtractionWriter.checkMetadata(in: directory, vocabulary: vocabulary) {
            files.append(
                (
                    ExtractionWriter.metadataFileName,
                    try PrettyJSON.data(
                        ExtractionWriter.metadataObject(
                            vocabulary: vocabulary, template: record.settings.template.text),
                        path: directory.path)
                ))
        }
        let url = directory.appendingPathComponent(ExtractionWriter.manifestFileName)
        files.append((ExtractionWriter.manifestFileName, try PrettyJSON.data(root, path: url.path)))
        try ExtractionWriter.commit(files, to: directory)
    }

    /// One shard directory as read for a merge.
    struct Part {
        var url: URL
        var manifest: [String: Any]
        var record: [String: Any]
        var index: Int
        var count: Int
        /// Variant → (fingerprint over the whole vocabulary, rows).
        var variants: [String: (fingerprint: String, rows: [Int])]
        var metadata: [String: Any]
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
        if try ExtractionWriter.readManifest(in: out) != nil {
            throw DriftError(
                .invalidArgument, "--out already holds a run (manifest.json); merge into a new directory",
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
            for key in ["vocabulary_sha256", "concept_count", "vocabulary", "max_batch_tokens", "shares_prompt_prefix"]
            where "\(part.record[key] ?? "")" != "\(first.record[key] ?? "")" {
                let what =
                    switch key {
                    case "max_batch_tokens": "the batch size"
                    case "shares_prompt_prefix": "prompt-prefix sharing"
                    default: "the vocabulary (\(key))"
                    }
                throw differ(what, first.record[key], part.record[key])
            }
            if part.metadata["template"] as? String != first.metadata["template"] as? String {
                throw differ("the template", first.metadata["template"], part.metadata["template"])
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
        guard let rows = first.metadata["rows"] as? [[String: String]] else {
            throw DriftError(
                .corruptFile, "concept_metadata.json has no rows",
                path: first.url.appendingPathComponent(ExtractionWriter.metadataFileName).path)
        }
        let vocabulary = try Vocabulary(
            name: first.record["vocabulary"] as? String ?? "merged",
            concepts: rows.map { Concept(term: $0["term"] ?? "", category: $0["category"] ?? "") })
        guard vocabulary.contentHash == first.record["vocabulary_sha256"] as? String,
            vocabulary.count == first.record["concept_count"] as? Int
        else {
            throw DriftError(
                .corruptFile, "concept_metadata.json does not hold the vocabulary the shard record names",
                path: first.url.path)
        }
        let total = vocabulary.count

        // Arrays and manifest entries, variant by variant in the run's order.
        var names = first.manifest["variant_order"] as? [String] ?? []
        names = names.filter { first.variants[$0] != nil } + first.variants.keys.sorted().filter { !names.contains($0) }
        var files: [(String, Data)] = []
        var entries: [[String: Any]] = []
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
            var tokenCounts = [Any](repeating: 0, count: total)
            var tokens = 0
            var sums: [String: Double] = [:]
            var batches = 0
            var base: [String: Any]?
            for part in ordered {
                let rows = part.variants[name]?.rows ?? []
                guard !rows.isEmpty else { continue }
                let folder = folder(of: name, in: part.url)
                guard let manifest = try ExtractionWriter.readManifest(in: folder),
                    let entry = (manifest["variants"] as? [[String: Any]])?.first(where: {
                        $0["name"] as? String == name
                    })
                else {
                    throw DriftError(.missing, "variant '\(name)' of this shard is missing", path: folder.path)
                }
                let h = try array(ExtractionWriter.hiddenFileName(name), in: folder)
                let e = try array(ExtractionWriter.embeddingsFileName(name), in: folder)
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
                let counts = entry["token_counts"] as? [Any] ?? []
                for (r, row) in rows.enumerated() where r < counts.count { tokenCounts[row] = counts[r] }
                tokens += entry["tokens"] as? Int ?? 0
                let timings = entry["timings"] as? [String: Any] ?? [:]
                for key in ["load_seconds", "tokenize_seconds", "forward_seconds"] {
                    sums[key, default: 0] += (timings[key] as? Double) ?? 0
                }
                batches += timings["batches"] as? Int ?? 0
            }
            guard let shape, var entry = base else { continue }
            files.append(
                (
                    ExtractionWriter.hiddenFileName(name),
                    try NumpyArray(
                        shape: [shape.layers, total, shape.width], elementType: .float32, littleEndianBytes: hidden
                    )
                    .npyData()
                ))
            files.append(
                (
                    ExtractionWriter.embeddingsFileName(name),
                    try NumpyArray(shape: [total, shape.width], elementType: .float32, littleEndianBytes: embeddings)
                        .npyData()
                ))
            entry["fingerprint"] = first.variants[name]?.fingerprint
            entry["vocabulary"] = vocabulary.name
            entry["vocabulary_sha256"] = vocabulary.contentHash
            entry["concept_count"] = total
            entry["token_counts"] = tokenCounts
            entry["tokens"] = tokens
            var timings = entry["timings"] as? [String: Any] ?? [:]
            for (key, value) in sums { timings[key] = value }
            timings["batches"] = batches
            let forward = sums["forward_seconds"] ?? 0
            timings["tokens_per_second"] = forward > 0 ? Double(tokens) / forward : 0
            entry["timings"] = timings
            entry["merged_from"] = ordered.map { $0.url.standardizedFileURL.path }
            entry["created_at"] = timestamp(date)
            entries.append(entry)
        }
        files.append(
            (
                ExtractionWriter.metadataFileName,
                try PrettyJSON.data(
                    ExtractionWriter.metadataObject(
                        vocabulary: vocabulary, template: first.metadata["template"] as? String ?? ""),
                    path: out.path)
            ))
        var root: [String: Any] = [
            "format": ExtractionWriter.manifestFormat, "format_version": ExtractionWriter.manifestVersion,
            "updated_at": timestamp(date), "variants": entries, "variant_order": names,
            "merged": ["shards": first.count, "from": ordered.map { $0.url.standardizedFileURL.path }] as [String: Any],
        ]
        if let tool = first.manifest["tool_version"] { root["tool_version"] = tool }
        let manifestURL = out.appendingPathComponent(ExtractionWriter.manifestFileName)
        files.append((ExtractionWriter.manifestFileName, try PrettyJSON.data(root, path: manifestURL.path)))
        try ExtractionWriter.commit(files, to: out)
        return Summary(variants: names, shards: first.count, concepts: total)
    }

    static func readPart(_ url: URL) throws -> Part {
        guard let manifest = try ExtractionWriter.readManifest(in: url) else {
            throw DriftError(.missing, "not a run directory (no manifest.json)", path: url.path)
        }
        guard let record = manifest[manifestKey] as? [String: Any], let index = record["index"] as? Int,
            let count = record["count"] as? Int, let listed = record["variants"] as? [String: Any]
        else {
            throw DriftError(
                .invalidArgument,
                "not a shard: its manifest has no shard record (extract or compare with --shard i/n)", path: url.path)
        }
        var variants: [String: (fingerprint: String, rows: [Int])] = [:]
        for (name, value) in listed {
            guard let entry = value as? [String: Any], let fingerprint = entry["fingerprint"] as? String,
                let rows = entry["rows"] as? [Int]
            else {
                throw DriftError(.corruptFile, "the shard record of variant '\(name)' is malformed", path: url.path)
            }
            variants[name] = (fingerprint, rows)
        }
        let metadataURL = url.appendingPathComponent(ExtractionWriter.metadataFileName)
        let metadata: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: metadataURL)) as? [String: Any]
            else { throw DriftError(.corruptFile, "not a JSON object", path: metadataURL.path) }
            metadata = object
        } catch let error as DriftError {
            throw error
        } catch {
            throw DriftError(
                .corruptFile, "cannot read the concept metadata: \(error.localizedDescription)", path: metadataURL.path)
        }
        return Part(
            url: url, manifest: manifest, record: record, index: index, count: count, variants: variants,
            metadata: metadata)
    }

    static func array(_ name: String, in directory: URL) throws -> NumpyArray {
        let url = directory.appendingPathComponent(name)
        let array = try NumpyArray(contentsOf: url)
        guard array.elementType == .float32 else {
            throw DriftError(.corruptFile, "expected float32, found \(array.elementType.rawValue)", path: url.path)
        }
        return array
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
