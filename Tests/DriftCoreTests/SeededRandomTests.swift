import Foundation
import Testing

@testable import DriftCore

@Suite struct SeededRandomTests {
    private struct Reference: Decodable {
        struct Stream: Decodable {
            var seed: String
            var state: [String]
            var raw: [String]
            var doubles: [String]
            var after_jump: [String]
        }
        var splitmix64_1234567: [String]
        var streams: [Stream]
    }

    private static func reference() throws -> Reference {
        let url = try Fixtures.folder("random").appendingPathComponent("xoshiro256.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    /// Raw outputs, SplitMix64 seeding, doubles and the jump equal randomgen's / numpy's streams.
    @Test func streamsMatchRandomgenAndNumpy() throws {
        let reference = try Self.reference()
        #expect(reference.streams.count == 5)
        for stream in reference.streams {
            let seed = try #require(UInt64(stream.seed))
            var rng = SeededRandom(seed: seed)
            let state = rng.state
            #expect([state.0, state.1, state.2, state.3] == stream.state.map { UInt64($0) }, "seed \(seed)")
            #expect((0..<stream.raw.count).map { _ in rng.next() } == stream.raw.map { UInt64($0) }, "seed \(seed)")

            var forDoubles = SeededRandom(seed: seed)
            let doubles = (0..<stream.doubles.count).map { _ in forDoubles.nextDouble() }
            #expect(doubles == stream.doubles.map { Double($0) }, "seed \(seed)")

            var jumped = SeededRandom(seed: seed)
            jumped.jump()
            #expect((0..<stream.after_jump.count).map { _ in jumped.next() } == stream.after_jump.map { UInt64($0) })
        }
    }

    @Test func sameSeedSameStreamDifferentSeedDifferentStream() {
        var a = SeededRandom(seed: 99)
        var b = SeededRandom(seed: 99)
        var c = SeededRandom(seed: 100)
        let sa = (0..<100).map { _ in a.nextNormal() }
        let sb = (0..<100).map { _ in b.nextNormal() }
        let sc = (0..<100).map { _ in c.nextNormal() }
        #expect(sa == sb)
        #expect(sa != sc)
        var d = SeededRandom(seed: 5)
        var e = SeededRandom(seed: 5)
        var x = Array(0..<50)
        var y = Array(0..<50)
        d.shuffle(&x)
        e.shuffle(&y)
        #expect(x == y && x != Array(0..<50) && x.sorted() == Array(0..<50))
    }

    @Test func uniformMoments() {
        var rng = SeededRandom(seed: 1)
        let n = 200_000
        var sumD = 0.0, sumD2 = 0.0, sumF = 0.0, sumF2 = 0.0
        var minF: Float = 1, maxF: Float = 0
        for _ in 0..<n {
            let d = rng.nextDouble()
            let f = rng.nextFloat()
            #expect(d >= 0 && d < 1)
            minF = min(minF, f)
            maxF = max(maxF, f)
            sumD += d
            sumD2 += d * d
            sumF += Double(f)
            sumF2 += Double(f) * Double(f)
        }
        #expect(minF >= 0 && maxF < 1)
        // Standard errors: mean 0.29/√n ≈ 0.00065, variance ≈ 0.0002; bounds are about 7 standard errors.
        for (sum, sum2) in [(sumD, sumD2), (sumF, sumF2)] {
            let mean = sum / Double(n)
            let variance = sum2 / Double(n) - mean * mean
            #expect(abs(mean - 0.5) < 0.005)
            #expect(abs(variance - 1.0 / 12.0) < 0.0015)
        }
        let ranged = (0..<1000).map { _ in rng.nextFloat(in: -3..<(-2)) }
        #expect(ranged.allSatisfy { $0 >= -3 && $0 < -2 })
    }

    @Test func normalMoments() {
        var rng = SeededRandom(seed: 2)
        let n = 200_000
        var moments = [Double](repeating: 0, count: 4)
        for _ in 0..<n {
            let z = rng.nextNormal()
            var power = 1.0
            for p in 0..<4 {
                power *= z
                moments[p] += power
            }
        }
        let m = moments.map { $0 / Double(n) }
        // Standard errors for n = 200,000: mean 0.0022, variance 0.0032, skewness 0.0055, kurtosis 0.011.
        #expect(abs(m[0]) < 0.012)
        #expect(abs(m[1] - 1) < 0.016)
        #expect(abs(m[2]) < 0.03)
        #expect(abs(m[3] - 3) < 0.06)
        var scaled = SeededRandom(seed: 3)
        let samples = (0..<50_000).map { _ in scaled.nextNormalFloat(mean: 10, standardDeviation: 0.5) }
        let mean = samples.reduce(0, +) / Float(samples.count)
        #expect(abs(mean - 10) < 0.02)
    }

    @Test func boundedIntegersAreUniformAndInRange() {
        var rng = SeededRandom(seed: 4)
        var counts = [Int](repeating: 0, count: 7)
        let n = 70_000
        for _ in 0..<n { counts[rng.nextInt(below: 7)] += 1 }
        // χ² with 6 degrees of freedom: 99.99th percentile ≈ 27.9.
        let expected = Double(n) / 7
        let chiSquare = counts.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
        #expect(chiSquare < 27.9)
        #expect((0..<1000).allSatisfy { _ in rng.nextInt(below: 1) == 0 })
        let huge = (0..<1000).map { _ in rng.nextInt(below: Int.max) }
        #expect(huge.allSatisfy { $0 >= 0 } && Set(huge).count > 990)
    }
}
