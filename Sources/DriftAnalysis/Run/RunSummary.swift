import DriftCore
import Foundation

/// The headline figures of a run (`summary.json`) and the findings in words (`summary.md`), at the headline layer.
///
/// For every pair: the drift summary with a bootstrap interval of the mean, the most drifted concepts, each
/// category's mean with its interval, the categories that drift significantly more than another (Holm-adjusted
/// permutation p < α) on raw cosine drift and on Procrustes-aligned drift (the global rotation removed), the global
/// measures, and the token-count confound. Across pairs: the ratio of each pair's mean drift to the first pair's,
/// with a bootstrap interval.
struct RunSummary {
    var json: [String: Any]
    var markdown: String

    init(
        variants: [RunVariant], headline: [PairAnalysis], noise: [NoiseFloorRow], layer: Int, concepts: [String],
        categories: [String],
        options: RunAnalysis.Options, notes: [String]
    ) throws {
        let percent = Int((options.confidence * 100).rounded())
        var pairs: [[String: Any]] = []
        var md = "# Drift summary\n\n"
        md += "Variants, in order: \(variants.map { "`\($0.name)`" }.joined(separator: ", ")). "
        md += "\(concepts.count) concepts in \(CategoryAnalysis.groups(categories).count) categories; headline layer "
        md += "\(layer) (the last stored). Intervals are \(percent)% percentile bootstrap intervals "
        md += "(\(options.resamples) resamples); category differences are two-sided permutation tests "
        md +=
            "(\(options.permutations) permutations), Holm-adjusted, significant below \(options.alpha); k = \(options.k) "
        let chance = try NeighborhoodChange.chanceJaccard(concepts: concepts.count, k: options.k)
        md += "neighbours (chance Jaccard overlap \(Self.f(chance))).\n"
        var firstCosine: [Double]?
        var firstName = ""
        var ratios: [[String: Any]] = []
        for (p, analysis) in headline.enumerated() {
            let g = analysis.global
            var pair: [String: Any] = [
                "variant_a": g.variantA, "variant_b": g.variantB, "layer": layer,
                "cka": RunDirectory.jsonNumber(g.cka), "cka_debiased": RunDirectory.jsonNumber(g.ckaDebiased),
                "procrustes": RunDirectory.jsonNumber(g.procrustes), "mutual_knn": RunDirectory.jsonNumber(g.mutualKNN),
                "anisotropy_a": RunDirectory.jsonNumber(g.anisotropyA),
                "anisotropy_b": RunDirectory.jsonNumber(g.anisotropyB),
            ]
            md += "\n## `\(g.variantA)` → `\(g.variantB)`\n\n"
            md += "Global similarity: linear CKA \(Self.f(g.cka)) (debiased \(Self.f(g.ckaDebiased))), Procrustes "
            md +=
                "distance \(Self.f(g.procrustes)), mutual \(options.k)-NN alignment \(Self.f(g.mutualKNN)); anisotropy "
            md += "(mean pairwise cosine) \(Self.f(g.anisotropyA)) → \(Self.f(g.anisotropyB)).\n"
            guard let drift = analysis.summary else {
                md +=
                    "\nThe variants differ in width, so per-concept drift is undefined; only the global measures apply.\n"
                pairs.append(pair)
                continue
            }
            let cosine = analysis.concepts.map(\.cosineDistance)
            let aligned = analysis.concepts.map(\.procrustesDistance)
            let interval = Resampling.bootstrapMean(
                cosine, resamples: options.resamples, confidence: options.confidence, seed: options.seed)
            let order = cosine.indices.sorted { (cosine[$1], $0) < (cosine[$0], $1) }
            let top = order.prefix(10).map { i -> [String: Any] in
                ["concept": concepts[i], "category": categories[i], "cosine_distance": cosine[i]]
            }
            pair["mean_drift"] = drift.mean
            pair["mean_drift_ci"] = [interval.low, interval.high].map(RunDirectory.jsonNumber)
            pair["std"] = drift.standardDeviation
            pair["median"] = drift.median
            pair["min"] = ["value": drift.minimum, "concept": concepts[drift.minimumIndex]]
            pair["max"] = ["value": drift.maximum, "concept": concepts[drift.maximumIndex]]
            pair["mean_centered_drift"] = Descriptive.mean(analysis.concepts.map(\.centeredDistance))
            pair["mean_procrustes_drift"] = Descriptive.mean(aligned)
            pair["mean_jaccard"] = Descriptive.mean(analysis.concepts.map(\.jaccard))
            pair["top_concepts"] = top
            pair["categories"] = analysis.categories.map { c -> [String: Any] in
                [
                    "category": c.category, "n": c.n, "mean": c.mean, "ci_low": c.ciLow, "ci_high": c.ciHigh,
                    "top_quartile_share": c.topQuartileShare,
                ]
            }
            let alignedTests = try CategoryAnalysis.pairwiseTests(
                drift: aligned, categories: categories, permutations: options.permutations, seed: options.seed)
            let cosineFlags = Self.flagged(
                analysis.tests.map { ($0.categoryA, $0.categoryB, $0.difference, $0.pHolm) }, alpha: options.alpha)
            let alignedFlags = Self.flagged(
                alignedTests.map { ($0.categoryA, $0.categoryB, $0.difference, $0.pHolm) }, alpha: options.alpha)
            pair["significant_categories"] = ["cosine": cosineFlags, "procrustes_aligned": alignedFlags]
            var differences: [[String: Any]] = []
            for t in analysis.tests where t.pHolm < options.alpha {
                differences.append([
                    "measure": "cosine", "category_a": t.categoryA, "category_b": t.categoryB,
                    "difference": t.difference, "p_value": t.pValue, "p_holm": t.pHolm,
                ])
            }
            for t in alignedTests where t.pHolm < options.alpha {
                differences.append([
                    "measure": "procrustes_aligned", "category_a": t.categoryA, "category_b": t.categoryB,
                    "difference": t.difference, "p_value": t.pValue, "p_holm": t.pHolm,
                ])
            }
            pair["significant_differences"] = differences

            md +=
                "\nMean cosine drift \(Self.f(drift.mean)) (\(percent)% CI \(Self.f(interval.low))–\(Self.f(interval.high))), "
            md +=
                "median \(Self.f(drift.median)), sd \(Self.f(drift.standardDeviation)), from \(Self.f(drift.minimum)) "
            md += "(\(concepts[drift.minimumIndex])) to \(Self.f(drift.maximum)) (\(concepts[drift.maximumIndex])). "
            md +=
                "With each variant's mean removed: \(Self.f(pair["mean_centered_drift"] as? Double ?? .nan)); after the "
            md += "best global rotation (Procrustes): \(Self.f(Descriptive.mean(aligned))).\n\n"
            md +=
                "Most drifted: "
                + order.prefix(5).map { "\(concepts[$0]) (\(Self.f(cosine[$0])))" }.joined(separator: ", ") + ".\n\n"
            md += "| category | n | mean drift | \(percent)% CI | share in top quartile |\n|---|---:|---:|---|---:|\n"
            for c in analysis.categories.sorted(by: { $0.mean > $1.mean }) {
                md += "| \(c.category) | \(c.n) | \(Self.f(c.mean)) | \(Self.f(c.ciLow))–\(Self.f(c.ciHigh)) | "
                md += "\(Int((c.topQuartileShare * 100).rounded()))% |\n"
            }
            md +=
                "\n"
                + Self.sentence(
                    flags: cosineFlags,
                    tests: analysis.tests.map { ($0.categoryA, $0.categoryB, $0.difference, $0.pHolm) },
                    measure: "cosine drift", alpha: options.alpha)
            md +=
                " "
                + Self.sentence(
                    flags: alignedFlags,
                    tests: alignedTests.map { ($0.categoryA, $0.categoryB, $0.difference, $0.pHolm) },
                    measure: "Procrustes-aligned drift (global rotation removed)", alpha: options.alpha) + "\n"

            let floor = noise.filter { $0.variantA == g.variantA && $0.variantB == g.variantB }
            if !floor.isEmpty {
                let meanFloor = Descriptive.mean(floor.map(\.floor))
                let above = Double(floor.filter { $0.relative > 1 }.count) / Double(floor.count)
                pair["noise_floor"] = [
                    "variant": floor[0].floorVariant, "mean_floor": RunDirectory.jsonNumber(meanFloor),
                    "share_above_floor": above,
                ]
                md += "\nNoise floor (drift between paraphrased templates in `\(floor[0].floorVariant)`): mean "
                md +=
                    "\(Self.f(meanFloor)); \(Int((above * 100).rounded()))% of concepts drift more than their floor.\n"
            }
            let counts = variants.first { $0.name == g.variantA }?.tokenCounts ?? []
            if counts.count == cosine.count {
                let regression = try TokenCountRegression(drift: cosine, tokenCounts: counts)
                pair["token_count"] = [
                    "slope": regression.slope, "intercept": regression.intercept,
                    "correlation": RunDirectory.jsonNumber(regression.correlation),
                    "residual_by_category": regression.residualMeans(categories: categories).map {
                        ["category": $0.category, "mean_residual": $0.meanResidual] as [String: Any]
                    },
                ]
                md += "\nConfound: drift against prompt token count has slope \(Self.f(regression.slope)) per token "
                md += "(correlation \(Self.f(regression.correlation))).\n"
            }
            if let adjusted = Self.covariateSection(analysis, options: options) {
                pair["covariate_adjustment"] = adjusted.json
                md += adjusted.markdown
            }
            if let first = firstCosine {
                let ratio = try Resampling.bootstrapMeanRatio(
                    numerator: cosine, denominator: first, resamples: options.resamples,
                    confidence: options.confidence, seed: options.seed)
                ratios.append([
                    "numerator": "\(g.variantA)/\(g.variantB)", "denominator": firstName,
                    "ratio": RunDirectory.jsonNumber(ratio.estimate), "ci_low": RunDirectory.jsonNumber(ratio.low),
                    "ci_high": RunDirectory.jsonNumber(ratio.high),
                ])
                md += "\nMean drift is \(Self.f(ratio.estimate))× that of `\(firstName)` "
                md += "(\(percent)% CI \(Self.f(ratio.low))–\(Self.f(ratio.high))).\n"
            } else if p == 0 {
                firstCosine = cosine
                firstName = "\(g.variantA)/\(g.variantB)"
            }
            pairs.append(pair)
        }
        if !notes.isEmpty { md += "\n## Notes\n\n" + notes.map { "- \($0)\n" }.joined() }
        json = [
            "schema_version": RunDirectory.schemaVersion, "headline_layer": layer,
            "variants": variants.map(\.name), "concepts": concepts.count,
            "categories": CategoryAnalysis.groups(categories).map(\.category), "k": options.k,
            "chance_jaccard": chance, "confidence": options.confidence, "alpha": options.alpha, "pairs": pairs,
            "ratios": ratios, "notes": notes,
        ]
        markdown = md
    }

    /// The categories that drift significantly more than at least one other (in first-appearance order of tests).
    static func flagged(_ tests: [(String, String, Double, Double)], alpha: Double) -> [String] {
        var result: [String] = []
        for (a, b, difference, p) in tests where p < alpha {
            let higher = difference > 0 ? a : b
            if !result.contains(higher) { result.append(higher) }
        }
        return result
    }

    static func sentence(flags: [String], tests: [(String, String, Double, Double)], measure: String, alpha: Double)
        -> String
    {
        guard !flags.isEmpty else { return "On \(measure), no category differs significantly from another." }
        let parts = tests.filter { $0.3 < alpha }.map { a, b, d, p in
            d > 0 ? "\(a) > \(b) by \(f(d)) (p_holm \(f(p)))" : "\(b) > \(a) by \(f(-d)) (p_holm \(f(p)))"
        }
        return
            "On \(measure), significantly higher: \(flags.joined(separator: ", ")) — \(parts.joined(separator: "; "))."
    }

    static func f(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        return abs(x) >= 0.001 || x == 0 ? String(format: "%.4g", x) : String(format: "%.2e", x)
    }
}
