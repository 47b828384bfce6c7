import Testing

@testable import DriftReport

@Suite struct SVGDocumentTests {
    @Test func markupCarriesNamespaceAndViewBox() {
        let svg = SVGDocument(width: 120, height: 80, body: "<rect/>").markup
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 120.0 80.0\""))
        #expect(svg.hasSuffix("<rect/></svg>"))
    }
}
