import CKernels
import DriftCore
import Foundation

/// The five sums two next-token distributions' divergences come from: KL both ways, both entropies and
/// Jensen–Shannon, in Double over softmaxes of float32 logits.
///
/// On AVX-512F one pass of ``CKernels`` `ck_divergence_sums_avx512` (logarithms within 1 ulp, eight partial sums per
/// total) over the exponentials ``DriftCore/ShiftedExponentials`` gives; elsewhere ``portable(_:_:)``, one term at a
/// time with Foundation's `log`.
struct DivergenceSums: Equatable {
    var klAB = 0.0, klBA = 0.0, entropyA = 0.0, entropyB = 0.0, jensenShannon = 0.0

    /// The sums for logits `a` and `b` (equal lengths, finite, not empty).
    init(_ a: [Float], _ b: [Float]) {
        guard CPUFeatures.hasAVX512F else {
            self = Self.portable(a, b)
            return
        }
        let (maxA, maxB) = (Double(a.max() ?? 0), Double(b.max() ?? 0))
        var out = [Double](repeating: 0, count: 5)
        var (ea, eb) = ([Double](repeating: 0, count: a.count), [Double](repeating: 0, count: b.count))
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                ea.withUnsafeMutableBufferPointer { ea in
                    eb.withUnsafeMutableBufferPointer { eb in
                        let totalA = ShiftedExponentials.sum(a, minus: maxA, terms: ea.baseAddress)
                        let totalB = ShiftedExponentials.sum(b, minus: maxB, terms: eb.baseAddress)
                        guard let pa = a.baseAddress, let pb = b.baseAddress, let qa = ea.baseAddress,
                            let qb = eb.baseAddress
                        else { return }
                        ck_divergence_sums_avx512(
                            pa, pb, qa, qb, a.count, maxA, maxB, Foundation.log(totalA), Foundation.log(totalB),
                            totalA, totalB, &out)
                    }
                }
            }
        }
        (klAB, klBA, entropyA, entropyB, jensenShannon) = (out[0], out[1], out[2], out[3], out[4])
    }

    private init() {}

    /// The same sums one term at a time (the reference the kernel is tested on).
    static func portable(_ a: [Float], _ b: [Float]) -> DivergenceSums {
        let (pA, logA) = NextTokenDivergence.softmax(a)
        let (pB, logB) = NextTokenDivergence.softmax(b)
        var sums = DivergenceSums()
        for i in a.indices {
            let (pa, pb) = (pA[i], pB[i])
            sums.klAB += pa * (logA[i] - logB[i])
            sums.klBA += pb * (logB[i] - logA[i])
            sums.entropyA -= pa * logA[i]
            sums.entropyB -= pb * logB[i]
            let m = 0.5 * (pa + pb)
            guard m > 0 else { continue }
            let logM = Foundation.log(m)
            if pa > 0 { sums.jensenShannon += 0.5 * pa * (logA[i] - logM) }
            if pb > 0 { sums.jensenShannon += 0.5 * pb * (logB[i] - logM) }
        }
        return sums
    }
}
