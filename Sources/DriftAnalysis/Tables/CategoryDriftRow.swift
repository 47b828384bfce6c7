public import DriftCore

/// One category's drift statistics between two variants at one layer (`tables/category_drift`).
public struct CategoryDriftRow: TableRow, Equatable {
    /// First variant.
    public var variantA: String
    /// Second variant.
    public var variantB: String
    /// Layer index.
    public var layer: Int
    /// The category.
    public var category: String
    /// Number of concepts.
    public var n: Int
    /// Mean cosine distance.
    public var mean: Double
    /// Lower end of the 95% percentile bootstrap interval of the mean.
    public var ciLow: Double
    /// Upper end of that interval.
    public var ciHigh: Double
    /// Median.
    public var median: Double
    /// Sample standard deviation (n − 1).
    public var std: Double
    /// Largest drift.
    public var max: Double
    /// Fraction (0…1) of the category at or above the 0.75 quantile of all concepts.
    public var topQuartileShare: Double

    /// Creates a row.
    public init(
        variantA: String, variantB: String, layer: Int, category: String, n: Int, mean: Double, ciLow: Double,
        ciHigh: Double, median: Double, std: Double, max: Double, topQuartileShare: Double
    ) {
        self.variantA = variantA
        self.variantB = variantB
        self.layer = layer
        self.category = category
        self.n = n
        self.mean = mean
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.median = median
        self.std = std
        self.max = max
        self.topQuartileShare = topQuartileShare
    }

    /// The table's name.
    public static let tableName = "category_drift"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA),
            .text("variant_b", \.variantB),
            .integer("layer", \.layer),
            .text("category", \.category),
            .integer("n", \.n),
            .number("mean", \.mean),
            .number("ci_low", \.ciLow),
            .number("ci_high", \.ciHigh),
            .number("median", \.median),
            .number("std", \.std),
            .number("max", \.max),
            .number("top_quartile_share", \.topQuartileShare),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        layer = 0
        category = ""
        n = 0
        mean = 0
        ciLow = 0
        ciHigh = 0
        median = 0
        std = 0
        max = 0
        topQuartileShare = 0
    }
}
