import DriftCore
import Foundation

/// Measures `cblas_sgemm` (through ``DriftCore/BLAS``) in GFLOP/s: square products and the shapes a transformer's
/// forward pass multiplies, on one thread and on all of them.
///
/// Other benchmarks quote their speed as a fraction of this machine's sgemm peak: call ``quickPeak(threads:)`` or read
/// the JSON that `embedding-drift bench sgemm --json` prints (``Report``).
enum SgemmBenchmark {
    /// One product shape: `C (m × n) = A (m × k) · op(B)`, with `B` stored `n × k` when `transposeB` (a weight
    /// matrix `out × in` applied to activations, as in a transformer) and `k × n` otherwise.
    struct Shape: Codable, Equatable, Sendable {
        var m: Int
        var k: Int
        var n: Int
        var transposeB: Bool
        /// What the shape stands for (`square`, `ff-up`, …).
        var label: String

        /// Floating-point operations of one product: `2 · m · n · k`.
        var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    /// The measurement of one shape on one thread count.
    struct Result: Codable, Equatable, Sendable {
        var shape: Shape
        var threads: Int
        var runs: Int
        /// The fastest run, in seconds.
        var bestSeconds: Double
        /// `flops / bestSeconds / 1e9`.
        var gflops: Double
    }

    /// The best GFLOP/s reached on a thread count.
    struct Peak: Codable, Equatable, Sendable {
        var threads: Int
        var gflops: Double
        var shape: Shape
    }

    /// Everything `bench sgemm` measured, as its `--json` prints it.
    struct Report: Codable, Equatable, Sendable {
        var benchmark = "sgemm"
        /// ``DriftCore/BLAS/backendDescription``.
        var backend: String
        var processors: Int
        /// Each product was repeated until its timed runs added up to this many seconds (and at least `runs` times).
        var minimumSeconds: Double
        /// The system's 1-minute load average when the measurements ended (nil where unavailable): above the
        /// processor count, other processes shared the CPU and the large products ran slower than the machine can.
        var loadAverage: Double?
        var results: [Result]
        /// The best result per thread count, fewest threads first.
        var peaks: [Peak]
        /// The best GFLOP/s over everything measured.
        var peakGflops: Double
    }

    /// Square sizes measured by default.
    static let defaultSquareSizes = [256, 512, 1024, 2048, 4096]

    /// Transformer shapes measured by default: 2048 tokens through a 2048-wide model with an 8192-wide
    /// feed-forward (a 1B-class Llama), and 512 tokens through Gemma 3 270M (640 wide, feed-forward 2048).
    static let defaultTransformerShapes: [Shape] = [
        Shape(m: 2048, k: 2048, n: 2048, transposeB: true, label: "attention 2048"),
        Shape(m: 2048, k: 2048, n: 8192, transposeB: true, label: "ff-up 2048→8192"),
        Shape(m: 2048, k: 8192, n: 2048, transposeB: true, label: "ff-down 8192→2048"),
        Shape(m: 512, k: 640, n: 2048, transposeB: true, label: "gemma-270m ff-up"),
        Shape(m: 512, k: 2048, n: 640, transposeB: true, label: "gemma-270m ff-down"),
    ]

    /// The square shapes for `sizes`.
    static func squareShapes(_ sizes: [Int]) -> [Shape] {
        sizes.map { Shape(m: $0, k: $0, n: $0, transposeB: false, label: "square") }
    }

    /// Measures every shape on every thread count; `progress` is told after each measurement.
    ///
    /// Each product runs once to warm up, then at least `runs` times and for at least `minimumSeconds`; the fastest
    /// run counts. The BLAS thread count is restored afterwards.
    static func run(
        shapes: [Shape], threadCounts: [Int], runs: Int, minimumSeconds: Double = 0,
        progress: (Int, Int) -> Void = { _, _ in }
    ) -> Report {
        let saved = BLAS.threadCount
        defer { BLAS.threadCount = saved }
        var results: [Result] = []
        var random = SeededRandom(seed: 2048)
        let total = shapes.count * threadCounts.count
        // One set of operands per shape, filled once (this also touches every page before timing).
        for (index, shape) in shapes.enumerated() {
            let a = (0..<(shape.m * shape.k)).map { _ in random.nextFloat(in: -1..<1) }
            let b = (0..<(shape.k * shape.n)).map { _ in random.nextFloat(in: -1..<1) }
            var c = [Float](repeating: 0, count: shape.m * shape.n)
            for (threadIndex, threads) in threadCounts.enumerated() {
                BLAS.threadCount = threads
                let seconds = BenchmarkTimer.best(runs: runs, minimumSeconds: minimumSeconds, warmUp: 1) {
                    multiply(shape, a, b, &c)
                }
                results.append(
                    Result(
                        shape: shape, threads: threads, runs: runs, bestSeconds: seconds,
                        gflops: shape.flops / seconds / 1e9))
                progress(index * threadCounts.count + threadIndex + 1, total)
            }
        }
        return report(results, minimumSeconds: minimumSeconds)
    }

    /// The sgemm GFLOP/s of a 2048³ product on `threads` threads (best of 3 runs and of 0.5 s): a quick reference for other
    /// benchmarks ("this run reached 40% of the machine's sgemm peak").
    static func quickPeak(threads: Int) -> Double {
        let shape = Shape(m: 2048, k: 2048, n: 2048, transposeB: true, label: "attention 2048")
        return run(shapes: [shape], threadCounts: [threads], runs: 3, minimumSeconds: 0.5).peakGflops
    }

    /// Assembles a report from results (peaks per thread count, overall peak).
    static func report(_ results: [Result], minimumSeconds: Double = 0) -> Report {
        let byThreads = Dictionary(grouping: results, by: \.threads)
        let peaks = byThreads.keys.sorted().compactMap { threads -> Peak? in
            guard let best = byThreads[threads]?.max(by: { $0.gflops < $1.gflops }) else { return nil }
            return Peak(threads: threads, gflops: best.gflops, shape: best.shape)
        }
        return Report(
            backend: BLAS.backendDescription, processors: ProcessInfo.processInfo.activeProcessorCount,
            minimumSeconds: minimumSeconds, loadAverage: loadAverage(), results: results, peaks: peaks,
            peakGflops: peaks.map(\.gflops).max() ?? 0)
    }

    /// The 1-minute load average, or nil.
    static func loadAverage() -> Double? {
        var values = [Double](repeating: 0, count: 3)
        return getloadavg(&values, 3) >= 1 ? values[0] : nil
    }

    private static func multiply(_ shape: Shape, _ a: [Float], _ b: [Float], _ c: inout [Float]) {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    guard let pa = pa.baseAddress, let pb = pb.baseAddress, let pc = pc.baseAddress else { return }
                    BLAS.sgemm(
                        .none, shape.transposeB ? .transpose : .none, m: shape.m, n: shape.n, k: shape.k,
                        a: pa, lda: shape.k, b: pb, ldb: shape.transposeB ? shape.k : shape.n, c: pc, ldc: shape.n)
                }
            }
        }
    }
}
