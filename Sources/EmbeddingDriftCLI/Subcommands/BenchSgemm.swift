import ArgumentParser
import DriftCore
import Foundation

/// `embedding-drift bench sgemm`: GFLOP/s of the BLAS single-precision matrix product.
struct BenchSgemm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sgemm",
        abstract: "Measure BLAS sgemm GFLOP/s on square and transformer-shaped products.",
        discussion: """
            Every product is run once to warm up, then at least --runs times and for at least --minimum-seconds; \
            the fastest run counts. Shapes are \
            M×K×N: C (M×N) = A (M×K) · Bᵀ with B stored N×K, as a transformer applies a weight matrix to M tokens. \
            The peak per thread count is what other benchmarks compare against.
            """
    )

    @Option(help: "Square sizes to measure, comma-separated (empty for none).")
    var sizes: String = SgemmBenchmark.defaultSquareSizes.map(String.init).joined(separator: ",")

    @Option(
        help: """
            Transformer shapes M×K×N, comma-separated, e.g. 2048x2048x8192 ('default' for the built-in set, \
            empty for none).
            """)
    var shapes: String = "default"

    @Option(help: "Thread counts to measure, comma-separated; 'all' is every processor.")
    var threads: String = "1,all"

    @Option(help: "Timed runs per product, at least (the fastest counts).")
    var runs: Int = 3

    @Option(help: "Keep repeating each product until its timed runs add up to this many seconds.")
    var minimumSeconds: Double = 0.5

    @Flag(help: "Print the report as JSON on stdout instead of a table.")
    var json = false

    @Option(help: "Also write the JSON report to this file.")
    var output: String?

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard minimumSeconds >= 0, minimumSeconds <= 3600 else {
            throw ValidationError("--minimum-seconds must be between 0 and 3600")
        }
        _ = try parsedSizes()
        _ = try parsedShapes()
        _ = try parsedThreads()
        guard try !(parsedSizes().isEmpty && parsedShapes().isEmpty) else {
            throw ValidationError("nothing to measure: --sizes and --shapes are both empty")
        }
    }

    func run() throws {
        let shapes = try SgemmBenchmark.squareShapes(parsedSizes()) + parsedShapes()
        let threadCounts = try parsedThreads()
        let progress = ProgressReporter()
        defer { progress.finish() }
        let line = progress.begin("sgemm", total: shapes.count * threadCounts.count, unit: "products")
        let report = SgemmBenchmark.run(
            shapes: shapes, threadCounts: threadCounts, runs: runs, minimumSeconds: minimumSeconds
        ) { done, _ in
            line.update(completed: done)
        }
        progress.finish()
        let data = try Self.encode(report)
        if let output {
            try AtomicFile.write(data + Data("\n".utf8), to: URL(fileURLWithPath: output))
        }
        if json {
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(Self.table(report), terminator: "")
        }
    }

    /// The report as pretty-printed JSON with sorted keys.
    static func encode(_ report: SgemmBenchmark.Report) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(report)
    }

    /// The human-readable table.
    static func table(_ report: SgemmBenchmark.Report) -> String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        let runs = report.results.first?.runs ?? 0
        var text = "sgemm on \(report.backend) (\(report.processors) processors), fastest of ≥ \(runs) runs\n"
        text +=
            [pad("M×K×N", 18), pad("B", 2), pad("shape", 20), pad("threads", 7), pad("ms", 9), pad("GFLOP/s", 8)]
            .joined(separator: " ") + "\n"
        for result in report.results {
            let shape = result.shape
            text += pad("\(shape.m)×\(shape.k)×\(shape.n)", 18) + " " + pad(shape.transposeB ? "ᵀ" : "", 2) + " "
            text += pad(shape.label, 20) + " " + pad(String(result.threads), 7) + " "
            text += pad(String(format: "%.3f", result.bestSeconds * 1000), 9) + " "
            text += pad(String(format: "%.1f", result.gflops), 8) + "\n"
        }
        if let load = report.loadAverage, load > Double(report.processors) {
            text +=
                "note: the load average was \(String(format: "%.1f", load)) on \(report.processors) processors: other "
            text += "processes shared the CPU, so the longer products ran slower than this machine can\n"
        }
        for peak in report.peaks {
            text += "peak on \(peak.threads) thread\(peak.threads == 1 ? "" : "s"): "
            text += String(format: "%.1f", peak.gflops) + " GFLOP/s (\(peak.shape.m)×\(peak.shape.k)×\(peak.shape.n))\n"
        }
        return text
    }

    private func parsedSizes() throws -> [Int] {
        try Self.list(sizes).map { item in
            guard let size = Int(item), size > 0, size <= 32768 else {
                throw ValidationError("--sizes: '\(item)' is not a size between 1 and 32768")
            }
            return size
        }
    }

    private func parsedShapes() throws -> [SgemmBenchmark.Shape] {
        try Self.shapes(shapes, defaults: SgemmBenchmark.defaultTransformerShapes)
    }

    private func parsedThreads() throws -> [Int] { try Self.threadCounts(threads) }
}
