import DriftCore
import Foundation
import Testing

@testable import DriftAnalysis

/// KL, Jensen–Shannon, entropies, top-1 and top-10 overlap against numpy/scipy in float64
/// (`Scripts/fixtures/next_token.py`), and the properties the measures must have.
@Suite struct NextTokenDivergenceTests {
    static func fixture(_ name: String) throws -> URL {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent("next_token").appendingPathComponent(name)
    }

    static func relativeError(_ actual: Double, _ expected: Double) -> Double {
        abs(actual - expected) / max(abs(expected), 1e-300)
    }

    @Test func equalsScipyInFloat64() throws {
        let a = try NumpyArray.matrix(contentsOf: try Self.fixture("a.npy"))
        let b = try NumpyArray.matrix(contentsOf: try Self.fixture("b.npy"))
        let expected = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: try Self.fixture("expected.json")))
                as? [String: Any])
        let rows = try #require(expected["rows"] as? [[String: Any]])
        let divergences = try NextTokenDivergence.perConcept(a, b)
        #expect(divergences.count == rows.count)
        for (d, row) in zip(divergences, rows) {
            func value(_ key: String) throws -> Double { try #require((row[key] as? NSNumber)?.doubleValue) }
            for (actual, key) in [
                (d.klAB, "kl_ab"), (d.klBA, "kl_ba"), (d.jensenShannon, "js"), (d.entropyA, "entropy_a"),
                (d.entropyB, "entropy_b"), (d.top10Jaccard, "top10_jaccard"),
            ] {
                let reference = try value(key)
                if reference == 0 {
                    #expect(abs(actual) <= 1e-15, "\(key): \(actual) for 0")
                } else {
                    #expect(Self.relativeError(actual, reference) <= 1e-9, "\(key): \(actual) vs \(reference)")
                }
            }
            #expect(d.top1A == Int(try value("top1_a")))
            #expect(d.top1B == Int(try value("top1_b")))
        }
    }

    @Test func identicalDistributionsDoNotDiverge() throws {
        let logits: [Float] = [1, 2, 3, -4, 0.5]
        let d = try NextTokenDivergence(logitsA: logits, logitsB: logits)
        #expect(abs(d.klAB) < 1e-15 && abs(d.jensenShannon) < 1e-15)
        #expect(d.top1Agrees && d.top10Jaccard == 1)
    }

    @Test func jensenShannonIsSymmetricAndBounded() throws {
        let a: [Float] = [10, -10, 0, 0]
        let b: [Float] = [-10, 10, 0, 0]
        let ab = try NextTokenDivergence(logitsA: a, logitsB: b)
        let ba = try NextTokenDivergence(logitsA: b, logitsB: a)
        #expect(abs(ab.jensenShannon - ba.jensenShannon) < 1e-15)
        #expect(ab.jensenShannon <= Foundation.log(2.0) + 1e-12)
        #expect(ab.klAB == ba.klBA)
    }

    @Test func mismatchedVocabulariesAreRejected() {
        #expect(throws: DriftError.self) { _ = try NextTokenDivergence(logitsA: [1, 2], logitsB: [1, 2, 3]) }
        #expect(throws: DriftError.self) { _ = try NextTokenDivergence(logitsA: [1, .nan], logitsB: [1, 2]) }
    }
}

/// Spearman's ρ and its bootstrap interval against scipy's `spearmanr` and numpy's quantiles on the same resamples.
@Suite struct RankCorrelationTests {
    @Test func spearmanEqualsScipy() throws {
        let expected = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: try NextTokenDivergenceTests.fixture("expected.json"))) as? [String: Any])
        let fixture = try #require(expected["spearman"] as? [String: Any])
        let x = try #require(fixture["x"] as? [Double])
        let y = try #require(fixture["y"] as? [Double])
        let rho = try #require((fixture["rho"] as? NSNumber)?.doubleValue)
        #expect(abs(try RankCorrelation.spearman(x, y) - rho) <= 1e-12)
        let resamples = try #require(fixture["resamples"] as? [[Int]])
        let interval = RankCorrelation.bootstrapSpearman(x, y, indices: resamples, confidence: 0.95)
        let low = try #require((fixture["low"] as? NSNumber)?.doubleValue)
        let high = try #require((fixture["high"] as? NSNumber)?.doubleValue)
        #expect(abs(interval.low - low) <= 1e-12 && abs(interval.high - high) <= 1e-12)
        #expect(interval.estimate == (try RankCorrelation.spearman(x, y)))
    }

    @Test func monotoneSamplesCorrelatePerfectly() throws {
        #expect(try RankCorrelation.spearman([1, 2, 3, 4], [10, 20, 25, 100]) == 1)
        #expect(try RankCorrelation.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        let interval = try RankCorrelation.bootstrapSpearman([1, 2, 3, 4, 5], [2, 4, 6, 8, 10], resamples: 200)
        #expect(interval.low <= 1 && interval.high == 1)
        #expect(throws: DriftError.self) { _ = try RankCorrelation.spearman([1, 2], [1, 2]) }
    }
}
