import DriftCore
import Foundation

/// umap-learn's `optimize_layout_euclidean`: SGD on the fuzzy cross-entropy, sampling each edge every
/// `epochsPerSample` epochs with `negativeSampleRate` negative samples, gradients clipped to ±4, linear learning-rate
/// decay.
///
/// One difference, for speed: in two dimensions the negative samples of an edge are evaluated at the same head
/// position and their clipped steps added, where umap-learn moves the head after each one (see `epoch2D`).
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

    /// umap-learn's `make_epochs_per_sample`: `epochs / (epochs · w / max w)`, −1 where that count is 0.
    static func epochsPerSample(weights: [Float], epochs: Int) -> [Double] {
        let maxWeight = Double(weights.max() ?? 0)
        return weights.map { w in
            let samples = maxWeight > 0 ? Double(epochs) * (Double(w) / maxWeight) : 0
            return samples > 0 ? Double(epochs) / samples : -1
        }
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
        let negRate = Double(negativeSampleRate)
        var nextSample = epochsPerSample
        var perNegative = epochsPerSample.map { $0 / negRate }
        if negativeSampleRate == 0 { perNegative = epochsPerSample.map { _ in Double.infinity } }
        var nextNegative = perNegative
        // Small graphs run on one thread: an epoch is then shorter than waking the workers.
        let chunkCount = parallel && edgeCount >= 65_536 ? max(1, Parallel.workerCount) * 16 : 1
        let chunkSize = (edgeCount + chunkCount - 1) / chunkCount
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
                                    let k = Kernel(
                                        heads: hd.baseAddress!, tails: tl.baseAddress!, eps: eps.baseAddress!,
                                        epn: epn.baseAddress!, nextSample: ns.baseAddress!,
                                        nextNegative: nn.baseAddress!, head: head, tail: tail,
                                        generators: gens.baseAddress!, a: a, b: b, gamma: gamma,
                                        dim: dimensions, tailCount: tailCount, moveOther: moveOther)
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

    @inline(__always)
    private func clip(_ v: Float) -> Float { v > 4 ? 4 : (v < -4 ? -4 : v) }

    func epoch(_ n: Int, alpha: Float, edges: Range<Int>, generator: Int) {
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
                for _ in 0..<negatives {
                    let kk = generators[generator].nextInt(below: tailCount)
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

    /// The same step for two output dimensions, the head point kept in registers across its negative samples.
    @inline(__always)
    private func epoch2D(_ n: Int, alpha: Float, edges: Range<Int>, generator: Int) {
        let epochD = Double(n)
        let twoGammaB = 2 * gamma * b
        let minusTwoAB = -2 * a * b
        var random = generators[generator]
        defer { generators[generator] = random }
        for i in edges {
            guard nextSample[i] <= epochD, eps[i] > 0 else { continue }
            let j = Int(heads[i])
            let k = Int(tails[i])
            var cx = head[2 * j]
            var cy = head[2 * j + 1]
            let ox = tail[2 * k]
            let oy = tail[2 * k + 1]
            let dx = cx - ox
            let dy = cy - oy
            let d2 = dx * dx + dy * dy
            if d2 > 0 {
                let pb = powf(d2, b)
                let coeff = minusTwoAB * (pb / d2) / (a * pb + 1)
                let gx = clip(coeff * dx) * alpha
                let gy = clip(coeff * dy) * alpha
                cx += gx
                cy += gy
                if moveOther {
                    tail[2 * k] = ox - gx
                    tail[2 * k + 1] = oy - gy
                }
            }
            // The head's coordinates are stored before the negative samples read the tail buffer, which may be the
            // same buffer (fit) — exactly as umap-learn's in-place updates.
            head[2 * j] = cx
            head[2 * j + 1] = cy
            nextSample[i] += eps[i]
            let negatives = Int((epochD - nextNegative[i]) / epn[i])
            if negatives > 0 {
                // The negative samples of one edge are evaluated at the same head position and their clipped steps
                // summed: independent computations the processor overlaps (a sequential chain through `powf` and a
                // division was the optimisation's bottleneck). umap-learn moves the head after each sample; the
                // difference is second order in the learning rate.
                var sx: Float = 0
                var sy: Float = 0
                for _ in 0..<negatives {
                    let kk = random.nextInt(below: tailCount)
                    if moveOther && kk == j { continue }
                    let nx = cx - tail[2 * kk]
                    let ny = cy - tail[2 * kk + 1]
                    let e2 = nx * nx + ny * ny
                    if e2 > 0 {
                        let c = twoGammaB / ((0.001 + e2) * (a * powf(e2, b) + 1))
                        sx += clip(c * nx)
                        sy += clip(c * ny)
                    }
                }
                head[2 * j] = cx + sx * alpha
                head[2 * j + 1] = cy + sy * alpha
            }
            nextNegative[i] += Double(negatives) * epn[i]
        }
    }
}
