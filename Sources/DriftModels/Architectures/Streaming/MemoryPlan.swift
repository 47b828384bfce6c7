import DriftCore

/// What a model needs in memory when computed in float32, from its ``ArchitectureSpec`` alone; used to choose between
/// holding every block in memory and streaming blocks one at a time (see ``ModelLoader/model(source:budget:progress:)``).
///
/// The figures count the weights the runtime keeps (float32) and the activations of a packed batch; small buffers
/// (norm weights, rotary tables, attention scores of one prompt) are left out.
public struct MemoryPlan: Sendable, Equatable {
    /// Bytes of the embedding weights in float32: token table, learned positions, norms.
    public let embeddingBytes: Int
    /// Bytes of one block's weights in float32 (the largest block).
    public let blockBytes: Int
    /// The number of blocks.
    public let layerCount: Int
    /// Activation bytes per packed prompt token (the forward pass's scratch buffers).
    public let activationBytesPerToken: Int
    /// Bytes per prompt and kept hidden-state index (the pooled results, held by the model and the extractor).
    public let resultBytesPerPromptLayer: Int

    /// The plan for `spec`.
    public init(spec: ArchitectureSpec) {
        let h = spec.hiddenSize
        let f = spec.intermediateSize
        let gated = spec.gatedMLP ? 2 * f : f
        let linear = spec.queryKeyValueWidth * h + h * spec.queryWidth + gated * h + h * f
        let biases = spec.queryKeyValueWidth + h + gated + h
        let norms = 4 * h + 2 * spec.queryWidth
        blockBytes = 4 * (linear + biases + norms)
        embeddingBytes = 4 * (spec.vocabularySize * h + (spec.learnedPositions ?? 0) * h + 4 * h)
        layerCount = spec.layerCount
        activationBytesPerToken = 4 * (4 * h + spec.queryKeyValueWidth + spec.queryWidth + gated + f)
        resultBytesPerPromptLayer = 2 * 4 * h
    }

    /// Every weight in memory.
    public var inMemoryWeightBytes: Int { embeddingBytes + layerCount * blockBytes }

    /// The least memory streaming can run in: the embedding table (read once, before the first block) or one block,
    /// whichever is larger, without any activations.
    public var minimumStreamingBytes: Int { max(embeddingBytes, blockBytes) }

    /// Peak bytes of a streaming run over `tokens` packed tokens and `prompts` prompts keeping `keptLayers` hidden
    /// states, holding `blocksInFlight` blocks at once (2 when the next block is prepared while one computes).
    public func streamingBytes(tokens: Int, prompts: Int, keptLayers: Int, blocksInFlight: Int) -> Int {
        let activations = tokens * activationBytesPerToken + prompts * keptLayers * resultBytesPerPromptLayer
        // The full token table exists only while the prompts are embedded, before any block is read.
        return max(embeddingBytes + activations, blocksInFlight * blockBytes + activations)
    }
}
