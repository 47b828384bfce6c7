import DriftAnalysis

/// Linear CKA between every two variants at the headline layer, as a heatmap.
public enum CKAHeatmap {
    static let width = 900.0

    /// The figure; nil when the run has fewer than two variants.
    public static func figure(_ data: ReportData) -> Figure? {
        let variants = data.variants
        guard variants.count >= 2 else { return nil }
        let id = "cka-heatmap"
        let title = "Global similarity between variants: linear CKA (layer \(data.headlineLayer))"
        let caption =
            "Each cell is the linear CKA of two variants' representations of all concepts (1 = the same "
            + "geometry up to rotation and scale; lower = the concept space was reorganised). The diagonal is 1 by "
            + "definition; blank cells were not measured. CKA also compares models of different widths."
        let n = Double(variants.count)
        let cell = min(90, 560 / n)
        let left = 170.0
        let top = 10.0
        let c = Markup.coordinate
        var values: [[Double]] = []
        for x in variants {
            values.append(
                variants.map { y in x == y ? 1 : data.globalRow(x, y, layer: data.headlineLayer)?.cka ?? .nan })
        }
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let low = min(finite.min() ?? 0, 0.999)
        var chart = ""
        for (i, x) in variants.enumerated() {
            chart += FigureFrame.text(
                TopDriftChart.truncate(x, 22), x: left - 8, y: top + (Double(i) + 0.5) * cell + 4, anchor: "end")
            let tx = left + (Double(i) + 0.5) * cell
            chart +=
                "<text class=\"tick\" text-anchor=\"start\" transform=\"translate(\(c(tx)),\(c(top + n * cell + 12))) rotate(35)\">\(Markup.escape(TopDriftChart.truncate(x, 22)))</text>"
            for (j, y) in variants.enumerated() {
                let v = values[i][j]
                let t = (v - low) / (1 - low)
                let fill = v.isFinite ? Viridis.color(t) : "#f2f2f2"
                chart +=
                    "<rect class=\"cell\" data-value=\"\(v.isFinite ? String(v) : "")\" x=\"\(c(left + Double(j) * cell))\" y=\"\(c(top + Double(i) * cell))\""
                    + " width=\"\(c(cell - 1))\" height=\"\(c(cell - 1))\" fill=\"\(fill)\"><title>\(Markup.escape("CKA(\(x), \(y)) = \(Markup.number(v, digits: 4))"))</title></rect>"
                if cell >= 34 {
                    chart += FigureFrame.text(
                        Markup.number(v), x: left + (Double(j) + 0.5) * cell, y: top + (Double(i) + 0.5) * cell + 4,
                        anchor: "middle", extra: "style=\"fill:\(t > 0.6 ? "#111" : "#fff")\"")
                }
            }
        }
        let barX = left + n * cell + 40
        chart += Legend.colorBar(
            id: id + "-bar", lower: low, upper: 1, x: barX, y: top + 10, width: 180, label: "linear CKA (unitless)")
        let height = top + n * cell + 90
        return Figure(
            id: id, title: title, caption: caption,
            svg: FigureFrame.document(
                id: id, width: width, chartHeight: height, title: title, caption: caption, chart: chart))
    }
}
