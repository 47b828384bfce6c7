import ArgumentParser
import DriftModels

/// `--shard i/n`: extract only a deterministic slice of the vocabulary (shared by `extract` and `compare`), for
/// job arrays; `merge` joins the shards.
struct ShardOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Extract only shard i of n (i counts from 0): batches i, i+n, i+2n, … of the unsharded extraction's batches.",
            discussion: "Each batch is formed exactly as in the unsharded run, so every vector comes out bit for bit "
                + "the same (on the same machine and thread count). Each shard goes to its own --out; no analysis "
                + "runs. `embedding-drift merge <shard dirs…> --out <dir>` joins them into the run directory the "
                + "unsharded command writes (the same .npy bytes) and analyses it.",
            valueName: "i/n"))
    var shard: String?

    func validate() throws {
        if let shard {
            do { _ = try VocabularyShard(parsing: shard) } catch { throw ValidationError("\(error)") }
        }
    }

    /// The shard, or nil for the whole vocabulary.
    func parsed() throws -> VocabularyShard? {
        try shard.map { try VocabularyShard(parsing: $0) }
    }
}
