/// The matrix-product bridge: one entry point over the platform's BLAS (OpenBLAS on Linux, Accelerate on macOS).
///
/// The backends live in `BLAS+OpenBLAS.swift` and `BLAS+Accelerate.swift`; everything else calls these functions.
public enum BLAS {
    /// Whether an operand is used as stored or transposed.
    public enum Transpose: Sendable {
        case none
        case transpose
    }

    /// `C = alpha · op(A) · op(B) + beta · C` on row-major buffers.
    ///
    /// - Parameters:
    ///   - m: rows of `op(A)` and `C`.
    ///   - n: columns of `op(B)` and `C`.
    ///   - k: columns of `op(A)`, rows of `op(B)`.
    ///   - lda, ldb, ldc: row strides of the stored matrices, in elements.
    @inlinable
    public static func sgemm(
        _ transA: Transpose, _ transB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            for row in 0..<m {
                for col in 0..<n { c[row * ldc + col] *= beta }
            }
            return
        }
        backendSgemm(
            transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// `C = op(A) · op(B)` in double precision on row-major buffers (shapes as ``sgemm``; `C` is overwritten).
    @inlinable
    public static func dgemm(
        _ transA: Transpose, _ transB: Transpose,
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            for row in 0..<m {
                for col in 0..<n { c[row * ldc + col] = 0 }
            }
            return
        }
        backendDgemm(transA, transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
    }

    /// `y = alpha · op(A) · x + beta · y` on a row-major `rows × columns` buffer.
    @inlinable
    public static func sgemv(
        _ trans: Transpose, rows: Int, columns: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        guard rows > 0, columns > 0 else { return }
        backendSgemv(trans, rows: rows, columns: columns, alpha: alpha, a: a, lda: lda, x: x, beta: beta, y: y)
    }
}

extension Matrix {
    /// The product `op(self) · op(other)`.
    ///
    /// - Parameters:
    ///   - other: the right operand.
    ///   - transposeSelf: use `selfᵀ`.
    ///   - transposeOther: use `otherᵀ` (the common case for weights stored `out × in`).
    public func multiplied(by other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix {
        let m = transposeSelf ? columns : rows
        let k = transposeSelf ? rows : columns
        let kOther = transposeOther ? other.columns : other.rows
        let n = transposeOther ? other.rows : other.columns
        precondition(k == kOther, "Inner dimensions differ: \(k) vs \(kOther)")
        var result = Matrix(rows: m, columns: n)
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                result.storage.withUnsafeMutableBufferPointer { c in
                    guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
                    BLAS.sgemm(
                        transposeSelf ? .transpose : .none, transposeOther ? .transpose : .none,
                        m: m, n: n, k: k, a: a, lda: columns, b: b, ldb: other.columns, c: c, ldc: n)
                }
            }
        }
        return result
    }
}

extension BLAS {
    /// Runs `body` with BLAS on one thread, for BLAS calls made from ``Parallel``'s workers.
    ///
    /// OpenBLAS's threads are shared by the whole process: two workers calling a threaded BLAS at once wait on each
    /// other's threads (which spin), and the analysis of 57 layer pairs ran 2.3× slower in parallel than in turn.
    package static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        let saved = threadCount
        threadCount = 1
        defer { threadCount = saved }
        return try body()
    }
}
