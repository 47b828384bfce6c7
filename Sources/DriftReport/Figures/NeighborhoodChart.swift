import DriftAnalysis

/// Neighbourhood change for selected concepts of one variant pair: each concept's nearest neighbours in both
/// variants side by side, with similarities; neighbours lost and gained marked.
public enum NeighborhoodChart {
    static let width = 900.0
    static let column = 400.0

    /// The figure for `pair` and `concepts` (in that order); nil when the run has no neighbour table.
    public static func figure(_ data: ReportData, pair: VariantPair, concepts: [String]) -> Figure? {
        var lists: [String: [String: [(rank: Int, neighbor: String, similarity: Double)]]] = [:]
        let wanted = Set(concepts)
        for row in data.neighbors
        where row.layer == data.headlineLayer && wanted.contains(row.concept)
            && (row.variant == pair.a || row.variant == pair.b)
        {
            lists[row.variant, default: [:]][row.concept, default: []].append((row.rank, row.neighbor, row.similarity))
        }
        guard !lists.isEmpty else { return nil }
        let id = "neighborhood-" + pair.slug
        let title = "Neighbourhood change of the most drifted concepts, \(pair.label) (layer \(data.headlineLayer))"
        let caption =
            "For each concept, its nearest neighbours by cosine similarity in \(pair.a) (left) and \(pair.b) "
            + "(right), most similar first. − (vermillion) = a neighbour lost in \(pair.b); + (bluish green) = a "
            + "neighbour gained; unmarked names are kept. Jaccard = |kept| / |union| of the two lists."
        let drift = data.drift(between: pair.a, and: pair.b)
        let category = Dictionary(zip(data.concepts, data.categories), uniquingKeysWith: { a, _ in a })
        var chart = ""
        var y = 8.0
        let lost = "#D55E00"
        let gained = "#009E73"
        for concept in concepts {
            let a = (lists[pair.a]?[concept] ?? []).sorted { $0.rank < $1.rank }
            let b = (lists[pair.b]?[concept] ?? []).sorted { $0.rank < $1.rank }
            guard !a.isEmpty || !b.isEmpty else { continue }
            let setA = Set(a.map(\.neighbor))
            let setB = Set(b.map(\.neighbor))
            let union = setA.union(setB).count
            let jaccard = union == 0 ? Double.nan : Double(setA.intersection(setB).count) / Double(union)
            chart += "<g class=\"nbhd\" data-concept=\"\(Markup.escape(concept))\">"
            chart += FigureFrame.text(
                "\(concept) (\(category[concept] ?? "")) — drift \(Markup.number(drift[concept] ?? .nan)), Jaccard \(Markup.number(jaccard, digits: 2))",
                x: 12, y: y + 14, cls: "lab")
            chart += FigureFrame.text(pair.a, x: 30, y: y + 32, cls: "tick", extra: "font-weight=\"600\"")
            chart += FigureFrame.text(pair.b, x: 30 + column + 40, y: y + 32, cls: "tick", extra: "font-weight=\"600\"")
            for (side, list) in [(0, a), (1, b)] {
                for (k, item) in list.enumerated() {
                    let x = 30 + Double(side) * (column + 40)
                    let rowY = y + 50 + Double(k) * 16
                    let changed = side == 0 ? !setB.contains(item.neighbor) : !setA.contains(item.neighbor)
                    let mark = changed ? (side == 0 ? "− " : "+ ") : "  "
                    let color = changed ? (side == 0 ? lost : gained) : "#222"
                    chart += FigureFrame.text(
                        "\(mark)\(item.rank). \(TopDriftChart.truncate(item.neighbor, 34))", x: x, y: rowY,
                        extra: "style=\"fill:\(color)\""
                            + (changed ? " class=\"\(side == 0 ? "lost" : "gained")\"" : ""))
                    chart += FigureFrame.text(
                        Markup.number(item.similarity), x: x + column - 40, y: rowY, anchor: "end",
                        extra: "style=\"fill:\(color)\"")
                }
            }
            chart += "</g>"
            y += 50 + Double(max(a.count, b.count)) * 16 + 14
        }
        let legend = Legend.swatches(
            [
                Legend.Item(label: "− lost in \(pair.b)", color: lost),
                Legend.Item(label: "+ gained in \(pair.b)", color: gained),
                Legend.Item(label: "kept", color: "#222"),
            ],
            x: 12, y: y + 4, maxWidth: width - 24)
        chart += legend.markup
        return Figure(
            id: id, title: title, caption: caption, pair: pair,
            svg: FigureFrame.document(
                id: id, width: width, chartHeight: y + 4 + legend.height, title: title, caption: caption, chart: chart))
    }
}
