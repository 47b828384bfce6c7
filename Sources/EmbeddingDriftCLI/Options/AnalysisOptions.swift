import ArgumentParser
import DriftAnalysis
import DriftCore

/// `--k`, `--seed`, `--bootstrap`, `--permutations`, `--no-umap`, `--umap-epochs`, `--series`: how a run is analysed (shared by
/// `compare`, `analyze` and `import`).
struct AnalysisOptions: ParsableArguments {
    @Option(
        help: "Nearest neighbours per concept (Jaccard overlap, second-order change, mutual k-NN); 1 ≤ k < concepts.")
    var k: Int = 10

    @Option(help: "Seed of every bootstrap, permutation and of UMAP (equal seeds give equal tables).")
    var seed: UInt64 = 42

    @Option(help: "Bootstrap resamples per confidence interval.")
    var bootstrap: Int = 10_000

    @Option(help: "Permutations per category test.")
    var permutations: Int = 10_000

    @Flag(help: "Skip the joint UMAP (no umap_<variant>.npy).")
    var noUmap = false

    @Option(help: "UMAP optimisation epochs (default: umap-learn's for the size).")
    var umapEpochs: Int?

    @Flag(
        help: ArgumentHelp(
            "The variants are checkpoints in time order: write the time profile and its figure even for two.",
            discussion: "With three or more variants the time profile is always written; --series also records "
                + "the run as a checkpoint series."))
    var series = false

    func validate() throws {
        // The same limits as the library's (RunAnalysis.Options.validateCounts), named as flags.
        do { try options.validateCounts() } catch let error as DriftError { throw ValidationError(error.message) }
    }

    /// The analysis settings these options describe.
    var options: RunAnalysis.Options {
        var options = RunAnalysis.Options()
        options.k = k
        options.seed = seed
        options.resamples = bootstrap
        options.permutations = permutations
        options.umap = !noUmap
        options.umapEpochs = umapEpochs
        options.series = series
        return options
    }
}
