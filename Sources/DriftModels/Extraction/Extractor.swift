import DriftCore
import Foundation

/// Runs every concept of a vocabulary through a model and keeps the pooled hidden states of the selected layers.
///
/// Prompts are sorted by token count and packed into batches bounded by ``ExtractionSettings/maxBatchTokens`` so that
/// the model's matrix products stay large; the output is in vocabulary order whatever the batching.
public struct Extractor: Sendable {
    /// Turns prompts into token ids.
    public let tokenizer: any Tokenizer
    /// Turns token ids into hidden states.
    public let model: any HiddenStateModel
    /// Template, pooling, layers and batch size.
    public let settings: ExtractionSettings

    /// Creates an extractor.
    public init(
        tokenizer: any Tokenizer, model: any HiddenStateModel, settings: ExtractionSettings = ExtractionSettings()
    ) {
        self.tokenizer = tokenizer
        self.model = model
        self.settings = settings
    }

    /// The token ids of every concept's prompt, in vocabulary order.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) naming a term whose prompt tokenises to nothing.
    public func tokenize(_ vocabulary: Vocabulary) throws -> [[Int]] {
        var result: [[Int]] = []
        result.reserveCapacity(vocabulary.count)
        for concept in vocabulary.concepts {
            let ids = try tokenizer.encode(
                settings.template.prompt(for: concept.term), addSpecialTokens: settings.addSpecialTokens)
            guard !ids.isEmpty else {
                throw DriftError(
                    .invalidArgument,
                    "the prompt for the term \(DriftError.quote(concept.term)) tokenises to nothing (template \(DriftError.quote(settings.template.text)))"
                )
            }
            if let bad = ids.first(where: { $0 < 0 || $0 >= tokenizer.vocabularySize }) {
                throw DriftError(
                    .invalidArgument,
                    "the prompt for the term \(DriftError.quote(concept.term)) gives token id \(bad), outside the tokenizer's \(tokenizer.vocabularySize) ids"
                )
            }
            result.append(ids)
        }
        return result
    }

    /// Each concept's token-frequency proxy, or nil for a tokenizer without merges.
    ///
    /// The mean of `log(1 + rank)` over the term's tokens in the prompt, `rank` the rank of the BPE merge that makes
    /// the token (0 for a token no merge makes: a single symbol, a byte, an added token). Lower means more frequent.
    ///
    /// The term's tokens are those of the template's opening followed by the term, after the ids the opening alone
    /// gives without its trailing space (so the space before the term counts with the term, as in the prompt).
    public func frequencyProxies(_ vocabulary: Vocabulary) throws -> [Double]? {
        guard let ranks = tokenizer.mergeRanks() else { return nil }
        // Without its trailing space, which belongs to the term's first token ("Ġterm", "▁term").
        var opening = Substring(settings.template.textBeforeTerm)
        while let last = opening.last, last.isWhitespace { opening = opening.dropLast() }
        let openingIDs = try tokenizer.encode(String(opening), addSpecialTokens: false)
        return try vocabulary.concepts.map { concept in
            let ids = try tokenizer.encode(
                String(settings.template.textBeforeTerm) + concept.term, addSpecialTokens: false)
            var shared = 0
            while shared < min(ids.count, openingIDs.count), ids[shared] == openingIDs[shared] { shared += 1 }
            let own = ids[shared...].isEmpty ? ids[...] : ids[shared...]
            let values = own.map { Foundation.log1p(Double(ranks[$0] ?? 0)) }
            return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        }
    }

