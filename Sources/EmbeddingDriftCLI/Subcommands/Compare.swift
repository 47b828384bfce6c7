import ArgumentParser
import DriftAnalysis
import DriftCore
import DriftModels
import DriftPipeline
import Foundation

/// `embedding-drift compare`: extract every variant (reusing finished ones), analyse every pair, write the run.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract every model variant and measure how the concepts drift between them.",
        discussion: """
            Each name=model is a variant (a Hugging Face checkpoint folder, a .gguf file, or a Hugging Face Hub \
            model hf:<owner>/<name>[#<revision>] taken from the local cache and downloaded when missing, each \
            optionally with @<scheme>); their order is meaningful (a time \
            series: drift from the first and step to step with 3+ variants). Every variant is extracted into --out \
            as `extract` does — unless --out already holds a finished extraction with the same fingerprint (model \
            files, template, pooling, layers, vocabulary, tool version), which is reused. Each variant is on disk \
            before the next starts, so an interrupted run loses nothing finished and the next run resumes.

            Then every pair is analysed at every stored layer (the last is the headline): tables/*.csv|json, \
            umap_<variant>.npy (joint UMAP), summary.json and summary.md. `analyze <dir>` redoes this step alone.

            Example: embedding-drift compare base=~/models/Llama-3.2-1B instruct=~/models/Llama-3.2-1B-Instruct \
            --vocab seed-235 --out runs/llama
            """)

    @Argument(help: ArgumentHelp("Two or more variants, in order.", valueName: "name=model"))
    var variants: [String]

    @OptionGroup var vocabulary: VocabularyOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var extraction: ExtractionOptions
    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var memory: MemoryOptions
    @OptionGroup var computeOptions: ComputeOptions
    @OptionGroup var hub: HubOptions
    @OptionGroup var sharding: ShardOptions

    @Option(
        help: ArgumentHelp(
            "Paraphrased templates for the noise floor, separated by '|' (each with {term}; at least two).",
            discussion: "Every variant is also extracted with each of them (into noise/<variant>/); the drift between "
                + "them inside one variant is what \"no change\" looks like, and tables/noise_floor expresses each "
                + "concept's drift relative to it.",
            valueName: "a|b|…"))
    var templates: String?

    @OptionGroup var readout: ReadoutOptions

    @Flag(help: "Draw no progress lines, even on a terminal.")
    var quiet = false

    mutating func run() throws {
        try CompareRun.run(try request(), quiet: quiet)
    }

    /// The run the flags describe; everything that can be checked without a model is checked here or by the
    /// pipeline before any model loads.
    func request() throws -> CompareRequest {
        let specifications = try VariantSpecification.parseAll(variants, what: "model")
        var request = CompareRequest(
            variants: specifications.map { CompareRequest.Variant(name: $0.name, model: $0.path) },
            vocabulary: try vocabulary.load(), output: output.url, settings: try extraction.settings(),
            toolVersion: ToolVersion.current)
        request.noiseTemplates =
            templates?.split(separator: "|", omittingEmptySubsequences: true).map(String.init) ?? []
        if templates != nil, request.noiseTemplates.count < 2 {
            throw DriftError(.invalidArgument, "--templates needs at least two templates separated by '|'")
        }
        request.analysis = analysis.options
        request.budget = try memory.budget()
        request.compute = try computeOptions.precision()
        request.shard = try sharding.parsed()
        request.offline = hub.offline
        request.readout = try readout.readout(pooling: request.settings.pooling, nextTokenByDefault: true)
        request.readoutRequired = readout.isExplicit
        return request
    }
}
