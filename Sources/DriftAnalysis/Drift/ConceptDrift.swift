public import DriftCore

/// Per-concept drift between two variants of the same concept list (rows = concepts, columns = dimensions).
public enum ConceptDrift {
    /// Cosine distance `1 − cos(a_i, b_i)` of every concept, in [0, 2]; `rows` values.
    ///
    /// Rows need not be normalised. A zero row counts as cosine 0 (distance 1), as scikit-learn's `normalize` does.
    /// - Throws: ``DriftError`` when the shapes differ or a value is not finite.
    public static func cosineDistances(_ a: Matrix, _ b: Matrix) throws -> [Double] {
        try DriftInput.validatePair(a, b)
        return RowGeometry.rowCosineDistances(a, b)
    }

    /// Cosine distance after subtracting each variant's own mean vector (removes the shared direction).
    ///
    /// - Throws: ``DriftError`` when the shapes differ or a value is not finite.
    public static func centeredDistances(_ a: Matrix, _ b: Matrix) throws -> [Double] {
        try DriftInput.validatePair(a, b)
        let ca = RowGeometry.centered(a, mean: RowGeometry.columnMeans(a))
        let cb = RowGeometry.centered(b, mean: RowGeometry.columnMeans(b))
        return RowGeometry.rowCosineDistances(ca, cb)
    }

    /// Percentile rank of every value in 0…100, higher = more drift: the average rank of ties divided by the count,
    /// times 100 (pandas `rank(pct=True) * 100`, the reference study's `drift_percentile`).
    public static func percentileRanks(_ values: [Double]) -> [Double] {
        let n = values.count
        guard n > 0 else { return [] }
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: n)
        var start = 0
        while start < n {
            var end = start + 1
            while end < n, values[order[end]] == values[order[start]] { end += 1 }
            let averageRank = Double(start + 1 + end) / 2
            for i in start..<end { ranks[order[i]] = averageRank / Double(n) * 100 }
            start = end
        }
        return ranks
    }

    /// Mean pairwise cosine similarity of distinct rows (anisotropy).
    ///
    /// Near 0 for isotropic embeddings, near 1 when one shared direction dominates. Exact, from `‖Σ uᵢ‖²` of the unit
    /// rows, so O(rows × columns) rather than all pairs.
    ///
    /// - Throws: ``DriftError`` when there are fewer than two rows or a value is not finite.
    public static func anisotropy(_ m: Matrix) throws -> Double {
        try DriftInput.validate(m, name: "embeddings")
        guard m.rows >= 2 else {
            throw DriftError(.invalidArgument, "anisotropy needs at least two concepts, got \(m.rows)")
        }
        let norms = RowGeometry.norms(m)
        var sum = [Double](repeating: 0, count: m.columns)
        var selfSimilarity = 0.0
        m.storage.withUnsafeBufferPointer { x in
            for r in 0..<m.rows where norms[r] > 0 {
                let scale = 1 / norms[r]
                for c in 0..<m.columns { sum[c] += Double(x[r * m.columns + c]) * scale }
                selfSimilarity += 1
            }
        }
        let total = sum.reduce(0) { $0 + $1 * $1 }
        let n = Double(m.rows)
        return (total - selfSimilarity) / (n * (n - 1))
    }
}
