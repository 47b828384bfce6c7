import DriftAnalysis
import DriftCore
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

    /// With next-token tables, each compared pair gets drift against JS, JS per category, the verdict in words and
    /// the most drifted concepts' next tokens side by side; a pair without them gets a note.
    @Test func outputBesideRepresentation() throws {
        var data = SyntheticRun.make(concepts: 12, variants: ["a", "b", "c"], layers: 2)
        let last = try #require(data.layers.last)
        let drift = data.conceptDrift.filter { $0.layer == last && $0.variantA == "a" && $0.variantB == "b" }
        data.output.concepts = drift.map { d in
            var row = NextTokenRow()
            (row.variantA, row.variantB, row.term, row.category) = ("a", "b", d.concept, d.category)
            row.js = d.cosineDistance / 2
            row.top1Agree = d.concept == "concept 0" ? 0 : 1
            return row
        }
        var category = NextTokenCategoryRow()
        (category.variantA, category.variantB, category.category, category.n) = ("a", "b", "demographic", 3)
        (category.meanJS, category.ciLow, category.ciHigh) = (0.1, 0.05, 0.2)
        data.output.categories = [category]
        var summary = NextTokenSummaryRow()
        (summary.variantA, summary.variantB, summary.spearman, summary.spearmanLow, summary.spearmanHigh) =
            ("a", "b", 1, 0.9, 1)
        data.output.summaries = [summary]
        func token(_ text: String, _ rank: Int) -> LogitLensRow {
            var row = LogitLensRow()
            (row.term, row.rank, row.token, row.probability) = ("concept 0", rank, text, 0.5 / Double(rank))
            return row
        }
        data.output.nextTokens = ["a": ["concept 0": [token(" the", 1), token("<b>", 2)]], "b": [:]]
        let report = Report(data: data)
        let figures = report.pairFigures(VariantPair("a", "b")).map(\.id)
        #expect(figures.contains("drift-output-a-vs-b") && figures.contains("category-js-a-vs-b"), "\(figures)")
        #expect(!report.pairFigures(VariantPair("a", "c")).contains { $0.id.hasPrefix("drift-output") })
        for figure in report.pairFigures(VariantPair("a", "b")) {
            #expect(XMLCheck.parse(figure.svg.fileContents) != nil, "\(figure.id) is not well-formed")
        }
        let scatter = try #require(report.pairFigures(VariantPair("a", "b")).first { $0.id.hasPrefix("drift-output") })
        #expect(scatter.svg.markup.components(separatedBy: "<circle class=\"pt\"").count == drift.count + 1)
        #expect(scatter.caption.contains("Spearman ρ = 1.00 (95% bootstrap CI [0.90, 1.00])"))
        let html = ReportPage.html(report)
        #expect(html.contains("The concepts that moved most in representation also moved most in output"))
        #expect(html.contains("<code>␣the</code> 0.50 · <code>&lt;b&gt;</code> 0.25"))
        #expect(html.contains("No next-token comparison for this pair"))
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
