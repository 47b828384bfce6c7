public import DriftCore

/// How strongly one covariate goes with drift between two variants at one layer (`tables/confounds`).
public struct ConfoundRow: TableRow, Equatable {
    /// First variant.
    public var variantA: String
    /// Second variant.
    public var variantB: String
    /// Layer index.
    public var layer: Int
    /// The covariate.
    public var covariate: String
    /// Least-squares slope of drift on the covariate alone (drift per unit of the covariate).
    public var slope: Double
    /// Pearson correlation of covariate and drift.
    public var r: Double
    /// Lower end of its percentile bootstrap interval (concepts resampled).
    public var rCILow: Double
    /// Upper end of that interval.
    public var rCIHigh: Double
    /// Two-sided permutation p-value of `r`.
    public var pValue: Double

    /// Creates a row.
    public init(
        variantA: String, variantB: String, layer: Int, covariate: String, slope: Double, r: Double, rCILow: Double,
        rCIHigh: Double, pValue: Double
    ) {
        self.variantA = variantA
        self.variantB = variantB
        self.layer = layer
        self.covariate = covariate
        self.slope = slope
        self.r = r
        self.rCILow = rCILow
        self.rCIHigh = rCIHigh
        self.pValue = pValue
    }

    /// The table's name.
    public static let tableName = "confounds"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA),
            .text("variant_b", \.variantB),
            .integer("layer", \.layer),
            .text("covariate", \.covariate),
            .number("slope", \.slope),
            .number("r", \.r),
            .number("r_ci_low", \.rCILow),
            .number("r_ci_high", \.rCIHigh),
            .number("p_value", \.pValue),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        layer = 0
        covariate = ""
        slope = 0
        r = 0
        rCILow = 0
        rCIHigh = 0
        pValue = 0
    }
}
