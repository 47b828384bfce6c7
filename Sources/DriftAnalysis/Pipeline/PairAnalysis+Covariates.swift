import DriftCore

extension PairAnalysis {
    /// The most bootstrap resamples of a confound's or a matched comparison's interval.
    static let descriptiveResamples = 2_000

    /// The covariate-adjusted rows of one pair at one layer.
    struct Adjusted {
        /// The raw statistics and tests, when computed in the same pass.
        var raw: (statistics: [CategoryStatistics], tests: [CategoryComparison])?
        var covariates = CovariateSet.empty
        var tests: [AdjustedCategoryTestRow] = []
        var categories: [AdjustedCategoryDriftRow] = []
        var confounds: [ConfoundRow] = []
        var matched: [MatchedComparisonRow] = []
        var balance: [MatchedBalanceRow] = []
        var notes: [String] = []
    }

    /// The covariates `options` asks for, in order: the built-in ones (``ConceptCovariates/builtInNames``), then
    /// the user's in `given`'s order; with `notes` naming each asked-for covariate this run does not have.
    static func selectCovariates(
        a: Matrix, neighbors: NeighborSets, categoryNames: [String], given: CovariateSet, options: Options
    ) -> (set: CovariateSet, notes: [String]) {
        let wanted = options.covariates
        func isWanted(_ name: String) -> Bool { wanted?.contains(name) ?? true }
        var set = CovariateSet.empty
        var available: Set<String> = []
        func add(_ name: String, _ values: @autoclosure () -> [Double]) {
            available.insert(name)
            guard isWanted(name) else { return }
            set.names.append(name)
            set.values.append(values())
        }
        for name in ConceptCovariates.builtInNames {
            switch name {
            case "norm": add(name, ConceptCovariates.norms(a))
            case "density": add(name, ConceptCovariates.density(a, neighbors: neighbors))
            case "centroid": add(name, ConceptCovariates.centroidDistance(a, categories: categoryNames))
            default:
                if let index = given.names.firstIndex(of: name) { add(name, given.values[index]) }
            }
        }
        for (name, values) in zip(given.names, given.values) where !ConceptCovariates.builtInNames.contains(name) {
            add(name, values)
        }
        let missing = (wanted ?? []).filter { !available.contains($0) }
        let notes = missing.map { name in
            name == "frequency"
                ? "covariate frequency not available: this version does not record a token-frequency proxy"
                : "covariate \(name) not available in this run"
        }
        return (set, notes)
    }

    static func adjust(
        drift: [Double], a: Matrix, neighbors: NeighborSets, categoryNames: [String], given: CovariateSet,
        variants: (String, String), layer: Int, options: Options
    ) throws -> Adjusted {
        var out = Adjusted()
        if let wanted = options.covariates, wanted.isEmpty { return out }
        let (set, notes) = selectCovariates(
            a: a, neighbors: neighbors, categoryNames: categoryNames, given: given, options: options)
        out.covariates = set
        out.notes = notes
        guard !set.isEmpty else { return out }
        let (va, vb) = variants
        let combined = try CovariateAdjustment.withRaw(
            drift: drift, categories: categoryNames, covariates: set, permutations: options.permutations,
            resamples: options.resamples, confidence: options.confidence, seed: options.seed)
        out.raw = (combined.statistics, combined.tests)
        let adjustment = combined.adjusted
        out.notes += adjustment.notes
        guard !adjustment.covariates.isEmpty else { return out }
        out.tests = adjustment.tests.map { t in
            AdjustedCategoryTestRow(
                CategoryTestRow(
                    variantA: va, variantB: vb, layer: layer, categoryA: t.categoryA, categoryB: t.categoryB,
                    difference: t.difference, pValue: t.pValue, pHolm: t.pHolm))
        }
        out.categories = adjustment.statistics.map { s in
            AdjustedCategoryDriftRow(
                CategoryDriftRow(
                    variantA: va, variantB: vb, layer: layer, category: s.category, n: s.count, mean: s.mean.estimate,
                    ciLow: s.mean.low, ciHigh: s.mean.high, median: s.median, std: s.standardDeviation,
                    max: s.maximum, topQuartileShare: s.topQuartileShare))
        }
        let used = set.screened().set
        let raw = CovariateSet(
            names: used.names, values: used.names.compactMap { set.names.firstIndex(of: $0) }.map { set.values[$0] })
        // The descriptive intervals of the confounds and the matched comparisons need fewer resamples than the
        // tests: at most 2,000 (a percentile interval's usual count), which keeps the adjusted analysis cheap.
        let descriptiveResamples = min(options.resamples, Self.descriptiveResamples)
        out.confounds = try ConfoundAnalysis.confounds(
            drift: drift, covariates: raw, resamples: descriptiveResamples, confidence: options.confidence,
            seed: options.seed
        ).map { c in
            ConfoundRow(
                variantA: va, variantB: vb, layer: layer, covariate: c.covariate, slope: c.slope, r: c.r.estimate,
                rCILow: c.r.low, rCIHigh: c.r.high, pValue: c.pValue)
        }
        for m in try MatchedComparison.all(
            drift: drift, categories: categoryNames, covariates: set, resamples: descriptiveResamples,
            confidence: options.confidence, seed: options.seed)
        {
            out.matched.append(
                MatchedComparisonRow(
                    variantA: va, variantB: vb, layer: layer, categoryA: m.categoryA, categoryB: m.categoryB,
                    nA: m.countA, matchedB: m.matchedB, rawDifference: m.rawDifference,
                    difference: m.difference.estimate, ciLow: m.difference.low, ciHigh: m.difference.high))
            out.balance += m.balance.map { b in
                MatchedBalanceRow(
                    variantA: va, variantB: vb, layer: layer, categoryA: m.categoryA, categoryB: m.categoryB,
                    covariate: b.covariate, smdBefore: b.before, smdAfter: b.after)
            }
        }
        return out
    }
}
