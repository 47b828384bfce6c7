public import DriftCore

/// One category's covariate-adjusted drift (`tables/category_drift_adjusted`): the columns of `category_drift`
/// (``CategoryDriftRow``) over each concept's drift minus its covariates' effect (``CovariateAdjustment``).
public struct AdjustedCategoryDriftRow: TableRow, Equatable {
    /// The row, in `category_drift`'s columns.
    public var statistics: CategoryDriftRow

    /// Creates a row.
    public init(_ statistics: CategoryDriftRow) { self.statistics = statistics }

    /// The table's name.
    public static let tableName = "category_drift_adjusted"

    /// The columns of `category_drift`, in its order.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.statistics.variantA),
            .text("variant_b", \.statistics.variantB),
            .integer("layer", \.statistics.layer),
            .text("category", \.statistics.category),
            .integer("n", \.statistics.n),
            .number("mean", \.statistics.mean),
            .number("ci_low", \.statistics.ciLow),
            .number("ci_high", \.statistics.ciHigh),
            .number("median", \.statistics.median),
            .number("std", \.statistics.std),
            .number("max", \.statistics.max),
            .number("top_quartile_share", \.statistics.topQuartileShare),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() { statistics = CategoryDriftRow() }
}
