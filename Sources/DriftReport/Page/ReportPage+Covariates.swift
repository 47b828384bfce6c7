import DriftAnalysis

extension ReportPage {
    /// The pair's covariate-adjusted analysis: raw and adjusted category means side by side with their intervals,
    /// the adjusted tests, and drift against the strongest covariate (empty when the run has no adjusted analysis).
    static func covariateSection(_ data: ReportData, _ pair: VariantPair) -> String {
        let report = data.covariates
        let layer = data.headlineLayer
        let adjusted = report.categories.map(\.statistics).filter {
            $0.layer == layer && $0.variantA == pair.a && $0.variantB == pair.b
        }
        guard !adjusted.isEmpty else { return "" }
        let e = Markup.escape
        let raw = Dictionary(
            data.categoryDrift.filter { $0.layer == layer && $0.variantA == pair.a && $0.variantB == pair.b }
                .map { ($0.category, $0) }, uniquingKeysWith: { a, _ in a })
        let confounds = report.confounds.filter { $0.layer == layer && $0.variantA == pair.a && $0.variantB == pair.b }
        var h = "<h4>Is the category effect real? Adjusted for covariates</h4>"
        h +=
            "<p>Covariates: \(e(confounds.map(\.covariate).joined(separator: ", "))). Adjusted mean = drift with the "
            + "covariates' linear effect removed at their mean; adjusted tests permute the covariate-only model's "
            + "residuals (Freedman–Lane), Holm-corrected.</p>"
        h +=
            "<table class=\"categories\"><caption>Raw and covariate-adjusted mean drift per category (95% bootstrap CI)"
            + "</caption><tr><th class=\"t\">category</th><th>n</th><th>raw mean</th><th>95% CI</th>"
            + "<th>adjusted mean</th><th>95% CI</th></tr>"
        for a in adjusted.sorted(by: { $0.mean > $1.mean }) {
            let r = raw[a.category]
            h +=
                "<tr><td class=\"t\">\(e(a.category))</td><td>\(a.n)</td>"
                + "<td>\(Markup.number(r?.mean ?? .nan, digits: 4))</td>"
                + "<td>[\(Markup.number(r?.ciLow ?? .nan, digits: 4)), \(Markup.number(r?.ciHigh ?? .nan, digits: 4))]</td>"
                + "<td>\(Markup.number(a.mean, digits: 4))</td>"
                + "<td>[\(Markup.number(a.ciLow, digits: 4)), \(Markup.number(a.ciHigh, digits: 4))]</td></tr>"
        }
        h += "</table>"
        let tests = report.tests.map(\.test).filter {
            $0.layer == layer && $0.variantA == pair.a && $0.variantB == pair.b
        }
        let rawTests = data.categoryTests.filter { $0.layer == layer && $0.variantA == pair.a && $0.variantB == pair.b }
        if !tests.isEmpty {
            h +=
                "<table class=\"tests\"><caption>Category differences, raw and adjusted (bold: adjusted "
                + "p<sub>Holm</sub> &lt; 0.05)</caption><tr><th class=\"t\">category a</th><th class=\"t\">category b</th>"
                + "<th>raw difference</th><th>raw p (Holm)</th><th>adjusted difference</th><th>adjusted p (Holm)</th></tr>"
            for t in tests {
                let r = rawTests.first { $0.categoryA == t.categoryA && $0.categoryB == t.categoryB }
                h +=
                    "<tr\(t.pHolm < 0.05 ? " class=\"sig\"" : "")><td class=\"t\">\(e(t.categoryA))</td>"
                    + "<td class=\"t\">\(e(t.categoryB))</td><td>\(Markup.number(r?.difference ?? .nan, digits: 4))</td>"
                    + "<td>\(Markup.pValue(r?.pHolm ?? .nan))</td><td>\(Markup.number(t.difference, digits: 4))</td>"
                    + "<td>\(Markup.pValue(t.pHolm))</td></tr>"
            }
            h += "</table>"
        }
        if let strongest = confounds.filter({ $0.r.isFinite }).max(by: { abs($0.r) < abs($1.r) }),
            let values = report.values[CovariateReport.key(variant: pair.a, layer: layer)]?[strongest.covariate]
        {
            var drift = [Double](repeating: .nan, count: data.concepts.count)
            let index = Dictionary(
                data.concepts.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            for row in data.conceptDrift where row.layer == layer && row.variantA == pair.a && row.variantB == pair.b {
                if let i = index[row.concept] { drift[i] = row.cosineDistance }
            }
            if values.count == drift.count,
                let figure = CovariateScatterChart.figure(
                    pair: pair, layer: layer, covariate: strongest, values: values, drift: drift,
                    concepts: data.concepts, categories: data.categories,
                    categoryColor: { data.color(ofCategory: $0) })
            {
                h += figureMarkup(figure)
            }
        }
        return h
    }
}
