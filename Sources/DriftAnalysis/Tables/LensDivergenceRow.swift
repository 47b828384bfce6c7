public import DriftCore

/// How one concept's logit-lens distribution at one layer differs between two variants
/// (`tables/logit_lens_divergence`): the columns of `tables/next_token` with the layer after the variants.
public struct LensDivergenceRow: TableRow, Equatable {
    /// The hidden-state index (Hugging Face numbering) whose state was read through the final norm and the LM head.
    public var layer: Int
    /// The variants, the concept and its measures at this layer, as `tables/next_token` has them for the output.
    public var divergence: NextTokenRow

    /// The table's name.
    public static let tableName = "logit_lens_divergence"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        let columns = NextTokenRow.schema.map { $0.within(\Self.divergence) }
        return Array(columns.prefix(2)) + [.integer("layer", \.layer)] + columns.dropFirst(2)
    }

    /// An empty row (reading fills it column by column).
    public init() {
        layer = 0
        divergence = NextTokenRow()
    }

    /// The row of concept `term` at `layer` from its divergence.
    public init(
        variantA: String, variantB: String, layer: Int, term: String, category: String, _ d: NextTokenDivergence
    ) {
        self.layer = layer
        divergence = NextTokenRow(variantA: variantA, variantB: variantB, term: term, category: category, d)
    }
}
