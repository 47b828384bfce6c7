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
}
