import ArgumentParser
import DriftModels
import Foundation

/// `embedding-drift merge`: join the shard directories of `extract`/`compare --shard i/n` into one run directory.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join shard directories (from --shard i/n) into one run directory and analyse it.",
        discussion: """
            The shards (any order) must come from the same command with the same models, settings, template, \
            vocabulary and tool version (their fingerprints are compared), and together hold every shard 0…n−1 \
            exactly once; anything else is refused before a file is written. The merged directory holds the same \
            .npy bytes (next-token logits included), next tokens, logit lens and concept metadata as the unsharded \
            run, and manifest entries with the same fingerprints \
            (so `compare` with the same arguments reuses them). With two or more variants it is then analysed as \
            `compare` does (the analysis options below).

            Example: embedding-drift merge runs/shard-0 runs/shard-1 runs/shard-2 --out runs/llama
            """)

    @Argument(help: ArgumentHelp("The shard directories.", valueName: "dir"))
    var shards: [String]

    @OptionGroup var output: OutputOptions
    @OptionGroup var analysis: AnalysisOptions

    @Flag(help: "Only join the shards; do not analyse.")
    var noAnalysis = false

    @Flag(help: "Draw no progress lines, even on a terminal.")
    var quiet = false

    func run() throws {
        let out = output.url
        let summary = try ShardMerger.merge(shards.map { URL(fileURLWithPath: $0) }, into: out)
        print(
            "merged \(summary.shards) shards: \(summary.variants.count) variants (\(summary.variants.joined(separator: ", "))) × \(summary.concepts) concepts into \(out.path)"
        )
        guard !noAnalysis, summary.variants.count >= 2 else { return }
        let reporter = ProgressReporter(quiet: quiet)
        defer { reporter.finish() }
        try RunAnalyzer.analyze(out, options: analysis.options, reporter: reporter)
    }
}
