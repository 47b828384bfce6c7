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

    /// The table's columns, in order; `global.csv` and `global.json` use them.
    public static let columns = [
        "variant_a", "variant_b", "layer", "mean_drift", "cka", "cka_debiased", "procrustes", "mutual_knn",
        "anisotropy_a", "anisotropy_b",
    ]

    /// The cells in column order.
    public var cells: [TableValue] {
        [
            .text(variantA), .text(variantB), .integer(layer), .number(meanDrift), .number(cka), .number(ckaDebiased),
            .number(procrustes), .number(mutualKNN), .number(anisotropyA), .number(anisotropyB),
        ]
    }
}
