import DriftCore
import Foundation

/// umap-learn's spectral initialisation: the eigenvectors of the normalised graph Laplacian with the smallest
/// non-zero eigenvalues, laid out per connected component when the graph is disconnected.
enum SpectralLayout {
    /// The outcome of an initial layout.
    struct Result {
        /// `count × dimensions` coordinates, row-major.
        var coordinates: [Float]
        /// Whether every part came from eigenvectors (false when umap-learn's random fallback was used).
        var spectral: Bool
        /// Number of connected components of the graph.
        var components: Int
    }

    /// Connected components of a symmetric graph: a label per vertex (0-based, in order of first vertex) and the count.
    static func components(of graph: FuzzyGraph) -> (labels: [Int], count: Int) {
        var labels = [Int](repeating: -1, count: graph.rows)
        var count = 0
        var stack = [Int]()
        for s in 0..<graph.rows where labels[s] < 0 {
            labels[s] = count
            stack.append(s)
            while let v = stack.popLast() {
                for e in graph.rowStart[v]..<graph.rowStart[v + 1] {
                    let u = Int(graph.columnIndex[e])
                    if labels[u] < 0 {
                        labels[u] = count
                        stack.append(u)
                    }
                }
            }
            count += 1
        }
        return (labels, count)
    }

    /// The spectral layout of `graph` in `dimensions` dimensions (umap-learn `spectral_layout`).
    ///
    /// - Parameters:
    ///   - data: the input points (`graph.rows × features`), used to place disconnected components by their centroids.
    static func layout(
        graph: FuzzyGraph, data: Matrix, metric: UMAPMetric, dimensions: Int, random: inout SeededRandom
    ) -> Result {
        let (labels, count) = components(of: graph)
        if count == 1 {
            if let coords = connectedLayout(graph: graph, dimensions: dimensions, random: &random) {
                return Result(coordinates: coords, spectral: true, components: 1)
            }
            var coords = [Float](repeating: 0, count: graph.rows * dimensions)
            for i in coords.indices { coords[i] = Float(random.nextDouble() * 20 - 10) }
            return Result(coordinates: coords, spectral: false, components: 1)
        }
        return multiComponentLayout(
            graph: graph, data: data, metric: metric, labels: labels, count: count, dimensions: dimensions,
            random: &random)
    }

