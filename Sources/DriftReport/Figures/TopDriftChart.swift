public import DriftAnalysis

/// The top-N most drifted concepts of one variant pair: horizontal bars coloured by category, with the mean of all
/// concepts as a line.
public enum TopDriftChart {
    /// Width of the figure, pixels.
    static let width = 900.0
    /// Left edge of the bars (room for the concept names), pixels.
    static let plotLeft = 210.0
    /// Right edge of the plot, pixels.
    static let plotRight = 870.0
    /// Bar height and the step between bars, pixels.
    static let barHeight = 15.0
    static let barStep = 19.0

    /// The figure for `pair`, from its concept rows at one layer (any order); `count` bars at most.
    public static func figure(
        pair: VariantPair, rows: [ConceptDriftRow], layer: Int, count: Int = 30,
        categoryColor: (String) -> String
    ) -> Figure {
        let id = "top-drift-" + pair.slug
        let title = "Top \(min(count, rows.count)) most drifted concepts, \(pair.label) (layer \(layer))"
        let values = rows.map(\.cosineDistance).filter(\.isFinite)
        let mean = values.isEmpty ? Double.nan : values.reduce(0, +) / Double(values.count)
        let top = rows.filter { $0.cosineDistance.isFinite }.sorted {
            $0.cosineDistance != $1.cosineDistance ? $0.cosineDistance > $1.cosineDistance : $0.concept < $1.concept
        }.prefix(count)
        let caption =
            "Each bar is one concept's cosine distance (1 − cos) between its vectors in \(pair.a) and \(pair.b); "
            + "longer bars drifted more. Colour = category. The dashed line is the mean over all \(values.count) "
            + "concepts (\(Markup.number(mean))). Hover a bar for its exact value and percentile."
        guard !top.isEmpty else {
            return Figure(
                id: id, title: title, caption: caption, pair: pair,
                svg: FigureFrame.document(
                    id: id, width: width, chartHeight: 80, title: title, caption: caption,
                    chart: FigureFrame.emptyNote("No finite drift values for this pair.", width: width)))
        }
        let plotTop = 8.0
        let plotBottom = plotTop + Double(top.count) * barStep
        let maxValue = max(top.map(\.cosineDistance).max() ?? 0, mean.isFinite ? mean : 0)
        let scale = scale(maxValue: maxValue)
        var chart = Axis.bottom(
            scale, y: plotBottom + 4, label: "cosine distance between variants (1 − cos, unitless)", gridTop: plotTop)
        for (k, row) in top.enumerated() {
            let y = plotTop + Double(k) * barStep
            let length = scale(row.cosineDistance) - plotLeft
            chart +=
                "<rect class=\"bar\" data-concept=\"\(Markup.escape(row.concept))\" data-value=\"\(row.cosineDistance)\""
                + " x=\"\(Markup.coordinate(plotLeft))\" y=\"\(Markup.coordinate(y))\" width=\"\(Markup.coordinate(length))\""
                + " height=\"\(Markup.coordinate(barHeight))\" fill=\"\(categoryColor(row.category))\">"
                + "<title>\(Markup.escape("\(row.concept) (\(row.category)): drift \(Markup.number(row.cosineDistance, digits: 4)), percentile \(Markup.number(row.percentile, digits: 1))"))</title></rect>"
            chart += FigureFrame.text(truncate(row.concept, 30), x: plotLeft - 6, y: y + 11.5, anchor: "end")
        }
        if mean.isFinite {
            let x = scale(mean)
            chart += FigureFrame.line(
                x, plotTop - 4, x, plotBottom,
                style: "stroke=\"#333\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\" class=\"mean\"")
            chart += FigureFrame.text("mean \(Markup.number(mean))", x: x + 4, y: plotBottom - 4, cls: "tick")
        }
        let categories = Array(Set(top.map(\.category))).sorted()
        let legend = Legend.swatches(
            categories.map { Legend.Item(label: $0, color: categoryColor($0)) }
                + [Legend.Item(label: "mean of all concepts", color: "#333", dash: "5 3")],
            x: 12, y: plotBottom + 48, maxWidth: width - 24)
        chart += legend.markup
        return Figure(
            id: id, title: title, caption: caption, pair: pair,
            svg: FigureFrame.document(
                id: id, width: width, chartHeight: plotBottom + 48 + legend.height, title: title, caption: caption,
                chart: chart))
    }

    /// The x scale: 0 … a round value at or above `maxValue`, onto the plot's width.
    static func scale(maxValue: Double) -> LinearScale {
        LinearScale(domain: (0, maxValue > 0 ? maxValue : 1), range: (plotLeft, plotRight)).niced(count: 6)
    }

    static func truncate(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }
}
