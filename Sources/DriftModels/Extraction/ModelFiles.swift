import DriftCore
public import Foundation

/// What identifies a model on disk, read without loading its weights: a SHA-256 over `config.json`,
/// `tokenizer.json` (and the other small JSON files that change the tokens or the architecture), every safetensors
/// file's size and header (names, dtypes, shapes and offsets of every tensor) and samples of every tensor's data
/// (its first, middle and last 4 KiB), plus the weights' storage dtype.
///
/// Hashing headers and samples instead of the full weights keeps this instant for gigabyte checkpoints, while a
/// re-saved, re-quantized or re-shaped checkpoint changes it, and so does a checkpoint of the same shapes with other
/// values (the next checkpoint of a training run, a merged LoRA adapter touching a few tensors): every tensor
/// training touched differs in its first bytes. A single-file model is hashed by its size, its first 16 MiB (which
/// hold a GGUF file's metadata), its last 1 MiB and, for GGUF and safetensors, the same samples of every tensor.
public struct ModelFiles: Sendable, Equatable {
    /// The hexadecimal SHA-256 described above.
    public var hash: String
    /// The storage dtype of most weight elements (`F32`, `BF16`, `F16`, …), or `unknown`.
    public var weightDType: String
    /// The files that went into ``hash``, relative to the model folder, in hashing order.
    public var files: [String]

    /// The small JSON files that define a model's architecture and tokens, hashed whole when present.
    static let definingFiles = [
        "config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
        "model.safetensors.index.json",
    ]
    /// The most header bytes a safetensors file may declare (larger means a corrupt file).
    static let maximumSafetensorsHeader: UInt64 = 100 << 20

