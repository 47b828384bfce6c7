import DriftAnalysis

/// The joint UMAP of every variant at the headline layer, as trajectories or by category.
///
/// Trajectories are coloured by drift; the category view colours points by category with one marker shape per
/// variant. Zoom, pan, hover and search come from the page's script.
public enum UMAPChart {
    static let width = 900.0
    static let plot = 620.0
    static let left = 70.0

    /// What the points are coloured by.
    public enum Coloring: Sendable {
        /// Arrows from each variant to the next, coloured by that step's drift (viridis).
        case trajectories
        /// Points coloured by category, one marker shape per variant.
        case categories
    }

    /// The figure of `data`'s UMAP; nil when the run has no UMAP for every variant (the page says why).
    public static func figure(_ data: ReportData, coloring: Coloring) -> Figure? {
        let variants = data.variants.filter { data.umap[$0] != nil }
        guard !variants.isEmpty,
            variants.allSatisfy({ data.umap[$0]?.count == data.concepts.count })
        else { return nil }
        let id = coloring == .trajectories ? "umap-trajectories" : "umap-categories"
        let title =
            coloring == .trajectories
            ? "Joint UMAP: each concept's path through the variants, coloured by drift (layer \(data.headlineLayer))"
            : "Joint UMAP coloured by category, one marker shape per variant (layer \(data.headlineLayer))"
        let caption =
            (coloring == .trajectories
                ? "Every variant's vectors were projected together. A marker is one concept in one variant; an arrow "
                    + "joins a concept's position in one variant to the next (\(variants.joined(separator: " → "))), coloured "
                    + "by that step's cosine distance (yellow = most drift). Long arrows moved far in the projection, but "
                    + "UMAP distances are only locally meaningful: trust the drift colour over the arrow length. "
                : "Every variant's vectors were projected together. Colour = category, shape = variant; concepts of a "
                    + "category clustering together means the model groups them. ")
            + "Hover a marker for the concept, category, drift and neighbours. In the report page: scroll to zoom, "
            + "drag to pan, double-click to reset, and the search box highlights a concept."
        let all = variants.flatMap { data.umap[$0] ?? [] }
        let xs = all.map(\.x).filter(\.isFinite)
        let ys = all.map(\.y).filter(\.isFinite)
        let padX = ((xs.max() ?? 1) - (xs.min() ?? 0)) * 0.04
        let padY = ((ys.max() ?? 1) - (ys.min() ?? 0)) * 0.04
        let top = 8.0
        let sx = LinearScale(domain: ((xs.min() ?? 0) - padX, (xs.max() ?? 1) + padX), range: (left, left + plot))
        let sy = LinearScale(domain: ((ys.min() ?? 0) - padY, (ys.max() ?? 1) + padY), range: (top + plot, top))
        let c = Markup.coordinate
        var chart = Axis.bottom(sx, y: top + plot, label: "UMAP 1 (unitless)", zoomable: true)
        chart += Axis.left(sy, x: left, label: "UMAP 2 (unitless)", zoomable: true)
        chart +=
            "<defs><clipPath id=\"\(id)-clip\"><rect x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(plot))\" height=\"\(c(plot))\"/></clipPath></defs>"
        chart += "<g clip-path=\"url(#\(id)-clip)\"><g class=\"zoom\">"

        // Step drift between consecutive variants, by concept; and the drift of the run's first → last pair.
        let steps = zip(variants, variants.dropFirst()).map { data.drift(between: $0, and: $1) }
        let overall = variants.count > 1 ? data.drift(between: variants[0], and: variants[variants.count - 1]) : [:]
        let stepValues = steps.flatMap(\.values).filter(\.isFinite)
        let driftMax = max(stepValues.max() ?? 1, 1e-12)
        let driftMin = min(stepValues.min() ?? 0, driftMax)
        let neighborText = neighborSummaries(data, variants: variants)

        if coloring == .trajectories {
            for (s, step) in steps.enumerated() {
                let (from, to) = (variants[s], variants[s + 1])
                guard let p = data.umap[from], let q = data.umap[to] else { continue }
                for (i, concept) in data.concepts.enumerated() {
                    let drift = step[concept] ?? .nan
                    let color = drift.isFinite ? Viridis.color((drift - driftMin) / (driftMax - driftMin)) : "#999"
                    let (x1, y1, x2, y2) = (sx(p[i].x), sy(p[i].y), sx(q[i].x), sy(q[i].y))
                    chart +=
                        "<path class=\"arrow\" data-concept=\"\(Markup.escape(concept))\" d=\"\(arrow(x1, y1, x2, y2))\""
                        + " stroke=\"\(color)\" stroke-width=\"1.4\" fill=\"none\"><title>"
                        + Markup.escape("\(concept): \(from) → \(to), drift \(Markup.number(drift, digits: 4))")
                        + "</title></path>"
                }
            }
        }
        for (v, variant) in variants.enumerated() {
            guard let points = data.umap[variant] else { continue }
            let shape = MarkerShape.forVariant(data.variants.firstIndex(of: variant) ?? v)
            for (i, concept) in data.concepts.enumerated() {
                let category = i < data.categories.count ? data.categories[i] : ""
                let fill = coloring == .trajectories ? "#fff" : data.color(ofCategory: category)
                var tip = "\(concept) (\(category))\nvariant: \(variant)"
                if variants.count > 1 {
                    tip +=
                        "\ndrift \(variants[0]) → \(variants[variants.count - 1]): \(Markup.number(overall[concept] ?? .nan, digits: 4))"
                }
                if let n = neighborText[variant]?[concept] { tip += "\nneighbours: " + n }
                chart +=
                    "<path class=\"pt\" data-concept=\"\(Markup.escape(concept))\" data-variant=\"\(Markup.escape(variant))\""
                    + " d=\"\(shape.path(x: sx(points[i].x), y: sy(points[i].y), r: coloring == .trajectories ? 2.6 : 3.6))\""
                    + " fill=\"\(fill)\" stroke=\"#222\" stroke-width=\"0.5\"><title>\(Markup.escape(tip))</title></path>"
            }
        }
        chart += "</g></g>"
        chart +=
            "<rect x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(plot))\" height=\"\(c(plot))\" fill=\"none\" stroke=\"#333\"/>"

        // Legend on the right: shapes per variant, then categories or the drift colour bar.
        let lx = left + plot + 24
        var legend = FigureFrame.text("Variant (marker)", x: lx, y: top + 12, cls: "lab")
        for (v, variant) in variants.enumerated() {
            let shape = MarkerShape.forVariant(data.variants.firstIndex(of: variant) ?? v)
            let y = top + 30 + Double(v) * 18
            legend += "<path d=\"\(shape.path(x: lx + 7, y: y - 4, r: 5))\" fill=\"#fff\" stroke=\"#222\"/>"
            legend += FigureFrame.text(TopDriftChart.truncate(variant, 20), x: lx + 18, y: y)
        }
        var y = top + 40 + Double(variants.count) * 18
        if coloring == .trajectories {
            legend += FigureFrame.text("Arrow colour", x: lx, y: y, cls: "lab")
            legend += Legend.colorBar(
                id: id + "-bar", lower: driftMin, upper: driftMax, x: lx, y: y + 10, width: 150,
                label: "step drift (1 − cos)")
        } else {
            legend += FigureFrame.text("Category (colour)", x: lx, y: y, cls: "lab")
            for category in data.categoryOrder {
                y += 18
                legend +=
                    "<rect x=\"\(c(lx))\" y=\"\(c(y - 10))\" width=\"14\" height=\"12\" fill=\"\(data.color(ofCategory: category))\"/>"
                legend += FigureFrame.text(TopDriftChart.truncate(category, 22), x: lx + 19, y: y)
            }
        }
        chart += "<g class=\"legend\">" + legend + "</g>"
        let height = max(top + plot + 44, y + 60)
        return Figure(
            id: id, title: title, caption: caption,
            svg: FigureFrame.document(
                id: id, width: width, chartHeight: height, title: title, caption: caption, chart: chart,
                extraClass: "zoomable"))
    }

