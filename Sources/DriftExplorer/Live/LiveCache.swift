import DriftCore
import Foundation

/// The terms live mode has embedded, in memory and in the run directory's live cache file (the only file the
/// explorer ever writes), so that a restarted server answers them without the models.
///
/// The file (`live_cache.json`) is JSON: `format`, `version`, `run` (a key of the run's variants, concepts and
/// analysis: a cache of another analysis is ignored) and `terms` (``LiveRecord``s). It is rewritten whole and
/// atomically after every new term. At most ``maxTerms`` terms are kept; later ones are answered but not cached.
///
/// `@unchecked Sendable`: `records` is read and written only while holding `lock`, and file writes happen under it
/// too, so two writes never race to rename an older snapshot over a newer one.
final class LiveCache: @unchecked Sendable {
    /// The cache file's name inside the run directory.
    static let fileName = RunLayout.liveCacheFileName
    /// The file's format identifier.
    static let format = "embedding-drift-live-cache"
    /// The most terms kept.
    static let maxTerms = 1_000

    private struct File: Codable {
        var format: String
        var version: Int
        var run: String
        var terms: [LiveRecord]
    }

    /// The cache file.
    let url: URL
    /// The run key the file must carry.
    let runKey: String
    private let lock = NSLock()
    private var records: [String: LiveRecord] = [:]
    private var order: [String] = []

    /// Opens the cache of the run directory `directory`, reading the file when it is there and of this run.
    ///
    /// - Parameter progress: told how many terms were read, or why the file was ignored.
    init(directory: URL, runKey: String, progress: (String) -> Void) {
        url = directory.appendingPathComponent(Self.fileName)
        self.runKey = runKey
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let file = try decoder.decode(File.self, from: Data(contentsOf: url))
            guard file.format == Self.format, file.version == 1 else {
                progress("ignoring \(url.path): not a live cache of this version")
                return
            }
            guard file.run == runKey else {
                progress(
                    "ignoring \(url.path): it belongs to another analysis of this run (replaced on the first new "
                        + "term)"
                )
                return
            }
            for record in file.terms.prefix(Self.maxTerms) where records[record.term] == nil {
                records[record.term] = record
                order.append(record.term)
            }
            progress("live cache: \(order.count) terms from \(url.lastPathComponent)")
        } catch {
            progress("ignoring \(url.path): unreadable (\(error))")
        }
    }

    /// The cached record of `term`.
    func record(_ term: String) -> LiveRecord? {
        lock.withLock { records[term] }
    }

    /// The number of cached terms.
    var count: Int { lock.withLock { order.count } }

    /// Adds `record` and rewrites the file atomically.
    ///
    /// - Returns: whether it was cached (false when the cache is full).
    /// - Throws: ``DriftError`` when the file cannot be written (the record stays in memory).
    @discardableResult
    func store(_ record: LiveRecord) throws -> Bool {
        try lock.withLock {
            if records[record.term] != nil { return true }
            guard order.count < Self.maxTerms else { return false }
            records[record.term] = record
            order.append(record.term)
            let file = File(
                format: Self.format, version: 1, run: runKey, terms: order.compactMap { records[$0] })
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data: Data
            do {
                data = try encoder.encode(file)
            } catch {
                throw DriftError(.io, "cannot encode the live cache: \(error)", path: url.path)
            }
            try AtomicFile.write(data, to: url)
            return true
        }
    }
}
