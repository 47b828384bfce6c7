import Foundation
import Testing

@testable import DriftCore

/// The softmax exponentials: the AVX-512 kernel against Foundation's `exp`, term by term and summed.
@Suite struct ShiftedExponentialsTests {
    /// Values spread over the whole range softmax sees (and past it), with the edges around the subnormal cut.
    static func values(count: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        var x = (0..<count).map { _ in random.nextFloat(in: -760..<700) }
        x += (0..<count).map { _ in random.nextFloat(in: -2..<2) }
        x += [0, -0.0, 1e-30, -1e-30, -708.3, -708.4, -708.5, -745, -746, -1e30, -3.4e38, 705, 0.5, -0.5]
        x += [Float(-0.34657359), Float(0.34657359), Float(-0.3466), Float(0.3466)]
        return x
    }

    @Test func termsAreWithinTwoUlpOfFoundationExp() {
        let x = Self.values(count: 20_000, seed: 7)
        for shift in [0.0, 1.5, -3.25] {
            var terms = [Double](repeating: .nan, count: x.count)
            var reference = [Double](repeating: .nan, count: x.count)
            let total = x.withUnsafeBufferPointer { buffer in
                terms.withUnsafeMutableBufferPointer {
                    ShiftedExponentials.sum(buffer, minus: shift, terms: $0.baseAddress)
                }
            }
            let expected = x.withUnsafeBufferPointer { buffer in
                reference.withUnsafeMutableBufferPointer {
                    ShiftedExponentials.portableSum(buffer, minus: shift, terms: $0.baseAddress)
                }
            }
            var worst = 0.0
            for i in x.indices {
                let exact = Foundation.exp(Double(x[i]) - shift)
                if exact < 0x1p-1022 {
                    #expect(terms[i] == 0 || terms[i] == exact, "x \(x[i])")
                    #expect(reference[i] == 0 || reference[i] == exact, "x \(x[i])")
                } else {
                    worst = max(worst, abs(terms[i] - exact) / exact.ulp)
                    #expect(reference[i] == exact)
                }
            }
            print("shifted exponentials, shift \(shift): worst error \(worst) ulp")
            #expect(worst <= 2, "worst error \(worst) ulp")
            #expect(abs(total - expected) <= 1e-15 * expected)
        }
    }

    /// Every length from 0 to 40 (whole vectors, tails and both), summed as the portable loop sums.
    @Test func everyLengthAndTail() {
        let x = Self.values(count: 40, seed: 11).map { $0 / 100 }
        for n in 0...40 {
            let slice = Array(x.prefix(n))
            let (total, expected) = slice.withUnsafeBufferPointer {
                (ShiftedExponentials.sum($0, minus: 0.25), ShiftedExponentials.portableSum($0, minus: 0.25))
            }
            #expect(abs(total - expected) <= 1e-15 * max(expected, 1), "n \(n)")
        }
    }
}
