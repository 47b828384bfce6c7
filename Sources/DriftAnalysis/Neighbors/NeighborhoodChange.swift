public import DriftCore
import Foundation

/// How each concept's neighbourhood changes between two variants.
///
/// Jaccard overlap, its chance level, Hamilton et al.'s second-order measure, and the mutual k-NN alignment of
/// Huh et al. (2024).
public enum NeighborhoodChange {
    /// Jaccard overlap `|A ∩ B| / |A ∪ B|` of every concept's two k-NN sets, in [0, 1]; `count` values.
    ///
    /// - Throws: ``DriftError`` when the sets describe different concept counts or different `k`.
    public static func jaccard(_ a: NeighborSets, _ b: NeighborSets) throws -> [Double] {
        try check(a, b)
        return (0..<a.count).map { i in
            let shared = Double(sharedCount(a.neighbors(of: i), b.neighbors(of: i)))
            return shared / (2 * Double(a.k) - shared)
        }
    }

    /// Mutual k-NN alignment, the mean over concepts of `|A ∩ B| / k`, in [0, 1].
    ///
    /// As defined by Huh et al. (2024), the platonic representation hypothesis.
    /// Works across different widths, as each set comes from its own space.
    public static func mutualNearestNeighborAlignment(_ a: NeighborSets, _ b: NeighborSets) throws -> Double {
        try check(a, b)
        var total = 0
        for i in 0..<a.count { total += sharedCount(a.neighbors(of: i), b.neighbors(of: i)) }
        return Double(total) / Double(a.count * a.k)
    }

    /// The Jaccard overlap expected by chance for this number of concepts and `k`.
    ///
    /// Two independent uniformly random k-subsets of the `concepts − 1` other concepts overlap by
    /// `Σₓ P(x) · x / (2k − x)` on average, `x` hypergeometric. Jaccard values near it mean "no shared structure".
    ///
    /// - Throws: ``DriftError`` when `k` is out of range.
    public static func chanceJaccard(concepts: Int, k: Int) throws -> Double {
        try DriftInput.validateNeighborCount(k, concepts: concepts)
        let population = concepts - 1
        func logChoose(_ n: Int, _ r: Int) -> Double {
            lgamma(Double(n + 1)) - lgamma(Double(r + 1)) - lgamma(Double(n - r + 1))
        }
        let logTotal = logChoose(population, k)
        var expectation = 0.0
        for x in max(0, 2 * k - population)...k {
            let p = (logChoose(k, x) + logChoose(population - k, k - x) - logTotal)
            expectation += Foundation.exp(p) * Double(x) / Double(2 * k - x)
        }
        return expectation
    }

    /// The second-order local neighbourhood change of every concept (Hamilton, Leskovec and Jurafsky 2016).
    ///
    /// The cosine distance between the concept's similarity vectors to the union of its k-NN sets in both variants,
    /// each measured in its own variant. 0 = the concept relates to its neighbourhood as before; larger = more change.
    /// Widths may differ.
    ///
    /// - Parameters:
    ///   - a, b: embeddings (rows = concepts) of the two variants.
    ///   - neighborsA, neighborsB: their k-NN sets.
    /// - Throws: ``DriftError`` when counts disagree.
    public static func secondOrder(
        _ a: Matrix, _ b: Matrix, neighborsA: NeighborSets, neighborsB: NeighborSets
    ) throws -> [Double] {
        try DriftInput.validatePair(a, b, sameWidth: false)
        try check(neighborsA, neighborsB)
        guard neighborsA.count == a.rows else {
            throw DriftError(
                .invalidArgument, "neighbour sets cover \(neighborsA.count) concepts, embeddings \(a.rows)")
        }
        let normsA = RowGeometry.norms(a), normsB = RowGeometry.norms(b)
        var result = [Double](repeating: 0, count: a.rows)
        let k = neighborsA.k
        a.storage.withUnsafeBufferPointer { xa in
            b.storage.withUnsafeBufferPointer { xb in
                result.withUnsafeMutableBufferPointer { out in
                    Parallel.forEachChunk(a.rows, minimumChunk: 64) { range in
                        var union = [Int]()
                        union.reserveCapacity(2 * k)
                        for i in range {
                            union.removeAll(keepingCapacity: true)
                            union.append(contentsOf: neighborsA.neighbors(of: i))
                            for j in neighborsB.neighbors(of: i) where !union.contains(j) { union.append(j) }
                            var dot = 0.0, na = 0.0, nb = 0.0
                            for j in union {
                                let sa = cosine(xa, i, j, a.columns, normsA)
                                let sb = cosine(xb, i, j, b.columns, normsB)
                                dot += sa * sb
                                na += sa * sa
                                nb += sb * sb
                            }
                            let denominator = (na * nb).squareRoot()
                            out[i] = denominator > 0 ? 1 - min(1, max(-1, dot / denominator)) : 1
                        }
                    }
                }
            }
        }
        return result
    }

    private static func cosine(
        _ x: UnsafeBufferPointer<Float>, _ i: Int, _ j: Int, _ columns: Int, _ norms: [Double]
    ) -> Double {
        guard norms[i] > 0, norms[j] > 0, let base = x.baseAddress else { return 0 }
        var y: Float = 0
        BLAS.sgemv(.none, rows: 1, columns: columns, a: base + i * columns, lda: columns, x: base + j * columns, y: &y)
        return Double(y) / (norms[i] * norms[j])
    }

    private static func sharedCount(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>) -> Int {
        var shared = 0
        for x in a where b.contains(x) { shared += 1 }
        return shared
    }

    private static func check(_ a: NeighborSets, _ b: NeighborSets) throws {
        guard a.count == b.count, a.k == b.k else {
            throw DriftError(
                .invalidArgument,
                "neighbour sets differ: \(a.count) concepts with k = \(a.k) against \(b.count) with k = \(b.k)")
        }
    }
}
