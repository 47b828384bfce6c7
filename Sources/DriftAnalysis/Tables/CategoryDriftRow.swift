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

    /// The table's columns, in order; `category_drift.csv` and `category_drift.json` use them.
    public static let columns = [
        "variant_a", "variant_b", "layer", "category", "n", "mean", "ci_low", "ci_high", "median", "std", "max",
        "top_quartile_share",
    ]

    /// The cells in column order.
    public var cells: [TableValue] {
        [
            .text(variantA), .text(variantB), .integer(layer), .text(category), .integer(n), .number(mean),
            .number(ciLow), .number(ciHigh), .number(median), .number(std), .number(max), .number(topQuartileShare),
        ]
    }
}
