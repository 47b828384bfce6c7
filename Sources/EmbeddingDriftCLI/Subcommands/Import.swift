import ArgumentParser
import DriftAnalysis
import DriftCore
import DriftModels
import Foundation

/// `embedding-drift import`: a run directory from embeddings made elsewhere, then the same analysis as `compare`.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Build a run directory from .npy embeddings made elsewhere and analyse it as compare does.",
        discussion: """
            Each name=file.npy is a variant, in order: a float array of concepts × hidden (one layer, stored as \
            layer 0) or layers × concepts × hidden (layers 0…L−1); rows are the --vocab concepts in file order. \
            Every array is checked (shape, finite values, equal layer counts) before anything is written.

            Example: embedding-drift import base=base.npy tuned=tuned.npy --vocab concepts.csv --out runs/mine
            """)

    @Argument(help: ArgumentHelp("Two or more variants, in order.", valueName: "name=file.npy"))
    var variants: [String]

    @OptionGroup var vocabulary: VocabularyOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var analysis: AnalysisOptions

    @Flag(help: "Draw no progress lines, even on a terminal.")
    var quiet = false

    func run() throws {
        let specifications = try VariantSpecification.parseAll(variants, what: "file.npy")
        let vocabulary = try vocabulary.load()
        try DriftInput.validateNeighborCount(analysis.k, concepts: vocabulary.count)
        let out = output.url
        try RunImport.run(
            specifications.map { RunImport.Source(name: $0.name, file: URL(fileURLWithPath: $0.path)) },
            concepts: vocabulary.concepts.map { ($0.term, $0.category) }, vocabularyName: vocabulary.name,
            vocabularyHash: vocabulary.contentHash,
            covariates: CovariateSet(
                names: vocabulary.covariateNames,
                values: vocabulary.covariateNames.map { name in
                    vocabulary.concepts.map { $0.covariates?[name] ?? .nan }
                }),
            into: out, toolVersion: ToolVersion.current)
        print("imported \(specifications.count) variants into \(out.path)")
        let reporter = ProgressReporter(quiet: quiet)
        defer { reporter.finish() }
        try RunAnalyzer.analyze(
            out, variants: specifications.map(\.name), options: analysis.options, reporter: reporter)
    }
}
