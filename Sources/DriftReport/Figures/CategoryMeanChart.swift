public import DriftAnalysis

/// Mean drift per category for one variant pair, with the 95% bootstrap confidence interval of each mean.
public enum CategoryMeanChart {
    static let width = 900.0
    static let plotLeft = 210.0
    static let plotRight = 870.0
    static let step = 26.0

    /// The figure for `pair` from its `category_drift` rows at one layer.
    public static func figure(
        pair: VariantPair, rows: [CategoryDriftRow], layer: Int,
        categoryColor: (String) -> String
    ) -> Figure {
        let id = "category-means-" + pair.slug
        let title = "Mean drift per category with 95% CI, \(pair.label) (layer \(layer))"
        let caption =
            "Bar = the category's mean cosine distance between \(pair.a) and \(pair.b); whisker = its 95% "
            + "bootstrap confidence interval (not ± std). Categories whose intervals do not overlap differ clearly; "
            + "see the significance table for permutation tests. n = concepts in the category."
        let sorted = rows.filter { $0.mean.isFinite }.sorted {
            $0.mean != $1.mean ? $0.mean > $1.mean : $0.category < $1.category
        }
        guard !sorted.isEmpty else {
            return Figure(
                id: id, title: title, caption: caption, pair: pair,
                svg: FigureFrame.document(
                    id: id, width: width, chartHeight: 80, title: title, caption: caption,
                    chart: FigureFrame.emptyNote("No category statistics for this pair.", width: width)))
        }
        let top = 8.0
        let bottom = top + Double(sorted.count) * step
        let high = sorted.map { $0.ciHigh.isFinite ? max($0.ciHigh, $0.mean) : $0.mean }.max() ?? 1
        let scale = LinearScale(domain: (0, high > 0 ? high : 1), range: (plotLeft, plotRight)).niced(count: 6)
        var chart = Axis.bottom(scale, y: bottom + 4, label: "mean cosine distance (1 − cos, unitless)", gridTop: top)
        for (k, row) in sorted.enumerated() {
            let y = top + Double(k) * step
            let length = scale(row.mean) - plotLeft
            let tip =
                "\(row.category): mean \(Markup.number(row.mean, digits: 4)), 95% CI [\(Markup.number(row.ciLow, digits: 4)), "
                + "\(Markup.number(row.ciHigh, digits: 4))], n = \(row.n)"
            chart +=
                "<rect class=\"bar\" data-category=\"\(Markup.escape(row.category))\" data-value=\"\(row.mean)\""
                + " x=\"\(Markup.coordinate(plotLeft))\" y=\"\(Markup.coordinate(y + 3))\" width=\"\(Markup.coordinate(length))\""
                + " height=\"18\" fill=\"\(categoryColor(row.category))\" fill-opacity=\"0.85\"><title>\(Markup.escape(tip))</title></rect>"
            if row.ciLow.isFinite, row.ciHigh.isFinite {
                let (x1, x2, cy) = (scale(row.ciLow), scale(row.ciHigh), y + 12)
                chart +=
                    "<path class=\"ci\" d=\"M\(Markup.coordinate(x1)) \(Markup.coordinate(cy))H\(Markup.coordinate(x2))"
                    + "M\(Markup.coordinate(x1)) \(Markup.coordinate(cy - 6))v12M\(Markup.coordinate(x2)) \(Markup.coordinate(cy - 6))v12\""
                    + " stroke=\"#111\" stroke-width=\"1.6\" fill=\"none\"/>"
            }
            chart += FigureFrame.text(
                "\(TopDriftChart.truncate(row.category, 24)) (n = \(row.n))", x: plotLeft - 6, y: y + 16, anchor: "end")
        }
        let legend = Legend.swatches(
            [
                Legend.Item(label: "mean (bar, category colour)", color: "#999"),
                Legend.Item(label: "95% bootstrap CI (whisker)", color: "#111", dash: ""),
            ],
            x: 12, y: bottom + 48, maxWidth: width - 24)
        chart += legend.markup
        return Figure(
            id: id, title: title, caption: caption, pair: pair,
            svg: FigureFrame.document(
                id: id, width: width, chartHeight: bottom + 48 + legend.height, title: title, caption: caption,
                chart: chart))
    }
}
