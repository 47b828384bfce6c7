public import DriftAnalysis
public import DriftModels

/// Where a ``ComparePipeline`` run is: the one progress vocabulary of extraction, analysis and report, which the
/// command line renders as progress lines.
public enum PipelineEvent: Sendable, Equatable {
    /// The Hub resolver listed or downloaded a file.
    case hub(HubProgress)
    /// Hashing the files of a model (for its fingerprint).
    case hashing(model: String)
    /// Loading the model of `variant`: `completed` of `total` blocks (total nil before the configuration is read).
    case loading(variant: String, completed: Int, total: Int?)
    /// Extracting `label` (a variant, a shard or a noise paraphrase): `completed` of `total` prompt tokens.
    case extracting(label: String, completed: Int, total: Int?)
    /// Extracting `label` with a streamed model: `completed` of `total` blocks have seen every prompt.
    case streaming(label: String, completed: Int, total: Int)
    /// Comparing the variants' logit lens layer by layer.
    case comparingLogitLens
    /// The analysis advanced.
    case analysis(RunAnalysis.Progress)
    /// Writing the tables.
    case writingTables
    /// Writing the report.
    case writingReport
}
