import ArgumentParser
import DriftCore
import DriftModels
import DriftPipeline
import Foundation

/// `embedding-drift extract`: one model's hidden states for every concept, written into a run directory.
struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed every concept of a vocabulary with one model and write the vectors into a run directory.",
        discussion: """
            Each concept is put into the template, run through the model natively on the CPU, and the hidden \
            state of the last prompt token (or the mean over tokens) is kept at the selected layers. Written into \
            --out: embeddings_<name>.npy (concepts × hidden, last selected layer, L2-normalised — the reference \
            study's file), hidden_<name>.npy (layers × concepts × hidden, raw), concept_metadata.json and a \
            manifest.json entry with the model's fingerprint, settings, token counts and timings. Nothing is \
            written unless everything succeeds.

            When the model's weights as held (float32; with --compute bf16 the linear weights in bf16) exceed \
            --max-memory (default 70% of physical memory), the blocks \
            are streamed from disk one at a time: all prompts pass through each block, which is then released, so \
            an 8B model runs in about 3 GiB. The hidden states are the same.

            Example: embedding-drift extract ~/models/Llama-3.2-1B --vocab seed-235 --out runs/llama --name base
            """)

    @Argument(
        help: ArgumentHelp(
            "A Hugging Face checkpoint folder (config.json, tokenizer.json, *.safetensors), a .gguf file, or a Hugging Face Hub model hf:<owner>/<name>[#<revision>] (from the local cache, downloaded if missing), optionally followed by @<scheme> to quantize it on load (e.g. model@nf4, model.gguf@q8_0). Schemes: nf4, fp4, int8 (row-wise absmax, LLM.int8 without the outlier decomposition), q8_0, q4_0, q4_k, q6_k.",
            valueName: "model"))
    var model: String

    @OptionGroup var vocabulary: VocabularyOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The variant's name in file names and the manifest (default: the model folder's name).")
    var name: String?

    @OptionGroup var extraction: ExtractionOptions
    @OptionGroup var memory: MemoryOptions
    @OptionGroup var computeOptions: ComputeOptions
    @OptionGroup var hub: HubOptions
    @OptionGroup var sharding: ShardOptions

    @OptionGroup var readout: ReadoutOptions

    @Flag(help: "Draw no progress line, even on a terminal.")
    var quiet = false

    mutating func run() throws {
        // Everything that can be checked without the model is checked first, so a mistake costs no loading time.
        let settings = try extraction.settings()
        let readout = try self.readout.readout(pooling: settings.pooling)
        let budget = try memory.budget()
        let compute = try computeOptions.precision()
        let reporter = ProgressReporter(quiet: quiet)
        defer { reporter.finish() }
        let reference = try ModelReference(parsing: model, hub: hub.resolver(reporter: reporter))
        let vocabulary = try self.vocabulary.load()
        let shard = try sharding.parsed()
        let name = self.name ?? reference.defaultVariantName
        try ExtractionWriter.validate(name: name)
        let out = output.url
        try ExtractionWriter.preflight(directory: out, vocabulary: vocabulary)

        let loadLine = reporter.begin(
            "loading \(reference.hub?.repository ?? URL(fileURLWithPath: reference.path).lastPathComponent)",
            total: nil, unit: "blocks")
        let checkpoint = try LoadedCheckpoint.load(reference, budget: budget, compute: compute) { stage in
            if case .block(let loaded, let total) = stage { loadLine.update(completed: loaded, total: total) }
        }
        let record = VariantRecord(
            name: name, reference: reference, checkpoint: checkpoint, settings: settings, compute: compute,
            toolVersion: ToolVersion.current)
        if let shard {
            // This shard's batches of the unsharded plan, into out/<name>/ (see ShardMerger).
            let line = reporter.begin("extracting \(name), shard \(shard)", total: nil, unit: "tokens")
            let (rows, set) = try ShardExtractor.extract(
                vocabulary, shard: shard,
                extractor: Extractor(tokenizer: checkpoint.tokenizer, model: checkpoint.model, settings: settings),
                readout: readout
            ) { progress in line.update(completed: progress.tokensDone, total: progress.tokenCount) }
            reporter.finish()
            try ShardMerger.write(set, rows: rows, record: record, shard: shard, vocabulary: vocabulary, in: out)
            print("\(name): shard \(shard), \(rows.count) of \(vocabulary.count) concepts in \(out.path)")
            return
        }
        let display = PipelineProgressDisplay(reporter: reporter)
        let set = try VariantExtraction.extract(
            vocabulary, with: checkpoint, settings: settings, label: name, readout: readout
        ) { display.show($0) }
        reporter.finish()

        try ExtractionWriter.write(set, record: record, to: out)

        let timings = set.timings
        print(
            "\(name): \(vocabulary.count) concepts × \(set.layers.count) layers × \(set.hiddenSize) in "
                + "\(Self.format(timings.forwardSeconds + timings.tokenizeSeconds)) s "
                + "(\(timings.tokens) tokens, \(Int(timings.tokensPerSecond.rounded())) tokens/s; loading \(Self.format(checkpoint.loadSeconds)) s)"
        )
        let layout = RunLayout(out)
        let outputs =
            (set.nextTokenLogits == nil ? [] : [layout.logits(name), layout.nextTokens(name)])
            + (set.logitLens == nil ? [] : [layout.logitLens(name)])
        for file in [layout.embeddings(name), layout.hidden(name)] + outputs + [layout.metadata, layout.manifest] {
            print(file.path)
        }
    }

    static func format(_ seconds: Double) -> String {
        String(format: "%.2f", seconds)
    }
}
