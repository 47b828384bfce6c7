public import DriftCore
public import Foundation

/// The output-level half of a run: for every pair of variants that both kept next-token logits
/// (`logits_<name>.npy`, from `--next-token`) over the same vocabulary, each concept's divergence (`next_token`), per
/// category the mean JS with its bootstrap interval and the permutation tests the drift gets
/// (`next_token_category`, `next_token_category_tests`), and per pair the summary (`next_token_global`).
public struct NextTokenAnalysis: Sendable {
    /// Every concept of every analysed pair.
    public var rows: [NextTokenRow] = []
    /// Per pair and category: JS statistics, as `category_drift` gives drift.
    public var categories: [(pair: (String, String), statistics: [CategoryStatistics])] = []
    /// Per pair: the category tests of JS, as `category_tests` tests drift.
    public var tests: [(pair: (String, String), comparisons: [CategoryComparison])] = []
    /// Per pair: the summary.
    public var summaries: [NextTokenSummaryRow] = []
    /// Why a pair was left out (different vocabularies), for the summary.
    public var notes: [String] = []
    /// Per pair: the category tests of JS adjusted for the covariates
    /// (``adjust(covariates:permutations:resamples:confidence:seed:)``).
    public var adjustedTests: [AdjustedNextTokenCategoryTestRow] = []
    /// Per pair and category: the covariate-adjusted mean JS.
    public var adjustedCategories: [AdjustedNextTokenCategoryRow] = []
    /// Per pair (in either order, keyed `a\u{1F}b`) and layer: the fraction of concepts whose logit lens puts the same
    /// token first, for the pairs whose variants both read the lens.
    public var lensAgreement: [String: [Int: Double]] = [:]
    /// Per pair (keyed `a\u{1F}b` as `tables/logit_lens_divergence` orders them) and layer: the lens distributions'
    /// summary, for the pairs whose lens logits were compared (`compare` with `--logit-lens`).
    public var lensSummaries: [String: [Int: NextTokenSummaryRow]] = [:]

    /// Analyses every pair of `variants` (in order) of the run at `directory` that kept logits.
    ///
    /// - Parameters:
    ///   - resamples: bootstrap resamples and permutations (the run's analysis settings).
    ///   - seed: seeds every resampling.
    /// - Throws: ``DriftCore/DriftError`` naming the file when a logits or embeddings file cannot be read, or the
    ///   concepts do not match the run's.
    public init(
        directory: URL, variants: [String], resamples: Int, permutations: Int, seed: UInt64
    ) throws {
        let layout = RunLayout(directory)
        guard let metadata = try ConceptMetadata.read(in: directory) else { return }
        let terms = metadata.terms
        let categories = metadata.categories
        var logits: [String: Matrix] = [:]
        for name in variants where FileManager.default.fileExists(atPath: layout.logits(name).path) {
            let matrix = try NumpyArray.matrix(contentsOf: layout.logits(name))
            guard matrix.rows == terms.count else {
                throw DriftError(
                    .corruptFile, "\(matrix.rows) rows of logits for the run's \(terms.count) concepts",
                    path: layout.logits(name).path)
            }
            logits[name] = matrix
        }
        let manifest = try RunManifest.read(in: directory)
        lensAgreement = try Self.lensAgreement(layout: layout, variants: variants, manifest: manifest)
        lensSummaries = try Self.lensSummaries(
            directory: directory, variants: variants, resamples: resamples, seed: seed)
        let named = variants.filter { logits[$0] != nil }
        // Each variant's last-layer embeddings, read once whatever the number of pairs it is in.
        var loaded: [String: Matrix] = [:]
        func embeddings(_ name: String) throws -> Matrix {
            if let matrix = loaded[name] { return matrix }
            let matrix = try NumpyArray.matrix(contentsOf: layout.embeddings(name))
            loaded[name] = matrix
            return matrix
        }
        for i in named.indices {
            for j in named.indices where j > i {
                let (a, b) = (named[i], named[j])
                guard let la = logits[a], let lb = logits[b] else { continue }
                let countsA = manifest?.variant(a)?.tokenCounts
                let countsB = manifest?.variant(b)?.tokenCounts
                guard la.columns == lb.columns, countsA == nil || countsB == nil || countsA == countsB else {
                    notes.append(
                        "\(a) and \(b) have different tokenizers (\(la.columns) and \(lb.columns) tokens, or other token counts for the prompts): no next-token comparison"
                    )
                    continue
                }
                let divergences = try NextTokenDivergence.perConcept(la, lb)
                rows += divergences.enumerated().map { k, d in
                    NextTokenRow(variantA: a, variantB: b, term: terms[k], category: categories[k], d)
                }
                let js = divergences.map(\.jensenShannon)
                self.categories.append(
                    (
                        (a, b),
                        try CategoryAnalysis.statistics(
                            drift: js, categories: categories, resamples: resamples, seed: seed)
                    ))
                tests.append(
                    (
                        (a, b),
                        try CategoryAnalysis.pairwiseTests(
                            drift: js, categories: categories, permutations: permutations, seed: seed)
                    ))
                let drift = try ConceptDrift.cosineDistances(try embeddings(a), try embeddings(b))
                summaries.append(
                    try Self.summary(
                        a, b, js: js, agreeing: divergences.filter(\.top1Agrees).count, drift: drift,
                        resamples: resamples, seed: seed))
            }
        }
    }

