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
    /// Where every kept layer's lens logits go when the readout asks for them (see `OutputReadout.lensLogitsFile`).
    private let lensLogits: LensLogitsFile?

    /// Rows of logits computed at once.
    static let rowsPerBlock = 64
    /// The block of logits every batch and layer computes into.
    private var scratch: [Float] = []

    init(
        readout: OutputReadout, model: any HiddenStateModel, pooling: Pooling, keptLayers: [Int], conceptCount: Int
    ) throws {
        self.readout = readout
        self.layerCount = model.layerCount
        self.keptLayers = keptLayers
        guard !readout.isEmpty else {
            head = nil
            forwardLayers = keptLayers
            lensLogits = nil
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
        lensLogits =
            if let url = readout.lensLogitsFile, readout.logitLensTop != nil {
                try LensLogitsFile(
                    creating: url, layers: keptLayers.count, concepts: conceptCount, vocabulary: head.vocabularySize)
            } else { nil }
    }

    /// Takes one batch's states: `final` is the last hidden state (`layerCount`), `kept` the kept layers' states
    /// (rows = the batch's prompts, whose vocabulary rows are `concepts`).
    mutating func collect(final: Matrix, kept: [Matrix], concepts: [Int]) throws {
        guard let head else { return }
        // Taken out (left empty) for the call, so the closures below may change the collector's other properties and
        // the block stays uniquely referenced (written in place, not copied).
        var scratch = self.scratch
        self.scratch = []
        defer { self.scratch = scratch }
        if readout.nextTokenLogits {
            let vocabulary = head.vocabularySize
            try head.forEachRowOfLogits(
                final, normalizing: false, rowsPerBlock: Self.rowsPerBlock, scratch: &scratch
            ) { row, values in
                guard values.allSatisfy(\.isFinite) else {
                    throw DriftError(.corruptFile, "the next-token logits of concept \(concepts[row]) are not finite")
                }
                let target = concepts[row] * vocabulary
                logits?.storage.replaceSubrange(target..<(target + vocabulary), with: values)
            }
        }
        if let k = readout.logitLensTop {
            for (position, layer) in keptLayers.enumerated() {
                // The last hidden state is already normed; the others go through the final norm first.
                try head.forEachRowOfLogits(
                    kept[position], normalizing: layer < layerCount, rowsPerBlock: Self.rowsPerBlock,
                    scratch: &scratch
                ) { row, values in
                    for (rank, candidate) in OutputHead.top(values, k: k).enumerated() {
                        lens?.append(
                            LogitLensEntry(
                                layer: layer, concept: concepts[row], rank: rank + 1, tokenID: candidate.id,
                                probability: candidate.probability))
                    }
                    try values.withUnsafeBufferPointer {
                        try lensLogits?.write($0, layer: position, concept: concepts[row])
                    }
                }
            }
        }
    }
}
