import DriftCore
import Foundation

/// Approximate k-nearest neighbours by NN-descent (Dong, Moses & Li 2011) seeded by a random-projection forest, the
/// method of pynndescent that umap-learn uses beyond 4,096 points.
///
/// Each point's list starts with itself (distance 0, as umap-learn's neighbour lists do). The local joins run in
/// parallel: workers propose updates from the current lists, then apply them to disjoint sets of lists, so the result
/// for a seed does not depend on thread timing.
enum NNDescent {
    /// Tuning of the search.
    struct Settings {
        var trees: Int
        var leafSize: Int
        var maxCandidates: Int
        var iterations: Int
        /// Stop when fewer than `delta · k · points` list entries changed in an iteration.
        var delta: Double = 0.001

        /// pynndescent-like defaults for `count` points and `k` neighbours.
        init(count: Int, k: Int) {
            trees = min(32, 5 + Int((pow(Double(count), 0.25)).rounded())) / 2 + 2
            leafSize = max(k + 5, 24)
            maxCandidates = min(60, k)
            iterations = max(5, Int(log2(Double(max(count, 2))).rounded()))
        }
    }

    /// The `k` nearest neighbours (the point itself first) of every point of `points`.
    static func search(_ points: PreparedPoints, k: Int, seed: UInt64, settings: Settings? = nil) -> NeighborGraph {
        let n = points.count
        let s = settings ?? Settings(count: n, k: k)
        var lists = CandidateLists(count: n, k: k)
        for i in 0..<n { lists.seedSelf(i) }
        var random = SeededRandom(seed: seed, stream: 0x4E4E)
        // The trees split a Gaussian random projection of the points to at most 48 dimensions (one matrix product):
        // distances survive it well enough to choose the splits, and the leaves are then joined on true distances.
        let sketch = randomSketch(points, dimensions: 48, random: &random)
        points.vectors.withUnsafeBufferPointer { vb in
            guard let vectorBase = vb.baseAddress else { return }  // no point: nothing to search
            let space = Space(points: points, base: vectorBase)
            // 1. Random-projection forest: all pairs within each leaf.
            sketch.vectors.withUnsafeBufferPointer { sb in
                guard let sketchBase = sb.baseAddress else { return }
                let treeSpace = Space(points: sketch, base: sketchBase)
                for _ in 0..<s.trees {
                    let leaves = randomProjectionLeaves(treeSpace, leafSize: s.leafSize, random: &random)
                    joinLeaves(leaves, space: space, lists: &lists)
                }
            }
            // 2. NN-descent iterations.
            for _ in 0..<s.iterations {
                let (newC, oldC) = buildCandidates(&lists, maxCandidates: s.maxCandidates, random: &random)
                let changed = localJoin(newC, oldC, maxCandidates: s.maxCandidates, space: space, lists: &lists)
                if Double(changed) <= s.delta * Double(k * n) { break }
            }
        }
        // 3. Exact distances, ascending, disconnection distance applied.
        var indices = [Int32](repeating: -1, count: n * k)
        var distances = [Float](repeating: .infinity, count: n * k)
        let cut = points.metric.disconnectionDistance
        for i in 0..<n {
            var row = [(Float, Int32)]()
            for t in 0..<k {
                let j = lists.ids[i * k + t]
                guard j >= 0 else { continue }
                let key = lists.keys[i * k + t]
                let distance: Float
                if Int(j) == i {
                    distance = 0
                } else {
                    distance = points.metric == .cosine ? max(0, key) : key.squareRoot()
                }
                row.append((distance, j))
            }
            row.sort { $0.0 != $1.0 ? $0.0 < $1.0 : ($0.1 == Int32(i) || ($1.1 != Int32(i) && $0.1 < $1.1)) }
            for (t, (d, j)) in row.enumerated() where d < cut {
                indices[i * k + t] = j
                distances[i * k + t] = d
            }
        }
        return NeighborGraph(count: n, k: k, indices: indices, distances: distances)
    }

