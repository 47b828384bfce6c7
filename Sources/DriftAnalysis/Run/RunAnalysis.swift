public import DriftCore
public import Foundation

/// The analysis of a whole run: every variant pair at every stored layer, the profiles, the joint UMAP and the
/// summary, computed in memory from the run directory and then written into it.
///
/// Tables written (CSV and JSON, the columns of each row type): `concept_drift` (``ConceptDriftRow``),
/// `category_drift` (``CategoryDriftRow``), `category_tests` (``CategoryTestRow``), `global` (``GlobalRow``),
/// `neighbors` (``NeighborRow``, every variant × layer), `layer_profile` (``LayerProfileRow``) and, with 3+
/// variants of equal width, `time_profile` (``TimeProfileRow``), and with template paraphrases stored under
/// `noise/<variant>/`, `noise_floor` (``NoiseFloorRow``). Pairs are every `(a, b)` with `a` before `b` in
/// the run's order; the last common layer is the headline of `summary.json` and `summary.md`.
public struct RunAnalysis: Sendable {
    /// Settings of the analysis.
    public struct Options: Sendable, Equatable {
        /// Neighbours per concept.
        public var k = 10
        /// Bootstrap resamples per interval.
        public var resamples = 10_000
        /// Permutations per category test.
        public var permutations = 10_000
        /// Coverage of every interval.
        public var confidence = 0.95
        /// Holm-adjusted p-value below which a category difference is called significant.
        public var alpha = 0.05
        /// Seed of every resampling step and of UMAP.
        public var seed: UInt64 = 42
        /// Whether to fit the joint UMAP.
        public var umap = true
        /// UMAP epochs (nil: umap-learn's default for the size).
        public var umapEpochs: Int? = nil
        /// Whether the variants are checkpoints in time order: the time profile is then written for two variants
        /// too (it always is for three or more).
        public var series = false
        /// The covariates of the adjusted category analysis by name (``ConceptCovariates/builtInNames`` and the
        /// vocabulary's own): nil for every one the run has, empty for none.
        public var covariates: [String]? = nil

        /// The defaults: k = 10, 10,000 resamples and permutations, 95% intervals, α = 0.05, seed 42, UMAP on.
        public init() {}
    }

    /// Where the analysis is, for a progress display.
    public enum Progress: Sendable, Equatable {
        /// Reading the stored vectors of a variant.
        case loading(variant: String)
        /// `completed` of `total` (pair, layer) analyses are done.
        case pairs(completed: Int, total: Int)
        /// The joint UMAP fit advanced.
        case umap(UMAPProgress)
    }

    /// The variants analysed, in the run's order.
    public var variants: [String]
    /// The layers analysed (stored by every variant), ascending.
    public var layers: [Int]
    /// The headline layer (the last common one).
    public var headlineLayer: Int
    /// The concepts and their categories, in row order.
    public var concepts: [String]
    /// The category of every concept.
    public var categories: [String]
    /// `tables/concept_drift` rows.
    public var conceptRows: [ConceptDriftRow] = []
    /// `tables/category_drift` rows.
    public var categoryRows: [CategoryDriftRow] = []
    /// `tables/category_tests` rows.
    public var testRows: [CategoryTestRow] = []
    /// `tables/global` rows.
    public var globalRows: [GlobalRow] = []
    /// `tables/neighbors` rows.
    public var neighborRows: [NeighborRow] = []
    /// `tables/layer_profile` rows.
    public var layerRows: [LayerProfileRow] = []
    /// `tables/noise_floor` rows (empty unless the run holds template paraphrases under `noise/<variant>/`).
    public var noiseRows: [NoiseFloorRow] = []
    /// `tables/time_profile` rows (empty with fewer than 3 variants).
    public var timeRows: [TimeProfileRow] = []
    /// `tables/covariates`: every concept's covariates in the first variant of each pair, per layer.
    public var covariateTable = CovariateTable()
    /// `tables/category_tests_adjusted` rows.
    public var adjustedTestRows: [AdjustedCategoryTestRow] = []
    /// `tables/category_drift_adjusted` rows.
    public var adjustedCategoryRows: [AdjustedCategoryDriftRow] = []
    /// `tables/confounds` rows.
    public var confoundRows: [ConfoundRow] = []
    /// `tables/matched_comparison` rows.
    public var matchedRows: [MatchedComparisonRow] = []
    /// `tables/matched_balance` rows.
    public var balanceRows: [MatchedBalanceRow] = []
    /// The joint UMAP coordinates of each variant (concepts × 2), in variant order; empty when not fitted.
    public var umap: [(variant: String, coordinates: Matrix)] = []
    /// `summary.json`.
    public var summaryJSON: Data
    /// `summary.md`.
    public var summaryMarkdown: String
    /// Things the reader should know (a skipped UMAP or time profile, and why).
    public var notes: [String] = []
    /// The settings used.
    public var options: Options
    /// Seconds spent: `load`, `pairs`, `umap`; within `pairs`, `statistics` (the category statistics and tests, raw
    /// and, with covariates, adjusted) and `statistics_cpu` (the same in CPU seconds of the thread that ran it).
    public var seconds: [String: Double] = [:]

