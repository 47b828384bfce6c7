import DriftAnalysis
import Foundation
import Testing

@testable import DriftReport

@Suite struct FigureTests {
    static let run = SyntheticRun.make(concepts: 40, variants: ["base", "instruct", "chat"], layers: 4)

    @Test func everyFigureIsWellFormedStandaloneXML() throws {
        let figures = Report(data: Self.run).allFigures()
        // 4 run-wide figures + 4 per pair × 3 pairs + the UMAP pair.
        #expect(figures.count == 2 + 3 + 3 * 4)
        #expect(Set(figures.map(\.id)).count == figures.count, "ids are unique")
        for figure in figures {
            let check = try #require(XMLCheck.parse(figure.svg.fileContents), "\(figure.id) is not well-formed XML")
            #expect(check.elements["title", default: 0] >= 1, "\(figure.id) has a title")
            #expect(check.elements["desc"] == 1, "\(figure.id) has a caption")
            #expect(
                figure.svg.markup.contains("class=\"lab\"") || figure.id.hasPrefix("neighborhood"),
                "\(figure.id) has axis labels")
            #expect(figure.svg.markup.contains("class=\"legend\""), "\(figure.id) has a legend")
        }
    }

    @Test func topDriftBarsAreProportionalToTheirValues() throws {
        let pair = VariantPair("base", "instruct")
        let rows = Self.run.conceptRows(pair)
        let figure = TopDriftChart.figure(pair: pair, rows: rows, layer: 3, count: 30) {
            Self.run.color(ofCategory: $0)
        }
        let check = try #require(XMLCheck.parse(figure.svg.markup))
        let bars = check.elements(withClass: "bar")
        #expect(bars.count == 30)
        // The bars are the 30 largest values, in descending order.
        let expected = rows.map(\.cosineDistance).sorted(by: >).prefix(30)
        let values = bars.compactMap { $0["data-value"].flatMap(Double.init) }
        #expect(Array(expected) == values)
        // Length / value is the same for every bar (a bar starts at 0) and matches the scale.
        let scale = TopDriftChart.scale(maxValue: expected.first ?? 1)
        for bar in bars {
            let width = try #require(bar["width"].flatMap(Double.init))
            let value = try #require(bar["data-value"].flatMap(Double.init))
            #expect(abs(width - (scale(value) - TopDriftChart.plotLeft)) < 0.01)
            #expect(
                abs(width / value - (TopDriftChart.plotRight - TopDriftChart.plotLeft) / scale.domain.upper) < 0.01
                    / value)
            #expect(bar["x"] == "210")
        }
        // The mean line sits at the mean of all concepts.
        let mean = rows.map(\.cosineDistance).reduce(0, +) / Double(rows.count)
        let line = try #require(check.elements(withClass: "mean").first)
        #expect(abs((Double(line["x1"] ?? "") ?? 0) - scale(mean)) < 0.01)
    }

    @Test func categoryMeansAndIntervalsArePlacedByTheScale() throws {
        let pair = VariantPair("base", "chat")
        let rows = Self.run.categoryDrift.filter { $0.layer == 3 && $0.variantA == "base" && $0.variantB == "chat" }
        let figure = CategoryMeanChart.figure(pair: pair, rows: rows, layer: 3) { Self.run.color(ofCategory: $0) }
        let check = try #require(XMLCheck.parse(figure.svg.markup))
        let bars = check.elements(withClass: "bar")
        #expect(bars.count == rows.count)
        #expect(check.elements(withClass: "ci").count == rows.count)
        let ratios = try bars.map { bar in
            try #require(Double(bar["width"] ?? "")) / #require(Double(bar["data-value"] ?? ""))
        }
        #expect(ratios.allSatisfy { abs($0 - ratios[0]) < 0.05 })
    }

    @Test func distributionHasOnePointPerConceptAndBoxStatisticsAsNumpy() throws {
        let pair = VariantPair("base", "instruct")
        let figure = CategoryDistributionChart.figure(pair: pair, rows: Self.run.conceptRows(pair), layer: 3) { _ in
            "#000"
        }
        let check = try #require(XMLCheck.parse(figure.svg.markup))
        #expect(check.elements(withClass: "pt").count == 40)
        #expect(check.elements(withClass: "box").count == 5)
    }

    @Test func umapHasOneMarkerPerConceptPerVariantAndOneArrowPerStep() throws {
        let trajectories = try #require(UMAPChart.figure(Self.run, coloring: .trajectories))
        let t = try #require(XMLCheck.parse(trajectories.svg.markup))
        #expect(t.elements(withClass: "pt").count == 40 * 3)
        #expect(t.elements(withClass: "arrow").count == 40 * 2)
        let categories = try #require(UMAPChart.figure(Self.run, coloring: .categories))
        let c = try #require(XMLCheck.parse(categories.svg.markup))
        #expect(c.elements(withClass: "pt").count == 40 * 3)
        #expect(c.elements(withClass: "arrow").isEmpty)
        // Three marker shapes: the path data of the first concept differs between variants.
        let first = c.elements(withClass: "pt").filter { $0["data-concept"] == "concept 0" }.compactMap {
            $0["data-variant"]
        }
        #expect(first == ["base", "instruct", "chat"])
        // Hover text names the concept, its category, drift and neighbours.
        #expect(categories.svg.markup.contains("concept 0 (demographic)\nvariant: base\ndrift base → chat: "))
        #expect(categories.svg.markup.contains("neighbours: concept 1, concept 2"))
    }

    @Test func umapIsLeftOutWhenCoordinatesAreMissing() {
        var data = Self.run
        data.umap["chat"] = nil
        data.umap["base"] = Array((data.umap["base"] ?? []).prefix(3))
        #expect(UMAPChart.figure(data, coloring: .trajectories) == nil)
        let (figures, notes) = Report(data: data).runFigures()
        #expect(!figures.contains { $0.id.hasPrefix("umap") })
        #expect(notes.contains { $0.contains("No UMAP") })
    }

    @Test func ckaHeatmapHasACellPerVariantPairWithTableValues() throws {
        let figure = try #require(CKAHeatmap.figure(Self.run))
        let check = try #require(XMLCheck.parse(figure.svg.markup))
        let cells = check.elements(withClass: "cell")
        #expect(cells.count == 9)
        let row = try #require(Self.run.globalRow("base", "chat", layer: 3))
        #expect(cells.filter { $0["data-value"] == String(row.cka) }.count == 2)
    }

    @Test func layerProfileDrawsOneLinePerPairPerMeasure() throws {
        let figure = try #require(LayerProfileChart.figure(global: Self.run.global, pairs: Self.run.pairs))
        let check = try #require(XMLCheck.parse(figure.svg.markup))
        #expect(check.elements(withClass: "line").count == 3 * LayerProfileChart.measures.count)
        #expect(
            LayerProfileChart.figure(global: Self.run.global.filter { $0.layer == 3 }, pairs: Self.run.pairs) == nil)
    }

    @Test func neighbourhoodMarksLostAndGained() throws {
        let pair = VariantPair("base", "instruct")
        let figure = try #require(NeighborhoodChart.figure(Self.run, pair: pair, concepts: ["concept 0"]))
        let check = try #require(XMLCheck.parse(figure.svg.markup))
        // base: neighbours c+1…c+10; instruct: c+2, c+4, …, c+20 → kept = even 2…10 (5), lost 5, gained 5.
        #expect(check.elements(withClass: "lost").count == 5)
        #expect(check.elements(withClass: "gained").count == 5)
    }

    @Test func boxStatisticsUseNumpysLinearQuantiles() throws {
        // numpy.quantile([1, 2, 4, 7, 30], [.25, .5, .75]) = [2, 4, 7]; IQR 5 → upper fence 14.5, so 30 is an outlier.
        let q = try #require(Quantiles([7, 1, 30, 4, 2]))
        #expect(q.q1 == 2 && q.median == 4 && q.q3 == 7)
        #expect(q.whiskerLow == 1 && q.whiskerHigh == 7)
        // numpy.quantile([0.1, 0.4], 0.25) = 0.175
        #expect(abs(Quantiles.quantile([0.1, 0.4], 0.25) - 0.175) < 1e-15)
    }
}
