/// Where a model's weights come from, one block at a time.
///
/// The seam between weight files and the forward pass: ``HuggingFaceWeights`` over any tensor store (safetensors, a
/// GGUF file under transformers names, a quantized view), and ``BF16WeightSource`` packing its linear layers for the
/// bf16 kernel; each returns the same runtime layout, so the forward pass never changes.
public protocol ModelWeightSource: Sendable {
    /// The architecture these weights belong to.
    var spec: ArchitectureSpec { get }

    /// Token/position embeddings and the final norm, shape-checked against ``spec``.
    func embeddingWeights() throws -> EmbeddingWeights

    /// Block `layer`'s weights (in `0..<spec.layerCount`), shape-checked against ``spec``.
    func blockWeights(_ layer: Int) throws -> BlockWeights

    /// The LM head with the final norm, for next-token logits and the logit lens.
    ///
    /// - Parameter embeddings: the embedding weights when the caller already holds them (the final norm and, for a
    ///   tied head, the token table are then not read again).
    /// - Throws: ``DriftCore/DriftError`` for an encoder (no LM head) or a head whose shape contradicts ``spec``.
    func outputHead(embeddings: EmbeddingWeights?) throws -> OutputHead
}
