/// Axes with round ticks, tick labels and a label with units.
package enum Axis {
    /// A horizontal axis along `y` for `scale` (pixel range = the plot's x extent), with grid lines up to `gridTop`.
    ///
    /// With `zoomable`, each tick label carries its scale so that the report page relabels it as the plot zooms.
    static func bottom(
        _ scale: LinearScale, y: Double, label: String, count: Int = 6, gridTop: Double? = nil,
        format: ((Double) -> String)? = nil, integersOnly: Bool = false, zoomable: Bool = false
    ) -> String {
        let ticks = scale.ticks(count: count).filter { !integersOnly || $0 == $0.rounded() }
        let step = LinearScale.tickStep(scale.domain.lower, scale.domain.upper, count: count)
        let decimals = LinearScale.decimals(forStep: step)
        var out = ""
        for t in ticks {
            let x = scale(t)
            if let gridTop { out += FigureFrame.line(x, gridTop, x, y, cls: "grid") }
            out += FigureFrame.line(x, y, x, y + 5, cls: "ax")
            out += FigureFrame.text(
                format?(t) ?? Markup.number(t, digits: decimals), x: x, y: y + 17, anchor: "middle", cls: "tick",
                extra: zoomable ? zoomAttributes(scale, axis: "x", pixel: x, step: step) : "")
        }
        out += FigureFrame.line(scale.range.lower, y, scale.range.upper, y, cls: "ax")
        out += FigureFrame.text(
            label, x: (scale.range.lower + scale.range.upper) / 2, y: y + 34, anchor: "middle", cls: "lab")
        return out
    }

    /// A vertical axis along `x` for `scale` (pixel range = the plot's y extent, bottom first), with grid lines to
    /// `gridRight`.
    static func left(
        _ scale: LinearScale, x: Double, label: String, count: Int = 5, gridRight: Double? = nil,
        zoomable: Bool = false
    ) -> String {
        let ticks = scale.ticks(count: count)
        let step = LinearScale.tickStep(scale.domain.lower, scale.domain.upper, count: count)
        let decimals = LinearScale.decimals(forStep: step)
        var out = ""
        for t in ticks {
            let y = scale(t)
            if let gridRight { out += FigureFrame.line(x, y, gridRight, y, cls: "grid") }
            out += FigureFrame.line(x - 5, y, x, y, cls: "ax")
            out += FigureFrame.text(
                Markup.number(t, digits: decimals), x: x - 8, y: y + 4, anchor: "end", cls: "tick",
                extra: zoomable ? zoomAttributes(scale, axis: "y", pixel: y, step: step) : "")
        }
        out += FigureFrame.line(x, scale.range.lower, x, scale.range.upper, cls: "ax")
        let mid = (scale.range.lower + scale.range.upper) / 2
        out +=
            "<text class=\"lab\" text-anchor=\"middle\" transform=\"translate(\(Markup.coordinate(x - 44)),"
            + "\(Markup.coordinate(mid))) rotate(-90)\">\(Markup.escape(label))</text>"
        return out
    }

    /// `data-axis`, the tick's pixel position and `data-scale="domainLow domainHigh rangeLow rangeHigh step"`: what
    /// the page needs to show the value under the tick once the plot is zoomed.
    private static func zoomAttributes(_ scale: LinearScale, axis: String, pixel: Double, step: Double) -> String {
        let numbers = [scale.domain.lower, scale.domain.upper, scale.range.lower, scale.range.upper, step]
        return "data-axis=\"\(axis)\" data-pixel=\"\(Markup.coordinate(pixel))\" data-scale=\""
            + numbers.map { "\($0)" }.joined(separator: " ") + "\""
    }
}
