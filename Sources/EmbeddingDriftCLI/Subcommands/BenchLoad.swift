import ArgumentParser
import DriftCore
import Foundation

/// `embedding-drift bench load`: conversion and dequantization GB/s per type, and whole-model loads warm and cold,
/// each next to a `memcpy` of the same size in the same run.
struct BenchLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Measure weight conversion per type and whole-model loading, warm and cold, against memcpy.",
        discussion: """
            First converts --elements values of every stored type the loader reads (F32, F16, BF16 and each GGML \
            block type) to float32 with the loader's own parallel kernels, and copies the same number of float32 \
            bytes with memcpy on the same threads; GB/s counts float32 bytes written. Then, for each --model, loads \
            it whole with its files in the page cache (warm) and, with --cold, after emptying the page cache \
            (/proc/sys/vm/drop_caches as root, else posix_fadvise DONTNEED on the files), beside one sequential \
            read(2) of the files and a memcpy of the weights' size. The fastest of --runs counts.
            """)

    @Option(help: "Values converted per type.")
    var elements: Int = 1 << 26

    @Option(help: "Timed runs (the fastest counts).")
    var runs: Int = 3

    @Option(name: .customLong("model"), help: "A model to load whole (a checkpoint folder or .gguf file); repeatable.")
    var models: [String] = []

    @Flag(help: "Also load each --model from a cold page cache.")
    var cold = false

    @Flag(help: "Print the report as JSON on stdout instead of a table.")
    var json = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard elements >= 256, elements <= 1 << 31 else {
            throw ValidationError("--elements must be between 256 and 2^31")
        }
    }

    func run() throws {
        let progress = ProgressReporter(quiet: json)
        defer { progress.finish() }
        let line = progress.begin("conversion", total: LoadBenchmark.types.count, unit: "types")
        let conversions = try LoadBenchmark.conversions(elements: elements, runs: runs) {
            line.update(completed: $0)
        }
        var loads: [LoadBenchmark.ModelLoad] = []
        for model in models {
            _ = progress.begin("loading \(model)", total: nil)
            loads += try LoadBenchmark.modelLoads(model, runs: runs, cold: cold)
        }
        progress.finish()
        let report = LoadBenchmark.Report(
            threads: Parallel.workerCount, conversions: conversions, models: loads,
            loadAverage: SgemmBenchmark.loadAverage())
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("type     bytes in → out (MB)     seconds   GB/s out   memcpy GB/s   of memcpy")
        for c in conversions {
            print(
                c.type.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + String(
                        format: " %8.1f → %8.1f   %9.4f   %8.2f   %11.2f   %8.0f%%", Double(c.bytesIn) / 1e6,
                        Double(c.bytesOut) / 1e6, c.seconds, c.gigabytesPerSecond, c.memcpyGigabytesPerSecond,
                        100 * c.ofMemcpy))
        }
        for m in loads {
            print(
                String(
                    format: "%@ (%@): files %.2f GB, weights %.2f GB; load %.2f s (%.2f GB/s of file); "
                        + "read(2) of the files %.2f s (%.2f GB/s); memcpy of the weights %.2f s%@",
                    m.model, m.cache, Double(m.fileBytes) / 1e9, Double(m.weightBytes) / 1e9, m.loadSeconds,
                    Double(m.fileBytes) / m.loadSeconds / 1e9, m.readSeconds, Double(m.fileBytes) / m.readSeconds / 1e9,
                    m.memcpySeconds, m.dropped.map { ", cache emptied with \($0)" } ?? ""))
        }
        print(
            "threads \(report.threads); load average \(report.loadAverage.map { String(format: "%.2f", $0) } ?? "n/a")")
    }
}