    /// One pair's summary from its concepts' JS, how many of them agree on the top token, and their cosine drift:
    /// the mean JS with its bootstrap interval, the top-1 agreement, Spearman's ρ of drift and JS with its interval.
    static func summary(
        _ a: String, _ b: String, js: [Double], agreeing: Int, drift: [Double], resamples: Int, seed: UInt64
    ) throws -> NextTokenSummaryRow {
        let mean = Resampling.bootstrapMean(js, resamples: resamples, seed: seed)
        let rho = try RankCorrelation.bootstrapSpearman(drift, js, resamples: resamples, seed: seed)
        var summary = NextTokenSummaryRow()
        (summary.variantA, summary.variantB) = (a, b)
        (summary.meanJS, summary.meanJSLow, summary.meanJSHigh) = (mean.estimate, mean.low, mean.high)
        summary.top1Agreement = Double(agreeing) / Double(max(1, js.count))
        (summary.spearman, summary.spearmanLow, summary.spearmanHigh) = (rho.estimate, rho.low, rho.high)
        return summary
    }

    /// The rows of `tables/global` with the output columns filled: the pair's next-token summary at its last layer,
    /// the lens's summary at the other layers where the variants' lens logits were compared, and the lens's top-1
    /// agreement at every layer both variants read it.
    public func annotating(_ rows: [GlobalRow]) -> [GlobalRow] {
        var lastLayer: [String: Int] = [:]
        for row in rows {
            let key = row.variantA + "\u{1F}" + row.variantB
            lastLayer[key] = max(lastLayer[key] ?? row.layer, row.layer)
        }
        return rows.map { row in
            var row = row
            let key = row.variantA + "\u{1F}" + row.variantB
            let reversed = row.variantB + "\u{1F}" + row.variantA
            // At the last layer the next-token summary; elsewhere the lens's (the same distributions at the last).
            let nextToken =
                row.layer == lastLayer[key]
                ? summaries.first(where: { $0.variantA == row.variantA && $0.variantB == row.variantB }) : nil
            if let s = nextToken ?? (lensSummaries[key] ?? lensSummaries[reversed])?[row.layer] {
                (row.meanJS, row.meanJSLow, row.meanJSHigh) = (s.meanJS, s.meanJSLow, s.meanJSHigh)
                row.top1Agreement = s.top1Agreement
                (row.spearmanDriftJS, row.spearmanLow, row.spearmanHigh) = (s.spearman, s.spearmanLow, s.spearmanHigh)
            }
            if let agreement = (lensAgreement[key] ?? lensAgreement[reversed])?[row.layer] {
                row.lensTop1Agreement = agreement
            }
            return row
        }
    }

