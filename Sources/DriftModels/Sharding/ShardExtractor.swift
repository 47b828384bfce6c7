import DriftCore

/// Extracts one shard of a vocabulary: the batches of the unsharded batch plan that the shard runs (see
/// ``VocabularyShard``), each passed to the model exactly as the unsharded extraction passes it.
public enum ShardExtractor {
    /// The concepts of `shard` and their vectors.
    ///
    /// - Parameters:
    ///   - vocabulary: the whole vocabulary.
    ///   - extractor: the model, tokenizer and settings (the batch size decides the plan).
    ///   - readout: what to read through the LM head, batch by batch as the unsharded extraction reads it.
    ///   - progress: called after every batch.
    /// - Returns: `rows`, the concept indices of `vocabulary` the shard holds (ascending), and `set`, their vectors
    ///   (and next-token logits, next tokens and logit lens when asked for) over the sub-vocabulary of those rows in
    ///   that order; `set` is nil when the plan has fewer batches than the shard's index.
    /// - Throws: ``DriftCore/DriftError`` as ``Extractor/extract(_:progress:)``, and `.unsupported` for a streamed
    ///   model split into several shards (its unsharded run passes every prompt in one batch).
    public static func extract(
        _ vocabulary: Vocabulary, shard: VocabularyShard, extractor: Extractor, readout: OutputReadout = .none,
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
            let set = try extractor.extract(part, readout: readout)
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
        var set = EmbeddingSet(
            vocabulary: sub, layers: layers, hiddenSize: hidden, values: values, tokenIDs: tokenIDs,
            timings: ExtractionTimings(
                tokenizeSeconds: tokenize, forwardSeconds: forward, tokens: tokenCount, batches: mine.count,
                computedTokens: computed))
        joinOutputs(parts, rows: rows, into: &set)
        set.frequencyProxies = try extractor.frequencyProxies(sub)
        return (rows, set)
    }

    /// Joins the batches' next-token logits, next tokens and logit lens into `set`, whose rows are `rows` (each
    /// batch's entries name its own rows), ordered as the unsharded extraction orders them.
    private static func joinOutputs(
        _ parts: [(rows: [Int], set: EmbeddingSet)], rows: [Int], into set: inout EmbeddingSet
    ) {
        let target = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
        func remapped(_ entries: [LogitLensEntry], _ part: (rows: [Int], set: EmbeddingSet)) -> [LogitLensEntry] {
            entries.compactMap { entry in
                guard let row = target[part.rows[entry.concept]] else { return nil }
                var entry = entry
                entry.concept = row
                return entry
            }
        }
        if let first = parts.first?.set.nextTokenLogits {
            var logits = Matrix(rows: rows.count, columns: first.columns)
            var next: [LogitLensEntry] = []
            for part in parts {
                guard let block = part.set.nextTokenLogits else { continue }
                for (r, row) in part.rows.enumerated() {
                    guard let to = target[row] else { continue }
                    logits.storage.replaceSubrange(
                        (to * logits.columns)..<((to + 1) * logits.columns), with: block.row(r))
                }
                next += remapped(part.set.nextTokens ?? [], part)
            }
            set.nextTokenLogits = logits
            set.nextTokens = next.sorted { ($0.concept, $0.rank) < ($1.concept, $1.rank) }
        }
        if parts.first?.set.logitLens != nil {
            set.logitLens = parts.flatMap { remapped($0.set.logitLens ?? [], $0) }
                .sorted { ($0.layer, $0.concept, $0.rank) < ($1.layer, $1.concept, $1.rank) }
        }
        for part in parts { set.tokenTexts.merge(part.set.tokenTexts) { first, _ in first } }
    }
}
