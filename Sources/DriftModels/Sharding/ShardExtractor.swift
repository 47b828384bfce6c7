import DriftCore

/// Extracts one shard of a vocabulary: the batches of the unsharded batch plan that the shard runs (see
/// ``VocabularyShard``), each passed to the model exactly as the unsharded extraction passes it.
public enum ShardExtractor {
    /// The concepts of `shard` and their vectors.
    ///
    /// - Parameters:
    ///   - vocabulary: the whole vocabulary.
    ///   - extractor: the model, tokenizer and settings (the batch size decides the plan).
    ///   - progress: called after every batch.
    /// - Returns: `rows`, the concept indices of `vocabulary` the shard holds (ascending), and `set`, their vectors
    ///   over the sub-vocabulary of those rows in that order; `set` is nil when the plan has fewer batches than
    ///   the shard's index.
    /// - Throws: ``DriftCore/DriftError`` as ``Extractor/extract(_:progress:)``, and `.unsupported` for a streamed
    ///   model split into several shards (its unsharded run passes every prompt in one batch).
    public static func extract(
        _ vocabulary: Vocabulary, shard: VocabularyShard, extractor: Extractor,
        progress: (ExtractionProgress) -> Void = { _ in }
    ) throws -> (rows: [Int], set: EmbeddingSet?) {
        if extractor.model is StreamingTransformerModel && shard.count > 1 {
            throw DriftError(
                .unsupported,
                "--shard needs the model in memory: a streamed model passes every prompt at once, so its extraction cannot be split bit-exactly (raise --max-memory or run unsharded)"
            )
        }
        let ids = try extractor.tokenize(vocabulary)
        let plan = extractor.batchPlan(tokenIDs: ids)
        let mine = shard.batches(of: plan.count).map { plan[$0].sorted() }
        guard !mine.isEmpty else { return ([], nil) }
        let rows = mine.flatMap { $0 }.sorted()
        let tokenCount = rows.reduce(0) { $0 + ids[$1].count }
        var report = ExtractionProgress(
            conceptsDone: 0, conceptCount: rows.count, tokensDone: 0, tokenCount: tokenCount, batchesDone: 0,
            batchCount: mine.count, elapsedSeconds: 0)
        progress(report)
        var parts: [(rows: [Int], set: EmbeddingSet)] = []
        var tokenize = 0.0
        var forward = 0.0
        var computed = 0
        for batch in mine {
            // In vocabulary order the batch's concepts sort by (length, index) as in the whole plan, and they fit
            // one batch: the model sees the same prompts in the same order.
            let part = try Vocabulary(name: vocabulary.name, concepts: batch.map { vocabulary.concepts[$0] })
            let set = try extractor.extract(part)
            guard set.timings.batches == 1 else {
                throw DriftError(
                    .unsupported, "internal: a batch of the plan did not stay one batch (\(set.timings.batches))")
            }
            parts.append((batch, set))
            tokenize += set.timings.tokenizeSeconds
            forward += set.timings.forwardSeconds
            computed += set.timings.computedTokens
            report.conceptsDone += batch.count
            report.tokensDone += set.timings.tokens
            report.batchesDone += 1
            report.elapsedSeconds = forward
            progress(report)
        }
        guard let first = parts.first?.set else { return ([], nil) }
        let hidden = first.hiddenSize
        let layers = first.layers
        var slot: [Int: (part: Int, row: Int)] = [:]
        for (p, part) in parts.enumerated() {
            for (r, row) in part.rows.enumerated() { slot[row] = (p, r) }
        }
        var values = [Float](repeating: 0, count: layers.count * rows.count * hidden)
        var tokenIDs: [[Int]] = []
        for (target, row) in rows.enumerated() {
            guard let (p, r) = slot[row] else { continue }
            let part = parts[p].set
            tokenIDs.append(part.tokenIDs[r])
            let n = part.vocabulary.count
            for l in 0..<layers.count {
                let from = (l * n + r) * hidden
                let to = (l * rows.count + target) * hidden
                for c in 0..<hidden { values[to + c] = part.values[from + c] }
            }
        }
        let sub = try Vocabulary(name: vocabulary.name, concepts: rows.map { vocabulary.concepts[$0] })
        let set = EmbeddingSet(
            vocabulary: sub, layers: layers, hiddenSize: hidden, values: values, tokenIDs: tokenIDs,
            timings: ExtractionTimings(
                tokenizeSeconds: tokenize, forwardSeconds: forward, tokens: tokenCount, batches: mine.count,
                computedTokens: computed))
        return (rows, set)
    }
}
