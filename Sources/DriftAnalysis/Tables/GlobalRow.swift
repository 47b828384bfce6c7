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
