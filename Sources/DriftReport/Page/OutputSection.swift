import DriftAnalysis
import DriftCore
import Foundation

/// The page's output-level part of one variant pair: in plain words whether what moved in representation moved in
/// output, and for the most drifted concepts each variant's most likely next tokens side by side.
enum OutputSection {
    /// Concepts in the side-by-side table.
    static let conceptCount = 10
    /// Next tokens shown per variant and concept.
    static let tokenCount = 5

    /// The section's HTML for `pair`, or a short note when the run compared no outputs for it.
    static func html(_ data: ReportData, _ pair: VariantPair) -> String {
        let e = Markup.escape
        let lens = lensTable(data, pair)
        guard let summary = data.output.summary(pair) else {
            return data.output.isEmpty
                ? lens
                : "<p class=\"notes\">No next-token comparison for this pair (different vocabularies, or a variant "
                    + "without logits).</p>" + lens
        }
        var h = "<h4>Output: the next token</h4><p>" + e(verdict(summary)) + "</p>" + lens
        let drift = data.drift(between: pair.a, and: pair.b)
        let output = Dictionary(
            data.output.conceptRows(pair).map { ($0.term, $0) }, uniquingKeysWith: { a, _ in a })
        let concepts = drift.filter { $0.value.isFinite && output[$0.key] != nil }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(conceptCount)
        let tokensA = data.output.nextTokens[pair.a] ?? [:]
        let tokensB = data.output.nextTokens[pair.b] ?? [:]
        guard !concepts.isEmpty, !tokensA.isEmpty || !tokensB.isEmpty else { return h }
        h +=
            "<table class=\"next-tokens\"><caption>The \(concepts.count) most drifted concepts: each variant's "
            + "\(tokenCount) most likely next tokens (probability), and the divergence of the whole distributions"
            + "</caption><tr><th class=\"t\">concept</th><th>drift</th><th>JS</th><th class=\"t\">\(e(pair.a))</th>"
            + "<th class=\"t\">\(e(pair.b))</th></tr>"
        for (term, value) in concepts {
            let row = output[term]
            h +=
                "<tr\(row?.top1Agree == 0 ? " class=\"sig\"" : "")><td class=\"t\">\(e(term))</td>"
                + "<td>\(Markup.number(value, digits: 4))</td><td>\(significant(row?.js ?? .nan))</td>"
                + "<td class=\"t\">\(tokens(tokensA[term]))</td><td class=\"t\">\(tokens(tokensB[term]))</td></tr>"
        }
        return h + "</table><p class=\"meta\">Bold: the most likely next token differs between the variants.</p>"
    }

    /// Per layer, when the pair's logit lens was compared (`compare --logit-lens`): the mean JS of the lens
    /// distributions with its interval, the top-1 agreement, and the drift–JS correlation at that layer; "" otherwise.
    static func lensTable(_ data: ReportData, _ pair: VariantPair) -> String {
        let rows = data.layers.compactMap { data.globalRow(pair.a, pair.b, layer: $0) }
            .filter { $0.meanJS.isFinite && $0.lensTop1Agreement.isFinite }
        guard rows.count > 1 else { return "" }
        var h =
            "<table class=\"lens\"><caption>Through the logit lens: each layer's state read through the final norm "
            + "and the LM head, the divergence of the two variants' next-token distributions</caption><tr>"
            + "<th>layer</th><th>mean JS [95% CI]</th><th>top-1 same</th><th>Spearman ρ drift–JS [95% CI]</th></tr>"
        for row in rows {
            let rho =
                row.spearmanDriftJS.isFinite
                ? "\(Markup.number(row.spearmanDriftJS, digits: 2)) [\(Markup.number(row.spearmanLow, digits: 2)), "
                    + "\(Markup.number(row.spearmanHigh, digits: 2))]" : "—"
            h +=
                "<tr\(row.spearmanLow > 0 ? " class=\"sig\"" : "")><td>\(row.layer)</td><td>\(significant(row.meanJS)) "
                + "[\(significant(row.meanJSLow)), \(significant(row.meanJSHigh))]</td>"
                + "<td>\(Markup.number(row.top1Agreement * 100, digits: 1))%</td><td>\(rho)</td></tr>"
        }
        return h
            + "</table><p class=\"meta\">Bold: layers where the concepts that drifted more also diverged more in the "
            + "lens (the interval above zero).</p>"
    }

    /// The summary in plain words.
    static func verdict(_ s: NextTokenSummaryRow) -> String {
        let rho =
            "Spearman ρ \(Markup.number(s.spearman, digits: 2)), 95% CI [\(Markup.number(s.spearmanLow, digits: 2)), "
            + "\(Markup.number(s.spearmanHigh, digits: 2))]"
        let finding =
            s.spearmanLow > 0
            ? "The concepts that moved most in representation also moved most in output"
            : s.spearmanHigh < 0
                ? "The concepts that moved most in representation moved least in output"
                : "How far a concept moved in representation says nothing sure about how far its output moved"
        return "\(finding) (\(rho)). Mean Jensen–Shannon divergence \(significant(s.meanJS)) "
            + "[\(significant(s.meanJSLow)), \(significant(s.meanJSHigh))] nats; the most likely "
            + "next token is the same for \(Markup.number(s.top1Agreement * 100, digits: 1))% of concepts."
    }

    /// `x` with three significant digits (JS spans many orders of magnitude), "—" when not finite.
    static func significant(_ x: Double) -> String {
        x.isFinite ? String(format: "%.3g", x) : "—"
    }

    /// A concept's first tokens as `token (p)`, spaces shown as `␣` and line breaks as `⏎`.
    static func tokens(_ rows: [LogitLensRow]?) -> String {
        guard let rows, !rows.isEmpty else { return "—" }
        return rows.prefix(tokenCount).map {
            "<code>\(Markup.escape(visible($0.token)))</code> \(Markup.number($0.probability, digits: 2))"
        }.joined(separator: " · ")
    }

    /// `token` with its whitespace made visible.
    static func visible(_ token: String) -> String {
        String(
            token.map { c -> Character in
                switch c {
                case " ": "␣"
                case "\n": "⏎"
                case "\t": "⇥"
                default: c
                }
            })
    }
}
