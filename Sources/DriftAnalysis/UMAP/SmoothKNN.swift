import Foundation

/// umap-learn's smooth k-NN distances: per point the distance to the nearest neighbour (ρ) and the kernel width
/// (σ) for which the memberships `exp(−(d − ρ)/σ)` of the other neighbours sum to `log2(k)`.
enum SmoothKNN {
    /// Tolerance of the binary search on the membership sum (umap-learn `SMOOTH_K_TOLERANCE`).
    static let tolerance = 1e-5
    /// σ is never smaller than this fraction of the mean neighbour distance (umap-learn `MIN_K_DIST_SCALE`).
    static let minimumScale = 1e-3

    /// σ and ρ for each row of `graph` (distances ascending, first column the point itself or its nearest).
    ///
    /// - Parameters:
    ///   - k: the (possibly fractional) neighbour count whose `log2` is the target membership sum.
    ///   - localConnectivity: how many nearest neighbours are fully connected (ρ interpolates between them).
    ///   - iterations: maximum binary-search steps (umap-learn: 64).
    /// - Returns: `sigmas` and `rhos`, one per row.
    static func compute(
        _ graph: NeighborGraph, k: Double, localConnectivity: Double = 1, iterations: Int = 64
    ) -> (sigmas: [Float], rhos: [Float]) {
        let n = graph.count
        let width = graph.k
        let target = log2(k)
        var rhos = [Float](repeating: 0, count: n)
        var sigmas = [Float](repeating: 0, count: n)
        guard n > 0, width > 0 else { return (sigmas, rhos) }
        var total: Double = 0
        for v in graph.distances { total += Double(v) }
        let meanDistances = total / Double(graph.distances.count)
        let floatMax = Double(Float.greatestFiniteMagnitude)
        graph.distances.withUnsafeBufferPointer { dist in
            guard let start = dist.baseAddress else { return }  // no point
            for i in 0..<n {
                let row = start + i * width
                // ρ from the non-zero distances.
                var nonZero = 0
                var maxNonZero: Float = 0
                for j in 0..<width where row[j] > 0 {
                    nonZero += 1
                    maxNonZero = max(maxNonZero, row[j])
                }
                func nonZeroAt(_ m: Int) -> Float {
                    var seen = 0
                    for j in 0..<width where row[j] > 0 {
                        if seen == m { return row[j] }
                        seen += 1
                    }
                    return 0
                }
                var rho: Float = 0
                if Double(nonZero) >= localConnectivity {
                    let index = Int(localConnectivity.rounded(.down))
                    let interpolation = localConnectivity - Double(index)
                    if index > 0 {
                        rho = nonZeroAt(index - 1)
                        if interpolation > tolerance {
                            rho += Float(interpolation) * (nonZeroAt(index) - nonZeroAt(index - 1))
                        }
                    } else {
                        rho = Float(interpolation) * nonZeroAt(0)
                    }
                } else if nonZero > 0 {
                    rho = maxNonZero
                }
                rhos[i] = rho

                // σ by bisection (doubling while no upper bound is known).
                var lo = 0.0
                var hi = floatMax
                var mid = 1.0
                for _ in 0..<iterations {
                    var psum = 0.0
                    for j in 1..<width {
                        let dd = Double(row[j] - rho)
                        psum += dd > 0 ? exp(-(dd / mid)) : 1
                    }
                    if abs(psum - target) < tolerance { break }
                    if psum > target {
                        hi = mid
                        mid = (lo + hi) / 2
                    } else {
                        lo = mid
                        if hi >= floatMax { mid *= 2 } else { mid = (lo + hi) / 2 }
                    }
                }
                var sigma = Float(mid)
                if rho > 0 {
                    var s = 0.0
                    for j in 0..<width { s += Double(row[j]) }
                    let floor = Float(minimumScale * s / Double(width))
                    if sigma < floor { sigma = floor }
                } else {
                    let floor = Float(minimumScale * meanDistances)
                    if sigma < floor { sigma = floor }
                }
                sigmas[i] = sigma
            }
        }
        return (sigmas, rhos)
    }
}