    /// Analyses `variants` (default: the run's order) of `run`.
    ///
    /// Everything is checked before any measure runs: at least two variants, the same concepts in every variant's
    /// file, finite values, a layer stored by all, `1 ≤ k < concepts`.
    ///
    /// - Throws: ``DriftError`` naming the variant or file at fault.
    public init(
        run: RunDirectory, variants names: [String]? = nil, options: Options = Options(),
        progress: (Progress) -> Void = { _ in }
    ) throws {
        let clock = ContinuousClock()
        var start = clock.now
        let names = names ?? run.order
        guard names.count >= 2 else {
            throw DriftError(
                .invalidArgument, "the analysis needs at least two variants; the run has \(names.count)",
                path: run.url.path)
        }
        guard Set(names).count == names.count else {
            throw DriftError(.invalidArgument, "a variant is named twice: \(names.joined(separator: ", "))")
        }
        self.variants = names
        self.options = options
        concepts = run.concepts
        categories = run.categories
        let n = concepts.count
        try DriftInput.validateNeighborCount(options.k, concepts: n)
        try options.validateCounts()

        let described = try names.map { try run.variant($0) }
        for variant in described where variant.conceptCount != n {
            throw DriftError(
                .invalidArgument,
                "variant \"\(variant.name)\" embeds \(variant.conceptCount) concepts but the run lists \(n); "
                    + "every variant must embed the same concept list",
                path: run.layout.manifest.path)
        }
        var common = Set(described[0].layers)
        for variant in described.dropFirst() { common.formIntersection(variant.layers) }
        layers = common.sorted()
        guard let headline = layers.last else {
            throw DriftError(
                .invalidArgument,
                "the variants store no layer in common (\(described.map { "\($0.name): \($0.layers)" }.joined(separator: "; ")))"
            )
        }
        headlineLayer = headline

        // vectors[v][l] = variant v at layers[l].
        var vectors: [[Matrix]] = []
        for variant in described {
            progress(.loading(variant: variant.name))
            let stored = try run.hiddenStates(of: variant)
            var kept: [Matrix] = []
            for layer in layers {
                guard let position = variant.layers.firstIndex(of: layer) else { continue }
                try DriftInput.validate(stored[position], name: "\(variant.name) (layer \(layer))")
                kept.append(stored[position])
            }
            vectors.append(kept)
        }
        // Noise floors: `noise/<variant>/` is a run directory of the variant under paraphrased templates.
        var floors: [[NoiseFloor]?] = []
        for variant in described {
            let noise = run.layout.noise(variant.name)
            let folder = noise.root
            guard noise.hasManifest else {
                floors.append(nil)
                continue
            }
            let templates = try RunDirectory(folder)
            try DriftInput.validateConcepts(
                templates.concepts, concepts, names: ("noise/\(variant.name)", "the run"), path: folder.path)
            let paraphrases = try templates.order.map { try templates.variant($0) }
            let stored = try paraphrases.map { try templates.hiddenStates(of: $0) }
            var perLayer: [NoiseFloor] = []
            for layer in layers {
                let matrices = zip(paraphrases, stored).compactMap { v, m in
                    v.layers.firstIndex(of: layer).map { m[$0] }
                }
                guard matrices.count >= 2 else { break }
                perLayer.append(try NoiseFloor(templates: matrices))
            }
            floors.append(perLayer.count == layers.count ? perLayer : nil)
        }
        seconds["load"] = (clock.now - start).seconds
        start = clock.now

        // Every pair at every layer.
        let pairs = (0..<names.count).flatMap { i in ((i + 1)..<names.count).map { (i, $0) } }
        var pairOptions = PairAnalysis.Options()
        pairOptions.k = options.k
        pairOptions.resamples = options.resamples
        pairOptions.permutations = options.permutations
        pairOptions.confidence = options.confidence
        pairOptions.seed = options.seed
        pairOptions.covariates = options.covariates
        if let wanted = options.covariates {
            let known = Set(ConceptCovariates.builtInNames + run.covariates.names)
            if let unknown = wanted.first(where: { !known.contains($0) }) {
                throw DriftError(
                    .invalidArgument,
                    "unknown covariate \(DriftError.quote(unknown)); this run has "
                        + (ConceptCovariates.builtInNames + run.covariates.names).joined(separator: ", "))
            }
        }
        var covariateNotes: [String] = []
        var statisticsSeconds = 0.0, statisticsCPUSeconds = 0.0
        let total = pairs.count * layers.count
        var done = 0
        progress(.pairs(completed: 0, total: total))
        var headlineAnalyses: [PairAnalysis] = []
        // Each variant's covariates as given to its pairs: the run's, with the token counts and (unless the user
        // gave their own) the tokenizer's frequency proxy first.
        let givenCovariates = described.map { variant in
            var given = run.covariates
            // A user's own `frequency` column wins over the tokenizer's proxy.
            if variant.tokenFrequency.count == n, variant.tokenFrequency.allSatisfy(\.isFinite),
                !given.names.contains("frequency")
            {
                given.names.insert("frequency", at: 0)
                given.values.insert(variant.tokenFrequency, at: 0)
            }
            if variant.tokenCounts.count == n {
                given.names.insert("tokens", at: 0)
                given.values.insert(variant.tokenCounts.map(Double.init), at: 0)
            }
            return given
        }
        // The layers are analysed in parallel, as many at once as there are workers (every analysis seeds its own
        // generator, so the results do not depend on the order), then gathered in order; a window at a time, so that
        // no more analyses than that are held at once.
        var outcomes = [[Result<PairAnalysis, any Error>]](repeating: [], count: layers.count)
        let gathering = NSLock()
        let (layerList, conceptList, categoryList) = (layers, concepts, categories)
        let window = max(1, Parallel.workerCount)
        for windowStart in stride(from: 0, to: layers.count, by: window) {
            let windowLayers = windowStart..<min(layers.count, windowStart + window)
            BLAS.singleThreaded {
                Parallel.forEach(windowLayers.count) { w in
                    let l = windowLayers.lowerBound + w
                    // Each variant's Procrustes decompositions at this layer serve all of its pairs.
                    let bases = vectors.map { ProcrustesBasis($0[l]) }
                    let results = pairs.map { i, j in
                        let result = Result {
                            try PairAnalysis(
                                bases[i], bases[j], conceptNames: conceptList, categoryNames: categoryList,
                                variants: (names[i], names[j]), layer: layerList[l], covariates: givenCovariates[i],
                                options: pairOptions)
                        }
                        gathering.withLock {
                            done += 1
                            progress(.pairs(completed: done, total: total))
                        }
                        return result
                    }
                    gathering.withLock { outcomes[l] = results }
                }
            }
            for l in windowLayers {
                let layer = layers[l]
                var neighborsDone = Set<Int>()
                defer { outcomes[l] = [] }
                for ((i, j), outcome) in zip(pairs, outcomes[l]) {
                    let analysis: PairAnalysis
                    do {
                        analysis = try outcome.get()
                    } catch let error as DriftError where layer != headline && error.kind == .invalidArgument {
                        // A degenerate layer (e.g. last-token pooling at layer 0, where every prompt ends in the same
                        // token) has no defined measures; it is left out of the tables, not fatal.
                        notes.append("layer \(layer), \(names[i]) → \(names[j]) left out: \(error.message)")
                        continue
                    }
                    conceptRows += analysis.concepts
                    categoryRows += analysis.categories
                    testRows += analysis.tests
                    globalRows.append(analysis.global)
                    covariateTable.add(
                        variant: names[i], layer: layer, terms: concepts, categories: categories,
                        covariates: analysis.covariates)
                    adjustedTestRows += analysis.adjustedTests
                    adjustedCategoryRows += analysis.adjustedCategories
                    confoundRows += analysis.confounds
                    matchedRows += analysis.matched
                    balanceRows += analysis.balance
                    for note in analysis.covariateNotes {
                        let text = "\(names[i]) → \(names[j]): \(note)"
                        if !covariateNotes.contains(text) { covariateNotes.append(text) }
                    }
                    statisticsSeconds += analysis.statisticsSeconds
                    statisticsCPUSeconds += analysis.statisticsCPUSeconds
                    for (index, sets) in [(i, analysis.neighbors.a), (j, analysis.neighbors.b)]
                    where !neighborsDone.contains(index) {
                        neighborsDone.insert(index)
                        neighborRows += try NeighborRow.rows(
                            variant: names[index], layer: layer, concepts: concepts, sets: sets)
                    }
                    layerRows.append(Self.layerRow(analysis))
                    if analysis.summary != nil,
                        let (f, floor) = [(i, floors[i]), (j, floors[j])].lazy
                            .compactMap({ index, floor in floor.map { (index, $0[l]) } }).first
                    {
                        let drift = analysis.concepts.map(\.cosineDistance)
                        let relative = try floor.relative(drift)
                        for (c, row) in analysis.concepts.enumerated() {
                            noiseRows.append(
                                NoiseFloorRow(
                                    variantA: names[i], variantB: names[j], floorVariant: names[f], layer: layer,
                                    concept: row.concept, category: row.category, floor: floor.perConcept[c],
                                    cosineDistance: drift[c], relative: relative[c]))
                        }
                    }
                    if layer == headline { headlineAnalyses.append(analysis) }
                }
            }
        }
        neighborRows.sort {
            (names.firstIndex(of: $0.variant) ?? 0, $0.layer) < (names.firstIndex(of: $1.variant) ?? 0, $1.layer)
        }
        seconds["pairs"] = (clock.now - start).seconds
        seconds["statistics"] = statisticsSeconds
        seconds["statistics_cpu"] = statisticsCPUSeconds
        notes += covariateNotes
        start = clock.now

        // Time profile: 3+ ordered variants of one width.
        let sameWidth = Set(described.map(\.hiddenSize)).count == 1
        if names.count >= 3 || options.series {
            if sameWidth {
                for (l, layer) in layers.enumerated() {
                    let profile = try TimeProfile(variants: vectors.map { $0[l] })
                    timeRows += Self.timeRows(profile, names: names, layer: layer, categories: categories)
                }
            } else {
                notes.append("no time profile: the variants differ in width, so per-concept drift is undefined")
            }
        }

        // The joint UMAP at the headline layer.
        if options.umap {
            if sameWidth {
                let last = layers.count - 1
                let rows = vectors.map { $0[last] }
                let width = described[0].hiddenSize
                var stacked: [Float] = []
                stacked.reserveCapacity(rows.count * n * width)
                for matrix in rows { stacked += matrix.storage }
                var umapOptions = UMAPOptions()
                umapOptions.seed = options.seed
                umapOptions.epochs = options.umapEpochs
                umapOptions.reproducible = true
                let data = Matrix(rows: rows.count * n, columns: width, storage: stacked)
                let model = try withoutActuallyEscaping(progress) { report in
                    try UMAP(options: umapOptions).fit(data) { event in report(.umap(event)) }
                }
                umap = names.enumerated().map { v, name in (name, model.embedding.rows((v * n)..<((v + 1) * n))) }
            } else {
                notes.append("no joint UMAP: the variants differ in width (\(described.map(\.hiddenSize)))")
            }
        }
        seconds["umap"] = (clock.now - start).seconds

        let summary = try RunSummary(
            variants: described, headline: headlineAnalyses, noise: noiseRows.filter { $0.layer == headline },
            layer: headline, concepts: concepts,
            categories: categories, options: options, notes: notes)
        summaryJSON = try PrettyJSON.data(summary.json, path: run.layout.summaryJSON.path)
        summaryMarkdown = summary.markdown
    }

