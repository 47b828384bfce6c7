import CKernels
import DriftCore
import Foundation

/// umap-learn's `optimize_layout_euclidean`: SGD on the fuzzy cross-entropy, sampling each edge every
/// `epochsPerSample` epochs with `negativeSampleRate` negative samples, gradients clipped to ±4, linear learning-rate
/// decay.
///
/// Differences, for speed, in two dimensions (umap-learn moves the head after the attraction and after each
/// negative sample, one edge after another): an edge's attraction and negative samples are evaluated at its head's
/// position before the step and their clipped steps added; the due edges are taken two at a time, both read before
/// either writes (as two Hogwild workers would); and the edges are visited in an interleaved order
/// (`interleavedOrder`). Each is second order in the learning rate, and together they let the processor overlap
/// samples that would otherwise form one dependent chain. On processors with AVX2 and FMA the 2-D epochs run in the C
/// kernel `ck_umap_epoch2d_avx2` (lanes of eight, a vectorised power with relative error below 1e-5 against `powf`);
/// the Swift kernel `epoch2D` follows the same order of work and random draws.
struct LayoutOptimizer {
    /// Head vertex of every edge.
    var heads: [Int32]
    /// Tail vertex of every edge.
    var tails: [Int32]
    /// Epochs between two samples of each edge (umap-learn `make_epochs_per_sample`); −1 for never.
    var epochsPerSample: [Double]
    /// Curve parameters.
    var curve: CurveParameters
    /// Repulsion weight γ.
    var gamma: Float
    /// Initial learning rate.
    var initialAlpha: Float
    /// Negative samples per positive sample.
    var negativeSampleRate: Int
    /// Output dimensions.
    var dimensions: Int
    /// Number of tail vertices negative samples are drawn from.
    var tailCount: Int
    /// Whether an edge's tail moves too (fit) or stays fixed (transform).
    var moveOther: Bool
    /// Whether 2-D epochs run in the AVX2 kernel (default: when the processor has AVX2 and FMA).
    var vectorized: Bool = CPUFeatures.hasAVX2FMA

    /// umap-learn's `make_epochs_per_sample`: `epochs / (epochs · w / max w)`, −1 where that count is 0.
    static func epochsPerSample(weights: [Float], epochs: Int) -> [Double] {
        let maxWeight = Double(weights.max() ?? 0)
        return weights.map { w in
            let samples = maxWeight > 0 ? Double(epochs) * (Double(w) / maxWeight) : 0
            return samples > 0 ? Double(epochs) / samples : -1
        }
    }

    /// The order in which an epoch visits the edges: within each chunk of `chunkSize` edges, every 64th edge, then
    /// every 64th from the next offset, and so on.
    ///
    /// The edges come sorted by head (a point's edges are consecutive), and each sample moves its head, which the next
    /// sample of the same head must wait for: in the original order an epoch is one long chain of dependent
    /// computations. Sixty-four edges apart, consecutive samples (almost always) belong to different points, and their
    /// work overlaps. Chunks keep their edges, so parallel workers still touch mostly disjoint points. The visiting
    /// order within an epoch is free in SGD (umap-learn's parallel mode has none).
    static func interleavedOrder(count: Int, chunkSize: Int, stride: Int = 64) -> [Int] {
        var order = [Int]()
        order.reserveCapacity(count)
        var lo = 0
        while lo < count {
            let hi = min(count, lo + max(1, chunkSize))
            for r in 0..<min(stride, hi - lo) {
                var e = lo + r
                while e < hi {
                    order.append(e)
                    e += stride
                }
            }
            lo = hi
        }
        return order
    }

