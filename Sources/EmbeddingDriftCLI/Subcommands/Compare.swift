import ArgumentParser
import DriftAnalysis
import DriftCore
import DriftModels
import Foundation

/// `embedding-drift compare`: extract every variant (reusing finished ones), analyse every pair, write the run.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract every model variant and measure how the concepts drift between them.",
        discussion: """
            Each name=model is a variant (a Hugging Face checkpoint folder, a .gguf file, or a Hugging Face Hub \
            model hf:<owner>/<name>[#<revision>] taken from the local cache and downloaded when missing, each \
            optionally with @<scheme>); their order is meaningful (a time \
            series: drift from the first and step to step with 3+ variants). Every variant is extracted into --out \
            as `extract` does — unless --out already holds a finished extraction with the same fingerprint (model \
            files, template, pooling, layers, vocabulary, tool version), which is reused. Each variant is on disk \
            before the next starts, so an interrupted run loses nothing finished and the next run resumes.

            Then every pair is analysed at every stored layer (the last is the headline): tables/*.csv|json, \
            umap_<variant>.npy (joint UMAP), summary.json and summary.md. `analyze <dir>` redoes this step alone.

            Example: embedding-drift compare base=~/models/Llama-3.2-1B instruct=~/models/Llama-3.2-1B-Instruct \
            --vocab seed-235 --out runs/llama
            """)

    @Argument(help: ArgumentHelp("Two or more variants, in order.", valueName: "name=model"))
    var variants: [String]

    @OptionGroup var vocabulary: VocabularyOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var extraction: ExtractionOptions
    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var memory: MemoryOptions
    @OptionGroup var computeOptions: ComputeOptions
    @OptionGroup var hub: HubOptions
    @OptionGroup var sharding: ShardOptions

    @Option(
        help: ArgumentHelp(
            "Paraphrased templates for the noise floor, separated by '|' (each with {term}; at least two).",
            discussion: "Every variant is also extracted with each of them (into noise/<variant>/); the drift between "
                + "them inside one variant is what \"no change\" looks like, and tables/noise_floor expresses each "
                + "concept's drift relative to it.",
            valueName: "a|b|…"))
    var templates: String?

    @Flag(help: "Draw no progress lines, even on a terminal.")
    var quiet = false

    mutating func run() throws {
        // Everything that can be checked without a model is checked first.
        let specifications = try VariantSpecification.parseAll(variants, what: "model")
        let budget = try memory.budget()
        let compute = try computeOptions.precision()
        let settings = try extraction.settings()
        let vocabulary = try self.vocabulary.load()
        let shard = try sharding.parsed()
        if shard != nil, templates != nil {
            throw DriftError(.unsupported, "--shard cannot be combined with --templates (noise floors) yet")
        }
        let out = output.url
        _ = try RunManifest.read(in: out)
        try ExtractionWriter.preflight(directory: out, vocabulary: vocabulary)
        try DriftInput.validateNeighborCount(analysis.k, concepts: vocabulary.count)
        let noiseSettings: [ExtractionSettings] =
            try templates.map { list in
                let texts = list.split(separator: "|", omittingEmptySubsequences: true).map(String.init)
                guard texts.count >= 2 else {
                    throw DriftError(.invalidArgument, "--templates needs at least two templates separated by '|'")
                }
                return try texts.map { text in
                    var noise = settings
                    noise.template = try PromptTemplate(text)
                    return noise
                }
            } ?? []

        let reporter = ProgressReporter(quiet: quiet)
        defer { reporter.finish() }
        // Models are resolved (Hub models downloaded when missing) once everything else has been checked.
        let resolver = hub.resolver(reporter: reporter)
        let references = try specifications.map { try ModelReference(parsing: $0.path, hub: resolver) }
        var extracted: [String] = []
        var reused: [String] = []
        let start = Date()
        for (specification, reference) in zip(specifications, references) {
            let name = specification.name
            let scheme = reference.scheme?.rawValue
            let modelURL = URL(fileURLWithPath: reference.path)
            reporter.begin("hashing \(modelURL.lastPathComponent)", total: nil)
            let files = try ModelFiles.inspect(modelURL)
            let fingerprint = VariantFingerprint.compute(
                modelFilesHash: files.hash, scheme: scheme, settings: settings, vocabularyHash: vocabulary.contentHash,
                toolVersion: ToolVersion.current, compute: compute)
            var checkpoint: LoadedCheckpoint?
            func loaded() throws -> LoadedCheckpoint {
                if let checkpoint { return checkpoint }
                let loadLine = reporter.begin("loading \(name)", total: nil, unit: "blocks")
                let model = try LoadedCheckpoint.load(reference, budget: budget, compute: compute) { stage in
                    if case .block(let loaded, let total) = stage { loadLine.update(completed: loaded, total: total) }
                }
                checkpoint = model
                return model
            }
            func extract(_ settings: ExtractionSettings, as variant: String, into directory: URL, label: String) throws
            {
                let model = try loaded()
                let extractLine = reporter.begin("extracting \(label)", total: nil, unit: "tokens")
                let set = try Extractor(tokenizer: model.tokenizer, model: model.model, settings: settings)
                    .extract(vocabulary) { progress in
                        extractLine.update(completed: progress.tokensDone, total: progress.tokenCount)
                    }
                let record = VariantRecord(
                    name: variant, modelPath: modelURL.standardizedFileURL.path, modelFiles: model.files,
                    scheme: scheme,
                    settings: settings, layerCount: model.model.layerCount, toolVersion: ToolVersion.current,
                    loadSeconds: model.loadSeconds, compute: compute, hub: reference.hubOrigin)
                try ExtractionWriter.write(set, record: record, to: directory)
            }
            if let shard {
                // This shard's batches of the unsharded plan, into out/<name>/ (see ShardMerger).
                if try ShardMerger.completedRows(
                    of: name, fingerprint: fingerprint, shard: shard, vocabulary: vocabulary, settings: settings,
                    in: out)
                    != nil
                {
                    reused.append(name)
                    continue
                }
                let model = try loaded()
                let line = reporter.begin("extracting \(name), shard \(shard)", total: nil, unit: "tokens")
                let (rows, set) = try ShardExtractor.extract(
                    vocabulary, shard: shard,
                    extractor: Extractor(tokenizer: model.tokenizer, model: model.model, settings: settings)
                ) { progress in line.update(completed: progress.tokensDone, total: progress.tokenCount) }
                let record = VariantRecord(
                    name: name, modelPath: modelURL.standardizedFileURL.path, modelFiles: model.files, scheme: scheme,
                    settings: settings, layerCount: model.model.layerCount, toolVersion: ToolVersion.current,
                    loadSeconds: model.loadSeconds, compute: compute, hub: reference.hubOrigin)
                try ShardMerger.write(set, rows: rows, record: record, shard: shard, vocabulary: vocabulary, in: out)
                extracted.append(name)
                continue
            }
            if let existing = try ExtractionWriter.completedVariant(fingerprint: fingerprint, in: out) {
                if existing != name { try Self.copyVariant(existing, to: name, in: out) }
                reused.append(name)
            } else {
                try extract(settings, as: name, into: out, label: name)
                extracted.append(name)
            }
            // The noise floor's paraphrases, each finished on disk before the next, reused like the variants.
            let noiseFolder = RunLayout(out).noise(name).root
            for (t, noise) in noiseSettings.enumerated() {
                let noisePrint = VariantFingerprint.compute(
                    modelFilesHash: files.hash, scheme: scheme, settings: noise, vocabularyHash: vocabulary.contentHash,
                    toolVersion: ToolVersion.current, compute: compute)
                if try ExtractionWriter.completedVariant(fingerprint: noisePrint, in: noiseFolder) == "t\(t)" {
                    continue
                }
                try extract(noise, as: "t\(t)", into: noiseFolder, label: "\(name), template \(t + 1)")
                extracted.append("\(name)/t\(t)")
            }
            if !noiseSettings.isEmpty {
                try RunManifest.update(in: noiseFolder) { manifest in
                    manifest.variantOrder = noiseSettings.indices.map { "t\($0)" }
                }
            }
        }
        let extractionSeconds = Date().timeIntervalSince(start)
        reporter.finish()
        try RunManifest.update(in: out) { manifest in
            manifest.variantOrder = specifications.map(\.name)
            manifest.lastRun = RunManifest.LastRun(
                command: "compare", extracted: extracted, reused: reused,
                noiseTemplates: noiseSettings.map(\.template.text),
                settings: RunManifest.LastRun.Settings(
                    template: settings.template.text, pooling: settings.pooling.rawValue,
                    layers: settings.layers.description, addSpecialTokens: settings.addSpecialTokens,
                    sharesPromptPrefix: settings.sharesPromptPrefix),
                models: Dictionary(uniqueKeysWithValues: specifications.map { ($0.name, $0.path) }),
                extractionSeconds: extractionSeconds, finishedAt: RunManifest.timestamp())
        }
        print(
            "variants: \(extracted.count) extracted\(extracted.isEmpty ? "" : " (\(extracted.joined(separator: ", ")))"), "
                + "\(reused.count) reused\(reused.isEmpty ? "" : " (\(reused.joined(separator: ", ")))")")
        if let shard {
            print(
                "shard \(shard) of \(vocabulary.count) concepts in \(out.path); no analysis — join all \(shard.count) "
                    + "shards with `embedding-drift merge <dirs…> --out <dir>`")
            return
        }
        try RunAnalyzer.analyze(
            out, variants: specifications.map(\.name), options: analysis.options, reporter: reporter)
    }

    /// Makes variant `target` a copy of the finished variant `source` of the same fingerprint (files, then the
    /// manifest entry), so that the same model under another name is not extracted again.
    static func copyVariant(_ source: String, to target: String, in directory: URL) throws {
        let layout = RunLayout(directory)
        for (from, to) in [
            (layout.hidden(source), layout.hidden(target)), (layout.embeddings(source), layout.embeddings(target)),
        ] {
            let data: Data
            do {
                data = try Data(contentsOf: from)
            } catch {
                throw DriftError(.io, "cannot read: \(error.localizedDescription)", path: from.path)
            }
            try AtomicFile.write(data, to: to)
        }
        try RunManifest.update(in: directory) { manifest in
            guard var entry = manifest.variant(source) else { return }
            entry.name = target
            entry.copiedFrom = source
            if entry.files != nil {
                entry.files?.hidden = RunLayout.hiddenFileName(target)
                entry.files?.embeddings = RunLayout.embeddingsFileName(target)
            }
            manifest.variants.removeAll { $0.name == target }
            manifest.variants.append(entry)
        }
    }
}
