import ArgumentParser
import DriftCore
import Foundation

/// `embedding-drift bench bf16gemm`: GFLOP/s of the AVX-512 BF16 product next to BLAS sgemm on the same shapes.
struct BenchBF16GEMM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bf16gemm",
        abstract: "Measure the AVX-512 BF16 matrix product (--compute bf16) next to BLAS sgemm, in GFLOP/s.",
        discussion: """
            Shapes are M×K×N: C (M×N) = A (M×K) · Bᵀ with B stored N×K. The bf16 time includes rounding and \
            packing A (done on every product in the forward pass); B is packed once beforehand, as at load. Every \
            product runs once to warm up, then at least --runs times and for at least --minimum-seconds; the \
            fastest run counts. Needs a CPU with AVX-512 BF16.
            """
    )

    @Option(help: "Shapes M×K×N, comma-separated, e.g. 1600x2048x8192 ('default' for the built-in set).")
    var shapes: String = "default"

    @Option(help: "Thread counts to measure, comma-separated; 'all' is every processor.")
    var threads: String = "all"

    @Option(help: "Timed runs per product, at least (the fastest counts).")
    var runs: Int = 3

    @Option(help: "Keep repeating each product until its timed runs add up to this many seconds.")
    var minimumSeconds: Double = 0.5

    @Flag(help: "Print the report as JSON on stdout instead of a table.")
    var json = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard minimumSeconds >= 0, minimumSeconds <= 3600 else {
            throw ValidationError("--minimum-seconds must be between 0 and 3600")
        }
        _ = try parsedShapes()
        _ = try parsedThreads()
    }

    func run() throws {
        guard BF16GEMM.isAvailable else {
            throw DriftError(.unsupported, "bench bf16gemm needs a CPU with AVX-512 BF16; this one has none")
        }
        let shapes = try parsedShapes()
        let threadCounts = try parsedThreads()
        let progress = ProgressReporter(quiet: json)
        defer { progress.finish() }
        let line = progress.begin("bf16gemm", total: shapes.count * threadCounts.count, unit: "shapes")
        let report = BF16GEMMBenchmark.run(
            shapes: shapes, threadCounts: threadCounts, runs: runs, minimumSeconds: minimumSeconds
        ) { done, _ in line.update(completed: done) }
        progress.finish()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print(
            "shape                        M×K×N                threads   sgemm GFLOP/s   bf16 GFLOP/s   bf16/sgemm"
                + "   in place GFLOP/s")
        for result in report.results {
            let s = result.shape
            print(
                s.label.padding(toLength: 28, withPad: " ", startingAt: 0) + " "
                    + "\(s.m)×\(s.k)×\(s.n)".padding(toLength: 20, withPad: " ", startingAt: 0)
                    + String(
                        format: " %7d   %13.1f   %12.1f   %9.2f×   %16.1f", result.threads, result.sgemmGflops,
                        result.bf16Gflops, result.speedup, result.inPlaceGflops))
        }
        print(
            String(
                format: "peak: bf16 %.1f, sgemm %.1f GFLOP/s; load average %@", report.bf16PeakGflops,
                report.sgemmPeakGflops, report.loadAverage.map { String(format: "%.2f", $0) } ?? "n/a"))
    }

    private func parsedShapes() throws -> [SgemmBenchmark.Shape] {
        try BenchSgemm.shapes(shapes, defaults: BF16GEMMBenchmark.defaultShapes)
    }

    private func parsedThreads() throws -> [Int] { try BenchSgemm.threadCounts(threads) }
}
