public import DriftCore

/// Every measure for one pair of variants at one layer, as the rows of the run directory's tables.
///
/// The `compare` pipeline calls this once per pair and layer; the report and the explorer read the tables back.
/// Per-concept measures need equal widths; for different widths their columns are NaN and only the global ones
/// (CKA, Procrustes distance, mutual k-NN, anisotropy) are filled.
public struct PairAnalysis: Sendable {
    /// Settings of the analysis.
    public struct Options: Sendable {
        /// Neighbours per concept for Jaccard, second-order and mutual k-NN.
        public var k = 10
        /// Bootstrap resamples per category interval.
        public var resamples = 10_000
        /// Permutations per pairwise category test.
        public var permutations = 10_000
        /// Coverage of the bootstrap intervals.
        public var confidence = 0.95
        /// Seed of every resampling step (results are reproducible).
        public var seed: UInt64 = 42
        /// The covariates of the adjusted analysis, by name (``ConceptCovariates/builtInNames`` and the user's):
        /// nil for every one available, empty for none (no adjusted tables).
        public var covariates: [String]? = nil

        /// The defaults: k = 10, 10,000 resamples and permutations, 95% intervals, seed 42.
        public init() {}
    }

    /// One row per concept (`tables/concept_drift`).
    public var concepts: [ConceptDriftRow]
    /// One row per category (`tables/category_drift`).
    public var categories: [CategoryDriftRow]
    /// One row per pair of categories (`tables/category_tests`).
    public var tests: [CategoryTestRow]
    /// The pair's global row (`tables/global`).
    public var global: GlobalRow
    /// Summary of the per-concept cosine distances (nil when widths differ).
    public var summary: DriftSummary?
    /// The k-NN sets of each variant (rows of `tables/neighbors` via ``NeighborRow/rows(variant:layer:concepts:sets:)``).
    public var neighbors: (a: NeighborSets, b: NeighborSets)
    /// The covariates of the adjusted analysis (raw values, concepts in row order); empty when there is none.
    public var covariates = CovariateSet.empty
    /// Covariate-adjusted category tests (`tables/category_tests_adjusted`).
    public var adjustedTests: [AdjustedCategoryTestRow] = []
    /// Covariate-adjusted category statistics (`tables/category_drift_adjusted`).
    public var adjustedCategories: [AdjustedCategoryDriftRow] = []
    /// Each covariate against drift (`tables/confounds`).
    public var confounds: [ConfoundRow] = []
    /// Matched comparisons of every pair of categories (`tables/matched_comparison`).
    public var matched: [MatchedComparisonRow] = []
    /// Covariate balance of the matched comparisons (`tables/matched_balance`).
    public var balance: [MatchedBalanceRow] = []
    /// What the adjusted analysis dropped or could not use, and why.
    public var covariateNotes: [String] = []
    /// Seconds spent on the category statistics: the raw statistics and tests, and with covariates the adjusted
    /// analysis (tests, statistics, confounds, matching).
    public var statisticsSeconds = 0.0
    /// The same phase in CPU seconds of the thread that ran it (what other load on the machine does not inflate).
    public var statisticsCPUSeconds = 0.0

    /// Runs the analysis.
    ///
    /// - Parameters:
    ///   - a, b: embeddings of the two variants at this layer, rows = `conceptNames` in the same order.
    ///   - conceptNames: the concepts; `categoryNames`: the category of each.
    ///   - variants: the two variants' names (table columns `variant_a`, `variant_b`).
    ///   - layer: the layer index written to every row.
    ///   - covariates: covariates that need more than these vectors (`tokens`, `frequency`, the user's); `norm`,
    ///     `density` and `centroid` are computed here from `a`.
    /// - Throws: ``DriftError`` on mismatched counts, non-finite values or `k` out of range.
    public init(
        _ a: Matrix, _ b: Matrix, conceptNames: [String], categoryNames: [String], variants: (String, String),
        layer: Int, options: Options = Options()
    ) throws {
        try self.init(
            ProcrustesBasis(a), ProcrustesBasis(b), conceptNames: conceptNames, categoryNames: categoryNames,
            variants: variants, layer: layer, options: options)
    }

