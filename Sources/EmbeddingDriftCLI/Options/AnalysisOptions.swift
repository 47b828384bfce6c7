import ArgumentParser
import DriftAnalysis
import DriftCore
import Foundation

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

    @Option(
        help: ArgumentHelp(
            "Covariates of the adjusted category tests, comma-separated, or none.",
            discussion: "Built in: tokens (prompt token count, from extraction), norm (raw vector norm), density "
                + "(mean cosine to the k nearest neighbours), centroid (cosine distance to the category's mean), "
                + "all in the first variant of each pair; plus the vocabulary's own numeric columns by name. "
                + "Default: every one the run has. Writes tables/category_tests_adjusted, category_drift_adjusted, "
                + "confounds, matched_comparison, matched_balance and covariates.",
            valueName: "names|none"))
    var covariates: String?

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
        options.covariates = Self.covariateNames(covariates)
        return options
    }

    /// The names of `--covariates` (nil when not given: every available covariate; empty for `none`).
    static func covariateNames(_ text: String?) -> [String]? {
        guard let text else { return nil }
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return names == ["none"] ? [] : names
    }
}
