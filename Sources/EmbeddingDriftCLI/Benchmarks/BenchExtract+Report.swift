import ArgumentParser
import DriftCore
import DriftModels
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `bench extract` reports and how it derives it: the report's fields, the work counted, the memory measured.
extension BenchExtract {
    /// One run's figures (the `--json` output).
    struct Report: Codable {
        var model: String
        var threads: Int
        var concepts: Int
        var tokens: Int
        /// Token rows the blocks computed (`tokens` minus the shared openings computed once per batch).
        var computedTokens: Int? = nil
        var sharesPromptPrefix: Bool? = nil
        var batches: Int
        var maxBatchTokens: Int
        var layersKept: Int
        var loadSeconds: Double
        var extractSeconds: Double
        var forwardSeconds: Double
        var tokensPerSecond: Double
        var gflop: Double?
        var gflopsPerSecond: Double?
        var sgemmPeakGflops: Double
        var fractionOfPeak: Double?
        var peakRSSBytes: Int
        var float32WeightBytes: Int?
        var rssOverFloat32Weights: Double?
        var mode: String = "in memory"
        var maxMemoryBytes: Int = 0
        var prefetch: Bool? = nil
        var weightWaitSeconds: Double? = nil
        var computeSeconds: Double? = nil
        var secondsPerLayer: Double? = nil
        var loadAverage: String? = nil
        var compute: String = ComputePrecision.f32.rawValue
        /// The bf16 kernel's GFLOP/s on a 2048³ product (with --compute bf16); `fractionOfPeak` is against it then.
        var bf16PeakGflops: Double? = nil
    }

    /// Prints `report` as an aligned table; `streamed` when the blocks were streamed, `peak` the GFLOP/s the
    /// fraction of peak is against.
    static func printTable(_ report: Report, streamed: Bool, budget: MemoryBudget, peak: Double) {
        let computed = report.computedTokens ?? report.tokens
        print("model             \(report.model)")
        print(
            "concepts, tokens  \(report.concepts), \(report.tokens) in "
                + (!streamed
                    ? "\(report.batches) batches of ≤ \(report.maxBatchTokens) tokens" : "one pass through each block")
                + (computed < report.tokens
                    ? "; \(computed) token rows computed (shared prompt opening once per batch)" : ""))
        print(
            "mode              \(report.mode) (--max-memory \(budget))"
                + (report.prefetch.map { $0 ? ", next block read in the background" : ", no background reading" } ?? "")
        )
        print("compute           \(report.compute)")
        print("load              \(String(format: "%.2f", report.loadSeconds)) s")
        print(
            "extract           \(String(format: "%.3f", report.extractSeconds)) s  (forward \(String(format: "%.3f", report.forwardSeconds)) s)"
        )
        if let wait = report.weightWaitSeconds, let compute = report.computeSeconds,
            let perLayer = report.secondsPerLayer
        {
            print(
                "per layer         \(String(format: "%.2f", perLayer)) s  (computing \(String(format: "%.1f", compute)) s, waiting for weights \(String(format: "%.1f", wait)) s in all)"
            )
        }
        print("tokens/s          \(String(format: "%.1f", report.tokensPerSecond))")
        if let gflops = report.gflopsPerSecond, let fraction = report.fractionOfPeak {
            print(
                "GFLOP/s           \(String(format: "%.1f", gflops))  = \(String(format: "%.0f", fraction * 100))% of \(report.bf16PeakGflops == nil ? "sgemm" : "bf16 kernel") peak \(String(format: "%.1f", peak)) (\(report.threads) threads)"
            )
        }
        print(
            "peak RSS          \(String(format: "%.2f", Double(report.peakRSSBytes) / 1_073_741_824)) GiB"
                + (report.rssOverFloat32Weights.map { String(format: "  = %.2f× the float32 weights", $0) } ?? ""))
        if let load = report.loadAverage { print("load average      \(load) (after the run)") }
    }

    /// Multiply-adds × 2 of the first `blocks` blocks for prompts of `lengths` tokens.
    ///
    /// `computedTokens` rows went through the linear layers (the LM head is never computed). Attention is counted as
    /// if every prompt ran in full: at most a few thousandths of the total for concept prompts.
    static func flop(_ spec: ArchitectureSpec, lengths: [Int], computedTokens: Int, blocks: Int) -> Double {
        let hidden = Double(spec.hiddenSize)
        let attentionWidth = Double(spec.headCount * spec.headDimension)
        let keyValueWidth = Double(spec.keyValueHeadCount * spec.headDimension)
        let feedForward = Double(spec.intermediateSize) * hidden * (spec.gatedMLP ? 3 : 2)
        let linear = hidden * attentionWidth * 2 + hidden * keyValueWidth * 2 + feedForward
        let tokens = Double(computedTokens)
        let squares = Double(lengths.reduce(0) { $0 + $1 * $1 })
        let perLayer = 2 * linear * tokens + 2 * attentionWidth * squares
        return perLayer * Double(blocks)
    }

    /// The bytes of the model's weights held as float32 (embeddings and the blocks' linear layers; norms are noise).
    static func float32WeightBytes(_ spec: ArchitectureSpec) -> Int {
        let hidden = spec.hiddenSize
        let attention =
            hidden * spec.headCount * spec.headDimension * 2 + hidden * spec.keyValueHeadCount * spec.headDimension * 2
        let feedForward = spec.intermediateSize * hidden * (spec.gatedMLP ? 3 : 2)
        return 4 * (spec.vocabularySize * hidden + spec.layerCount * (attention + feedForward))
    }

    /// `/proc/loadavg`'s three load averages, or nil off Linux.
    static func loadAverage() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The process's peak resident set size in bytes.
    static func peakRSSBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Int(usage.ru_maxrss) * 1024
        #else
            getrusage(RUSAGE_SELF, &usage)
            return Int(usage.ru_maxrss)
        #endif
    }
}

/// The last streaming progress of a run (written by the model's progress callback on the extracting thread).
final class StreamingStats: @unchecked Sendable {
    // Safe to share: written only by the progress callback, which runs on the thread that runs the extraction and
    // reads it afterwards.
    var last: StreamingProgress?
}
