import DriftCore
import Testing

@testable import DriftAnalysis

@Suite struct TableEncodingTests {
    @Test func csvAndJsonAreByteIdenticalToPython() throws {
        let f = try Fixture("tables.json")
        let raw = try #require(f.object["rows"] as? [[Any]])
        func number(_ v: Any) -> Double { (v as? Double) ?? .nan }
        let rows = raw.map { r in
            ConceptDriftRow(
                variantA: r[0] as? String ?? "", variantB: r[1] as? String ?? "", layer: r[2] as? Int ?? -1,
                concept: r[3] as? String ?? "", category: r[4] as? String ?? "", cosineDistance: number(r[5]),
                centeredDistance: number(r[6]), procrustesDistance: number(r[7]), jaccard: number(r[8]),
                secondOrder: number(r[9]), percentile: number(r[10]))
        }
        #expect(TableEncoding.csv(rows) == (try f.string("csv")))
        #expect(TableEncoding.json(rows) == (try f.string("json")))
    }

    @Test func everyTableHasTheIssueColumns() {
        #expect(
            CategoryDriftRow.columns == [
                "variant_a", "variant_b", "layer", "category", "n", "mean", "ci_low", "ci_high", "median", "std", "max",
                "top_quartile_share",
            ])
        #expect(
            CategoryTestRow.columns == [
                "variant_a", "variant_b", "layer", "category_a", "category_b", "difference", "p_value", "p_holm",
            ])
        #expect(
            GlobalRow.columns == [
                "variant_a", "variant_b", "layer", "mean_drift", "cka", "cka_debiased", "procrustes", "mutual_knn",
                "anisotropy_a", "anisotropy_b", "mean_js", "mean_js_ci_low", "mean_js_ci_high", "top1_agreement",
                "spearman_drift_js", "spearman_ci_low", "spearman_ci_high", "lens_top1_agreement",
            ])
        #expect(GlobalRow.schema.filter(\.isAdded).count == 8)
        #expect(NeighborRow.columns == ["variant", "layer", "concept", "rank", "neighbor", "similarity"])
        let row = NeighborRow(variant: "base", layer: 1, concept: "France", rank: 1, neighbor: "Spain", similarity: 0.5)
        #expect(row.cells.count == NeighborRow.columns.count)
        #expect(
            TableEncoding.csv([row]) == "variant,layer,concept,rank,neighbor,similarity\nbase,1,France,1,Spain,0.5\n")
    }
}
