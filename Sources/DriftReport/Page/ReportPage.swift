import DriftAnalysis

/// The HTML page of a report: one self-contained file (inline SVG, CSS and script) that opens from disk.
public enum ReportPage {
    /// The page's HTML for `report`, with `figures` (from ``Report/runFigures()`` and ``Report/pairFigures(_:)``).
    public static func html(_ report: Report, toolVersion: String = "") -> String {
        let data = report.data
        let (runFigures, runNotes) = report.runFigures()
        let e = Markup.escape
        var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        h +=
            "<title>EmbeddingDrift report — \(e(data.title))</title><style>\(ReportAssets.css)</style></head><body><main>"
        h += "<h1>EmbeddingDrift report — \(e(data.title))</h1>"
        h +=
            "<p class=\"meta\">\(data.concepts.count) concepts in \(data.categoryOrder.count) categories · variants in order: "
            + e(data.variants.joined(separator: " → ")) + " · headline layer \(data.headlineLayer)"
            + " · layers \(data.layers.map(String.init).joined(separator: ", "))"
            + (toolVersion.isEmpty ? "" : " · embedding-drift \(e(toolVersion))") + "</p>"
        let notes = data.notes + runNotes
        if !notes.isEmpty {
            h +=
                "<div class=\"notes\"><strong>Not shown:</strong><ul>" + notes.map { "<li>\(e($0))</li>" }.joined()
                + "</ul></div>"
        }
        h +=
            "<nav><a href=\"#global\">Global similarity</a><a href=\"#umap\">Concept space</a><a href=\"#pairs\">Per variant pair</a>"
            + "<a href=\"#noise\">Noise floor</a></nav>"

        h += "<h2 id=\"global\">Global similarity across variants and layers</h2>"
        h += globalTable(data)
        for figure in runFigures where !figure.id.hasPrefix("umap") { h += figureMarkup(figure) }

        h += "<h2 id=\"umap\">Concept space (joint UMAP)</h2>"
        let umaps = runFigures.filter { $0.id.hasPrefix("umap") }
        if umaps.isEmpty {
            h += "<p class=\"notes\">No UMAP in this run (see the note above).</p>"
        } else {
            h +=
                "<div class=\"controls\"><label>Find a concept: <input id=\"search\" type=\"search\" placeholder=\"type a concept\" autocomplete=\"off\"></label>"
                + "<span id=\"search-status\" aria-live=\"polite\"></span></div>"
            for figure in umaps { h += figureMarkup(figure) }
        }

        h += "<h2 id=\"pairs\">Per variant pair (layer \(data.headlineLayer))</h2>"
        let pairs = data.pairs
        if pairs.isEmpty {
            h +=
                "<p class=\"notes\">tables/concept_drift has no rows at the headline layer: nothing to show per pair.</p>"
        } else {
            h +=
                "<div class=\"controls\"><label>Variant pair: <select id=\"pair\">"
                + pairs.map { "<option value=\"\(e($0.slug))\">\(e($0.label))</option>" }.joined()
                + "</select></label></div>"
            for pair in pairs {
                h += "<section class=\"pair\" data-pair=\"\(e(pair.slug))\"><h3>\(e(pair.label))</h3>"
                for figure in report.pairFigures(pair) { h += figureMarkup(figure) }
                h +=
                    categoryTable(data, pair) + significanceTable(data, pair) + covariateSection(data, pair)
                    + OutputSection.html(data, pair)
                h += "</section>"
            }
        }
        h += "<h2 id=\"noise\">Noise floor</h2>"
        if data.noiseFloor.isEmpty {
            h +=
                "<p>Not measured: run <code>compare</code> with <code>--templates</code> (several paraphrased templates) to "
                + "measure drift between templates inside one variant, the level below which drift is noise.</p>"
        } else {
            h += "<table><tr><th class=\"t\">variant</th><th>mean drift between templates</th></tr>"
            for (variant, value) in data.noiseFloor.sorted(by: { $0.key < $1.key }) {
                h += "<tr><td class=\"t\">\(e(variant))</td><td>\(Markup.number(value, digits: 4))</td></tr>"
            }
            h += "</table>"
        }
        h += "</main><div id=\"tip\" role=\"tooltip\"></div><script>\(ReportAssets.script)</script></body></html>\n"
        return h
    }

