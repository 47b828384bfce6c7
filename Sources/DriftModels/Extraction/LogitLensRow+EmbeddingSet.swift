import DriftCore

extension LogitLensRow {
    /// The rows of `entries` (an extraction's logit lens or next tokens), in their order, named as `set` names them.
    static func rows(_ entries: [LogitLensEntry], of set: EmbeddingSet) -> [LogitLensRow] {
        entries.map { entry in
            var row = LogitLensRow()
            row.layer = entry.layer
            row.term = set.vocabulary.concepts[entry.concept].term
            row.category = set.vocabulary.concepts[entry.concept].category
            row.rank = entry.rank
            row.tokenID = entry.tokenID
            row.token = set.tokenTexts[entry.tokenID] ?? "<\(entry.tokenID)>"
            row.probability = entry.probability
            return row
        }
    }
}
