public import DriftCore

/// The covariates the tool computes itself, and how each concept's value is found.
///
/// - `tokens`: the prompt's token count in the first variant of the pair (recorded at extraction; the template's
///   own tokens add the same constant to every concept, which no slope or test sees);
/// - `frequency`: a token-frequency proxy from the tokenizer (piece scores, merge ranks) — not recorded by this
///   version, so never available;
/// - `norm`: the raw vector's L2 norm in the first variant of the pair at that layer;
/// - `density`: the mean cosine similarity of the concept to its `k` nearest neighbours there (the k-NN of the
///   neighbourhood measures, similarities recomputed in double precision);
/// - `centroid`: the cosine distance of the concept to the mean vector of its category there.
public enum ConceptCovariates {
    /// The built-in covariates' names, in table order.
    public static let builtInNames = ["tokens", "frequency", "norm", "density", "centroid"]

    /// The L2 norm of every row.
    public static func norms(_ m: Matrix) -> [Double] {
        (0..<m.rows).map { i in row(m, i).reduce(0) { $0 + $1 * $1 }.squareRoot() }
    }

    /// The mean cosine similarity of every row to the rows `neighbors` lists for it.
    public static func density(_ m: Matrix, neighbors: NeighborSets) -> [Double] {
        let rows = (0..<m.rows).map { row(m, $0) }
        let norms = rows.map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        return (0..<m.rows).map { i in
            let list = neighbors.neighbors(of: i)
            var sum = 0.0
            for j in list { sum += cosine(rows[i], rows[j], norms[i], norms[j]) }
            return sum / Double(list.count)
        }
    }

    /// The cosine distance of every row to the mean of its category's rows.
    public static func centroidDistance(_ m: Matrix, categories: [String]) -> [Double] {
        var out = [Double](repeating: .nan, count: m.rows)
        for group in CategoryAnalysis.groups(categories) {
            var centre = [Double](repeating: 0, count: m.columns)
            for i in group.indices {
                for (c, v) in row(m, i).enumerated() { centre[c] += v }
            }
            for c in centre.indices { centre[c] /= Double(group.indices.count) }
            let centreNorm = centre.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in group.indices {
                let r = row(m, i)
                out[i] = 1 - cosine(r, centre, r.reduce(0) { $0 + $1 * $1 }.squareRoot(), centreNorm)
            }
        }
        return out
    }

    private static func row(_ m: Matrix, _ i: Int) -> [Double] {
        m.storage[(i * m.columns)..<((i + 1) * m.columns)].map(Double.init)
    }

    private static func cosine(_ a: [Double], _ b: [Double], _ na: Double, _ nb: Double) -> Double {
        guard na > 0, nb > 0 else { return 0 }
        var dot = 0.0
        for k in a.indices { dot += a[k] * b[k] }
        return dot / (na * nb)
    }
}
