import DriftCore

/// One of `count` deterministic slices of an extraction (`--shard i/n`).
///
/// Shard `index` (0-based) runs the batches `index`, `index + count`, … of the unsharded extraction's batch plan (``Extractor/plan(tokenCounts:maxBatchTokens:)``
/// over the whole vocabulary), each exactly as the unsharded run forms it — so every concept's vector is computed
/// in the same batch, with the same matrix shapes, and comes out bit for bit the same. Which concepts a shard holds
/// therefore depends on the tokenizer (the prompts' lengths); the shards 0…count−1 together hold every concept once.
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
                "invalid shard \(index)/\(count): the shard index counts from 0 and must be below the number of shards (e.g. 0/3, 1/3, 2/3)"
            )
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

    /// The batches this shard runs of a plan of `batchCount` batches: `index`, `index + count`, … (round robin, so
    /// that every shard gets short and long prompts alike).
    public func batches(of batchCount: Int) -> [Int] {
        Array(stride(from: index, to: batchCount, by: count))
    }
}
