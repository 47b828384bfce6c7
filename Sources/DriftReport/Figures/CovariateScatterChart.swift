public import DriftAnalysis

/// Per-concept drift against one covariate for one variant pair: each concept a dot in its category's colour.
public enum CovariateScatterChart {
    static let width = 900.0
    static let plotLeft = 90.0
    static let plotRight = 870.0
    static let plotTop = 10.0
    static let plotBottom = 330.0

    /// The figure of `drift` (one value per concept) against `covariate`'s `values`, or nil when nothing is finite.
    public static func figure(
        pair: VariantPair, layer: Int, covariate: ConfoundRow, values: [Double], drift: [Double],
        concepts: [String], categories: [String], categoryColor: (String) -> String
    ) -> Figure? {
        let points = values.indices.filter { values[$0].isFinite && drift[$0].isFinite }
        guard points.count >= 2 else { return nil }
        let id = "covariate-scatter-" + pair.slug
        let name = covariate.covariate
        let title = "Drift against \(name), the covariate that goes most with it, \(pair.label) (layer \(layer))"
        let caption =
            "Each dot is a concept: its cosine drift between \(pair.a) and \(pair.b) against its \(name) in \(pair.a). "
            + "Pearson r = \(Markup.number(covariate.r, digits: 3)) (95% bootstrap CI "
            + "\(Markup.number(covariate.rCILow, digits: 3))–\(Markup.number(covariate.rCIHigh, digits: 3)), "
            + "p = \(Markup.pValue(covariate.pValue))). If the categories separate along "
            + "\(name), a raw category difference may be this covariate's; compare the adjusted means beside it."
        let xs = points.map { values[$0] }, ys = points.map { drift[$0] }
        let x = LinearScale(domain: (xs.min() ?? 0, xs.max() ?? 1), range: (plotLeft, plotRight)).niced(count: 6)
        let y = LinearScale(domain: (min(0, ys.min() ?? 0), ys.max() ?? 1), range: (plotBottom, plotTop)).niced(
            count: 5)
        var chart = Axis.left(y, x: plotLeft, label: "cosine drift", gridRight: plotRight)
        chart += Axis.bottom(x, y: plotBottom, label: name)
        for i in points {
            let tip =
                "\(concepts[i]) (\(categories[i])): \(name) \(Markup.number(values[i], digits: 4)), drift "
                + Markup.number(drift[i], digits: 4)
            chart +=
                "<circle data-category=\"\(Markup.escape(categories[i]))\" cx=\"\(Markup.coordinate(x(values[i])))\""
                + " cy=\"\(Markup.coordinate(y(drift[i])))\" r=\"3.2\" fill=\"\(categoryColor(categories[i]))\""
                + " fill-opacity=\"0.8\"><title>\(Markup.escape(tip))</title></circle>"
        }
        var seen = Set<String>()
        let legend = Legend.swatches(
            categories.filter { seen.insert($0).inserted }.sorted().map {
                Legend.Item(label: $0, color: categoryColor($0))
            },
            x: 12, y: plotBottom + 48, maxWidth: width - 24)
        chart += legend.markup
        return Figure(
            id: id, title: title, caption: caption, pair: pair,
            svg: FigureFrame.document(
                id: id, width: width, chartHeight: plotBottom + 48 + legend.height, title: title, caption: caption,
                chart: chart))
    }
}
