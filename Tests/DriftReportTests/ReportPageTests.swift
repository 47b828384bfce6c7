import DriftAnalysis
import Foundation
import Testing

@testable import DriftReport

@Suite struct ReportPageTests {
    static func externalReferences(_ html: String) -> [String] {
        var found: [String] = []
        for pattern in ["href=\"http", "src=", "url(http", "@import", "<link", "http://", "https://"] {
            var rest = Substring(html)
            while let range = rest.range(of: pattern) {
                let context = html[range.lowerBound...].prefix(60)
                // The only allowed http is the SVG namespace.
                if !context.hasPrefix("http://www.w3.org/2000/svg") { found.append(String(context)) }
                rest = rest[range.upperBound...]
            }
        }
        return found
    }

    @Test func pageIsSelfContained() {
        let html = ReportPage.html(Report(data: SyntheticRun.make(concepts: 30, variants: ["a", "b", "c"], layers: 3)))
        #expect(Self.externalReferences(html).isEmpty, "\(Self.externalReferences(html))")
        #expect(html.contains("<script>") && html.contains("@media print"))
        #expect(html.contains("id=\"search\""))
    }

    @Test func largeRunStaysUnderFiveMegabytes() {
        let names = (0..<235).map { "concept number \($0)" }
        let data = SyntheticRun.make(
            concepts: 235, variants: ["v1", "v2", "v3", "v4", "v5"], layers: 17, names: names)
        let report = Report(data: data)
        let html = ReportPage.html(report)
        let bytes = html.utf8.count
        #expect(bytes < 5_000_000, "page is \(bytes) bytes")
        let umap = report.runFigures().figures.filter { $0.id.hasPrefix("umap") }
        #expect(umap.count == 2)
        print("report.html for 235 concepts × 5 variants × 17 layers: \(bytes) bytes")
    }

    @Test func oddConceptNamesAreEscaped() throws {
        let names = [
            "<script>alert(1)</script>", "say \"hi\" & 'bye'", "🙂 emoji", "שלום עולם", "a]]>b", "tab\tand\u{1}control",
        ]
        let data = SyntheticRun.make(
            concepts: names.count, variants: ["a", "b"], layers: 2, names: names, neighbors: 3)
        let report = Report(data: data)
        for figure in report.allFigures() {
            #expect(XMLCheck.parse(figure.svg.fileContents) != nil, "\(figure.id) is not well-formed")
            #expect(!figure.svg.markup.contains("<script>"))
        }
        let html = ReportPage.html(report)
        #expect(html.components(separatedBy: "<script>").count == 2, "only the page's own script")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("say &quot;hi&quot; &amp; &#39;bye&#39;"))
        #expect(html.contains("🙂 emoji") && html.contains("שלום עולם"))
        #expect(!html.contains("\u{1}"))
    }

    @Test func numbersOnThePageAreTheTablesNumbers() {
        let data = SyntheticRun.make(concepts: 20, variants: ["a", "b"], layers: 2)
        let html = ReportPage.html(Report(data: data))
        for row in data.categoryDrift where row.layer == 1 {
            #expect(html.contains("<td>\(Markup.number(row.mean, digits: 4))</td>"))
            #expect(html.contains("[\(Markup.number(row.ciLow, digits: 4)), \(Markup.number(row.ciHigh, digits: 4))]"))
        }
        for row in data.categoryTests where row.layer == 1 {
            #expect(
                html.contains(
                    "<td>\(Markup.number(row.difference, digits: 4))</td><td>\(Markup.pValue(row.pValue))</td><td>\(Markup.pValue(row.pHolm))</td>"
                ))
        }
        for row in data.global where row.layer == 1 {
            #expect(html.contains("<td>\(Markup.number(row.cka, digits: 4))</td>"))
        }
    }
}
