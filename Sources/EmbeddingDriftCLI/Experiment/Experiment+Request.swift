import DriftAnalysis
import DriftCore
import DriftModels
import DriftPipeline
import Foundation

extension Experiment {
    /// The compare run this experiment describes, built from its values directly: every setting it leaves out
    /// keeps `compare`'s default, so it is the same run as ``commandLine``.
    ///
    /// - Throws: ``DriftCore/DriftError`` when the vocabulary cannot be loaded or a value is invalid.
    func request() throws -> CompareRequest {
        let settings = ExtractionSettings(
            template: try template.map { try PromptTemplate($0) } ?? PromptTemplate.default,
            pooling: pooling.flatMap(Pooling.init(rawValue:)) ?? .last,
            layers: try LayerSelection(parsing: layers ?? "all"),
            maxBatchTokens: batchTokens ?? ExtractionSettings.defaultMaxBatchTokens,
            addSpecialTokens: specialTokens, sharesPromptPrefix: prefixSharing)
        var request = CompareRequest(
            variants: variants.map { CompareRequest.Variant(name: $0.name, model: $0.model) },
            vocabulary: try Vocabulary.load(vocabulary ?? "seed-235"), output: URL(fileURLWithPath: output),
            settings: settings, toolVersion: ToolVersion.current)
        request.noiseTemplates = templates
        if let k { request.analysis.k = k }
        if let seed { request.analysis.seed = seed }
        if let bootstrap { request.analysis.resamples = bootstrap }
        if let permutations { request.analysis.permutations = permutations }
        if let covariates { request.analysis.covariates = AnalysisOptions.covariateNames(covariates) }
        request.analysis.umap = umap
        request.analysis.umapEpochs = umapEpochs
        request.analysis.series = series
        request.budget = try maxMemory.map { try MemoryBudget(parsing: $0) } ?? .automatic
        request.shard = try shard.map { try VocabularyShard(parsing: $0) }
        request.readout = try ReadoutOptions.readout(
            nextToken: nextToken, logitLens: logitLens, pooling: settings.pooling, nextTokenByDefault: true)
        request.readoutRequired = ReadoutOptions.isExplicit(nextToken: nextToken, logitLens: logitLens)
        return request
    }
}
