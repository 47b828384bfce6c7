import DriftCore

extension RunSummary {
    /// Whether each category finding of `analysis` survives the adjustment for covariates, in words and as JSON
    /// (nil when the pair has no adjusted analysis).
    static func covariateSection(
        _ analysis: PairAnalysis, options: RunAnalysis.Options
    ) -> (json: [String: Any], markdown: String)? {
        guard !analysis.adjustedTests.isEmpty else { return nil }
        let percent = Int((options.confidence * 100).rounded())
        let used = analysis.confounds.map(\.covariate)
        var md = "\n### Adjusted for covariates (\(used.joined(separator: ", ")))\n\n"
        md += "Each category difference refitted with the covariates in a linear model and tested by permuting the "
        md += "covariate-only model's residuals (Freedman–Lane, Holm-adjusted); adjusted means are drift with the "
        md += "covariates' effect removed at their mean.\n\n"
        md += "| category | raw mean | \(percent)% CI | adjusted mean | \(percent)% CI |\n|---|---:|---|---:|---|\n"
        let adjustedByCategory = Dictionary(
            analysis.adjustedCategories.map { ($0.statistics.category, $0.statistics) }, uniquingKeysWith: { a, _ in a }
        )
        for c in analysis.categories.sorted(by: { $0.mean > $1.mean }) {
            let a = adjustedByCategory[c.category]
            md += "| \(c.category) | \(f(c.mean)) | \(f(c.ciLow))–\(f(c.ciHigh)) | \(f(a?.mean ?? .nan)) | "
            md += "\(f(a?.ciLow ?? .nan))–\(f(a?.ciHigh ?? .nan)) |\n"
        }
        md += "\n"
        var findings: [[String: Any]] = []
        let adjusted = analysis.adjustedTests.map(\.test)
        for (raw, adj) in zip(analysis.tests, adjusted) where raw.pHolm < options.alpha || adj.pHolm < options.alpha {
            let (high, low) = raw.difference > 0 ? (raw.categoryA, raw.categoryB) : (raw.categoryB, raw.categoryA)
            let sign = raw.difference > 0 ? 1.0 : -1.0
            let sameDirection = adj.difference * sign > 0
            let survives = raw.pHolm < options.alpha && adj.pHolm < options.alpha && sameDirection
            let matched = analysis.matched.first { $0.categoryA == raw.categoryA && $0.categoryB == raw.categoryB }
            var line: String
            if raw.pHolm < options.alpha {
                line = "- \(high) > \(low) by \(f(abs(raw.difference))) (p_holm \(f(raw.pHolm))): "
                let reverses = adj.pHolm < options.alpha && !sameDirection
                let verdict =
                    survives ? "**survives**" : reverses ? "**reverses** after" : "**does not survive**"
                line +=
                    "\(verdict) the adjustment (adjusted difference \(high) − \(low) = "
                    + "\(f(sign * adj.difference)), p_holm \(f(adj.pHolm)))"
            } else {
                let (ah, al) = adj.difference > 0 ? (adj.categoryA, adj.categoryB) : (adj.categoryB, adj.categoryA)
                line = "- \(ah) > \(al) only after the adjustment: adjusted difference \(f(abs(adj.difference))) "
                line += "(p_holm \(f(adj.pHolm))); raw p_holm \(f(raw.pHolm))"
            }
            if let m = matched {
                line += "; on concepts matched on the covariates, \(m.categoryA) − \(m.categoryB) = "
                line += "\(f(m.difference)) (\(percent)% CI \(f(m.ciLow))–\(f(m.ciHigh)))"
            }
            md += line + ".\n"
            findings.append([
                "category_a": raw.categoryA, "category_b": raw.categoryB, "raw_difference": raw.difference,
                "raw_p_holm": raw.pHolm, "adjusted_difference": RunDirectory.jsonNumber(adj.difference),
                "adjusted_p_holm": adj.pHolm, "survives": survives,
                "reverses": raw.pHolm < options.alpha && adj.pHolm < options.alpha && !sameDirection,
            ])
        }
        if findings.isEmpty { md += "No category differs significantly, raw or adjusted.\n" }
        var json: [String: Any] = ["covariates": used, "findings": findings]
        if let strongest = analysis.confounds.filter({ $0.r.isFinite }).max(by: { abs($0.r) < abs($1.r) }) {
            md += "\nDrift goes most with \(strongest.covariate): r = \(f(strongest.r)) "
            md += "(\(percent)% CI \(f(strongest.rCILow))–\(f(strongest.rCIHigh)), p \(f(strongest.pValue))"
            md += ", slope \(f(strongest.slope)) per unit).\n"
            json["strongest_covariate"] = [
                "covariate": strongest.covariate, "r": strongest.r, "p_value": strongest.pValue,
                "slope": strongest.slope,
            ]
        }
        return (json, md)
    }
}
