public import DriftCore
import Foundation

/// A transformer whose blocks stay on disk: every call reads the embeddings, then each block in turn — converted to
/// float32 (or, with a bf16 source, packed in bf16 one weight at a time) from the (memory-mapped) weight files, run
/// over every prompt of the batch, and released — so a model larger than memory runs in about one block's worth of
/// weights plus the activations of the batch.
///
/// The hidden states are exactly those of ``TransformerModel`` (the same forward pass, the same weights); only where
/// the weights live differs. Hand it all prompts in one batch (``Extractor`` does): every call reads the whole model
/// (up to the block of the deepest hidden state asked for).
/// With ``prefetch`` on, a background thread converts block i+1 while block i computes.
public struct StreamingTransformerModel: HiddenStateModel {
    /// The architecture.
    public let spec: ArchitectureSpec
    /// Where the weights come from, block by block.
    public let source: any ModelWeightSource
    /// What the model needs in memory.
    public let plan: MemoryPlan
    /// The memory a call may use; a batch whose activations would not fit is refused with the size it needs.
    public let budget: MemoryBudget
    /// Whether the next block is read on a background thread while the current one computes.
    public var prefetch: Bool
    /// Called before the first block and after every block (on the calling thread).
    public var progress: (@Sendable (StreamingProgress) -> Void)?

