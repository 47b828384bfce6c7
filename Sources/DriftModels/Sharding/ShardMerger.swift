import DriftCore
public import Foundation

/// Sharded extraction's bookkeeping and the join of the shards into one run directory.
///
/// A shard directory is an ordinary run directory of one ``VocabularyShard``'s concepts whose manifest also holds a
/// `shard` record: the shard's index and count, its rows of the whole vocabulary, the whole vocabulary's name, hash
/// and size, and each variant's fingerprint over the whole vocabulary (what the unsharded extraction would record).
/// ``merge(_:into:date:)`` checks that the shards fit together — one model/settings/tool fingerprint per variant,
/// one template, one vocabulary, every shard exactly once — and writes the directory the unsharded extraction writes:
/// the same `.npy` bytes and concept metadata, and manifest entries with the whole vocabulary's fingerprints (so
/// `compare` with the same arguments reuses them); only timings and dates differ.
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

    /// Records in `directory`'s manifest that it holds `shard` of `vocabulary`.
    ///
    /// - Parameters:
    ///   - fingerprints: variant name → its fingerprint over the whole `vocabulary` (merged into those already
    ///     recorded for this shard).
    /// - Throws: ``DriftCore/DriftError`` when the manifest is unreadable or already records another shard.
    public static func record(
        _ shard: VocabularyShard, of vocabulary: Vocabulary, fingerprints: [String: String], in directory: URL
    ) throws {
        var root = try ExtractionWriter.readManifest(in: directory) ?? [:]
        let rows = shard.range(ofTotal: vocabulary.count)
        var known: [String: String] = [:]
        if let existing = root[manifestKey] as? [String: Any] {
            guard existing["index"] as? Int == shard.index, existing["count"] as? Int == shard.count,
                existing["vocabulary_sha256"] as? String == vocabulary.contentHash
            else {
                throw DriftError(
                    .invalidArgument,
                    "this directory holds another shard (\(existing["index"] ?? "?")/\(existing["count"] ?? "?")) or vocabulary; give each shard its own --out",
                    path: directory.path)
            }
            known = existing["fingerprints"] as? [String: String] ?? [:]
        }
        known.merge(fingerprints) { _, new in new }
        root[manifestKey] = [
            "index": shard.index, "count": shard.count, "start": rows.lowerBound, "end": rows.upperBound,
            "vocabulary": vocabulary.name, "vocabulary_sha256": vocabulary.contentHash,
            "concept_count": vocabulary.count, "fingerprints": known,
        ] as [String: Any]
        let url = directory.appendingPathComponent(ExtractionWriter.manifestFileName)
        try ExtractionWriter.commit([(ExtractionWriter.manifestFileName, try json(root, path: url.path))], to: directory)
    }

    /// One shard directory as read for a merge.
    struct Part {
        var url: URL
        var manifest: [String: Any]
        var record: [String: Any]
        var index: Int
        var count: Int
        var rows: Range<Int>
        var fingerprints: [String: String]
        var entries: [[String: Any]]
        var metadata: [String: Any]
    }

    /// Joins shard directories (any order) into one run directory `out`, which must not hold a run yet.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the directory at fault when a directory is not a shard, the shards
    ///   disagree (shard count, vocabulary, template, variants or a variant's fingerprint), a shard is given twice
    ///   or missing, or an array has the wrong shape; nothing is written then.
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
            for key in ["vocabulary_sha256", "concept_count", "vocabulary"]
            where "\(part.record[key] ?? "")" != "\(first.record[key] ?? "")" {
                throw differ("the vocabulary (\(key))", first.record[key], part.record[key])
            }
            if part.metadata["template"] as? String != first.metadata["template"] as? String {
                throw differ("the template", first.metadata["template"], part.metadata["template"])
            }
            if Set(part.fingerprints.keys) != Set(first.fingerprints.keys) {
                throw differ(
                    "the set of variants", first.fingerprints.keys.sorted().joined(separator: ","),
                    part.fingerprints.keys.sorted().joined(separator: ","))
            }
            for (name, fingerprint) in first.fingerprints.sorted(by: { $0.key < $1.key })
            where part.fingerprints[name] != fingerprint {
                throw DriftError(
                    .invalidArgument,
                    "the shards do not belong together: variant '\(name)' has another fingerprint here than in \(first.url.path) (another model file, quantization scheme, template, pooling, layer selection or tool version)",
                    path: part.url.path)
            }
        }
        // Every shard exactly once.
        var byIndex: [Int: Part] = [:]
        for part in parts {
            if let other = byIndex[part.index] {
                throw DriftError(
                    .invalidArgument,
                    "overlap: shard \(part.index)/\(part.count) is given twice (\(other.url.path) and \(part.url.path))")
            }
            byIndex[part.index] = part
        }
        let missing = (0..<first.count).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            throw DriftError(
                .invalidArgument,
                "gap: shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(first.count)" }.joined(separator: ", ")) missing; merge needs all \(first.count)")
        }
        let ordered = (0..<first.count).compactMap { byIndex[$0] }
        guard let total = first.record["concept_count"] as? Int else {
            throw DriftError(.corruptFile, "the shard record has no concept_count", path: first.url.path)
        }
        var next = 0
        for part in ordered {
            let expected = try VocabularyShard(index: part.index, count: part.count).range(ofTotal: total)
            guard part.rows.lowerBound == next, part.rows == expected else {
                throw DriftError(
                    .invalidArgument,
                    "shard \(part.index)/\(part.count) holds rows \(part.rows.lowerBound)..<\(part.rows.upperBound), not the next ones after \(next) (overlap or gap)",
                    path: part.url.path)
            }
            next = part.rows.upperBound
        }
        guard next == total else {
            throw DriftError(.invalidArgument, "gap: the shards cover \(next) of \(total) concepts")
        }

        // The whole vocabulary, checked against the recorded hash.
        var concepts: [Concept] = []
        for part in ordered {
            guard let rows = part.metadata["rows"] as? [[String: String]], rows.count == part.rows.count else {
                throw DriftError(
                    .corruptFile, "concept_metadata.json lists other rows than the shard record says",
                    path: part.url.appendingPathComponent(ExtractionWriter.metadataFileName).path)
            }
            for row in rows {
                concepts.append(Concept(term: row["term"] ?? "", category: row["category"] ?? ""))
            }
        }
        let vocabulary = try Vocabulary(name: first.record["vocabulary"] as? String ?? "merged", concepts: concepts)
        guard vocabulary.contentHash == first.record["vocabulary_sha256"] as? String else {
            throw DriftError(
                .corruptFile, "the shards' concepts joined do not give the recorded vocabulary (hash differs)",
                path: first.url.path)
        }

        // Arrays and manifest entries, variant by variant in the first shard's order.
        let names = first.entries.compactMap { $0["name"] as? String }.filter { first.fingerprints[$0] != nil }
        var files: [(String, Data)] = []
        var entries: [[String: Any]] = []
        for name in names {
            var hiddenBytes: [Data] = []
            var hiddenShape: (layers: Int, width: Int)?
            var embeddings = Data()
            var tokenCounts: [Any] = []
            var tokens = 0
            var sums: [String: Double] = [:]
            var batches = 0
            for part in ordered {
                guard let entry = part.entries.first(where: { $0["name"] as? String == name }) else {
                    throw DriftError(.missing, "variant '\(name)' is not in this shard's manifest", path: part.url.path)
                }
                let hidden = try array(ExtractionWriter.hiddenFileName(name), in: part.url)
                let embedded = try array(ExtractionWriter.embeddingsFileName(name), in: part.url)
                let n = part.rows.count
                guard hidden.rank == 3, hidden.shape[1] == n, embedded.shape == [n, hidden.shape[2]] else {
                    throw DriftError(
                        .corruptFile,
                        "variant '\(name)': hidden \(hidden.shape) / embeddings \(embedded.shape) do not hold the shard's \(n) concepts",
                        path: part.url.path)
                }
                if let shape = hiddenShape, shape.layers != hidden.shape[0] || shape.width != hidden.shape[2] {
                    throw DriftError(
                        .invalidArgument,
                        "variant '\(name)': \(hidden.shape[0]) layers × \(hidden.shape[2]) here but \(shape.layers) × \(shape.width) in shard 0",
                        path: part.url.path)
                }
                hiddenShape = (hidden.shape[0], hidden.shape[2])
                hiddenBytes.append(hidden.bytes)
                embeddings.append(embedded.bytes)
                tokenCounts += entry["token_counts"] as? [Any] ?? []
                tokens += entry["tokens"] as? Int ?? 0
                let timings = entry["timings"] as? [String: Any] ?? [:]
                for key in ["load_seconds", "tokenize_seconds", "forward_seconds"] {
                    sums[key, default: 0] += (timings[key] as? Double) ?? 0
                }
                batches += timings["batches"] as? Int ?? 0
            }
            guard let shape = hiddenShape else { continue }
            // hidden: layers × concepts × width — each layer's block is the shards' blocks in order.
            var merged = Data(capacity: hiddenBytes.reduce(0) { $0 + $1.count })
            for layer in 0..<shape.layers {
                for (part, bytes) in zip(ordered, hiddenBytes) {
                    let block = part.rows.count * shape.width * 4
                    let start = bytes.startIndex + layer * block
                    merged.append(bytes[start..<(start + block)])
                }
            }
            let hidden = try NumpyArray(
                shape: [shape.layers, total, shape.width], elementType: .float32, littleEndianBytes: merged)
            let embedded = try NumpyArray(
                shape: [total, shape.width], elementType: .float32, littleEndianBytes: embeddings)
            files.append((ExtractionWriter.hiddenFileName(name), hidden.npyData()))
            files.append((ExtractionWriter.embeddingsFileName(name), embedded.npyData()))

            var entry = first.entries.first { $0["name"] as? String == name } ?? [:]
            entry["fingerprint"] = first.fingerprints[name]
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
        let metadataURL = out.appendingPathComponent(ExtractionWriter.metadataFileName)
        files.append(
            (
                ExtractionWriter.metadataFileName,
                try json(
                    ExtractionWriter.metadataObject(
                        vocabulary: vocabulary, template: first.metadata["template"] as? String ?? ""),
                    path: metadataURL.path)
            ))
        var root: [String: Any] = [
            "format": ExtractionWriter.manifestFormat, "format_version": ExtractionWriter.manifestVersion,
            "updated_at": timestamp(date), "variants": entries,
            "merged": ["shards": first.count, "from": ordered.map { $0.url.standardizedFileURL.path }] as [String: Any],
        ]
        if let tool = first.manifest["tool_version"] { root["tool_version"] = tool }
        if let order = first.manifest["variant_order"] as? [String] { root["variant_order"] = order }
        let manifestURL = out.appendingPathComponent(ExtractionWriter.manifestFileName)
        files.append((ExtractionWriter.manifestFileName, try json(root, path: manifestURL.path)))
        try ExtractionWriter.commit(files, to: out)
        return Summary(variants: names, shards: first.count, concepts: total)
    }

    static func readPart(_ url: URL) throws -> Part {
        guard let manifest = try ExtractionWriter.readManifest(in: url) else {
            throw DriftError(.missing, "not a run directory (no manifest.json)", path: url.path)
        }
        guard let record = manifest[manifestKey] as? [String: Any], let index = record["index"] as? Int,
            let count = record["count"] as? Int, let start = record["start"] as? Int, let end = record["end"] as? Int,
            start <= end, let fingerprints = record["fingerprints"] as? [String: String]
        else {
            throw DriftError(
                .invalidArgument,
                "not a shard: its manifest has no shard record (extract or compare with --shard i/n)", path: url.path)
        }
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("noise").path) {
            throw DriftError(
                .unsupported, "merging shards with noise-floor templates (noise/) is not supported", path: url.path)
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
            url: url, manifest: manifest, record: record, index: index, count: count, rows: start..<end,
            fingerprints: fingerprints, entries: manifest["variants"] as? [[String: Any]] ?? [], metadata: metadata)
    }

    static func array(_ name: String, in directory: URL) throws -> NumpyArray {
        let url = directory.appendingPathComponent(name)
        let array = try NumpyArray(contentsOf: url)
        guard array.elementType == .float32 else {
            throw DriftError(.corruptFile, "expected float32, found \(array.elementType.rawValue)", path: url.path)
        }
        return array
    }

    static func json(_ object: Any, path: String) throws -> Data {
        do {
            var data = try JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            data.append(0x0A)
            return data
        } catch {
            throw DriftError(.io, "cannot encode JSON: \(error.localizedDescription)", path: path)
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
