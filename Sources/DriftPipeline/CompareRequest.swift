public import DriftAnalysis
import DriftCore
public import DriftModels
public import Foundation

/// Everything a `compare` run needs, as values: built from the command line's flags or directly from an experiment
/// file, and run by ``ComparePipeline``.
public struct CompareRequest: Sendable {
    /// One variant: its name and its model reference (`path`, `path@scheme`, `hf:owner/name#revision@scheme`).
    public struct Variant: Sendable, Equatable {
        /// The variant's name (its files are `hidden_<name>.npy`, …).
        public var name: String
        /// The model reference as written.
        public var model: String

        /// Creates a variant.
        public init(name: String, model: String) {
            self.name = name
            self.model = model
        }
    }

    /// The variants, in order (a time series with 3 or more).
    public var variants: [Variant]
    /// The concepts.
    public var vocabulary: Vocabulary
    /// The run directory.
    public var output: URL
    /// Template, pooling, layers, batch size, special tokens, prefix sharing.
    public var settings: ExtractionSettings
    /// Paraphrased templates for the noise floor (none, or at least two, each with `{term}`).
    public var noiseTemplates: [String] = []
    /// The analysis settings.
    public var analysis = RunAnalysis.Options()
    /// How much memory a model may take before it is streamed.
    public var budget: MemoryBudget = .automatic
    /// The linear layers' arithmetic.
    public var compute: ComputePrecision = .f32
    /// One shard of the vocabulary's batch plan (no analysis then), or nil.
    public var shard: VocabularyShard?
    /// Whether Hub models must come from the local cache (no network).
    public var offline = false
    /// What each variant reads through its LM head (next-token logits, the logit lens); the next-token logits by
    /// default.
    public var readout = OutputReadout(nextTokenLogits: true)
    /// Whether ``readout`` was asked for rather than taken by default.
    ///
    /// Asked for, a variant without an LM head (an encoder) or a pooling other than `last` is an error. Taken by
    /// default, such variants read nothing through the head, and a variant already extracted without logits is
    /// reused as it is.
    public var readoutRequired = false
    /// Whether to write `report.html` after the analysis.
    public var writesReport = true
    /// The tool's version (recorded, and part of every fingerprint).
    public var toolVersion: String

    /// Creates a request; the rest keeps `compare`'s defaults.
    public init(
        variants: [Variant], vocabulary: Vocabulary, output: URL, settings: ExtractionSettings, toolVersion: String
    ) {
        self.variants = variants
        self.vocabulary = vocabulary
        self.output = output
        self.settings = settings
        self.toolVersion = toolVersion
    }

    /// What the variant whose model is `model` reads through its LM head.
    ///
    /// That is ``readout``, unless it was not asked for and the model has no LM head or the pooling is not `last`. A
    /// shard reads what the unsharded run reads (`merge` joins it).
    public func readout(for model: any HiddenStateModel) -> OutputReadout {
        guard !readoutRequired else { return readout }
        return model.hasOutputHead && settings.pooling == .last ? readout : .none
    }

    /// The extraction settings of each noise-floor paraphrase, in order.
    ///
    /// - Throws: ``DriftCore/DriftError`` when there is one paraphrase, or a paraphrase lacks `{term}`.
    public func noiseSettings() throws -> [ExtractionSettings] {
        guard !noiseTemplates.isEmpty else { return [] }
        guard noiseTemplates.count >= 2 else {
            throw DriftError(.invalidArgument, "--templates needs at least two templates separated by '|'")
        }
        return try noiseTemplates.map { text in
            var noise = settings
            noise.template = try PromptTemplate(text)
            return noise
        }
    }
}
