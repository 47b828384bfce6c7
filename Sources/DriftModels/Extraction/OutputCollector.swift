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

    /// Rows of next-token logits computed at once (a batch rarely has more prompts).
    ///
    /// Blocks never span batches, so that a shard, which extracts some of the batches, computes each row's logits
    /// exactly as the whole run does.
    static let rowsPerBlock = 64
    /// Rows of lens logits computed at once, drawn from every kept layer of one batch: 256 × Llama 3's 128,256
    /// tokens is 131 MB whatever the number of layers, and a product of that many rows runs near the BLAS's peak
    /// (64 rows: 74%).
    static let lensRowsPerBlock = 256
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
        let k = readout.logitLensTop
        let vocabulary = head.vocabularySize
        // The last hidden state's lens reads the next-token logits themselves when both are asked for (the same
        // values, computed once); the other kept layers' rows are stacked into blocks of their own.
        let finalLensPosition =
            readout.nextTokenLogits && k != nil && keptLayers.last == layerCount ? keptLayers.count - 1 : nil
        var finalLens: [LogitLensEntry] = []
        // The lens of a block's rows: each row's top k (rows in parallel), then in order its entries and its spill.
        func readLens(
            _ logits: UnsafeBufferPointer<Float>, positions: [Int], rows: [Int], into entries: inout [LogitLensEntry]
        ) throws {
            guard let k else { return }
            for (index, top) in OutputHead.topOfEachRow(logits, columns: vocabulary, k: k).enumerated() {
                for (rank, candidate) in top.enumerated() {
                    entries.append(
                        LogitLensEntry(
                            layer: keptLayers[positions[index]], concept: concepts[rows[index]], rank: rank + 1,
                            tokenID: candidate.id, probability: candidate.probability))
                }
                try lensLogits?.write(
                    UnsafeBufferPointer(rebasing: logits[(index * vocabulary)..<((index + 1) * vocabulary)]),
                    layer: positions[index], concept: concepts[rows[index]])
            }
        }
        if readout.nextTokenLogits {
            try head.forEachBlockOfLogits([(final, false)], rowsPerBlock: Self.rowsPerBlock, scratch: &scratch) {
                sources, values in
                for (index, source) in sources.enumerated() {
                    let row = UnsafeBufferPointer(rebasing: values[(index * vocabulary)..<((index + 1) * vocabulary)])
                    guard row.allSatisfy({ $0.isFinite }) else {
                        throw DriftError(
                            .corruptFile, "the next-token logits of concept \(concepts[source.row]) are not finite")
                    }
                    let target = concepts[source.row] * vocabulary
                    logits?.storage.replaceSubrange(target..<(target + vocabulary), with: row)
                }
                if let finalLensPosition {
                    try readLens(
                        values, positions: sources.map { _ in finalLensPosition }, rows: sources.map(\.row),
                        into: &finalLens)
                }
            }
        }
        if k != nil {
            // The last hidden state is already normed; the others go through the final norm first.
            let positions = keptLayers.indices.filter { $0 != finalLensPosition }
            let inputs = positions.map { (kept[$0], keptLayers[$0] < layerCount) }
            var entries: [LogitLensEntry] = []
            try head.forEachBlockOfLogits(inputs, rowsPerBlock: Self.lensRowsPerBlock, scratch: &scratch) {
                sources, values in
                try readLens(
                    values, positions: sources.map { positions[$0.input] }, rows: sources.map(\.row), into: &entries)
            }
            lens?.append(contentsOf: entries + finalLens)
        }
    }
}