    /// `points` times a `dimension × dimensions` matrix of standard normal values (the points themselves when they
    /// have no more than `dimensions` coordinates), prepared for the same metric.
    static func randomSketch(_ points: PreparedPoints, dimensions r: Int, random: inout SeededRandom) -> PreparedPoints
    {
        let d = points.dimension
        guard d > r else { return points }
        var projection = [Float](repeating: 0, count: d * r)
        for i in projection.indices { projection[i] = Float(random.nextNormal()) }
        var sketch = Matrix(rows: points.count, columns: r)
        points.vectors.withUnsafeBufferPointer { x in
            projection.withUnsafeBufferPointer { p in
                sketch.storage.withUnsafeMutableBufferPointer { out in
                    guard let a = x.baseAddress, let b = p.baseAddress, let c = out.baseAddress else { return }
                    BLAS.sgemm(.none, .none, m: points.count, n: r, k: d, a: a, lda: d, b: b, ldb: r, c: c, ldc: r)
                }
            }
        }
        return PreparedPoints(sketch, metric: points.metric)
    }

    /// The vectors and the search's distance key (cosine: 1 − dot of unit vectors; euclidean: squared distance).
    ///
    /// `@unchecked Sendable`: a read-only view of a buffer that outlives every use, so workers only ever read it.
    struct Space: @unchecked Sendable {
        let points: PreparedPoints
        let base: UnsafePointer<Float>

        @inline(__always)
        func key(_ i: Int, _ j: Int) -> Float {
            let d = points.dimension
            let a = base + i * d
            let b = base + j * d
            switch points.metric {
            case .cosine:
                if points.norms[i] == 0 || points.norms[j] == 0 {
                    return points.norms[i] == points.norms[j] ? 0 : 1
                }
                return 1 - SIMDKernels.dot(a, b, d)
            case .euclidean:
                return SIMDKernels.squaredDistance(a, b, d)
            }
        }

        /// What ``RowBlockKernel`` computes for this metric: dot products of unit rows (cosine) or squared distances.
        var blockKind: RowBlockKernel.Kind { points.metric == .cosine ? .dot : .squaredDistance }

        /// The key of the pair `(i, j)` from the ``RowBlockKernel`` value `v` computed for it.
        @inline(__always)
        func key(fromBlock v: Float, _ i: Int, _ j: Int) -> Float {
            switch points.metric {
            case .cosine:
                // A zero row has dot 0 with every row: key 1, as `key(_:_:)`, except between two zero rows.
                return points.norms[i] == 0 && points.norms[j] == 0 ? 0 : 1 - v
            case .euclidean:
                return v
            }
        }
    }

    /// Leaves (index lists) of one random-projection tree.
    private static func randomProjectionLeaves(_ space: Space, leafSize: Int, random: inout SeededRandom) -> [[Int32]] {
        let n = space.points.count
        let d = space.points.dimension
        var order = (0..<n).map { Int32($0) }
        var leaves = [[Int32]]()
        var stack = [(0, n)]
        var normal = [Float](repeating: 0, count: d)
        var side = [Bool](repeating: false, count: n)
        while let (lo, hi) = stack.popLast() {
            let size = hi - lo
            if size <= leafSize {
                leaves.append(Array(order[lo..<hi]))
                continue
            }
            let p1 = random.nextInt(below: size)
            var p2 = random.nextInt(below: size - 1)
            if p2 >= p1 { p2 += 1 }
            let i1 = Int(order[lo + p1])
            let i2 = Int(order[lo + p2])
            var offset: Float = 0
            for t in 0..<d {
                let a = space.base[i1 * d + t]
                let b = space.base[i2 * d + t]
                normal[t] = a - b
                if space.points.metric == .euclidean { offset -= (a - b) * (a + b) / 2 }
            }
            var left = 0
            normal.withUnsafeBufferPointer { nb in
                guard let normalBase = nb.baseAddress else { return }
                for p in lo..<hi {
                    let x = Int(order[p])
                    let margin = offset + SIMDKernels.dot(normalBase, space.base + x * d, d)
                    let s = margin == 0 ? random.nextInt(below: 2) == 0 : margin > 0
                    side[p] = s
                    if s { left += 1 }
                }
            }
            if left == 0 || left == size {
                // Degenerate split (duplicates): halve at random.
                for p in lo..<hi { side[p] = random.nextInt(below: 2) == 0 }
                left = (lo..<hi).reduce(0) { $0 + (side[$1] ? 1 : 0) }
                if left == 0 || left == size {
                    for p in lo..<hi { side[p] = p < lo + size / 2 }
                    left = size / 2
                }
            }
            // Stable partition: true side first.
            var a = [Int32]()
            var b = [Int32]()
            a.reserveCapacity(left)
            b.reserveCapacity(size - left)
            for p in lo..<hi { if side[p] { a.append(order[p]) } else { b.append(order[p]) } }
            for (t, v) in (a + b).enumerated() { order[lo + t] = v }
            stack.append((lo, lo + left))
            stack.append((lo + left, hi))
        }
        return leaves
    }

