public import DriftCore

/// One row of a variant's logit lens (`logit_lens_<name>.csv`): a concept's `rank`-th most likely next token when the
/// state of hidden-state index `layer` is read through the final norm and the LM head.
public struct LogitLensRow: TableRow, Equatable {
    /// The hidden-state index (Hugging Face numbering).
    public var layer: Int
    /// The concept.
    public var term: String
    /// Its category.
    public var category: String
    /// 1 for the most likely token.
    public var rank: Int
    /// The token's id.
    public var tokenID: Int
    /// The token as the tokenizer decodes it alone.
    public var token: String
    /// Its softmax probability over the whole vocabulary.
    public var probability: Double

    /// The table's name (its per-variant file is ``RunLayout/logitLensFileName(_:)``).
    public static let tableName = "logit_lens"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .integer("layer", \.layer), .text("term", \.term), .text("category", \.category), .integer("rank", \.rank),
            .integer("token_id", \.tokenID), .text("token", \.token), .number("prob", \.probability),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        layer = 0
        term = ""
        category = ""
        rank = 0
        tokenID = 0
        token = ""
        probability = 0
    }

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
