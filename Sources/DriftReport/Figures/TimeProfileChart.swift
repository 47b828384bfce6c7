import DriftAnalysis

/// Drift along the run's ordered variants: from the first variant, and step to step; per category from the first.
public enum TimeProfileChart {
    static let width = 900.0
    static let left = 80.0
    static let right = 640.0
    static let plotHeight = 300.0

    /// The figure; nil with fewer than three variants, or two not marked as a checkpoint series (the page says why).
    public static func figure(_ data: ReportData) -> Figure? {
        let variants = data.variants
        guard variants.count >= 3 || (data.series && variants.count == 2), let first = variants.first else {
            return nil
        }
        let id = "time-profile"
        let title = "Time profile: drift along the ordered variants (layer \(data.headlineLayer))"
        let caption =
            "x = the variants in the run's order. Black solid line = mean cosine distance from \(first); "
            + "black dashed line = from the previous variant (step). Thin coloured lines = each category's mean "
            + "distance from \(first). A rising solid line with small steps is slow, steady drift; one large step is "
            + "an abrupt change."
        func mean(_ x: String, _ y: String) -> Double {
            let values = data.drift(between: x, and: y).values.filter(\.isFinite)
            return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        }
        var fromFirst: [Double] = [0]
        var steps: [Double] = [.nan]
        for k in 1..<variants.count {
            fromFirst.append(mean(first, variants[k]))
            steps.append(mean(variants[k - 1], variants[k]))
        }
        var perCategory: [String: [Double]] = [:]
        for category in data.categoryOrder {
            perCategory[category] =
                [0]
                + variants.dropFirst().map { v in
                    data.categoryDrift.first {
                        $0.layer == data.headlineLayer && $0.category == category
                            && (($0.variantA == first && $0.variantB == v)
                                || ($0.variantA == v && $0.variantB == first))
                    }?.mean ?? .nan
                }
        }
        let all = (fromFirst + steps + perCategory.values.flatMap { $0 }).filter(\.isFinite)
        let top = 10.0
        let sx = LinearScale(domain: (0, Double(variants.count - 1)), range: (left, right))
        let sy = LinearScale(domain: (0, max(all.max() ?? 1, 1e-9)), range: (top + plotHeight, top)).niced()
        let c = Markup.coordinate
        var chart = Axis.left(sy, x: left, label: "mean cosine distance (1 − cos)", gridRight: right)
        chart += FigureFrame.line(left, top + plotHeight, right, top + plotHeight, cls: "ax")
        for (k, v) in variants.enumerated() {
            chart += FigureFrame.line(sx(Double(k)), top + plotHeight, sx(Double(k)), top + plotHeight + 5, cls: "ax")
            chart += FigureFrame.text(
                TopDriftChart.truncate(v, 18), x: sx(Double(k)), y: top + plotHeight + 18, anchor: "middle", cls: "tick"
            )
        }
        chart += FigureFrame.text(
            "variant (run order)", x: (left + right) / 2, y: top + plotHeight + 36, anchor: "middle", cls: "lab")
        func line(_ values: [Double], stroke: String, widthPx: Double, dash: String, label: String) -> String {
            let pts = values.enumerated().compactMap { k, v in v.isFinite ? (sx(Double(k)), sy(v), v) : nil }
            guard !pts.isEmpty else { return "" }
            var out =
                "<path d=\"M" + pts.map { "\(c($0.0)) \(c($0.1))" }.joined(separator: "L")
                + "\" fill=\"none\" stroke=\"\(stroke)\""
                + " stroke-width=\"\(widthPx)\"" + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")
                + "><title>\(Markup.escape(label))</title></path>"
            for p in pts {
                out +=
                    "<circle cx=\"\(c(p.0))\" cy=\"\(c(p.1))\" r=\"3\" fill=\"\(stroke)\"><title>\(Markup.escape("\(label): \(Markup.number(p.2, digits: 4))"))</title></circle>"
            }
            return out
        }
        for category in data.categoryOrder {
            chart += line(
                perCategory[category] ?? [], stroke: data.color(ofCategory: category), widthPx: 1.2, dash: "",
                label: category + " from " + first)
        }
        chart += line(fromFirst, stroke: "#000", widthPx: 2.6, dash: "", label: "all concepts, from \(first)")
        chart += line(steps, stroke: "#000", widthPx: 2, dash: "6 3", label: "all concepts, step")
        var legendItems = [
            Legend.Item(label: "from \(first)", color: "#000", dash: ""),
            Legend.Item(label: "step", color: "#000", dash: "6 3"),
        ]
        legendItems += data.categoryOrder.map { Legend.Item(label: $0, color: data.color(ofCategory: $0), dash: "") }
        var legend = ""
        for (k, item) in legendItems.enumerated() {
            let y = top + 8 + Double(k) * 18
            legend += FigureFrame.line(
                right + 30, y, right + 52, y,
                style: "stroke=\"\(item.color)\" stroke-width=\"2.5\""
                    + ((item.dash ?? "").isEmpty ? "" : " stroke-dasharray=\"\(item.dash ?? "")\""))
            legend += FigureFrame.text(TopDriftChart.truncate(item.label, 28), x: right + 58, y: y + 4)
        }
        chart += "<g class=\"legend\">" + legend + "</g>"
        let height = max(top + plotHeight + 50, top + 20 + Double(legendItems.count) * 18)
        return Figure(
            id: id, title: title, caption: caption,
            svg: FigureFrame.document(
                id: id, width: width, chartHeight: height, title: title, caption: caption, chart: chart))
    }
}