    /// Offers every pair within each leaf to both points' lists.
    private static func joinLeaves(_ leaves: [[Int32]], space: Space, lists: inout CandidateLists) {
        var updates = UpdateBuffers(chunks: max(1, Parallel.workerCount) * 4)
        let chunkCount = updates.count
        let per = (leaves.count + chunkCount - 1) / chunkCount
        let snapshot = lists.thresholds()
        let largest = leaves.reduce(0) { max($0, $1.count) }
        let kind = space.blockKind
        updates.fill { c, buffer in
            // All pairs of a leaf in one blocked evaluation (RowBlockKernel), then offered in order.
            var block = [Float](repeating: 0, count: largest * largest)
            block.withUnsafeMutableBufferPointer { out in
                for l in (c * per)..<min(leaves.count, (c + 1) * per) {
                    let leaf = leaves[l]
                    let size = leaf.count
                    leaf.withUnsafeBufferPointer { ids in
                        guard let idBase = ids.baseAddress, let outBase = out.baseAddress else { return }
                        RowBlockKernel.compute(
                            kind, base: space.base, dimension: space.points.dimension, a: idBase, rows: size,
                            b: idBase, columns: size, upper: true, out: outBase, ldo: size)
                    }
                    for x in 0..<size {
                        for y in (x + 1)..<size {
                            let p = Int(leaf[x])
                            let q = Int(leaf[y])
                            let key = space.key(fromBlock: out[x * size + y], p, q)
                            if key < snapshot[p] || key < snapshot[q] {
                                buffer.append(Update(p: Int32(p), q: Int32(q), key: key))
                            }
                        }
                    }
                }
            }
        }
        _ = lists.apply(updates)
    }

    /// pynndescent's `new_build_candidates`: per point up to `maxCandidates` new and old candidates, forward and
    /// reverse, chosen by random priority; sampled new entries become old.
    private static func buildCandidates(
        _ lists: inout CandidateLists, maxCandidates m: Int, random: inout SeededRandom
    ) -> (newC: CandidateSet, oldC: CandidateSet) {
        let n = lists.count
        var newC = CandidateSet(count: n, capacity: m)
        var oldC = CandidateSet(count: n, capacity: m)
        for i in 0..<n {
            for t in 0..<lists.k {
                let j = Int(lists.ids[i * lists.k + t])
                if j < 0 || j == i { continue }
                let priority = Float(random.nextDouble())
                if lists.isNew[i * lists.k + t] {
                    newC.offer(i, Int32(j), priority)
                    newC.offer(j, Int32(i), priority)
                } else {
                    oldC.offer(i, Int32(j), priority)
                    oldC.offer(j, Int32(i), priority)
                }
            }
        }
        for i in 0..<n {
            for t in 0..<lists.k where lists.isNew[i * lists.k + t] {
                let j = lists.ids[i * lists.k + t]
                if newC.contains(i, j) { lists.isNew[i * lists.k + t] = false }
            }
        }
        return (newC, oldC)
    }

