import Testing

@testable import DriftReport

@Suite struct LinearScaleTests {
    @Test func mapsEndsAndMidpoint() {
        let s = LinearScale(domain: (2, 6), range: (100, 300))
        #expect(s(2) == 100)
        #expect(s(6) == 300)
        #expect(s(4) == 200)
    }

    @Test func ticksAreRoundStepsInsideTheDomain() {
        for (lo, hi, count) in [(0.0, 0.37, 6), (0.013, 0.0871, 5), (-3.2, 17.9, 5), (0, 1, 10), (120, 1234, 4)] {
            let s = LinearScale(domain: (lo, hi), range: (0, 1))
            let ticks = s.ticks(count: count)
            #expect(!ticks.isEmpty)
            #expect(ticks.allSatisfy { $0 >= lo - 1e-12 && $0 <= hi + 1e-12 })
            let step = LinearScale.tickStep(lo, hi, count: count)
            var mantissa = step
            while mantissa >= 10 { mantissa /= 10 }
            while mantissa < 1 { mantissa *= 10 }
            #expect([1.0, 2.0, 5.0].contains { abs($0 - mantissa) < 1e-9 }, "step \(step)")
            for (x, y) in zip(ticks, ticks.dropFirst()) { #expect(abs((y - x) - step) < step * 1e-9) }
            #expect(ticks.count >= count / 2 && ticks.count <= 2 * count + 1)
            // Tick values print without binary noise (0.30000000000000004).
            #expect(ticks.allSatisfy { String($0).count <= 8 }, "\(ticks)")
        }
    }

    @Test func nicedDomainCoversDataOnTicks() {
        for (lo, hi) in [(0.0, 0.437), (0.013, 0.0871), (-3.2, 17.9)] {
            let s = LinearScale(domain: (lo, hi), range: (0, 500)).niced(count: 6)
            let step = LinearScale.tickStep(lo, hi, count: 6)
            #expect(s.domain.lower <= lo && s.domain.upper >= hi)
            #expect(s.domain.upper - hi < step && lo - s.domain.lower < step)
            for end in [s.domain.lower, s.domain.upper] {
                #expect(abs(end / step - (end / step).rounded()) < 1e-9, "\(end) is a multiple of \(step)")
            }
            #expect(s.range == (0, 500))
        }
    }

    @Test func degenerateDomainDoesNotDivideByZero() {
        let s = LinearScale(domain: (3, 3), range: (0, 10))
        #expect(s(3).isFinite)
        #expect(LinearScale(domain: (.nan, 1), range: (0, 10))(0.5).isFinite)
    }
}
