import Foundation

/// A sparse weighted graph in compressed-row form: row `i`'s neighbours are `columns[rowStart[i]..<rowStart[i+1]]`
/// (ascending) with weights `weights[…]` in (0, 1].
struct FuzzyGraph: Sendable, Equatable {
    /// Number of rows (vertices of the head side).
    var rows: Int
    /// Number of columns (vertices of the tail side; equal to `rows` for a fitted graph).
    var columns: Int
    /// Offsets into `columns`/`weights`, `rows + 1` of them.
    var rowStart: [Int]
    /// Column index of every stored entry.
    var columnIndex: [Int32]
    /// Weight of every stored entry.
    var weights: [Float]

    /// Number of stored (non-zero) entries.
    var entryCount: Int { weights.count }

    /// umap-learn's `compute_membership_strengths`: `exp(−(d − ρ)/σ)` (1 within ρ or when σ = 0), 0 for a
    /// point and itself unless `bipartite`; missing neighbours (index −1) are skipped.
    ///
    /// Entries are unsorted COO.
    static func memberships(
        _ knn: NeighborGraph, sigmas: [Float], rhos: [Float], bipartite: Bool
    ) -> (rows: [Int32], cols: [Int32], values: [Float]) {
        var rows = [Int32]()
        var cols = [Int32]()
        var values = [Float]()
        rows.reserveCapacity(knn.indices.count)
        cols.reserveCapacity(knn.indices.count)
        values.reserveCapacity(knn.indices.count)
        for i in 0..<knn.count {
            for t in 0..<knn.k {
                let j = knn.indices[i * knn.k + t]
                if j < 0 { continue }
                let d = knn.distances[i * knn.k + t]
                let v: Float
                if !bipartite && Int(j) == i {
                    v = 0
                } else if d - rhos[i] <= 0 || sigmas[i] == 0 {
                    v = 1
                } else {
                    v = Float(exp(-(Double(d - rhos[i]) / Double(sigmas[i]))))
                }
                rows.append(Int32(i))
                cols.append(j)
                values.append(v)
            }
        }
        return (rows, cols, values)
    }

    /// A graph from COO entries; duplicates are summed (as scipy), zeros dropped.
    init(rows: Int, columns: Int, cooRows: [Int32], cooCols: [Int32], values: [Float]) {
        self.rows = rows
        self.columns = columns
        var order = Array(0..<values.count)
        order.sort { a, b in
            cooRows[a] != cooRows[b] ? cooRows[a] < cooRows[b] : cooCols[a] < cooCols[b]
        }
        var rowStart = [Int](repeating: 0, count: rows + 1)
        var columnIndex = [Int32]()
        var weights = [Float]()
        columnIndex.reserveCapacity(values.count)
        weights.reserveCapacity(values.count)
        var lastRow: Int32 = -1
        var lastCol: Int32 = -1
        for e in order {
            let r = cooRows[e]
            let c = cooCols[e]
            if r == lastRow && c == lastCol, !weights.isEmpty {
                weights[weights.count - 1] += values[e]
            } else {
                columnIndex.append(c)
                weights.append(values[e])
                rowStart[Int(r) + 1] += 1
                lastRow = r
                lastCol = c
            }
        }
        for i in 0..<rows { rowStart[i + 1] += rowStart[i] }
        self.rowStart = rowStart
        self.columnIndex = columnIndex
        self.weights = weights
        dropZeros()
    }

    /// Removes entries whose weight is 0.
    mutating func dropZeros() {
        guard weights.contains(0) else { return }
        var newStart = [Int](repeating: 0, count: rows + 1)
        var cols = [Int32]()
        var w = [Float]()
        cols.reserveCapacity(weights.count)
        w.reserveCapacity(weights.count)
        for i in 0..<rows {
            for e in rowStart[i]..<rowStart[i + 1] where weights[e] != 0 {
                cols.append(columnIndex[e])
                w.append(weights[e])
            }
            newStart[i + 1] = cols.count
        }
        rowStart = newStart
        columnIndex = cols
        weights = w
    }

    /// umap-learn's fuzzy union with `set_op_mix_ratio = 1`: `A + Aᵀ − A ∘ Aᵀ` of a square membership graph.
    static func fuzzyUnion(count: Int, rows: [Int32], cols: [Int32], values: [Float]) -> FuzzyGraph {
        let a = FuzzyGraph(rows: count, columns: count, cooRows: rows, cooCols: cols, values: values)
        // Entries of A and of Aᵀ, each tagged; merged by (row, column).
        var r = [Int32]()
        var c = [Int32]()
        var v = [Float]()
        r.reserveCapacity(2 * a.entryCount)
        c.reserveCapacity(2 * a.entryCount)
        v.reserveCapacity(2 * a.entryCount)
        for i in 0..<count {
            for e in a.rowStart[i]..<a.rowStart[i + 1] {
                let j = a.columnIndex[e]
                let w = a.weights[e]
                r.append(Int32(i)); c.append(j); v.append(w)
                r.append(j); c.append(Int32(i)); v.append(-w)  // negative marks the transpose entry
            }
        }
        var order = Array(0..<v.count)
        order.sort { x, y in r[x] != r[y] ? r[x] < r[y] : c[x] < c[y] }
        var rowStart = [Int](repeating: 0, count: count + 1)
        var columnIndex = [Int32]()
        var weights = [Float]()
        var p = 0
        while p < order.count {
            let e = order[p]
            var direct: Float = 0
            var transposed: Float = 0
            var q = p
            while q < order.count && r[order[q]] == r[e] && c[order[q]] == c[e] {
                let x = v[order[q]]
                if x >= 0 { direct += x } else { transposed -= x }
                q += 1
            }
            let w = direct + transposed - direct * transposed
            if w != 0 {
                columnIndex.append(c[e])
                weights.append(w)
                rowStart[Int(r[e]) + 1] += 1
            }
            p = q
        }
        for i in 0..<count { rowStart[i + 1] += rowStart[i] }
        var g = FuzzyGraph(rows: count, columns: count, rowStart: rowStart, columnIndex: columnIndex, weights: weights)
        g.dropZeros()
        return g
    }

    /// A graph from its compressed-row arrays.
    init(rows: Int, columns: Int, rowStart: [Int], columnIndex: [Int32], weights: [Float]) {
        self.rows = rows
        self.columns = columns
        self.rowStart = rowStart
        self.columnIndex = columnIndex
        self.weights = weights
    }
}
