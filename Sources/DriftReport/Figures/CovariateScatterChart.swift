public import DriftAnalysis

/// Per-concept drift against one covariate for one variant pair: each concept a dot in its category's colour.
public enum CovariateScatterChart {
    /// The figure of `drift` (one value per concept) against `covariate`'s `values`, or nil when nothing is finite.
    public static func figure(
        pair: VariantPair, layer: Int, covariate: ConfoundRow, values: [Double], drift: [Double],
        concepts: [String], categories: [String], categoryColor: (String) -> String
    ) -> Figure? {
        let points = values.indices.filter { values[$0].isFinite && drift[$0].isFinite }
        guard points.count >= 2 else { return nil }
        let id = "covariate-scatter-" + pair.slug
        let name = covariate.covariate
        let title = "Drift against \(name), the covariate that goes most with it, \(pair.label) (layer \(layer))"
        let caption =
            "Each dot is a concept: its cosine drift between \(pair.a) and \(pair.b) against its \(name) in \(pair.a). "
            + "Pearson r = \(Markup.number(covariate.r, digits: 3)) (95% bootstrap CI "
            + "\(Markup.number(covariate.rCILow, digits: 3))–\(Markup.number(covariate.rCIHigh, digits: 3)), "
            + "p = \(Markup.pValue(covariate.pValue))). If the categories separate along "
            + "\(name), a raw category difference may be this covariate's; compare the adjusted means beside it."
        return ConceptScatter.figure(
            id: id, pair: pair, title: title, caption: caption,
            points: points.map {
                ConceptScatter.Point(concept: concepts[$0], category: categories[$0], x: values[$0], y: drift[$0])
            },
            x: ConceptScatter.AxisSpec(label: name, name: name, fromZero: false),
            y: ConceptScatter.AxisSpec(label: "cosine drift", name: "drift", fromZero: true),
            categoryColor: categoryColor)
    }
}
