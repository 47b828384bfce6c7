import DriftCore
import Testing

@testable import DriftAnalysis

@Suite struct ConceptDriftTests {
    static let cases = ["random_tall.json", "random_wide.json", "random_mid.json", "structured.json"]

    @Test(arguments: cases) func cosineAndCenteredDistancesMatchScipy(_ name: String) throws {
        let f = try Fixture(name)
        let a = try f.matrix("a"), b = try f.matrix("b")
        expectClose(try ConceptDrift.cosineDistances(a, b), try f.doubles("cosine"), "cosine")
        expectClose(try ConceptDrift.centeredDistances(a, b), try f.doubles("centered"), "centered")
    }

    @Test(arguments: cases) func percentileAndSummaryMatchPandas(_ name: String) throws {
        let f = try Fixture(name)
        let drift = try ConceptDrift.cosineDistances(try f.matrix("a"), try f.matrix("b"))
        expectClose(ConceptDrift.percentileRanks(drift), try f.doubles("percentile"), "percentile")
        let s = try DriftSummary(drift)
        let e = try f.sub("summary")
        expectClose(s.mean, try e.double("mean"), "mean")
        expectClose(s.standardDeviation, try e.double("std"), "std")
        expectClose(s.median, try e.double("median"), "median")
        expectClose(s.minimum, try e.double("min"), "min")
        expectClose(s.maximum, try e.double("max"), "max")
        #expect(s.minimumIndex == (try e.int("argmin")))
        #expect(s.maximumIndex == (try e.int("argmax")))
    }

    @Test func percentileRanksAverageTiesAsPandas() throws {
        let ties = try Fixture("different_widths.json").sub("ties")
        expectClose(ConceptDrift.percentileRanks(try ties.doubles("values")), try ties.doubles("percentile"))
    }

    @Test(arguments: cases) func anisotropyMatchesScikitLearn(_ name: String) throws {
        let f = try Fixture(name)
        expectClose(try ConceptDrift.anisotropy(try f.matrix("a")), try f.double("anisotropy_a"), "anisotropy a")
        expectClose(try ConceptDrift.anisotropy(try f.matrix("b")), try f.double("anisotropy_b"), "anisotropy b")
    }
}
