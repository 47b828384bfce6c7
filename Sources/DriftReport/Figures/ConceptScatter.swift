/// A scatter of concepts, one dot each in its category's colour, with a category legend: what the drift-against-JS
/// and drift-against-covariate figures share.
enum ConceptScatter {
    static let width = 900.0
    static let plotLeft = 90.0
    static let plotRight = 870.0
    static let plotTop = 10.0
    static let plotBottom = 360.0

    /// One concept's dot.
    struct Point {
        var concept: String
        var category: String
        var x: Double
        var y: Double
    }

    /// One axis: its label, the measure's name in hover text, and whether the scale starts at 0.
    struct AxisSpec {
        var label: String
        var name: String
        var fromZero: Bool
    }

    /// The figure of `points` (finite coordinates), dots sorted by concept so the markup is stable.
    static func figure(
        id: String, pair: VariantPair, title: String, caption: String, points: [Point], x xAxis: AxisSpec,
        y yAxis: AxisSpec, categoryColor: (String) -> String
    ) -> Figure {
        let xs = points.map(\.x), ys = points.map(\.y)
        let x = LinearScale(
            domain: (xAxis.fromZero ? min(0, xs.min() ?? 0) : xs.min() ?? 0, xs.max() ?? 1),
            range: (plotLeft, plotRight)
        ).niced(count: 6)
        let y = LinearScale(
            domain: (yAxis.fromZero ? min(0, ys.min() ?? 0) : ys.min() ?? 0, ys.max() ?? 1),
            range: (plotBottom, plotTop)
        ).niced(count: 5)
        var chart = Axis.left(y, x: plotLeft, label: yAxis.label, gridRight: plotRight)
        chart += Axis.bottom(x, y: plotBottom, label: xAxis.label, gridTop: plotTop)
        let c = Markup.coordinate
        for point in points.sorted(by: { $0.concept < $1.concept }) {
            let tip =
                "\(point.concept) (\(point.category)): \(xAxis.name) \(Markup.number(point.x, digits: 4)), "
                + "\(yAxis.name) \(Markup.number(point.y, digits: 4))"
            chart +=
                "<circle class=\"pt\" data-concept=\"\(Markup.escape(point.concept))\""
                + " data-category=\"\(Markup.escape(point.category))\" data-value=\"\(point.y)\""
                + " cx=\"\(c(x(point.x)))\" cy=\"\(c(y(point.y)))\" r=\"3.2\" fill=\"\(categoryColor(point.category))\""
                + " fill-opacity=\"0.85\" stroke=\"#222\" stroke-width=\"0.4\"><title>\(Markup.escape(tip))</title></circle>"
        }
        let legend = Legend.swatches(
            Array(Set(points.map(\.category))).sorted().map {
                Legend.Item(label: $0, color: categoryColor($0), shape: .circle)
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
