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

    /// The table's columns, in order.
    public static let columns = [
        "variant_a", "variant_b", "layer", "mean_drift", "median_drift", "mean_centered_drift",
        "mean_procrustes_drift", "mean_jaccard", "mean_second_order", "cka", "cka_debiased", "procrustes",
        "mutual_knn",
    ]

    /// The cells in column order.
    public var cells: [TableValue] {
        [
            .text(variantA), .text(variantB), .integer(layer), .number(meanDrift), .number(medianDrift),
            .number(meanCenteredDrift), .number(meanProcrustesDrift), .number(meanJaccard), .number(meanSecondOrder),
            .number(cka), .number(ckaDebiased), .number(procrustes), .number(mutualKNN),
        ]
    }
}
