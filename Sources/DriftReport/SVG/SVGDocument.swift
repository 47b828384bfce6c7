/// A standalone SVG document: a view box and its body markup.
public struct SVGDocument: Sendable, Equatable {
    /// Width of the view box, in user units (pixels when shown at 100%).
    public var width: Double
    /// Height of the view box, in user units.
    public var height: Double
    /// The markup inside the `<svg>` element.
    public var body: String
    /// Extra attributes of the `<svg>` element, already escaped (`class="zoomable" role="img"`).
    public var attributes: String

    /// Creates a document of the given size.
    public init(width: Double, height: Double, body: String = "", attributes: String = "") {
        self.width = width
        self.height = height
        self.body = body
        self.attributes = attributes
    }

    /// The complete `<svg>` element, readable on its own (namespace and view box included).
    public var markup: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\""
            + (attributes.isEmpty ? "" : " " + attributes) + ">" + body + "</svg>"
    }

    /// The document as a file: an XML declaration, then ``markup`` and a final newline.
    public var fileContents: String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + markup + "\n"
    }
}