    /// The local join: every new–new and new–old pair among each point's candidates is offered to both lists.
    private static func localJoin(
        _ newC: CandidateSet, _ oldC: CandidateSet, maxCandidates: Int, space: Space, lists: inout CandidateLists
    ) -> Int {
        let n = lists.count
        var updates = UpdateBuffers(chunks: max(1, Parallel.workerCount) * 4)
        let chunkCount = updates.count
        let per = (n + chunkCount - 1) / chunkCount
        let snapshot = lists.thresholds()
        let kind = space.blockKind
        let width = newC.capacity + oldC.capacity
        updates.fill { c, buffer in
            // Per point: its new candidates, then its old ones, in one list; the new rows against the whole list
            // (only the pairs after the diagonal: new–new once, new–old) in one blocked evaluation.
            var ids = [Int32](repeating: 0, count: width)
            var block = [Float](repeating: 0, count: newC.capacity * width)
            ids.withUnsafeMutableBufferPointer { ids in
                block.withUnsafeMutableBufferPointer { out in
                    // Without candidates (capacity 0) there is nothing to join.
                    guard let idBase = ids.baseAddress, let outBase = out.baseAddress else { return }
                    for u in (c * per)..<min(n, (c + 1) * per) {
                        let nc = newC.count[u]
                        let oc = oldC.count[u]
                        guard nc > 0 else { continue }
                        for x in 0..<nc { ids[x] = newC.ids[u * newC.capacity + x] }
                        for y in 0..<oc { ids[nc + y] = oldC.ids[u * oldC.capacity + y] }
                        let all = nc + oc
                        RowBlockKernel.compute(
                            kind, base: space.base, dimension: space.points.dimension, a: idBase, rows: nc,
                            b: idBase, columns: all, upper: true, out: outBase, ldo: all)
                        for x in 0..<nc {
                            let p = Int(ids[x])
                            for y in (x + 1)..<all {
                                let q = Int(ids[y])
                                if p == q { continue }
                                let key = space.key(fromBlock: out[x * all + y], p, q)
                                if key < snapshot[p] || key < snapshot[q] {
                                    buffer.append(Update(p: Int32(p), q: Int32(q), key: key))
                                }
                            }
                        }
                    }
                }
            }
        }
        return lists.apply(updates)
    }
}

/// A proposed neighbour pair and its key.
struct Update {
    var p: Int32
    var q: Int32
    var key: Float
}

/// One update list per chunk of work, filled in parallel.
struct UpdateBuffers {
    var buffers: [[Update]]
    var count: Int { buffers.count }

    init(chunks: Int) { buffers = Array(repeating: [], count: chunks) }

    /// Runs `body(chunk, &buffer)` for every chunk in parallel.
    mutating func fill(_ body: (Int, inout [Update]) -> Void) {
        buffers.withUnsafeMutableBufferPointer { b in
            guard let start = b.baseAddress else { return }
            let base = UncheckedPointer(start)
            Parallel.forEach(b.count) { c in body(c, &base.pointer[c]) }
        }
    }
}

/// Bounded neighbour lists, sorted ascending by key, with NN-descent's "new" flags.
struct CandidateLists {
    var count: Int
    var k: Int
    var keys: [Float]
    var ids: [Int32]
    var isNew: [Bool]

    init(count: Int, k: Int) {
        self.count = count
        self.k = k
        keys = [Float](repeating: .infinity, count: count * k)
        ids = [Int32](repeating: -1, count: count * k)
        isNew = [Bool](repeating: false, count: count * k)
    }

    /// Puts the point itself first, unremovably.
    mutating func seedSelf(_ i: Int) {
        keys[i * k] = -.infinity
        ids[i * k] = Int32(i)
    }

    /// Each list's current worst key.
    func thresholds() -> [Float] { (0..<count).map { keys[$0 * k + k - 1] } }

