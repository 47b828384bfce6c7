public import DriftModels

/// One variant's extraction with its progress reported as ``PipelineEvent``s: tokens for a model in memory, blocks
/// for a streamed one (all prompts pass through each block in turn, so only the block count advances).
public enum VariantExtraction {
    /// Extracts `vocabulary` with `checkpoint` under `settings`.
    ///
    /// - Parameters:
    ///   - label: what the events name (a variant, a shard, a noise paraphrase).
    ///   - progress: hears `.extracting` (tokens) or `.streaming` (blocks) events.
    /// - Throws: what ``DriftModels/Extractor/extract(_:progress:)`` throws.
    public static func extract(
        _ vocabulary: Vocabulary, with checkpoint: LoadedCheckpoint, settings: ExtractionSettings, label: String,
        readout: OutputReadout = .none, progress: @escaping @Sendable (PipelineEvent) -> Void
    ) throws -> EmbeddingSet {
        if var streaming = checkpoint.model as? StreamingTransformerModel {
            progress(.streaming(label: label, completed: 0, total: streaming.layerCount))
            streaming.progress = { progress(.streaming(label: label, completed: $0.layersDone, total: $0.layerCount)) }
            return try Extractor(tokenizer: checkpoint.tokenizer, model: streaming, settings: settings)
                .extract(vocabulary, readout: readout)
        }
        progress(.extracting(label: label, completed: 0, total: nil))
        return try Extractor(tokenizer: checkpoint.tokenizer, model: checkpoint.model, settings: settings)
            .extract(vocabulary, readout: readout) {
                progress(.extracting(label: label, completed: $0.tokensDone, total: $0.tokenCount))
            }
    }
}
