import DriftCore

/// Gathers what an extraction reads through the LM head, batch by batch: the next-token logits (the stored output)
/// and the logit lens (top tokens only), computing at most a block of rows × vocabulary of logits at a time.
struct OutputCollector {
    let readout: OutputReadout
    let head: OutputHead?
    let layerCount: Int
    let keptLayers: [Int]
    /// The hidden-state indices the forward pass must return: the kept ones, plus the final one for next-token
    /// logits when it is not kept (always last).
    let forwardLayers: [Int]
    private(set) var logits: Matrix?
    private(set) var lens: [LogitLensEntry]?

    /// Rows of logits computed at once.
    static let rowsPerBlock = 64

    init(
        readout: OutputReadout, model: any HiddenStateModel, pooling: Pooling, keptLayers: [Int], conceptCount: Int
    ) throws {
        self.readout = readout
        self.layerCount = model.layerCount
        self.keptLayers = keptLayers
        guard !readout.isEmpty else {
            head = nil
            forwardLayers = keptLayers
            return
        }
        guard pooling == .last else {
            throw DriftError(
                .invalidArgument,
                "next-token logits and the logit lens read the last prompt token's state; use --pooling last")
        }
        if let k = readout.logitLensTop, k < 1 {
            throw DriftError(.invalidArgument, "--logit-lens needs at least 1 token per layer (got \(k))")
        }
        let head = try model.outputHead()
        self.head = head
        forwardLayers =
            readout.nextTokenLogits && keptLayers.last != model.layerCount
            ? keptLayers + [model.layerCount] : keptLayers
        if readout.nextTokenLogits { logits = Matrix(rows: conceptCount, columns: head.vocabularySize) }
        if readout.logitLensTop != nil { lens = [] }
    }

    /// Takes one batch's states: `final` is the last hidden state (`layerCount`), `kept` the kept layers' states
    /// (rows = the batch's prompts, whose vocabulary rows are `concepts`).
    mutating func collect(final: Matrix, kept: [Matrix], concepts: [Int]) throws {
        guard let head else { return }
        if readout.nextTokenLogits {
            let vocabulary = head.vocabularySize
            var start = 0
            while start < final.rows {
                let end = min(final.rows, start + Self.rowsPerBlock)
                let block = head.logits(final.rows(start..<end), normalizing: false)
                for r in 0..<(end - start) {
                    let values = block.row(r)
                    guard values.allSatisfy(\.isFinite) else {
                        throw DriftError(
                            .corruptFile, "the next-token logits of concept \(concepts[start + r]) are not finite")
                    }
                    let target = concepts[start + r] * vocabulary
                    logits?.storage.replaceSubrange(target..<(target + vocabulary), with: values)
                }
                start = end
            }
        }
        if let k = readout.logitLensTop {
            for (position, layer) in keptLayers.enumerated() {
                // The last hidden state is already normed; the others go through the final norm first.
                let tops = head.topTokens(
                    kept[position], normalizing: layer < layerCount, k: k, rowsPerBlock: Self.rowsPerBlock)
                for (row, candidates) in tops.enumerated() {
                    for (rank, candidate) in candidates.enumerated() {
                        lens?.append(
                            LogitLensEntry(
                                layer: layer, concept: concepts[row], rank: rank + 1, tokenID: candidate.id,
                                probability: candidate.probability))
                    }
                }
            }
        }
    }
}
