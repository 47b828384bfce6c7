import CKernels
import DriftCore
import Foundation
import Testing

@testable import DriftAnalysis

/// The divergences' sums on AVX-512F (vector logarithms, eight partial sums) against the same sums one term at a time.
@Suite(.enabled(if: CPUFeatures.hasAVX512F, "no AVX-512F: the portable sums are the only ones"))
struct DivergenceSumsTests {
    @Test func logarithmsAreWithinOneUlpOfFoundationLog() {
        var random = SeededRandom(seed: 3)
        var x = (0..<20_000).map { _ in Foundation.exp(random.nextDouble(in: -745..<709)) }
        x += (0..<2_000).map { _ in 1 + random.nextDouble(in: -0.5..<0.5) }
        x += [1, 2, 0.5, 2.squareRoot(), 0.5.squareRoot(), 1.4142135623730951.nextUp, .leastNonzeroMagnitude]
        x += [.leastNormalMagnitude, .leastNormalMagnitude.nextDown, .greatestFiniteMagnitude, 1e-300, 3]
        var out = [Double](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { ck_log_f64_avx512(input.baseAddress, x.count, $0.baseAddress) }
        }
        var worst = 0.0
        for (value, log) in zip(x, out) {
            let exact = Foundation.log(value)
            worst = max(worst, abs(log - exact) / max(exact.ulp, Double.leastNonzeroMagnitude))
            if exact == 0 { #expect(log == 0) }
        }
        print("vector log: worst error \(worst) ulp")
        #expect(worst <= 1)
    }

    @Test func kernelSumsEqualTheTermByTermSums() {
        var random = SeededRandom(seed: 5)
        for count in [1, 7, 8, 9, 100, 5_003] {
            let a = (0..<count).map { _ in Float(random.nextNormal() * 4) }
            let near = a.map { $0 + Float(random.nextNormal() * 0.05) }
            var oneHot = [Float](repeating: -900, count: count)
            oneHot[count / 2] = 0
            for (x, y) in [(a, near), (a, a), (near, oneHot), (oneHot, oneHot)] {
                let (kernel, portable) = (DivergenceSums(x, y), DivergenceSums.portable(x, y))
                let pairs = [
                    (kernel.klAB, portable.klAB), (kernel.klBA, portable.klBA),
                    (kernel.entropyA, portable.entropyA), (kernel.entropyB, portable.entropyB),
                    (kernel.jensenShannon, portable.jensenShannon),
                ]
                for (k, p) in pairs {
                    #expect(abs(k - p) <= 1e-12 * max(abs(p), 1e-300) + 1e-15, "n \(count): \(k) vs \(p)")
                }
            }
        }
    }
}