    /// Inspects the model at `url`: a checkpoint folder, or a single model file.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file when the folder has no `config.json` and no weights, a file
    ///   cannot be read, or a safetensors header length does not fit in its file.
    public static func inspect(_ url: URL) throws -> ModelFiles {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw DriftError(.missing, "no model here (expected a checkpoint folder or a model file)", path: url.path)
        }
        var hasher = SHA256()
        hasher.update(text: "embedding-drift model files v2\n")
        var files: [String] = []
        var dtypeElements: [String: Int] = [:]
        if !isDirectory.boolValue {
            try hashSingleFile(url, into: &hasher)
            return ModelFiles(hash: hasher.hexDigest(), weightDType: "unknown", files: [url.lastPathComponent])
        }
        for name in definingFiles {
            let file = url.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            let data = try read(file)
            record(name: name, size: UInt64(data.count), into: &hasher)
            hasher.update(data: data)
            files.append(name)
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw DriftError(.io, "cannot list the model folder: \(error.localizedDescription)", path: url.path)
        }
        let weights = entries.filter { $0.hasSuffix(".safetensors") }.sorted()
        guard files.contains("config.json") || !weights.isEmpty else {
            throw DriftError(
                .missing, "the model folder has neither config.json nor .safetensors weights", path: url.path)
        }
        for name in weights {
            let file = url.appendingPathComponent(name)
            let (size, header) = try safetensorsHeader(file)
            record(name: name, size: size, into: &hasher)
            hasher.update(data: header)
            files.append(name)
            try hashSafetensorsSamples(header: header, of: file, size: size, into: &hasher, dtypes: &dtypeElements)
        }
        let dtype = dtypeElements.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "unknown"
        return ModelFiles(hash: hasher.hexDigest(), weightDType: dtype, files: files)
    }

    private static func record(name: String, size: UInt64, into hasher: inout SHA256) {
        let nameBytes = Array(name.utf8)
        hasher.update(text: "\(nameBytes.count):")
        hasher.update(nameBytes)
        hasher.update(text: " \(size)\n")
    }

    private static func read(_ file: URL) throws -> Data {
        do {
            return try Data(contentsOf: file)
        } catch {
            throw DriftError(.io, "cannot read: \(error.localizedDescription)", path: file.path)
        }
    }

    /// `file` opened for reading.
    private static func open(_ file: URL) throws -> FileHandle {
        do {
            return try FileHandle(forReadingFrom: file)
        } catch {
            throw DriftError(.io, "cannot open: \(error.localizedDescription)", path: file.path)
        }
    }

    /// The file's size and its first `8 + N` bytes (the little-endian header length and the JSON header).
    private static func safetensorsHeader(_ file: URL) throws -> (UInt64, Data) {
        let handle = try open(file)
        defer { try? handle.close() }
        do {
            let size = try handle.seekToEnd()
            try handle.seek(toOffset: 0)
            guard size >= 8, let prefix = try handle.read(upToCount: 8), prefix.count == 8 else {
                throw DriftError(.corruptFile, "too short for a safetensors file (\(size) bytes)", path: file.path)
            }
            let length = prefix.reversed().reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
            guard length <= maximumSafetensorsHeader, length <= size - 8 else {
                throw DriftError(
                    .corruptFile, "the safetensors header claims \(length) bytes but the file has \(size)",
                    path: file.path)
            }
            guard let header = try handle.read(upToCount: Int(length)), header.count == Int(length) else {
                throw DriftError(.corruptFile, "the safetensors header is truncated", path: file.path)
            }
            return (size, prefix + header)
        } catch let error as DriftError {
            throw error
        } catch {
            throw DriftError(.io, "cannot read: \(error.localizedDescription)", path: file.path)
        }
    }

    /// Adds each tensor's element count to its dtype's total and returns where the tensors' data lie, relative to
    /// the end of the header, in the order of their names (a header that does not parse counts nothing).
    private static func countElements(header: Data, into totals: inout [String: Int]) -> [Range<UInt64>] {
        guard let object = try? JSONSerialization.jsonObject(with: header.dropFirst(8)) as? [String: Any] else {
            return []
        }
        var spans: [(String, Range<UInt64>)] = []
        for (name, value) in object where name != "__metadata__" {
            guard let tensor = value as? [String: Any], let dtype = tensor["dtype"] as? String,
                let shape = tensor["shape"] as? [Int]
            else { continue }
            totals[dtype, default: 0] += shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
            if let offsets = tensor["data_offsets"] as? [Int], offsets.count == 2, offsets[0] >= 0,
                offsets[1] >= offsets[0]
            {
                spans.append((name, UInt64(offsets[0])..<UInt64(offsets[1])))
            }
        }
        return spans.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The samples of every tensor of the safetensors `file` whose header (with its length) is `header`; each
    /// tensor's element count is added to its dtype's total in `dtypes`.
    private static func hashSafetensorsSamples(
        header: Data, of file: URL, size: UInt64, into hasher: inout SHA256, dtypes: inout [String: Int]
    ) throws {
        let start = UInt64(header.count)
        let spans = countElements(header: header, into: &dtypes)
        try hashSamples(
            of: spans.map { (start + $0.lowerBound)..<(start + $0.upperBound) }, in: file, size: size, into: &hasher)
    }

    /// The bytes of every tensor's data sampled into the hash: where a tensor's data lie (`spans`, absolute offsets
    /// in `file`), its first, middle and last 4 KiB (fewer for a small tensor; parts outside the file are skipped,
    /// the loader reports such a file).
    private static func hashSamples(
        of spans: [Range<UInt64>], in file: URL, size: UInt64, into hasher: inout SHA256
    ) throws {
        guard !spans.isEmpty else { return }
        let handle = try open(file)
        defer { try? handle.close() }
        let sample: UInt64 = 4096
        // Never more bytes than the file holds: a hostile header of a million overlapping tensors reads no more.
        var remaining = size
        do {
            for span in spans where span.upperBound <= size {
                let length = span.upperBound - span.lowerBound
                var starts = [span.lowerBound, span.lowerBound + length / 2 - min(length / 2, sample / 2)]
                if length > sample { starts.append(span.upperBound - sample) }
                for start in starts {
                    guard remaining > 0 else { return }
                    let count = min(sample, span.upperBound - start, remaining)
                    guard count > 0 else { continue }
                    try handle.seek(toOffset: start)
                    let data = try handle.read(upToCount: Int(count)) ?? Data()
                    hasher.update(data: data)
                    remaining -= UInt64(data.count)
                }
            }
        } catch {
            throw DriftError(.io, "cannot read: \(error.localizedDescription)", path: file.path)
        }
    }

    private static func hashSingleFile(_ file: URL, into hasher: inout SHA256) throws {
        let handle = try open(file)
        defer { try? handle.close() }
        var head = Data()
        var size: UInt64 = 0
        do {
            size = try handle.seekToEnd()
            record(name: file.lastPathComponent, size: size, into: &hasher)
            try handle.seek(toOffset: 0)
            head = try handle.read(upToCount: 16 << 20) ?? Data()
            hasher.update(data: head)
            let tailStart = max(UInt64(head.count), size > (1 << 20) ? size - (1 << 20) : 0)
            try handle.seek(toOffset: tailStart)
            hasher.update(data: try handle.readToEnd() ?? Data())
        } catch {
            throw DriftError(.io, "cannot read: \(error.localizedDescription)", path: file.path)
        }
        // A GGUF file's tensors, sampled as a safetensors file's are (a file that does not parse is reported by
        // the loader; its head and tail are hashed all the same).
        if head.starts(with: Array("GGUF".utf8)), let gguf = try? GGUFFile(path: file.path) {
            let spans = gguf.tensors.sorted { $0.name < $1.name }.map {
                UInt64(gguf.dataStart + $0.offset)..<UInt64(gguf.dataStart + $0.offset + $0.byteCount)
            }
            try hashSamples(of: spans, in: file, size: size, into: &hasher)
        } else if file.pathExtension == "safetensors", let (_, header) = try? safetensorsHeader(file) {
            // A lone safetensors file: its tensors as a folder's (a header that does not parse samples nothing).
            var dtypes: [String: Int] = [:]
            try hashSafetensorsSamples(header: header, of: file, size: size, into: &hasher, dtypes: &dtypes)
        }
    }
}
