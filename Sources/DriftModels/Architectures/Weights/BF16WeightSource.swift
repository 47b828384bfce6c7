import DriftCore

/// A weight source whose linear layers come out packed in bf16 for ``ComputePrecision/bf16``.
///
/// Each block is read from the wrapped source in float32, its four linear weights are rounded to bf16 and packed for
/// the AVX-512 BF16 kernel, and the float32 copies are dropped, so a loaded model holds half the linear-layer bytes.
/// Embeddings, norms and biases stay float32. From a ``HuggingFaceWeights`` source each weight is packed as soon as it
/// is read and its float32 copy released before the next one is read, so converting a block needs one linear weight
/// in float32 beside the packed ones (``MemoryPlan/conversionBytes``), not the whole block.
package struct BF16WeightSource: ModelWeightSource {
    /// The float32 source.
    package var base: any ModelWeightSource

    /// Wraps `base`.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.unsupported`) on a CPU without AVX-512 BF16.
    package init(base: any ModelWeightSource) throws {
        try ComputePrecision.bf16.checkSupported()
        self.base = base
    }

    package var spec: ArchitectureSpec { base.spec }

    package func embeddingWeights() throws -> EmbeddingWeights { try base.embeddingWeights() }

    package func outputHead(embeddings: EmbeddingWeights?) throws -> OutputHead {
        try base.outputHead(embeddings: embeddings)
    }

    package func blockWeights(_ layer: Int) throws -> BlockWeights {
        if let weights = base as? HuggingFaceWeights {
            return try weights.blockWeights(layer, compute: .bf16)
        }
        var block = try base.blockWeights(layer)
        block.queryKeyValue = block.queryKeyValue.packedForBF16()
        block.attentionOutput = block.attentionOutput.packedForBF16()
        block.feedForwardIn = block.feedForwardIn.packedForBF16()
        block.feedForwardOut = block.feedForwardOut.packedForBF16()
        return block
    }
}