    /// Inserts `q` into list `p` (of `k` entries at `keys`/`ids`/`isNew`) if closer than its worst and not present.
    @inline(__always)
    static func insert(
        _ p: Int, _ q: Int32, _ key: Float, k: Int, keys: UnsafeMutablePointer<Float>, ids: UnsafeMutablePointer<Int32>,
        isNew: UnsafeMutablePointer<Bool>
    ) -> Bool {
        let base = p * k
        if !(key < keys[base + k - 1]) { return false }
        for t in 0..<k where ids[base + t] == q { return false }
        var t = k - 1
        while t > 0 && keys[base + t - 1] > key {
            keys[base + t] = keys[base + t - 1]
            ids[base + t] = ids[base + t - 1]
            isNew[base + t] = isNew[base + t - 1]
            t -= 1
        }
        keys[base + t] = key
        ids[base + t] = q
        isNew[base + t] = true
        return true
    }

    /// Applies all updates (both directions), in parallel over disjoint ranges of lists; returns how many changed.
    mutating func apply(_ updates: UpdateBuffers) -> Int {
        let n = count
        let k = self.k
        let workers = max(1, min(Parallel.workerCount, n))
        let per = (n + workers - 1) / workers
        var changed = [Int](repeating: 0, count: workers)
        keys.withUnsafeMutableBufferPointer { kb in
            ids.withUnsafeMutableBufferPointer { ib in
                isNew.withUnsafeMutableBufferPointer { nb in
                    changed.withUnsafeMutableBufferPointer { ch in
                        guard let keyStart = kb.baseAddress, let idStart = ib.baseAddress,
                            let flagStart = nb.baseAddress, let changedStart = ch.baseAddress
                        else { return }
                        let keys = UncheckedPointer(keyStart)
                        let ids = UncheckedPointer(idStart)
                        let flags = UncheckedPointer(flagStart)
                        let out = UncheckedPointer(changedStart)
                        Parallel.forEach(workers) { w in
                            let lo = w * per
                            let hi = min(n, lo + per)
                            var c = 0
                            for buffer in updates.buffers {
                                for u in buffer {
                                    let p = Int(u.p)
                                    let q = Int(u.q)
                                    if p >= lo && p < hi
                                        && Self.insert(
                                            p, u.q, u.key, k: k, keys: keys.pointer, ids: ids.pointer,
                                            isNew: flags.pointer)
                                    {
                                        c += 1
                                    }
                                    if q >= lo && q < hi
                                        && Self.insert(
                                            q, u.p, u.key, k: k, keys: keys.pointer, ids: ids.pointer,
                                            isNew: flags.pointer)
                                    {
                                        c += 1
                                    }
                                }
                            }
                            out.pointer[w] = c
                        }
                    }
                }
            }
        }
        return changed.reduce(0, +)
    }
}

/// Up to `capacity` candidates per point, kept by smallest random priority.
struct CandidateSet {
    var capacity: Int
    var ids: [Int32]
    var priorities: [Float]
    var count: [Int]

    init(count n: Int, capacity: Int) {
        self.capacity = capacity
        ids = [Int32](repeating: -1, count: n * capacity)
        priorities = [Float](repeating: .infinity, count: n * capacity)
        count = [Int](repeating: 0, count: n)
    }

    mutating func offer(_ i: Int, _ j: Int32, _ priority: Float) {
        let base = i * capacity
        let c = count[i]
        for t in 0..<c where ids[base + t] == j { return }
        if c < capacity {
            ids[base + c] = j
            priorities[base + c] = priority
            count[i] = c + 1
            return
        }
        var worst = 0
        for t in 1..<capacity where priorities[base + t] > priorities[base + worst] { worst = t }
        if priority < priorities[base + worst] {
            ids[base + worst] = j
            priorities[base + worst] = priority
        }
    }

    func contains(_ i: Int, _ j: Int32) -> Bool {
        let base = i * capacity
        for t in 0..<count[i] where ids[base + t] == j { return true }
        return false
    }
}
