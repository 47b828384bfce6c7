public import DriftAnalysis

/// The distribution of drift in each category for one variant pair: a box plot with every concept as a point.
public enum CategoryDistributionChart {
    static let width = 900.0
    static let plotLeft = 210.0
    static let plotRight = 870.0
    static let step = 40.0

    /// The figure for `pair` from its concept rows at one layer.
    public static func figure(
        pair: VariantPair, rows: [ConceptDriftRow], layer: Int,
        categoryColor: (String) -> String
    ) -> Figure {
        let id = "category-distribution-" + pair.slug
        let title = "Drift distribution per category, \(pair.label) (layer \(layer))"
        let caption =
            "One row per category: every dot is a concept (vertical spread only separates dots). Box = "
            + "first to third quartile, thick line = median, whiskers = the most extreme values within 1.5 × the "
            + "interquartile range. Rows are sorted by median drift."
        let finite = rows.filter { $0.cosineDistance.isFinite }
        var groups: [String: [ConceptDriftRow]] = [:]
        for row in finite { groups[row.category, default: []].append(row) }
        let stats = groups.compactMapValues { Quantiles($0.map(\.cosineDistance)) }
        let order = stats.keys.sorted { (stats[$0]?.median ?? 0, $1) > (stats[$1]?.median ?? 0, $0) }
        guard !order.isEmpty else {
            return Figure(
                id: id, title: title, caption: caption, pair: pair,
                svg: FigureFrame.document(
                    id: id, width: width, chartHeight: 80, title: title, caption: caption,
                    chart: FigureFrame.emptyNote("No finite drift values for this pair.", width: width)))
        }
        let top = 8.0
        let bottom = top + Double(order.count) * step
        let low = min(0, finite.map(\.cosineDistance).min() ?? 0)
        let high = finite.map(\.cosineDistance).max() ?? 1
        let scale = LinearScale(domain: (low, high > low ? high : low + 1), range: (plotLeft, plotRight)).niced(
            count: 6)
        var chart = Axis.bottom(
            scale, y: bottom + 4, label: "cosine distance between variants (1 − cos, unitless)", gridTop: top)
        let c = Markup.coordinate
        for (k, category) in order.enumerated() {
            guard let q = stats[category], let members = groups[category] else { continue }
            let mid = top + Double(k) * step + step / 2
            let color = categoryColor(category)
            chart += "<g class=\"box\" data-category=\"\(Markup.escape(category))\">"
            chart +=
                "<path d=\"M\(c(scale(q.whiskerLow))) \(c(mid))H\(c(scale(q.q1)))M\(c(scale(q.q3))) \(c(mid))H\(c(scale(q.whiskerHigh)))"
                + "M\(c(scale(q.whiskerLow))) \(c(mid - 6))v12M\(c(scale(q.whiskerHigh))) \(c(mid - 6))v12\" stroke=\"#333\" fill=\"none\"/>"
            chart +=
                "<rect x=\"\(c(scale(q.q1)))\" y=\"\(c(mid - 11))\" width=\"\(c(scale(q.q3) - scale(q.q1)))\" height=\"22\""
                + " fill=\"\(color)\" fill-opacity=\"0.25\" stroke=\"#333\"><title>\(Markup.escape("\(category): median \(Markup.number(q.median, digits: 4)), quartiles \(Markup.number(q.q1, digits: 4))–\(Markup.number(q.q3, digits: 4)), n = \(members.count)"))</title></rect>"
            chart += FigureFrame.line(
                scale(q.median), mid - 11, scale(q.median), mid + 11, style: "stroke=\"#111\" stroke-width=\"2.5\"")
            for (i, row) in members.sorted(by: { $0.concept < $1.concept }).enumerated() {
                let jitter = (Double((i * 7919) % 17) / 16 - 0.5) * 18
                chart +=
                    "<circle class=\"pt\" data-concept=\"\(Markup.escape(row.concept))\" cx=\"\(c(scale(row.cosineDistance)))\" cy=\"\(c(mid + jitter))\""
                    + " r=\"2.6\" fill=\"\(color)\" stroke=\"#222\" stroke-width=\"0.4\"><title>\(Markup.escape("\(row.concept): \(Markup.number(row.cosineDistance, digits: 4))"))</title></circle>"
            }
            chart += "</g>"
            chart += FigureFrame.text(
                "\(TopDriftChart.truncate(category, 24)) (n = \(members.count))", x: plotLeft - 6, y: mid + 4,
                anchor: "end")
        }
        let legend = Legend.swatches(
            [
                Legend.Item(label: "concept (dot, category colour)", color: "#999", shape: .circle),
                Legend.Item(label: "interquartile box", color: "#ccc"),
                Legend.Item(label: "median", color: "#111", dash: ""),
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
