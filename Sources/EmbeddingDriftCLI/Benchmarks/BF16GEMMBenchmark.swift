import DriftCore
import Foundation

/// Measures the AVX-512 BF16 product (``DriftCore/BF16GEMM``) beside BLAS sgemm on the same shapes and threads.
///
/// Shapes are `C (m × n) = A (m × k) · Bᵀ` with `B` stored `n × k` (a weight applied to `m` tokens). The bf16 time
/// includes rounding and packing the activations (as the forward pass does on every call); the weight is packed once
/// beforehand, as at load. The product reading the weight's bf16 rows in place (as a bf16 checkpoint loaded whole
/// is) is timed beside it.
enum BF16GEMMBenchmark {
    /// One shape on one thread count.
    struct Result: Codable, Equatable, Sendable {
        var shape: SgemmBenchmark.Shape
        var threads: Int
        var sgemmSeconds: Double
        var sgemmGflops: Double
        var bf16Seconds: Double
        var bf16Gflops: Double
        /// The same product with the weight's bf16 rows read in place (no packed copy).
        var inPlaceSeconds: Double
        var inPlaceGflops: Double
        /// `bf16Gflops / sgemmGflops`.
        var speedup: Double
    }

    /// Everything `bench bf16gemm` measured.
    struct Report: Codable, Equatable, Sendable {
        var benchmark = "bf16gemm"
        var backend: String
        var processors: Int
        var minimumSeconds: Double
        /// The 1-minute load average when the measurements ended.
        var loadAverage: Double?
        var results: [Result]
        /// The best bf16 and sgemm GFLOP/s over everything measured.
        var bf16PeakGflops: Double
        var sgemmPeakGflops: Double
    }

    /// The shapes measured by default: the Llama-3.2-1B products at 1,600 tokens (k, n ∈ 2048…16384) and 2048³.
    static let defaultShapes: [SgemmBenchmark.Shape] = [
        .init(m: 2048, k: 2048, n: 2048, transposeB: true, label: "square 2048"),
        .init(m: 1600, k: 2048, n: 3072, transposeB: true, label: "llama-1b qkv"),
        .init(m: 1600, k: 2048, n: 2048, transposeB: true, label: "llama-1b attn out"),
        .init(m: 1600, k: 2048, n: 16384, transposeB: true, label: "llama-1b gate+up"),
        .init(m: 1600, k: 8192, n: 2048, transposeB: true, label: "llama-1b down"),
        .init(m: 512, k: 640, n: 2048, transposeB: true, label: "gemma-270m ff-up"),
    ]

    /// Measures every shape on every thread count (BLAS and ``DriftCore/Parallel`` thread counts are restored).
    static func run(
        shapes: [SgemmBenchmark.Shape], threadCounts: [Int], runs: Int, minimumSeconds: Double,
        progress: (Int, Int) -> Void = { _, _ in }
    ) -> Report {
        let savedBLAS = BLAS.threadCount
        let savedWorkers = Parallel.workerCount
        defer {
            BLAS.threadCount = savedBLAS
            Parallel.workerCount = savedWorkers
        }
        var random = SeededRandom(seed: 1600)
        var results: [Result] = []
        let total = shapes.count * threadCounts.count
        for (index, shape) in shapes.enumerated() {
            let a = (0..<(shape.m * shape.k)).map { _ in random.nextFloat(in: -1..<1) }
            let weight = Matrix(
                rows: shape.n, columns: shape.k,
                storage: (0..<(shape.n * shape.k)).map { _ in random.nextFloat(in: -1..<1) })
            let packed = BF16PackedMatrix(weight)
            let bits = weight.storage.map(HalfPrecision.bfloat16(from:))
            var c = [Float](repeating: 0, count: shape.m * shape.n)
            for (threadIndex, threads) in threadCounts.enumerated() {
                BLAS.threadCount = threads
                Parallel.workerCount = threads
                let sgemm = BenchmarkTimer.best(runs: runs, minimumSeconds: minimumSeconds, warmUp: 1) {
                    a.withUnsafeBufferPointer { pa in
                        weight.storage.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                guard let pa = pa.baseAddress, let pb = pb.baseAddress, let pc = pc.baseAddress else {
                                    return
                                }
                                BLAS.sgemm(
                                    .none, .transpose, m: shape.m, n: shape.n, k: shape.k, a: pa, lda: shape.k, b: pb,
                                    ldb: shape.k, c: pc, ldc: shape.n)
                            }
                        }
                    }
                }
                let bf16 = BenchmarkTimer.best(runs: runs, minimumSeconds: minimumSeconds, warmUp: 1) {
                    a.withUnsafeBufferPointer { pa in
                        c.withUnsafeMutableBufferPointer { pc in
                            guard let pa = pa.baseAddress, let pc = pc.baseAddress else { return }
                            BF16GEMM.multiply(pa, m: shape.m, lda: shape.k, by: packed, into: pc, ldc: shape.n)
                        }
                    }
                }
                let inPlace = bits.withUnsafeBufferPointer { values -> Double in
                    guard let base = values.baseAddress,
                        let rows = BF16Rows(
                            columns: shape.k, parts: [BF16Rows.Part(values: base, rows: shape.n)], owner: 0)
                    else { return .nan }
                    let matrix = BF16PackedMatrix(inPlace: rows)
                    return BenchmarkTimer.best(runs: runs, minimumSeconds: minimumSeconds, warmUp: 1) {
                        a.withUnsafeBufferPointer { pa in
                            c.withUnsafeMutableBufferPointer { pc in
                                guard let pa = pa.baseAddress, let pc = pc.baseAddress else { return }
                                BF16GEMM.multiply(pa, m: shape.m, lda: shape.k, by: matrix, into: pc, ldc: shape.n)
                            }
                        }
                    }
                }
                results.append(
                    Result(
                        shape: shape, threads: threads, sgemmSeconds: sgemm, sgemmGflops: shape.flops / sgemm / 1e9,
                        bf16Seconds: bf16, bf16Gflops: shape.flops / bf16 / 1e9, inPlaceSeconds: inPlace,
                        inPlaceGflops: shape.flops / inPlace / 1e9, speedup: sgemm / bf16))
                progress(index * threadCounts.count + threadIndex + 1, total)
            }
        }
        return Report(
            backend: BLAS.backendDescription, processors: ProcessInfo.processInfo.activeProcessorCount,
            minimumSeconds: minimumSeconds, loadAverage: SgemmBenchmark.loadAverage(), results: results,
            bf16PeakGflops: results.map(\.bf16Gflops).max() ?? 0, sgemmPeakGflops: results.map(\.sgemmGflops).max() ?? 0
        )
    }

    /// The bf16 GFLOP/s of a 2048³ product on `threads` threads (best of 3 runs and of 0.5 s).
    static func quickPeak(threads: Int) -> Double {
        run(shapes: [defaultShapes[0]], threadCounts: [threads], runs: 3, minimumSeconds: 0.5).bf16PeakGflops
    }
}