    /// Per pair of variants that both read the logit lens with the same tokenizer, and per layer: the fraction of
    /// the concepts both name whose lens puts the same token first.
    static func lensAgreement(
        layout: RunLayout, variants: [String], manifest: RunManifest?
    ) throws -> [String: [Int: Double]] {
        var firsts: [String: [Int: [String: Int]]] = [:]
        for name in variants where FileManager.default.fileExists(atPath: layout.logitLens(name).path) {
            for row in try TableFile.readCSV(LogitLensRow.self, at: layout.logitLens(name)) where row.rank == 1 {
                firsts[name, default: [:]][row.layer, default: [:]][row.term] = row.tokenID
            }
        }
        let named = variants.filter { firsts[$0] != nil }
        var agreement: [String: [Int: Double]] = [:]
        for i in named.indices {
            for j in named.indices where j > i {
                let (a, b) = (named[i], named[j])
                let countsA = manifest?.variant(a)?.tokenCounts
                let countsB = manifest?.variant(b)?.tokenCounts
                guard countsA == nil || countsB == nil || countsA == countsB,
                    let lensA = firsts[a], let lensB = firsts[b]
                else { continue }
                for (layer, topA) in lensA {
                    guard let topB = lensB[layer] else { continue }
                    let shared = topA.keys.filter { topB[$0] != nil }
                    guard !shared.isEmpty else { continue }
                    let same = shared.filter { topA[$0] == topB[$0] }.count
                    agreement[a + "\u{1F}" + b, default: [:]][layer] = Double(same) / Double(shared.count)
                }
            }
        }
        return agreement
    }

    /// Whether any pair was compared.
    public var isEmpty: Bool { summaries.isEmpty }

    /// Writes the tables (CSV and JSON) into the run's `tables/` and the plain-words section into `summary.md`.
    ///
    /// - Throws: ``DriftCore/DriftError`` when a file cannot be written.
    public func write(to directory: URL) throws {
        let layout = RunLayout(directory)
        if !isEmpty {
            try TableFile.write(rows, in: layout)
            try TableFile.write(summaries, in: layout)
            try TableFile.write(
                categories.flatMap { pair, statistics in
                    statistics.map { NextTokenCategoryRow(variantA: pair.0, variantB: pair.1, $0) }
                }, in: layout)
            try TableFile.write(
                tests.flatMap { pair, comparisons in
                    comparisons.map { NextTokenCategoryTestRow(variantA: pair.0, variantB: pair.1, $0) }
                }, in: layout)
            if !adjustedTests.isEmpty {
                try TableFile.write(adjustedTests, in: layout)
                try TableFile.write(adjustedCategories, in: layout)
            } else {
                TableFile.remove(AdjustedNextTokenCategoryTestRow.self, in: layout)
                TableFile.remove(AdjustedNextTokenCategoryRow.self, in: layout)
            }
        }
        guard !isEmpty || !lensSummaries.isEmpty else { return }
        let markdown = layout.summaryMarkdown
        if let existing = try? String(contentsOf: markdown, encoding: .utf8) {
            try AtomicFile.write(Data((existing + "\n" + summaryMarkdown()).utf8), to: markdown)
        }
    }

    /// The summary's section, in plain words: per pair, whether the concepts that moved most in representation also
    /// moved most in output.
    public func summaryMarkdown() -> String {
        var lines = ["## Representation and output", ""]
        for s in summaries {
            let rho = String(format: "%.2f", s.spearman)
            let interval = "[\(String(format: "%.2f", s.spearmanLow)), \(String(format: "%.2f", s.spearmanHigh))]"
            let verdict: String
            if s.spearmanLow > 0 {
                verdict = "the concepts that moved most in representation also moved most in output"
            } else if s.spearmanHigh < 0 {
                verdict = "the concepts that moved most in representation moved least in output"
            } else {
                verdict = "how far a concept moved in representation says nothing sure about how far its output moved"
            }
            lines.append(
                "- \(s.variantA) → \(s.variantB): \(verdict) (Spearman ρ \(rho), 95% CI \(interval)); mean JS "
                    + String(format: "%.4g", s.meanJS) + ", top-1 next token the same for "
                    + String(format: "%.1f", s.top1Agreement * 100) + "% of concepts.")
        }
        lines += adjustedSummary()
        lines += lensSummaryLines()
        lines += notes.map { "- \($0)." }
        return lines.joined(separator: "\n") + "\n"
    }
}
