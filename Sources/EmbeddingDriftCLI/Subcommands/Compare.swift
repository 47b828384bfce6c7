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
            Each name=model is a variant (a Hugging Face checkpoint folder); their order is meaningful (a time \
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

    @Flag(help: "Draw no progress lines, even on a terminal.")
    var quiet = false

    mutating func run() throws {
        // Everything that can be checked without a model is checked first.
        let specifications = try VariantSpecification.parseAll(variants, what: "model")
        let settings = try extraction.settings()
        let vocabulary = try vocabulary.load()
        let out = output.url
        _ = try RunDirectory.readManifest(in: out)
        try ExtractionWriter.preflight(directory: out, vocabulary: vocabulary)
        try DriftInput.validateNeighborCount(analysis.k, concepts: vocabulary.count)

        let reporter = ProgressReporter(quiet: quiet)
        defer { reporter.finish() }
        var extracted: [String] = []
        var reused: [String] = []
        let start = Date()
        for specification in specifications {
            let name = specification.name
            let modelURL = URL(fileURLWithPath: specification.path)
            reporter.begin("hashing \(modelURL.lastPathComponent)", total: nil)
            let files = try ModelFiles.inspect(modelURL)
            let fingerprint = VariantFingerprint.compute(
                modelFilesHash: files.hash, scheme: nil, settings: settings, vocabularyHash: vocabulary.contentHash,
                toolVersion: ToolVersion.current)
            if let existing = try ExtractionWriter.completedVariant(fingerprint: fingerprint, in: out) {
                if existing != name { try Self.copyVariant(existing, to: name, in: out) }
                reused.append(name)
                continue
            }
            let loadLine = reporter.begin("loading \(name)", total: nil, unit: "blocks")
            let checkpoint = try LoadedCheckpoint.load(specification.path) { stage in
                if case .block(let loaded, let total) = stage { loadLine.update(completed: loaded, total: total) }
            }
            let extractLine = reporter.begin("extracting \(name)", total: nil, unit: "tokens")
            let set = try Extractor(tokenizer: checkpoint.tokenizer, model: checkpoint.model, settings: settings)
                .extract(vocabulary) { progress in
                    extractLine.update(completed: progress.tokensDone, total: progress.tokenCount)
                }
            let record = VariantRecord(
                name: name, modelPath: modelURL.standardizedFileURL.path, modelFiles: checkpoint.files,
                settings: settings, layerCount: checkpoint.model.layerCount, toolVersion: ToolVersion.current,
                loadSeconds: checkpoint.loadSeconds)
            try ExtractionWriter.write(set, record: record, to: out)
            extracted.append(name)
        }
        let extractionSeconds = Date().timeIntervalSince(start)
        reporter.finish()
        try RunDirectory.updateManifest(in: out) { manifest in
            manifest["variant_order"] = specifications.map(\.name)
            manifest["last_run"] = [
                "command": "compare", "extracted": extracted, "reused": reused,
                "extraction_seconds": extractionSeconds, "finished_at": ISO8601DateFormatter().string(from: Date()),
            ]
        }
        print(
            "variants: \(extracted.count) extracted\(extracted.isEmpty ? "" : " (\(extracted.joined(separator: ", ")))"), "
                + "\(reused.count) reused\(reused.isEmpty ? "" : " (\(reused.joined(separator: ", ")))")")
        try RunAnalyzer.analyze(
            out, variants: specifications.map(\.name), options: analysis.options, reporter: reporter)
    }

    /// Makes variant `target` a copy of the finished variant `source` of the same fingerprint (files, then the
    /// manifest entry), so that the same model under another name is not extracted again.
    static func copyVariant(_ source: String, to target: String, in directory: URL) throws {
        let pairs = [
            (ExtractionWriter.hiddenFileName(source), ExtractionWriter.hiddenFileName(target)),
            (ExtractionWriter.embeddingsFileName(source), ExtractionWriter.embeddingsFileName(target)),
        ]
        for (from, to) in pairs {
            let data: Data
            do {
                data = try Data(contentsOf: directory.appendingPathComponent(from))
            } catch {
                throw DriftError(
                    .io, "cannot read: \(error.localizedDescription)", path: directory.appendingPathComponent(from).path)
            }
            try AtomicFile.write(data, to: directory.appendingPathComponent(to))
        }
        try RunDirectory.updateManifest(in: directory) { manifest in
            var variants = (manifest["variants"] as? [[String: Any]]) ?? []
            guard var entry = variants.first(where: { $0["name"] as? String == source }) else { return }
            entry["name"] = target
            entry["copied_from"] = source
            if var files = entry["files"] as? [String: Any] {
                files["hidden"] = ExtractionWriter.hiddenFileName(target)
                files["embeddings"] = ExtractionWriter.embeddingsFileName(target)
                entry["files"] = files
            }
            variants.removeAll { $0["name"] as? String == target }
            variants.append(entry)
            manifest["variants"] = variants
        }
    }
}