    /// Runs `epochs` epochs on `head` (`heads`' vertices, row-major × dimensions) against `tail`.
    ///
    /// `tail` may be the same buffer as `head` (fit). With `parallel`, edges are split into fixed chunks run
    /// concurrently (Hogwild: unsynchronised updates, as umap-learn's parallel mode); otherwise in order.
    func run(
        head: UnsafeMutablePointer<Float>, tail: UnsafeMutablePointer<Float>, epochs: Int, seed: UInt64,
        parallel: Bool, progress: ((Int) -> Void)?
    ) {
        let edgeCount = heads.count
        guard edgeCount > 0, epochs > 0 else { return }
        // Small graphs run on one thread: an epoch is then shorter than waking the workers.
        let chunkCount = parallel && edgeCount >= 65_536 ? max(1, Parallel.workerCount) * 16 : 1
        let chunkSize = (edgeCount + chunkCount - 1) / chunkCount
        // Edges are visited in an interleaved order (see `interleavedOrder`), so that consecutive samples rarely
        // share a head and the processor overlaps them.
        let order = Self.interleavedOrder(count: edgeCount, chunkSize: chunkSize)
        let heads = order.map { self.heads[$0] }
        let tails = order.map { self.tails[$0] }
        let epochsPerSample = order.map { self.epochsPerSample[$0] }
        let negRate = Double(negativeSampleRate)
        var nextSample = epochsPerSample
        var perNegative = epochsPerSample.map { $0 / negRate }
        // No negative samples: a period so long that none falls due. (Infinity made the count (n − ∞)/∞ = NaN, which
        // traps when converted to Int.)
        if negativeSampleRate == 0 { perNegative = epochsPerSample.map { _ in Double.greatestFiniteMagnitude } }
        var nextNegative = perNegative
        var generators = (0..<chunkCount).map { SeededRandom(seed: seed, stream: UInt64($0) &+ 0x5EED) }
        let a = Float(curve.a)
        let b = Float(curve.b)
        heads.withUnsafeBufferPointer { hd in
            tails.withUnsafeBufferPointer { tl in
                epochsPerSample.withUnsafeBufferPointer { eps in
                    perNegative.withUnsafeBufferPointer { epn in
                        nextSample.withUnsafeMutableBufferPointer { ns in
                            nextNegative.withUnsafeMutableBufferPointer { nn in
                                generators.withUnsafeMutableBufferPointer { gens in
                                    // No edge, nothing to optimise.
                                    guard let heads = hd.baseAddress, let tails = tl.baseAddress,
                                        let eps = eps.baseAddress, let epn = epn.baseAddress,
                                        let nextSample = ns.baseAddress, let nextNegative = nn.baseAddress,
                                        let generators = gens.baseAddress
                                    else { return }
                                    let k = Kernel(
                                        heads: heads, tails: tails, eps: eps, epn: epn, nextSample: nextSample,
                                        nextNegative: nextNegative, head: head, tail: tail,
                                        generators: generators, a: a, b: b, gamma: gamma,
                                        dim: dimensions, tailCount: tailCount, moveOther: moveOther,
                                        vectorized: vectorized && dimensions == 2 && tailCount < 1 << 30)
                                    for n in 0..<epochs {
                                        let alpha = initialAlpha * (1 - Float(n) / Float(epochs))
                                        if chunkCount == 1 {
                                            k.epoch(n, alpha: alpha, edges: 0..<edgeCount, generator: 0)
                                        } else {
                                            Parallel.forEach(chunkCount) { c in
                                                let lo = c * chunkSize
                                                let hi = min(edgeCount, lo + chunkSize)
                                                if lo < hi { k.epoch(n, alpha: alpha, edges: lo..<hi, generator: c) }
                                            }
                                        }
                                        progress?(n + 1)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The per-epoch SGD step over a range of edges, on raw buffers shared by the workers.
///
/// `@unchecked Sendable`: workers touch disjoint edge state and generators; embedding updates are Hogwild by design.
private struct Kernel: @unchecked Sendable {
    let heads: UnsafePointer<Int32>
    let tails: UnsafePointer<Int32>
    let eps: UnsafePointer<Double>
    let epn: UnsafePointer<Double>
    let nextSample: UnsafeMutablePointer<Double>
    let nextNegative: UnsafeMutablePointer<Double>
    let head: UnsafeMutablePointer<Float>
    let tail: UnsafeMutablePointer<Float>
    let generators: UnsafeMutablePointer<SeededRandom>
    let a: Float
    let b: Float
    let gamma: Float
    let dim: Int
    let tailCount: Int
    let moveOther: Bool
    /// 2-D epochs in `ck_umap_epoch2d_avx2` (only when the processor has AVX2 and FMA).
    let vectorized: Bool

    @inline(__always)
    private func clip(_ v: Float) -> Float { v > 4 ? 4 : (v < -4 ? -4 : v) }

    func epoch(_ n: Int, alpha: Float, edges: Range<Int>, generator: Int) {
        if vectorized {
            epoch2DVectorized(n, alpha: alpha, edges: edges, generator: generator)
            return
        }
        if dim == 2 {
            epoch2D(n, alpha: alpha, edges: edges, generator: generator)
            return
        }
        let epochD = Double(n)
        let twoGammaB = 2 * gamma * b
        let minusTwoAB = -2 * a * b
        for i in edges {
            guard eps[i] > 0, nextSample[i] <= epochD else { continue }
            let j = Int(heads[i])
            let current = head + j * dim
            let other = tail + Int(tails[i]) * dim
            var d2: Float = 0
            for t in 0..<dim {
                let diff = current[t] - other[t]
                d2 += diff * diff
            }
            var coeff: Float = 0
            if d2 > 0 {
                let pb = powf(d2, b)
                coeff = minusTwoAB * (pb / d2) / (a * pb + 1)
            }
            for t in 0..<dim {
                let g = clip(coeff * (current[t] - other[t]))
                current[t] += g * alpha
                if moveOther { other[t] -= g * alpha }
            }
            nextSample[i] += eps[i]
            let negatives = Int((epochD - nextNegative[i]) / epn[i])
            if negatives > 0 {
                var random = InlineXoshiro(generators[generator])
                defer { generators[generator] = random.generator }
                for _ in 0..<negatives {
                    let kk = random.nextInt(below: tailCount)
                    let neg = tail + kk * dim
                    var e2: Float = 0
                    for t in 0..<dim {
                        let diff = current[t] - neg[t]
                        e2 += diff * diff
                    }
                    if e2 > 0 {
                        let c = twoGammaB / ((0.001 + e2) * (a * powf(e2, b) + 1))
                        for t in 0..<dim { current[t] += clip(c * (current[t] - neg[t])) * alpha }
                    }
                }
                nextNegative[i] += Double(negatives) * epn[i]
            } else if negatives < 0 {
                nextNegative[i] += Double(negatives) * epn[i]
            }
        }
    }

    /// `epoch2D` in the C kernel (AVX2 + FMA), with the same random stream.
    private func epoch2DVectorized(_ n: Int, alpha: Float, edges: Range<Int>, generator: Int) {
        var layout = ck_umap_layout2d(
            heads: heads, tails: tails, eps: eps, epn: epn, next_sample: nextSample, next_negative: nextNegative,
            head: head, tail: tail, a: a, b: b, gamma: gamma, tail_count: Int64(tailCount),
            move_other: moveOther ? 1 : 0)
        let s = generators[generator].state
        var state = (s.0, s.1, s.2, s.3)
        withUnsafeMutableBytes(of: &state) { raw in
            // A tuple of four words always has an address.
            guard let base = raw.baseAddress else { return }
            let words = base.assumingMemoryBound(to: UInt64.self)
            ck_umap_epoch2d_avx2(&layout, Double(n), alpha, edges.lowerBound, edges.upperBound, words)
        }
        generators[generator] = SeededRandom(state: state)
    }

    /// The same step for two output dimensions, in the order of work of `ck_umap_epoch2d_avx2` (see its header):
    /// due edges in pairs per block of 1,024 edges, each pair's positions read before either writes, an edge's
    /// attraction and negative samples evaluated at its head's position before the step.
    private func epoch2D(_ n: Int, alpha: Float, edges: Range<Int>, generator: Int) {
        let epochD = Double(n)
        var random = InlineXoshiro(generators[generator])
        defer { generators[generator] = random.generator }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: Self.block) { due in
            var block = edges.lowerBound
            while block < edges.upperBound {
                let end = min(edges.upperBound, block + Self.block)
                var count = 0
                for i in block..<end where nextSample[i] <= epochD && eps[i] > 0 {
                    due[count] = i
                    count += 1
                }
                var q = 0
                while q + 2 <= count {
                    let i1 = due[q]
                    let i2 = due[q + 1]
                    let n1 = takeSchedule(i1, epochD)
                    let n2 = takeSchedule(i2, epochD)
                    if n1 > Self.lanes - 1 || n2 > Self.lanes - 1 {
                        inRuns(i1, negatives: n1, alpha: alpha, random: &random)
                        inRuns(i2, negatives: n2, alpha: alpha, random: &random)
                    } else {
                        let r1 = read(i1, negatives: n1, random: &random)
                        let r2 = read(i2, negatives: n2, random: &random)
                        let s1 = steps(r1)
                        let s2 = steps(r2)
                        write(r1, s1, alpha: alpha)
                        write(r2, s2, alpha: alpha)
                    }
                    q += 2
                }
                if q < count {
                    let i = due[q]
                    inRuns(i, negatives: takeSchedule(i, epochD), alpha: alpha, random: &random)
                }
                block = end
            }
        }
    }

    /// Edges per block of the due list, and lanes per edge (the attraction and up to 15 negative samples).
    private static let block = 1024
    private static let lanes = 16

    /// One edge's reads: lane 0 the tail, lanes 1… the negative samples (`live` false where unused or the head).
    private struct EdgeReads {
        var j: Int
        var k: Int
        var cx: Float
        var cy: Float
        var px = SIMD16<Float>()
        var py = SIMD16<Float>()
        var live = SIMD16<Int32>()
        var count = 0
    }

    /// Advances edge `i`'s schedules; returns its number of negative samples this epoch.
    @inline(__always)
    private func takeSchedule(_ i: Int, _ epoch: Double) -> Int {
        nextSample[i] += eps[i]
        let negatives = Int((epoch - nextNegative[i]) / epn[i])
        nextNegative[i] += Double(negatives) * epn[i]
        return negatives
    }

    @inline(__always)
    private func read(_ i: Int, negatives: Int, random: inout InlineXoshiro) -> EdgeReads {
        let j = Int(heads[i])
        let k = Int(tails[i])
        var r = EdgeReads(j: j, k: k, cx: head[2 * j], cy: head[2 * j + 1])
        r.count = 1 + max(0, min(negatives, Self.lanes - 1))
        r.px[0] = tail[2 * k]
        r.py[0] = tail[2 * k + 1]
        r.live[0] = 1
        for l in 1..<r.count {
            let kk = random.nextInt(below: tailCount)
            if moveOther && kk == j { continue }
            r.px[l] = tail[2 * kk]
            r.py[l] = tail[2 * kk + 1]
            r.live[l] = 1
        }
        return r
    }

    /// The clipped attraction (x, y) and the summed clipped repulsions (x, y), before the learning rate.
    @inline(__always)
    private func steps(_ r: EdgeReads) -> (Float, Float, Float, Float) {
        var attraction: (Float, Float) = (0, 0)
        var sx: Float = 0
        var sy: Float = 0
        for l in 0..<r.count where r.live[l] != 0 {
            let nx = r.cx - r.px[l]
            let ny = r.cy - r.py[l]
            let e2 = nx * nx + ny * ny
            guard e2 > 0 else { continue }
            let pb = powf(e2, b)
            let t = a * pb + 1
            if l == 0 {
                let c = (-2 * a * b * pb) / (e2 * t)
                attraction = (clip(c * nx), clip(c * ny))
            } else {
                let c = (2 * gamma * b) / ((0.001 + e2) * t)
                sx += clip(c * nx)
                sy += clip(c * ny)
            }
        }
        return (attraction.0, attraction.1, sx, sy)
    }

    @inline(__always)
    private func write(_ r: EdgeReads, _ g: (Float, Float, Float, Float), alpha: Float) {
        let ax = g.0 * alpha
        let ay = g.1 * alpha
        if moveOther {
            tail[2 * r.k] = r.px[0] - ax
            tail[2 * r.k + 1] = r.py[0] - ay
        }
        head[2 * r.j] = (r.cx + ax) + g.2 * alpha
        head[2 * r.j + 1] = (r.cy + ay) + g.3 * alpha
    }

    /// One edge alone, its negative samples in runs of at most 15 (the attraction with the first run).
    private func inRuns(_ i: Int, negatives: Int, alpha: Float, random: inout InlineXoshiro) {
        var left = negatives
        var first = true
        repeat {
            let run = min(left, Self.lanes - 1)
            var r = read(i, negatives: run, random: &random)
            if !first { r.live[0] = 0 }
            write(r, steps(r), alpha: alpha)
            left -= run
            first = false
        } while left > 0
    }
}

/// ``SeededRandom``'s generator (xoshiro256\*\*) and its unbiased `nextInt(below:)`, the same stream, in a form the
/// compiler inlines into the SGD loop (the calls into DriftCore were a measurable part of an epoch).
private struct InlineXoshiro {
    var s0: UInt64
    var s1: UInt64
    var s2: UInt64
    var s3: UInt64

    init(_ generator: SeededRandom) { (s0, s1, s2, s3) = generator.state }

    /// The generator in its current state.
    var generator: SeededRandom { SeededRandom(state: (s0, s1, s2, s3)) }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// A uniform integer in `0..<bound` (`bound > 0`), as `SeededRandom.nextInt(below:)` (Lemire 2019).
    @inline(__always)
    mutating func nextInt(below bound: Int) -> Int {
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }
}
