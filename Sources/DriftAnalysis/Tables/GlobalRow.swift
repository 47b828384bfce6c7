public import DriftCore

/// Whole-representation comparison of two variants at one layer (`tables/global`).
public struct GlobalRow: TableRow, Equatable {
    /// First variant.
    public var variantA: String
    /// Second variant.
    public var variantB: String
    /// Layer index.
    public var layer: Int
    /// Mean per-concept cosine distance (NaN when widths differ).
    public var meanDrift: Double
    /// Linear CKA.
    public var cka: Double
    /// Debiased linear CKA.
    public var ckaDebiased: Double
    /// Procrustes distance, 0…2.
    public var procrustes: Double
    /// Mutual k-NN alignment, 0…1.
    public var mutualKNN: Double
    /// Mean pairwise cosine in variant a.
    public var anisotropyA: Double
    /// Mean pairwise cosine in variant b.
    public var anisotropyB: Double
    /// At the last layer, when both variants kept next-token logits: the mean Jensen–Shannon divergence of the
    /// concepts' next-token distributions with its 95% bootstrap interval (NaN otherwise).
    public var meanJS = Double.nan
    public var meanJSLow = Double.nan
    public var meanJSHigh = Double.nan
    /// At the last layer: the fraction (0…1) of concepts whose most likely next token is the same.
    public var top1Agreement = Double.nan
    /// At the last layer: Spearman's ρ between the concepts' cosine drift and their JS, with its bootstrap interval.
    public var spearmanDriftJS = Double.nan
    public var spearmanLow = Double.nan
    public var spearmanHigh = Double.nan
    /// At every layer where both variants read the logit lens: the fraction of concepts whose lens puts the same
    /// token first.
    public var lensTop1Agreement = Double.nan

    /// Creates a row.
    public init(
        variantA: String, variantB: String, layer: Int, meanDrift: Double, cka: Double, ckaDebiased: Double,
        procrustes: Double, mutualKNN: Double, anisotropyA: Double, anisotropyB: Double
    ) {
        self.variantA = variantA
        self.variantB = variantB
        self.layer = layer
        self.meanDrift = meanDrift
        self.cka = cka
        self.ckaDebiased = ckaDebiased
        self.procrustes = procrustes
        self.mutualKNN = mutualKNN
        self.anisotropyA = anisotropyA
        self.anisotropyB = anisotropyB
    }

    /// Equal when every cell is equal, NaN matching NaN (a column not measured is NaN in both).
    public static func == (x: GlobalRow, y: GlobalRow) -> Bool {
        zip(x.cells, y.cells).allSatisfy { a, b in
            if case .number(let u) = a, case .number(let v) = b { return u == v || (u.isNaN && v.isNaN) }
            return a == b
        }
    }

    /// The table's name.
    public static let tableName = "global"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA),
            .text("variant_b", \.variantB),
            .integer("layer", \.layer),
            .number("mean_drift", \.meanDrift),
            .number("cka", \.cka),
            .number("cka_debiased", \.ckaDebiased),
            .number("procrustes", \.procrustes),
            .number("mutual_knn", \.mutualKNN),
            .number("anisotropy_a", \.anisotropyA),
            .number("anisotropy_b", \.anisotropyB),
            .number("mean_js", \.meanJS, added: true),
            .number("mean_js_ci_low", \.meanJSLow, added: true),
            .number("mean_js_ci_high", \.meanJSHigh, added: true),
            .number("top1_agreement", \.top1Agreement, added: true),
            .number("spearman_drift_js", \.spearmanDriftJS, added: true),
            .number("spearman_ci_low", \.spearmanLow, added: true),
            .number("spearman_ci_high", \.spearmanHigh, added: true),
            .number("lens_top1_agreement", \.lensTop1Agreement, added: true),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        layer = 0
        meanDrift = 0
        cka = 0
        ckaDebiased = 0
        procrustes = 0
        mutualKNN = 0
        anisotropyA = 0
        anisotropyB = 0
    }
}
