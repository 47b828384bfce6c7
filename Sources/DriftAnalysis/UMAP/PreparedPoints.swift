import DriftCore

/// Input vectors in the form the neighbour search needs: unit rows for cosine, raw rows plus squared norms for
/// euclidean.
///
/// `count × dimension`, row-major.
struct PreparedPoints: Sendable {
    /// Number of points.
    var count: Int
    /// Length of every vector.
    var dimension: Int
    /// The vectors (normalised to unit length for cosine; zero vectors stay zero).
    var vectors: [Float]
    /// For euclidean: ‖x‖²; for cosine: 1 for a non-zero vector, 0 for a zero vector.
    var norms: [Float]
    /// The metric the preparation is for.
    var metric: UMAPMetric

    /// Prepares `data` (rows = points) for `metric`.
    init(_ data: Matrix, metric: UMAPMetric) {
        count = data.rows
        dimension = data.columns
        self.metric = metric
        var vectors = data.storage
        var norms = [Float](repeating: 0, count: data.rows)
        let d = data.columns
        vectors.withUnsafeMutableBufferPointer { v in
            norms.withUnsafeMutableBufferPointer { nrm in
                for i in 0..<data.rows {
                    var s: Double = 0
                    for j in 0..<d {
                        let x = Double(v[i * d + j])
                        s += x * x
                    }
                    switch metric {
                    case .euclidean:
                        nrm[i] = Float(s)
                    case .cosine:
                        if s > 0 {
                            let inv = Float(1 / s.squareRoot())
                            for j in 0..<d { v[i * d + j] *= inv }
                            nrm[i] = 1
                        }
                    }
                }
            }
        }
        self.vectors = vectors
        self.norms = norms
    }

    /// The distance between point `i` of `self` and point `j` of `other`, computed directly in `Double`.
    @inline(__always)
    func distance(_ i: Int, to j: Int, in other: PreparedPoints) -> Float {
        let d = dimension
        return vectors.withUnsafeBufferPointer { a in
            other.vectors.withUnsafeBufferPointer { b in
                guard let aBase = a.baseAddress, let bBase = b.baseAddress else { return .infinity }
                let pa = aBase + i * d
                let pb = bBase + j * d
                switch metric {
                case .euclidean:
                    var s: Double = 0
                    for t in 0..<d {
                        let diff = pa[t] - pb[t]
                        s += Double(diff * diff)
                    }
                    return Float(s.squareRoot())
                case .cosine:
                    let ni = norms[i]
                    let nj = other.norms[j]
                    if ni == 0 && nj == 0 { return 0 }
                    if ni == 0 || nj == 0 { return 1 }
                    var s: Double = 0
                    for t in 0..<d { s += Double(pa[t]) * Double(pb[t]) }
                    return Float(max(0, 1 - s))
                }
            }
        }
    }
}
