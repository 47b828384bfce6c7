public import DriftCore
import Foundation

/// Uniform Manifold Approximation and Projection, as umap-learn defines it, on the CPU.
///
/// `fit` builds the fuzzy k-nearest-neighbour graph of the points, lays it out spectrally and optimises the layout
/// by SGD with negative sampling; the returned ``UMAPModel`` holds the coordinates and embeds new points with
/// ``UMAPModel/transform(_:progress:)``.
public struct UMAP: Sendable {
    /// The parameters of the fit.
    public var options: UMAPOptions

    /// A UMAP with the given parameters (umap-learn's defaults unless changed).
    public init(options: UMAPOptions = UMAPOptions()) {
        self.options = options
    }

    /// Embeds `data` (rows = points, columns = features).
    ///
    /// - Parameters:
    ///   - data: at least 4 points, all values finite. With fewer than `neighbors + 1` points the neighbourhood
    ///     shrinks to `points − 1`, as umap-learn does (see ``UMAPModel/neighbors``). Duplicate points are allowed
    ///     (they are at distance 0, as in umap-learn).
    ///   - progress: called on the calling thread as the fit advances (neighbours, graph, initialisation, epochs).
    /// - Returns: the fitted model; its ``UMAPModel/embedding`` is `points × dimensions`.
    /// - Throws: `DriftError` (`invalidArgument`) for bad options, too few points, or a NaN/infinite value.
    public func fit(_ data: Matrix, progress: ((UMAPProgress) -> Void)? = nil) throws -> UMAPModel {
        try options.validate()
        let n = data.rows
        guard data.columns >= 1 else { throw DriftError(.invalidArgument, "UMAP input has no columns") }
        guard n >= options.dimensions + 2, n >= 4 else {
            throw DriftError(
                .invalidArgument,
                "UMAP needs at least \(max(4, options.dimensions + 2)) points for a \(options.dimensions)-D embedding (got \(n))"
            )
        }
        try Self.checkFinite(data)
        let k = min(options.neighbors, n - 1)
        let prepared = PreparedPoints(data, metric: options.metric)
        var random = SeededRandom(seed: options.seed)

        // 1. Neighbours and the fuzzy simplicial set.
        let exact = n <= options.exactNeighborLimit
        progress?(.neighbors(points: n, exact: exact))
        let knn =
            exact
            ? ExactNeighborSearch.search(queries: prepared, reference: prepared, k: k, selfQueries: true)
            : NNDescent.search(prepared, k: k, seed: options.seed)
        let graph = Self.fuzzyGraph(knn, k: k, localConnectivity: Double(options.localConnectivity))
        progress?(.graph(edges: graph.entryCount))

        // 2. Pruning for the epoch schedule, and the initial layout.
        let defaultEpochs = n <= 10_000 ? 500 : 200
        let epochs = options.epochs ?? defaultEpochs
        var pruned = graph
        let maxWeight = graph.weights.max() ?? 0
        let threshold = maxWeight / Float(epochs > 10 ? epochs : defaultEpochs)
        for e in pruned.weights.indices where pruned.weights[e] < threshold { pruned.weights[e] = 0 }
        pruned.dropZeros()

        let dims = options.dimensions
        let initial = SpectralLayout.layout(
            graph: pruned, data: data, metric: options.metric, dimensions: dims, random: &random)
        progress?(.initialized(spectral: initial.spectral, components: initial.components))
        var coords = initial.coordinates
        // noisy_scale_coords: largest |coordinate| 10, plus N(0, 1e-4) noise.
        let largest = coords.reduce(Float(0)) { max($0, abs($1)) }
        let expansion: Float = largest > 0 ? 10 / largest : 1
        for i in coords.indices { coords[i] = coords[i] * expansion + Float(random.nextNormal() * 1e-4) }
        // Each coordinate rescaled to [0, 10].
        for t in 0..<dims {
            var lo = Float.infinity
            var hi = -Float.infinity
            for i in 0..<n {
                lo = min(lo, coords[i * dims + t])
                hi = max(hi, coords[i * dims + t])
            }
            let span = hi - lo
            for i in 0..<n { coords[i * dims + t] = span > 0 ? 10 * (coords[i * dims + t] - lo) / span : 0 }
        }

        // 3. SGD.
        let (heads, tails, weights) = Self.edges(of: pruned)
        let optimizer = LayoutOptimizer(
            heads: heads, tails: tails,
            epochsPerSample: LayoutOptimizer.epochsPerSample(weights: weights, epochs: epochs),
            curve: CurveParameters(minDistance: Double(options.minDistance), spread: Double(options.spread)),
            gamma: options.repulsionStrength, initialAlpha: options.learningRate,
            negativeSampleRate: options.negativeSampleRate, dimensions: dims, tailCount: n, moveOther: true)
        coords.withUnsafeMutableBufferPointer { c in
            guard let start = c.baseAddress else { return }  // no point
            optimizer.run(
                head: start, tail: start, epochs: epochs, seed: random.next(),
                parallel: !options.reproducible
            ) { done in progress?(.epoch(completed: done, total: epochs)) }
        }
        return UMAPModel(
            embedding: Matrix(rows: n, columns: dims, storage: coords), options: options, neighbors: k,
            curve: optimizer.curve, training: prepared, graph: graph, epochs: epochs)
    }

    /// umap-learn's `fuzzy_simplicial_set` from neighbours: smooth k-NN distances, memberships, fuzzy union.
    static func fuzzyGraph(_ knn: NeighborGraph, k: Int, localConnectivity: Double) -> FuzzyGraph {
        let (sigmas, rhos) = SmoothKNN.compute(knn, k: Double(k), localConnectivity: localConnectivity)
        let m = FuzzyGraph.memberships(knn, sigmas: sigmas, rhos: rhos, bipartite: false)
        return FuzzyGraph.fuzzyUnion(count: knn.count, rows: m.rows, cols: m.cols, values: m.values)
    }

    /// The graph's entries as edge lists in row-major order (as scipy's `tocoo`).
    static func edges(of graph: FuzzyGraph) -> (heads: [Int32], tails: [Int32], weights: [Float]) {
        var heads = [Int32](repeating: 0, count: graph.entryCount)
        for i in 0..<graph.rows {
            for e in graph.rowStart[i]..<graph.rowStart[i + 1] { heads[e] = Int32(i) }
        }
        return (heads, graph.columnIndex, graph.weights)
    }

    /// Throws if any value of `data` is NaN or infinite, naming the first.
    static func checkFinite(_ data: Matrix) throws {
        if let bad = data.storage.firstIndex(where: { !$0.isFinite }) {
            let value = data.storage[bad]
            throw DriftError(
                .invalidArgument,
                "UMAP input contains \(value.isNaN ? "NaN" : "an infinite value") at row \(bad / data.columns), column \(bad % data.columns); remove or impute it first"
            )
        }
    }
}
