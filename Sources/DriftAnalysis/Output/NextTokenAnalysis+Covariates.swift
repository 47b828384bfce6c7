import DriftCore

extension NextTokenAnalysis {
    /// Adjusts every compared pair's category differences in JS for the covariates the drift analysis used.
    ///
    /// As `category_tests_adjusted` adjusts drift: the covariates of the pair's first variant at the last layer the
    /// table holds for it, the same Freedman–Lane tests, Holm correction and adjusted means
    /// (``CovariateAdjustment``). Pairs whose variant has no covariates are left out.
    ///
    /// - Throws: ``DriftCore/DriftError`` when the adjustment's inputs do not match (never for a run this analysis
    ///   read).
    public mutating func adjust(
        covariates table: CovariateTable, permutations: Int, resamples: Int, confidence: Double, seed: UInt64
    ) throws {
        adjustedTests = []
        adjustedCategories = []
        for summary in summaries {
            let (a, b) = (summary.variantA, summary.variantB)
            let pairRows = rows.filter { $0.variantA == a && $0.variantB == b }
            guard let set = Self.covariates(of: a, terms: pairRows.map(\.term), in: table), !set.isEmpty else {
                continue
            }
            let combined = try CovariateAdjustment.withRaw(
                drift: pairRows.map(\.js), categories: pairRows.map(\.category), covariates: set,
                permutations: permutations, resamples: resamples, confidence: confidence, seed: seed)
            guard !combined.adjusted.covariates.isEmpty else { continue }
            adjustedTests += combined.adjusted.tests.map {
                AdjustedNextTokenCategoryTestRow(NextTokenCategoryTestRow(variantA: a, variantB: b, $0))
            }
            adjustedCategories += combined.adjusted.statistics.map {
                AdjustedNextTokenCategoryRow(NextTokenCategoryRow(variantA: a, variantB: b, $0))
            }
        }
    }

    /// The covariates of variant `variant` for `terms` (in that order) at the last layer `table` holds for it.
    ///
    /// Only covariates with a finite value for every term; nil when the table has no such rows.
    static func covariates(of variant: String, terms: [String], in table: CovariateTable) -> CovariateSet? {
        let own = table.rows.filter { $0.variant == variant }
        guard let layer = own.map(\.layer).max() else { return nil }
        var byTerm: [String: [Double]] = [:]
        for row in own where row.layer == layer { byTerm[row.term] = row.values }
        guard terms.allSatisfy({ byTerm[$0] != nil }) else { return nil }
        var set = CovariateSet.empty
        for (column, name) in table.covariates.enumerated() {
            let values = terms.map { byTerm[$0]?[column] ?? .nan }
            guard values.allSatisfy({ $0.isFinite }) else { continue }
            set.names.append(name)
            set.values.append(values)
        }
        return set
    }

    /// The summary's lines on the adjusted JS tests: per pair, which raw differences (Holm p < 0.05) survive the
    /// adjustment.
    func adjustedSummary() -> [String] {
        var lines: [String] = []
        for (pair, comparisons) in tests {
            let adjusted = adjustedTests.filter { $0.test.variantA == pair.0 && $0.test.variantB == pair.1 }
            guard !adjusted.isEmpty else { continue }
            let significant = comparisons.filter { $0.pHolm < 0.05 }
            guard !significant.isEmpty else {
                lines.append("- \(pair.0) → \(pair.1): no category differs in JS before the covariate adjustment.")
                continue
            }
            let kept = significant.filter { raw in
                adjusted.contains {
                    $0.test.categoryA == raw.categoryA && $0.test.categoryB == raw.categoryB && $0.test.pHolm < 0.05
                }
            }
            lines.append(
                "- \(pair.0) → \(pair.1): of \(significant.count) category differences in JS (Holm p < 0.05), "
                    + "\(kept.count) survive the adjustment for the covariates"
                    + (kept.isEmpty
                        ? "." : " (" + kept.map { "\($0.categoryA) vs \($0.categoryB)" }.joined(separator: ", ") + ").")
            )
        }
        return lines
    }
}
