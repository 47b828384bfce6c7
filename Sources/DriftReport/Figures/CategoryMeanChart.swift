public import DriftAnalysis

/// A measure's mean per category for one variant pair (cosine drift, or next-token divergence), with the 95% bootstrap
/// confidence interval of each mean.
public enum CategoryMeanChart {
    static let width = 900.0
    static let plotLeft = 210.0
    static let plotRight = 870.0
    static let step = 26.0

    /// One bar: a category's mean with its interval.
    struct Bar {
        var category: String
        var n: Int
        var mean: Double
        var low: Double
        var high: Double
    }

    /// The figure for `pair` from its `category_drift` rows at one layer.
    public static func figure(
        pair: VariantPair, rows: [CategoryDriftRow], layer: Int,
        categoryColor: (String) -> String
    ) -> Figure {
        figure(
            id: "category-means-" + pair.slug, pair: pair,
            title: "Mean drift per category with 95% CI, \(pair.label) (layer \(layer))",
            caption: "Bar = the category's mean cosine distance between \(pair.a) and \(pair.b); whisker = its 95% "
                + "bootstrap confidence interval (not ± std). Categories whose intervals do not overlap differ clearly; "
                + "see the significance table for permutation tests. n = concepts in the category.",
            axisLabel: "mean cosine distance (1 − cos, unitless)",
            bars: rows.map { Bar(category: $0.category, n: $0.n, mean: $0.mean, low: $0.ciLow, high: $0.ciHigh) },
            categoryColor: categoryColor)
    }

    /// The figure for `pair` from its `next_token_category` rows: mean Jensen–Shannon divergence per category.
    public static func figure(
        pair: VariantPair, output rows: [NextTokenCategoryRow], categoryColor: (String) -> String
    ) -> Figure {
        figure(
            id: "category-js-" + pair.slug, pair: pair,
            title: "Mean next-token divergence per category with 95% CI, \(pair.label)",
            caption: "Bar = the category's mean Jensen–Shannon divergence between the next-token distributions of "
                + "\(pair.a) and \(pair.b) (natural log); whisker = its 95% bootstrap confidence interval. The output-level "
                + "counterpart of the drift per category; tables/next_token_category_tests has the permutation tests.",
            axisLabel: "mean Jensen–Shannon divergence (nats)",
            bars: rows.map { Bar(category: $0.category, n: $0.n, mean: $0.meanJS, low: $0.ciLow, high: $0.ciHigh) },
            categoryColor: categoryColor)
    }

    static func figure(
        id: String, pair: VariantPair, title: String, caption: String, axisLabel: String, bars rows: [Bar],
        categoryColor: (String) -> String
    ) -> Figure {
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
        let high = sorted.map { $0.high.isFinite ? max($0.high, $0.mean) : $0.mean }.max() ?? 1
        let scale = LinearScale(domain: (0, high > 0 ? high : 1), range: (plotLeft, plotRight)).niced(count: 6)
        var chart = Axis.bottom(scale, y: bottom + 4, label: axisLabel, gridTop: top)
        for (k, row) in sorted.enumerated() {
            let y = top + Double(k) * step
            let length = scale(row.mean) - plotLeft
            let tip =
                "\(row.category): mean \(Markup.number(row.mean, digits: 4)), 95% CI [\(Markup.number(row.low, digits: 4)), "
                + "\(Markup.number(row.high, digits: 4))], n = \(row.n)"
            chart +=
                "<rect class=\"bar\" data-category=\"\(Markup.escape(row.category))\" data-value=\"\(row.mean)\""
                + " x=\"\(Markup.coordinate(plotLeft))\" y=\"\(Markup.coordinate(y + 3))\" width=\"\(Markup.coordinate(length))\""
                + " height=\"18\" fill=\"\(categoryColor(row.category))\" fill-opacity=\"0.85\"><title>\(Markup.escape(tip))</title></rect>"
            if row.low.isFinite, row.high.isFinite {
                let (x1, x2, cy) = (scale(row.low), scale(row.high), y + 12)
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
