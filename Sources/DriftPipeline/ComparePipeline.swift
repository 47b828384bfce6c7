public import DriftAnalysis
public import DriftCore
public import DriftModels
public import DriftReport
public import Foundation

/// Runs a ``CompareRequest``: extracts every variant (reusing one already in the run directory with the same
/// fingerprint, so an interrupted run resumes), its noise-floor paraphrases, or one shard of each; records the run in
/// the manifest; then analyses every pair (with the joint UMAP) and writes the report.
///
/// Every variant is on disk before the next starts; the next variant's model loads while the current one extracts
/// when the memory budget holds both (the manifest's `last_run.pipeline` records the timeline, or why not). Models
/// load lazily: a variant that is reused is never loaded.
/// Progress is reported as ``PipelineEvent``s; nothing is printed.
public struct ComparePipeline: Sendable {
    /// The run to do.
    public var request: CompareRequest

    /// A pipeline for `request`.
    public init(_ request: CompareRequest) { self.request = request }

    /// Runs the request.
    ///
    /// Everything that can be checked without a model is checked first (the run directory, the vocabulary, the
    /// neighbour count, the noise templates); Hub models are then resolved (downloaded when missing).
    /// - Parameter progress: hears every ``PipelineEvent``, on the calling thread or a download's.
    /// - Returns: what was extracted and reused, and the analysis and report written (none for a shard).
    /// - Throws: ``DriftCore/DriftError`` from any step; finished variants stay on disk.
    public func run(progress: @escaping @Sendable (PipelineEvent) -> Void = { _ in }) throws -> CompareOutcome {
        let request = request
        let out = request.output
        let vocabulary = request.vocabulary
        if request.shard != nil, !request.noiseTemplates.isEmpty {
            throw DriftError(.unsupported, "--shard cannot be combined with --templates (noise floors) yet")
        }
        _ = try RunManifest.read(in: out)
        try ExtractionWriter.preflight(directory: out, vocabulary: vocabulary)
        try DriftInput.validateNeighborCount(request.analysis.k, concepts: vocabulary.count)
        let noiseSettings = try request.noiseSettings()

        let resolver = HubResolver(offline: request.offline, progress: { progress(.hub($0)) })
        let references = try request.variants.map { try ModelReference(parsing: $0.model, hub: resolver) }
        var outcome = CompareOutcome()
        outcome.shard = request.shard
        let start = Date()
        // The next variant loads while the current one extracts when the budget holds both (see `schedule`).
        let (overlapped, note) = Self.schedule(references, budget: request.budget, compute: request.compute)
        let timeline = PipelineTimeline()
        var prefetch: VariantPrefetch?
        // With the lens on, every variant extracted now spills its lens logits (scratch files beside the run, gone
        // at the end) so that the variants' lens distributions can be compared layer by layer.
        let spillsLens = request.shard == nil && request.readout.logitLensTop != nil && request.variants.count > 1
        var lensSpills: [String: URL] = [:]
        let createsOut = spillsLens && !FileManager.default.fileExists(atPath: out.path)
        if createsOut {
            do {
                try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            } catch {
                throw DriftError(.io, "cannot create the run directory: \(error.localizedDescription)", path: out.path)
            }
        }
        defer {
            for url in lensSpills.values { try? FileManager.default.removeItem(at: url) }
            // A run that failed before writing anything leaves no empty directory behind.
            if createsOut, (try? FileManager.default.contentsOfDirectory(atPath: out.path))?.isEmpty == true {
                try? FileManager.default.removeItem(at: out)
            }
        }
        for (index, (variant, reference)) in zip(request.variants, references).enumerated() {
            let ready = prefetch?.index == index ? prefetch : nil
            prefetch = nil
            let spill =
                spillsLens
                ? out.appendingPathComponent(ScratchFile.temporaryName(for: "lens_logits_\(variant.name).npy")) : nil
            lensSpills[variant.name] = spill
            try extract(
                variant.name, reference: reference, noise: noiseSettings, into: &outcome, prefetched: ready,
                lensSpill: spill, timeline: timeline,
                whenLoaded: {
                    let next = index + 1
                    guard overlapped, next < references.count, references[next] != reference else { return }
                    let (name, budget, compute) = (request.variants[next].name, request.budget, request.compute)
                    let nextReference = references[next]
                    let pipeline = self
                    prefetch = VariantPrefetch(index: next) {
                        // A variant already in the run directory is reused, not loaded.
                        if request.shard == nil, try pipeline.alreadyExtracted(nextReference) {
                            throw DriftError(.invalidArgument, "variant '\(name)' is reused; its model is not needed")
                        }
                        return try timeline.measure(name, "load") {
                            try LoadedCheckpoint.load(nextReference, budget: budget, compute: compute)
                        }
                    }
                }, progress: progress)
            if let spill, !FileManager.default.fileExists(atPath: spill.path) { lensSpills[variant.name] = nil }
        }
        let extractionSeconds = Date().timeIntervalSince(start)
        if !lensSpills.isEmpty {
            progress(.comparingLogitLens)
            try timeline.measure("all pairs", "compare logit lens") {
                try LensDivergence.write(spills: lensSpills, order: request.variants.map(\.name), directory: out)
            }
        }
        let settings = request.settings
        try RunManifest.update(in: out) { manifest in
            manifest.variantOrder = request.variants.map(\.name)
            manifest.lastRun = RunManifest.LastRun(
                command: "compare", extracted: outcome.extracted, reused: outcome.reused,
                noiseTemplates: noiseSettings.map(\.template.text),
                settings: RunManifest.LastRun.Settings(
                    template: settings.template.text, pooling: settings.pooling.rawValue,
                    layers: settings.layers.description, addSpecialTokens: settings.addSpecialTokens,
                    sharesPromptPrefix: settings.sharesPromptPrefix),
                models: Dictionary(uniqueKeysWithValues: request.variants.map { ($0.name, $0.model) }),
                extractionSeconds: extractionSeconds, finishedAt: RunManifest.timestamp(),
                pipeline: timeline.record(overlapped: overlapped, note: note))
        }
        guard request.shard == nil else { return outcome }
        let (analysis, report) = try Self.analyze(
            out, variants: request.variants.map(\.name), options: request.analysis, toolVersion: request.toolVersion,
            writesReport: request.writesReport, progress: progress)
        outcome.analysis = analysis
        outcome.report = report
        return outcome
    }

