public import DriftCore
import Foundation

/// A fitted UMAP: the coordinates of the training points and what is needed to embed new points beside them.
public struct UMAPModel: Sendable {
    /// The coordinates, `points × dimensions` (row i = input row i).
    public let embedding: Matrix
    /// The parameters of the fit.
    public let options: UMAPOptions
    /// The neighbourhood size used (`options.neighbors`, or `points − 1` when the data was smaller).
    public let neighbors: Int
    /// The fitted curve parameters `a`, `b`.
    public let curve: CurveParameters
    /// The training points as prepared for neighbour search.
    let training: PreparedPoints
    /// The fuzzy graph before pruning (umap-learn `graph_`); nil for a model rebuilt from stored coordinates
    /// (``init(storedEmbedding:training:options:)``), since ``transform(_:progress:)`` does not use it.
    let graph: FuzzyGraph?
    /// Epochs the fit ran.
    public let epochs: Int

    /// Embeds new points into this embedding (umap-learn `transform`).
    ///
    /// Each new point's neighbours among the training points get memberships (local connectivity one less than the
    /// fit's); it starts at their membership-weighted mean (or on a training point it duplicates) and is optimised for
    /// `epochs / 3` epochs (100, or 30 beyond 10,000 new points, when the fit used the default), training points fixed.
    ///
    /// - Parameter data: rows = new points, columns = the training data's features.
    /// - Returns: `rows × dimensions` coordinates. A point with no neighbour within the metric's disconnection
    ///   distance gets NaN coordinates, as in umap-learn.
    /// - Throws: `DriftError` (`invalidArgument`) for a column-count mismatch or a NaN/infinite value.
    public func transform(_ data: Matrix, progress: ((UMAPProgress) -> Void)? = nil) throws -> Matrix {
        guard data.columns == training.dimension else {
            throw DriftError(
                .invalidArgument,
                "points to transform have \(data.columns) columns, the fitted data had \(training.dimension)")
        }
        let m = data.rows
        let dims = embedding.columns
        guard m > 0 else { return Matrix(rows: 0, columns: dims) }
        try UMAP.checkFinite(data)
        let queries = PreparedPoints(data, metric: options.metric)
        progress?(.neighbors(points: m, exact: true))
        let knn = ExactNeighborSearch.search(queries: queries, reference: training, k: neighbors, selfQueries: false)
        let (sigmas, rhos) = SmoothKNN.compute(
            knn, k: Double(neighbors), localConnectivity: max(0, Double(options.localConnectivity) - 1))
        let coo = FuzzyGraph.memberships(knn, sigmas: sigmas, rhos: rhos, bipartite: true)
        progress?(.graph(edges: coo.values.count))

        // Initial positions: weighted mean of the neighbours' coordinates (a membership of 1 copies that point).
        var result = [Float](repeating: 0, count: m * dims)
        var e = 0
        for i in 0..<m {
            var sum: Float = 0
            var s = e
            while s < coo.rows.count && coo.rows[s] == Int32(i) {
                sum += coo.values[s]
                s += 1
            }
            if sum == 0 {
                for t in 0..<dims { result[i * dims + t] = .nan }
            } else {
                for p in e..<s where coo.values[p] != 0 {
                    let j = Int(coo.cols[p])
                    if coo.values[p] == 1 {
                        for t in 0..<dims { result[i * dims + t] = embedding[j, t] }
                        break
                    }
                    for t in 0..<dims { result[i * dims + t] += coo.values[p] / sum * embedding[j, t] }
                }
            }
            e = s
        }

        let epochs = max(1, options.epochs.map { $0 / 3 } ?? (m <= 10_000 ? 100 : 30))
        let maxWeight = coo.values.max() ?? 0
        var heads = [Int32]()
        var tails = [Int32]()
        var weights = [Float]()
        for p in coo.values.indices where coo.values[p] >= maxWeight / Float(epochs) && coo.values[p] > 0 {
            heads.append(coo.rows[p])
            tails.append(coo.cols[p])
            weights.append(coo.values[p])
        }
        var tail = embedding.storage
        var random = SeededRandom(seed: options.seed, stream: 0x7A4)
        let optimizer = LayoutOptimizer(
            heads: heads, tails: tails,
            epochsPerSample: LayoutOptimizer.epochsPerSample(weights: weights, epochs: epochs), curve: curve,
            gamma: options.repulsionStrength, initialAlpha: options.learningRate / 4,
            negativeSampleRate: options.negativeSampleRate, dimensions: dims, tailCount: training.count,
            moveOther: false)
        result.withUnsafeMutableBufferPointer { r in
            tail.withUnsafeMutableBufferPointer { t in
                guard let head = r.baseAddress, let tail = t.baseAddress else { return }  // no point
                optimizer.run(
                    head: head, tail: tail, epochs: epochs, seed: random.next(),
                    parallel: !options.reproducible
                ) { done in progress?(.epoch(completed: done, total: epochs)) }
            }
        }
        return Matrix(rows: m, columns: dims, storage: result)
    }
}
