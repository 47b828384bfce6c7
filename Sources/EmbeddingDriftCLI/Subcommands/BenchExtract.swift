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
        Self.printTable(report, streamed: bestStreaming != nil, budget: budget, peak: peak)
    }
}
