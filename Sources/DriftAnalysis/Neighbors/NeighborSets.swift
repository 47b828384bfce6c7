public import DriftCore

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
    /// The similarity matrix is symmetric, so only its upper triangle of square blocks is computed (half the work of
    /// the full product): block `(I, J)`, `J ≥ I`, offers its rows to the concepts of `I` and its columns (through a
    /// transposed copy) to those of `J`. Candidates reach every row in increasing column order, so ties keep the lower
    /// index. Memory beyond the input and the result is two blocks of about `blockElements` floats each; nothing of
    /// size rows² is ever held.
    /// - Parameters:
    ///   - m: rows = concepts, columns = dimensions; rows need not be normalised (zero rows have similarity 0).
    ///   - k: neighbours per concept, `1 ≤ k < rows`.
    ///   - blockElements: size of one similarity block, in floats (default 16 Mi = 64 MiB; blocks are square).
    ///   - progress: called after every block row with the number of concepts whose neighbours are final.
    /// - Throws: ``DriftError`` when `k` is out of range or a value is not finite.
    public init(
        _ m: Matrix, k: Int, blockElements: Int = 16 << 20, progress: ((Int) -> Void)? = nil
    ) throws {
        try DriftInput.validate(m, name: "embeddings")
        try DriftInput.validateNeighborCount(k, concepts: m.rows)
        let n = m.rows, d = m.columns
        let inverseNorms = RowGeometry.norms(m).map { $0 > 0 ? Float(1 / $0) : 0 }
        let side = max(1, min(n, Int(Double(max(1, blockElements)).squareRoot())))
        var indices = [Int](repeating: 0, count: n * k)
        var similarities = [Float](repeating: 0, count: n * k)
        var filled = [Int](repeating: 0, count: n)
        var block = [Float](repeating: 0, count: side * side)
        var transposed = [Float](repeating: 0, count: side * side)
        m.storage.withUnsafeBufferPointer { x in
            guard let xBase = x.baseAddress else { return }
            var state = SelectionState(k: k, inverseNorms: inverseNorms)
            indices.withUnsafeMutableBufferPointer { outIndex in
                similarities.withUnsafeMutableBufferPointer { outSimilarity in
                    filled.withUnsafeMutableBufferPointer { filledBuffer in
                        block.withUnsafeMutableBufferPointer { blockBuffer in
                            transposed.withUnsafeMutableBufferPointer { transposedBuffer in
                                guard let blockBase = blockBuffer.baseAddress,
                                    let transposedBase = transposedBuffer.baseAddress,
                                    let indexBase = outIndex.baseAddress,
                                    let similarityBase = outSimilarity.baseAddress,
                                    let filledBase = filledBuffer.baseAddress
                                else { return }
                                state.indices = indexBase
                                state.similarities = similarityBase
                                state.filled = filledBase
                                var rowStart = 0
                                while rowStart < n {
                                    let rowCount = min(side, n - rowStart)
                                    var columnStart = rowStart
                                    while columnStart < n {
                                        let columnCount = min(side, n - columnStart)
                                        BLAS.sgemm(
                                            .none, .transpose, m: rowCount, n: columnCount, k: d,
                                            a: xBase + rowStart * d, lda: d, b: xBase + columnStart * d, ldb: d,
                                            c: blockBase, ldc: columnCount)
                                        let (r0, c0) = (rowStart, columnStart)
                                        Parallel.forEachChunk(rowCount, minimumChunk: 16) { range in
                                            for local in range {
                                                state.offer(
                                                    row: r0 + local, dots: blockBase + local * columnCount,
                                                    firstColumn: c0, count: columnCount)
                                            }
                                        }
                                        if columnStart != rowStart {
                                            Self.transpose(
                                                blockBase, rows: rowCount, columns: columnCount, into: transposedBase)
                                            Parallel.forEachChunk(columnCount, minimumChunk: 16) { range in
                                                for local in range {
                                                    state.offer(
                                                        row: c0 + local, dots: transposedBase + local * rowCount,
                                                        firstColumn: r0, count: rowCount)
                                                }
                                            }
                                        }
                                        columnStart += columnCount
                                    }
                                    rowStart += rowCount
                                    progress?(rowStart)
                                }
                            }
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

    /// Creates sets from given indices and similarities (`count × k` each), as read back from a table.
    public init(count: Int, k: Int, indices: [Int], similarities: [Float]) throws {
        guard indices.count == count * k, similarities.count == count * k else {
            throw DriftError(.invalidArgument, "neighbour sets need \(count * k) entries, got \(indices.count)")
        }
        self.count = count
        self.k = k
        self.indices = indices
        self.similarities = similarities
    }

    /// `out[c * rows + r] = a[r * columns + c]`, in tiles, spread over the workers.
    private static func transpose(
        _ a: UnsafeMutablePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>
    ) {
        let tile = 64
        let tileRows = (rows + tile - 1) / tile
        Parallel.forEachChunk(tileRows) { range in
            for tr in range {
                let r0 = tr * tile, r1 = min(rows, r0 + tile)
                var c0 = 0
                while c0 < columns {
                    let c1 = min(columns, c0 + tile)
                    for r in r0..<r1 {
                        for c in c0..<c1 { out[c * rows + r] = a[r * columns + c] }
                    }
                    c0 = c1
                }
            }
        }
    }
}

/// The running top-k of every row while blocks of similarities stream past (partial selection, not a sort).
///
/// It holds raw pointers into the initialiser's buffers, used only while those are pinned; concurrent calls always
/// touch different rows.
private struct SelectionState {
    let k: Int
    let inverseNorms: [Float]
    var indices: UnsafeMutablePointer<Int>?
    var similarities: UnsafeMutablePointer<Float>?
    var filled: UnsafeMutablePointer<Int>?

    init(k: Int, inverseNorms: [Float]) {
        self.k = k
        self.inverseNorms = inverseNorms
    }

    /// Offers `row` the candidates `firstColumn ..< firstColumn + count`, whose raw dot products are `dots`.
    ///
    /// Keeps the `k` largest cosines (`dot · inv[row] · inv[column]`) in a sorted insertion buffer, skipping the row
    /// itself. Columns arrive in increasing order across calls, so a strict `>` keeps the lower index on ties.
    func offer(row: Int, dots: UnsafeMutablePointer<Float>, firstColumn: Int, count: Int) {
        guard let indices, let similarities, let filled else { return }
        let outIndex = indices + row * k
        let outSimilarity = similarities + row * k
        var used = filled[row]
        let rowScale = inverseNorms[row]
        inverseNorms.withUnsafeBufferPointer { inv in
            guard let invBase = inv.baseAddress else { return }
            var local = 0
            while local < count {
                // Once the buffer is full almost every candidate loses: test eight at a time (the same arithmetic as
                // the scalar path, so results do not change) and only look closer when one of them could win.
                if used == k, local + 8 <= count {
                    let d = UnsafeRawPointer(dots + local).loadUnaligned(as: SIMD8<Float>.self)
                    let scale = UnsafeRawPointer(invBase + firstColumn + local).loadUnaligned(as: SIMD8<Float>.self)
                    if !any(d * rowScale * scale .> outSimilarity[k - 1]) {
                        local += 8
                        continue
                    }
                }
                defer { local += 1 }
                let j = firstColumn + local
                if j == row { continue }
                let s = dots[local] * rowScale * inv[j]
                if used == k {
                    guard s > outSimilarity[k - 1] else { continue }
                } else {
                    used += 1
                }
                var position = used - 1
                while position > 0, outSimilarity[position - 1] < s {
                    outSimilarity[position] = outSimilarity[position - 1]
                    outIndex[position] = outIndex[position - 1]
                    position -= 1
                }
                outSimilarity[position] = s
                outIndex[position] = j
            }
        }
        filled[row] = used
    }
}
