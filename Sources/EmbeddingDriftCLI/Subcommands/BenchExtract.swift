import ArgumentParser
import DriftCore
import DriftModels
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `embedding-drift bench extract`: how fast concept extraction runs on a checkpoint, against the sgemm peak.
struct BenchExtract: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Time concept extraction on a checkpoint: tokens/s, GFLOP/s vs this machine's sgemm peak, peak RSS.",
        discussion: """
            Loads the model once, then extracts the vocabulary --runs times (the fastest run counts) and writes \
            nothing. GFLOP/s counts the blocks' linear layers over the token rows actually computed (2 · rows · \
            parameters; with prefix sharing, the opening the prompts share counts once per batch) and attention \
            (2 · heads · head width · Σ prompt length² per layer); the sgemm peak is a 2048³ product on the \
            same threads. With --compute bf16 the bf16 kernel's peak (2048³, `bench bf16gemm`) is measured too and the \
            fraction of peak is against it. Benchmarks/scripts/extract_vs_transformers.py puts transformers beside it.
            """)

    @Argument(
        help: ArgumentHelp(
            "A Hugging Face checkpoint folder or a .gguf file, optionally with @<scheme>.", valueName: "model"))
    var model: String

    @OptionGroup var vocabulary: VocabularyOptions
    @OptionGroup var extraction: ExtractionOptions
    @OptionGroup var memory: MemoryOptions
    @OptionGroup var computeOptions: ComputeOptions

    @Flag(help: "When streaming, read each block only when it is needed (no background reading of the next block).")
    var noPrefetch = false

    @Option(help: "Timed extractions (the fastest counts).")
    var runs: Int = 1

    @Flag(help: "Print the report as JSON on stdout instead of a table.")
    var json = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

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

    mutating func run() throws {
        let settings = try extraction.settings()
        let vocabulary = try vocabulary.load()
        let reporter = ProgressReporter(quiet: json)
        defer { reporter.finish() }
        let loadLine = reporter.begin("loading", total: nil, unit: "blocks")
        let budget = try memory.budget()
        let compute = try computeOptions.precision()
        let checkpoint = try LoadedCheckpoint.load(model, budget: budget, compute: compute) { stage in
            if case .block(let loaded, let total) = stage { loadLine.update(completed: loaded, total: total) }
        }
        var best: EmbeddingSet?
        var bestStreaming: StreamingProgress?
        for run in 1...runs {
            var runModel = checkpoint.model
            let streamed = StreamingStats()
            if var streaming = runModel as? StreamingTransformerModel {
                let line = reporter.begin("streaming (run \(run)/\(runs))", total: streaming.layerCount, unit: "layers")
                streaming.prefetch = !noPrefetch
                streaming.progress = { progress in
                    streamed.last = progress
                    line.update(completed: progress.layersDone, total: progress.layerCount)
                }
                runModel = streaming
            }
            let line = reporter.begin("extracting (run \(run)/\(runs))", total: nil, unit: "tokens")
            let set = try Extractor(tokenizer: checkpoint.tokenizer, model: runModel, settings: settings)
                .extract(vocabulary) { line.update(completed: $0.tokensDone, total: $0.tokenCount) }
            if best.map({ set.timings.forwardSeconds < $0.timings.forwardSeconds }) ?? true {
                best = set
                bestStreaming = streamed.last
            }
        }
        guard let set = best else { return }
        let peakLine = reporter.begin("sgemm peak", total: nil)
        let threads = BLAS.threadCount
        let sgemmPeak = SgemmBenchmark.quickPeak(threads: threads)
        let bf16Peak = compute == .bf16 ? BF16GEMMBenchmark.quickPeak(threads: Parallel.workerCount) : nil
        let peak = bf16Peak ?? sgemmPeak
        peakLine.finish()
        reporter.finish()

        let spec =
            (checkpoint.model as? TransformerModel)?.spec ?? (checkpoint.model as? StreamingTransformerModel)?.spec
        // The blocks run: up to the deepest hidden state kept.
        let blocks = set.layers.max() ?? 0
        let flop = spec.map {
            Self.flop($0, lengths: set.tokenCounts, computedTokens: set.timings.computedTokens, blocks: blocks)
        }
        let weights = spec.map { Self.float32WeightBytes($0) }
        let timings = set.timings
        let rss = Self.peakRSSBytes()
        let report = Report(
            model: model, threads: threads, concepts: vocabulary.count, tokens: timings.tokens,
            computedTokens: timings.computedTokens, sharesPromptPrefix: settings.sharesPromptPrefix,
            batches: timings.batches,
            maxBatchTokens: settings.maxBatchTokens, layersKept: set.layers.count, loadSeconds: checkpoint.loadSeconds,
            extractSeconds: timings.tokenizeSeconds + timings.forwardSeconds, forwardSeconds: timings.forwardSeconds,
            tokensPerSecond: timings.tokensPerSecond, gflop: flop.map { $0 / 1e9 },
            gflopsPerSecond: flop.map { $0 / timings.forwardSeconds / 1e9 }, sgemmPeakGflops: sgemmPeak,
            fractionOfPeak: flop.map { $0 / timings.forwardSeconds / 1e9 / peak }, peakRSSBytes: rss,
            float32WeightBytes: weights, rssOverFloat32Weights: weights.map { Double(rss) / Double($0) },
            mode: bestStreaming == nil ? "in memory" : "streaming", maxMemoryBytes: budget.bytes,
            prefetch: bestStreaming.map { _ in !noPrefetch }, weightWaitSeconds: bestStreaming?.weightWaitSeconds,
            computeSeconds: bestStreaming?.computeSeconds,
            secondsPerLayer: bestStreaming.map { $0.elapsedSeconds / Double(max(1, $0.layerCount)) },
            loadAverage: Self.loadAverage(), compute: compute.rawValue, bf16PeakGflops: bf16Peak)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("model             \(model)")
        print(
            "concepts, tokens  \(report.concepts), \(report.tokens) in "
                + (bestStreaming == nil
                    ? "\(report.batches) batches of ≤ \(report.maxBatchTokens) tokens" : "one pass through each block")
                + (timings.computedTokens < timings.tokens
                    ? "; \(timings.computedTokens) token rows computed (shared prompt opening once per batch)" : ""))
        print(
            "mode              \(report.mode) (--max-memory \(budget))"
                + (report.prefetch.map { $0 ? ", next block read in the background" : ", no background reading" } ?? "")
        )
        print("compute           \(compute.rawValue)")
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
                "GFLOP/s           \(String(format: "%.1f", gflops))  = \(String(format: "%.0f", fraction * 100))% of \(bf16Peak == nil ? "sgemm" : "bf16 kernel") peak \(String(format: "%.1f", peak)) (\(threads) threads)"
            )
        }
        print(
            "peak RSS          \(String(format: "%.2f", Double(rss) / 1_073_741_824)) GiB"
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
private final class StreamingStats: @unchecked Sendable {
    // Safe to share: written only by the progress callback, which runs on the thread that runs the extraction and
    // reads it afterwards.
    var last: StreamingProgress?
}
