public import DriftAnalysis

/// Representation against output for one variant pair: each concept's cosine drift (x) against the Jensen–Shannon
/// divergence of its next-token distributions (y), coloured by category, with Spearman's ρ and its interval.
public enum DriftOutputChart {
    static let width = 900.0
    static let plotLeft = 80.0
    static let plotRight = 870.0
    static let plotTop = 10.0
    static let plotBottom = 380.0

    /// The figure for `pair` from its concept rows at `layer` and its next-token rows; nil when no concept has both.
    public static func figure(
        pair: VariantPair, drift: [ConceptDriftRow], output: [NextTokenRow], summary: NextTokenSummaryRow?,
        layer: Int, categoryColor: (String) -> String
    ) -> Figure? {
        let js = Dictionary(output.map { ($0.term, $0.js) }, uniquingKeysWith: { a, _ in a })
        let points = drift.compactMap { row -> (row: ConceptDriftRow, js: Double)? in
            guard let value = js[row.concept], value.isFinite, row.cosineDistance.isFinite else { return nil }
            return (row, value)
        }
        guard !points.isEmpty else { return nil }
        let id = "drift-output-" + pair.slug
        let title = "Representation against output, \(pair.label)"
        let correlation =
            summary.map {
                "Spearman ρ = \(Markup.number($0.spearman, digits: 2)) (95% bootstrap CI "
                    + "[\(Markup.number($0.spearmanLow, digits: 2)), \(Markup.number($0.spearmanHigh, digits: 2))])."
            } ?? ""
        let caption =
            "Each dot is one concept: across, its cosine distance between \(pair.a) and \(pair.b) at layer \(layer); "
            + "up, the Jensen–Shannon divergence of its next-token distributions (natural log, 0 … ln 2 ≈ 0.693). "
            + "Colour = category. Dots up and to the right moved in both; a dot far right but low moved in "
            + "representation only. \(correlation)"
        let xScale = LinearScale(
            domain: (0, points.map(\.row.cosineDistance).max() ?? 1), range: (plotLeft, plotRight)
        ).niced(count: 6)
        let yScale = LinearScale(domain: (0, points.map(\.js).max() ?? 1), range: (plotBottom, plotTop)).niced(count: 5)
        var chart = Axis.bottom(
            xScale, y: plotBottom, label: "cosine distance between variants (1 − cos, unitless)", gridTop: plotTop)
        chart += Axis.left(yScale, x: plotLeft, label: "Jensen–Shannon divergence (nats)", gridRight: plotRight)
        let c = Markup.coordinate
        for (row, value) in points.sorted(by: { $0.row.concept < $1.row.concept }) {
            let tip =
                "\(row.concept) (\(row.category)): drift \(Markup.number(row.cosineDistance, digits: 4)), "
                + "JS \(Markup.number(value, digits: 4))"
            chart +=
                "<circle class=\"pt\" data-concept=\"\(Markup.escape(row.concept))\" data-value=\"\(value)\""
                + " cx=\"\(c(xScale(row.cosineDistance)))\" cy=\"\(c(yScale(value)))\" r=\"3.2\""
                + " fill=\"\(categoryColor(row.category))\" fill-opacity=\"0.85\" stroke=\"#222\" stroke-width=\"0.4\">"
                + "<title>\(Markup.escape(tip))</title></circle>"
        }
        let categories = Array(Set(points.map(\.row.category))).sorted()
        let legend = Legend.swatches(
            categories.map { Legend.Item(label: $0, color: categoryColor($0), shape: .circle) },
            x: 12, y: plotBottom + 48, maxWidth: width - 24)
        chart += legend.markup
        return Figure(
            id: id, title: title, caption: caption, pair: pair,
            svg: FigureFrame.document(
                id: id, width: width, chartHeight: plotBottom + 48 + legend.height, title: title, caption: caption,
                chart: chart))
    }
}