    /// Eigenvectors 2…dimensions+1 of `I − D^{−1/2} W D^{−1/2}` for a connected graph, or nil if the solver failed.
    ///
    /// When the Lanczos iteration has not reached the tolerance (residual 1e-4) within its steps, the Ritz vectors
    /// are used all the same, where umap-learn (ARPACK) would fall back to a random layout: they already span the
    /// graph's smoothest directions and start the optimisation better than noise.
    static func connectedLayout(graph: FuzzyGraph, dimensions: Int, random: inout SeededRandom) -> [Float]? {
        let n = graph.rows
        guard n > dimensions + 1 else { return nil }
        var degree = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for e in graph.rowStart[i]..<graph.rowStart[i + 1] { degree[i] += Double(graph.weights[e]) }
        }
        var invSqrt = [Float](repeating: 0, count: n)
        var trivial = [Float](repeating: 0, count: n)
        var norm = 0.0
        for i in 0..<n { norm += degree[i] }
        norm = norm.squareRoot()
        for i in 0..<n {
            let s = degree[i].squareRoot()
            invSqrt[i] = s > 0 ? Float(1 / s) : 0
            trivial[i] = Float(s / norm)
        }
        // Krylov dimension: 2√n steps (ARPACK's ncv is √n, restarted), at most 300, and the basis within 256 MiB.
        // The smallest eigenvalues of I − M are the largest of M = D^{−1/2} W D^{−1/2}; M's top eigenvector is
        // √degree (eigenvalue 1), deflated explicitly. Shifting by I keeps the spectrum in [0, 2].
        var start = [Float](repeating: 0, count: n)
        for i in 0..<n { start[i] = Float(random.nextNormal()) }
        let rowStart = graph.rowStart
        let cols = graph.columnIndex
        let weights = graph.weights
        let (values, vectors, _) = UMAPEigen.lanczosLargest(
            n: n, wanted: dimensions, deflate: [trivial], start: start, tolerance: 1e-4,
            maxSteps: min(
                max(4 * dimensions + 40, Int(Double(n).squareRoot()) * 2), 300, max(4 * dimensions + 40, (1 << 26) / n))
        ) { x, y in
            for i in 0..<n {
                var s: Float = 0
                for e in rowStart[i]..<rowStart[i + 1] {
                    let j = Int(cols[e])
                    s += weights[e] * invSqrt[j] * x[j]
                }
                y[i] = x[i] + invSqrt[i] * s
            }
        }
        guard values.count == dimensions, vectors.allSatisfy({ $0.isFinite }) else { return nil }
        return vectors
    }

    /// umap-learn's `multi_component_layout`: components placed on a meta-layout, each laid out spectrally within
    /// half the distance to its nearest neighbour component (random when too small).
    private static func multiComponentLayout(
        graph: FuzzyGraph, data: Matrix, metric: UMAPMetric, labels: [Int], count: Int, dimensions: Int,
        random: inout SeededRandom
    ) -> Result {
        let n = graph.rows
        var meta = [Double](repeating: 0, count: count * dimensions)
        if count > 2 * dimensions {
            meta = componentCentroidLayout(
                data: data, metric: metric, labels: labels, count: count, dimensions: dimensions)
        } else {
            let k = (count + 1) / 2
            for c in 0..<count {
                let axis = c % k
                meta[c * dimensions + axis] = c < k ? 1 : -1
            }
        }
        var members = [[Int]](repeating: [], count: count)
        for i in 0..<n { members[labels[i]].append(i) }
        var coords = [Float](repeating: 0, count: n * dimensions)
        var allSpectral = true
        for c in 0..<count {
            var nearest = Double.infinity
            for o in 0..<count where o != c {
                var s = 0.0
                for t in 0..<dimensions {
                    let diff = meta[c * dimensions + t] - meta[o * dimensions + t]
                    s += diff * diff
                }
                if s > 0 { nearest = min(nearest, s.squareRoot()) }
            }
            let range = nearest.isFinite ? nearest / 2 : 1
            let idx = members[c]
            var placed: [Float]? = nil
            if !(idx.count < 2 * dimensions || idx.count <= dimensions + 1) {
                let sub = subgraph(graph, vertices: idx)
                placed = connectedLayout(graph: sub, dimensions: dimensions, random: &random)
                if placed == nil { allSpectral = false }
                if var p = placed {
                    let m = p.reduce(Float(0)) { max($0, abs($1)) }
                    let expansion = m > 0 ? Float(range) / m : 0
                    for t in p.indices { p[t] *= expansion }
                    placed = p
                } else {
                    var p = [Float](repeating: 0, count: idx.count * dimensions)
                    for t in p.indices { p[t] = Float(random.nextDouble() * 20 - 10) }
                    placed = p
                }
            }
            for (r, i) in idx.enumerated() {
                for t in 0..<dimensions {
                    let base = meta[c * dimensions + t]
                    let v: Double
                    if let placed {
                        v = Double(placed[r * dimensions + t])
                    } else {
                        v = (random.nextDouble() * 2 - 1) * range
                    }
                    coords[i * dimensions + t] = Float(v + base)
                }
            }
        }
        return Result(coordinates: coords, spectral: allSpectral, components: count)
    }

    /// The induced subgraph on `vertices` (renumbered in the given order).
    private static func subgraph(_ graph: FuzzyGraph, vertices: [Int]) -> FuzzyGraph {
        var newIndex = [Int: Int32]()
        for (r, v) in vertices.enumerated() { newIndex[v] = Int32(r) }
        var rowStart = [0]
        var cols = [Int32]()
        var w = [Float]()
        for v in vertices {
            for e in graph.rowStart[v]..<graph.rowStart[v + 1] {
                if let j = newIndex[Int(graph.columnIndex[e])] {
                    cols.append(j)
                    w.append(graph.weights[e])
                }
            }
            rowStart.append(cols.count)
        }
        return FuzzyGraph(
            rows: vertices.count, columns: vertices.count, rowStart: rowStart, columnIndex: cols, weights: w)
    }

    /// umap-learn's `component_layout`: a spectral embedding of the component centroids under the affinity
    /// `exp(−d²)`, scaled so its largest coordinate is 1.
    private static func componentCentroidLayout(
        data: Matrix, metric: UMAPMetric, labels: [Int], count: Int, dimensions: Int
    ) -> [Double] {
        let f = data.columns
        var centroids = Matrix(rows: count, columns: f)
        var sizes = [Int](repeating: 0, count: count)
        for i in 0..<data.rows {
            sizes[labels[i]] += 1
            for t in 0..<f { centroids[labels[i], t] += data[i, t] }
        }
        for c in 0..<count { for t in 0..<f { centroids[c, t] /= Float(max(1, sizes[c])) } }
        let prepared = PreparedPoints(centroids, metric: metric)
        var affinity = [Double](repeating: 0, count: count * count)
        var degree = [Double](repeating: 0, count: count)
        for a in 0..<count {
            for b in 0..<count where a != b {
                let d = Double(prepared.distance(a, to: b, in: prepared))
                affinity[a * count + b] = exp(-d * d)
                degree[a] += affinity[a * count + b]
            }
        }
        for a in 0..<count {
            for b in 0..<count {
                let s = (degree[a] * degree[b]).squareRoot()
                affinity[a * count + b] = s > 0 ? affinity[a * count + b] / s : 0
            }
        }
        let (_, vectors) = UMAPEigen.symmetric(affinity, n: count)
        var meta = [Double](repeating: 0, count: count * dimensions)
        var largest = 0.0
        for t in 0..<dimensions where t + 1 < count {
            // Deterministic sign: the entry of largest magnitude is positive (as scikit-learn).
            var pivot = 0.0
            for c in 0..<count where abs(vectors[c * count + t + 1]) > abs(pivot) { pivot = vectors[c * count + t + 1] }
            let sign = pivot < 0 ? -1.0 : 1.0
            for c in 0..<count {
                let dd = degree[c].squareRoot()
                let v = sign * vectors[c * count + t + 1] / (dd > 0 ? dd : 1)
                meta[c * dimensions + t] = v
                largest = max(largest, v)
            }
        }
        if largest > 0 { for i in meta.indices { meta[i] /= largest } }
        return meta
    }
}
