import CKernels
import Foundation

/// The exponentials a softmax of float32 logits needs, in Double: `exp(x[i] − shift)` and their sum.
///
/// On AVX-512F eight at a time (``CKernels`` `ck_exp_shifted_f64_avx512`, within 2 ulp of the correctly rounded
/// exponential); elsewhere with Foundation's `exp`. Either way a term below 2^−1022 counts as 0: the sums softmax
/// takes hold a term of 1 (the maximum's), which such terms cannot change.
package enum ShiftedExponentials {
    /// Σ `exp(x[i] − shift)`; each term also written to `terms` when given (it must hold `x.count` values).
    package static func sum(
        _ x: UnsafeBufferPointer<Float>, minus shift: Double, terms: UnsafeMutablePointer<Double>? = nil
    ) -> Double {
        guard let base = x.baseAddress, !x.isEmpty else { return 0 }
        if CPUFeatures.hasAVX512F { return ck_exp_shifted_f64_avx512(base, x.count, shift, terms) }
        return portableSum(x, minus: shift, terms: terms)
    }

    /// ``sum(_:minus:terms:)`` with Foundation's `exp`, one at a time (also the reference the kernel is tested on).
    package static func portableSum(
        _ x: UnsafeBufferPointer<Float>, minus shift: Double, terms: UnsafeMutablePointer<Double>? = nil
    ) -> Double {
        var total = 0.0
        for (i, value) in x.enumerated() {
            let exponent = Double(value) - shift
            // Below −708.4 the term is subnormal (or 0); skipping it also skips exp's slow underflow path.
            let term = exponent >= -708.3964185322641 ? Foundation.exp(exponent) : 0
            terms?[i] = term
            total += term
        }
        return total
    }
}
