public import DriftCore
import Foundation

/// A transformer (decoder family or BERT encoder, as its ``ArchitectureSpec`` says) running natively in float32.
///
/// All prompts of a batch are packed into one `tokens × hidden` matrix, so every linear layer is one large BLAS
/// product; attention runs per prompt (and head), so prompts of different lengths never see each other and there is
/// no padding. A causal model computes the opening every prompt of the batch shares once (``PackedBatch``). Hidden states follow transformers' `hidden_states`: index 0 is the embedding output (after any
/// scaling), index i the output of block i, and for decoders index `layerCount` the output of the final norm.
public struct TransformerModel: HiddenStateModel {
    /// The architecture.
    public let spec: ArchitectureSpec
    /// Embeddings and the final norm.
    public let embeddings: EmbeddingWeights
    /// Every block's weights, in order.
    public let blocks: [BlockWeights]
    /// Where the weights came from (the LM head is read from it when asked for).
    public let source: any ModelWeightSource

    /// Loads every weight from `source` into memory.
    ///
    /// - Parameter progress: called after each block with (blocks loaded, total blocks).
    /// - Throws: ``DriftCore/DriftError`` for a missing tensor or a shape that contradicts the spec.
    public init(source: any ModelWeightSource, progress: ((Int, Int) -> Void)? = nil) throws {
        spec = source.spec
        self.source = source
        embeddings = try source.embeddingWeights()
        var blocks: [BlockWeights] = []
        blocks.reserveCapacity(source.spec.layerCount)
        for layer in 0..<source.spec.layerCount {
            blocks.append(try source.blockWeights(layer))
            progress?(layer + 1, source.spec.layerCount)
        }
        self.blocks = blocks
    }

    public var layerCount: Int { spec.layerCount }
    public var hiddenSize: Int { spec.hiddenSize }
    public var canSharePromptPrefix: Bool { spec.causal }

    public func outputHead() throws -> OutputHead { try source.outputHead(embeddings: embeddings) }
    public var hasOutputHead: Bool { spec.causal }

    /// Pooled hidden states of a batch; see ``HiddenStateModel/pooledHiddenStates(batch:layers:pooling:sharingPrefix:)``.
    ///
    /// - Throws: ``DriftCore/DriftError`` for an empty prompt, a token id outside the vocabulary, a prompt longer
    ///   than learned positions allow, or a layer index outside `0...layerCount`.
    public func pooledHiddenStates(
        batch: [[Int]], layers: [Int], pooling: Pooling, sharingPrefix: Bool
    ) throws -> [Matrix] {
        try TransformerForward(spec: spec, embeddings: embeddings).run(
            batch: batch, layers: layers, pooling: pooling, sharingPrefix: sharingPrefix, block: { blocks[$0] })
    }
}
