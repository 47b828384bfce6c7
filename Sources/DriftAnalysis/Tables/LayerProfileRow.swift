public import DriftCore

/// Every measure of one variant pair at one layer, one row per pair × layer (`tables/layer_profile`): ready to plot
/// against depth.
public struct LayerProfileRow: TableRow, Equatable {
    /// First variant.
    public var variantA: String
    /// Second variant.
    public var variantB: String
    /// Layer index (0 = embedding output).
    public var layer: Int
    /// Mean per-concept cosine distance (NaN when widths differ).
    public var meanDrift: Double
    /// Median per-concept cosine distance.
    public var medianDrift: Double
    /// Mean cosine distance of mean-centred vectors.
    public var meanCenteredDrift: Double
    /// Mean cosine distance after the best global rotation.
    public var meanProcrustesDrift: Double
    /// Mean k-NN Jaccard overlap.
    public var meanJaccard: Double
    /// Mean second-order neighbourhood change.
    public var meanSecondOrder: Double
    /// Linear CKA.
    public var cka: Double
    /// Debiased linear CKA.
    public var ckaDebiased: Double
    /// Procrustes distance.
    public var procrustes: Double
    /// Mutual k-NN alignment.
    public var mutualKNN: Double

    /// Creates a row.
    public init(
        variantA: String, variantB: String, layer: Int, meanDrift: Double, medianDrift: Double,
        meanCenteredDrift: Double, meanProcrustesDrift: Double, meanJaccard: Double, meanSecondOrder: Double,
        cka: Double, ckaDebiased: Double, procrustes: Double, mutualKNN: Double
    ) {
        self.variantA = variantA
        self.variantB = variantB
        self.layer = layer
        self.meanDrift = meanDrift
        self.medianDrift = medianDrift
        self.meanCenteredDrift = meanCenteredDrift
        self.meanProcrustesDrift = meanProcrustesDrift
        self.meanJaccard = meanJaccard
        self.meanSecondOrder = meanSecondOrder
        self.cka = cka
        self.ckaDebiased = ckaDebiased
        self.procrustes = procrustes
        self.mutualKNN = mutualKNN
    }

    /// The table's name.
    public static let tableName = "layer_profile"

    /// The columns in order, each bound to its property.
    public static var schema: [TableColumn<Self>] {
        [
            .text("variant_a", \.variantA),
            .text("variant_b", \.variantB),
            .integer("layer", \.layer),
            .number("mean_drift", \.meanDrift),
            .number("median_drift", \.medianDrift),
            .number("mean_centered_drift", \.meanCenteredDrift),
            .number("mean_procrustes_drift", \.meanProcrustesDrift),
            .number("mean_jaccard", \.meanJaccard),
            .number("mean_second_order", \.meanSecondOrder),
            .number("cka", \.cka),
            .number("cka_debiased", \.ckaDebiased),
            .number("procrustes", \.procrustes),
            .number("mutual_knn", \.mutualKNN),
        ]
    }

    /// An empty row (reading fills it column by column).
    public init() {
        variantA = ""
        variantB = ""
        layer = 0
        meanDrift = 0
        medianDrift = 0
        meanCenteredDrift = 0
        meanProcrustesDrift = 0
        meanJaccard = 0
        meanSecondOrder = 0
        cka = 0
        ckaDebiased = 0
        procrustes = 0
        mutualKNN = 0
    }
}
