import DriftCore
import DriftModels
import Foundation

extension ComparePipeline {
    /// Extracts variant `name` (or reuses it), then its noise-floor paraphrases; in a shard, its share of the batch
    /// plan into `<out>/<name>/`.
    ///
    /// - Parameters:
    ///   - prefetched: this variant's model, loading since the previous variant's model loaded, or nil.
    ///   - lensSpill: where the variant spills its lens logits when it is extracted with the lens on, or nil.
    ///   - timeline: records this variant's loading and extraction.
    ///   - whenLoaded: called once this variant's model is in memory, to start loading the next one's.
    func extract(
        _ name: String, reference: ModelReference, noise noiseSettings: [ExtractionSettings],
        into outcome: inout CompareOutcome, prefetched: VariantPrefetch? = nil, lensSpill: URL? = nil,
        timeline: PipelineTimeline = PipelineTimeline(), whenLoaded: () -> Void = {},
        progress: @escaping @Sendable (PipelineEvent) -> Void
    ) throws {
        let out = request.output
        let vocabulary = request.vocabulary
        let settings = request.settings
        let compute = request.compute
        let scheme = reference.scheme?.rawValue
        let modelURL = URL(fileURLWithPath: reference.path)
        progress(.hashing(model: modelURL.lastPathComponent))
        let files = try ModelFiles.inspect(modelURL)
        func fingerprint(_ settings: ExtractionSettings) -> String {
            VariantFingerprint.compute(
                modelFilesHash: files.hash, scheme: scheme, settings: settings, vocabularyHash: vocabulary.contentHash,
                toolVersion: request.toolVersion, compute: compute)
        }
        var checkpoint: LoadedCheckpoint?
        var announced = false
        func loaded() throws -> LoadedCheckpoint {
            if let checkpoint { return checkpoint }
            progress(.loading(variant: name, completed: 0, total: nil))
            let model: LoadedCheckpoint
            // A prefetch that failed (or found the variant reused after all) is loaded here again, in turn.
            if let prefetched, let ready = try? prefetched.model() {
                model = ready
            } else {
                model = try timeline.measure(name, "load") {
                    try LoadedCheckpoint.load(reference, budget: request.budget, compute: compute) { stage in
                        if case .block(let loaded, let total) = stage {
                            progress(.loading(variant: name, completed: loaded, total: total))
                        }
                    }
                }
            }
            checkpoint = model
            if !announced {
                announced = true
                whenLoaded()
            }
            return model
        }

        func record(_ variant: String, _ settings: ExtractionSettings, _ model: LoadedCheckpoint) -> VariantRecord {
            VariantRecord(
                name: variant, reference: reference, checkpoint: model, settings: settings, compute: compute,
                toolVersion: request.toolVersion)
        }
        if let shard = request.shard {
            // This shard's batches of the unsharded plan, into out/<name>/ (see ShardMerger).
            // Reused like an unsharded variant: asked for, next-token logits must be there too.
            if try ShardMerger.completedRows(
                of: name, fingerprint: fingerprint(settings), shard: shard, vocabulary: vocabulary,
                settings: settings, in: out) != nil,
                !request.readoutRequired || !request.readout.nextTokenLogits
                    || ShardMerger.hasLogits(of: name, in: out)
            {
                outcome.reused.append(name)
                return
            }
            let model = try loaded()
            let label = "\(name), shard \(shard)"
            progress(.extracting(label: label, completed: 0, total: nil))
            let (rows, set) = try ShardExtractor.extract(
                vocabulary, shard: shard,
                extractor: Extractor(tokenizer: model.tokenizer, model: model.model, settings: settings),
                readout: request.readout(for: model.model)
            ) { progress(.extracting(label: label, completed: $0.tokensDone, total: $0.tokenCount)) }
            try ShardMerger.write(
                set, rows: rows, record: record(name, settings, model), shard: shard, vocabulary: vocabulary, in: out)
            outcome.extracted.append(name)
            return
        }
        func extract(_ settings: ExtractionSettings, as variant: String, into directory: URL, label: String) throws {
            let model = try loaded()
            // Noise-floor paraphrases read nothing through the head; the variant itself what the request asks.
            var readout = directory == out ? request.readout(for: model.model) : .none
            if directory == out { readout.lensLogitsFile = lensSpill }
            let set = try timeline.measure(label, "extract") {
                try VariantExtraction.extract(
                    vocabulary, with: model, settings: settings, label: label, readout: readout, progress: progress)
            }
            try ExtractionWriter.write(set, record: record(variant, settings, model), to: directory)
        }
        let layout = RunLayout(out)
        if let existing = try ExtractionWriter.completedVariant(fingerprint: fingerprint(settings), in: out),
            !request.readoutRequired || !request.readout.nextTokenLogits
                || FileManager.default.fileExists(atPath: layout.logits(existing).path)
        {
            if existing != name { try Self.copyVariant(existing, to: name, in: out) }
            outcome.reused.append(name)
        } else {
            try extract(settings, as: name, into: out, label: name)
            outcome.extracted.append(name)
        }
        // The noise floor's paraphrases, each finished on disk before the next, reused like the variants.
        let noiseFolder = RunLayout(out).noise(name).root
        for (t, noise) in noiseSettings.enumerated() {
            if try ExtractionWriter.completedVariant(fingerprint: fingerprint(noise), in: noiseFolder) == "t\(t)" {
                continue
            }
            try extract(noise, as: "t\(t)", into: noiseFolder, label: "\(name), template \(t + 1)")
            outcome.extracted.append("\(name)/t\(t)")
        }
        if !noiseSettings.isEmpty {
            try RunManifest.update(in: noiseFolder) { manifest in
                manifest.variantOrder = noiseSettings.indices.map { "t\($0)" }
            }
        }
    }

    /// Whether a variant of `reference` under the request's settings is already in the run directory (so that it
    /// will be reused, not loaded).
    func alreadyExtracted(_ reference: ModelReference) throws -> Bool {
        let files = try ModelFiles.inspect(URL(fileURLWithPath: reference.path))
        let fingerprint = VariantFingerprint.compute(
            modelFilesHash: files.hash, scheme: reference.scheme?.rawValue, settings: request.settings,
            vocabularyHash: request.vocabulary.contentHash, toolVersion: request.toolVersion, compute: request.compute)
        return try ExtractionWriter.completedVariant(fingerprint: fingerprint, in: request.output) != nil
    }

    /// Makes variant `target` a copy of the finished variant `source` of the same fingerprint (files, then the
    /// manifest entry), so that the same model under another name is not extracted again.
    static func copyVariant(_ source: String, to target: String, in directory: URL) throws {
        let layout = RunLayout(directory)
        var pairs = [
            (layout.hidden(source), layout.hidden(target)), (layout.embeddings(source), layout.embeddings(target)),
        ]
        for (from, to) in [
            (layout.logits(source), layout.logits(target)), (layout.nextTokens(source), layout.nextTokens(target)),
        ] where FileManager.default.fileExists(atPath: from.path) {
            pairs.append((from, to))
        }
        for (from, to) in pairs {
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
                if entry.files?.logits != nil { entry.files?.logits = RunLayout.logitsFileName(target) }
                if entry.files?.nextTokens != nil { entry.files?.nextTokens = RunLayout.nextTokensFileName(target) }
                entry.files?.logitLens = nil
            }
            manifest.variants.removeAll { $0.name == target }
            manifest.variants.append(entry)
        }
    }
}
