import DriftAnalysis

/// The report of a run: every figure, and the page that holds them with the tables.
public struct Report: Sendable {
    /// The data shown.
    public var data: ReportData
    /// Bars in the top-N charts.
    public var topCount: Int
    /// Concepts shown in the neighbourhood-change figure of each pair.
    public var neighborhoodCount: Int

    /// Creates a report of `data`.
    public init(data: ReportData, topCount: Int = 30, neighborhoodCount: Int = 4) {
        self.data = data
        self.topCount = topCount
        self.neighborhoodCount = neighborhoodCount
    }

    /// The run-wide figures (UMAPs, CKA, layer and time profile), in page order, and notes on those left out.
    public func runFigures() -> (figures: [Figure], notes: [String]) {
        var figures: [Figure] = []
        var notes: [String] = []
        if let f = UMAPChart.figure(data, coloring: .trajectories),
            let g = UMAPChart.figure(data, coloring: .categories)
        {
            figures += [f, g]
        } else {
            notes.append(
                "No UMAP figures: the run has no umap_<variant>.npy for every variant with one row per concept "
                    + "(run `embedding-drift analyze` with UMAP enabled).")
        }
        if let f = CKAHeatmap.figure(data) {
            figures.append(f)
        } else {
            notes.append("No CKA heatmap: the run has fewer than two variants.")
        }
        if let f = LayerProfileChart.figure(global: data.global, pairs: data.pairs) {
            figures.append(f)
        } else {
            notes.append("No layer profile: tables/global has fewer than two layers.")
        }
        if let f = TimeProfileChart.figure(data) {
            figures.append(f)
        } else {
            notes.append(
                "No time profile: it needs three or more ordered variants (this run has \(data.variants.count)).")
        }
        return (figures, notes)
    }

    /// The figures of one variant pair, in page order.
    public func pairFigures(_ pair: VariantPair) -> [Figure] {
        let rows = data.conceptRows(pair)
        let color = { (c: String) in data.color(ofCategory: c) }
        var figures = [
            TopDriftChart.figure(
                pair: pair, rows: rows, layer: data.headlineLayer, count: topCount, categoryColor: color),
            CategoryMeanChart.figure(
                pair: pair,
                rows: data.categoryDrift.filter {
                    $0.layer == data.headlineLayer && $0.variantA == pair.a && $0.variantB == pair.b
                },
                layer: data.headlineLayer, categoryColor: color),
            CategoryDistributionChart.figure(pair: pair, rows: rows, layer: data.headlineLayer, categoryColor: color),
        ]
        let selected = rows.filter { $0.cosineDistance.isFinite }
            .sorted {
                $0.cosineDistance != $1.cosineDistance ? $0.cosineDistance > $1.cosineDistance : $0.concept < $1.concept
            }
            .prefix(neighborhoodCount).map(\.concept)
        if let f = NeighborhoodChart.figure(data, pair: pair, concepts: selected) { figures.append(f) }
        // The output beside the representation, against the drift of the last layer (what ρ is computed on).
        let last = data.layers.last ?? data.headlineLayer
        if let f = DriftOutputChart.figure(
            pair: pair,
            drift: data.conceptDrift.filter { $0.layer == last && $0.variantA == pair.a && $0.variantB == pair.b },
            output: data.output.conceptRows(pair), summary: data.output.summary(pair), layer: last,
            categoryColor: color)
        {
            figures.append(f)
            figures.append(
                CategoryMeanChart.figure(pair: pair, output: data.output.categoryRows(pair), categoryColor: color))
        }
        return figures
    }

    /// Every figure: run-wide first, then each pair's.
    public func allFigures() -> [Figure] {
        runFigures().figures + data.pairs.flatMap(pairFigures)
    }
}
