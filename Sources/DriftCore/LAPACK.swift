/// The dense linear-algebra bridge beside ``BLAS``: LAPACK routines over row-major buffers.
///
/// The backends live in `LAPACK+OpenBLAS.swift` (OpenBLAS ships LAPACK) and `LAPACK+Accelerate.swift`.
public enum LAPACK {
    /// A thin singular value decomposition `A = U · diag(s) · Vᵀ` of a row-major `m × n` matrix.
    public struct SingularValueDecomposition: Sendable {
        /// Left singular vectors, row-major `m × k` with `k = min(m, n)` (empty when vectors were not asked for).
        public var u: [Double]
        /// Singular values, `k` of them, descending.
        public var s: [Double]
        /// Right singular vectors transposed, row-major `k × n` (empty when vectors were not asked for).
        public var vt: [Double]
        /// `min(m, n)`.
        public var rank: Int { s.count }
    }

    /// The thin SVD of the row-major `rows × columns` matrix `a` (divide and conquer, `dgesdd`).
    ///
    /// - Parameters:
    ///   - a: `rows * columns` elements, row after row.
    ///   - vectors: also compute `U` and `Vᵀ`; otherwise only the singular values.
    /// - Throws: ``DriftError`` of kind `.invalidArgument` when the sizes disagree or LAPACK does not converge.
    public static func singularValueDecomposition(
        _ a: [Double], rows: Int, columns: Int, vectors: Bool = true
    ) throws -> SingularValueDecomposition {
        guard rows > 0, columns > 0, a.count == rows * columns else {
            throw DriftError(.invalidArgument, "SVD of a \(rows) × \(columns) matrix given \(a.count) elements")
        }
        guard rows < Int(Int32.max), columns < Int(Int32.max) else {
            throw DriftError(.invalidArgument, "SVD of a \(rows) × \(columns) matrix exceeds LAPACK's 32-bit sizes")
        }
        // A row-major m × n buffer is the column-major n × m matrix Aᵀ = V Σ Uᵀ. LAPACK returns, column-major,
        // U' = V (n × k) and V'ᵀ = Uᵀ (k × m); read as row-major buffers these are exactly Vᵀ (k × n) and U (m × k).
        let k = min(rows, columns)
        var work = a
        var s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: vectors ? rows * k : 1)
        var vt = [Double](repeating: 0, count: vectors ? k * columns : 1)
        let info = work.withUnsafeMutableBufferPointer { aBuffer in
            s.withUnsafeMutableBufferPointer { sBuffer in
                vt.withUnsafeMutableBufferPointer { lapackU in
                    u.withUnsafeMutableBufferPointer { lapackVT -> Int in
                        guard let aBase = aBuffer.baseAddress, let sBase = sBuffer.baseAddress,
                            let uBase = lapackU.baseAddress, let vtBase = lapackVT.baseAddress
                        else { return -1 }
                        return backendDgesdd(
                            vectors: vectors, m: columns, n: rows, a: aBase, lda: columns,
                            s: sBase, u: uBase, ldu: vectors ? columns : 1, vt: vtBase, ldvt: vectors ? k : 1)
                    }
                }
            }
        }
        guard info == 0 else {
            throw DriftError(
                .invalidArgument,
                "the singular value decomposition of a \(rows) × \(columns) matrix failed (LAPACK dgesdd info \(info))"
            )
        }
        return vectors
            ? SingularValueDecomposition(u: u, s: s, vt: vt) : SingularValueDecomposition(u: [], s: s, vt: [])
    }
}
