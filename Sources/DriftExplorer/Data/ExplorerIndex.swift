import DriftAnalysis
package import DriftReport
import Foundation

/// The run directory's tables indexed for the explorer's queries; built once at start, read-only afterwards.
///
/// Every answer is a value of one of the `Codable` types in ``ExplorerAPI`` and comes straight from the run's tables
/// (`concept_drift`, `category_drift`, `neighbors`) and UMAP arrays: the explorer computes no measure itself.
package struct ExplorerIndex: Sendable {
    /// The run as the report reads it.
    package let data: ReportData
    /// Concept → row index.
    package let rowOf: [String: Int]
    /// Suggestions for unknown concepts.
    package let suggester: ConceptSuggester
    /// (pair, layer) → concept-drift row per concept row (nil when the table lacks it), and the category rank
    /// (1 = most drifted in its category) of each.
    private let drift: [GroupKey: Group]
    /// (variant, layer) → concept row → neighbours in rank order.
    private let neighbors: [NeighborKey: [Int: [NeighborRow]]]
    /// (pair, layer) → category → its row.
    private let categoryRows: [GroupKey: [String: CategoryDriftRow]]
    /// `data.pairs` and `data.layers`, computed once (each is a pass over the concept table).
    package let pairs: [VariantPair]
    package let layers: [Int]

    struct GroupKey: Hashable {
        var a: String
        var b: String
        var layer: Int
    }
    struct NeighborKey: Hashable {
        var variant: String
        var layer: Int
    }
    struct Group {
        var rows: [ConceptDriftRow?]
        var categoryRank: [Int]
        var categorySize: [Int]
    }

    /// Indexes `data`.
    package init(_ data: ReportData) {
        self.data = data
        pairs = data.pairs
        layers = data.layers
        var rowOf: [String: Int] = [:]
        for (i, c) in data.concepts.enumerated() where rowOf[c] == nil { rowOf[c] = i }
        self.rowOf = rowOf
        suggester = ConceptSuggester(data.concepts)
        var drift: [GroupKey: Group] = [:]
        let n = data.concepts.count
        for row in data.conceptDrift {
            guard let i = rowOf[row.concept] else { continue }
            let key = GroupKey(a: row.variantA, b: row.variantB, layer: row.layer)
            drift[key, default: Group(rows: .init(repeating: nil, count: n), categoryRank: [], categorySize: [])]
                .rows[i] = row
        }
        for key in Array(drift.keys) {
            guard var group = drift[key] else { continue }
            var byCategory: [String: [Int]] = [:]
            for (i, row) in group.rows.enumerated() {
                if let row { byCategory[row.category, default: []].append(i) }
            }
            group.categoryRank = .init(repeating: 0, count: n)
            group.categorySize = .init(repeating: 0, count: n)
            for members in byCategory.values {
                let sorted = members.sorted {
                    let x = group.rows[$0]?.cosineDistance ?? -.infinity
                    let y = group.rows[$1]?.cosineDistance ?? -.infinity
                    return x != y ? x > y : $0 < $1
                }
                for (rank, i) in sorted.enumerated() {
                    group.categoryRank[i] = rank + 1
                    group.categorySize[i] = members.count
                }
            }
            drift[key] = group
        }
        self.drift = drift
        var neighbors: [NeighborKey: [Int: [NeighborRow]]] = [:]
        for row in data.neighbors {
            guard let i = rowOf[row.concept] else { continue }
            neighbors[NeighborKey(variant: row.variant, layer: row.layer), default: [:]][i, default: []].append(row)
        }
        for key in Array(neighbors.keys) {
            neighbors[key] = neighbors[key]?.mapValues { $0.sorted { $0.rank < $1.rank } }
        }
        self.neighbors = neighbors
        var categoryRows: [GroupKey: [String: CategoryDriftRow]] = [:]
        for row in data.categoryDrift {
            categoryRows[GroupKey(a: row.variantA, b: row.variantB, layer: row.layer), default: [:]][row.category] = row
        }
        self.categoryRows = categoryRows
    }

    // MARK: - Queries

    /// `/api/run`.
    package func run() -> ExplorerAPI.Run {
        var counts: [String: Int] = [:]
        for c in data.categories { counts[c, default: 0] += 1 }
        // Examples: the most drifted concept of each category at the headline layer of the first pair.
        var examples: [String] = []
        if let first = pairs.first,
            let group = drift[GroupKey(a: first.a, b: first.b, layer: data.headlineLayer)]
        {
            var best: [String: (Double, Int)] = [:]
            for (i, row) in group.rows.enumerated() {
                guard let row, row.cosineDistance.isFinite else { continue }
                if let b = best[row.category], b.0 >= row.cosineDistance { continue }
                best[row.category] = (row.cosineDistance, i)
            }
            examples = best.values.sorted { $0.0 > $1.0 }.prefix(8).map { data.concepts[$0.1] }
        }
        return ExplorerAPI.Run(
            title: data.title, variants: data.variants, layers: layers, headlineLayer: data.headlineLayer,
            pairs: pairs.map { [$0.a, $0.b] },
            categories: data.categoryOrder.map { ExplorerAPI.CategoryCount(name: $0, n: counts[$0] ?? 0) },
            conceptCount: data.concepts.count, examples: examples, hasUMAP: !data.umap.isEmpty, live: false,
            notes: data.notes)
    }

    /// `/api/concepts`.
    package func concepts() -> ExplorerAPI.Concepts {
        ExplorerAPI.Concepts(
            concepts: zip(data.concepts, data.categories).map { ExplorerAPI.ConceptEntry(term: $0, category: $1) })
    }

    /// The row of `term`, or a 404 with suggestions.
    package func row(of term: String) throws(ExplorerAPI.Failure) -> Int {
        if let i = rowOf[term] { return i }
        throw ExplorerAPI.Failure(
            status: 404, error: "unknown concept \"\(term)\"", suggestions: suggester.suggestions(for: term))
    }

    /// The pair named by `pair` ("a,b"; default: the run's first pair), or a 400.
    package func pair(_ text: String?) throws(ExplorerAPI.Failure) -> VariantPair {
        guard let text, !text.isEmpty else {
            guard let first = pairs.first else {
                throw ExplorerAPI.Failure(status: 400, error: "the run has no variant pair")
            }
            return first
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let known = pairs.map { "\($0.a),\($0.b)" }.joined(separator: "; ")
        guard parts.count == 2, let pair = pairs.first(where: { $0.a == parts[0] && $0.b == parts[1] }) else {
            throw ExplorerAPI.Failure(
                status: 400, error: "pair must be two variants \"a,b\" of the run (it has: \(known)); got \"\(text)\"")
        }
        return pair
    }

    /// The layer named by `layer` (default: the headline layer), or a 400.
    package func layer(_ text: String?) throws(ExplorerAPI.Failure) -> Int {
        guard let text, !text.isEmpty else { return data.headlineLayer }
        guard let layer = Int(text), layers.contains(layer) else {
            throw ExplorerAPI.Failure(
                status: 400,
                error: "layer must be one of the run's layers (\(layers.map(String.init).joined(separator: ", "))); "
                    + "got \"\(text.prefix(40))\"")
        }
        return layer
    }

    /// The variant named `text`, or a 400.
    package func variant(_ text: String?) throws(ExplorerAPI.Failure) -> String {
        guard let text, data.variants.contains(text) else {
            throw ExplorerAPI.Failure(
                status: 400,
                error: "variant must be one of \(data.variants.joined(separator: ", ")); got \"\(text ?? "")\"")
        }
        return text
    }

    /// `/api/concept/{term}?pair=a,b&layer=L`.
    package func concept(_ term: String, pair: String?, layer: String?) throws(ExplorerAPI.Failure)
        -> ExplorerAPI.Concept
    {
        let i = try row(of: term)
        let pair = try self.pair(pair)
        let layer = try self.layer(layer)
        let key = GroupKey(a: pair.a, b: pair.b, layer: layer)
        guard let group = drift[key], let row = group.rows[i] else {
            throw ExplorerAPI.Failure(
                status: 404, error: "the concept table has no row for \"\(term)\" at \(pair.label), layer \(layer)")
        }
        let allPairs = pairs.compactMap { p -> ExplorerAPI.PairDrift? in
            guard let r = drift[GroupKey(a: p.a, b: p.b, layer: layer)]?.rows[i] else { return nil }
            return ExplorerAPI.PairDrift(
                variantA: p.a, variantB: p.b, cosineDistance: finite(r.cosineDistance),
                percentile: finite(r.percentile), jaccard: finite(r.jaccard))
        }
        let profile = layers.compactMap { l -> ExplorerAPI.LayerDrift? in
            guard let r = drift[GroupKey(a: pair.a, b: pair.b, layer: l)]?.rows[i] else { return nil }
            return ExplorerAPI.LayerDrift(
                layer: l, cosineDistance: finite(r.cosineDistance), percentile: finite(r.percentile))
        }
        let category = categoryRows[key]?[row.category].map {
            ExplorerAPI.CategorySummary(
                category: $0.category, n: $0.n, mean: finite($0.mean), ciLow: finite($0.ciLow),
                ciHigh: finite($0.ciHigh), median: finite($0.median), max: finite($0.max),
                topQuartileShare: finite($0.topQuartileShare))
        }
        var concept = ExplorerAPI.Concept(
            term: data.concepts[i], category: row.category, variantA: pair.a, variantB: pair.b, layer: layer,
            cosineDistance: finite(row.cosineDistance), centeredDistance: finite(row.centeredDistance),
            procrustesDistance: finite(row.procrustesDistance), jaccard: finite(row.jaccard),
            secondOrder: finite(row.secondOrder), percentile: finite(row.percentile),
            categoryRank: group.categoryRank[i], categorySize: group.categorySize[i], categorySummary: category,
            pairs: allPairs, layers: profile)
        if let values = data.covariates.values[CovariateReport.key(variant: pair.a, layer: layer)] {
            concept.covariates = data.covariates.names.compactMap { name in
                values[name].map { ExplorerAPI.CovariateValue(name: name, value: i < $0.count ? finite($0[i]) : nil) }
            }
        }
        return concept
    }

    /// `/api/categories?pair=a,b&layer=L`: every category's row of `tables/category_drift`, most drifted first.
    package func categories(pair: String?, layer: String?) throws(ExplorerAPI.Failure) -> ExplorerAPI.Categories {
        let pair = try self.pair(pair)
        let layer = try self.layer(layer)
        let rows = (categoryRows[GroupKey(a: pair.a, b: pair.b, layer: layer)] ?? [:]).values.sorted {
            ($0.mean.isFinite ? $0.mean : -.infinity, $1.category) > (
                $1.mean.isFinite ? $1.mean : -.infinity, $0.category
            )
        }
        return ExplorerAPI.Categories(
            variantA: pair.a, variantB: pair.b, layer: layer,
            categories: rows.map {
                ExplorerAPI.CategorySummary(
                    category: $0.category, n: $0.n, mean: finite($0.mean), ciLow: finite($0.ciLow),
                    ciHigh: finite($0.ciHigh), median: finite($0.median), max: finite($0.max),
                    topQuartileShare: finite($0.topQuartileShare))
            })
    }

    /// `/api/neighbors/{term}?variant=v&k=K&layer=L`.
    package func neighbors(_ term: String, variant: String?, k: String?, layer: String?) throws(ExplorerAPI.Failure)
        -> ExplorerAPI.Neighbors
    {
        let i = try row(of: term)
        let variant = try self.variant(variant)
        let layer = try self.layer(layer)
        let stored = neighbors[NeighborKey(variant: variant, layer: layer)]?[i] ?? []
        var count = stored.count
        if let k {
            guard let value = Int(k), value >= 1, value <= 1000 else {
                throw ExplorerAPI.Failure(
                    status: 400, error: "k must be an integer from 1 to 1000; got \"\(k.prefix(40))\"")
            }
            count = Swift.min(value, stored.count)
        }
        return ExplorerAPI.Neighbors(
            term: data.concepts[i], variant: variant, layer: layer, stored: stored.count,
            neighbors: stored.prefix(count).map {
                ExplorerAPI.Neighbor(
                    rank: $0.rank, neighbor: $0.neighbor,
                    category: rowOf[$0.neighbor].map { data.categories[$0] } ?? "",
                    similarity: finite($0.similarity))
            })
    }

    /// `/api/umap?variant=v` (every variant when `variant` is nil).
    package func umap(variant: String?) throws(ExplorerAPI.Failure) -> ExplorerAPI.UMAP {
        let names = try variant.map { v throws(ExplorerAPI.Failure) in [try self.variant(v)] } ?? data.variants
        return ExplorerAPI.UMAP(
            layer: data.headlineLayer, concepts: data.concepts, categories: data.categories,
            variants: names.compactMap { name in
                data.umap[name].map { points in
                    ExplorerAPI.UMAPVariant(name: name, points: points.map { [finite($0.x), finite($0.y)] })
                }
            })
    }
}

extension ExplorerIndex {
    /// `/api/outputs/{term}`: each variant's next tokens and logit lens and each pair's `tables/next_token` row, with
    /// its `tables/logit_lens_divergence` rows where the run has them.
    package func outputs(_ term: String) throws(ExplorerAPI.Failure) -> ExplorerAPI.Outputs {
        let i = try row(of: term)
        let term = data.concepts[i]
        let output = data.output
        return ExplorerAPI.Outputs(
            term: term,
            variants: data.variants.map { v in
                ExplorerAPI.VariantOutputs(
                    variant: v, nextTokenRows: output.nextTokens[v]?[term] ?? [], lensRows: output.lens[v]?[term] ?? [])
            },
            pairs: output.concepts.filter { $0.term == term }.map { row in
                let lens = (output.lensDivergence[term] ?? [])
                    .filter { $0.divergence.variantA == row.variantA && $0.divergence.variantB == row.variantB }
                    .sorted { $0.layer < $1.layer }
                    .map {
                        ExplorerAPI.LensDivergenceLayer(
                            layer: $0.layer, js: finite($0.divergence.js), top1Agree: $0.divergence.top1Agree == 1)
                    }
                return ExplorerAPI.PairOutput(
                    variantA: row.variantA, variantB: row.variantB, js: finite(row.js), klAb: finite(row.klAB),
                    klBa: finite(row.klBA), top1Agree: row.top1Agree == 1, top10Jaccard: finite(row.top10Jaccard),
                    lens: lens.isEmpty ? nil : lens)
            })
    }
}

/// A JSON number, or nil (null) for NaN and infinities.
func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
