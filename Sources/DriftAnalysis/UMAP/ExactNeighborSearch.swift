import DriftCore

/// Exact k-nearest-neighbour search by blocked matrix products (BLAS) and a per-row bounded selection.
enum ExactNeighborSearch {
    /// The `k` nearest reference points of every query point.
    ///
    /// - Parameters:
    ///   - queries: the points whose neighbours are wanted.
    ///   - reference: the points searched (the same value as `queries` when `selfQueries`).
    ///   - k: neighbours per query, `1 ≤ k ≤ reference.count`.
    ///   - selfQueries: queries are the reference points themselves; each point is its own first neighbour at
    ///     distance 0, as in umap-learn.
    static func search(queries: PreparedPoints, reference: PreparedPoints, k: Int, selfQueries: Bool) -> NeighborGraph {
        let nq = queries.count
        let nr = reference.count
        let d = queries.dimension
        var indices = [Int32](repeating: -1, count: nq * k)
        var distances = [Float](repeating: .infinity, count: nq * k)
        let blockRows = max(1, min(nq, 1024, (1 << 24) / max(1, nr)))
        var scores = [Float](repeating: 0, count: blockRows * nr)
        let metric = queries.metric
        indices.withUnsafeMutableBufferPointer { idxOut in
            distances.withUnsafeMutableBufferPointer { distOut in
                queries.vectors.withUnsafeBufferPointer { qv in
                    reference.vectors.withUnsafeBufferPointer { rv in
                        reference.norms.withUnsafeBufferPointer { rn in
                            scores.withUnsafeMutableBufferPointer { sc in
                                guard let idxStart = idxOut.baseAddress, let distStart = distOut.baseAddress,
                                    let scoreStart = sc.baseAddress, let queryStart = qv.baseAddress,
                                    let referenceStart = rv.baseAddress, let normStart = rn.baseAddress
                                else { return }
                                let idxBase = UncheckedPointer(idxStart)
                                let distBase = UncheckedPointer(distStart)
                                let scoreBase = UncheckedPointer(scoreStart)
                                var start = 0
                                while start < nq {
                                    let rows = min(blockRows, nq - start)
                                    BLAS.sgemm(
                                        .none, .transpose, m: rows, n: nr, k: d,
                                        a: queryStart + start * d, lda: d,
                                        b: referenceStart, ldb: d,
                                        c: scoreStart, ldc: nr)
                                    let blockStart = start
                                    Parallel.forEachChunk(rows, minimumChunk: 8) { chunk in
                                        var keys = [Float](repeating: .infinity, count: k)
                                        var cand = [Int32](repeating: -1, count: k)
                                        keys.withUnsafeMutableBufferPointer { keys in
                                            cand.withUnsafeMutableBufferPointer { cand in
                                                for r in chunk {
                                                    let q = blockStart + r
                                                    let row = scoreBase.pointer + r * nr
                                                    selectRow(
                                                        row: row, count: nr, norms: normStart, metric: metric,
                                                        selfIndex: selfQueries ? q : -1, keys: keys, cand: cand)
                                                    finishRow(
                                                        q, queries: queries, reference: reference, k: k,
                                                        selfQueries: selfQueries, cand: cand,
                                                        idxOut: idxBase.pointer + q * k,
                                                        distOut: distBase.pointer + q * k)
                                                }
                                            }
                                        }
                                    }
                                    start += rows
                                }
                            }
                        }
                    }
                }
            }
        }
        return NeighborGraph(count: nq, k: k, indices: indices, distances: distances)
    }

    /// Keeps the `k` smallest keys of one row of scores (inner products) in `keys`/`cand`, ascending.
    @inline(__always)
    private static func selectRow(
        row: UnsafeMutablePointer<Float>, count: Int, norms: UnsafePointer<Float>, metric: UMAPMetric,
        selfIndex: Int, keys: UnsafeMutableBufferPointer<Float>, cand: UnsafeMutableBufferPointer<Int32>
    ) {
        let k = keys.count
        for t in 0..<k {
            keys[t] = .infinity
            cand[t] = -1
        }
        var worst = Float.infinity
        for j in 0..<count {
            let key: Float
            switch metric {
            case .cosine: key = norms[j] == 0 ? 0 : -row[j]
            case .euclidean: key = norms[j] - 2 * row[j]
            }
            var kk = key
            if j == selfIndex { kk = -.infinity }
            if kk < worst || (cand[k - 1] < 0 && !kk.isNaN) {
                // Insertion into the sorted prefix.
                var p = k - 1
                while p > 0 && keys[p - 1] > kk {
                    keys[p] = keys[p - 1]
                    cand[p] = cand[p - 1]
                    p -= 1
                }
                keys[p] = kk
                cand[p] = Int32(j)
                worst = keys[k - 1]
            }
        }
    }

    /// Recomputes the selected candidates' distances exactly, sorts them, applies the disconnection distance.
    @inline(__always)
    private static func finishRow(
        _ q: Int, queries: PreparedPoints, reference: PreparedPoints, k: Int, selfQueries: Bool,
        cand: UnsafeMutableBufferPointer<Int32>, idxOut: UnsafeMutablePointer<Int32>,
        distOut: UnsafeMutablePointer<Float>
    ) {
        let cut = queries.metric.disconnectionDistance
        var filled = 0
        for t in 0..<k {
            let j = Int(cand[t])
            guard j >= 0 else { continue }
            let dist: Float = (selfQueries && j == q) ? 0 : queries.distance(q, to: j, in: reference)
            // Insertion by (distance, index).
            var p = filled
            while p > 0
                && (distOut[p - 1] > dist
                    || (distOut[p - 1] == dist && idxOut[p - 1] > Int32(j)
                        && !(selfQueries && idxOut[p - 1] == Int32(q))))
            {
                distOut[p] = distOut[p - 1]
                idxOut[p] = idxOut[p - 1]
                p -= 1
            }
            distOut[p] = dist
            idxOut[p] = Int32(j)
            filled += 1
        }
        for t in 0..<k where t >= filled || distOut[t] >= cut {
            idxOut[t] = -1
            distOut[t] = .infinity
        }
    }
}
