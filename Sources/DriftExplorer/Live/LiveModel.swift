import DriftCore
package import DriftModels
import Foundation

/// One loaded model of a live session, embedding one term at a time with the run's extraction settings.
///
/// An actor, so that every request for this model goes through one place: forward passes run one after another on the
/// model's own serial dispatch queue (never on a Swift concurrency thread, which the server needs for other requests),
/// and the actor counts how many are waiting.
package actor LiveModel {
    /// The variants this model serves (two variants of the same model and settings share one).
    package nonisolated let variants: [String]
    /// The model as recorded in the manifest (`path` or `path@scheme`).
    package nonisolated let reference: String
    /// The loaded checkpoint.
    let checkpoint: LoadedCheckpoint
    /// The run's template, pooling, layers and special-token setting for these variants.
    let settings: ExtractionSettings
    /// Serialises the forward passes.
    private let queue: DispatchQueue
    /// Passes queued or running.
    package private(set) var pending = 0
    /// Passes started since loading (one per term embedded).
    package private(set) var passes = 0

    /// Wraps a loaded checkpoint.
    init(variants: [String], reference: String, checkpoint: LoadedCheckpoint, settings: ExtractionSettings) {
        self.variants = variants
        self.reference = reference
        self.checkpoint = checkpoint
        self.settings = settings
        queue = DispatchQueue(label: "embedding-drift.live.\(variants.joined(separator: "+"))")
    }

    /// The logit lens's tokens per layer for a live term.
    static let lensTokens = 10

    /// The hidden states of `term` at the run's layers, computed as `extract` computes them: the same ``Extractor``
    /// over a one-concept vocabulary, so the vectors are those `extract` writes for that term.
    ///
    /// - Returns: layers × 1 × hidden (``EmbeddingSet/layers`` in the selection's order), with the next tokens and
    ///   the logit lens for a causal model read at the last token.
    /// - Throws: ``DriftCore/DriftError`` from the extractor (an empty prompt, a non-finite state).
    package func embed(_ term: String) async throws -> EmbeddingSet {
        pending += 1
        passes += 1
        defer { pending -= 1 }
        let checkpoint = checkpoint
        let settings = settings
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(
                    with: Result {
                        // A file rewritten under the mapping would feed the model other weights (or fault).
                        try checkpoint.checkFilesUnchanged()
                        let vocabulary = try Vocabulary(
                            name: "live", concepts: [Concept(term: term, category: LiveSession.category)])
                        // A causal model also reads the term through its LM head, as `compare` does.
                        let readout =
                            checkpoint.model.hasOutputHead && settings.pooling == .last
                            ? OutputReadout(nextTokenLogits: true, logitLensTop: LiveModel.lensTokens) : .none
                        return try Extractor(
                            tokenizer: checkpoint.tokenizer, model: checkpoint.model, settings: settings
                        )
                        .extract(vocabulary, readout: readout)
                    })
            }
        }
    }
}
