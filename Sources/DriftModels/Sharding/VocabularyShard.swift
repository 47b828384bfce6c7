import DriftCore

/// One of `count` deterministic slices of a vocabulary (`--shard i/n`): shard `index` (0-based) holds the
/// contiguous concepts `⌊index·N/count⌋ ..< ⌊(index+1)·N/count⌋` of the N concepts, in vocabulary order, so the
/// shards 0…count−1 joined in order give back the whole vocabulary.
public struct VocabularyShard: Sendable, Equatable, CustomStringConvertible {
    /// The shard's position, `0 ..< count`.
    public var index: Int
    /// The number of shards.
    public var count: Int

    /// Creates shard `index` of `count`.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) unless `count ≥ 1` and `0 ≤ index < count`.
    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 0, index < count else {
            throw DriftError(
                .invalidArgument,
                "invalid shard \(index)/\(count): the shard index counts from 0 and must be below the number of shards (e.g. 0/3, 1/3, 2/3)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `i/n` (as `--shard` takes it; `i` counts from 0, like Slurm's `--array=0-(n-1)` and Kubernetes'
    /// `JOB_COMPLETION_INDEX`).
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) for anything else.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw DriftError(
                .invalidArgument, "invalid --shard '\(text)': expected i/n, e.g. 0/3 (i counts from 0)")
        }
        try self.init(index: index, count: count)
    }

    /// `i/n`.
    public var description: String { "\(index)/\(count)" }

    /// The concept rows of this shard in a vocabulary of `total` concepts.
    public func range(ofTotal total: Int) -> Range<Int> {
        (index * total / count)..<((index + 1) * total / count)
    }

    /// This shard's concepts of `vocabulary` (same name, rows in vocabulary order).
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) when the shard would be empty (more shards than
    ///   concepts).
    public func slice(_ vocabulary: Vocabulary) throws -> Vocabulary {
        let rows = range(ofTotal: vocabulary.count)
        guard !rows.isEmpty else {
            throw DriftError(
                .invalidArgument,
                "shard \(self) of the vocabulary '\(vocabulary.name)' is empty: \(count) shards for \(vocabulary.count) concepts; use fewer shards")
        }
        return try Vocabulary(name: vocabulary.name, concepts: Array(vocabulary.concepts[rows]))
    }
}