    static func figureMarkup(_ figure: Figure) -> String {
        "<figure id=\"fig-\(Markup.escape(figure.id))\">" + figure.svg.markup + "</figure>"
    }

    static func globalTable(_ data: ReportData) -> String {
        let rows = data.global.filter { $0.layer == data.headlineLayer }
        guard !rows.isEmpty else { return "<p class=\"notes\">tables/global has no rows at the headline layer.</p>" }
        var h =
            "<table class=\"global\"><caption>Headline layer \(data.headlineLayer): whole-representation comparison of each pair</caption>"
            + "<tr><th class=\"t\">pair</th><th>mean drift</th><th>CKA</th><th>CKA (debiased)</th><th>Procrustes</th>"
            + "<th>mutual k-NN</th><th>anisotropy a</th><th>anisotropy b</th></tr>"
        for r in rows {
            h +=
                "<tr><td class=\"t\">\(Markup.escape(VariantPair(r.variantA, r.variantB).label))</td>"
                + [r.meanDrift, r.cka, r.ckaDebiased, r.procrustes, r.mutualKNN, r.anisotropyA, r.anisotropyB]
                .map { "<td>\(Markup.number($0, digits: 4))</td>" }.joined() + "</tr>"
        }
        return h + "</table>"
    }

    static func categoryTable(_ data: ReportData, _ pair: VariantPair) -> String {
        let rows = data.categoryDrift.filter {
            $0.layer == data.headlineLayer && $0.variantA == pair.a && $0.variantB == pair.b
        }
        .sorted { $0.mean > $1.mean }
        guard !rows.isEmpty else { return "" }
        var h =
            "<table class=\"categories\"><caption>Drift per category (95% bootstrap CI of the mean)</caption><tr><th class=\"t\">category</th><th>n</th>"
            + "<th>mean</th><th>95% CI</th><th>median</th><th>std</th><th>max</th><th>share in top quartile</th></tr>"
        for r in rows {
            h +=
                "<tr><td class=\"t\">\(Markup.escape(r.category))</td><td>\(r.n)</td><td>\(Markup.number(r.mean, digits: 4))</td>"
                + "<td>[\(Markup.number(r.ciLow, digits: 4)), \(Markup.number(r.ciHigh, digits: 4))]</td>"
                + "<td>\(Markup.number(r.median, digits: 4))</td><td>\(Markup.number(r.std, digits: 4))</td>"
                + "<td>\(Markup.number(r.max, digits: 4))</td><td>\(Markup.number(r.topQuartileShare * 100, digits: 1))%</td></tr>"
        }
        return h + "</table>"
    }

    static func significanceTable(_ data: ReportData, _ pair: VariantPair) -> String {
        let rows = data.categoryTests.filter {
            $0.layer == data.headlineLayer && $0.variantA == pair.a && $0.variantB == pair.b
        }
        .sorted {
            $0.pHolm != $1.pHolm ? $0.pHolm < $1.pHolm : ($0.categoryA, $0.categoryB) < ($1.categoryA, $1.categoryB)
        }
        guard !rows.isEmpty else { return "<p>No category tests for this pair (tables/category_tests).</p>" }
        var h =
            "<table class=\"tests\"><caption>Category differences: permutation tests, Holm-corrected (bold: p<sub>Holm</sub> &lt; 0.05)</caption>"
            + "<tr><th class=\"t\">category a</th><th class=\"t\">category b</th><th>difference of means (a − b)</th><th>p</th><th>p (Holm)</th></tr>"
        for r in rows {
            h +=
                "<tr\(r.pHolm < 0.05 ? " class=\"sig\"" : "")><td class=\"t\">\(Markup.escape(r.categoryA))</td><td class=\"t\">\(Markup.escape(r.categoryB))</td>"
                + "<td>\(Markup.number(r.difference, digits: 4))</td><td>\(Markup.pValue(r.pValue))</td><td>\(Markup.pValue(r.pHolm))</td></tr>"
        }
        return h + "</table>"
    }
}
