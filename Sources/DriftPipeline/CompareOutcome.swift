public import DriftAnalysis
public import DriftModels
public import DriftReport

/// What a ``ComparePipeline`` run did.
public struct CompareOutcome: Sendable {
    /// The variants extracted (noise paraphrases as `<variant>/t<i>`), in order.
    public var extracted: [String] = []
    /// The variants reused from an earlier extraction.
    public var reused: [String] = []
    /// The shard extracted, when the run was one shard (no analysis then).
    public var shard: VocabularyShard?
    /// The analysis written, unless the run was a shard.
    public var analysis: RunAnalysis?
    /// The report written, if any.
    public var report: ReportWriter.Output?
}
