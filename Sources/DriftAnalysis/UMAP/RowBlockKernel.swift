import CKernels
import DriftCore

/// Distance keys between many pairs of rows of one matrix at once: every row of a list `a` against every row of a
/// list `b`, in register tiles (4 × 4 rows with AVX-512, 4 × 2 with AVX2), so that each loaded row serves several
/// pairs.
///
/// NN-descent's local joins and leaf joins spend most of their time here.
///
/// The instruction set is chosen at run time (``CPUFeatures``); the portable path evaluates pair by pair with
/// ``SIMDKernels``. Different paths round differently (last bits of a float), so a seed reproduces a result exactly
/// on one machine, not across instruction sets.
enum RowBlockKernel {
    /// The implementations, fastest first.
    enum Backend: CaseIterable, Sendable {
        case avx512
        case avx2
        case portable

        /// Whether this machine can run it.
        var isAvailable: Bool {
            switch self {
            case .avx512: CPUFeatures.hasAVX512F
            case .avx2: CPUFeatures.hasAVX2FMA
            case .portable: true
            }
        }
    }

    /// What is computed for a pair.
    enum Kind: Sendable {
        /// Σ x·y.
        case dot
        /// Σ (x − y)².
        case squaredDistance
    }

    /// The fastest backend this machine runs.
    static let best: Backend = Backend.allCases.first { $0.isAvailable } ?? .portable

    /// `out[i * ldo + j] = f(row a[i], row b[j])` of `base` (row-major, rows of `dimension` floats) for every
    /// `i < rows`, `j < columns`; with `upper`, only the entries with `j > i` are guaranteed (then `a` and `b` must
    /// start with the same rows), others may or may not be written.
    ///
    /// - Parameter backend: must be available on this machine (``Backend/isAvailable``).
    @inline(__always)
    static func compute(
        _ kind: Kind, base: UnsafePointer<Float>, dimension: Int, a: UnsafePointer<Int32>, rows: Int,
        b: UnsafePointer<Int32>, columns: Int, upper: Bool, out: UnsafeMutablePointer<Float>, ldo: Int,
        backend: Backend = best
    ) {
        let k: Int32 = kind == .dot ? Int32(CK_ROWS_DOT.rawValue) : Int32(CK_ROWS_SQUARED_DISTANCE.rawValue)
        switch backend {
        case .avx512:
            ck_rows_avx512(base, dimension, a, rows, b, columns, upper ? 1 : 0, k, out, ldo)
        case .avx2:
            ck_rows_avx2(base, dimension, a, rows, b, columns, upper ? 1 : 0, k, out, ldo)
        case .portable:
            for i in 0..<rows {
                let x = base + Int(a[i]) * dimension
                for j in (upper ? i + 1 : 0)..<max(upper ? i + 1 : 0, columns) {
                    let y = base + Int(b[j]) * dimension
                    out[i * ldo + j] =
                        kind == .dot
                        ? SIMDKernels.dot(x, y, dimension) : SIMDKernels.squaredDistance(x, y, dimension)
                }
            }
        }
    }
}