    /// Groups prompts into batches: indices sorted by token count (ties in vocabulary order), each batch holding at
    /// most `maxBatchTokens` tokens (a longer prompt runs alone).
    ///
    /// - Returns: the concept indices of each batch; every index appears exactly once.
    public static func plan(tokenCounts: [Int], maxBatchTokens: Int) -> [[Int]] {
        let order = tokenCounts.indices.sorted { (tokenCounts[$0], $0) < (tokenCounts[$1], $1) }
        var batches: [[Int]] = []
        var current: [Int] = []
        var currentTokens = 0
        for index in order {
            let count = tokenCounts[index]
            if !current.isEmpty && currentTokens + count > maxBatchTokens {
                batches.append(current)
                current = []
                currentTokens = 0
            }
            current.append(index)
            currentTokens += count
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Whether this extraction computes each batch's shared prompt opening once (the settings ask for it and the
    /// model can).
    public var sharesPromptPrefix: Bool { settings.sharesPromptPrefix && model.canSharePromptPrefix }

    /// The batches of an extraction of these prompts (see ``plan(tokenCounts:maxBatchTokens:)``): a prompt counts its
    /// tokens after the opening all the prompts share when ``sharesPromptPrefix``, as that is computed once per batch.
    public func batchPlan(tokenIDs: [[Int]]) -> [[Int]] {
        // A streaming model reads every weight per call: all prompts go through it at once, layer by layer.
        let limit = model is StreamingTransformerModel ? Int.max : settings.maxBatchTokens
        let shared = sharesPromptPrefix ? PackedBatch.sharedPrefixLength(tokenIDs) : 0
        return Extractor.plan(tokenCounts: tokenIDs.map { $0.count - shared }, maxBatchTokens: limit)
    }

    /// Extracts every concept of `vocabulary`.
    ///
    /// - Parameters:
    ///   - vocabulary: the concepts, in the row order wanted.
    ///   - progress: called after every batch (on the calling thread).
    /// - Returns: the vectors, layers × concepts × hidden, raw.
    /// - Throws: ``DriftCore/DriftError`` for an empty prompt, a layer out of range, a failing model, or a
    ///   hidden state that is not finite (naming the concept and layer).
    public func extract(
        _ vocabulary: Vocabulary, readout: OutputReadout = .none, progress: (ExtractionProgress) -> Void = { _ in }
    ) throws -> EmbeddingSet {
        guard settings.maxBatchTokens > 0 else {
            throw DriftError(
                .invalidArgument, "the batch size must be at least 1 token (got \(settings.maxBatchTokens))")
        }
        let layers = try settings.layers.resolve(layerCount: model.layerCount)
        var outputs = try OutputCollector(
            readout: readout, model: model, pooling: settings.pooling, keptLayers: layers,
            conceptCount: vocabulary.count)
        let forwardLayers = outputs.forwardLayers
        let clock = ContinuousClock()
        let tokenizeStart = clock.now
        let tokenIDs = try tokenize(vocabulary)
        let tokenizeSeconds = (clock.now - tokenizeStart).seconds

        let counts = tokenIDs.map(\.count)
        let totalTokens = counts.reduce(0, +)
        let batches = batchPlan(tokenIDs: tokenIDs)
        var computedTokens = 0
        let hidden = model.hiddenSize
        let conceptCount = vocabulary.count
        let layerStride = conceptCount * hidden
        var values = [Float](repeating: 0, count: layers.count * layerStride)

        var report = ExtractionProgress(
            conceptsDone: 0, conceptCount: conceptCount, tokensDone: 0, tokenCount: totalTokens,
            batchesDone: 0, batchCount: batches.count, elapsedSeconds: 0)
        progress(report)
        let forwardStart = clock.now
        for batch in batches {
            let prompts = batch.map { tokenIDs[$0] }
            var matrices = try model.pooledHiddenStates(
                batch: prompts, layers: forwardLayers, pooling: settings.pooling, sharingPrefix: sharesPromptPrefix)
            // The final state is the extra last matrix when it is not kept, else the last kept one.
            let final = forwardLayers.count > layers.count ? matrices.popLast() : matrices.last
            if !readout.isEmpty, let final { try outputs.collect(final: final, kept: matrices, concepts: batch) }
            computedTokens += PackedBatch.rowCount(of: prompts, sharingPrefix: sharesPromptPrefix)
            guard matrices.count == layers.count,
                matrices.allSatisfy({ $0.rows == batch.count && $0.columns == hidden })
            else {
                throw DriftError(
                    .unsupported,
                    "the model returned \(matrices.count) matrices of shape \(matrices.first.map { "\($0.rows)×\($0.columns)" } ?? "-") for \(batch.count) prompts and \(layers.count) layers (expected \(batch.count)×\(hidden) each)"
                )
            }
            for (position, matrix) in matrices.enumerated() {
                try matrix.storage.withUnsafeBufferPointer { source in
                    try values.withUnsafeMutableBufferPointer { target in
                        for (row, concept) in batch.enumerated() {
                            let from = row * hidden
                            for column in 0..<hidden where !source[from + column].isFinite {
                                throw DriftError(
                                    .corruptFile,
                                    "the hidden state of \(DriftError.quote(vocabulary.concepts[concept].term)) at layer \(layers[position]) is not finite (overflow in the model's weights?)"
                                )
                            }
                            let to = position * layerStride + concept * hidden
                            for column in 0..<hidden { target[to + column] = source[from + column] }
                        }
                    }
                }
            }
            report.conceptsDone += batch.count
            report.tokensDone += batch.reduce(0) { $0 + counts[$1] }
            report.batchesDone += 1
            report.elapsedSeconds = (clock.now - forwardStart).seconds
            progress(report)
        }
        let forwardSeconds = (clock.now - forwardStart).seconds
        var set = EmbeddingSet(
            vocabulary: vocabulary, layers: layers, hiddenSize: hidden, values: values, tokenIDs: tokenIDs,
            timings: ExtractionTimings(
                tokenizeSeconds: tokenizeSeconds, forwardSeconds: forwardSeconds, tokens: totalTokens,
                batches: batches.count, computedTokens: computedTokens))
        set.frequencyProxies = try frequencyProxies(vocabulary)
        set.nextTokenLogits = outputs.logits
        set.logitLens = outputs.lens.map { entries in
            entries.sorted { ($0.layer, $0.concept, $0.rank) < ($1.layer, $1.concept, $1.rank) }
        }
        set.nextTokens = outputs.logits.map { Self.topNextTokens($0, layer: model.layerCount) }
        let named = (set.logitLens ?? []) + (set.nextTokens ?? [])
        if !named.isEmpty { set.tokenTexts = TokenText.texts(Set(named.map(\.tokenID)), tokenizer: tokenizer) }
        return set
    }
}

extension Extractor {
    /// How many next tokens ``EmbeddingSet/nextTokens`` keeps per concept.
    static let nextTokenCount = 10

    /// Every row's ``nextTokenCount`` most likely tokens of `logits` (rows = concepts), with their probabilities.
    static func topNextTokens(_ logits: Matrix, layer: Int) -> [LogitLensEntry] {
        let tops = logits.storage.withUnsafeBufferPointer {
            OutputHead.topOfEachRow($0, columns: logits.columns, k: min(nextTokenCount, logits.columns))
        }
        return tops.enumerated().flatMap { concept, top in
            top.enumerated().map { rank, candidate in
                LogitLensEntry(
                    layer: layer, concept: concept, rank: rank + 1, tokenID: candidate.id,
                    probability: candidate.probability)
            }
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