    /// As the public form, over Procrustes bases that keep their decompositions for the variants' other pairs.
    package init(
        _ basisA: ProcrustesBasis, _ basisB: ProcrustesBasis, conceptNames: [String], categoryNames: [String],
        variants: (String, String), layer: Int, covariates given: CovariateSet = .empty, options: Options = Options()
    ) throws {
        let a = basisA.matrix, b = basisB.matrix
        try DriftInput.validatePair(a, b, names: variants, sameWidth: false)
        guard conceptNames.count == a.rows, categoryNames.count == a.rows else {
            throw DriftError(
                .invalidArgument,
                "\(a.rows) embedded concepts but \(conceptNames.count) names and \(categoryNames.count) categories")
        }
        let (va, vb) = variants
        let na = try NeighborSets(a, k: options.k), nb = try NeighborSets(b, k: options.k)
        neighbors = (na, nb)
        let cka = try CKA.linearBoth(a, b)
        let anisotropyA = try ConceptDrift.anisotropy(a), anisotropyB = try ConceptDrift.anisotropy(b)
        let mutual = try NeighborhoodChange.mutualNearestNeighborAlignment(na, nb)
        let procrustes = try Procrustes.distance(basisA, basisB)
        let secondOrder = try NeighborhoodChange.secondOrder(a, b, neighborsA: na, neighborsB: nb)
        let jaccard = try NeighborhoodChange.jaccard(na, nb)
        let n = a.rows
        guard a.columns == b.columns else {
            summary = nil
            categories = []
            tests = []
            concepts = (0..<n).map { i in
                ConceptDriftRow(
                    variantA: va, variantB: vb, layer: layer, concept: conceptNames[i], category: categoryNames[i],
                    cosineDistance: .nan, centeredDistance: .nan, procrustesDistance: .nan, jaccard: jaccard[i],
                    secondOrder: secondOrder[i], percentile: .nan)
            }
            global = GlobalRow(
                variantA: va, variantB: vb, layer: layer, meanDrift: .nan, cka: cka.biased,
                ckaDebiased: cka.debiased, procrustes: procrustes, mutualKNN: mutual, anisotropyA: anisotropyA,
                anisotropyB: anisotropyB)
            return
        }
        let cosine = try ConceptDrift.cosineDistances(a, b)
        let centered = try ConceptDrift.centeredDistances(a, b)
        let aligned = try Procrustes.alignedDistances(basisA, basisB)
        let percentile = ConceptDrift.percentileRanks(cosine)
        concepts = (0..<n).map { i in
            ConceptDriftRow(
                variantA: va, variantB: vb, layer: layer, concept: conceptNames[i], category: categoryNames[i],
                cosineDistance: cosine[i], centeredDistance: centered[i], procrustesDistance: aligned[i],
                jaccard: jaccard[i], secondOrder: secondOrder[i], percentile: percentile[i])
        }
        let drift = try DriftSummary(cosine)
        summary = drift
        let clock = ContinuousClock()
        let statisticsStart = clock.now
        let statisticsCPUStart = ThreadCPUTime.now()
        // The adjusted analysis draws the raw analysis' permutations and resamples and evaluates both on them.
        let adjusted = try Self.adjust(
            drift: cosine, a: a, neighbors: na, categoryNames: categoryNames, given: given, variants: variants,
            layer: layer, options: options)
        let rawStatistics: [CategoryStatistics], rawTests: [CategoryComparison]
        if let raw = adjusted.raw {
            (rawStatistics, rawTests) = raw
        } else {
            rawStatistics = try CategoryAnalysis.statistics(
                drift: cosine, categories: categoryNames, resamples: options.resamples,
                confidence: options.confidence, seed: options.seed)
            rawTests = try CategoryAnalysis.pairwiseTests(
                drift: cosine, categories: categoryNames, permutations: options.permutations, seed: options.seed)
        }
        categories = rawStatistics.map { s in
            CategoryDriftRow(
                variantA: va, variantB: vb, layer: layer, category: s.category, n: s.count, mean: s.mean.estimate,
                ciLow: s.mean.low, ciHigh: s.mean.high, median: s.median, std: s.standardDeviation, max: s.maximum,
                topQuartileShare: s.topQuartileShare)
        }
        tests = rawTests.map { t in
            CategoryTestRow(
                variantA: va, variantB: vb, layer: layer, categoryA: t.categoryA, categoryB: t.categoryB,
                difference: t.difference, pValue: t.pValue, pHolm: t.pHolm)
        }
        covariates = adjusted.covariates
        adjustedTests = adjusted.tests
        adjustedCategories = adjusted.categories
        confounds = adjusted.confounds
        matched = adjusted.matched
        balance = adjusted.balance
        covariateNotes = adjusted.notes
        statisticsSeconds = (clock.now - statisticsStart).seconds
        statisticsCPUSeconds = ThreadCPUTime.now() - statisticsCPUStart
        global = GlobalRow(
            variantA: va, variantB: vb, layer: layer, meanDrift: drift.mean, cka: cka.biased, ckaDebiased: cka.debiased,
            procrustes: procrustes, mutualKNN: mutual, anisotropyA: anisotropyA, anisotropyB: anisotropyB)
    }
}
