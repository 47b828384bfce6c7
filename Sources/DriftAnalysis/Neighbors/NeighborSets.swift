import DriftCore

/// The k nearest neighbours of every concept by cosine similarity, the concept itself excluded.
///
/// `indices` and `similarities` are row-major `count × k`: row `i` lists concept `i`'s neighbours from the most to the
/// least similar (ties: the lower index first).
public struct NeighborSets: Sendable, Equatable {
    /// Number of concepts.
    public var count: Int
    /// Neighbours per concept.
    public var k: Int
    /// Neighbour indices, `count × k`, row-major.
    public var indices: [Int]
    /// Cosine similarities to those neighbours, `count × k`, row-major.
    public var similarities: [Float]

    /// The neighbour indices of concept `i`, most similar first.
    public func neighbors(of i: Int) -> ArraySlice<Int> { indices[(i * k)..<((i + 1) * k)] }

    /// The similarities of concept `i` to its neighbours, most similar first.
    public func neighborSimilarities(of i: Int) -> ArraySlice<Float> { similarities[(i * k)..<((i + 1) * k)] }

    /// Finds the `k` nearest neighbours of every row of `m` by cosine similarity, through blocked BLAS products.
    ///
    /// Memory beyond the input and the result is one block of similarities, about `blockElements` floats
    /// (a block of rows times all rows); nothing of size rows² is ever held.
    /// - Parameters:
    ///   - m: rows = concepts, columns = dimensions; rows need not be normalised (zero rows have similarity 0).
    ///   - k: neighbours per concept, `1 ≤ k < rows`.
    ///   - blockElements: size of the similarity block, in floats (default 16 Mi = 64 MiB).
    ///   - progress: called with the number of rows finished so far, after every block.
    /// - Throws: ``DriftError`` when `k` is out of range or a value is not finite.
    public init(
        _ m: Matrix, k: Int, blockElements: Int = 16 << 20, progress: ((Int) -> Void)? = nil
    ) throws {
        try DriftInput.validate(m, name: "embeddings")
        try DriftInput.validateNeighborCount(k, concepts: m.rows)
        let n = m.rows, d = m.columns
        let inverseNorms = RowGeometry.norms(m).map { $0 > 0 ? Float(1 / $0) : 0 }
        let blockRows = max(1, min(n, blockElements / n))
        var indices = [Int](repeating: 0, count: n * k)
        var similarities = [Float](repeating: 0, count: n * k)
        var block = [Float](repeating: 0, count: blockRows * n)
        m.storage.withUnsafeBufferPointer { x in
            guard let xBase = x.baseAddress else { return }
            indices.withUnsafeMutableBufferPointer { outIndex in
                similarities.withUnsafeMutableBufferPointer { outSimilarity in
                    block.withUnsafeMutableBufferPointer { blockBuffer in
                        guard let blockBase = blockBuffer.baseAddress else { return }
                        var start = 0
                        while start < n {
                            let rows = min(blockRows, n - start)
                            BLAS.sgemm(
                                .none, .transpose, m: rows, n: n, k: d, a: xBase + start * d, lda: d, b: xBase,
                                ldb: d, c: blockBase, ldc: n)
                            Parallel.forEachChunk(rows, minimumChunk: 1) { range in
                                for local in range {
                                    let row = start + local
                                    Self.selectTop(
                                        k: k, row: row, dots: UnsafePointer(blockBase + local * n), count: n,
                                        inverseNorms: inverseNorms,
                                        outIndex: outIndex.baseAddress.map { $0 + row * k },
                                        outSimilarity: outSimilarity.baseAddress.map { $0 + row * k })
                                }
                            }
                            start += rows
                            progress?(start)
                        }
                    }
                }
            }
        }
        self.count = n
        self.k = k
        self.indices = indices
        self.similarities = similarities
    }

    /// Creates sets from given indices and similarities (`count × k` each), e.g. read back from a table.
    public init(count: Int, k: Int, indices: [Int], similarities: [Float]) throws {
        guard indices.count == count * k, similarities.count == count * k else {
            throw DriftError(.invalidArgument, "neighbour sets need \(count * k) entries, got \(indices.count)")
        }
        self.count = count
        self.k = k
        self.indices = indices
        self.similarities = similarities
    }

    /// Partial selection: keeps the `k` largest `dots[j] · inv[row] · inv[j]`, `j ≠ row`, in a sorted insertion buffer.
    private static func selectTop(
        k: Int, row: Int, dots: UnsafePointer<Float>, count: Int, inverseNorms: [Float],
        outIndex: UnsafeMutablePointer<Int>?, outSimilarity: UnsafeMutablePointer<Float>?
    ) {
        guard let outIndex, let outSimilarity else { return }
        var filled = 0
        let rowScale = inverseNorms[row]
        inverseNorms.withUnsafeBufferPointer { inv in
            for j in 0..<count where j != row {
                let s = dots[j] * rowScale * inv[j]
                if filled == k {
                    // Strictly greater: an equal similarity at a higher index never displaces a lower index.
                    guard s > outSimilarity[k - 1] else { continue }
                } else {
                    filled += 1
                }
                var position = filled - 1
                while position > 0, outSimilarity[position - 1] < s {
                    outSimilarity[position] = outSimilarity[position - 1]
                    outIndex[position] = outIndex[position - 1]
                    position -= 1
                }
                outSimilarity[position] = s
                outIndex[position] = j
            }
        }
    }
}
