/// Where an extraction stands, reported after every batch.
public struct ExtractionProgress: Sendable, Equatable {
    /// Concepts whose vectors are computed.
    public var conceptsDone: Int
    /// Concepts in the vocabulary.
    public var conceptCount: Int
    /// Prompt tokens run through the model so far.
    public var tokensDone: Int
    /// Prompt tokens in all.
    public var tokenCount: Int
    /// Batches done.
    public var batchesDone: Int
    /// Batches in all.
    public var batchCount: Int
    /// Seconds since the first batch started.
    public var elapsedSeconds: Double

    /// Prompt tokens per second so far (0 before the first batch ends).
    public var tokensPerSecond: Double {
        elapsedSeconds > 0 ? Double(tokensDone) / elapsedSeconds : 0
    }
}
