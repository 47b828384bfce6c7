import ArgumentParser
import DriftModels

/// `--shard i/n`: extract only a deterministic slice of the vocabulary (shared by `extract` and `compare`), for
/// job arrays; `merge` joins the shards.
struct ShardOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Extract only shard i of n of the vocabulary (i counts from 0): the contiguous concepts ⌊i·N/n⌋ ..< ⌊(i+1)·N/n⌋.",
            discussion: "Each shard goes to its own --out; no analysis runs. `embedding-drift merge <shard dirs…> "
                + "--out <dir>` joins them into the run directory the unsharded command writes (the same .npy "
                + "bytes) and analyses it.",
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
