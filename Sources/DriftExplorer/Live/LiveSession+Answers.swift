import DriftReport

extension LiveSession {
    /// `/api/concept/{term}` for a cached live term: its cosine distance and percentile for `pair` at `layer`, every
    /// pair at that layer and this pair at every layer; the table-only measures (centred, Procrustes, Jaccard,
    /// second-order, category rank) are absent.
    func concept(_ record: LiveRecord, pair: VariantPair, layer: Int) -> ExplorerAPI.Concept {
        func distance(_ a: String, _ b: String, _ l: Int) -> Double? {
            record.drift.first { $0.variantA == a && $0.variantB == b && $0.layer == l }?.cosineDistance
        }
        let d = distance(pair.a, pair.b, layer)
        return ExplorerAPI.Concept(
            term: record.term, category: Self.category, variantA: pair.a, variantB: pair.b, layer: layer,
            cosineDistance: d, centeredDistance: nil, procrustesDistance: nil, jaccard: nil, secondOrder: nil,
            percentile: percentile(d, a: pair.a, b: pair.b, layer: layer), categoryRank: 0, categorySize: 0,
            categorySummary: nil,
            pairs: pairs.map { p in
                let x = distance(p.a, p.b, layer)
                return ExplorerAPI.PairDrift(
                    variantA: p.a, variantB: p.b, cosineDistance: x,
                    percentile: percentile(x, a: p.a, b: p.b, layer: layer), jaccard: nil)
            },
            layers: layers.map { l in
                let x = distance(pair.a, pair.b, l)
                return ExplorerAPI.LayerDrift(
                    layer: l, cosineDistance: x, percentile: percentile(x, a: pair.a, b: pair.b, layer: l))
            },
            live: true, projection: projection(record))
    }

    /// `/api/neighbors/{term}` for a cached live term.
    func neighbors(_ record: LiveRecord, variant: String, k: Int?, layer: Int) -> ExplorerAPI.Neighbors {
        let stored = record.neighbors.first { $0.variant == variant && $0.layer == layer }
        let rows = stored?.rows ?? []
        let count = min(k ?? rows.count, rows.count)
        return ExplorerAPI.Neighbors(
            term: record.term, variant: variant, layer: layer, stored: rows.count,
            neighbors: (0..<count).map { r in
                let row = rows[r]
                return ExplorerAPI.Neighbor(
                    rank: r + 1, neighbor: data.concepts[row], category: data.categories[row],
                    similarity: finite(stored?.similarities[r] ?? .nan))
            })
    }

    /// `POST /api/embed`'s answer at `layer` with `k` neighbours per variant.
    func embedded(_ record: LiveRecord, cached: Bool, layer: Int, k: Int) -> ExplorerAPI.Embedded {
        let concept = concept(record, pair: pairs.first ?? VariantPair("", ""), layer: layer)
        return ExplorerAPI.Embedded(
            term: record.term, live: true, cached: cached, seconds: record.seconds, layer: layer,
            pairs: concept.pairs,
            neighbors: data.variants.map { v in
                ExplorerAPI.VariantNeighbors(
                    variant: v, neighbors: neighbors(record, variant: v, k: k, layer: layer).neighbors)
            },
            umap: projection(record))
    }

    /// `/api/outputs/{term}` for a cached live term (empty lists when its models have no LM head).
    func outputs(_ record: LiveRecord) -> ExplorerAPI.Outputs {
        record.outputs
            ?? ExplorerAPI.Outputs(
                term: record.term,
                variants: data.variants.map {
                    ExplorerAPI.VariantOutputs(variant: $0, nextTokenRows: [], lensRows: [])
                },
                pairs: [], live: true)
    }

    func projection(_ record: LiveRecord) -> [ExplorerAPI.UMAPVariant] {
        record.umap.map { ExplorerAPI.UMAPVariant(name: $0.variant, points: [$0.point]) }
    }
}