    /// A line from (x1, y1) to (x2, y2) with an open arrow head at the end, as path data.
    static func arrow(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> String {
        let c = Markup.coordinate
        let (dx, dy) = (x2 - x1, y2 - y1)
        let length = (dx * dx + dy * dy).squareRoot()
        var d = "M\(c(x1)) \(c(y1))L\(c(x2)) \(c(y2))"
        guard length > 1 else { return d }
        let (ux, uy) = (dx / length, dy / length)
        let head = min(6, length * 0.4)
        let (bx, by) = (x2 - ux * head, y2 - uy * head)
        d +=
            "M\(c(bx - uy * head * 0.5)) \(c(by + ux * head * 0.5))L\(c(x2)) \(c(y2))L\(c(bx + uy * head * 0.5)) \(c(by - ux * head * 0.5))"
        return d
    }

    /// The five nearest neighbours of every concept in every variant at the headline layer, as text.
    static func neighborSummaries(_ data: ReportData, variants: [String]) -> [String: [String: String]] {
        var lists: [String: [String: [(Int, String)]]] = [:]
        let wanted = Set(variants)
        for row in data.neighbors where row.layer == data.headlineLayer && row.rank <= 5 && wanted.contains(row.variant)
        {
            lists[row.variant, default: [:]][row.concept, default: []].append((row.rank, row.neighbor))
        }
        return lists.mapValues { byConcept in
            byConcept.mapValues { $0.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: ", ") }
        }
    }
}