    /// Analyses `variants` (default: the run's order) of the run directory at `directory`, writes the tables, the
    /// UMAP coordinates and the summaries, and (when `writesReport`) the report: the last step of `compare`, and all
    /// of `analyze`.
    ///
    /// - Throws: ``DriftCore/DriftError`` when the run cannot be read or analysed, or a file cannot be written.
    public static func analyze(
        _ directory: URL, variants: [String]? = nil, options: RunAnalysis.Options, toolVersion: String,
        writesReport: Bool = true, progress: @escaping @Sendable (PipelineEvent) -> Void = { _ in }
    ) throws -> (analysis: RunAnalysis, report: ReportWriter.Output?) {
        let run = try RunDirectory(directory)
        var analysis = try RunAnalysis(run: run, variants: variants, options: options) { progress(.analysis($0)) }
        // Output beside representation, for the pairs whose variants kept next-token logits or read the logit lens;
        // its summary also goes into the global table.
        var output = try NextTokenAnalysis(
            directory: directory, variants: analysis.variants, resamples: options.resamples,
            permutations: options.permutations, seed: options.seed)
        try output.adjust(
            covariates: analysis.covariateTable, permutations: options.permutations, resamples: options.resamples,
            confidence: options.confidence, seed: options.seed)
        analysis.globalRows = output.annotating(analysis.globalRows)
        progress(.writingTables)
        try analysis.write(to: run, toolVersion: toolVersion)
        try output.write(to: directory)
        guard writesReport else { return (analysis, nil) }
        progress(.writingReport)
        let report = try ReportWriter.write(
            Report(data: try ReportData(runDirectory: directory)), to: directory, toolVersion: toolVersion)
        return (analysis, report)
    }
}
