/// Lays a chart out as a figure that reads on its own: title on top, the chart, then a wrapped caption.
package enum FigureFrame {
    /// Height of the title band, pixels.
    static let titleHeight = 34.0
    /// Height of one caption line, pixels.
    static let captionLine = 15.0

    /// The shared style of every figure (system fonts only; nothing is fetched).
    static let style =
        "<style>.fig text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;"
        + "font-size:12px;fill:#222}.fig .t{font-size:15px;font-weight:600}.fig .cap{font-size:11.5px;fill:#444}"
        + ".fig .ax{stroke:#333;stroke-width:1;fill:none}.fig .grid{stroke:#e3e3e3;stroke-width:1}"
        + ".fig .lab{font-size:12px;font-weight:500}.fig .tick{font-size:11px;fill:#333}"
        + ".fig .note{font-size:12px;fill:#666;font-style:italic}</style>"

    /// The figure document around `chart`, whose markup uses local coordinates from (0, 0) to (`width`,
    /// `chartHeight`).
    /// - Parameters:
    ///   - id: unique on the page; becomes the `<svg>` id.
    ///   - extraClass: further classes of the `<svg>` element (e.g. `zoomable`).
    static func document(
        id: String, width: Double, chartHeight: Double, title: String, caption: String, chart: String,
        extraClass: String = ""
    ) -> SVGDocument {
        let lines = Markup.wrap(caption, width: Int(width / 6.3))
        let captionTop = titleHeight + chartHeight + 8
        var body = style
        body += "<title>\(Markup.escape(title))</title><desc>\(Markup.escape(caption))</desc>"
        body += "<rect width=\"\(Markup.coordinate(width))\" height=\"100%\" fill=\"#fff\"/>"
        body += "<text class=\"t\" x=\"12\" y=\"22\">\(Markup.escape(title))</text>"
        body += "<g transform=\"translate(0,\(Markup.coordinate(titleHeight)))\">" + chart + "</g>"
        for (k, line) in lines.enumerated() {
            let y = captionTop + Double(k + 1) * captionLine - 3
            body += "<text class=\"cap\" x=\"12\" y=\"\(Markup.coordinate(y))\">\(Markup.escape(line))</text>"
        }
        let height = captionTop + Double(lines.count) * captionLine + 8
        let cls = extraClass.isEmpty ? "fig" : "fig " + extraClass
        return SVGDocument(
            width: width, height: height.rounded(.up), body: body,
            attributes:
                "id=\"\(Markup.escape(id))\" class=\"\(cls)\" role=\"img\" aria-label=\"\(Markup.escape(title))\"")
    }

    /// Text markup at (`x`, `y`) with `anchor` (`start`, `middle`, `end`) and an optional class.
    static func text(
        _ s: String, x: Double, y: Double, anchor: String = "start", cls: String? = nil, extra: String = ""
    ) -> String {
        "<text x=\"\(Markup.coordinate(x))\" y=\"\(Markup.coordinate(y))\""
            + (anchor == "start" ? "" : " text-anchor=\"\(anchor)\"") + (cls.map { " class=\"\($0)\"" } ?? "")
            + (extra.isEmpty ? "" : " " + extra) + ">" + Markup.escape(s) + "</text>"
    }

    /// A line from (`x1`, `y1`) to (`x2`, `y2`).
    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, cls: String? = nil, style: String = "")
        -> String
    {
        let c = Markup.coordinate
        return "<line x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\""
            + (cls.map { " class=\"\($0)\"" } ?? "") + (style.isEmpty ? "" : " " + style) + "/>"
    }

    /// The chart area's message when there is nothing to draw.
    static func emptyNote(_ message: String, width: Double) -> String {
        text(message, x: width / 2, y: 40, anchor: "middle", cls: "note")
    }
}
