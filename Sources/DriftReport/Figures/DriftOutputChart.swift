public import DriftAnalysis

/// Representation against output for one variant pair: each concept's cosine drift (x) against the Jensen–Shannon
/// divergence of its next-token distributions (y), coloured by category, with Spearman's ρ and its interval.
public enum DriftOutputChart {
    /// The figure for `pair` from its concept rows at `layer` and its next-token rows; nil when no concept has both.
    public static func figure(
        pair: VariantPair, drift: [ConceptDriftRow], output: [NextTokenRow], summary: NextTokenSummaryRow?,
        layer: Int, categoryColor: (String) -> String
    ) -> Figure? {
        let js = Dictionary(output.map { ($0.term, $0.js) }, uniquingKeysWith: { a, _ in a })
        let points = drift.compactMap { row -> (row: ConceptDriftRow, js: Double)? in
            guard let value = js[row.concept], value.isFinite, row.cosineDistance.isFinite else { return nil }
            return (row, value)
        }
        guard !points.isEmpty else { return nil }
        let id = "drift-output-" + pair.slug
        let title = "Representation against output, \(pair.label)"
        let correlation =
            summary.map {
                "Spearman ρ = \(Markup.number($0.spearman, digits: 2)) (95% bootstrap CI "
                    + "[\(Markup.number($0.spearmanLow, digits: 2)), \(Markup.number($0.spearmanHigh, digits: 2))])."
            } ?? ""
        let caption =
            "Each dot is one concept: across, its cosine distance between \(pair.a) and \(pair.b) at layer \(layer); "
            + "up, the Jensen–Shannon divergence of its next-token distributions (natural log, 0 … ln 2 ≈ 0.693). "
            + "Colour = category. Dots up and to the right moved in both; a dot far right but low moved in "
            + "representation only. \(correlation)"
        return ConceptScatter.figure(
            id: id, pair: pair, title: title, caption: caption,
            points: points.map {
                ConceptScatter.Point(
                    concept: $0.row.concept, category: $0.row.category, x: $0.row.cosineDistance, y: $0.js)
            },
            x: ConceptScatter.AxisSpec(
                label: "cosine distance between variants (1 − cos, unitless)", name: "drift", fromZero: true),
            y: ConceptScatter.AxisSpec(label: "Jensen–Shannon divergence (nats)", name: "JS", fromZero: true),
            categoryColor: categoryColor)
    }
}