    static func layerRow(_ analysis: PairAnalysis) -> LayerProfileRow {
        let rows = analysis.concepts
        func mean(_ value: (ConceptDriftRow) -> Double) -> Double { Descriptive.mean(rows.map(value)) }
        let g = analysis.global
        return LayerProfileRow(
            variantA: g.variantA, variantB: g.variantB, layer: g.layer, meanDrift: g.meanDrift,
            medianDrift: analysis.summary?.median ?? .nan, meanCenteredDrift: mean(\.centeredDistance),
            meanProcrustesDrift: mean(\.procrustesDistance), meanJaccard: mean(\.jaccard),
            meanSecondOrder: mean(\.secondOrder), cka: g.cka, ckaDebiased: g.ckaDebiased, procrustes: g.procrustes,
            mutualKNN: g.mutualKNN)
    }

    static func timeRows(_ profile: TimeProfile, names: [String], layer: Int, categories: [String]) -> [TimeProfileRow]
    {
        var rows: [TimeProfileRow] = []
        let groups = [(category: "all", indices: Array(categories.indices))] + CategoryAnalysis.groups(categories)
        for t in 0..<profile.fromFirst.count {
            for group in groups {
                rows.append(
                    TimeProfileRow(
                        variant: names[t + 1], position: t + 1, first: names[0], previous: names[t], layer: layer,
                        category: group.category, n: group.indices.count,
                        fromFirst: Descriptive.mean(group.indices.map { profile.fromFirst[t][$0] }),
                        step: Descriptive.mean(group.indices.map { profile.stepToStep[t][$0] })))
            }
        }
        return rows
    }

