/// Legends: colour swatches (optionally with marker shapes) that wrap, and a colour bar for the drift scale.
package enum Legend {
    /// One legend entry.
    struct Item {
        var label: String
        var color: String
        var shape: MarkerShape? = nil
        var dash: String? = nil
    }

    /// Swatches flowing left to right from (`x`, `y`), wrapping at `maxWidth`; returns the markup and its height.
    static func swatches(_ items: [Item], x: Double, y: Double, maxWidth: Double) -> (markup: String, height: Double) {
        var out = "<g class=\"legend\">"
        var cx = x
        var cy = y
        for item in items {
            let w = 26 + Double(item.label.count) * 6.6 + 14
            if cx > x, cx + w > x + maxWidth {
                cx = x
                cy += 18
            }
            if let shape = item.shape {
                out +=
                    "<path d=\"\(shape.path(x: cx + 7, y: cy + 6, r: 5))\" fill=\"\(item.color)\" stroke=\"#333\" stroke-width=\"0.6\"/>"
            } else if let dash = item.dash {
                out += FigureFrame.line(
                    cx, cy + 6, cx + 20, cy + 6,
                    style: "stroke=\"\(item.color)\" stroke-width=\"2.5\""
                        + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""))
            } else {
                out +=
                    "<rect x=\"\(Markup.coordinate(cx))\" y=\"\(Markup.coordinate(cy))\" width=\"14\" height=\"12\" fill=\"\(item.color)\"/>"
            }
            out += FigureFrame.text(item.label, x: cx + (item.dash != nil ? 26 : 19), y: cy + 10)
            cx += w
        }
        return (out + "</g>", cy - y + 18)
    }

    /// A horizontal viridis colour bar with ticks and a label.
    ///
    /// It spans `lower…upper` at (`x`, `y`), `width` pixels wide; `id` must be unique on the page (it names the gradient).
    static func colorBar(id: String, lower: Double, upper: Double, x: Double, y: Double, width: Double, label: String)
        -> String
    {
        var out = "<g class=\"legend\"><defs><linearGradient id=\"\(Markup.escape(id))\">"
        for k in 0...8 {
            let t = Double(k) / 8
            out += "<stop offset=\"\(Markup.coordinate(t * 100))%\" stop-color=\"\(Viridis.color(t))\"/>"
        }
        out += "</linearGradient></defs>"
        out +=
            "<rect x=\"\(Markup.coordinate(x))\" y=\"\(Markup.coordinate(y))\" width=\"\(Markup.coordinate(width))\" height=\"10\" fill=\"url(#\(Markup.escape(id)))\"/>"
        let scale = LinearScale(domain: (lower, upper), range: (x, x + width))
        out += Axis.bottom(scale, y: y + 10, label: label, count: 4)
        return out + "</g>"
    }
}
