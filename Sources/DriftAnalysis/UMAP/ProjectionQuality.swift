public import DriftCore
import Foundation

/// How faithfully a low-dimensional projection keeps the neighbourhoods of the original points.
public enum ProjectionQuality {
    /// scikit-learn's `trustworthiness`: 1 minus the normalised penalty for points that are among a point's `k`
    /// nearest neighbours in the projection but not in the original space (penalty = their original rank − k).
    ///
    /// - Parameters:
    ///   - original: `points × features`, compared under `metric`.
    ///   - embedded: `points × dimensions`, compared by euclidean distance.
    ///   - k: neighbourhood size; `k < points / 2`.
    /// - Returns: a value in [0, 1]; 1 means every projected neighbourhood is an original one. O(points² log points).
    public static func trustworthiness(original: Matrix, embedded: Matrix, k: Int, metric: UMAPMetric) -> Double {
        let n = original.rows
        guard n == embedded.rows, k >= 1, n > 2 * k + 1 else { return .nan }
        let x = PreparedPoints(original, metric: metric)
        let y = PreparedPoints(embedded, metric: .euclidean)
        let projected = ExactNeighborSearch.search(queries: y, reference: y, k: k + 1, selfQueries: true)
        var penalties = [Double](repeating: 0, count: n)
        penalties.withUnsafeMutableBufferPointer { pen in
            guard let start = pen.baseAddress else { return }  // no point
            let out = UncheckedPointer(start)
            Parallel.forEachChunk(n, minimumChunk: 16) { chunk in
                var dist = [Float](repeating: 0, count: n)
                var order = [Int32](repeating: 0, count: n)
                var rank = [Int32](repeating: 0, count: n)
                for i in chunk {
                    for j in 0..<n { dist[j] = j == i ? .infinity : x.distance(i, to: j, in: x) }
                    for j in 0..<n { order[j] = Int32(j) }
                    order.sort { dist[Int($0)] != dist[Int($1)] ? dist[Int($0)] < dist[Int($1)] : $0 < $1 }
                    for (r, j) in order.enumerated() { rank[Int(j)] = Int32(r + 1) }
                    var t = 0.0
                    for c in 1...k {
                        let j = Int(projected.indices[i * (k + 1) + c])
                        guard j >= 0 else { continue }
                        let excess = Int(rank[j]) - k
                        if excess > 0 { t += Double(excess) }
                    }
                    out.pointer[i] = t
                }
            }
        }
        let total = penalties.reduce(0, +)
        let nd = Double(n)
        let kd = Double(k)
        return 1 - total * (2 / (nd * kd * (2 * nd - 3 * kd - 1)))
    }

    /// The mean fraction of each point's `k` nearest original neighbours (under `metric`) that are also among its
    /// `k` nearest neighbours in the projection (euclidean).
    public static func neighborPreservation(original: Matrix, embedded: Matrix, k: Int, metric: UMAPMetric) -> Double {
        let n = original.rows
        guard n == embedded.rows, k >= 1, n > k else { return .nan }
        let x = PreparedPoints(original, metric: metric)
        let y = PreparedPoints(embedded, metric: .euclidean)
        let a = ExactNeighborSearch.search(queries: x, reference: x, k: k + 1, selfQueries: true)
        let b = ExactNeighborSearch.search(queries: y, reference: y, k: k + 1, selfQueries: true)
        var kept = 0
        for i in 0..<n {
            let s = Set(a.indices[(i * (k + 1) + 1)..<((i + 1) * (k + 1))])
            for c in 1...k where s.contains(b.indices[i * (k + 1) + c]) { kept += 1 }
        }
        return Double(kept) / Double(n * k)
    }
}
