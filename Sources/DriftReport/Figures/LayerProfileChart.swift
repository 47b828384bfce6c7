public import DriftAnalysis

/// Each global measure against depth, one line per variant pair (small multiples).
public enum LayerProfileChart {
    static let width = 900.0
    static let panelWidth = 380.0
    static let panelHeight = 200.0

    /// The measures drawn, with their axis labels.
    static let measures: [(name: String, label: String, value: @Sendable (GlobalRow) -> Double)] = [
        ("Mean drift", "mean cosine distance (1 − cos)", { $0.meanDrift }),
        ("Linear CKA", "CKA (0…1, 1 = same geometry)", { $0.cka }),
        ("Procrustes distance", "Procrustes distance (0…2)", { $0.procrustes }),
        ("Mutual k-NN alignment", "mutual k-NN (0…1)", { $0.mutualKNN }),
    ]

    /// The figure from `global` rows (every layer); nil with fewer than two layers (the page says why).
    public static func figure(global: [GlobalRow], pairs: [VariantPair]) -> Figure? {
        let layers = Array(Set(global.map(\.layer))).sorted()
        guard layers.count >= 2, let first = layers.first, let last = layers.last else { return nil }
        let id = "layer-profile"
        let title = "Layer profile: each measure against depth, one line per variant pair"
        let caption =
            "x = layer (0 = embedding output, \(last) = last stored layer); one line per variant pair "
            + "(colour and dash in the legend). Drift and Procrustes distance grow where the variants' representations "
            + "differ; CKA and mutual k-NN fall there. Missing points are layers where the measure is undefined."
        var chart = ""
        let c = Markup.coordinate
        for (m, measure) in measures.enumerated() {
            let ox = 70 + Double(m % 2) * (panelWidth + 70)
            let oy = 20 + Double(m / 2) * (panelHeight + 70)
            let values = global.map(measure.value).filter(\.isFinite)
            let sx = LinearScale(domain: (Double(first), Double(last)), range: (ox, ox + panelWidth - 20))
            let sy = LinearScale(domain: (min(values.min() ?? 0, 0), values.max() ?? 1), range: (oy + panelHeight, oy))
                .niced()
            chart += FigureFrame.text(measure.name, x: ox, y: oy - 8, cls: "lab")
            chart += Axis.bottom(
                sx, y: oy + panelHeight, label: "layer (index)", count: min(8, layers.count), gridTop: oy,
                format: { String(Int($0)) }, integersOnly: true)
            chart += Axis.left(sy, x: ox, label: measure.label, gridRight: ox + panelWidth - 20)
            for (p, pair) in pairs.enumerated() {
                let points = global.filter { $0.variantA == pair.a && $0.variantB == pair.b }
                    .sorted { $0.layer < $1.layer }
                    .compactMap { row -> (Double, Double)? in
                        let v = measure.value(row)
                        return v.isFinite ? (sx(Double(row.layer)), sy(v)) : nil
                    }
                guard !points.isEmpty else { continue }
                let d = "M" + points.map { "\(c($0.0)) \(c($0.1))" }.joined(separator: "L")
                let dash = Palette.pairDash(p)
                chart +=
                    "<path class=\"line\" data-pair=\"\(Markup.escape(pair.label))\" d=\"\(d)\" fill=\"none\" stroke=\"\(Palette.pair(p))\""
                    + " stroke-width=\"2\"" + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")
                    + "><title>\(Markup.escape(pair.label))</title></path>"
            }
        }
        let legendTop = 20 + 2 * (panelHeight + 70) - 10
        let legend = Legend.swatches(
            pairs.enumerated().map {
                Legend.Item(label: $1.label, color: Palette.pair($0), dash: Palette.pairDash($0))
            },
            x: 12, y: legendTop, maxWidth: width - 24)
        chart += legend.markup
        return Figure(
            id: id, title: title, caption: caption,
            svg: FigureFrame.document(
                id: id, width: width, chartHeight: legendTop + legend.height, title: title, caption: caption,
                chart: chart))
    }
}
