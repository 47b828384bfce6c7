/// One figure of the report: an SVG that reads on its own, and where it goes on the page.
public struct Figure: Sendable {
    /// Unique id on the page and the file name stem under `figures/` (`top-drift-base-vs-instruct`).
    public var id: String
    /// The title (also inside the SVG).
    public var title: String
    /// How to read it (also inside the SVG).
    public var caption: String
    /// The variant pair the figure belongs to, or nil for run-wide figures.
    public var pair: VariantPair?
    /// The figure.
    public var svg: SVGDocument

    /// Creates a figure.
    public init(id: String, title: String, caption: String, pair: VariantPair? = nil, svg: SVGDocument) {
        self.id = id
        self.title = title
        self.caption = caption
        self.pair = pair
        self.svg = svg
    }
}