    /// A streaming model over `source`.
    ///
    /// - Parameters:
    ///   - budget: checked against every call's needs (weights in flight plus activations).
    ///   - prefetch: read block i+1 in the background while block i computes (uses memory for two blocks).
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) when `budget` cannot hold even the embedding table or
    ///   one block, saying how much is needed.
    public init(
        source: any ModelWeightSource, budget: MemoryBudget, prefetch: Bool = true,
        progress: (@Sendable (StreamingProgress) -> Void)? = nil
    ) throws {
        spec = source.spec
        self.source = source
        plan = MemoryPlan(source: source)
        self.budget = budget
        self.prefetch = prefetch
        self.progress = progress
        guard plan.minimumStreamingBytes <= budget.bytes else {
            throw Self.tooSmall(budget: budget, needed: plan.minimumStreamingBytes, plan: plan, tokens: nil)
        }
    }

    public var layerCount: Int { spec.layerCount }
    public var hiddenSize: Int { spec.hiddenSize }
    public var canSharePromptPrefix: Bool { spec.causal }

    public func outputHead() throws -> OutputHead { try source.outputHead(embeddings: nil) }
    public var hasOutputHead: Bool { spec.causal }

    /// Pooled hidden states of a batch; see ``HiddenStateModel/pooledHiddenStates(batch:layers:pooling:sharingPrefix:)``.
    ///
    /// Reads every weight of the model once, up to the block of the deepest index in `layers`. Prefetching is used
    /// only when two blocks and the activations fit the budget.
    ///
    /// - Throws: ``DriftCore/DriftError`` as ``TransformerModel/pooledHiddenStates(batch:layers:pooling:sharingPrefix:)``, for a
    ///   weight that cannot be read, or (`.invalidArgument`) when the batch's activations and one block exceed the
    ///   budget (the message says how much is needed).
    public func pooledHiddenStates(
        batch: [[Int]], layers: [Int], pooling: Pooling, sharingPrefix: Bool
    ) throws -> [Matrix] {
        try spec.validateInput(batch: batch, layers: layers)
        // Rows the blocks compute: the prompts' shared opening counts once when it is shared.
        let tokens = PackedBatch.rowCount(of: batch, sharingPrefix: sharingPrefix && spec.causal)
        let single = plan.streamingBytes(
            tokens: tokens, prompts: batch.count, keptLayers: layers.count, blocksInFlight: 1)
        guard single <= budget.bytes else {
            throw Self.tooSmall(budget: budget, needed: single, plan: plan, tokens: tokens)
        }
        let ahead =
            prefetch
            && plan.streamingBytes(tokens: tokens, prompts: batch.count, keptLayers: layers.count, blocksInFlight: 2)
                <= budget.bytes

        let clock = ContinuousClock()
        let start = clock.now
        // Only the rows of the token table this batch uses are kept: ids are renumbered into a compact table.
        let (compactSpec, embeddings, compactBatch) = try compactEmbeddings(for: batch)
        // The blocks this call runs: up to the deepest hidden state asked for.
        let blocks = layers.max() ?? 0
        var report = StreamingProgress(
            layersDone: 0, layerCount: blocks, elapsedSeconds: (clock.now - start).seconds,
            weightWaitSeconds: 0, computeSeconds: 0)
        progress?(report)

        var pending: BlockPrefetcher?
        var computeStart: ContinuousClock.Instant?
        let source = self.source
        let results = try TransformerForward(spec: compactSpec, embeddings: embeddings).run(
            batch: compactBatch, layers: layers, pooling: pooling, sharingPrefix: sharingPrefix
        ) { layer in
            let now = clock.now
            if let computeStart {
                report.computeSeconds += (now - computeStart).seconds
                report.layersDone = layer
                report.elapsedSeconds = (now - start).seconds
                progress?(report)
            }
            let weights: BlockWeights
            if let prefetched = pending, prefetched.layer == layer {
                pending = nil
                weights = try prefetched.take()
            } else {
                weights = try source.blockWeights(layer)
            }
            if ahead, layer + 1 < blocks {
                pending = BlockPrefetcher(source: source, layer: layer + 1)
            }
            let ready = clock.now
            report.weightWaitSeconds += (ready - now).seconds
            computeStart = ready
            return weights
        }
        let end = clock.now
        if let computeStart { report.computeSeconds += (end - computeStart).seconds }
        report.layersDone = blocks
        report.elapsedSeconds = (end - start).seconds
        progress?(report)
        return results
    }

    /// The embeddings with a token table of only the rows `batch` uses, the spec for that table, and the batch in its
    /// row numbers.
    ///
    /// The full table is converted once and dropped before any block is read.
    private func compactEmbeddings(for batch: [[Int]]) throws -> (ArchitectureSpec, EmbeddingWeights, [[Int]]) {
        var full = try source.embeddingWeights()
        var rowOf: [Int: Int] = [:]
        var used: [Int] = []
        let compactBatch = batch.map { prompt in
            prompt.map { id in
                if let row = rowOf[id] { return row }
                rowOf[id] = used.count
                used.append(id)
                return used.count - 1
            }
        }
        let h = spec.hiddenSize
        var table = Matrix(rows: used.count, columns: h)
        let source = full.tokenTable
        table.storage.withUnsafeMutableBufferPointer { target in
            guard let target = target.baseAddress else { return }
            for (row, id) in used.enumerated() { source.copyRow(id, into: target + row * h) }
        }
        full.tokens = table
        full.tokensInPlace = nil
        var compactSpec = spec
        compactSpec.vocabularySize = used.count
        return (compactSpec, full, compactBatch)
    }

    static func tooSmall(budget: MemoryBudget, needed: Int, plan: MemoryPlan, tokens: Int?) -> DriftError {
        var parts = [
            "one block \(MemoryBudget.format(plan.blockBytes))",
            "embedding table \(MemoryBudget.format(plan.embeddingBytes))",
        ]
        if plan.conversionBytes > 0 {
            parts.insert("float32 scratch while it is packed \(MemoryBudget.format(plan.conversionBytes))", at: 1)
        }
        if let tokens {
            parts.append(
                "activations of \(tokens) tokens \(MemoryBudget.format(tokens * plan.activationBytesPerToken))")
        }
        return DriftError(
            .invalidArgument,
            "--max-memory \(budget) is too small for even one layer of this model: streaming needs at least "
                + "\(MemoryBudget.format(needed)) (\(parts.joined(separator: ", ")), \(plan.precisionNote)); "
                + "raise --max-memory to \(MemoryBudget.format(needed)) or more")
    }
}
