/// Axes with round ticks, tick labels and a label with units.
package enum Axis {
    /// A horizontal axis along `y` for `scale` (pixel range = the plot's x extent), with grid lines up to `gridTop`.
    static func bottom(
        _ scale: LinearScale, y: Double, label: String, count: Int = 6, gridTop: Double? = nil,
        format: ((Double) -> String)? = nil, integersOnly: Bool = false
    ) -> String {
        let ticks = scale.ticks(count: count).filter { !integersOnly || $0 == $0.rounded() }
        let decimals = LinearScale.decimals(
            forStep: LinearScale.tickStep(scale.domain.lower, scale.domain.upper, count: count))
        var out = ""
        for t in ticks {
            let x = scale(t)
            if let gridTop { out += FigureFrame.line(x, gridTop, x, y, cls: "grid") }
            out += FigureFrame.line(x, y, x, y + 5, cls: "ax")
            out += FigureFrame.text(
                format?(t) ?? Markup.number(t, digits: decimals), x: x, y: y + 17, anchor: "middle", cls: "tick")
        }
        out += FigureFrame.line(scale.range.lower, y, scale.range.upper, y, cls: "ax")
        out += FigureFrame.text(
            label, x: (scale.range.lower + scale.range.upper) / 2, y: y + 34, anchor: "middle", cls: "lab")
        return out
    }

    /// A vertical axis along `x` for `scale` (pixel range = the plot's y extent, bottom first), with grid lines to
    /// `gridRight`.
    static func left(
        _ scale: LinearScale, x: Double, label: String, count: Int = 5, gridRight: Double? = nil
    ) -> String {
        let ticks = scale.ticks(count: count)
        let decimals = LinearScale.decimals(
            forStep: LinearScale.tickStep(scale.domain.lower, scale.domain.upper, count: count))
        var out = ""
        for t in ticks {
            let y = scale(t)
            if let gridRight { out += FigureFrame.line(x, y, gridRight, y, cls: "grid") }
            out += FigureFrame.line(x - 5, y, x, y, cls: "ax")
            out += FigureFrame.text(Markup.number(t, digits: decimals), x: x - 8, y: y + 4, anchor: "end", cls: "tick")
        }
        out += FigureFrame.line(x, scale.range.lower, x, scale.range.upper, cls: "ax")
        let mid = (scale.range.lower + scale.range.upper) / 2
        out +=
            "<text class=\"lab\" text-anchor=\"middle\" transform=\"translate(\(Markup.coordinate(x - 44)),"
            + "\(Markup.coordinate(mid))) rotate(-90)\">\(Markup.escape(label))</text>"
        return out
    }
}