    // MARK: - Writing

    /// The table names written under `tables/`.
    public static let tableNames = [
        ConceptDriftRow.tableName, CategoryDriftRow.tableName, CategoryTestRow.tableName, GlobalRow.tableName,
        NeighborRow.tableName, LayerProfileRow.tableName, TimeProfileRow.tableName, NoiseFloorRow.tableName,
        CovariateTable.tableName, AdjustedCategoryTestRow.tableName, AdjustedCategoryDriftRow.tableName,
        ConfoundRow.tableName, MatchedComparisonRow.tableName, MatchedBalanceRow.tableName,
    ]

    /// Writes every table, the UMAP coordinates, the summary, and the manifest's `analysis` record into `run`.
    ///
    /// Each file is replaced atomically (readers see the old or the new file, never half of one), the manifest
    /// last; a table this analysis does not produce (a time profile of fewer than 3 variants) is removed.
    ///
    /// - Throws: ``DriftError`` when a file cannot be written.
    public func write(to run: RunDirectory, toolVersion: String) throws {
        let layout = run.layout
        ScratchFile.removeAbandoned(in: layout.root)
        ScratchFile.removeAbandoned(in: layout.tables)
        try TableFile.write(conceptRows, in: layout)
        try TableFile.write(categoryRows, in: layout)
        try TableFile.write(testRows, in: layout)
        try TableFile.write(globalRows, in: layout)
        try TableFile.write(neighborRows, in: layout)
        try TableFile.write(layerRows, in: layout)
        var written = Self.tableNames
        if timeRows.isEmpty {
            written.removeAll { $0 == TimeProfileRow.tableName }
            TableFile.remove(TimeProfileRow.self, in: layout)
        } else {
            try TableFile.write(timeRows, in: layout)
        }
        let fitted = Set(umap.map(\.variant))
        for variant in variants where !fitted.contains(variant) {
            // Coordinates of an earlier fit would not match these tables.
            try? FileManager.default.removeItem(at: layout.umap(variant))
        }
        if noiseRows.isEmpty {
            written.removeAll { $0 == NoiseFloorRow.tableName }
            TableFile.remove(NoiseFloorRow.self, in: layout)
        } else {
            try TableFile.write(noiseRows, in: layout)
        }
        try writeCovariateTables(in: layout, written: &written)
        for (variant, coordinates) in umap {
            try AtomicFile.write(NumpyArray(matrix: coordinates).npyData(), to: layout.umap(variant))
        }
        try AtomicFile.write(summaryJSON, to: layout.summaryJSON)
        try AtomicFile.write(summaryMarkdown, to: layout.summaryMarkdown)
        let record = RunManifest.Analysis(
            variants: variants, layers: layers, headlineLayer: headlineLayer,
            settings: RunManifest.Analysis.Settings(
                k: options.k, bootstrap: options.resamples, permutations: options.permutations,
                confidence: options.confidence, alpha: options.alpha, seed: options.seed, umap: options.umap,
                umapEpochs: options.umapEpochs, series: options.series),
            tables: written, umap: umap.map { RunLayout.umapFileName($0.variant) },
            seconds: seconds.mapValues { $0.isFinite ? $0 : nil }, notes: notes, toolVersion: toolVersion,
            createdAt: RunManifest.timestamp())
        try RunManifest.update(in: run.url) { manifest in
            manifest.analysis = record
            manifest.variantOrder = variants
            manifest.toolVersion = toolVersion
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
